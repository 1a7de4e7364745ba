import fs from 'node:fs';
import path from 'node:path';
import { build, kustomizeTargets } from './builds';
import {
  committedSecretProblems,
  configVariables,
  deploymentProblems,
} from './deploymentRules';
import { kustomizationProblems, referencedFiles } from './kustomization';
import { hasKubectl, KUBECTL_MISSING } from './kustomize';
import { loadManifests, Manifest } from './manifests';
import { listFiles, repoRoot } from './repo';
import { validateManifest } from './schemas';

const root = repoRoot();
const rel = (f: string) => path.relative(root, f);
const yamlFiles = ['k8s', 'argocd'].flatMap(d =>
  listFiles(path.join(root, d), ['.yaml', '.yml']),
);

/** Files that kustomizations read as patches or generator inputs: not resources on their own. */
const notResources = new Set(
  yamlFiles
    .filter(f => path.basename(f) === 'kustomization.yaml')
    .flatMap(f =>
      referencedFiles(loadManifests(f)[0]?.doc).map(p =>
        path.join(path.dirname(f), p),
      ),
    ),
);

describe('k8s/ and argocd/ files', () => {
  it('has manifests to check', () => {
    expect(
      yamlFiles.filter(f => rel(f).startsWith('k8s/')).length,
    ).toBeGreaterThan(0);
    expect(
      yamlFiles.filter(f => rel(f).startsWith('argocd/')).length,
    ).toBeGreaterThan(0);
  });

  it('parses every YAML file (multi-document, duplicate keys are errors)', () => {
    const problems: string[] = [];
    for (const f of yamlFiles) {
      try {
        loadManifests(f, rel(f));
      } catch (e: any) {
        problems.push(e.message);
      }
    }
    expect(problems).toEqual([]);
  });

  it('validates every resource strictly against its schema', () => {
    const problems = yamlFiles
      .filter(
        f => path.basename(f) !== 'kustomization.yaml' && !notResources.has(f),
      )
      .flatMap(f => loadManifests(f, rel(f)).flatMap(validateManifest));
    expect(problems).toEqual([]);
  });

  it('writes kustomizations that kubectl 1.20 (kustomize v2.0.3) reads', () => {
    const problems = yamlFiles
      .filter(f => path.basename(f) === 'kustomization.yaml')
      .flatMap(f => kustomizationProblems(loadManifests(f)[0]?.doc, f, rel(f)));
    expect(problems).toEqual([]);
  });

  it('commits no Secret with data', () => {
    const all = yamlFiles
      .filter(f => !notResources.has(f))
      .flatMap(f => loadManifests(f, rel(f)));
    expect(committedSecretProblems(all)).toEqual([]);
  });
});

describe.each(kustomizeTargets(root))('kubectl kustomize %s', target => {
  let built: Manifest[];
  beforeAll(() => {
    if (!hasKubectl()) throw new Error(KUBECTL_MISSING);
    built = build(target, root);
  });

  it('builds, and every document validates strictly', () => {
    expect(built.length).toBeGreaterThan(0);
    expect(built.flatMap(validateManifest)).toEqual([]);
  });

  it('has no Secret with data', () => {
    expect(committedSecretProblems(built)).toEqual([]);
  });

  if (target.startsWith('k8s/overlays/')) {
    it("runs the portal's Deployment by the rules, with every variable of the production config", () => {
      const vars = configVariables(
        fs.readFileSync(path.join(root, 'app-config.production.yaml'), 'utf8'),
      );
      expect(vars.length).toBeGreaterThan(0);
      const deployments = built.filter(m => m.doc.kind === 'Deployment');
      expect(deployments.map(d => d.doc.metadata.name)).toContain(
        'akili-portal',
      );
      expect(
        deployments.flatMap(d => deploymentProblems(d, vars, built)),
      ).toEqual([]);
    });
  }
});
