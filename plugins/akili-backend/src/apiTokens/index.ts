export { createApiTokensRouter } from './router';
export type { ApiTokensRouterOptions } from './router';
export { ApiTokenStore, API_TOKENS_TABLE } from './ApiTokenStore';
export type { ApiTokenAudit, ApiTokenGrantRecord } from './ApiTokenStore';
export {
  API_TOKEN_PERMISSIONS,
  grantableApiTokenPermissions,
} from './permissions';
