export { DeploymentContent } from './DeploymentContent';
export type { DeploymentContentProps } from './DeploymentContent';
