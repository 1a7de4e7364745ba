import { createRouteRef } from '@backstage/frontend-plugin-api';

/** Route of the operators' Storage page (`/lake/storage`). */
export const storageRouteRef = createRouteRef();

/** Route of the access agreements page (`/lake/agreements`). */
export const agreementsRouteRef = createRouteRef();
