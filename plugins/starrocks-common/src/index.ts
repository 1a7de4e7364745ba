/**
 * Shared by the Akili query plugins (`@akili/plugin-starrocks-backend` and its frontend): the
 * read-only SQL guard of the StarRocks query API, its permissions and API types.
 *
 * @packageDocumentation
 */
export {
  guardQuery,
  MAX_STATEMENT_LENGTH,
  SYSTEM_SCHEMAS,
} from './guard/guard';
export type {
  GuardAccepted,
  GuardRefused,
  GuardResult,
  QueryGuardPolicy,
  ReadableTable,
  ResolvedTableRef,
} from './guard/guard';
export type { SqlPosition } from './guard/errors';
export type { StatementKind } from './guard/parse';
export * from './permissions';
export type * from './api';
