import { parseAkiliAccess } from '@akili/plugin-akili-common';
import {
  BackstageCredentials,
  BackstageUserInfo,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { AKILI_POLICY_TABLE, matchesDeclared, PolicyTableEntry } from './table';

const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * How many distinct unknown names are logged. Anyone signed in can ask the permission backend
 * about any name, so the memory of what was logged must stay bounded.
 */
const MAX_REPORTED_UNKNOWN = 500;

/**
 * The Akili tenant permission policy: deny by default, with an explicit decision for every
 * permission of every plugin the portal backend loads ({@link AKILI_POLICY_TABLE}).
 *
 * @remarks
 *
 * - A request without a user (unauthenticated) is denied.
 * - A permission without a row in the table, or whose shape (basic/resource, resource type)
 *   differs from the row's, is denied for everyone, platform admins included, and logged once
 *   per name.
 * - Service principals never reach a policy: Backstage's permissions service answers ALLOW for
 *   them itself (within the access restrictions of external tokens). Plugins calling on their
 *   own behalf are therefore unrestricted by this policy; external callers are restricted by
 *   their token's `accessRestrictions` and by the Akili routes' own tenant checks.
 *
 * @public
 */
export class AkiliPermissionPolicy implements PermissionPolicy {
  private readonly userInfo: UserInfoService;
  private readonly logger: LoggerService;
  private readonly table: ReadonlyMap<string, PolicyTableEntry>;
  private readonly reportedUnknown = new Set<string>();
  // The permission backend evaluates a batch with one credentials object: look it up once.
  private readonly infoCache = new WeakMap<
    BackstageCredentials,
    Promise<BackstageUserInfo>
  >();

  constructor(options: {
    userInfo: UserInfoService;
    logger: LoggerService;
    /** The decision table; {@link AKILI_POLICY_TABLE} unless a test gives another. */
    table?: readonly PolicyTableEntry[];
  }) {
    this.userInfo = options.userInfo;
    this.logger = options.logger;
    const table = new Map<string, PolicyTableEntry>();
    for (const entry of options.table ?? AKILI_POLICY_TABLE) {
      if (table.has(entry.permission.name)) {
        throw new Error(
          `The Akili policy table decides '${entry.permission.name}' twice`,
        );
      }
      table.set(entry.permission.name, entry);
    }
    this.table = table;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const entry = this.table.get(permission.name);
    if (!entry || !matchesDeclared(permission, entry.permission)) {
      this.reportUnknown(request);
      return DENY;
    }
    if (!user) {
      return DENY;
    }
    const info = await this.getUserInfo(user.credentials);
    return entry.decide(permission, {
      access: parseAkiliAccess(info.ownershipEntityRefs),
      user,
    });
  }

  private reportUnknown({ permission }: PolicyQuery) {
    if (
      this.reportedUnknown.has(permission.name) ||
      this.reportedUnknown.size > MAX_REPORTED_UNKNOWN
    ) {
      return;
    }
    this.reportedUnknown.add(permission.name);
    if (this.reportedUnknown.size > MAX_REPORTED_UNKNOWN) {
      this.logger.warn(
        'Too many permissions unknown to the Akili policy, no longer logging them',
        { limit: MAX_REPORTED_UNKNOWN },
      );
      return;
    }
    this.logger.warn('Permission unknown to the Akili policy, denied', {
      permission: permission.name,
      permissionType: permission.type,
      resourceType:
        permission.type === 'resource' ? permission.resourceType : undefined,
      declaredAs: this.table.has(permission.name)
        ? 'a permission of another shape'
        : undefined,
    });
  }

  private getUserInfo(
    credentials: BackstageCredentials,
  ): Promise<BackstageUserInfo> {
    let info = this.infoCache.get(credentials);
    if (!info) {
      info = this.userInfo.getUserInfo(credentials);
      this.infoCache.set(credentials, info);
      // Do not keep a failed lookup for the rest of the batch's lifetime.
      info.catch(() => this.infoCache.delete(credentials));
    }
    return info;
  }
}
