import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import useAsync from 'react-use/esm/useAsync';
import { akiliRolesGrant } from '@akili/plugin-akili-common';
import { akiliLakeDownloadPermission } from '@akili/plugin-lake-common';
import { lakeApiRef } from '../../api';

/**
 * Whether the signed-in user may download whole files of `tenant`'s products, to show the
 * Download button only to them (the backend decides again, and audits, every download).
 *
 * @remarks
 *
 * The permission policy allows the basic permission `akili.lake.download` to developers and
 * operators of any tenant, so it alone cannot tell which tenant: the user's roles in `tenant`
 * (`GET /v1/me`) do.
 */
export function useCanDownload(tenant: string): {
  loading: boolean;
  allowed: boolean;
} {
  const api = useApi(lakeApiRef);
  const permission = usePermission({
    permission: akiliLakeDownloadPermission,
  });
  const identity = useAsync(() => api.getIdentity(), [api]);
  if (permission.loading || identity.loading) {
    return { loading: true, allowed: false };
  }
  const me = identity.value;
  if (!permission.allowed || !me) {
    return { loading: false, allowed: false };
  }
  const roles = me.tenants.find(t => t.name === tenant)?.roles ?? [];
  return {
    loading: false,
    allowed:
      me.platformAdmin || akiliRolesGrant(roles, akiliLakeDownloadPermission),
  };
}
