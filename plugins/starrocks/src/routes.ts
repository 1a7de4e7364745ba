import { createRouteRef } from '@backstage/frontend-plugin-api';

/** Route of the Query page (`/query`). */
export const queryRouteRef = createRouteRef();
