/**
 * The Deployment tab of Akili data products: their ArgoCD Application (sync status, health,
 * resources and drift, sync history, a sync for the tenant's operators) and their Kubernetes
 * workloads through the official Kubernetes plugin.
 *
 * @packageDocumentation
 */
export { argocdPlugin as default } from './plugin';
export { argocdApiRef, ArgocdClient } from './api';
export type { ArgocdApi, PodLogs, PodLogsRequest } from './api';
