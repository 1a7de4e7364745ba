/*
 * Every plugin and module the portal backend loads, in one list: the backend (index.ts) adds
 * them, and the security sweeps start the same list, so a plugin added here is swept too.
 */

/**
 * The portal backend's features, as lazy imports (each plugin or module package's default
 * export). Add a new plugin or module here, never directly in index.ts.
 */
export function portalBackendFeatures() {
  return [
    import('@backstage/plugin-app-backend'),
    import('@backstage/plugin-proxy-backend'),

    // Sign-in: guest locally, Authentik (OIDC) in production. The Akili module registers
    // providers `oidc` and `guest` (it replaces both stock modules): users are their OIDC subject,
    // tenant roles come from Authentik's groups or the guest's configured ones
    // (`akili.signIn.guest`), never from the catalog.
    import('@backstage/plugin-auth-backend'),
    import('@akili/plugin-auth-backend-module-akili-provider'),
    // Akili API tokens (the CLI, GitLab CI): one tenant, named permissions, issued and revoked on
    // the Tenants page. Every plugin's auth service verifies them (`akili` in
    // backend.auth.externalAccess, whose accessRestrictions admit the Akili plugins only); the
    // Akili plugins ask the control plane for each token's grant.
    import('@akili/plugin-akili-node/apiTokenHandler'),
    // Backstage's scheduler, its task routes (/api/<plugin>/.backstage/scheduler) for platform
    // admins and backend plugins only: stock, any signed-in user could trigger any plugin's tasks.
    import('@akili/plugin-akili-node/scheduler'),

    // Catalog, with GitLab discovery available for production.
    import('@backstage/plugin-catalog-backend'),
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
    import('@backstage/plugin-catalog-backend-module-logs'),
    // Akili data products: the DataProduct kind and the manifest providers.
    import('@akili/plugin-catalog-backend-module-akili'),
    // Placeholders ($text, $json, $yaml) and Location targets read only inside the entity's
    // tenant, and on a user's behalf only from the user's tenants.
    import('@akili/plugin-catalog-backend-module-akili-guard'),

    // The Akili control plane (manifest validation, registry, deployment).
    import('@akili/plugin-akili-backend'),
    // Tenant-scoped Dagster runs (`dagster.baseUrl`; without it the routes say "not configured").
    import('@akili/plugin-dagster-backend'),
    // Quality of data products: check results, scores, freshness, trends, dashboards, incidents.
    import('@akili/plugin-quality-backend'),
    // A product's ArgoCD Application (sync, health, drift, history) and syncs by its tenant's
    // operators (`argocd.baseUrl`; without it the routes answer not-configured).
    import('@akili/plugin-argocd-backend'),
    // Platform health for operators: every dependency checked every 30 s, 24 h of history. Its
    // root health service replaces Backstage's: readiness is 503 while PostgreSQL does not
    // answer, and ignores what the portal can degrade around.
    import('@akili/plugin-platform-health-backend'),
    import('@akili/plugin-platform-health-backend/rootHealth'),
    // Tenant-scoped read-only SQL over StarRocks (`starrocks.tenants`; without a tenant's entry its
    // queries say "not configured").
    import('@akili/plugin-starrocks-backend'),
    // The lake: files of products' `files` ports on S3 (Ceph RGW) with masked previews and audited
    // presigned downloads, storage per tenant, and access agreements between tenants (`lake.s3`;
    // without it the file routes answer not-configured, agreements still work).
    import('@akili/plugin-lake-backend'),

    // Scaffolder: data products are created as GitLab projects. The Akili module registers the
    // official GitLab actions itself (so not @backstage/plugin-scaffolder-backend-module-gitlab
    // as well), each checked against the task's tenant, and keeps tasks and reads in the tenant.
    import('@backstage/plugin-scaffolder-backend'),
    import('@akili/plugin-scaffolder-backend-module-akili'),
    import('@backstage/plugin-scaffolder-backend-module-notifications'),

    // Permissions: the Akili tenant policy (tenant namespaces only for their members, Akili
    // permissions by role).
    import('@backstage/plugin-permission-backend'),
    import('@akili/plugin-permission-backend-module-akili-policy'),

    // Search: in-memory engine locally, PostgreSQL in production (the pg module detects the
    // client).
    import('@backstage/plugin-search-backend'),
    import('@backstage/plugin-search-backend-module-pg'),
    import('@backstage/plugin-search-backend-module-catalog'),
    // Data products are found by their ports and columns too.
    import('@akili/plugin-search-backend-module-akili'),
    // TechDocs pages in search, for their entity's readers only (catalog.entity.read on each
    // document's entity; src/search/techdocsSearch.test.ts).
    import('@backstage/plugin-search-backend-module-techdocs'),

    // Events: in-process; Akili's domain events are bridged in by the control plane.
    import('@backstage/plugin-events-backend'),
    // GitLab webhooks (push events for the data product providers): accepted at
    // /api/events/http/gitlab only with events.modules.gitlab.webhookSecret (X-Gitlab-Token).
    import('@backstage/plugin-events-backend-module-gitlab'),

    import('@backstage/plugin-kubernetes-backend'),
    // Workloads of an entity only for its tenant's members, from the tenant's namespaces.
    import('@akili/plugin-kubernetes-backend-module-akili'),
    import('@backstage/plugin-user-settings-backend'),
    import('@backstage/plugin-notifications-backend'),
    import('@backstage/plugin-signals-backend'),
    import('@backstage/plugin-mcp-actions-backend'),

    // TechDocs: the platform's guide (docs/, mkdocs.yml of the repository) and each product's
    // docs, built on demand with the local MkDocs (techdocs.generator.runIn: local) and published
    // to the local disk. An entity's docs are read only by who may read the entity: every route
    // loads it from the catalog with the caller's credentials (with permission.enabled, the
    // static files too), so another tenant's docs answer 404 like missing ones.
    import('@backstage/plugin-techdocs-backend'),
  ];
}
