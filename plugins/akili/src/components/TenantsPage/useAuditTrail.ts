import { useCallback } from 'react';
import type { AkiliTenantsApi } from '../../api';
import { usePagedList } from './usePagedList';

/** Audit entries asked for per page. */
export const AUDIT_PAGE_SIZE = 50;

/**
 * A tenant's audit trail, newest first, one page at a time: `loadMore` appends the page after
 * the last one, `reload` starts again from the newest entry (after an action changed it).
 */
export function useAuditTrail(api: AkiliTenantsApi, tenant: string) {
  const loadPage = useCallback(
    (cursor?: string) =>
      api.listAuditEntries(tenant, { limit: AUDIT_PAGE_SIZE, cursor }),
    [api, tenant],
  );
  const { items, ...rest } = usePagedList(loadPage);
  return { entries: items, ...rest };
}
