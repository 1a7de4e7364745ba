import type { MountedRoute } from '../routeDiscovery';
import { routeKey } from '../routeDiscovery';
import { AKILI_ROUTES } from './akili';
import { ARGOCD_ROUTES } from './argocd';
import { CATALOG_ROUTES } from './catalog';
import { FRAMEWORK_ROUTES, PUBLIC_PLUGIN_ROUTES } from './framework';
import { LAKE_ROUTES } from './lake';
import { PLATFORM_HEALTH_ROUTES } from './platformHealth';
import { QUALITY_ROUTES } from './quality';
import { SCAFFOLDER_ROUTES } from './scaffolder';
import { KUBERNETES_ROUTES, STOCK_ROUTES } from './stock';
import { TECHDOCS_ROUTES } from './techdocs';
import { RouteEntry } from './types';

export * from './types';
export { ACTION_CASES } from './actions';
export { PROXY_ENDPOINTS } from './stock';

/**
 * How the sweep calls every route and `use` handler of the backend, by key (`METHOD /path`,
 * `USE /path handlerName`). The sweep fails on a mounted route missing here, and on an entry
 * whose route is no longer mounted.
 */
export const ROUTE_TABLE: Record<string, RouteEntry> = {
  ...FRAMEWORK_ROUTES,
  ...PUBLIC_PLUGIN_ROUTES,
  ...AKILI_ROUTES,
  ...QUALITY_ROUTES,
  ...LAKE_ROUTES,
  ...ARGOCD_ROUTES,
  ...PLATFORM_HEALTH_ROUTES,
  ...CATALOG_ROUTES,
  ...SCAFFOLDER_ROUTES,
  ...KUBERNETES_ROUTES,
  ...STOCK_ROUTES,
  ...TECHDOCS_ROUTES,
};

/** Plugins the sweep itself adds (its probes): their framework routes are not swept. */
export const SWEEP_PLUGIN_IDS = ['sweep-probe', 'sweep-peers'];

/** The framework key of a plugin's route: `/api/<pluginId>/` becomes `/api/:plugin/`. */
export function frameworkKey(key: string): string | undefined {
  const templated = key.replace(/^(\S+ \/api\/)[^/\s]+\//, '$1:plugin/');
  return templated === key ? undefined : templated;
}

/** The table entry of a mounted route and the key it was found under. */
export function entryFor(
  route: MountedRoute,
): { key: string; entry: RouteEntry } | undefined {
  const key = routeKey(route);
  if (key in ROUTE_TABLE) return { key, entry: ROUTE_TABLE[key] };
  const template = frameworkKey(key);
  if (template && template in ROUTE_TABLE) {
    return { key: template, entry: ROUTE_TABLE[template] };
  }
  return undefined;
}
