import type { Server } from 'node:http';
import { joinPath, mountPath } from '@akili/plugin-akili-node/testUtils';

/**
 * Something mounted in the running server that answers requests: a route (`router.get(...)`,
 * method and path) or a `use` handler (middleware mounted with `router.use`, method `USE`, its
 * mount path and function name).
 */
export interface MountedRoute {
  /** Upper-case HTTP method, e.g. `GET`; `ALL` for `router.all`; `USE` for a `use` handler. */
  method: string;
  /** The full path pattern, e.g. `/api/akili/v1/tenants/:tenant`. */
  path: string;
  /** For `use` handlers: the handler function's name, `<anonymous>` when it has none. */
  name?: string;
}

/** A function Express calls for a layer. */
interface Handle {
  (...args: unknown[]): unknown;
  stack?: Layer[];
  _router?: { stack: Layer[] };
  length: number;
}

/** The parts of Express 4's internal `Layer` the walk reads. */
interface Layer {
  regexp: RegExp & { fast_slash?: boolean; fast_star?: boolean };
  keys: Array<{ name: string | number }>;
  handle: Handle;
  /** The handler express-promise-router wrapped (see seeThroughPromiseRouter.ts). */
  sweepHandle?: Handle;
  route?: {
    path: unknown;
    methods: Record<string, boolean>;
    stack: Layer[];
  };
}

/** `METHOD /path` for routes, `USE /path name` for `use` handlers: the key of the sweep's tables. */
export function routeKey(route: MountedRoute): string {
  return route.method === 'USE'
    ? `USE ${route.path} ${route.name}`
    : `${route.method} ${route.path}`;
}

/**
 * Middleware the framework or a plugin mounts with `use` that never answers a request by
 * itself: it reads or decorates the request and passes it on (or passes an error on to the
 * error handler). Keyed by function name; anything else mounted with `use` answers requests and
 * must be in the sweep's table.
 */
export const PASS_THROUGH_HANDLERS: Record<string, string> = {
  query: 'Express: parses the query string',
  expressInit: 'Express: sets up req and res',
  jsonParser:
    'body-parser: parses JSON bodies (errors go to the error handler)',
  urlencodedParser: 'body-parser: parses form bodies',
  rawParser: 'body-parser: reads raw bodies',
  textParser: 'body-parser: reads text bodies',
  cookieParser: 'cookie-parser: parses cookies',
  session: 'express-session: loads the OAuth session of the auth backend',
  initialize: 'passport: sets up passport on the request',
  authenticate: 'passport: restores the session user (the session strategy)',
  xFrameOptionsMiddleware: 'helmet: sets X-Frame-Options',
  pathParamsMiddleware: 'OpenAPI validator: parses path parameters',
  metadataMiddleware: 'OpenAPI validator: matches the request to the spec',
  securityMiddleware: 'OpenAPI validator: security schemes (none declared)',
  multipartMiddleware: 'OpenAPI validator: multipart bodies',
  requestMiddleware:
    'OpenAPI validator: validates the request against the spec (errors go to the error handler)',
};

/**
 * The middleware `httpRouterServiceFactory` puts in front of every plugin's routes, in order:
 * rate limit, the auth integration router (JWKS), lifecycle (503 while stopping), the
 * credentials barrier (401 for callers without credentials), the cookie router, the plugin's
 * routes, and the error handler. The walk recognises this frame and reads the plugin's routes
 * inside it; the barrier's 401s are what the unauthenticated sweep checks.
 */
const PLUGIN_FRAME = [
  { use: '<anonymous>' },
  { router: true },
  { use: '<anonymous>' },
  { use: 'middleware' },
  { router: true },
  { router: true },
  { error: true },
] as const;

/**
 * Every route and every answering `use` handler of the running server, found by walking the
 * Express stack of its request handler: the root router mounts each plugin's router at
 * `/api/<pluginId>` (`DefaultRootHttpRouter`, and the app's again at `/` as the index), inside
 * it the framework's frame ({@link PLUGIN_FRAME}) holds the routers and handlers the plugin
 * passed to `httpRouter.use` (routers, sub-applications, middleware), and those hold the
 * route layers. Error handlers and {@link PASS_THROUGH_HANDLERS} are left out.
 */
export function discoverRoutes(server: Server): MountedRoute[] {
  const app = server
    .listeners('request')
    .find(l => (l as { _router?: unknown })._router) as
    | { _router: { stack: Layer[] } }
    | undefined;
  if (!app) {
    throw new Error(
      'The server has no Express 4 app as its request listener; the route walk needs updating',
    );
  }
  const routes: MountedRoute[] = [];
  walk(app._router.stack, '', routes);
  const seen = new Set<string>();
  return routes.filter(r => {
    const key = routeKey(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function handleOf(layer: Layer): Handle {
  return layer.sweepHandle ?? layer.handle;
}

function childStack(layer: Layer): Layer[] | undefined {
  const handle = handleOf(layer);
  if (Array.isArray(handle?.stack)) return handle.stack;
  // An Express application mounted with `use` (the scaffolder's routes are one).
  if (Array.isArray(handle?._router?.stack)) return handle._router.stack;
  return undefined;
}

function handlerName(layer: Layer): string {
  return handleOf(layer)?.name || '<anonymous>';
}

function isPluginFrame(stack: Layer[]): boolean {
  return (
    stack.length === PLUGIN_FRAME.length &&
    PLUGIN_FRAME.every((expected, i) => {
      const layer = stack[i];
      if (layer.route) return false;
      if ('router' in expected) return Boolean(childStack(layer));
      if ('error' in expected) return layer.handle.length === 4;
      return !childStack(layer) && handlerName(layer) === expected.use;
    })
  );
}

function walk(stack: Layer[], prefix: string, out: MountedRoute[]) {
  // A plugin's frame, at /api/<pluginId> (and the app's again at the root, as the index).
  const frame = isPluginFrame(stack);
  stack.forEach((layer, index) => {
    if (layer.route) {
      // One path, or several (`router.post(['/a', '/b'], ...)`).
      const routePaths = [layer.route.path].flat();
      if (!routePaths.every(p => typeof p === 'string')) {
        throw new Error(
          `A route under ${prefix || '/'} has a non-string path (${String(
            layer.route.path,
          )}); the sweep can only call routes with string paths`,
        );
      }
      for (const routePath of routePaths as string[]) {
        for (const [method, enabled] of Object.entries(layer.route.methods)) {
          if (!enabled) continue;
          out.push({
            method: method === '_all' ? 'ALL' : method.toUpperCase(),
            path: joinPath(prefix, routePath),
          });
        }
      }
      return;
    }
    const children = childStack(layer);
    if (children) {
      walk(children, joinPath(prefix, mountPath(layer)), out);
      return;
    }
    // Error handlers answer errors of the handlers before them, not requests.
    if (layer.handle.length === 4) return;
    // The framework's rate limit, lifecycle and credentials barrier in front of a plugin.
    if (frame && [0, 2, 3].includes(index)) return;
    const name = handlerName(layer);
    if (name in PASS_THROUGH_HANDLERS) return;
    out.push({
      method: 'USE',
      path: joinPath(prefix, mountPath(layer)),
      name,
    });
  });
}
