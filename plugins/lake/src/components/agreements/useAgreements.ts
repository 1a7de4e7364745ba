import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { AccessAgreement } from '@akili/plugin-lake-common';
import { AccessAgreementQuery, lakeApiRef } from '../../api';

/** The answer of {@link useAgreements}. */
export interface AgreementsState {
  loading: boolean;
  error?: unknown;
  items: AccessAgreement[];
  reload: () => void;
  /** Puts an agreement the backend answered with in the list (replacing its old version). */
  put: (agreement: AccessAgreement) => void;
}

/**
 * The agreements of the given queries, merged (one per id, in the order of the answers).
 * Nothing is asked while `queries` is undefined (e.g. the identity is loading).
 */
export function useAgreements(
  queries: AccessAgreementQuery[] | undefined,
  filter: (agreement: AccessAgreement) => boolean = () => true,
): AgreementsState {
  const api = useApi(lakeApiRef);
  const key = queries ? JSON.stringify(queries) : undefined;
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{
    loading: boolean;
    error?: unknown;
    items: AccessAgreement[];
  }>({ loading: true, items: [] });

  useEffect(() => {
    if (key === undefined) {
      setState({ loading: true, items: [] });
      return undefined;
    }
    let current = true;
    setState(s => ({ ...s, loading: true, error: undefined }));
    const list = JSON.parse(key) as AccessAgreementQuery[];
    Promise.all(list.map(query => api.listAgreements(query))).then(
      answers => {
        if (!current) return;
        const seen = new Map<string, AccessAgreement>();
        for (const answer of answers) {
          for (const item of answer.items) {
            seen.set(item.id, item);
          }
        }
        setState({ loading: false, items: [...seen.values()] });
      },
      error => current && setState({ loading: false, error, items: [] }),
    );
    return () => {
      current = false;
    };
  }, [api, key, attempt]);

  const reload = useCallback(() => setAttempt(a => a + 1), []);
  const put = useCallback(
    (agreement: AccessAgreement) =>
      setState(s => ({
        ...s,
        items: s.items.some(i => i.id === agreement.id)
          ? s.items.map(i => (i.id === agreement.id ? agreement : i))
          : [agreement, ...s.items],
      })),
    [],
  );
  return {
    loading: state.loading,
    error: state.error,
    items: state.items.filter(filter),
    reload,
    put,
  };
}
