export { createDeploymentsRouter } from './router';
export { DeploymentStore, DEPLOYMENTS_TABLE } from './DeploymentStore';
export type { NewDeployment } from './DeploymentStore';
export { DeploymentTracker } from './DeploymentTracker';
export type { FollowSchedule, FollowedDeployment } from './DeploymentTracker';
export {
  GitlabPipelines,
  readGitlabDeployConfig,
  deploymentStatusOf,
} from './GitlabPipelines';
export type { GitlabDeployConfig } from './GitlabPipelines';
