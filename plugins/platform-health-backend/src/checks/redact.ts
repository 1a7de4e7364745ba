/** What replaces a secret in a message. */
export const REDACTED = '***';

/** Query parameters whose values are credentials. */
const SECRET_QUERY_PARAMETER =
  /([?&;](?:access_token|private_token|token|password|passwd|pwd|secret|client_secret|api_key|apikey|key|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^&#\s"']*/gi;
/** `scheme://user:password@host`, `scheme://token@host`. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@"']+@/gi;
/** `Bearer x`, `Basic x` (authorization schemes) and `PRIVATE-TOKEN: x` (GitLab's header). */
const AUTH_HEADER_VALUE =
  /\b(bearer|basic|private-token:|x-api-key:)\s+(?!\*\*\*)[A-Za-z0-9._~+/=-]+/gi;

/**
 * Removes credentials from a message before it is stored or shown: userinfo in URLs, secret
 * query parameters, authorization header values, and every configured secret (token, password)
 * wherever it appears (errors from drivers may quote them).
 */
export function redactSecrets(
  message: string,
  secrets: ReadonlyArray<string | undefined> = [],
): string {
  let text = message;
  // Longest first, so a secret containing another is removed whole.
  const literal = secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= 3)
    .sort((a, b) => b.length - a.length);
  for (const secret of literal) {
    text = text.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) {
      text = text.split(encoded).join(REDACTED);
    }
  }
  return text
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(SECRET_QUERY_PARAMETER, `$1${REDACTED}`)
    .replace(AUTH_HEADER_VALUE, `$1 ${REDACTED}`);
}

/** A URL as it may be shown: no userinfo, no query, no fragment. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return redactSecrets(url);
  }
}
