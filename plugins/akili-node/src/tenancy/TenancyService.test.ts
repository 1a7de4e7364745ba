import {
  BackstageCredentials,
  BackstageUserInfo,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import {
  AkiliIdentity,
  AkiliRequest,
  TenancyService,
  tenancyServiceRef,
} from './TenancyService';

/** Ownership refs per user, as the catalog would resolve them. */
const directory: Record<string, string[]> = {
  'user:default/dev': [
    'user:default/dev',
    'group:akili/acme.developer',
    'group:akili/globex.consumer',
  ],
  'user:default/admin': ['user:default/admin', 'group:akili/platform-admin'],
  'user:default/stranger': ['user:default/stranger', 'group:default/guests'],
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

function requestAs(header: string): AkiliRequest {
  return { headers: { authorization: header } } as unknown as AkiliRequest;
}
const asUser = (ref: string) => requestAs(mockCredentials.user.header(ref));

describe('TenancyService', () => {
  const tenancy = TenancyService.create({
    httpAuth: mockServices.httpAuth(),
    userInfo,
  });

  it('identifies a tenant member', async () => {
    await expect(tenancy.identify(asUser('user:default/dev'))).resolves.toEqual(
      {
        userEntityRef: 'user:default/dev',
        tenants: { acme: ['developer'], globex: ['consumer'] },
        platformAdmin: false,
      },
    );
  });

  it('identifies a platform admin without tenants', async () => {
    await expect(
      tenancy.identify(asUser('user:default/admin')),
    ).resolves.toEqual({
      userEntityRef: 'user:default/admin',
      tenants: {},
      platformAdmin: true,
    });
  });

  it('refuses a user of no tenant', async () => {
    await expect(
      tenancy.identify(asUser('user:default/stranger')),
    ).rejects.toThrow(
      new NotAllowedError(
        'user:default/stranger is not a member of any Akili tenant',
      ),
    );
  });

  it('accepts only user principals', async () => {
    await expect(
      tenancy.identify(requestAs(mockCredentials.service.header())),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      tenancy.identify(requestAs(mockCredentials.none.header())),
    ).rejects.toMatchObject({ name: 'AuthenticationError' });
  });

  it('lets a member with a needed role into a tenant', async () => {
    await expect(
      tenancy.requireTenant(asUser('user:default/dev'), 'acme', [
        'developer',
        'operator',
      ]),
    ).resolves.toMatchObject({ userEntityRef: 'user:default/dev' });
    await expect(
      tenancy.requireTenant(asUser('user:default/dev'), 'globex'),
    ).resolves.toMatchObject({ userEntityRef: 'user:default/dev' });
  });

  it('names the tenant and the needed role when refusing', async () => {
    await expect(
      tenancy.requireTenant(asUser('user:default/dev'), 'initech', [
        'operator',
      ]),
    ).rejects.toThrow(
      new NotAllowedError(
        "user:default/dev is not a member of tenant 'initech' (needs role operator)",
      ),
    );
    await expect(
      tenancy.requireTenant(asUser('user:default/dev'), 'globex', [
        'developer',
      ]),
    ).rejects.toThrow(
      new NotAllowedError(
        "user:default/dev needs role developer in tenant 'globex' (has consumer)",
      ),
    );
    await expect(
      tenancy.requireTenant(asUser('user:default/dev'), 'constructor'),
    ).rejects.toThrow(/not a member of tenant 'constructor'/);
  });

  it('lets platform admins into every tenant', async () => {
    await expect(
      tenancy.requireTenant(asUser('user:default/admin'), 'initech', [
        'operator',
      ]),
    ).resolves.toMatchObject({ platformAdmin: true });
  });

  it('rejects a malformed tenant name', async () => {
    await expect(
      tenancy.requireTenant(asUser('user:default/dev'), "acme'; --"),
    ).rejects.toMatchObject({ name: 'InputError' });
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
          router.get('/me', (req, res, next) => {
            tenancy
              .identify(req)
              .then((identity: AkiliIdentity) => res.json(identity))
              .catch(next);
          });
          router.delete('/tenants/:tenant/products/:name', (req, res, next) => {
            tenancy
              .requireTenant(req, req.params.tenant, ['developer', 'operator'])
              .then((identity: AkiliIdentity) =>
                res.json({
                  tenant: req.params.tenant,
                  by: identity.userEntityRef,
                }),
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
      ],
    });
    return server;
  }

  it('identifies the caller through the default factory', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/akili-test/me')
      .set('Authorization', mockCredentials.user.header('user:default/dev'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userEntityRef: 'user:default/dev',
      tenants: { acme: ['developer'], globex: ['consumer'] },
      platformAdmin: false,
    });
  });

  it('maps refusals to HTTP status codes', async () => {
    const server = await start();
    const call = (path: string, header: string) =>
      request(server).delete(path).set('Authorization', header);
    const dev = mockCredentials.user.header('user:default/dev');

    const allowed = await call(
      '/api/akili-test/tenants/acme/products/orders',
      dev,
    );
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ tenant: 'acme', by: 'user:default/dev' });

    const consumerOnly = await call(
      '/api/akili-test/tenants/globex/products/orders',
      dev,
    );
    expect(consumerOnly.status).toBe(403);
    expect(consumerOnly.body.error.message).toMatch(
      /needs role developer or operator in tenant 'globex'/,
    );

    expect(
      (await call('/api/akili-test/tenants/Bad_Name/products/x', dev)).status,
    ).toBe(400);
    expect(
      (
        await call(
          '/api/akili-test/tenants/acme/products/orders',
          mockCredentials.user.header('user:default/stranger'),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await call(
          '/api/akili-test/tenants/initech/products/orders',
          mockCredentials.user.header('user:default/admin'),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          '/api/akili-test/tenants/acme/products/orders',
          mockCredentials.none.header(),
        )
      ).status,
    ).toBe(401);
  });
});
