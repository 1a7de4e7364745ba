export { argocdApiRef } from './ArgocdApi';
export type { ArgocdApi } from './ArgocdApi';
export { ArgocdClient } from './ArgocdClient';
