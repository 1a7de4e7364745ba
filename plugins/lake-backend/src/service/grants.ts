import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/**
 * What an access agreement in force lets a consumer tenant read of another tenant's port.
 */
export interface PortAccessGrant {
  /** The tenant of the caller the agreement was made for. */
  consumerTenant: string;
  /** The agreed columns: the only ones a preview shows. */
  columns: string[];
}

/**
 * Access to other tenants' ports through agreements, consulted only when the caller is not a
 * member of the product's tenant. With a grant the caller lists and previews the port's files
 * (holding `akili.lake.read` in the consumer tenant), seeing only the agreed columns; downloads
 * stay refused (a file cannot be narrowed to columns).
 */
export interface PortAccessGrants {
  /**
   * The grant in force for one of `callerTenants` on `port` of `product`
   * (`dataproduct:<tenant>/<name>`), if any.
   */
  grantFor(
    callerTenants: readonly string[],
    product: string,
    port: string,
  ): Promise<PortAccessGrant | undefined>;
}

/** No access across tenants: the default until agreements are wired. */
export const noPortAccessGrants: PortAccessGrants = {
  async grantFor() {
    return undefined;
  },
};

/**
 * Where the lake plugin asks for access agreements in force ({@link PortAccessGrants}); by
 * default none, so only members of a product's tenant read its files.
 */
export const lakePortAccessGrantsServiceRef =
  createServiceRef<PortAccessGrants>({
    id: 'lake.portAccessGrants',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        factory: () => noPortAccessGrants,
      }),
  });
