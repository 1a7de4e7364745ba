import { useApi } from '@backstage/frontend-plugin-api';
import { useUserTenants, UserTenantsState } from '@akili/plugin-akili-react';
import { lakeApiRef } from '../../api';

/**
 * Who the signed-in user is to Akili and their tenants with their roles (the akili backend's
 * `GET /v1/me` through `LakeApi.getIdentity`, as the other Akili plugins read it); for platform
 * admins also every other tenant (`LakeApi.listTenantNames`). The one identity of the plugin's
 * views: the Files tab's download, the access agreements.
 */
export function useLakeTenants(): UserTenantsState {
  return useUserTenants(useApi(lakeApiRef));
}
