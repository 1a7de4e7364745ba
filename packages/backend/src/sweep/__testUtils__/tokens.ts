import crypto from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { SWEEP_AUTH_PROVIDER, SweepUser } from './sweepBackend';

/** A real user token, issued by the running auth backend through the test-only provider. */
export async function issueUserToken(
  server: Server,
  user: SweepUser,
): Promise<string> {
  const res = await request(server).get(
    `/api/auth/${SWEEP_AUTH_PROVIDER}/refresh?user=${user}`,
  );
  if (res.status !== 200 || typeof res.body.token !== 'string') {
    throw new Error(
      `The auth backend did not issue a token for ${user}: ${res.status} ${res.text}`,
    );
  }
  return res.body.token;
}

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

function encodePart(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The claims of a JWT, unverified (for assertions about what was issued). */
export function readClaims(token: string): Record<string, unknown> {
  return decodePart(token.split('.')[1]);
}

/**
 * A valid user token whose payload was changed after signing: the user claims to be a
 * platform admin and a member of every tenant. The signature no longer matches.
 */
export function withTamperedPayload(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = decodePart(payload);
  const ent = Array.isArray(claims.ent) ? claims.ent : [];
  const tampered = encodePart({
    ...claims,
    ent: [
      ...ent,
      'group:akili/platform-admin',
      'group:akili/globex.operator',
      'group:akili/acme.operator',
    ],
  });
  return [header, tampered, signature].join('.');
}

/** A valid user token with its signature altered (first bytes flipped). */
export function withForgedSignature(token: string): string {
  const [header, payload, signature] = token.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  for (let i = 0; i < 8 && i < bytes.length; i++) bytes[i] ^= 0xff;
  return [header, payload, bytes.toString('base64url')].join('.');
}

/**
 * A well-formed RS256 JWT as an OpenID Provider (Authentik) would issue it for the portal's
 * client, with a wrong audience for the Backstage backend: an ID token must never be accepted
 * in place of a Backstage token.
 */
export function foreignOidcToken(sub: string): string {
  const { privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const now = Math.floor(Date.now() / 1000);
  const header = encodePart({ alg: 'RS256', typ: 'JWT', kid: 'authentik-1' });
  const payload = encodePart({
    iss: 'https://authentik.example/application/o/akili-portal/',
    aud: 'akili-portal',
    sub,
    iat: now,
    exp: now + 3600,
    groups: ['akili-acme-operator', 'akili-platform-admins'],
  });
  const signature = crypto
    .createSign('RSA-SHA256')
    .update(`${header}.${payload}`)
    .sign(privateKey)
    .toString('base64url');
  return `${header}.${payload}.${signature}`;
}
