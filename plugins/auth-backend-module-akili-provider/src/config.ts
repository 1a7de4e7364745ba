import { Config } from '@backstage/config';
import { validateGroupPattern } from './groups';

/**
 * The Akili sign-in settings of one auth environment.
 *
 * @public
 */
export interface AkiliSignInConfig {
  groupPattern: string;
  platformAdminGroup: string;
  suspendedTenants: string[];
}

/** @public */
export const DEFAULT_GROUP_PATTERN = 'akili-{tenant}-{role}';
/** @public */
export const DEFAULT_PLATFORM_ADMIN_GROUP = 'akili-platform-admins';

/**
 * Reads the `akili` block of one environment of `auth.providers.oidc`
 * (`auth.providers.oidc.<env>.akili`), applying the defaults.
 *
 * @param envConfig - the config of `auth.providers.oidc.<env>`
 * @public
 */
export function readAkiliSignInConfig(envConfig: Config): AkiliSignInConfig {
  const akili = envConfig.getOptionalConfig('akili');
  const groupPattern =
    akili?.getOptionalString('groupPattern') ?? DEFAULT_GROUP_PATTERN;
  validateGroupPattern(groupPattern);
  const platformAdminGroup =
    akili?.getOptionalString('platformAdminGroup') ??
    DEFAULT_PLATFORM_ADMIN_GROUP;
  if (!platformAdminGroup.trim()) {
    throw new Error('Akili platformAdminGroup must not be empty');
  }
  return {
    groupPattern,
    platformAdminGroup,
    suspendedTenants: akili?.getOptionalStringArray('suspendedTenants') ?? [],
  };
}
