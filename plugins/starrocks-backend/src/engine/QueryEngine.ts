import type { QueryRequest } from './QueryRunner';
import type { QuerySummary, ResultSink } from './types';

/**
 * What runs a tenant's guarded statement and streams its rows: `QueryRunner` on
 * StarRocks (or another MySQL-protocol server), or the embedded DuckDB engine of `make dev`
 * (`EmbeddedQueryEngine`). Both honour the same request: the row cap (`truncated` when cut),
 * the timeout, cancellation through `signal`, the tenant's concurrency limit (429), and the
 * sink's backpressure; both report columns as `ColumnInfo` and values as
 * `CellValue`, and fail with the same error types.
 */
export interface QueryEngine {
  /** Runs the query; resolves with its summary after `sink.end` resolved. */
  run(request: QueryRequest, sink: ResultSink): Promise<QuerySummary>;
  /**
   * The tenant is about to query (its schema was just read): an engine that prepares something
   * per tenant starts on it now, in the background. Never fails.
   */
  warm?(tenant: string): void;
  /** Frees connections and databases; later runs fail with a 503. */
  close(): Promise<void>;
}
