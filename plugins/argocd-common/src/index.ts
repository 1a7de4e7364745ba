/**
 * Types shared by the Akili ArgoCD plugins (`@akili/plugin-argocd-backend` and the Deployment
 * tab of data product pages): the deployment of a data product as its ArgoCD Application, the
 * drift between Git and the cluster, syncs, and the permissions.
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './api';
