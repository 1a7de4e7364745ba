/**
 * A real OpenID Provider (`oidc-provider`) laid out like an Authentik application, for tests.
 *
 * @packageDocumentation
 */
export {
  authentikHashedUserId,
  startAuthentikTestProvider,
} from './AuthentikTestProvider';
export type {
  AuthentikTestClient,
  AuthentikTestProvider,
  AuthentikTestProviderOptions,
  AuthentikTestUser,
} from './AuthentikTestProvider';
