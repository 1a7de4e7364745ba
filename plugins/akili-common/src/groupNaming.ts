import { AkiliRole } from './roles';

/**
 * How Authentik group names carry a tenant and a role. One scheme, configured once
 * (`akili.tenancy.groupPattern`), read by the sign-in module and shown by tenant management.
 */

/** @public */
export const DEFAULT_AKILI_GROUP_PATTERN = 'akili-{tenant}-{role}';

/** @public */
export const DEFAULT_AKILI_PLATFORM_ADMIN_GROUP = 'akili-platform-admins';

/**
 * Throws when `pattern` does not hold `{tenant}` and `{role}` exactly once each.
 *
 * @public
 */
export function validateAkiliGroupPattern(pattern: string): void {
  for (const placeholder of ['{tenant}', '{role}']) {
    const count = pattern.split(placeholder).length - 1;
    if (count !== 1) {
      throw new Error(
        `Akili group pattern '${pattern}' must contain ${placeholder} exactly once, found ${count}`,
      );
    }
  }
}

/**
 * The identity provider group that grants `role` in `tenant` under `pattern`.
 *
 * @public
 */
export function formatAkiliGroupName(
  pattern: string,
  tenant: string,
  role: AkiliRole,
): string {
  validateAkiliGroupPattern(pattern);
  return pattern.replace('{tenant}', tenant).replace('{role}', role);
}
