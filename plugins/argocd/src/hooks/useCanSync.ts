import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import useAsync from 'react-use/esm/useAsync';
import { akiliRolesGrant } from '@akili/plugin-akili-common';
import { akiliDeploymentSyncPermission } from '@akili/plugin-argocd-common';
import { argocdApiRef } from '../api';

/**
 * Whether the signed-in user may sync the deployments of `tenant`'s products, to show the Sync
 * button only to them (the backend checks again on every sync).
 *
 * @remarks
 *
 * The permission policy allows `akili.deployment.sync` to operators of any tenant, so it alone
 * cannot tell which tenant. The tenant is decided by the backend's `canSync` of the deployment
 * when it sends one, otherwise by the user's roles in `tenant` (`GET /v1/me`).
 */
export function useCanSync(
  tenant: string,
  canSync: boolean | undefined,
): { loading: boolean; allowed: boolean } {
  const api = useApi(argocdApiRef);
  const permission = usePermission({
    permission: akiliDeploymentSyncPermission,
  });
  const identity = useAsync(
    async () => (canSync === undefined ? api.getIdentity() : undefined),
    [api, canSync],
  );
  if (permission.loading || identity.loading) {
    return { loading: true, allowed: false };
  }
  if (!permission.allowed) {
    return { loading: false, allowed: false };
  }
  if (canSync !== undefined) {
    return { loading: false, allowed: canSync };
  }
  const me = identity.value;
  if (!me) {
    return { loading: false, allowed: false };
  }
  const roles = me.tenants.find(t => t.name === tenant)?.roles ?? [];
  return {
    loading: false,
    allowed:
      me.platformAdmin || akiliRolesGrant(roles, akiliDeploymentSyncPermission),
  };
}
