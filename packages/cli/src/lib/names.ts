import { nameProblem } from '@akili/plugin-akili-common';
import { UsageError } from './io';

/**
 * Refuses a tenant or product name the portal would not take, in the words of the manifest's
 * name rule (`nameProblem` of akili-common); `what` names it (`tenant`, `data product`).
 */
export function checkName(what: string, value: string): void {
  const problem = nameProblem(value, what);
  if (problem) {
    throw new UsageError(problem);
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
