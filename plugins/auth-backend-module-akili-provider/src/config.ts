import { Config } from '@backstage/config';
import {
  DEFAULT_AKILI_GROUP_PATTERN,
  DEFAULT_AKILI_PLATFORM_ADMIN_GROUP,
  validateAkiliGroupPattern,
} from '@akili/plugin-akili-common';

/** How identity provider groups map to Akili roles (`akili.tenancy` in app-config). */
export interface AkiliSignInConfig {
  groupPattern: string;
  platformAdminGroup: string;
}

/** Reads and checks `akili.tenancy` from the root config; bad values fail at start-up. */
export function readAkiliSignInConfig(rootConfig: Config): AkiliSignInConfig {
  const tenancy = rootConfig.getOptionalConfig('akili.tenancy');
  const groupPattern =
    tenancy?.getOptionalString('groupPattern') ?? DEFAULT_AKILI_GROUP_PATTERN;
  validateAkiliGroupPattern(groupPattern);
  const platformAdminGroup =
    tenancy?.getOptionalString('platformAdminGroup') ??
    DEFAULT_AKILI_PLATFORM_ADMIN_GROUP;
  if (!platformAdminGroup.trim()) {
    throw new Error('akili.tenancy.platformAdminGroup must not be empty');
  }
  return { groupPattern, platformAdminGroup };
}
