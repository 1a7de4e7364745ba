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
  TableReference,
} from './guard/guard';
export type { SqlPosition } from './guard/errors';
export { namesIn } from './guard/tokenize';
export {
  effectiveClassification,
  isMaskedClassification,
  maskStatement,
  MaskingPolicyError,
  unmaskedClassifications,
} from './masking/maskStatement';
export type {
  MaskableColumn,
  MaskableTable,
  MaskedStatement,
  MaskingPolicy,
} from './masking/maskStatement';
export {
  backtickQuoter,
  doubleQuoteQuoter,
  identifierQuoter,
} from './masking/identifiers';
export type { IdentifierQuoter } from './masking/identifiers';
export type { StatementKind } from './guard/parse';
export * from './permissions';
export type * from './api';
