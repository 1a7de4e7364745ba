import { useApi } from '@backstage/frontend-plugin-api';
import { useUserTenants, UserTenantsState } from '@akili/plugin-akili-react';
import { lakeApiRef } from '../../api';

/**
 * Who the signed-in user is to Akili and their tenants (the akili backend's `GET /v1/me`
 * through the lake API, as the other Akili plugins read it); for platform admins also every
 * other tenant.
 */
export function useAkiliTenants(): UserTenantsState {
  return useUserTenants(useApi(lakeApiRef));
}
