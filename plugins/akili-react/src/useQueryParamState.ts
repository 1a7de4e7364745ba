import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/** The options of {@link useQueryParamState}. */
export interface QueryParamStateOptions {
  /**
   * Replace the current history entry instead of adding one: for values that change on every
   * key stroke (a search field), so that Back leaves the page instead of undoing one letter.
   * Default: `false` (a filter or page chosen is one step of Back).
   */
  replace?: boolean;
}

/** The options of one change made with the setter of {@link useQueryParamState}. */
export interface QueryParamSetOptions extends QueryParamStateOptions {
  /** Other parameters to drop in the same change, e.g. the page when a filter changes. */
  reset?: readonly string[];
}

/**
 * A list's filter, sort or page kept in the URL's query string (`?status=failed&page=2`), so that
 * opening the same URL shows the same list and Back and Forward step through its changes. The
 * value is `defaultValue` while the parameter is absent; setting the default removes the
 * parameter. Other parameters in the URL are kept. Change one parameter per event (with `reset`
 * for the ones it invalidates): like `useSearchParams`, two setters called in the same event
 * each start from the URL of the last render, so the second wins.
 *
 * @example
 * const [status, setStatus] = useQueryParamState('status', 'all');
 * setStatus('failed', { reset: ['page'] });
 */
export function useQueryParamState(
  name: string,
  defaultValue: string = '',
  options: QueryParamStateOptions = {},
): [string, (value: string, set?: QueryParamSetOptions) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const value = searchParams.get(name) ?? defaultValue;
  const replaceByDefault = options.replace ?? false;
  const setValue = useCallback(
    (next: string, set: QueryParamSetOptions = {}) => {
      setSearchParams(
        previous => {
          const params = new URLSearchParams(previous);
          if (next === defaultValue) {
            params.delete(name);
          } else {
            params.set(name, next);
          }
          for (const other of set.reset ?? []) {
            params.delete(other);
          }
          return params;
        },
        { replace: set.replace ?? replaceByDefault },
      );
    },
    [name, defaultValue, replaceByDefault, setSearchParams],
  );
  return [value, setValue];
}
