import {
  BackstageCredentials,
  BackstageServicePrincipal,
  coreServices,
  createServiceFactory,
  createServiceRef,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { ApiTokenRegistryClient, CachedApiTokenResolver } from './resolver';

/**
 * The subject prefix of service principals that authenticated with an Akili API token:
 * `akili-token:<tokenId>`.
 *
 * @public
 */
export const AKILI_API_TOKEN_SUBJECT_PREFIX = 'akili-token:';

/**
 * What an active Akili API token may do: act in one tenant, with the named permissions.
 *
 * @public
 */
export interface AkiliApiTokenGrant {
  tokenId: string;
  tenant: string;
  /** Permission names, e.g. `akili.product.submit`. Nothing else is allowed. */
  permissions: readonly string[];
}

/**
 * Resolves the service principal of a verified Akili API token to its grant; `undefined` for
 * any other principal, and for tokens that are revoked, expired or unknown.
 *
 * @public
 */
export interface AkiliApiTokenResolver {
  resolve(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
  ): Promise<AkiliApiTokenGrant | undefined>;
}

/**
 * The API token resolver of an Akili backend plugin (used by `TenancyService`): it turns the
 * principal `akili-token:<id>` that the `akili` external token handler made of a verified token
 * into the token's current grant, asking the control plane (cached for at most 30 s). Any other
 * principal resolves to nothing, so a service principal is never taken for a tenant's token.
 *
 * @public
 */
export const akiliApiTokenResolverServiceRef =
  createServiceRef<AkiliApiTokenResolver>({
    id: 'akili.apiTokens.resolver',
    scope: 'plugin',
    defaultFactory: async () => createAkiliApiTokenResolverServiceFactory(),
  });

/**
 * A factory of {@link akiliApiTokenResolverServiceRef}: the control plane's token registry
 * (`POST /api/akili/v1/internal/api-tokens/status`) behind a cache of at most 30 s, so a
 * revocation takes effect on the next request after at most that long. The default factory is
 * this one with no options; tests register one with a clock.
 *
 * @public
 */
export function createAkiliApiTokenResolverServiceFactory(
  options: { cacheTtlMs?: number; now?: () => number } = {},
): ServiceFactory<AkiliApiTokenResolver, 'plugin', 'singleton'> {
  return createServiceFactory({
    service: akiliApiTokenResolverServiceRef,
    deps: { discovery: coreServices.discovery, auth: coreServices.auth },
    factory: ({ discovery, auth }) =>
      new CachedApiTokenResolver({
        registry: new ApiTokenRegistryClient({ discovery, auth }),
        ...options,
      }),
  });
}
