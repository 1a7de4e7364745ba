import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import {
  AKILI_PLATFORM_ADMIN_REF,
  AKILI_ROLES,
  AkiliRole,
  isValidTenantName,
  validateAkiliGroupPattern,
} from '@akili/plugin-akili-common';

/** The catalog namespace that holds the Akili ownership groups. */
const AKILI_GROUP_NAMESPACE = 'akili';

/**
 * Options of {@link groupsToAkiliIdentity}.
 *
 * @public
 */
export interface AkiliGroupMappingOptions {
  /**
   * The user's entity ref, derived from the identity provider's stable subject (see
   * `userEntityRefFromSubject`), never from a name.
   */
  userEntityRef: string;
  /** How the user is named in refusal messages and logs (their username); display only. */
  username: string;
  /** Template of tenant role group names, containing `{tenant}` and `{role}` once each. */
  groupPattern: string;
  /** Name of the Authentik group whose members are platform admins. */
  platformAdminGroup: string;
  /**
   * Status of each tenant in the tenant registry; tenants absent from the map are unknown.
   * Without a map every well-formed tenant is taken as active.
   */
  tenantStatuses?: ReadonlyMap<string, AkiliTenantStatus>;
}

/** A tenant's standing in the registry, as far as sign-in is concerned. */
export type AkiliTenantStatus = 'active' | 'suspended';

/**
 * A group that looked like an Akili tenant group but was not used.
 *
 * @public
 */
export interface AkiliIgnoredGroup {
  group: string;
  reason: 'malformed-tenant' | 'suspended-tenant' | 'unknown-tenant';
}

/**
 * The Akili identity derived from the Authentik groups of a user.
 *
 * @public
 */
export interface AkiliIdentity {
  /** The user entity ref given in the options. */
  userEntityRef: string;
  /** The `ent` claim: the user ref, tenant role groups and the platform admin group. */
  ownershipEntityRefs: string[];
  /** The tenant roles granted, sorted by their group name. */
  memberships: Array<{ tenant: string; role: AkiliRole }>;
  platformAdmin: boolean;
  /** Groups that matched the naming scheme but were not used, with the reason. */
  ignoredGroups: AkiliIgnoredGroup[];
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileGroupPattern(pattern: string): RegExp {
  validateAkiliGroupPattern(pattern);
  const source = pattern
    .split(/(\{tenant\}|\{role\})/)
    .map(part => {
      if (part === '{tenant}') {
        return '(?<tenant>.*)';
      }
      if (part === '{role}') {
        return `(?<role>${AKILI_ROLES.join('|')})`;
      }
      return escapeRegExp(part);
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * Maps the Authentik `groups` claim of a user to the Akili identity contract: the user's
 * entity ref, `group:akili/<tenant>.<role>` for each tenant role and
 * `group:akili/platform-admin` for platform admins.
 *
 * Groups that do not match the naming scheme are not Akili groups and are skipped
 * silently; groups that match it with a malformed tenant name, or name a suspended
 * tenant, are reported in `ignoredGroups`.
 *
 * @throws AuthenticationError when the groups claim is missing or not a list
 * @throws NotAllowedError when the user is not a member of any (non-suspended)
 *   Akili tenant and not a platform admin
 * @public
 */
export function groupsToAkiliIdentity(
  groups: unknown,
  options: AkiliGroupMappingOptions,
): AkiliIdentity {
  const { username, platformAdminGroup } = options;
  if (!Array.isArray(groups)) {
    throw new AuthenticationError(
      `Sign-in refused: the identity provider sent no groups claim for user '${username}'`,
    );
  }
  const matcher = compileGroupPattern(options.groupPattern);
  const statuses = options.tenantStatuses;

  let platformAdmin = false;
  const memberships = new Map<string, { tenant: string; role: AkiliRole }>();
  const ignoredGroups: AkiliIgnoredGroup[] = [];
  const refusedTenants = new Map<string, 'suspended' | 'unknown'>();

  for (const group of groups) {
    if (typeof group !== 'string') {
      continue;
    }
    if (group === platformAdminGroup) {
      platformAdmin = true;
      continue;
    }
    const match = matcher.exec(group);
    if (!match?.groups) {
      continue;
    }
    const tenant = match.groups.tenant;
    const role = match.groups.role as AkiliRole;
    if (!isValidTenantName(tenant)) {
      ignoredGroups.push({ group, reason: 'malformed-tenant' });
      continue;
    }
    const status = statuses ? statuses.get(tenant) ?? 'unknown' : 'active';
    if (status !== 'active') {
      ignoredGroups.push({ group, reason: `${status}-tenant` });
      refusedTenants.set(tenant, status);
      continue;
    }
    memberships.set(`${tenant}.${role}`, { tenant, role });
  }

  if (memberships.size === 0 && !platformAdmin) {
    if (refusedTenants.size > 0) {
      const refused = [...refusedTenants.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([tenant, status]) => `${tenant}: ${status}`)
        .join(', ');
      throw new NotAllowedError(
        `Sign-in refused: user '${username}' is only a member of Akili tenants that are suspended or unknown to the tenant registry (${refused})`,
      );
    }
    throw new NotAllowedError(
      `Sign-in refused: user '${username}' is not a member of any Akili tenant`,
    );
  }

  const sorted = [...memberships.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, membership]) => membership);
  const { userEntityRef } = options;
  return {
    userEntityRef,
    ownershipEntityRefs: [
      userEntityRef,
      ...sorted.map(
        ({ tenant, role }) =>
          `group:${AKILI_GROUP_NAMESPACE}/${tenant}.${role}`,
      ),
      ...(platformAdmin ? [AKILI_PLATFORM_ADMIN_REF] : []),
    ],
    memberships: sorted,
    platformAdmin,
    ignoredGroups,
  };
}

/**
 * The well-formed tenant names the groups claim mentions under `groupPattern`, to look up in the
 * tenant registry before mapping. Anything that is not a list of strings yields none.
 */
export function tenantsNamedByGroups(
  groups: unknown,
  groupPattern: string,
): string[] {
  if (!Array.isArray(groups)) {
    return [];
  }
  const matcher = compileGroupPattern(groupPattern);
  const tenants = new Set<string>();
  for (const group of groups) {
    const tenant =
      typeof group === 'string'
        ? matcher.exec(group)?.groups?.tenant
        : undefined;
    if (tenant !== undefined && isValidTenantName(tenant)) {
      tenants.add(tenant);
    }
  }
  return [...tenants].sort();
}
