import { useCallback, useEffect, useRef, useState } from 'react';
import type { TenantAuditEntry } from '@akili/plugin-akili-common';
import type { AkiliTenantsApi } from '../../api';

/** Audit entries asked for per page. */
export const AUDIT_PAGE_SIZE = 50;

type AuditState = {
  entries: TenantAuditEntry[];
  nextCursor?: string;
  /** The first page is loading. */
  loading: boolean;
  /** A further page is loading. */
  loadingMore: boolean;
  error?: unknown;
};

/**
 * A tenant's audit trail, newest first, one page at a time: `loadMore` appends the page after
 * the last one, `reload` starts again from the newest entry (after an action changed it).
 */
export function useAuditTrail(api: AkiliTenantsApi, tenant: string) {
  const [state, setState] = useState<AuditState>({
    entries: [],
    loading: true,
    loadingMore: false,
  });
  // Answers of an earlier load (another tenant, or before a reload) are dropped.
  const generation = useRef(0);

  const reload = useCallback(() => {
    const current = ++generation.current;
    setState(s => ({
      ...s,
      loading: true,
      loadingMore: false,
      error: undefined,
    }));
    api.listAuditEntries(tenant, { limit: AUDIT_PAGE_SIZE }).then(
      page => {
        if (current === generation.current) {
          setState({
            entries: page.items,
            nextCursor: page.nextCursor,
            loading: false,
            loadingMore: false,
          });
        }
      },
      error => {
        if (current === generation.current) {
          setState({ entries: [], loading: false, loadingMore: false, error });
        }
      },
    );
  }, [api, tenant]);

  const loadMore = useCallback(() => {
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore) {
      return;
    }
    const current = generation.current;
    setState(s => ({ ...s, loadingMore: true, error: undefined }));
    api.listAuditEntries(tenant, { limit: AUDIT_PAGE_SIZE, cursor }).then(
      page => {
        if (current === generation.current) {
          setState(s => ({
            ...s,
            entries: [...s.entries, ...page.items],
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
  }, [api, tenant, state.nextCursor, state.loadingMore]);

  useEffect(() => {
    reload();
    const counter = generation;
    return () => {
      counter.current++;
    };
  }, [reload]);

  return { ...state, reload, loadMore };
}
