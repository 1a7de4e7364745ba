/**
 * The scaffolder inside the user's tenant: GitLab steps bound to the task's tenant, reads only
 * from shared groups, tasks visible to their creator and the tenant's operators.
 *
 * @packageDocumentation
 */
export { scaffolderAkiliFeatures as default } from './feature';
export { scaffolderModuleAkili } from './module';
export { scaffolderUrlReaderFactories } from './reader/sharedGroupsUrlReader';
export { TENANT_BOUND_GITLAB_ACTIONS } from './gitlab/targets';
export type { TenantBoundGitlabActionId } from './gitlab/targets';
