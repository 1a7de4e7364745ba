import { Request } from 'express';

const MAX_DISPLAY_NAME_LENGTH = 200;

/**
 * The name people see for the user whose Backstage token authenticated `req`: the token's `name`
 * claim (the Akili sign-in puts Authentik's full name or username there). Call it only after the
 * request was authenticated as a user from its `Authorization` header; display only, it never
 * decides anything. `undefined` when the request carries no bearer token with a name.
 */
export function displayNameFromRequest(req: Request): string | undefined {
  const header = req.headers.authorization;
  const token =
    typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : '';
  const payload = token?.split('.')[1];
  if (!payload) {
    return undefined;
  }
  let name: unknown;
  try {
    name = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))?.name;
  } catch {
    return undefined;
  }
  if (typeof name !== 'string') {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean ? clean.slice(0, MAX_DISPLAY_NAME_LENGTH) : undefined;
}
