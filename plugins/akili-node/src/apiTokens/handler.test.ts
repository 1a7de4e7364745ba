import express from 'express';
import request from 'supertest';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { akiliApiTokenHandlerServiceFactory } from './handler';
import { newAkiliApiTokenId, signAkiliApiToken } from './tokenFormat';

jest.setTimeout(60_000);

const SECRET = 'akili-api-token-test-secret-0123456789abcdef';

/** A plugin answering who called it, for any authenticated principal. */
const whoami = (pluginId: string) =>
  createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = express.Router();
          router.get('/whoami', async (req, res, next) => {
            try {
              const { principal } = await httpAuth.credentials(req);
              res.json(principal);
            } catch (error) {
              next(error);
            }
          });
          httpRouter.use(router);
        },
      });
    },
  });

/** The production shape: the `akili` handler, accepted by the Akili plugins only. */
const externalAccess = [
  {
    type: 'akili',
    options: {},
    accessRestrictions: [{ plugin: 'akili' }, { plugin: 'dagster' }],
  },
];

function start(config: object, withCatalog = false) {
  return startTestBackend({
    features: [
      whoami('akili'),
      whoami('other'),
      ...(withCatalog ? [catalogPlugin] : []),
      // The real token handling: the handler runs inside every plugin's auth service.
      authServiceFactory,
      httpAuthServiceFactory,
      akiliApiTokenHandlerServiceFactory,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
}

const inADay = () => new Date(Date.now() + 86_400_000);

describe('the akili external token handler', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  const id = newAkiliApiTokenId('acme');
  const token = signAkiliApiToken(SECRET, { id, expiresAt: inADay() });
  const get = (path: string, bearer: string) =>
    request(server).get(path).set('Authorization', `Bearer ${bearer}`);

  beforeAll(async () => {
    ({ server } = await start(
      {
        backend: { auth: { externalAccess } },
        akili: { apiTokens: { secret: SECRET } },
      },
      true,
    ));
  });

  it('makes a verified token the service principal akili-token:<id> of an Akili plugin', async () => {
    const res = await get('/api/akili/whoami', token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      type: 'service',
      subject: `akili-token:${id}`,
      accessRestrictions: {},
    });
  });

  it('is refused by the catalog and every other plugin outside the access restrictions', async () => {
    for (const path of [
      '/api/catalog/entities',
      '/api/catalog/entities/by-query',
      '/api/other/whoami',
    ]) {
      const res = await get(path, token);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        "This token's access is restricted to plugin(s) 'akili', 'dagster'",
      );
    }
  });

  it('refuses forged, altered, foreign-secret and expired tokens', async () => {
    const [payload, mac] = token.slice('akili_'.length).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const otherTenant = Buffer.from(
      JSON.stringify({ ...claims, id: id.replace('acme.', 'globex.') }),
    ).toString('base64url');
    for (const bad of [
      `akili_${otherTenant}.${mac}`,
      signAkiliApiToken('x'.repeat(40), { id, expiresAt: inADay() }),
      signAkiliApiToken(SECRET, { id, expiresAt: new Date(Date.now() - 1) }),
      'akili_nonsense',
    ]) {
      for (const path of ['/api/akili/whoami', '/api/catalog/entities']) {
        const res = await get(path, bad);
        expect(res.status).toBe(401);
      }
    }
  });
});

describe('the akili external token handler, not configured', () => {
  const token = signAkiliApiToken(SECRET, {
    id: newAkiliApiTokenId('acme'),
    expiresAt: inADay(),
  });

  it('accepts no token without akili.apiTokens.secret', async () => {
    const { server } = await start({ backend: { auth: { externalAccess } } });
    const res = await request(server)
      .get('/api/akili/whoami')
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
  });

  it('accepts no token without an externalAccess entry of type akili', async () => {
    const { server } = await start({
      akili: { apiTokens: { secret: SECRET } },
    });
    const res = await request(server)
      .get('/api/akili/whoami')
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
  });
});
