/**
 * A GitLab stand-in for tests: the REST v4 endpoints the portal calls.
 *
 * @packageDocumentation
 */
export { GitlabTestServer } from './GitlabTestServer';
export type {
  TestPipeline,
  TestPipelineStatus,
  TestProject,
  TestPush,
} from './GitlabTestServer';
