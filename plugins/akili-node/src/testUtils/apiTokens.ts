import {
  BackstageCredentials,
  BackstageServicePrincipal,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AKILI_API_TOKEN_SUBJECT_PREFIX,
  AkiliApiTokenGrant,
  akiliApiTokenResolverServiceRef,
} from '../apiTokens/types';

/**
 * For tests: an API token resolver that knows the given grants. A token is presented as the
 * service principal `akili-token:<tokenId>`: send `mockApiTokenHeader(tokenId)`.
 *
 * @public
 */
export function mockApiTokenResolverFactory(
  grants: readonly AkiliApiTokenGrant[],
) {
  return createServiceFactory({
    service: akiliApiTokenResolverServiceRef,
    deps: {},
    factory: () => ({
      async resolve(
        credentials: BackstageCredentials<BackstageServicePrincipal>,
      ) {
        const { subject } = credentials.principal;
        if (!subject.startsWith(AKILI_API_TOKEN_SUBJECT_PREFIX)) {
          return undefined;
        }
        const tokenId = subject.slice(AKILI_API_TOKEN_SUBJECT_PREFIX.length);
        return grants.find(grant => grant.tokenId === tokenId);
      },
    }),
  });
}

/**
 * The `Authorization` header of a request made with the Akili API token `tokenId` (a service
 * principal `akili-token:<tokenId>` of the mock auth services).
 *
 * @public
 */
export function mockApiTokenHeader(tokenId: string): string {
  return mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(
      `${AKILI_API_TOKEN_SUBJECT_PREFIX}${tokenId}`,
    ),
    targetPluginId: undefined as unknown as string,
  });
}
