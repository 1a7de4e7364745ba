import {
  BackstageCredentials,
  BackstageServicePrincipal,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

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
 * The API token resolver of an Akili backend plugin. Until API tokens are wired, the default
 * resolves nothing, so a service principal is never taken for a tenant's token.
 *
 * @public
 */
export const akiliApiTokenResolverServiceRef =
  createServiceRef<AkiliApiTokenResolver>({
    id: 'akili.apiTokens.resolver',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        factory: () => ({ resolve: async () => undefined }),
      }),
  });
