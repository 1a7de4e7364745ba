/** One column of a result: its name and the type the server reported. */
export interface ColumnInfo {
  name: string;
  /**
   * The MySQL-protocol type name from the column definition (`LONGLONG`, `NEWDECIMAL`,
   * `VAR_STRING`, `DATETIME`, `BLOB`, `JSON`, ...). StarRocks reports ARRAY/MAP/STRUCT/JSON as
   * strings.
   */
  type: string;
}

/**
 * A value of a row: numbers that fit a double as numbers; BIGINT, LARGEINT and DECIMAL as
 * strings (exact); dates and times as strings; binary values as base64 strings; NULL as null.
 */
export type CellValue = string | number | null;

/** What a query produced, reported after the last row. */
export interface QuerySummary {
  /** Rows delivered to the sink. */
  rowCount: number;
  /**
   * UTF-8 bytes of the rows as the answer carries them (the NDJSON or CSV row lines, the JSON
   * `rows` array): set by the sink in `end`, 0 before.
   */
  bytes: number;
  /** Whether the result had more rows than the cap and was cut. */
  truncated: boolean;
  /** Milliseconds from start to the last row. */
  durationMs: number;
  /** How often the stream from the server was paused because the sink was full. */
  pauses: number;
}

/**
 * Where the rows of a query go, in order: `columns` once, then `row` per row, then `end`.
 * `row` returns false when the sink is full: the runner pauses the server's stream until the
 * sink calls back through `onDrain`.
 */
export interface ResultSink {
  columns(columns: ColumnInfo[]): void;
  row(values: CellValue[]): boolean;
  /** Calls `callback` once when the sink can take rows again. */
  onDrain(callback: () => void): void;
  /** The result is complete: sets `summary.bytes`, resolves when everything is written. */
  end(summary: QuerySummary): Promise<void>;
}
