/**
 * Test helpers of Akili backend plugins: the test databases, users with tenant roles, API
 * tokens, the tenant status and quotas, and the Kafka mock cluster.
 *
 * @packageDocumentation
 */
export { requireTestDatabaseIds } from './requireTestDatabaseIds';
export { userInfoFromDirectory } from './userInfoFromDirectory';
export { mockTenantStatus } from './tenantStatus';
export { mockTenantQuotas } from './tenantQuotas';
export { mockApiTokenHeader, mockApiTokenResolverFactory } from './apiTokens';
export { KAFKA_MOCK_CONSUMER_TIMINGS, startKafkaMock } from './kafkaMock';
export type { KafkaMock } from './kafkaMock';
export { authKeepingActor } from './authKeepingActor';
export { testSignInProviderModule } from './signInProvider';
export { defaultServicesForTestBackend } from './defaultServices';
export { testManifestYaml } from './manifests';
export { installTestMetrics } from './metrics';
export type { CollectedPoint, TestMetrics } from './metrics';
export {
  joinPath,
  mountPath,
  routerRoutes,
  routesAgainstSpec,
  specRoutes,
} from './openApiRoutes';
