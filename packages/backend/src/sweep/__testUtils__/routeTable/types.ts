import type { SweepFixture } from '../fixtures';

/** A request body: objects are sent as JSON. */
export interface RequestBody {
  contentType: string;
  data: string | object;
}

/**
 * One call of a route, for the resources of tenant `t`. The sweep makes it for each sweep user
 * with their own tenant's resources, with the other tenant's, and with resources that do not
 * exist (in the other tenant, and in no tenant), and without credentials.
 */
export interface RouteCase {
  /** Tells the cases of one route apart (e.g. an action id), in messages and KNOWN_OPEN. */
  name?: string;
  /** The method to send, when the route is a `use` handler or `ALL`. */
  method?: string;
  /** Replaces the route's path (for `use` handlers, whose mount path is a prefix). */
  path?: string;
  /** Path parameters naming `t`'s resources. */
  params?: (t: SweepFixture) => Record<string, string>;
  query?: (t: SweepFixture) => Record<string, string>;
  body?: (t: SweepFixture) => RequestBody;
  headers?: (t: SweepFixture) => Record<string, string>;
  /**
   * The status a developer and operator of `t` (not a platform admin) gets calling with `t`'s
   * own resources. 2xx for reads, so the sweep is not vacuous.
   */
  own: number;
  /** The status a consumer of `t` gets, when it is not `own`. */
  consumer?: number;
  /** Why, when `own` or `consumer` is not 2xx. */
  why?: string;
  /**
   * The route answers without credentials on purpose: the status it gives then, and why.
   * Without it, every call without valid credentials must get 401.
   */
  anonymous?: { status: number; why: string };
  /**
   * Changes or removes `t`'s resource: called after every other case, first by the other
   * tenant's users (who must be refused while the resource is there), then by `t`'s own.
   */
  destructive?: boolean;
  /**
   * Why a call naming another tenant's resources is only checked for leaks, not compared with
   * missing ones (a full-text query: other words find other documents).
   */
  leaksOnly?: string;
  /**
   * The status the route gives a missing resource by design when it is neither 403 nor 404
   * (e.g. a stock action's InputError), and why. A call naming another tenant's resources
   * must still get exactly the answer a missing one gets.
   */
  missingStatus?: { status: number; why: string };
  /**
   * A passing state of the backend in which the route answers otherwise (matched in the answer
   * to a call with the caller's own resources), and why: the call is made again once after a
   * pause (printed in the summary). Never for a refusal or a leak.
   */
  transient?: { answer: RegExp; why: string };
  /**
   * A further check of the answer to a call with the caller's own resources (`role` is the
   * caller's): a problem, or undefined. For answers whose status says little (JSON-RPC).
   */
  check?: (
    answer: { status: number; text: string },
    role: 'member' | 'consumer',
  ) => string | undefined;
}

/** How the sweep treats one mounted route or `use` handler. */
export type RouteEntry =
  | RouteCase
  | { cases: RouteCase[] }
  /** A `use` handler that never answers by itself; the reason. */
  | { passThrough: string }
  /** Mounted by the sweep itself (its sign-in provider, its probe plugins): not swept. */
  | { standIn: string };

/** The cases of an entry (none for pass-through and stand-in entries). */
export function casesOf(entry: RouteEntry): RouteCase[] {
  if ('cases' in entry) return entry.cases;
  if ('passThrough' in entry || 'standIn' in entry) return [];
  return [entry];
}

export const json = (data: object): RequestBody => ({
  contentType: 'application/json',
  data,
});

/** The concrete request a case makes for tenant `t` on a route. */
export interface SweepRequest {
  method: string;
  url: string;
  body?: RequestBody;
  headers?: Record<string, string>;
}

export function requestFor(
  route: { method: string; path: string },
  c: RouteCase,
  t: SweepFixture,
): SweepRequest {
  const params = c.params?.(t) ?? {};
  const routePath = c.path ?? route.path;
  const url = routePath.replace(
    /:(\w+)(\([^)]*\))?/g,
    (_, name: string, pattern?: string) => {
      if (!(name in params)) {
        throw new Error(
          `The sweep table gives no value for :${name} of ${routePath}`,
        );
      }
      // `:key(*)` takes a path, slashes included.
      return pattern === '(*)'
        ? params[name].split('/').map(encodeURIComponent).join('/')
        : encodeURIComponent(params[name]);
    },
  );
  const query = c.query ? `?${new URLSearchParams(c.query(t))}` : '';
  let method = c.method ?? route.method;
  if (method === 'USE' || method === 'ALL') method = 'GET';
  return {
    method,
    url: `${url}${query}`,
    body: c.body?.(t),
    headers: c.headers?.(t),
  };
}
