/**
 * A GitLab stand-in for tests: the REST v4 endpoints the portal calls, and git over smart HTTP.
 *
 * @packageDocumentation
 */
export { GitlabTestServer } from './GitlabTestServer';
export { GitHttpBackend } from './gitHttp';
export type { GitHttpHost, TestTokenAccess } from './gitHttp';
export type {
  TestPipeline,
  TestPipelineStatus,
  TestProject,
  TestPush,
} from './GitlabTestServer';
export { GitlabMergeRequests } from './mergeRequests';
export type { TestCommit, TestMergeRequest, TestNote } from './mergeRequests';
export { GitlabProjectAdmin } from './projectAdmin';
export type { ProjectAdminHost, TestVariable } from './projectAdmin';
