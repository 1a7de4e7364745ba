import { createHash } from 'node:crypto';

/** The catalog namespace of the user entity refs of people signing in. */
const USER_NAMESPACE = 'default';
/** Prefix of a user entity name derived from a subject. */
const SUBJECT_NAME_PREFIX = 'u-';
/** Hex characters of the subject's SHA-256 kept in the name (160 bits). */
const SUBJECT_HASH_LENGTH = 40;
/** A subject longer than this is not an identifier an identity provider would send. */
const MAX_SUBJECT_LENGTH = 255;

/**
 * The user entity ref of a person, derived from the identity provider's stable subject (the
 * OIDC `sub`): `user:default/u-<first 40 hex characters of sha256(sub)>`.
 *
 * @remarks
 *
 * The subject is what the identity provider guarantees to be unique and never reassigned; a
 * username is neither (two people's names can sanitize to the same entity name, and a rename
 * would change who the ref is). Authentik's default subject mode is a 64-hex hashed user id,
 * one character more than an entity name may have, and other modes send usernames or emails,
 * so every subject is hashed the same way: the ref is always a valid entity name (45
 * characters), never depends on the subject's format, and no subject can be chosen to equal
 * another's ref.
 *
 * @returns the ref, or undefined when `sub` is not a non-empty string of at most 255 characters
 * @public
 */
export function userEntityRefFromSubject(sub: unknown): string | undefined {
  if (
    typeof sub !== 'string' ||
    sub.trim() === '' ||
    sub.length > MAX_SUBJECT_LENGTH
  ) {
    return undefined;
  }
  const hash = createHash('sha256').update(sub, 'utf8').digest('hex');
  return `user:${USER_NAMESPACE}/${SUBJECT_NAME_PREFIX}${hash.slice(
    0,
    SUBJECT_HASH_LENGTH,
  )}`;
}

const MAX_DISPLAY_NAME_LENGTH = 200;

/**
 * The name people see for a user: the `name` claim (Authentik sends the full name), else
 * `preferred_username`, trimmed, control characters removed, at most 200 characters. Display
 * only: it never decides who someone is or what they may do.
 *
 * @public
 */
export function displayNameFromClaims(claims: {
  name?: unknown;
  preferred_username?: unknown;
}): string | undefined {
  for (const value of [claims.name, claims.preferred_username]) {
    if (typeof value === 'string') {
      // eslint-disable-next-line no-control-regex
      const clean = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
      if (clean) {
        return clean.slice(0, MAX_DISPLAY_NAME_LENGTH);
      }
    }
  }
  return undefined;
}
