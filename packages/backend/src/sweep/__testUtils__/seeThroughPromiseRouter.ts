/**
 * `express-promise-router` as the sweep loads it: the same router, except that each layer its
 * `use` adds remembers the handler it was given (`sweepHandle`). The library wraps every
 * handler in a function that hides it (it keeps only routers visible), so without this the
 * route walk could not see into an Express application mounted with `use` (the scaffolder
 * mounts its routes so) nor name a wrapped middleware. Behaviour is unchanged.
 *
 * Used from the sweep's test file:
 * `jest.mock('express-promise-router', () => jest.requireActual('./__testUtils__/seeThroughPromiseRouter').seeThroughPromiseRouter())`.
 */
export function seeThroughPromiseRouter() {
  const actual = jest.requireActual('express-promise-router') as (
    ...args: unknown[]
  ) => {
    stack: Array<{ sweepHandle?: unknown }>;
    use: (...args: unknown[]) => unknown;
  };
  const patched = (...routerArgs: unknown[]) => {
    const router = actual(...routerArgs);
    const use = router.use;
    router.use = function useRecordingHandlers(
      this: typeof router,
      ...args: unknown[]
    ) {
      const before = this.stack.length;
      const result = use.apply(this, args);
      const handlers = args.flat(Infinity).filter(a => typeof a === 'function');
      const added = this.stack.slice(before);
      if (added.length === handlers.length) {
        added.forEach((layer, i) => {
          layer.sweepHandle = handlers[i];
        });
      }
      return result;
    };
    return router;
  };
  return Object.assign(patched, { default: patched });
}
