/**
 * The API token routes of the Akili control plane (`/api/akili/v1/tenants/:tenant/api-tokens`):
 * the shapes both the backend and the Tenants page use.
 *
 * An Akili API token lets a caller outside the portal (the CLI, GitLab CI) act in one tenant
 * with the named permissions, and nothing else. Operators of the tenant and platform admins
 * issue and revoke them; the portal stores only a hash of each token.
 */

/** @public */
export type AkiliApiTokenStatus = 'active' | 'expired' | 'revoked';

/** An API token as listed (never its secret). @public */
export interface AkiliApiToken {
  /** `<tenant>.<uuid>`; the token's principal is `akili-token:<id>`, its audit actor `token:<id>`. */
  id: string;
  tenant: string;
  name: string;
  /** Akili permission names, e.g. `akili.product.submit`; the token may do nothing else. */
  permissions: string[];
  status: AkiliApiTokenStatus;
  /** User entity ref of the operator or platform admin who issued it. */
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  /** When a plugin last checked the token for a request (at most every 30 s per plugin). */
  lastUsedAt?: string;
  revokedAt?: string;
  revokedBy?: string;
}

/** Body of `POST /v1/tenants/:tenant/api-tokens`. @public */
export interface CreateAkiliApiTokenRequest {
  /** What the token is for, e.g. `GitLab CI of orders`. */
  name: string;
  /** Akili permission names the issuer's role grants in the tenant. */
  permissions: string[];
  /** Days until the token expires, 1 to 365. */
  expiresInDays: number;
}

/**
 * Answer of `POST /v1/tenants/:tenant/api-tokens`: the token and its secret, which is shown this
 * once and cannot be read again.
 *
 * @public
 */
export interface CreatedAkiliApiToken {
  token: AkiliApiToken;
  /** Send as `Authorization: Bearer <secret>`. */
  secret: string;
}

/**
 * Answer of `GET /v1/tenants/:tenant/api-tokens`: the tenant's tokens, newest first, and the
 * permissions the caller may put in a new one.
 *
 * @public
 */
export interface AkiliApiTokenList {
  items: AkiliApiToken[];
  grantablePermissions: string[];
}

/** Longest lifetime of an API token, in days. @public */
export const MAX_AKILI_API_TOKEN_DAYS = 365;
