import { createApiRef } from '@backstage/frontend-plugin-api';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type { UserTenantsSource } from '@akili/plugin-akili-react';
import type {
  AccessAgreement,
  AccessAgreementList,
  AccessAgreementRequest,
  AccessAgreementStatus,
  LakeDownload,
  LakeListing,
  LakePortsResponse,
  LakePreview,
  LakeTenantUsage,
  LakeUsageResponse,
} from '@akili/plugin-lake-common';

/**
 * Options of {@link LakeApi.listObjects}.
 *
 * @public
 */
export interface LakeListQuery {
  /** The folder, relative to the port's prefix, ending with `/` (`''` or absent: the root). */
  path?: string;
  /** The previous page's `nextCursor`. */
  cursor?: string;
  /** At most 1,000 (the backend's default when absent). */
  limit?: number;
}

/**
 * Options of {@link LakeApi.listAgreements}.
 *
 * @public
 */
export interface AccessAgreementQuery {
  /** The tenant whose agreements to list. */
  tenant: string;
  /** The tenant as the provider of the port or as its consumer; both when absent. */
  side?: 'provider' | 'consumer';
  status?: AccessAgreementStatus;
  /** Only the agreements on this product (`dataproduct:<tenant>/<name>`). */
  product?: string;
}

/**
 * The `lake` backend plugin's API as the portal uses it: the files of data products' `files`
 * output ports, storage per tenant, and access agreements between tenants.
 *
 * @remarks
 *
 * Every method rejects with a `ResponseError` (from `@backstage/errors`) when the backend
 * answers with an error status. Its `statusCode` and `body.error.name` tell a 403, a 404, a
 * lake that does not answer (503) and S3 refusing the portal's credentials (502) apart (see
 * `LAKE_ERROR_NAMES` of `@akili/plugin-lake-common`).
 *
 * @public
 */
export interface LakeApi extends UserTenantsSource {
  /** The product's `files` output ports, where their files are, and each port's problem. */
  getPorts(namespace: string, name: string): Promise<LakePortsResponse>;
  /** One page of a folder of a port, folders first. */
  listObjects(
    namespace: string,
    name: string,
    port: string,
    query?: LakeListQuery,
  ): Promise<LakeListing>;
  /** The first rows of a file, masked as the query API masks them for the caller. */
  getPreview(
    namespace: string,
    name: string,
    port: string,
    path: string,
    options?: { rows?: number },
  ): Promise<LakePreview>;
  /** A short-lived presigned URL of a file (audited); a 403 without `akili.lake.download`. */
  createDownload(
    namespace: string,
    name: string,
    port: string,
    path: string,
  ): Promise<LakeDownload>;
  /** What a tenant stores, against its quota. */
  getTenantUsage(tenant: string): Promise<LakeTenantUsage>;
  /** The usage of every tenant the caller may read. */
  listUsage(): Promise<LakeUsageResponse>;

  /** Asks for access to another tenant's output port (201 with the new agreement). */
  requestAgreement(request: AccessAgreementRequest): Promise<AccessAgreement>;
  /** The agreements of a tenant, newest first. */
  listAgreements(query: AccessAgreementQuery): Promise<AccessAgreementList>;
  /** One agreement; a 404 also for an agreement the caller's tenants are no party to. */
  getAgreement(id: string): Promise<AccessAgreement>;
  /**
   * The provider approves a request. `columns` narrows the requested columns, or picks them
   * when the request asked for all of the port's (`columns: []`); sent only when given.
   */
  approveAgreement(
    id: string,
    note?: string,
    columns?: string[],
  ): Promise<AccessAgreement>;
  /** The provider rejects a request, saying why. */
  rejectAgreement(id: string, note: string): Promise<AccessAgreement>;
  /** Ends an approved agreement (the provider, or the consumer giving it up), saying why. */
  revokeAgreement(id: string, reason: string): Promise<AccessAgreement>;
  /** The consumer withdraws its request. */
  withdrawAgreement(id: string): Promise<AccessAgreement>;

  /** Who the caller is to Akili and their tenants (the akili backend's `GET /v1/me`). */
  getIdentity(): Promise<AkiliIdentityInfo>;
  /** The names of every tenant (the akili backend's `GET /v1/tenants`; all of them for admins). */
  listTenantNames(): Promise<string[]>;
}

/**
 * Reference to the {@link LakeApi}.
 *
 * @public
 */
export const lakeApiRef = createApiRef<LakeApi>().with({
  id: 'plugin.lake',
  pluginId: 'lake',
});
