import {
  createHash,
  createHmac,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { isValidTenantName } from '@akili/plugin-akili-common';

/**
 * How every Akili API token starts (also what secret scanners can look for).
 *
 * @public
 */
export const AKILI_API_TOKEN_PREFIX = 'akili_';

/** Binds the MAC to this use and format version. */
const MAC_CONTEXT = 'akili-api-token.v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** No real token comes near this; longer input is refused before any decoding. */
const MAX_TOKEN_LENGTH = 1024;

/**
 * What an Akili API token says about itself, once its MAC is verified.
 *
 * @public
 */
export interface AkiliApiTokenClaims {
  /** `<tenant>.<uuid>` (see {@link newAkiliApiTokenId}). */
  id: string;
  tenant: string;
  expiresAt: Date;
}

/**
 * A new token id: `<tenant>.<random uuid>`. The tenant is part of the id so that the control
 * plane finds a token inside its tenant's transaction (row-level security), never by reading
 * across tenants.
 *
 * @public
 */
export function newAkiliApiTokenId(tenant: string): string {
  if (!isValidTenantName(tenant)) {
    throw new Error(`Not a tenant name: ${JSON.stringify(tenant)}`);
  }
  return `${tenant}.${randomUUID()}`;
}

/**
 * The tenant named by a token id, or `undefined` when the id is not of the form
 * `<tenant>.<uuid>`.
 *
 * @public
 */
export function tenantOfAkiliApiTokenId(id: unknown): string | undefined {
  if (typeof id !== 'string') {
    return undefined;
  }
  const dot = id.lastIndexOf('.');
  const tenant = id.slice(0, dot);
  return dot > 0 && UUID.test(id.slice(dot + 1)) && isValidTenantName(tenant)
    ? tenant
    : undefined;
}

/**
 * The SHA-256 (hex) of a token: what the control plane stores instead of the token.
 *
 * @public
 */
export function hashAkiliApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret)
    .update(`${MAC_CONTEXT}.${payload}`)
    .digest();
}

/**
 * Signs a new token: `akili_<base64url payload>.<base64url HMAC-SHA256>`. The payload holds the
 * id, the expiry and a random nonce; the grant itself (tenant, permissions, revocation) stays in
 * the control plane, which is asked for it.
 *
 * @public
 */
export function signAkiliApiToken(
  secret: string,
  claims: { id: string; expiresAt: Date },
): string {
  if (tenantOfAkiliApiTokenId(claims.id) === undefined) {
    throw new Error(`Not an API token id: ${JSON.stringify(claims.id)}`);
  }
  const payload = Buffer.from(
    JSON.stringify({
      v: 1,
      id: claims.id,
      exp: Math.floor(claims.expiresAt.getTime() / 1000),
      n: randomBytes(16).toString('base64url'),
    }),
  ).toString('base64url');
  return `${AKILI_API_TOKEN_PREFIX}${payload}.${mac(secret, payload).toString(
    'base64url',
  )}`;
}

/**
 * Verifies a token against the current and previous secrets: its MAC, its form and its expiry.
 * Anything else (not an Akili token, a forged or altered one, an expired one) is `undefined`.
 * Revocation is not known here: that is the control plane's (see the resolver).
 *
 * @public
 */
export function verifyAkiliApiToken(
  secrets: readonly string[],
  token: string,
  now: Date = new Date(),
): AkiliApiTokenClaims | undefined {
  if (
    typeof token !== 'string' ||
    token.length > MAX_TOKEN_LENGTH ||
    !token.startsWith(AKILI_API_TOKEN_PREFIX)
  ) {
    return undefined;
  }
  const [payload, signature, ...rest] = token
    .slice(AKILI_API_TOKEN_PREFIX.length)
    .split('.');
  if (!payload || !signature || rest.length > 0) {
    return undefined;
  }
  const given = Buffer.from(signature, 'base64url');
  const valid = secrets.some(secret => {
    const expected = mac(secret, payload);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) {
    return undefined;
  }
  let claims: { v?: unknown; id?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const tenant = tenantOfAkiliApiTokenId(claims?.id);
  if (
    claims?.v !== 1 ||
    tenant === undefined ||
    typeof claims.exp !== 'number' ||
    !Number.isFinite(claims.exp)
  ) {
    return undefined;
  }
  const expiresAt = new Date(claims.exp * 1000);
  if (expiresAt.getTime() <= now.getTime()) {
    return undefined;
  }
  return { id: claims.id as string, tenant, expiresAt };
}
