import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  createExternalTokenHandler,
  ExternalTokenHandler,
  externalTokenHandlersServiceRef,
} from '@backstage/backend-defaults/auth';
import { readAkiliApiTokensConfig } from './config';
import { verifyAkiliApiToken } from './tokenFormat';
import { AKILI_API_TOKEN_SUBJECT_PREFIX } from './types';

/**
 * The `type` of the Akili API token handler in `backend.auth.externalAccess`.
 *
 * @public
 */
export const AKILI_API_TOKEN_HANDLER_TYPE = 'akili';

/**
 * The external token handler of Akili API tokens: it verifies a token's signature and expiry
 * locally (it cannot ask the control plane: the auth service it would need depends on it) and
 * makes it the service principal `akili-token:<id>`. What the token may do (its tenant and
 * permissions, whether it is revoked) is the resolver's business
 * (`akiliApiTokenResolverServiceRef`), asked by the authorization path of the Akili plugins.
 *
 * @remarks
 *
 * Configure it with `accessRestrictions` naming the Akili plugins only: Backstage's stock plugins
 * would otherwise accept the token as a service principal, and their permission checks allow
 * service principals without asking the policy.
 *
 * ```yaml
 * backend:
 *   auth:
 *     externalAccess:
 *       - type: akili
 *         options: {}
 *         accessRestrictions:
 *           - plugin: akili
 *           - plugin: dagster
 *           - plugin: starrocks
 *           - plugin: quality
 * ```
 *
 * @public
 */
export function createAkiliApiTokenHandler(options: {
  /** The current and previous secrets (`akili.apiTokens`); none: no token is accepted. */
  secrets: readonly string[] | undefined;
  /** The clock, for tests. */
  now?: () => Date;
}): ExternalTokenHandler<unknown> {
  const secrets = options.secrets ?? [];
  const now = options.now ?? (() => new Date());
  return createExternalTokenHandler<unknown>({
    type: AKILI_API_TOKEN_HANDLER_TYPE,
    initialize: () => undefined,
    async verifyToken(token) {
      if (secrets.length === 0) {
        return undefined;
      }
      const claims = verifyAkiliApiToken(secrets, token, now());
      return claims
        ? { subject: `${AKILI_API_TOKEN_SUBJECT_PREFIX}${claims.id}` }
        : undefined;
    },
  });
}

/**
 * Adds the Akili API token handler to every plugin's auth service (secrets from
 * `akili.apiTokens`). A token is only accepted where `backend.auth.externalAccess` has an entry
 * of type `akili`, and only by the plugins its `accessRestrictions` name.
 *
 * @public
 */
export const akiliApiTokenHandlerServiceFactory = createServiceFactory({
  service: externalTokenHandlersServiceRef,
  deps: { config: coreServices.rootConfig },
  factory: ({ config }) =>
    createAkiliApiTokenHandler({
      secrets: readAkiliApiTokensConfig(config)?.secrets,
    }),
});
