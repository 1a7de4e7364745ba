/**
 * The Akili API token handler as a backend feature, for `backend.add(...)`: the external token
 * handler `akili` in every plugin's auth service (see `akiliApiTokenHandlerServiceFactory`).
 *
 * @packageDocumentation
 */
export { akiliApiTokenHandlerServiceFactory as default } from './apiTokens/handler';
