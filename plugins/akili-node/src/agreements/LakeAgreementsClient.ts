import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  AccessAgreement,
  AccessAgreementList,
  isAgreementInForce,
} from '@akili/plugin-lake-common';

/**
 * Default and longest time the in-force agreements of a consumer tenant are kept, in ms.
 *
 * @public
 */
export const DEFAULT_AGREEMENTS_CACHE_MS = 30_000;

/**
 * Default time the lake backend has to answer (body included), in ms.
 *
 * @public
 */
export const DEFAULT_AGREEMENTS_TIMEOUT_MS = 3_000;

/**
 * Where a plugin learns which access agreements between tenants are in force: the query API
 * and the grants of the query plugin, the manifest checks of the control plane.
 *
 * @public
 */
export interface LakeAgreementsSource {
  /**
   * The agreements in force now whose consumer is `tenant` (cached at most 30 s, checked
   * against the clock on every call so an expiry applies at once). Throws a
   * `ServiceUnavailableError` naming the lake backend when it cannot be read.
   */
  inForce(tenant: string): Promise<AccessAgreement[]>;
  /** Forgets what is cached for `tenant` (all tenants when left out): an agreement changed. */
  invalidate(tenant?: string): void;
}

interface Entry {
  at: number;
  items: Promise<AccessAgreement[]>;
}

/**
 * Reads `GET /api/lake/v1/agreements/in-force?consumer=<tenant>` of the lake backend with the
 * calling plugin's own service token, within a short timeout that covers the body, and keeps
 * each tenant's answer for at most `cacheMs` (failures are not kept). Fails closed: a lake
 * backend that is down, slow or answers nonsense is a `ServiceUnavailableError` naming it.
 * Only agreements whose consumer is the asked tenant are returned, whatever the answer holds.
 *
 * @public
 */
export class LakeAgreementsClient implements LakeAgreementsSource {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;
  readonly #logger?: LoggerService;
  readonly #timeoutMs: number;
  readonly #cacheMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, Entry>();

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    logger?: LoggerService;
    /** How long the lake backend has to answer; {@link DEFAULT_AGREEMENTS_TIMEOUT_MS} by default. */
    timeoutMs?: number;
    /** At most {@link DEFAULT_AGREEMENTS_CACHE_MS}; 0 asks every time. */
    cacheMs?: number;
    /** The clock, for tests. */
    now?: () => number;
  }) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_AGREEMENTS_TIMEOUT_MS;
    this.#cacheMs = Math.min(
      options.cacheMs ?? DEFAULT_AGREEMENTS_CACHE_MS,
      DEFAULT_AGREEMENTS_CACHE_MS,
    );
    this.#now = options.now ?? Date.now;
  }

  async inForce(tenant: string): Promise<AccessAgreement[]> {
    const now = this.#now();
    let entry = this.#cache.get(tenant);
    if (!entry || now - entry.at >= this.#cacheMs) {
      const items = this.#fetch(tenant);
      entry = { at: now, items };
      this.#cache.set(tenant, entry);
      const cached = entry;
      items.catch(() => {
        if (this.#cache.get(tenant) === cached) this.#cache.delete(tenant);
      });
    }
    const items = await entry.items;
    const at = new Date(this.#now());
    return items.filter(a => isAgreementInForce(a, at));
  }

  invalidate(tenant?: string): void {
    if (tenant === undefined) this.#cache.clear();
    else this.#cache.delete(tenant);
  }

  async #fetch(tenant: string): Promise<AccessAgreement[]> {
    let response: Response;
    let body: AccessAgreementList;
    try {
      const baseUrl = await this.#discovery.getBaseUrl('lake');
      const { token } = await this.#auth.getPluginRequestToken({
        onBehalfOf: await this.#auth.getOwnServiceCredentials(),
        targetPluginId: 'lake',
      });
      response = await fetch(
        `${baseUrl}/v1/agreements/in-force?consumer=${encodeURIComponent(
          tenant,
        )}`,
        {
          headers: { Authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(this.#timeoutMs),
        },
      );
      if (!response.ok) {
        throw new Error(`HTTP ${response.status} ${response.statusText}`);
      }
      // The timeout covers the body too.
      body = (await response.json()) as AccessAgreementList;
      if (!Array.isArray(body?.items)) {
        throw new Error('the answer has no items');
      }
    } catch (error) {
      this.#logger?.warn('Access agreements could not be read', {
        tenant,
        error: String(error),
      });
      throw new ServiceUnavailableError(
        `The lake backend's access agreements (GET /api/lake/v1/agreements/in-force) could not be read: ${
          (error as Error)?.message ?? error
        }`,
      );
    }
    // Defence in depth: only agreements of this consumer, whatever the answer holds.
    return body.items.filter(a => a?.consumer?.tenant === tenant);
  }
}

/**
 * The first agreement of `agreements` that lets its consumer read `product`
 * (`dataproduct:<tenant>/<name>`) through `port`; with no port, any port of the product.
 * Pass agreements in force (see {@link LakeAgreementsSource.inForce}).
 *
 * @public
 */
export function findAgreementFor(
  agreements: readonly AccessAgreement[],
  wanted: { product: string; port?: string },
): AccessAgreement | undefined {
  const product = wanted.product.toLocaleLowerCase('en-US');
  return agreements.find(
    a =>
      a.provider.product.toLocaleLowerCase('en-US') === product &&
      (wanted.port === undefined || a.provider.port === wanted.port),
  );
}
