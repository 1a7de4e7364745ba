import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { AkiliTenantStatus } from './groups';

/** Where sign-in learns whether the tenants a user's groups name exist and are active. */
export interface TenantRegistry {
  statuses(tenants: string[]): Promise<Map<string, AkiliTenantStatus>>;
}

const REGISTRY_TIMEOUT_MS = 5_000;

/**
 * Asks the Akili control plane (`POST /api/akili/v1/internal/tenant-status`, service
 * credentials). Fails closed: a registry that is down or answers nonsense refuses the sign-in
 * with the reason, within {@link REGISTRY_TIMEOUT_MS}.
 */
export class TenantRegistryClient implements TenantRegistry {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
  }

  async statuses(tenants: string[]): Promise<Map<string, AkiliTenantStatus>> {
    const result = new Map<string, AkiliTenantStatus>();
    if (tenants.length === 0) {
      return result;
    }
    let body: unknown;
    try {
      const baseUrl = await this.#discovery.getBaseUrl('akili');
      const { token } = await this.#auth.getPluginRequestToken({
        onBehalfOf: await this.#auth.getOwnServiceCredentials(),
        targetPluginId: 'akili',
      });
      const response = await fetch(`${baseUrl}/v1/internal/tenant-status`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ tenants }),
        signal: AbortSignal.timeout(REGISTRY_TIMEOUT_MS),
      });
      if (!response.ok) {
        throw new Error(`it answered HTTP ${response.status}`);
      }
      body = await response.json();
    } catch (error) {
      throw new ServiceUnavailableError(
        `Sign-in refused: the Akili tenant registry could not be asked about tenants ${tenants.join(
          ', ',
        )}: ${describe(error)}`,
      );
    }
    const statuses = (body as { tenants?: Record<string, unknown> })?.tenants;
    if (!statuses || typeof statuses !== 'object') {
      throw new ServiceUnavailableError(
        'Sign-in refused: the Akili tenant registry answered without a tenants map',
      );
    }
    for (const tenant of tenants) {
      const status = (statuses[tenant] as { status?: unknown } | null)?.status;
      if (status === 'active' || status === 'suspended') {
        result.set(tenant, status);
      }
    }
    return result;
  }
}

function describe(error: unknown): string {
  // An aborted fetch throws a DOMException, not always an instance of this realm's Error.
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') {
    return `no answer within ${REGISTRY_TIMEOUT_MS / 1000} s`;
  }
  return error instanceof Error ? error.message : String(error);
}
