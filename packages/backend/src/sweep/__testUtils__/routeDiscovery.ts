import type { Server } from 'node:http';

/** A route mounted in the running server: an HTTP method and an Express path pattern. */
export interface MountedRoute {
  /** Upper-case HTTP method, e.g. `GET`; `ALL` for `router.all`. */
  method: string;
  /** The full path pattern, e.g. `/api/akili/v1/tenants/:tenant`. */
  path: string;
}

/** The parts of Express 4's internal `Layer` the walk reads. */
interface Layer {
  regexp: RegExp & { fast_slash?: boolean; fast_star?: boolean };
  keys: Array<{ name: string | number }>;
  handle: { stack?: Layer[] };
  route?: { path: unknown; methods: Record<string, boolean> };
}

/** `METHOD /path`, the key of a route in the sweep's tables. */
export function routeKey(route: MountedRoute): string {
  return `${route.method} ${route.path}`;
}

/**
 * Every route of the running server, found by walking the Express stack of its request
 * handler: the root router mounts each plugin's router at `/api/<pluginId>`
 * (`DefaultRootHttpRouter`), the plugin router (`httpRouterServiceFactory`) holds the routers
 * the plugin passed to `httpRouter.use`, and those hold the route layers.
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

/** The routes of the Akili plugins: everything mounted under `/api/<pluginId>`. */
export function akiliRoutes(
  routes: MountedRoute[],
  pluginIds: string[],
): MountedRoute[] {
  return routes.filter(r =>
    pluginIds.some(id => r.path.startsWith(`/api/${id}/`)),
  );
}

function walk(stack: Layer[], prefix: string, out: MountedRoute[]) {
  for (const layer of stack) {
    if (layer.route) {
      const routePath = layer.route.path;
      if (typeof routePath !== 'string') {
        throw new Error(
          `A route under ${prefix || '/'} has a non-string path (${String(
            routePath,
          )}); the sweep can only call routes with string paths`,
        );
      }
      for (const [method, enabled] of Object.entries(layer.route.methods)) {
        if (!enabled) continue;
        out.push({
          method: method === '_all' ? 'ALL' : method.toUpperCase(),
          path: joinPath(prefix, routePath),
        });
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      walk(layer.handle.stack, joinPath(prefix, mountPath(layer)), out);
    }
  }
}

/** The path a router layer is mounted at, rebuilt from the regexp Express compiled it to. */
export function mountPath(layer: Pick<Layer, 'regexp' | 'keys'>): string {
  if (layer.regexp.fast_slash) return '';
  let keyIndex = 0;
  const source = layer.regexp.source
    .replace(/^\^/, '')
    .replace(/\\\/\?\(\?=\\\/\|\$\)$/, '')
    .replace(/\(\?:\(\[\^\\\/\]\+\?\)\)/g, () => {
      const key = layer.keys[keyIndex++];
      return `:${key?.name ?? 'param'}`;
    })
    .replace(/\\(.)/g, '$1');
  if (/[()[\]*+?^$|]/.test(source)) {
    throw new Error(
      `Cannot read the mount path of a router from /${layer.regexp.source}/`,
    );
  }
  return source;
}

function joinPath(prefix: string, suffix: string): string {
  if (!suffix || suffix === '/') return prefix || '/';
  return `${prefix.replace(/\/$/, '')}${
    suffix.startsWith('/') ? '' : '/'
  }${suffix}`;
}
