export interface Config {
  /** The ArgoCD that deploys Akili data products (`@akili/plugin-argocd-backend`). */
  argocd?: {
    /**
     * Base URL of ArgoCD's API server (REST at `<baseUrl>/api/v1`), e.g.
     * `https://argocd.example.com`. Also the base of the links to ArgoCD's UI. Without it the
     * deployment routes answer `not-configured`.
     */
    baseUrl?: string;
    /**
     * The bearer token of the portal's ArgoCD account (an `apiKey` account whose RBAC allows
     * `applications, get` and `applications, sync` in the tenants' projects).
     * @visibility secret
     */
    token?: string;
    /** How long ArgoCD has to answer one request, in ms (default 5000). */
    timeoutMs?: number;
  };
  akili?: {
    tenancy?: {
      argocd?: {
        /**
         * The ArgoCD project of a tenant, with `{tenant}` once (default `akili-{tenant}`). A
         * product's Application is shown only when it is in its tenant's project AND deploys to
         * the tenant's Kubernetes namespace (`akili.tenancy.kubernetes`).
         */
        projectPattern?: string;
      };
    };
  };
}
