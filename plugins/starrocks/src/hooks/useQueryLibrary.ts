import { useCallback, useEffect, useMemo, useState } from 'react';
import { storageApiRef, useApi } from '@backstage/frontend-plugin-api';

/** How a query in the history ended. */
export type HistoryOutcome = 'succeeded' | 'failed' | 'cancelled';

/** One run in the user's query history. */
export interface HistoryEntry {
  tenant: string;
  sql: string;
  /** ISO 8601. */
  at: string;
  outcome: HistoryOutcome;
  rowCount?: number;
  durationMs?: number;
  message?: string;
}

/** A query the user saved under a name. */
export interface SavedQuery {
  id: string;
  tenant: string;
  name: string;
  sql: string;
  /** ISO 8601. */
  savedAt: string;
}

/** Runs kept in the history, newest first; older ones drop off. */
export const HISTORY_LIMIT = 100;

const BUCKET = 'starrocks.query';

function useStoredList<T>(key: string): [T[], (next: T[]) => Promise<void>] {
  const storage = useApi(storageApiRef);
  const bucket = useMemo(() => storage.forBucket(BUCKET), [storage]);
  const read = useCallback(() => {
    const snapshot = bucket.snapshot<any>(key);
    return snapshot.presence === 'present' && Array.isArray(snapshot.value)
      ? (snapshot.value as T[])
      : [];
  }, [bucket, key]);
  const [value, setValue] = useState<T[]>(read);
  useEffect(() => {
    setValue(read());
    const subscription = bucket.observe$<any>(key).subscribe(snapshot => {
      setValue(
        snapshot.presence === 'present' && Array.isArray(snapshot.value)
          ? (snapshot.value as T[])
          : [],
      );
    });
    return () => subscription.unsubscribe();
  }, [bucket, key, read]);
  const write = useCallback(
    (next: T[]) => bucket.set(key, next as any),
    [bucket, key],
  );
  return [value, write];
}

/**
 * The user's saved queries and query history, kept through Backstage's storage API (the user
 * settings backend where the app has it, the browser's local storage otherwise), so both
 * survive a reload. Entries of every tenant are kept; views filter by tenant.
 */
export function useQueryLibrary() {
  const [history, setHistory] = useStoredList<HistoryEntry>('history');
  const [saved, setSaved] = useStoredList<SavedQuery>('saved');

  const addHistory = useCallback(
    (entry: HistoryEntry) =>
      setHistory([entry, ...history].slice(0, HISTORY_LIMIT)),
    [history, setHistory],
  );
  const clearHistory = useCallback(
    (tenant: string) => setHistory(history.filter(e => e.tenant !== tenant)),
    [history, setHistory],
  );
  const saveQuery = useCallback(
    (query: Omit<SavedQuery, 'id' | 'savedAt'>) => {
      // Saving under an existing name of the tenant replaces it.
      const rest = saved.filter(
        q => !(q.tenant === query.tenant && q.name === query.name),
      );
      return setSaved([
        {
          ...query,
          id: `${Date.now().toString(36)}-${Math.random()
            .toString(36)
            .slice(2, 8)}`,
          savedAt: new Date().toISOString(),
        },
        ...rest,
      ]);
    },
    [saved, setSaved],
  );
  const deleteSaved = useCallback(
    (id: string) => setSaved(saved.filter(q => q.id !== id)),
    [saved, setSaved],
  );
  return { history, saved, addHistory, clearHistory, saveQuery, deleteSaved };
}
