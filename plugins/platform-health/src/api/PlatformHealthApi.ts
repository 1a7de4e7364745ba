import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  PlatformDependenciesResponse,
  PlatformDependencyHistoryResponse,
  PlatformDependencyId,
} from '@akili/plugin-platform-health-common';

/**
 * The platform health backend's API (`/api/platform-health/v1`), as the portal uses it.
 *
 * @public
 */
export interface PlatformHealthApi {
  /** The current state of every platform dependency. */
  getDependencies(): Promise<PlatformDependenciesResponse>;
  /** The checks of one dependency in the last `hours` (1 to 24), oldest first. */
  getHistory(
    id: PlatformDependencyId,
    hours?: number,
  ): Promise<PlatformDependencyHistoryResponse>;
}

/**
 * The {@link PlatformHealthApi}.
 *
 * @public
 */
export const platformHealthApiRef = createApiRef<PlatformHealthApi>({
  id: 'plugin.platform-health.api',
});
