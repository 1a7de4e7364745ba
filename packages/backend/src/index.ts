/*
 * The Akili Portal backend (Backstage new backend system).
 */
import { createBackend } from '@backstage/backend-defaults';
import { assertConfigEnvironment } from './preflight';

// Fail fast, naming the variable and the key, when production config refers to an unset
// environment variable (Backstage would otherwise drop the value and fail later, or not at all).
assertConfigEnvironment(process.argv, process.env);

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Sign-in: guest locally, Authentik (OIDC) in production. The Akili module registers provider
// `oidc` with a resolver that maps Authentik groups to tenant roles (it replaces the stock one).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@akili/plugin-auth-backend-module-akili-provider'));

// Catalog, with GitLab discovery available for production.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Akili data products: the DataProduct kind and the manifest providers.
backend.add(import('@akili/plugin-catalog-backend-module-akili'));

// The Akili control plane (manifest validation, registry, deployment).
backend.add(import('@akili/plugin-akili-backend'));
// Tenant-scoped Dagster runs (`dagster.baseUrl`; without it the routes say "not configured").
backend.add(import('@akili/plugin-dagster-backend'));

// Scaffolder: data products are created as GitLab projects.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-gitlab'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

// Permissions: the Akili tenant policy (tenant namespaces only for their members, Akili
// permissions by role).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@akili/plugin-permission-backend-module-akili-policy'));

// Search: in-memory engine locally, PostgreSQL in production (the pg module detects the client).
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// Data products are found by their ports and columns too.
backend.add(import('@akili/plugin-search-backend-module-akili'));

// Events: in-process locally; Redpanda through the Akili event bus later.
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
