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
 * Access to other tenants' ports through agreements (the plugin passes the access agreements'
 * `grantFor`), consulted only when the caller is not a member of the product's tenant. With a
 * grant the caller lists and previews the port's files (holding `akili.lake.read` in the
 * consumer tenant), seeing only the agreed columns; downloads stay refused (a file cannot be
 * narrowed to columns).
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

/**
 * No access across tenants: the lake service's default when it is given no grants (the plugin
 * gives it the access agreements' look-up).
 */
export const noPortAccessGrants: PortAccessGrants = {
  async grantFor() {
    return undefined;
  },
};
