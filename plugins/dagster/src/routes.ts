import { createRouteRef } from '@backstage/frontend-plugin-api';

/** Route of the operators' runs page (`/runs`). */
export const runsRouteRef = createRouteRef();

/**
 * Route of one run (`/runs/:runId`). Its own page rather than a sub-route of the operators'
 * page, like the catalog's entity page: the Runs tab links to it too, and it must keep working
 * when the operators' page is disabled.
 */
export const runRouteRef = createRouteRef({ params: ['runId'] });
