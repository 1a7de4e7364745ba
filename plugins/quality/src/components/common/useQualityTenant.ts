import { useSearchParams } from 'react-router-dom';
import { useApi } from '@backstage/frontend-plugin-api';
import { chooseTenant, useUserTenants } from '@akili/plugin-akili-react';
import { akiliQualityIncidentsReadPermission } from '@akili/plugin-quality-common';
import { qualityApiRef } from '../../api';

/**
 * The tenant of a quality tenant page (dashboard, incidents): the user's tenants whose
 * incidents they may read, and the one the URL's `tenant` asks for when it is one of them (see
 * `chooseTenant`), with the page's query string to change it.
 */
export function useQualityTenant() {
  const api = useApi(qualityApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const identity = useUserTenants(api, {
    permission: akiliQualityIncidentsReadPermission,
  });
  const tenant = chooseTenant(identity.tenants, searchParams.get('tenant'));
  return { identity, tenant, searchParams, setSearchParams };
}
