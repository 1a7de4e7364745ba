/**
 * An ArgoCD API server stand-in for tests and `make dev`: the REST paths the portal's ArgoCD
 * backend calls, in the shapes of ArgoCD's swagger.json, seeded with the example products'
 * Applications.
 *
 * @packageDocumentation
 */
export {
  ArgoCdTestServer,
  DEFAULT_ARGOCD_TEST_TOKEN,
  startArgoCdTestServer,
} from './ArgoCdTestServer';
export type {
  ArgoApplication,
  ArgoCdTestServerOptions,
  ArgoEvent,
  ArgoManagedResource,
  ArgoOperationState,
  ArgoRequest,
  ArgoResourceStatus,
  ArgoRevisionHistory,
  ArgoTokenGrant,
} from './ArgoCdTestServer';
export {
  exampleProductsDir,
  PRODUCT_LABEL,
  TENANT_LABEL,
  productsFromExamples,
  seedExampleApplications,
  seedRevision,
} from './seed';
export type { SeedProduct, SeedScenario, SeededApplication } from './seed';
