import { AkiliAccess } from '@akili/plugin-akili-common';
import { CatalogRequestContext } from './requestContext';
import {
  isSameSource,
  LocationTarget,
  SourceScope,
  SourceTenancy,
} from './sources';

/**
 * Why a read was refused; the message built from it names only what the entity asked for.
 *
 * @public
 */
export type ReadRefusal =
  /** The target is not in the same tenant (or platform source) as the entity's own file. */
  | 'outside-source'
  /** On a user's behalf: the target is not in a tenant the user develops or operates. */
  | 'outside-user-tenants'
  /** On behalf of something other than a user (a plugin, an external token). */
  | 'not-a-user';

/** The tenant roles that may have the catalog read their tenant's files on their behalf. */
const READING_ROLES = ['developer', 'operator'] as const;

function mayReadTenant(access: AkiliAccess, tenant: string): boolean {
  const roles = access.tenantRoles.get(tenant);
  return Boolean(roles && READING_ROLES.some(r => roles.has(r)));
}

/**
 * Decides whether the catalog may read a file (a placeholder's or a Location's target) for an
 * entity whose own location is `base`.
 *
 * @remarks
 *
 * - Processing (no request): the target must be in the same source as the entity's file: the
 *   same tenant's GitLab group, or the platform's projects of the same host (outside the root
 *   group); a local file only from a local file, when `allowLocal`. An entity re-reading its own
 *   file is always allowed.
 * - A user's request (`/validate-entity`, where the user chooses the base location): the target
 *   must also be in a tenant where the user is a developer or operator. Platform admins are held
 *   to the processing rule only.
 * - Any other caller's request: nothing is read.
 *
 * @public
 */
export class CatalogReadGuard {
  constructor(
    private readonly tenancy: SourceTenancy,
    private readonly context: CatalogRequestContext,
  ) {}

  async check(
    target: LocationTarget,
    base: LocationTarget,
    options: { allowLocal: boolean },
  ): Promise<ReadRefusal | undefined> {
    const requester = await this.context.current();
    const targetScope = () => this.tenancy.scopeOf(target);
    const baseScope = () => this.tenancy.scopeOf(base);

    if (
      requester &&
      !(requester.type === 'user' && requester.access.platformAdmin)
    ) {
      if (requester.type !== 'user') {
        return 'not-a-user';
      }
      const scope = targetScope();
      if (
        scope.kind !== 'tenant' ||
        !mayReadTenant(requester.access, scope.tenant)
      ) {
        return 'outside-user-tenants';
      }
      return isSameSource(scope, baseScope()) ? undefined : 'outside-source';
    }

    if (target.type === base.type && target.target === base.target) {
      return undefined;
    }
    const [to, from] = [targetScope(), baseScope()];
    if (options.allowLocal && isLocal(to) && isLocal(from)) {
      return undefined;
    }
    return isSameSource(to, from) ? undefined : 'outside-source';
  }
}

function isLocal(scope: SourceScope) {
  return scope.kind === 'local';
}

/** The end of a refusal message, for the reason given. */
export function describeRefusal(reason: ReadRefusal): string {
  switch (reason) {
    case 'outside-source':
      return 'only files of the tenant (or platform source) of the entity’s own file are read';
    case 'outside-user-tenants':
      return 'on your behalf, only files of tenants you develop or operate are read';
    case 'not-a-user':
      return 'files are read only on behalf of a signed-in user';
    default:
      return 'refused';
  }
}
