import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
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

/** Who the guest of local development is (`akili.signIn.guest`). */
export interface AkiliGuestConfig {
  userEntityRef: string;
  /** The entity name of `userEntityRef`, for refusal messages and logs. */
  username: string;
  displayName: string;
  /** Identity provider group names, mapped like Authentik groups under `akili.tenancy`. */
  groups: string[];
}

const DEFAULT_GUEST_USER_ENTITY_REF = 'user:default/guest';

/**
 * Reads `akili.signIn.guest`: the guest's user entity ref (default `user:default/guest`), display
 * name (default `Guest`) and groups (default none, so a guest without groups is refused). A
 * malformed value fails at start-up.
 */
export function readAkiliGuestConfig(rootConfig: Config): AkiliGuestConfig {
  const guest = rootConfig.getOptionalConfig('akili.signIn.guest');
  const userEntityRef =
    guest?.getOptionalString('userEntityRef') ?? DEFAULT_GUEST_USER_ENTITY_REF;
  let ref;
  try {
    ref = parseEntityRef(userEntityRef);
    const validator = makeValidator();
    if (
      !validator.isValidNamespace(ref.namespace) ||
      !validator.isValidEntityName(ref.name)
    ) {
      throw new Error('invalid namespace or name');
    }
  } catch (error) {
    throw new Error(
      `akili.signIn.guest.userEntityRef is not a valid entity ref: ${
        (error as Error).message
      }`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new Error(
      `akili.signIn.guest.userEntityRef must be a user entity ref, got '${userEntityRef}'`,
    );
  }
  return {
    userEntityRef: stringifyEntityRef(ref),
    username: ref.name,
    displayName: guest?.getOptionalString('displayName')?.trim() || 'Guest',
    groups: guest?.getOptionalStringArray('groups') ?? [],
  };
}
