import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * `?a=1&b=x` of the options that are set (not undefined, not empty), or nothing.
 *
 * @public
 */
export function queryString(
  options: Record<string, string | number | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && value !== '') {
      query.set(name, String(value));
    }
  }
  const search = query.toString();
  return search ? `?${search}` : '';
}

/**
 * Calls a backend plugin's JSON routes with the user's credentials (`fetchApi`): the base URL
 * from `discoveryApi`, a JSON body when given, and a `ResponseError` for any status that is not OK
 * (its `statusCode` and the server's error body tell a 403 or 404 from other failures).
 *
 * @public
 */
export class BackendRequester {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async request<T>(
    pluginId: string,
    path: string,
    options: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(pluginId);
    const init: RequestInit = { method: options.method ?? 'GET' };
    if (options.body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(options.body);
    }
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
