/** The parts of an Express 4 router layer the walk reads. */
interface RouterLayer {
  regexp: RegExp & { fast_slash?: boolean; fast_star?: boolean };
  keys: Array<{ name: string | number }>;
  handle: { stack?: RouterLayer[] };
  route?: { path: unknown; methods: Record<string, boolean> };
}

const SPEC_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];

/** The route `createValidatedOpenApiRouter` adds to serve the spec itself. */
const SPEC_ROUTE = 'GET /openapi.json';

/**
 * The path a router layer is mounted at, rebuilt from the regexp Express compiled it to
 * (`/v1/runs/:id` for a router mounted with `use('/v1/runs/:id', ...)`).
 */
export function mountPath(layer: Pick<RouterLayer, 'regexp' | 'keys'>): string {
  if (layer.regexp.fast_slash) return '';
  if (layer.regexp.fast_star) return '*';
  let keyIndex = 0;
  const source = layer.regexp.source
    .replace(/^\^/, '')
    .replace(/\\\/\?\(\?=\\\/\|\$\)$/, '')
    // A parameter, `(?:([^\/]+?))` or (path-to-regexp 0.1.12) `(?:\/([^/]+?))`.
    .replace(/\(\?:(\\\/)?\(\[\^\\?\/\]\+\?\)\)/g, (_, slash) => {
      const key = layer.keys[keyIndex++];
      return `${slash ? '\\/' : ''}:${key?.name ?? 'param'}`;
    })
    .replace(/\\(.)/g, '$1');
  if (/[()[\]*+?^$|]/.test(source)) {
    throw new Error(
      `Cannot read the mount path of a router from /${layer.regexp.source}/`,
    );
  }
  return source;
}

/** `prefix` and `suffix` joined with one slash between them. */
export function joinPath(prefix: string, suffix: string): string {
  if (!suffix || suffix === '/') return prefix || '/';
  return `${prefix.replace(/\/$/, '')}${
    suffix.startsWith('/') ? '' : '/'
  }${suffix}`;
}

/**
 * Every route of an Express router and of the routers mounted in it, as `METHOD /path` with
 * Express parameters (`GET /v1/runs/:id`); `router.all` routes as `ALL /path`.
 */
export function routerRoutes(router: unknown): string[] {
  const out: string[] = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const routePath of [layer.route.path].flat()) {
          for (const [method, enabled] of Object.entries(layer.route.methods)) {
            if (!enabled) continue;
            out.push(
              `${method === '_all' ? 'ALL' : method.toUpperCase()} ${joinPath(
                prefix,
                String(routePath),
              )}`,
            );
          }
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        walk(layer.handle.stack, joinPath(prefix, mountPath(layer)));
      }
    }
  };
  walk((router as { stack: RouterLayer[] }).stack, '');
  return [...new Set(out)].sort();
}

/**
 * Every operation of an OpenAPI spec as `METHOD /path`, with its path parameters written the
 * Express way (`/v1/runs/{id}` becomes `/v1/runs/:id`).
 */
export function specRoutes(spec: {
  paths?: Record<string, Record<string, unknown> | undefined>;
}): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of SPEC_METHODS) {
      if (item?.[method]) {
        out.push(
          `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`,
        );
      }
    }
  }
  return out.sort();
}

/**
 * How a router and its OpenAPI spec disagree: routes the router answers that the spec does
 * not describe, and operations of the spec no route answers. Both empty when they agree, so a
 * test writes `expect(routesAgainstSpec(router, spec)).toEqual({ undocumented: [], unmounted: [] })`
 * and a failure lists each route by method and path.
 */
export function routesAgainstSpec(
  router: unknown,
  spec: Parameters<typeof specRoutes>[0],
): { undocumented: string[]; unmounted: string[] } {
  const mounted = routerRoutes(router).filter(r => r !== SPEC_ROUTE);
  const described = specRoutes(spec);
  return {
    undocumented: mounted.filter(r => !described.includes(r)),
    unmounted: described.filter(r => !mounted.includes(r)),
  };
}
