/**
 * Offline checks of the portal's deployment files. The tests of this package run them on the
 * repository (`*.repo.test.ts`); the helpers are exported for reuse.
 *
 * @packageDocumentation
 */
export {
  parseManifests,
  loadManifests,
  describe as describeManifest,
} from './manifests';
export type { Manifest } from './manifests';
export { validateManifest, isKnownKind } from './schemas';
export { strictSchema } from './argocdSchemas';
export { kustomizeBuild, hasKubectl } from './kustomize';
export { kustomizationProblems } from './kustomization';
export {
  deploymentProblems,
  committedSecretProblems,
  configVariables,
} from './deploymentRules';
export { PolicySet, matchesSelector, inCidr } from './networkPolicy';
export type { Pod, External, Endpoint, Connection } from './networkPolicy';
export {
  gitlabCiProblems,
  simulatePipeline,
  jobsOf,
  PIPELINES,
} from './gitlabCi';
export { evaluateIf } from './gitlabRules';
export {
  tenantProjectProblems,
  applicationProblems,
  expandApplicationSet,
  generatorProblems,
} from './argocdFencing';
export { dockerfileProblems } from './dockerfile';
