import { useEffect, useRef } from 'react';

/**
 * Calls `poll` every `intervalMs` while `enabled`: the next call is timed from the end of the
 * previous one, so a slow backend is never asked twice at once. While the browser tab is
 * hidden nobody is watching, so polling pauses, and it catches up as soon as the tab shows.
 */
export function usePolling(
  poll: () => Promise<unknown> | void,
  intervalMs: number,
  enabled: boolean,
) {
  const pollRef = useRef(poll);
  pollRef.current = poll;

  useEffect(() => {
    if (!enabled) {
      return undefined;
    }
    let stopped = false;
    let running = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const hidden = () =>
      typeof document !== 'undefined' && document.visibilityState === 'hidden';

    const tick = async () => {
      timer = undefined;
      if (stopped || running || hidden()) {
        return;
      }
      running = true;
      try {
        await pollRef.current();
      } catch {
        // The caller shows its own errors; polling goes on.
      } finally {
        running = false;
      }
      if (!stopped) {
        timer = setTimeout(tick, intervalMs);
      }
    };

    const onVisibilityChange = () => {
      if (!hidden() && timer === undefined && !running) {
        tick();
      }
    };

    timer = setTimeout(tick, intervalMs);
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      stopped = true;
      if (timer !== undefined) {
        clearTimeout(timer);
      }
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [enabled, intervalMs]);
}
