import {
  AuthService,
  BackstageCredentials,
  BackstageServicePrincipal,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { postToControlPlane } from '../internal/controlPlane';
import { TtlCache } from '../internal/TtlCache';
import { tenantOfAkiliApiTokenId } from './tokenFormat';
import type { AkiliApiTokenGrant, AkiliApiTokenResolver } from './types';

/** The subject prefix of API token principals (also in `./types`, which imports this file). */
const SUBJECT_PREFIX = 'akili-token:';

/**
 * An active token's grant as the control plane answers it, with its expiry.
 *
 * @public
 */
export interface AkiliApiTokenRecord extends AkiliApiTokenGrant {
  expiresAt: Date;
}

/**
 * Where the grants of API tokens are read: the control plane's token registry.
 *
 * @public
 */
export interface AkiliApiTokenRegistry {
  /** The grant of each named token that is active (not revoked, not expired); others are absent. */
  grants(ids: string[]): Promise<Map<string, AkiliApiTokenRecord>>;
}

/**
 * Asks the Akili control plane (`POST /api/akili/v1/internal/api-tokens/status`, with the
 * calling plugin's service credentials) for the grants of tokens. Fails closed: a registry that
 * is down or answers nonsense is a `ServiceUnavailableError` within 5 s, never a grant.
 *
 * @public
 */
export class ApiTokenRegistryClient implements AkiliApiTokenRegistry {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
  }

  async grants(ids: string[]): Promise<Map<string, AkiliApiTokenRecord>> {
    const result = new Map<string, AkiliApiTokenRecord>();
    if (ids.length === 0) {
      return result;
    }
    const body = await postToControlPlane(
      { discovery: this.#discovery, auth: this.#auth },
      '/v1/internal/api-tokens/status',
      { ids },
      'The Akili API token registry could not be asked',
    );
    const tokens = (body as { tokens?: Record<string, unknown> })?.tokens;
    if (!tokens || typeof tokens !== 'object') {
      throw new ServiceUnavailableError(
        'The Akili API token registry answered without a tokens map',
      );
    }
    for (const id of ids) {
      const entry = Object.prototype.hasOwnProperty.call(tokens, id)
        ? (tokens[id] as {
            tenant?: unknown;
            permissions?: unknown;
            expiresAt?: unknown;
          } | null)
        : null;
      const expiresAt =
        typeof entry?.expiresAt === 'string'
          ? new Date(entry.expiresAt)
          : undefined;
      if (
        entry &&
        entry.tenant === tenantOfAkiliApiTokenId(id) &&
        Array.isArray(entry.permissions) &&
        entry.permissions.every(p => typeof p === 'string') &&
        expiresAt &&
        !Number.isNaN(expiresAt.getTime())
      ) {
        result.set(id, {
          tokenId: id,
          tenant: entry.tenant as string,
          permissions: entry.permissions as string[],
          expiresAt,
        });
      }
    }
    return result;
  }
}

/**
 * How long a token's grant (or its absence) is remembered by default: a revocation takes effect
 * on the first request after at most this long.
 *
 * @public
 */
export const AKILI_API_TOKEN_CACHE_MS = 30_000;

/** Bounds the cache; forgetting it only costs a look-up. */
const MAX_CACHED_TOKENS = 10_000;

/**
 * Resolves the principals of verified API tokens (`akili-token:<id>`) to their grants through a
 * registry, remembering each answer (grant or none) for at most `cacheTtlMs` (30 s by default).
 * Concurrent look-ups of one token share one request; failures are not remembered and reach the
 * caller (the request is refused, never let through). A grant is never used past its expiry.
 *
 * @public
 */
export class CachedApiTokenResolver implements AkiliApiTokenResolver {
  readonly #registry: AkiliApiTokenRegistry;
  readonly #now: () => number;
  readonly #cache: TtlCache<AkiliApiTokenRecord | undefined>;

  constructor(options: {
    registry: AkiliApiTokenRegistry;
    /** At most {@link AKILI_API_TOKEN_CACHE_MS}; 0 asks the registry every time. */
    cacheTtlMs?: number;
    /** The clock (milliseconds), for tests. */
    now?: () => number;
  }) {
    this.#registry = options.registry;
    this.#now = options.now ?? Date.now;
    this.#cache = new TtlCache({
      ttlMs: Math.min(
        options.cacheTtlMs ?? AKILI_API_TOKEN_CACHE_MS,
        AKILI_API_TOKEN_CACHE_MS,
      ),
      maxEntries: MAX_CACHED_TOKENS,
      now: this.#now,
    });
  }

  async resolve(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
  ): Promise<AkiliApiTokenGrant | undefined> {
    const subject = credentials.principal?.subject;
    if (
      credentials.principal?.type !== 'service' ||
      typeof subject !== 'string' ||
      !subject.startsWith(SUBJECT_PREFIX)
    ) {
      return undefined;
    }
    const id = subject.slice(SUBJECT_PREFIX.length);
    if (tenantOfAkiliApiTokenId(id) === undefined) {
      return undefined;
    }
    const record = await this.#lookUp(id);
    if (!record || record.expiresAt.getTime() <= this.#now()) {
      return undefined;
    }
    return {
      tokenId: record.tokenId,
      tenant: record.tenant,
      permissions: [...record.permissions],
    };
  }

  /** Forgets what is cached (of one token, or of all), e.g. right after a revocation here. */
  invalidate(id?: string): void {
    this.#cache.invalidate(id);
  }

  #lookUp(id: string): Promise<AkiliApiTokenRecord | undefined> {
    return this.#cache.get(id, () =>
      this.#registry.grants([id]).then(grants => grants.get(id)),
    );
  }
}
