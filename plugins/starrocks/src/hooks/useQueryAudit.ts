import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  QueryAuditEntry,
  QueryOutcome,
} from '@akili/plugin-starrocks-common';
import { starrocksQueryApiRef } from '../api';

/** Audit entries per page. */
export const AUDIT_PAGE_SIZE = 50;
/** The most entries the route answers at once. */
const MAX_LIMIT = 200;

/** The filters of the audit view, as the route takes them. */
export interface QueryAuditFilters {
  actor?: string;
  outcome?: QueryOutcome;
}

/** The pages of the audit trail read so far, newest first. */
export interface QueryAuditState {
  items: QueryAuditEntry[];
  /** Where the next older page starts; absent at the start of the trail. */
  nextCursor?: string;
  /** The first page is on its way. */
  loading: boolean;
  /** The first page could not be read. */
  error?: unknown;
  /** An older page is on its way. */
  loadingOlder: boolean;
  /** The last older page could not be read (the pages before it stay). */
  olderError?: unknown;
  loadOlder(): void;
  /** Reads the first page again. */
  reload(): void;
}

interface Pages {
  items: QueryAuditEntry[];
  nextCursor?: string;
  loading: boolean;
  error?: unknown;
  loadingOlder: boolean;
  olderError?: unknown;
}

/**
 * The tenant's query audit trail, page by page with the route's cursor. Changing the tenant or a
 * filter starts again from the newest entry; an answer for filters no longer shown is dropped.
 * `options.pages` is how many pages the first read takes at once (a trail reopened from a URL
 * that had "Load older" clicked shows as many entries again).
 */
export function useQueryAudit(
  tenant: string,
  filters: QueryAuditFilters,
  options: { pages?: number } = {},
): QueryAuditState {
  const api = useApi(starrocksQueryApiRef);
  const { actor, outcome } = filters;
  const [pages, setPages] = useState<Pages>({
    items: [],
    loading: true,
    loadingOlder: false,
  });
  const [generation, setGeneration] = useState(0);
  // The request whose answers still count: bumped by every new first page.
  const current = useRef(0);
  // Read when the first page is asked for, not a reason to ask again.
  const pagesRef = useRef(options.pages);
  pagesRef.current = options.pages;

  useEffect(() => {
    const request = ++current.current;
    setPages({ items: [], loading: true, loadingOlder: false });
    const first = Math.max(1, Math.floor(pagesRef.current ?? 1));
    const limit = Math.min(MAX_LIMIT, first * AUDIT_PAGE_SIZE);
    api.listAudit(tenant, { limit, actor, outcome }).then(
      page => {
        if (request !== current.current) return;
        setPages({
          items: page.items,
          nextCursor: page.nextCursor,
          loading: false,
          loadingOlder: false,
        });
      },
      error => {
        if (request !== current.current) return;
        setPages({ items: [], loading: false, error, loadingOlder: false });
      },
    );
  }, [api, tenant, actor, outcome, generation]);

  const { nextCursor, loadingOlder } = pages;
  const loadOlder = useCallback(() => {
    if (!nextCursor || loadingOlder) return;
    const request = current.current;
    setPages(p => ({ ...p, loadingOlder: true, olderError: undefined }));
    api
      .listAudit(tenant, {
        limit: AUDIT_PAGE_SIZE,
        cursor: nextCursor,
        actor,
        outcome,
      })
      .then(
        page => {
          if (request !== current.current) return;
          setPages(p => ({
            ...p,
            items: [...p.items, ...page.items],
            nextCursor: page.nextCursor,
            loadingOlder: false,
          }));
        },
        olderError => {
          if (request !== current.current) return;
          setPages(p => ({ ...p, loadingOlder: false, olderError }));
        },
      );
  }, [api, tenant, actor, outcome, nextCursor, loadingOlder]);

  const reload = useCallback(() => setGeneration(g => g + 1), []);

  return { ...pages, loadOlder, reload };
}
