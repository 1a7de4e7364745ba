import {
  BackstageCredentials,
  BackstageUserInfo,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AkiliTenantPermission,
  createAkiliTenantPermission,
  TenantStatus,
} from '@akili/plugin-akili-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  mockTenantStatus,
} from '../testUtils';
import { AkiliApiTokenGrant } from '../apiTokens/types';
import {
  AkiliAuthentication,
  AkiliRequest,
  TenancyService,
  tenancyServiceRef,
} from './TenancyService';

/** Ownership refs per user, as the sign-in resolver put them in the token. */
const directory: Record<string, string[]> = {
  'user:default/dev': [
    'user:default/dev',
    'group:akili/acme.developer',
    'group:akili/globex.consumer',
  ],
  'user:default/ops': ['user:default/ops', 'group:akili/acme.operator'],
  'user:default/admin': ['user:default/admin', 'group:akili/platform-admin'],
  'user:default/stranger': ['user:default/stranger', 'group:default/guests'],
  // Claims a role in a tenant the registry does not know.
  'user:default/ghost': ['user:default/ghost', 'group:akili/nowhere.operator'],
};

const userInfo: UserInfoService = {
  async getUserInfo(credentials: BackstageCredentials) {
    const principal = credentials.principal as { userEntityRef: string };
    const info: BackstageUserInfo = {
      userEntityRef: principal.userEntityRef,
      ownershipEntityRefs: directory[principal.userEntityRef] ?? [],
    };
    return info;
  },
};

/** A permission of some plugin, as it declares it in its -common package. */
const readThings = createAkiliTenantPermission({
  name: 'akili.things.read',
  attributes: { action: 'read' },
  grantedTo: ['consumer', 'developer', 'operator'],
});
const deleteThings = createAkiliTenantPermission({
  name: 'akili.things.delete',
  attributes: { action: 'delete' },
  grantedTo: ['operator'],
});
const administerThings = createAkiliTenantPermission({
  name: 'akili.things.admin',
  attributes: { action: 'update' },
  grantedTo: [],
});

const grants: AkiliApiTokenGrant[] = [
  {
    tokenId: 'ci-acme',
    tenant: 'acme',
    permissions: ['akili.things.read'],
  },
];

function requestAs(header: string): AkiliRequest {
  return { headers: { authorization: header } } as unknown as AkiliRequest;
}
const asUser = (name: string) =>
  requestAs(mockCredentials.user.header(`user:default/${name}`));
const asToken = (tokenId: string) => requestAs(mockApiTokenHeader(tokenId));

function setUp(
  options: {
    statuses?: Record<string, TenantStatus>;
    permissions?: PermissionsService;
  } = {},
) {
  const statuses = {
    acme: 'active',
    globex: 'active',
    initech: 'active',
    ...options.statuses,
  } as Record<string, TenantStatus>;
  const tenantStatus = mockTenantStatus(statuses);
  const permissions =
    options.permissions ??
    mockServices.permissions.mock({
      authorize: jest.fn(async requests =>
        requests.map(() => ({
          result: AuthorizeResult.ALLOW as AuthorizeResult.ALLOW,
        })),
      ),
    });
  const resolver = {
    async resolve(credentials: BackstageCredentials) {
      const subject = (credentials.principal as { subject: string }).subject;
      return grants.find(g => subject === `akili-token:${g.tokenId}`);
    },
  };
  const tenancy = TenancyService.create({
    auth: mockServices.auth(),
    httpAuth: mockServices.httpAuth(),
    userInfo,
    permissions,
    apiTokens: resolver,
    tenantStatus,
  });
  return { tenancy, permissions, statuses };
}

const authorize = (
  tenancy: TenancyService,
  req: AkiliRequest | AkiliAuthentication,
  tenant: string,
  permission: AkiliTenantPermission,
  notFoundMessage?: string,
) => tenancy.authorize(req, { tenant, permission, notFoundMessage });

describe('TenancyService.authorize', () => {
  it('authenticates and authorizes a member in one call: principal, credentials and actor together', async () => {
    const { tenancy } = setUp();
    const authz = await authorize(tenancy, asUser('dev'), 'acme', readThings);
    expect(authz).toEqual({
      principal: {
        type: 'user',
        userEntityRef: 'user:default/dev',
        platformAdmin: false,
        tenants: { acme: ['developer'], globex: ['consumer'] },
      },
      tenant: 'acme',
      credentials: expect.objectContaining({
        principal: { type: 'user', userEntityRef: 'user:default/dev' },
      }),
      actorRef: 'user:default/dev',
    });
  });

  it('answers a foreign tenant exactly as one that does not exist, from the request only', async () => {
    const { tenancy } = setUp();
    const foreign = authorize(tenancy, asUser('ops'), 'globex', readThings);
    const missing = authorize(tenancy, asUser('ops'), 'nowhere', readThings);
    await expect(foreign).rejects.toThrow(
      new NotFoundError("No tenant 'globex'"),
    );
    await expect(missing).rejects.toThrow(
      new NotFoundError("No tenant 'nowhere'"),
    );
    // A route gives its own message, built from what it was asked.
    await expect(
      authorize(tenancy, asUser('ops'), 'globex', readThings, 'No run r-1'),
    ).rejects.toThrow(new NotFoundError('No run r-1'));
    await expect(
      authorize(tenancy, asUser('ops'), 'nowhere', readThings, 'No run r-1'),
    ).rejects.toThrow(new NotFoundError('No run r-1'));
    // A role in a tenant the registry does not know opens nothing.
    await expect(
      authorize(tenancy, asUser('ghost'), 'nowhere', readThings),
    ).rejects.toThrow(new NotFoundError("No tenant 'nowhere'"));
    // No inherited property is taken for a membership.
    await expect(
      authorize(tenancy, asUser('dev'), 'constructor', readThings),
    ).rejects.toThrow(new NotFoundError("No tenant 'constructor'"));
  });

  it('refuses a member without the permission, naming it and the roles that grant it', async () => {
    const { tenancy } = setUp();
    await expect(
      authorize(tenancy, asUser('dev'), 'acme', deleteThings),
    ).rejects.toThrow(
      new NotAllowedError(
        "user:default/dev needs role operator in tenant 'acme' for akili.things.delete",
      ),
    );
    await expect(
      authorize(tenancy, asUser('ops'), 'acme', administerThings),
    ).rejects.toThrow(
      new NotAllowedError(
        'user:default/ops needs to be a platform admin for akili.things.admin',
      ),
    );
    await expect(
      authorize(tenancy, asUser('ops'), 'acme', deleteThings),
    ).resolves.toMatchObject({ tenant: 'acme' });
  });

  it('also asks the permission policy, with the caller’s credentials, which may deny what the role allows', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: AuthorizeResult.DENY }]),
    });
    const { tenancy } = setUp({ permissions });
    await expect(
      authorize(tenancy, asUser('dev'), 'acme', readThings),
    ).rejects.toThrow(
      new NotAllowedError(
        'The permission policy does not allow akili.things.read',
      ),
    );
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: {
            type: 'basic',
            name: 'akili.things.read',
            attributes: { action: 'read' },
          },
        },
      ],
      {
        credentials: expect.objectContaining({
          principal: { type: 'user', userEntityRef: 'user:default/dev' },
        }),
      },
    );
  });

  it('lets platform admins act in every existing tenant, suspended ones included, with every permission', async () => {
    const { tenancy } = setUp({ statuses: { initech: 'suspended' } });
    for (const tenant of ['acme', 'initech']) {
      await expect(
        authorize(tenancy, asUser('admin'), tenant, administerThings),
      ).resolves.toMatchObject({ tenant, actorRef: 'user:default/admin' });
    }
    await expect(
      authorize(tenancy, asUser('admin'), 'nowhere', readThings),
    ).rejects.toThrow(new NotFoundError("No tenant 'nowhere'"));
  });

  it('refuses the members and tokens of a suspended tenant, and no one else learns of it', async () => {
    const { tenancy } = setUp({ statuses: { acme: 'suspended' } });
    await expect(
      authorize(tenancy, asUser('dev'), 'acme', readThings),
    ).rejects.toThrow(new NotAllowedError("Tenant 'acme' is suspended"));
    await expect(
      authorize(tenancy, asToken('ci-acme'), 'acme', readThings),
    ).rejects.toThrow(new NotAllowedError("Tenant 'acme' is suspended"));
    // Its status is not told to a non-member.
    await expect(
      authorize(tenancy, asUser('stranger'), 'acme', readThings),
    ).rejects.toThrow(new NotFoundError("No tenant 'acme'"));
  });

  it('lets a token act only in its tenant and only with its permissions', async () => {
    const { tenancy } = setUp();
    await expect(
      authorize(tenancy, asToken('ci-acme'), 'acme', readThings),
    ).resolves.toMatchObject({
      principal: {
        type: 'token',
        tokenId: 'ci-acme',
        tenant: 'acme',
        permissions: ['akili.things.read'],
      },
      actorRef: 'token:ci-acme',
      tenant: 'acme',
    });
    await expect(
      authorize(tenancy, asToken('ci-acme'), 'globex', readThings),
    ).rejects.toThrow(new NotFoundError("No tenant 'globex'"));
    await expect(
      authorize(tenancy, asToken('ci-acme'), 'acme', deleteThings),
    ).rejects.toThrow(
      new NotAllowedError(
        "token:ci-acme does not grant akili.things.delete in tenant 'acme'",
      ),
    );
  });

  it('refuses any other service principal: a plugin on its own behalf gets into no tenant', async () => {
    const { tenancy } = setUp();
    for (const subject of ['plugin:catalog', 'external:static-token']) {
      const req = requestAs(
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service(subject),
          targetPluginId: undefined as unknown as string,
        }),
      );
      await expect(authorize(tenancy, req, 'acme', readThings)).rejects.toThrow(
        new NotAllowedError(
          `Service principal '${subject}' may not call Akili routes: use a user's credentials or an Akili API token`,
        ),
      );
    }
    await expect(
      authorize(
        tenancy,
        requestAs(mockCredentials.none.header()),
        'acme',
        readThings,
      ),
    ).rejects.toMatchObject({ name: 'AuthenticationError' });
  });

  it('refuses a malformed tenant name', async () => {
    const { tenancy } = setUp();
    await expect(
      authorize(tenancy, asUser('admin'), "acme'; --", readThings),
    ).rejects.toMatchObject({ name: 'InputError' });
  });

  it('fails closed when the tenant status cannot be read', async () => {
    const { tenancy } = setUp();
    const down = TenancyService.create({
      auth: mockServices.auth(),
      httpAuth: mockServices.httpAuth(),
      userInfo,
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
      apiTokens: { resolve: async () => undefined },
      tenantStatus: {
        status: async () => {
          throw new ServiceUnavailableError('registry down');
        },
        invalidate: () => {},
      },
    });
    await expect(
      authorize(down, asUser('dev'), 'acme', readThings),
    ).rejects.toThrow(ServiceUnavailableError);
    await expect(
      down.can(asUser('dev'), { tenant: 'acme', permission: readThings }),
    ).rejects.toThrow(ServiceUnavailableError);
    expect(
      await tenancy.can(asUser('dev'), {
        tenant: 'acme',
        permission: deleteThings,
      }),
    ).toBe(false);
    expect(
      await tenancy.can(asUser('ops'), {
        tenant: 'acme',
        permission: deleteThings,
      }),
    ).toBe(true);
  });

  it('takes an authentication only when it made it, and reuses it without asking again', async () => {
    const { tenancy } = setUp();
    const spy = jest.spyOn(userInfo, 'getUserInfo');
    const caller = await tenancy.authenticate(asUser('ops'));
    await authorize(tenancy, caller, 'acme', readThings);
    await authorize(tenancy, caller, 'acme', deleteThings);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    const forged: AkiliAuthentication = {
      ...caller,
      principal: {
        type: 'user',
        userEntityRef: 'user:default/ops',
        platformAdmin: true,
        tenants: {},
      },
    };
    await expect(
      authorize(tenancy, forged, 'globex', readThings),
    ).rejects.toThrow(/must come from the TenancyService/);
  });
});

describe('TenancyService.authorizePlatform and authenticate', () => {
  it('lets only platform admins use a platform permission', async () => {
    const { tenancy } = setUp();
    await expect(
      tenancy.authorizePlatform(asUser('admin'), {
        permission: administerThings,
      }),
    ).resolves.toMatchObject({ actorRef: 'user:default/admin' });
    for (const req of [asUser('ops'), asToken('ci-acme')]) {
      await expect(
        tenancy.authorizePlatform(req, { permission: administerThings }),
      ).rejects.toThrow(
        /needs to be a platform admin for akili\.things\.admin$/,
      );
    }
  });

  it('authenticates a user of no tenant with no tenants, and a token with its grant', async () => {
    const { tenancy } = setUp();
    await expect(tenancy.authenticate(asUser('stranger'))).resolves.toEqual({
      principal: {
        type: 'user',
        userEntityRef: 'user:default/stranger',
        platformAdmin: false,
        tenants: {},
      },
      credentials: expect.anything(),
      actorRef: 'user:default/stranger',
    });
    await expect(tenancy.authenticate(asToken('unknown'))).rejects.toThrow(
      NotAllowedError,
    );
  });
});

describe('TenancyService.catalogCredentials', () => {
  it("passes a user's own credentials, and the plugin's own for a token, only inside the tenant", async () => {
    const { tenancy } = setUp();
    const user = await tenancy.authorize(asUser('dev'), {
      tenant: 'acme',
      permission: readThings,
    });
    await expect(
      tenancy.catalogCredentials(user, {
        kind: 'dataproduct',
        namespace: 'acme',
        name: 'orders',
      }),
    ).resolves.toBe(user.credentials);

    const token = await tenancy.authorize(asToken('ci-acme'), {
      tenant: 'acme',
      permission: readThings,
    });
    const own = await tenancy.catalogCredentials(token, {
      kind: 'dataproduct',
      namespace: 'acme',
      name: 'orders',
    });
    expect(own.principal).toEqual({
      type: 'service',
      subject: expect.stringMatching(/^plugin:/),
    });

    for (const authorization of [user, token]) {
      await expect(
        tenancy.catalogCredentials(authorization, {
          kind: 'dataproduct',
          namespace: 'globex',
          name: 'fleet',
        }),
      ).rejects.toThrow(
        /is authorized in tenant 'acme', not for an entity of namespace 'globex'$/,
      );
    }
  });
});

describe('tenancyServiceRef in a backend', () => {
  // A plugin as Akili backend plugins use the service: the tenant comes from the path and is
  // checked against the caller's verified identity.
  const testPlugin = createBackendPlugin({
    pluginId: 'akili-test',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          tenancy: tenancyServiceRef,
        },
        async init({ httpRouter, tenancy }) {
          const router = express.Router();
          router.delete('/tenants/:tenant/things/:name', (req, res, next) => {
            tenancy
              .authorize(req, {
                tenant: req.params.tenant,
                permission: deleteThings,
              })
              .then(({ tenant, actorRef }) =>
                res.json({ tenant, by: actorRef }),
              )
              .catch(next);
          });
          httpRouter.use(router);
        },
      });
    },
  });

  async function start() {
    const { server } = await startTestBackend({
      features: [
        testPlugin,
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => userInfo,
        }),
        mockTenantStatus({ acme: 'active', globex: 'active' }).factory,
        mockApiTokenResolverFactory(grants),
      ],
    });
    return server;
  }

  it('authorizes through the default factory, with status, tokens and policy', async () => {
    const server = await start();
    const as = (header: string) =>
      request(server)
        .delete('/api/akili-test/tenants/acme/things/orders')
        .set('Authorization', header);
    const ok = await as(mockCredentials.user.header('user:default/ops'));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ tenant: 'acme', by: 'user:default/ops' });
    const developer = await as(mockCredentials.user.header('user:default/dev'));
    expect(developer.status).toBe(403);
    const token = await as(mockApiTokenHeader('ci-acme'));
    expect(token.status).toBe(403);
    expect(token.body.error.message).toBe(
      "token:ci-acme does not grant akili.things.delete in tenant 'acme'",
    );
    const foreign = await request(server)
      .delete('/api/akili-test/tenants/globex/things/orders')
      .set('Authorization', mockCredentials.user.header('user:default/ops'));
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toBe("No tenant 'globex'");
    const unauthenticated = await as(mockCredentials.none.header());
    expect(unauthenticated.status).toBe(401);
  });
});
