import { ServiceUnavailableError } from '@backstage/errors';

/** Socket errors of a database that cannot be reached (refused, reset, unreachable, unresolved). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * SQLSTATEs of a server that is going away or not taking work: admin_shutdown, crash_shutdown,
 * cannot_connect_now (starting up, shutting down, in recovery), too_many_connections; class 08
 * (connection exception) is matched by prefix.
 */
const SQLSTATES: Record<string, string> = {
  '57P01': 'the server was shut down',
  '57P02': 'the server crashed',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'too many connections',
};

/** Messages of node-postgres and knex for a connection lost or never obtained. */
const MESSAGES: Array<[RegExp, string]> = [
  [/Connection terminated/i, 'connection lost'],
  [/Connection ended unexpectedly/i, 'connection lost'],
  [/not queryable/i, 'connection lost'],
  [/Timeout acquiring a connection/i, 'no connection within the pool timeout'],
];

/**
 * Why `error` means the database cannot be reached or is not taking work (`ECONNREFUSED`,
 * `57P01 the server was shut down`, ...), or `undefined` when it is any other error (a
 * constraint, a bad query) that says nothing about the database being down.
 */
function unavailableReason(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') {
    return undefined;
  }
  const { code, message, name } = error as {
    code?: unknown;
    message?: unknown;
    name?: unknown;
  };
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code)) {
      return code;
    }
    if (SQLSTATES[code]) {
      return `${code} ${SQLSTATES[code]}`;
    }
    if (/^08[0-9A-Z]{3}$/.test(code)) {
      return `${code} connection exception`;
    }
  }
  if (name === 'KnexTimeoutError') {
    return 'no connection within the pool timeout';
  }
  if (typeof message === 'string') {
    for (const [pattern, reason] of MESSAGES) {
      if (pattern.test(message)) {
        return reason;
      }
    }
  }
  // AggregateError of a connect to several addresses (IPv4 and IPv6 of `localhost`).
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const reason = unavailableReason(inner);
      if (reason) {
        return reason;
      }
    }
  }
  return undefined;
}

/**
 * The error a request should fail with when `error` means the database is down: a
 * `ServiceUnavailableError` (HTTP 503) naming the database and why, without its address; any
 * other error is returned unchanged.
 *
 * @remarks
 *
 * `TenantScopedDatabase` applies it to every transaction, so a route of an Akili plugin answers
 * a clear 503 while PostgreSQL restarts instead of a 500 carrying a socket error (or Backstage's
 * filtered "internal error" for a `DatabaseError` such as `57P01`). Use it for queries made
 * outside `TenantScopedDatabase`: `.catch(error => { throw toDatabaseUnavailableError(error) })`.
 *
 * @public
 */
export function toDatabaseUnavailableError(error: unknown): unknown {
  if (error instanceof ServiceUnavailableError) {
    return error;
  }
  const reason = unavailableReason(error);
  return reason
    ? new ServiceUnavailableError(
        `The database (PostgreSQL) is unavailable (${reason}); try again shortly`,
      )
    : error;
}
