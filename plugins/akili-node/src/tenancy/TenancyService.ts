import {
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
  createServiceRef,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AkiliTenancy,
  AkiliTenantRole,
  hasTenantAccess,
  parseTenancy,
  tenantRoles,
} from './parseTenancy';
import { assertValidTenantName } from './tenantName';

/**
 * An incoming request, as `HttpAuthService.credentials` takes it (an Express request).
 *
 * @public
 */
export type AkiliRequest = Parameters<HttpAuthService['credentials']>[0];

/**
 * The verified identity of an Akili user: who they are and where they may act.
 *
 * @public
 */
export interface AkiliIdentity extends AkiliTenancy {
  /** The user entity ref, e.g. `user:default/jane`. */
  userEntityRef: string;
}

/**
 * Turns verified credentials into Akili tenant memberships and roles. The one place where
 * backend plugins learn the caller's tenant: never from a request body or header.
 *
 * @public
 */
export class TenancyService {
  readonly #httpAuth: HttpAuthService;
  readonly #userInfo: UserInfoService;

  static create(options: {
    httpAuth: HttpAuthService;
    userInfo: UserInfoService;
  }): TenancyService {
    return new TenancyService(options.httpAuth, options.userInfo);
  }

  private constructor(httpAuth: HttpAuthService, userInfo: UserInfoService) {
    this.#httpAuth = httpAuth;
    this.#userInfo = userInfo;
  }

  /**
   * The identity of the user behind a request. Only user principals are accepted (service and
   * unauthenticated callers get the framework's `NotAllowedError`/`AuthenticationError`), and a
   * user who is neither a member of a tenant nor a platform admin gets a `NotAllowedError`.
   */
  async identify(req: AkiliRequest): Promise<AkiliIdentity> {
    const credentials = await this.#httpAuth.credentials(req, {
      allow: ['user'],
    });
    return this.identifyCredentials(credentials);
  }

  /**
   * Like {@link TenancyService.identify}, for user credentials obtained elsewhere (scaffolder
   * actions, event handlers acting on behalf of a user).
   */
  async identifyCredentials(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<AkiliIdentity> {
    const { userEntityRef, ownershipEntityRefs } =
      await this.#userInfo.getUserInfo(credentials);
    const tenancy = parseTenancy(ownershipEntityRefs);
    if (!tenancy.platformAdmin && Object.keys(tenancy.tenants).length === 0) {
      throw new NotAllowedError(
        `${userEntityRef} is not a member of any Akili tenant`,
      );
    }
    return { userEntityRef, ...tenancy };
  }

  /**
   * The identity of the user behind a request, after checking that they may act in `tenant`:
   * platform admins always may; members may when they hold one of `roles` (any role when
   * `roles` is omitted). Throws `InputError` for a malformed tenant name and `NotAllowedError`
   * naming the tenant and the needed role otherwise.
   */
  async requireTenant(
    req: AkiliRequest,
    tenant: string,
    roles?: readonly AkiliTenantRole[],
  ): Promise<AkiliIdentity> {
    const identity = await this.identify(req);
    assertValidTenantName(tenant);
    if (hasTenantAccess(identity, tenant, roles)) {
      return identity;
    }
    const needed = roles && roles.length > 0 ? roles.join(' or ') : 'any role';
    const held = tenantRoles(identity, tenant);
    throw new NotAllowedError(
      held
        ? `${
            identity.userEntityRef
          } needs role ${needed} in tenant '${tenant}' (has ${held.join(', ')})`
        : `${identity.userEntityRef} is not a member of tenant '${tenant}' (needs role ${needed})`,
    );
  }
}

const tenancyServiceDeps = {
  httpAuth: coreServices.httpAuth,
  userInfo: coreServices.userInfo,
};

/**
 * The tenancy service for Akili backend plugins. It has a default factory (plugin scoped, on
 * `httpAuth` and `userInfo`), so plugins only declare it as a dependency.
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
