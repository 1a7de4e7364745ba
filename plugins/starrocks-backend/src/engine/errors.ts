import { CustomErrorBase } from '@backstage/errors';

/** The tenant already runs as many queries as its quota allows: 429. */
export class TooManyQueriesError extends CustomErrorBase {
  name = 'TooManyQueriesError';
  readonly statusCode = 429;
}

/** The 429 of a tenant that already runs `active` queries of its `limit`, on either engine. */
export function tooManyQueriesError(
  tenant: string,
  active: number,
  limit: number,
): TooManyQueriesError {
  return new TooManyQueriesError(
    `Tenant ${tenant} already runs ${active} queries, its quota maxConcurrentQueries is ${limit}: try again when one has finished`,
  );
}

/** The query ran longer than its timeout and was stopped: 504. */
export class QueryTimeoutError extends CustomErrorBase {
  name = 'QueryTimeoutError';
  readonly statusCode = 504;
}

/**
 * The query was cancelled, explicitly or because the client went away; it was killed on the
 * server. 499 (client closed request): usually nobody is left to receive it.
 */
export class QueryCancelledError extends CustomErrorBase {
  name = 'QueryCancelledError';
  readonly statusCode = 499;
}

/** The tenant has no `starrocks.tenants.<tenant>` entry: 503, named so an admin knows what to configure. */
export class TenantNotConfiguredError extends CustomErrorBase {
  name = 'StarrocksTenantNotConfiguredError';
  readonly statusCode = 503;
}
