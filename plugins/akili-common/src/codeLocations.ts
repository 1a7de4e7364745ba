/**
 * The character that ends the tenant part of a Dagster code location name. Tenant names are
 * lowercase letters, digits and dashes, so they never contain it, and no tenant's prefix can be
 * read as another's: `acme_orders` is tenant `acme`'s, `acme-evil_orders` is tenant
 * `acme-evil`'s, and neither can claim the other's.
 *
 * @public
 */
export const CODE_LOCATION_TENANT_SEPARATOR = '_';

/**
 * Whether a Dagster code location belongs to a tenant: its name is the tenant's name, or the
 * tenant's name followed by `_` and more (`acme`, `acme_orders`, `acme_orders_daily` are tenant
 * `acme`'s). A product's manifest may name only a location of its own tenant, and the portal
 * shows, launches, re-executes and terminates only runs of its tenant's locations. Names are
 * compared exactly (Dagster's location names are case-sensitive).
 *
 * `tenant` must be a valid tenant name (no `_`), which every caller has already checked.
 *
 * @public
 */
export function isCodeLocationOfTenant(
  location: string | null | undefined,
  tenant: string,
): boolean {
  if (!location || !tenant || tenant.includes(CODE_LOCATION_TENANT_SEPARATOR)) {
    return false;
  }
  return (
    location === tenant ||
    (location.startsWith(`${tenant}${CODE_LOCATION_TENANT_SEPARATOR}`) &&
      location.length > tenant.length + 1)
  );
}

/**
 * The rule of {@link isCodeLocationOfTenant} in words, for error messages and the UI: "acme or a
 * name that starts with acme_".
 *
 * @public
 */
export function describeTenantCodeLocations(tenant: string): string {
  return `${tenant} or a name that starts with ${tenant}${CODE_LOCATION_TENANT_SEPARATOR}`;
}
