import { InputError } from '@backstage/errors';
import { isValidTenantName, NAME_PATTERN } from '@akili/plugin-akili-common';

export { isValidTenantName };

/**
 * The shape of a tenant name: a lowercase DNS-label-like name, which is also a valid catalog
 * namespace (a data product of tenant `acme` is `dataproduct:acme/orders`).
 *
 * @public
 */
export const TENANT_NAME_PATTERN = new RegExp(NAME_PATTERN);

/** Longest accepted tenant name, the catalog's limit for a namespace. */
const MAX_TENANT_NAME_LENGTH = 63;

/**
 * Returns the tenant name unchanged when it is well-formed, and throws an `InputError` otherwise.
 * The offending value is not echoed back beyond a short, JSON-quoted prefix.
 *
 * @public
 */
export function assertValidTenantName(value: unknown): string {
  if (isValidTenantName(value)) {
    return value;
  }
  const shown =
    typeof value === 'string'
      ? JSON.stringify(value.length > 70 ? `${value.slice(0, 70)}…` : value)
      : typeof value;
  throw new InputError(
    `Invalid tenant name ${shown}: expected lowercase letters, digits and inner dashes (${TENANT_NAME_PATTERN.source}), at most ${MAX_TENANT_NAME_LENGTH} characters`,
  );
}
