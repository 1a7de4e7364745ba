import { RouteEntry } from './types';

const operatorsAndAdmins = {
  consumer: 403,
  why: 'platform health is platform data for operators of any tenant and platform admins (akili.platform.health.read)',
};

/**
 * The platform health plugin's routes (`platform-health`): platform data with no tenant in the
 * path, so the caller's own tenant, another tenant and a missing one get the same answer.
 */
export const PLATFORM_HEALTH_ROUTES: Record<string, RouteEntry> = {
  // The plugin's OpenAPI spec: the same for everyone signed in.
  'GET /api/platform-health/openapi.json': { own: 200 },
  // Up or down and since when, no error text: every tenant role (DependencyNotice on its pages).
  'GET /api/platform-health/v1/status': {
    own: 200,
  },
  'GET /api/platform-health/v1/dependencies': {
    own: 200,
    ...operatorsAndAdmins,
  },
  'GET /api/platform-health/v1/dependencies/:id/history': {
    params: () => ({ id: 'postgresql' }),
    query: () => ({ hours: '24' }),
    own: 200,
    ...operatorsAndAdmins,
  },
};
