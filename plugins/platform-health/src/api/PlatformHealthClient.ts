import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { BackendRequester, queryString } from '@akili/plugin-akili-react';
import type {
  PlatformDependenciesResponse,
  PlatformDependencyHistoryResponse,
  PlatformDependencyId,
} from '@akili/plugin-platform-health-common';
import { PlatformHealthApi } from './PlatformHealthApi';

/**
 * {@link PlatformHealthApi} over HTTP with the user's credentials; failures are
 * `ResponseError`s (a 403 for callers who are neither operators nor platform admins).
 *
 * @public
 */
export class PlatformHealthClient implements PlatformHealthApi {
  readonly #backend: BackendRequester;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#backend = new BackendRequester(options);
  }

  getDependencies(): Promise<PlatformDependenciesResponse> {
    return this.#backend.request('platform-health', '/v1/dependencies');
  }

  getHistory(
    id: PlatformDependencyId,
    hours?: number,
  ): Promise<PlatformDependencyHistoryResponse> {
    return this.#backend.request(
      'platform-health',
      `/v1/dependencies/${encodeURIComponent(id)}/history${queryString({
        hours,
      })}`,
    );
  }
}
