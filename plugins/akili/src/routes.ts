import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** Route of the data product marketplace. */
export const rootRouteRef = createRouteRef();

/** Route of the tenant list (`/tenants`). */
export const tenantsRouteRef = createRouteRef();

/** Route of one tenant (`/tenants/:tenant`), so other pages can link to it. */
export const tenantRouteRef = createSubRouteRef({
  parent: tenantsRouteRef,
  path: '/:tenant',
});
