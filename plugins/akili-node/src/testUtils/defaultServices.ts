import { coreServices } from '@backstage/backend-plugin-api';
import { defaultServiceFactories } from '@backstage/backend-defaults';

/**
 * Services a test backend keeps its own of: configuration (the test's), the root HTTP router
 * and discovery (the test backend listens on a free port), and logging.
 */
const TEST_BACKEND_SERVICES = new Set([
  coreServices.rootConfig.id,
  coreServices.rootHttpRouter.id,
  coreServices.discovery.id,
  coreServices.rootLogger.id,
  coreServices.logger.id,
]);

/**
 * For `startTestBackend` runs on the real services: the service factories of
 * `@backstage/backend-defaults` (real auth, httpAuth, userInfo, permissions, database,
 * scheduler...) except those the test backend provides itself (configuration, the HTTP server on
 * a free port and its discovery, logging) and those named in `except` (service ids the test's
 * features replace).
 *
 * @public
 */
export function defaultServicesForTestBackend(
  options: { except?: ReadonlySet<string | undefined> } = {},
) {
  return defaultServiceFactories.filter(
    f =>
      !TEST_BACKEND_SERVICES.has(f.service.id) &&
      !options.except?.has(f.service.id),
  );
}
