import { createRouteRef } from '@backstage/frontend-plugin-api';

/** Route of the tenant quality dashboard (`/quality`). */
export const dashboardRouteRef = createRouteRef();

/** Route of the operators' incident queue (`/incidents`). */
export const incidentsRouteRef = createRouteRef();

/**
 * Route of one incident (`/incidents/:tenant/:incidentId`): ids are unique within a tenant. Its
 * own page, linked from the queue, the Quality tab and the dashboard.
 */
export const incidentRouteRef = createRouteRef({
  params: ['tenant', 'incidentId'],
});
