import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  QueryCellValue,
  QueryResultColumn,
} from '@akili/plugin-starrocks-common';
import { starrocksQueryApiRef, QueryStreamSummary } from '../api';

/** Where a run is. */
export type QueryRunStatus =
  | 'idle'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

/** The state of the current run: its columns, rows so far and how it ended. */
export interface QueryRunState {
  status: QueryRunStatus;
  /** The statement and tenant of the run. */
  sql?: string;
  tenant?: string;
  columns: QueryResultColumn[];
  /** The rows received so far (the same array grows while the run streams). */
  rows: QueryCellValue[][];
  rowCount: number;
  bytesReceived: number;
  startedAt?: number;
  summary?: QueryStreamSummary;
  error?: unknown;
}

const IDLE: QueryRunState = {
  status: 'idle',
  columns: [],
  rows: [],
  rowCount: 0,
  bytesReceived: 0,
};

/**
 * Runs statements through the query API and streams their rows into the state, batch by batch;
 * `cancel` aborts the request (the server kills the query). A new run cancels the one before.
 */
export function useQueryRun(
  options: {
    onFinished?(state: QueryRunState): void;
  } = {},
) {
  const api = useApi(starrocksQueryApiRef);
  const [state, setState] = useState<QueryRunState>(IDLE);
  const controller = useRef<AbortController>();
  const onFinished = useRef(options.onFinished);
  onFinished.current = options.onFinished;

  useEffect(() => () => controller.current?.abort(), []);

  const run = useCallback(
    async (tenant: string, sql: string, limit?: number) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      const rows: QueryCellValue[][] = [];
      const startedAt = Date.now();
      let next: QueryRunState = {
        ...IDLE,
        status: 'running',
        sql,
        tenant,
        rows,
        startedAt,
      };
      setState(next);
      const update = (patch: Partial<QueryRunState>) => {
        if (controller.current !== current) return;
        next = { ...next, ...patch };
        setState(next);
      };
      try {
        const summary = await api.streamQuery(
          tenant,
          { sql, limit },
          {
            signal: current.signal,
            onColumns: columns => update({ columns }),
            onRows: (batch, bytesReceived) => {
              for (const row of batch) rows.push(row);
              update({ rowCount: rows.length, bytesReceived });
            },
          },
        );
        update({ status: 'succeeded', summary, rowCount: rows.length });
      } catch (error) {
        const cancelled = (error as Error)?.name === 'AbortError';
        update({
          status: cancelled ? 'cancelled' : 'failed',
          error: cancelled ? undefined : error,
        });
      }
      if (controller.current === current) {
        onFinished.current?.(next);
      }
    },
    [api],
  );

  const cancel = useCallback(() => {
    const current = controller.current;
    if (!current) return;
    current.abort();
  }, []);

  const reset = useCallback(() => {
    controller.current?.abort();
    controller.current = undefined;
    setState(IDLE);
  }, []);

  return { state, run, cancel, reset };
}
