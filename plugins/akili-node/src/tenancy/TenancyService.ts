import {
  AuthService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
  createServiceRef,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AkiliRole,
  akiliRolesGrant,
  akiliTenantRoleRecord,
  AkiliTenantPermission,
  parseAkiliAccess,
} from '@akili/plugin-akili-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AkiliApiTokenResolver,
  akiliApiTokenResolverServiceRef,
} from '../apiTokens/types';
import { assertValidTenantName } from './tenantName';
import {
  AkiliTenantStatusService,
  akiliTenantStatusServiceRef,
} from './tenantStatus';

/**
 * An incoming request, as `HttpAuthService.credentials` takes it (an Express request).
 *
 * @public
 */
export type AkiliRequest = Parameters<HttpAuthService['credentials']>[0];

/**
 * Who is calling an Akili route: a user (with their roles per tenant, from their verified
 * identity), or an Akili API token (one tenant, named permissions).
 *
 * @public
 */
export type AkiliPrincipal =
  | {
      type: 'user';
      /** The user entity ref, e.g. `user:default/jane`. */
      userEntityRef: string;
      /** Platform admins may act in every tenant with every Akili permission. */
      platformAdmin: boolean;
      /** Roles per tenant (tenants sorted, roles in model order). */
      tenants: Record<string, AkiliRole[]>;
    }
  | {
      type: 'token';
      tokenId: string;
      /** The one tenant the token acts in. */
      tenant: string;
      /** The permission names it holds; nothing else is allowed. */
      permissions: readonly string[];
    };

/**
 * An authenticated caller: who, the credentials to pass on (catalog reads and the like), and
 * the actor ref for audit rows.
 *
 * @public
 */
export interface AkiliAuthentication {
  principal: AkiliPrincipal;
  credentials: BackstageCredentials;
  /** The user entity ref, or `token:<tokenId>` for an API token. */
  actorRef: string;
}

/**
 * An authenticated caller allowed a permission in a tenant.
 *
 * @public
 */
export interface AkiliAuthorization extends AkiliAuthentication {
  tenant: string;
}

/**
 * What {@link TenancyService.authorize} checks.
 *
 * @public
 */
export interface AkiliAuthorizeOptions {
  /** The tenant asked for (validated here: an `InputError` when malformed). */
  tenant: string;
  /** The permission, declared with the roles that grant it (`createAkiliTenantPermission`). */
  permission: AkiliTenantPermission;
  /**
   * The message of the `NotFoundError` for a tenant the caller may not see, built only from what
   * the request asked for (e.g. `No run <id>`), so a foreign tenant's resource answers exactly as
   * one that does not exist. Default: `No tenant '<tenant>'`.
   */
  notFoundMessage?: string;
}

/** A user's roles in one tenant, or `undefined` when not a member (safe for any string). */
function rolesIn(
  tenants: Record<string, AkiliRole[]>,
  tenant: string,
): AkiliRole[] | undefined {
  return Object.prototype.hasOwnProperty.call(tenants, tenant)
    ? tenants[tenant]
    : undefined;
}

/**
 * The one authorization path of Akili backend routes: it authenticates a request and authorizes
 * a permission in a tenant, returning identity and credentials together.
 *
 * @remarks
 *
 * The tenant always comes from what the route asks for (a path parameter, a run's tenant tag),
 * checked against the caller's verified identity, never from a header or body:
 *
 * - users: their roles per tenant come from their ownership refs (`parseAkiliAccess`); a member
 *   passes when a role grants the permission (or they are a platform admin), AND the permission
 *   policy (`permissions.authorize`) allows it;
 * - Akili API tokens (`akiliApiTokenResolverServiceRef`): the token's tenant must be the tenant
 *   asked for and its permissions must include the one asked for;
 * - any other service principal is refused: a plugin calling on its own behalf does not get into
 *   a tenant (internal service-only routes say so explicitly and do not come here).
 *
 * A tenant the caller may not see (not a member, no such tenant, a token of another tenant) is a
 * `NotFoundError` built only from the request; a suspended tenant is a `NotAllowedError` for its
 * members and tokens (platform admins still manage it); a missing permission is a
 * `NotAllowedError` naming it and the roles that grant it. The tenant's status comes from
 * `akiliTenantStatusServiceRef`, cached for at most 30 s.
 *
 * @public
 */
export class TenancyService {
  readonly #auth: AuthService;
  readonly #httpAuth: HttpAuthService;
  readonly #userInfo: UserInfoService;
  readonly #permissions: PermissionsService;
  readonly #apiTokens: AkiliApiTokenResolver;
  readonly #tenantStatus: AkiliTenantStatusService;
  /** One authentication per request, shared by every check of the request. */
  readonly #byRequest = new WeakMap<object, Promise<AkiliAuthentication>>();
  /** The authentications this service made: nothing else is taken for one. */
  readonly #issued = new WeakSet<AkiliAuthentication>();

  static create(options: {
    auth: AuthService;
    httpAuth: HttpAuthService;
    userInfo: UserInfoService;
    permissions: PermissionsService;
    apiTokens: AkiliApiTokenResolver;
    tenantStatus: AkiliTenantStatusService;
  }): TenancyService {
    return new TenancyService(options);
  }

  private constructor(options: {
    auth: AuthService;
    httpAuth: HttpAuthService;
    userInfo: UserInfoService;
    permissions: PermissionsService;
    apiTokens: AkiliApiTokenResolver;
    tenantStatus: AkiliTenantStatusService;
  }) {
    this.#auth = options.auth;
    this.#httpAuth = options.httpAuth;
    this.#userInfo = options.userInfo;
    this.#permissions = options.permissions;
    this.#apiTokens = options.apiTokens;
    this.#tenantStatus = options.tenantStatus;
  }

  /** The tenant status this service checks (for the control plane: to invalidate it). */
  get tenantStatus(): AkiliTenantStatusService {
    return this.#tenantStatus;
  }

  /**
   * Authenticates a request, for routes that have no tenant yet (the caller's own identity, the
   * tenants they may list). Users and Akili API tokens pass; unauthenticated requests get the
   * framework's `AuthenticationError`, other service principals a `NotAllowedError`. A user of
   * no tenant is authenticated with no tenants.
   */
  authenticate(req: AkiliRequest): Promise<AkiliAuthentication> {
    let authentication = this.#byRequest.get(req);
    if (!authentication) {
      authentication = this.#authenticate(req);
      this.#byRequest.set(req, authentication);
    }
    return authentication;
  }

  async #authenticate(req: AkiliRequest): Promise<AkiliAuthentication> {
    const credentials = await this.#httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type === 'user') {
      return this.authenticateUser(
        credentials as BackstageCredentials<BackstageUserPrincipal>,
      );
    }
    const service =
      credentials as BackstageCredentials<BackstageServicePrincipal>;
    const grant = await this.#apiTokens.resolve(service);
    if (!grant) {
      throw new NotAllowedError(
        `Service principal '${service.principal.subject}' may not call Akili routes: use a user's credentials or an Akili API token`,
      );
    }
    return this.#issue({
      principal: {
        type: 'token',
        tokenId: grant.tokenId,
        tenant: grant.tenant,
        permissions: [...grant.permissions],
      },
      credentials,
      actorRef: `token:${grant.tokenId}`,
    });
  }

  /**
   * Authenticates a user whose credentials were obtained elsewhere (scaffolder actions, event
   * handlers acting on behalf of a user), for {@link TenancyService.authorize}.
   */
  async authenticateUser(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<AkiliAuthentication> {
    const { userEntityRef, ownershipEntityRefs } =
      await this.#userInfo.getUserInfo(credentials);
    const access = parseAkiliAccess(ownershipEntityRefs);
    return this.#issue({
      principal: {
        type: 'user',
        userEntityRef,
        platformAdmin: access.platformAdmin,
        tenants: akiliTenantRoleRecord(access),
      },
      credentials,
      actorRef: userEntityRef,
    });
  }

  /**
   * Authenticates the request (or takes an authentication of this service) and authorizes
   * `permission` in `tenant`; see the class remarks for every answer. Throws `InputError` for a
   * malformed tenant name, `NotFoundError`, `NotAllowedError`, and `ServiceUnavailableError`
   * when the tenant registry cannot be asked.
   */
  async authorize(
    caller: AkiliRequest | AkiliAuthentication,
    options: AkiliAuthorizeOptions,
  ): Promise<AkiliAuthorization> {
    const authentication = await this.#authenticationOf(caller);
    const { principal, actorRef } = authentication;
    const { permission } = options;
    const tenant = assertValidTenantName(options.tenant);
    const notFound = () =>
      new NotFoundError(options.notFoundMessage ?? `No tenant '${tenant}'`);

    let roles: AkiliRole[] | undefined;
    if (principal.type === 'user') {
      roles = rolesIn(principal.tenants, tenant);
      if (!principal.platformAdmin && !roles) {
        throw notFound();
      }
    } else if (principal.tenant !== tenant) {
      throw notFound();
    }

    const status = await this.#tenantStatus.status(tenant);
    if (status === undefined) {
      throw notFound();
    }
    const platformAdmin = principal.type === 'user' && principal.platformAdmin;
    if (status === 'suspended' && !platformAdmin) {
      throw new NotAllowedError(`Tenant '${tenant}' is suspended`);
    }

    if (principal.type === 'token') {
      if (!principal.permissions.includes(permission.name)) {
        throw new NotAllowedError(
          `${actorRef} does not grant ${permission.name} in tenant '${tenant}'`,
        );
      }
    } else if (!platformAdmin && !akiliRolesGrant(roles ?? [], permission)) {
      throw new NotAllowedError(
        permission.grantedTo.length > 0
          ? `${actorRef} needs role ${permission.grantedTo.join(
              ' or ',
            )} in tenant '${tenant}' for ${permission.name}`
          : `${actorRef} needs to be a platform admin for ${permission.name}`,
      );
    }

    await this.#askPolicy(authentication, permission);
    return { ...authentication, tenant };
  }

  /**
   * Authorizes a platform-wide permission (no tenant: creating tenants, listing every tenant):
   * platform admins only, and the permission policy must allow it. Tokens, being scoped to one
   * tenant, never pass.
   */
  async authorizePlatform(
    caller: AkiliRequest | AkiliAuthentication,
    options: { permission: AkiliTenantPermission },
  ): Promise<AkiliAuthentication> {
    const authentication = await this.#authenticationOf(caller);
    const { principal, actorRef } = authentication;
    if (principal.type !== 'user' || !principal.platformAdmin) {
      throw new NotAllowedError(
        `${actorRef} needs to be a platform admin for ${options.permission.name}`,
      );
    }
    await this.#askPolicy(authentication, options.permission);
    return authentication;
  }

  /**
   * The credentials to read entities of an authorized tenant from the catalog. A user's are
   * their own, so the catalog's policy applies on top. An API token's would be refused by the
   * catalog (its access is restricted to the Akili plugins), so the plugin reads with its own
   * service credentials, and only entities of the token's tenant: a ref (or a namespace, for a
   * query the caller filters by `metadata.namespace`) outside `authorization.tenant` throws.
   */
  async catalogCredentials(
    authorization: AkiliAuthorization,
    entityRef: CompoundEntityRef | { namespace: string },
  ): Promise<BackstageCredentials> {
    if (
      entityRef.namespace.toLocaleLowerCase('en-US') !== authorization.tenant
    ) {
      throw new NotAllowedError(
        `${authorization.actorRef} is authorized in tenant '${authorization.tenant}', not for an entity of namespace '${entityRef.namespace}'`,
      );
    }
    if (authorization.principal.type === 'user') {
      return authorization.credentials;
    }
    return this.#auth.getOwnServiceCredentials();
  }

  /**
   * Whether {@link TenancyService.authorize} would pass, for answers that show what a caller may
   * do (buttons to enable). Refusals are `false`; other failures (the registry is down) throw.
   */
  async can(
    caller: AkiliRequest | AkiliAuthentication,
    options: AkiliAuthorizeOptions,
  ): Promise<boolean> {
    try {
      await this.authorize(caller, options);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof NotAllowedError) {
        return false;
      }
      throw error;
    }
  }

  async #askPolicy(
    authentication: AkiliAuthentication,
    permission: AkiliTenantPermission,
  ): Promise<void> {
    // The Backstage permission itself (the role grant is this path's business, not the wire's).
    const { type, name, attributes } = permission;
    const [decision] = await this.#permissions.authorize(
      [{ permission: { type, name, attributes } }],
      { credentials: authentication.credentials },
    );
    if (decision?.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `The permission policy does not allow ${permission.name}`,
      );
    }
  }

  async #authenticationOf(
    caller: AkiliRequest | AkiliAuthentication,
  ): Promise<AkiliAuthentication> {
    if (this.#issued.has(caller as AkiliAuthentication)) {
      return caller as AkiliAuthentication;
    }
    if ('principal' in caller || 'actorRef' in caller) {
      // Looks like an authentication but was not made here: never trusted.
      throw new Error(
        'An Akili authentication must come from the TenancyService of the same plugin',
      );
    }
    return this.authenticate(caller as AkiliRequest);
  }

  #issue(authentication: AkiliAuthentication): AkiliAuthentication {
    this.#issued.add(authentication);
    return authentication;
  }
}

const tenancyServiceDeps = {
  auth: coreServices.auth,
  httpAuth: coreServices.httpAuth,
  userInfo: coreServices.userInfo,
  permissions: coreServices.permissions,
  apiTokens: akiliApiTokenResolverServiceRef,
  tenantStatus: akiliTenantStatusServiceRef,
};

/**
 * The authorization path of an Akili backend plugin. It has a default factory (plugin scoped, on
 * `auth`, `httpAuth`, `userInfo`, `permissions`, the API token resolver and the tenant status), so
 * plugins only declare it as a dependency.
 *
 * @public
 */
export const tenancyServiceRef = createServiceRef<TenancyService>({
  id: 'akili.tenancy',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: tenancyServiceDeps,
      factory: deps => TenancyService.create(deps),
    }),
});

/**
 * A factory for {@link tenancyServiceRef}, for backends (or tests) that register service
 * factories explicitly; the same as the default one.
 *
 * @public
 */
export const tenancyServiceFactory = createServiceFactory({
  service: tenancyServiceRef,
  deps: tenancyServiceDeps,
  factory: deps => TenancyService.create(deps),
});
