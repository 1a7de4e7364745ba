import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RunListResponse, RunSummary } from '@akili/plugin-dagster-common';
import { RUN_LIST_REFRESH_MS, RUN_PAGE_SIZE, isInFlight } from '../lib/runs';
import { usePolling } from './usePolling';

/** Most runs read again at once when refreshing a list that grew with "Load more". */
const MAX_REFRESH_LIMIT = 200;

type State<R> = {
  items: RunSummary[];
  nextCursor?: string;
  /** The last answer for the first page (the product's launch target comes with it). */
  head?: R;
  /** The first page is loading. */
  loading: boolean;
  /** A further page is loading. */
  loadingMore: boolean;
  /** The first page failed: nothing to show. */
  error?: unknown;
  /** A further page or a refresh failed: the runs already shown stay. */
  laterError?: unknown;
};

/**
 * A run list read one page at a time, newest first, that keeps itself current: while any run
 * shown is in flight it is read again every few seconds (as many runs as are shown, so statuses
 * of older pages update too) and stops once all have finished. A new `loadPage` (other filters)
 * starts over. `pages` is how many pages the first load reads at once (a list reopened from a URL
 * that had "Load more" clicked shows as many runs again).
 */
export function useRunList<R extends RunListResponse>(
  loadPage: (page: { cursor?: string; limit: number }) => Promise<R>,
  options: { refreshMs?: number; pages?: number } = {},
) {
  const [state, setState] = useState<State<R>>({
    items: [],
    loading: true,
    loadingMore: false,
  });
  // Answers of an earlier load (other filters, or before a reload) are dropped.
  const generation = useRef(0);
  const stateRef = useRef(state);
  stateRef.current = state;
  // Read when a load starts, not a reason to load again.
  const pagesRef = useRef(options.pages);
  pagesRef.current = options.pages;

  const reload = useCallback(() => {
    const current = ++generation.current;
    setState(s => ({
      ...s,
      loading: true,
      loadingMore: false,
      error: undefined,
      laterError: undefined,
    }));
    const pages = Math.max(1, Math.floor(pagesRef.current ?? 1));
    loadPage({
      limit: Math.min(MAX_REFRESH_LIMIT, pages * RUN_PAGE_SIZE),
    }).then(
      page => {
        if (current === generation.current) {
          setState({
            items: page.items,
            nextCursor: page.nextCursor,
            head: page,
            loading: false,
            loadingMore: false,
          });
        }
      },
      error => {
        if (current === generation.current) {
          setState({ items: [], loading: false, loadingMore: false, error });
        }
      },
    );
  }, [loadPage]);

  const loadMore = useCallback(() => {
    const { nextCursor: cursor, loadingMore } = stateRef.current;
    if (!cursor || loadingMore) {
      return;
    }
    const current = generation.current;
    setState(s => ({ ...s, loadingMore: true, laterError: undefined }));
    loadPage({ cursor, limit: RUN_PAGE_SIZE }).then(
      page => {
        if (current === generation.current) {
          setState(s => {
            const known = new Set(s.items.map(r => r.runId));
            return {
              ...s,
              items: [
                ...s.items,
                ...page.items.filter(r => !known.has(r.runId)),
              ],
              nextCursor: page.nextCursor,
              loadingMore: false,
            };
          });
        }
      },
      laterError => {
        if (current === generation.current) {
          setState(s => ({ ...s, loadingMore: false, laterError }));
        }
      },
    );
  }, [loadPage]);

  /** Reads the runs shown again, without a loading state. */
  const refresh = useCallback(async () => {
    const current = generation.current;
    const limit = Math.min(
      MAX_REFRESH_LIMIT,
      Math.max(RUN_PAGE_SIZE, stateRef.current.items.length),
    );
    try {
      const page = await loadPage({ limit });
      if (current === generation.current) {
        setState(s => ({
          ...s,
          items: page.items,
          nextCursor: page.nextCursor,
          head: page,
          laterError: undefined,
        }));
      }
    } catch (laterError) {
      if (current === generation.current) {
        setState(s => ({ ...s, laterError }));
      }
    }
  }, [loadPage]);

  /** Shows a run just launched at the top, before the next refresh brings it. */
  const prepend = useCallback((run: RunSummary) => {
    setState(s => ({
      ...s,
      items: [run, ...s.items.filter(r => r.runId !== run.runId)],
    }));
  }, []);

  useEffect(() => {
    reload();
    const counter = generation;
    return () => {
      counter.current++;
    };
  }, [reload]);

  const inFlight = useMemo(
    () => state.items.some(run => isInFlight(run.status)),
    [state.items],
  );
  usePolling(
    refresh,
    options.refreshMs ?? RUN_LIST_REFRESH_MS,
    inFlight && !state.loading,
  );

  return { ...state, inFlight, reload, loadMore, refresh, prepend };
}
