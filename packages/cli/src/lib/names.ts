import { NAME_PATTERN } from '@akili/plugin-akili-common';
import { UsageError } from './io';

const NAME = new RegExp(NAME_PATTERN);

/** Refuses a tenant or product name the portal would not take, naming it. */
export function checkName(what: string, value: string): void {
  if (!NAME.test(value)) {
    throw new UsageError(
      `"${value}" is not a ${what} name: lowercase letters, digits and dashes`,
    );
  }
}

/**
 * The tenant a command acts in (`--tenant`): given, and a valid name. `purpose` completes the
 * message when it is missing, e.g. `to query`.
 */
export function requireTenant(
  tenant: string | undefined,
  purpose: string,
): string {
  if (!tenant) {
    throw new UsageError(`Give the tenant ${purpose} with --tenant <tenant>`);
  }
  checkName('tenant', tenant);
  return tenant;
}
