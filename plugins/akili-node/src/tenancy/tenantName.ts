import { InputError } from '@backstage/errors';

/**
 * The shape of a tenant name: a lowercase DNS-label-like name, which is also a valid catalog
 * namespace (a data product of tenant `acme` is `dataproduct:acme/orders`).
 *
 * @public
 */
export const TENANT_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Longest accepted tenant name, the catalog's limit for a namespace. */
const MAX_TENANT_NAME_LENGTH = 63;

/**
 * Whether a value is a well-formed tenant name.
 *
 * @public
 */
export function isValidTenantName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_TENANT_NAME_LENGTH &&
    TENANT_NAME_PATTERN.test(value)
  );
}

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
