import { useCallback, useEffect, useRef, useState } from 'react';
import type { AkiliListResponse } from '@akili/plugin-akili-common';

type PagedState<T> = {
  items: T[];
  nextCursor?: string;
  /** The first page is loading. */
  loading: boolean;
  /** A further page is loading. */
  loadingMore: boolean;
  error?: unknown;
};

/**
 * A list read one page at a time, newest first: `loadMore` appends the page after the last one,
 * `reload` starts again from the first page (after an action changed the list). `loadPage` is
 * called with no cursor for the first page; a new `loadPage` (its inputs changed) reloads.
 */
export function usePagedList<T>(
  loadPage: (cursor?: string) => Promise<AkiliListResponse<T>>,
) {
  const [state, setState] = useState<PagedState<T>>({
    items: [],
    loading: true,
    loadingMore: false,
  });
  // Answers of an earlier load (other inputs, or before a reload) are dropped.
  const generation = useRef(0);

  const reload = useCallback(() => {
    const current = ++generation.current;
    setState(s => ({
      ...s,
      loading: true,
      loadingMore: false,
      error: undefined,
    }));
    loadPage().then(
      page => {
        if (current === generation.current) {
          setState({
            items: page.items,
            nextCursor: page.nextCursor,
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
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore) {
      return;
    }
    const current = generation.current;
    setState(s => ({ ...s, loadingMore: true, error: undefined }));
    loadPage(cursor).then(
      page => {
        if (current === generation.current) {
          setState(s => ({
            ...s,
            items: [...s.items, ...page.items],
            nextCursor: page.nextCursor,
            loadingMore: false,
          }));
        }
      },
      error => {
        if (current === generation.current) {
          setState(s => ({ ...s, loadingMore: false, error }));
        }
      },
    );
  }, [loadPage, state.nextCursor, state.loadingMore]);

  useEffect(() => {
    reload();
    const counter = generation;
    return () => {
      counter.current++;
    };
  }, [reload]);

  return { ...state, reload, loadMore };
}
