/*
 * Helpers shared by the ODPS and ODCS mappings. Internal to this package.
 */

import { Issue, PathSegment, issueToProblem } from '../manifest/paths';
import { NAME_PATTERN } from '../manifest/patterns';
import { ManifestProblem, TeamMember } from '../manifest/types';

/** Custom property names Akili writes and reads to keep what the standards lack. */
export const AKILI_PROPERTIES = {
  name: 'akiliName',
  owner: 'akiliOwner',
  type: 'akiliType',
  lifecycle: 'akiliLifecycle',
  transformation: 'akiliTransformation',
  schedule: 'akiliSchedule',
  support: 'akiliSupport',
  product: 'akiliProduct',
  port: 'akiliPort',
  external: 'akiliExternal',
  kind: 'akiliKind',
  location: 'akiliLocation',
  logicalType: 'akiliLogicalType',
  title: 'akiliTitle',
  description: 'akiliDescription',
} as const;

/** The annotation that keeps the `id` of an imported ODPS product. */
export const ANNOTATION_ODPS_ID = 'akili.io/odps-id';

export type Json = Record<string, any>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** `customProperties` as a map from property name to its value and index. */
export function customProperties(
  value: unknown,
): Map<string, { value: unknown; index: number }> {
  const map = new Map<string, { value: unknown; index: number }>();
  asArray(value).forEach((item, index) => {
    if (isRecord(item) && typeof item.property === 'string') {
      map.set(item.property, { value: item.value, index });
    }
  });
  return map;
}

/** Builds a `customProperties` list, leaving out undefined values. */
export function toCustomProperties(
  entries: Record<string, unknown>,
): Array<{ property: string; value: unknown }> {
  return Object.entries(entries)
    .filter(([, value]) => value !== undefined)
    .map(([property, value]) => ({ property, value }));
}

/**
 * A name usable as an Akili product, tenant or port name: lowercase, other characters turned
 * into dashes (underscores kept when `underscores`), at most 63 characters.
 */
export function slugify(text: string, underscores = false): string {
  const invalid = underscores ? /[^a-z0-9_-]+/g : /[^a-z0-9-]+/g;
  return text
    .toLocaleLowerCase('en-US')
    .replace(invalid, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, 63)
    .replace(/^[-_]+|[-_]+$/g, '');
}

/** Drops the keys whose value is undefined, so outputs stay minimal. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/** Collects issues of a mapping under a path prefix. */
export class IssueList {
  readonly issues: Issue[] = [];

  add(segments: PathSegment[], message: string, at?: Issue['at']) {
    this.issues.push({ segments, message, at });
  }

  problems(): ManifestProblem[] {
    return this.issues.map(issueToProblem);
  }
}

/** Team member roles of the standards (free text) onto Akili roles. */
export function mapTeamRole(role: unknown): TeamMember['role'] {
  const text = typeof role === 'string' ? role.toLocaleLowerCase('en-US') : '';
  if (text.includes('owner')) {
    return 'owner';
  }
  if (text.includes('steward')) {
    return 'steward';
  }
  if (text.includes('consumer') || text.includes('contact')) {
    return 'consumer-contact';
  }
  return 'developer';
}

/** Team members of a standard's `team` (an object with `members`, or a legacy array). */
export function mapTeamMembers(team: unknown): TeamMember[] | undefined {
  const members = isRecord(team) ? asArray(team.members) : asArray(team);
  const mapped = members
    .filter(isRecord)
    .filter(m => typeof m.username === 'string' && m.username.length > 0)
    .map(m => ({ user: m.username as string, role: mapTeamRole(m.role) }));
  return mapped.length > 0 ? mapped : undefined;
}

/** The tenant of an imported document whose source is not known yet (a file validated alone). */
export const DEFAULT_IMPORT_TENANT = 'default';

const TENANT_NAME = new RegExp(NAME_PATTERN);

/**
 * The tenant of an imported ODPS product or ODCS contract: the tenant of its source (its folder,
 * GitLab subgroup or registry entry) when known, whatever the document claims (a differing claim
 * is a warning); else the document's `tenant` when it is a valid Akili name; else a placeholder
 * with a warning.
 */
export function resolveTenant(
  claimedValue: unknown,
  sourceTenant: string | undefined,
  warnings: IssueList,
): string {
  const claimed = asString(claimedValue);
  if (sourceTenant) {
    if (claimed !== undefined && claimed !== sourceTenant) {
      warnings.add(
        ['tenant'],
        `tenant '${claimed}' is not the tenant of the document's source: it belongs to tenant '${sourceTenant}'`,
      );
    }
    return sourceTenant;
  }
  if (claimed && TENANT_NAME.test(claimed) && claimed.length <= 63) {
    return claimed;
  }
  const tenant = slugify(claimed ?? '') || DEFAULT_IMPORT_TENANT;
  warnings.add(
    ['tenant'],
    claimed === undefined
      ? `no tenant: the document belongs to the tenant of its source (where it is submitted or read); '${tenant}' until then`
      : `tenant '${claimed}' is not an Akili tenant name (lowercase letters, digits and dashes): the document belongs to the tenant of its source; '${tenant}' until then`,
    claimed === undefined ? 'parent' : 'value',
  );
  return tenant;
}

/** The domain of an imported product that names none. */
export const DEFAULT_IMPORT_DOMAIN = 'unassigned';

/** The domain of an imported product: its own, else {@link DEFAULT_IMPORT_DOMAIN} with a warning. */
export function resolveDomain(value: unknown, warnings: IssueList): string {
  const domain = asString(value);
  if (domain) {
    return domain;
  }
  warnings.add(
    ['domain'],
    `no domain: the product is put in domain '${DEFAULT_IMPORT_DOMAIN}'`,
    value === undefined ? 'parent' : 'value',
  );
  return DEFAULT_IMPORT_DOMAIN;
}

/**
 * The owning group of an imported product: the custom property `akiliOwner`, else the team name
 * made a valid name, else the tenant's group with a warning.
 */
export function resolveOwner(
  ownerProperty: unknown,
  team: unknown,
  tenant: string,
  warnings: IssueList,
): string {
  const teamName = isRecord(team) ? asString(team.name) : undefined;
  const owner =
    asString(ownerProperty) ?? (teamName ? slugify(teamName) : undefined);
  if (owner) {
    return owner;
  }
  warnings.add(
    isRecord(team) ? ['team', 'name'] : ['team'],
    `no owning group (the custom property '${AKILI_PROPERTIES.owner}' or the team name): the tenant's group '${tenant}' owns the product`,
    'parent',
  );
  return tenant;
}
