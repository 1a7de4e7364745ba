export { argocdApiRef } from './ArgocdApi';
export type { ArgocdApi, PodLogs, PodLogsRequest } from './ArgocdApi';
export { ArgocdClient } from './ArgocdClient';
