import { createRouteRef } from '@backstage/frontend-plugin-api';

/** Route of the Platform health page (`/platform-health`). */
export const platformHealthRouteRef = createRouteRef();
