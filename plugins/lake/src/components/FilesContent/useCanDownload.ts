import { usePermission } from '@backstage/plugin-permission-react';
import { akiliLakeDownloadPermission } from '@akili/plugin-lake-common';
import { identityGrants } from '../../lib/identity';
import { useLakeTenants } from '../common/useLakeTenants';

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
  const permission = usePermission({
    permission: akiliLakeDownloadPermission,
  });
  const { loading, identity } = useLakeTenants();
  if (permission.loading || loading) {
    return { loading: true, allowed: false };
  }
  return {
    loading: false,
    allowed:
      permission.allowed &&
      identityGrants(identity, tenant, akiliLakeDownloadPermission),
  };
}
