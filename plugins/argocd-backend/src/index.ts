/**
 * The ArgoCD deployment of Akili data products, tenant-scoped.
 *
 * @packageDocumentation
 */
export { argocdPlugin as default } from './plugin';
export { ArgoCdClient, readArgoCdClientConfig } from './client/ArgoCdClient';
export type { ArgoCdClientConfig } from './client/ArgoCdClient';
