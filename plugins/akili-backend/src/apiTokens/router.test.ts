import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import {
  createBackendPlugin,
  coreServices,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { akiliRunsReadPermission } from '@akili/plugin-dagster-common';
import {
  createAkiliApiTokenResolverServiceFactory,
  hashAkiliApiToken,
  tenancyServiceRef,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import {
  mockApiTokenHeader,
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { Knex } from 'knex';
import { akiliPlugin } from '../plugin';
import { API_TOKENS_TABLE } from './ApiTokenStore';

jest.setTimeout(60_000);

/** Ownership refs per user, as their sign-in put them in their token. */
const directory: Record<string, string[]> = {
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/dev': ['user:default/dev', 'group:akili/acme.developer'],
  'user:default/gus': ['user:default/gus', 'group:akili/globex.operator'],
  'user:default/admin': ['user:default/admin', 'group:akili/platform-admin'],
};

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

const SECRET = 'akili-api-token-test-secret-0123456789abcdef';

/**
 * Another Akili plugin (the runs plugin's shape): its route authorizes through its own
 * `TenancyService`, whose API token resolver asks the control plane over HTTP.
 */
const probePlugin = createBackendPlugin({
  pluginId: 'probe',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter, tenancy: tenancyServiceRef },
      async init({ httpRouter, tenancy }) {
        const router = Router();
        router.get('/runs/:tenant', async (req, res) => {
          const { actorRef, tenant } = await tenancy.authorize(req, {
            tenant: req.params.tenant,
            permission: akiliRunsReadPermission,
          });
          res.json({ actorRef, tenant });
        });
        httpRouter.use(router as express.Router);
      },
    });
  },
});

describe.each(requireTestDatabaseIds())('API tokens on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  let knex: Knex;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  /** The clock of every plugin's API token resolver (milliseconds). */
  let clock = Date.now();

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    ({ server } = await startTestBackend({
      features: [
        akiliPlugin,
        probePlugin,
        userInfoFromDirectory(directory),
        createAkiliApiTokenResolverServiceFactory({ now: () => clock }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            akili: {
              apiTokens: { secret: SECRET },
              tenants: {
                seed: [
                  { name: 'acme', title: 'ACME' },
                  { name: 'globex', title: 'Globex' },
                ],
              },
            },
          },
        }),
      ],
    }));
  });

  const api = (path: string) => `/api/akili/v1/tenants/${path}`;
  const issue = (
    tenant: string,
    body: object,
    user = 'olga',
  ): Promise<request.Response> =>
    request(server)
      .post(api(`${tenant}/api-tokens`))
      .set('Authorization', as(user))
      .send(body);
  const withToken = (path: string, tokenId: string) =>
    request(server).get(path).set('Authorization', mockApiTokenHeader(tokenId));

  it('lets an operator issue a token whose secret is shown once and stored only as a hash, audited', async () => {
    const res = await issue('acme', {
      name: 'GitLab CI of orders',
      permissions: ['akili.runs.read', 'akili.product.read'],
      expiresInDays: 30,
    });
    expect(res.status).toBe(201);
    const { token, secret } = res.body;
    expect(secret).toMatch(/^akili_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token).toEqual({
      id: expect.stringMatching(/^acme\.[0-9a-f-]{36}$/),
      tenant: 'acme',
      name: 'GitLab CI of orders',
      permissions: ['akili.product.read', 'akili.runs.read'],
      status: 'active',
      createdBy: 'user:default/olga',
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    const days =
      (Date.parse(token.expiresAt) - Date.parse(token.createdAt)) / 86_400_000;
    expect(Math.round(days)).toBe(30);

    // The list never shows the secret again.
    const list = await request(server)
      .get(api('acme/api-tokens'))
      .set('Authorization', as('olga'));
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([token]);
    expect(JSON.stringify(list.body)).not.toContain(secret.split('.')[1]);
    expect(list.body.grantablePermissions).toEqual(
      expect.arrayContaining(['akili.runs.terminate', 'akili.tenant.operate']),
    );
    expect(list.body.grantablePermissions).not.toContain('akili.tenant.admin');

    // The table holds the token's hash, and nothing of the token itself; on PostgreSQL its rows
    // are visible inside their tenant's transaction only (row-level security).
    const outsideTenant = await knex(API_TOKENS_TABLE).select();
    expect(outsideTenant).toHaveLength(
      knex.client.dialect === 'postgresql' ? 0 : 1,
    );
    const db = TenantScopedDatabase.create(knex);
    expect(
      await db.withTenant('globex', tx => db.scoped(tx, API_TOKENS_TABLE)),
    ).toEqual([]);
    const rows = await db.withTenant('acme', tx =>
      tx(API_TOKENS_TABLE).select(),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(hashAkiliApiToken(secret));
    const [payload, mac] = secret.slice('akili_'.length).split('.');
    for (const value of Object.values(rows[0])) {
      expect(String(value)).not.toContain(payload);
      expect(String(value)).not.toContain(mac);
    }

    const audit = await request(server)
      .get(api('acme/audit'))
      .set('Authorization', as('olga'));
    expect(audit.body.items[0]).toMatchObject({
      action: 'api-token.issued',
      actor: 'user:default/olga',
      details: {
        tokenId: token.id,
        name: 'GitLab CI of orders',
        permissions: ['akili.product.read', 'akili.runs.read'],
        expiresAt: token.expiresAt,
      },
    });
  });

  it('a token of acme does exactly its permissions in acme, in every plugin, and nothing else', async () => {
    const { body } = await issue('acme', {
      name: 'runs reader',
      permissions: ['akili.runs.read'],
      expiresInDays: 1,
    });
    const id = body.token.id;

    // Its permission, in its tenant, in another plugin: allowed, acting as the token.
    const runs = await withToken('/api/probe/runs/acme', id);
    expect(runs.status).toBe(200);
    expect(runs.body).toEqual({ actorRef: `token:${id}`, tenant: 'acme' });

    // Another tenant: the same answer as a tenant that does not exist.
    const foreign = await withToken('/api/probe/runs/globex', id);
    const missing = await withToken('/api/probe/runs/nowhere', id);
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.message).toBe("No tenant 'globex'");
    expect(missing.body.error.message).toBe("No tenant 'nowhere'");
    const foreignTenant = await withToken(api('globex'), id);
    expect(foreignTenant.status).toBe(404);
    expect(foreignTenant.body.error.message).toBe("No tenant 'globex'");

    // A permission it does not hold, in its own tenant: refused, naming it.
    const read = await withToken(api('acme'), id);
    expect(read.status).toBe(403);
    expect(read.body.error.message).toContain('akili.tenant.read');
    const members = await withToken(api('acme/members'), id);
    expect(members.status).toBe(403);
  });

  it('a token never manages tokens, even one holding akili.tenant.operate', async () => {
    const { body } = await issue('acme', {
      name: 'operations bot',
      permissions: ['akili.tenant.operate'],
      expiresInDays: 1,
    });
    const members = await withToken(api('acme/members'), body.token.id);
    expect(members.status).toBe(200);
    const list = await withToken(api('acme/api-tokens'), body.token.id);
    expect(list.status).toBe(403);
    expect(list.body.error.message).toBe(
      `token:${body.token.id} may not manage API tokens: only people operating the tenant may`,
    );
    const more = await request(server)
      .post(api('acme/api-tokens'))
      .set('Authorization', mockApiTokenHeader(body.token.id))
      .send({ name: 'x', permissions: ['akili.runs.read'], expiresInDays: 1 });
    expect(more.status).toBe(403);
  });

  it('refuses a revoked token once the cache window has passed, and audits the revocation', async () => {
    const { body } = await issue('acme', {
      name: 'to revoke',
      permissions: ['akili.runs.read'],
      expiresInDays: 1,
    });
    const id = body.token.id;
    expect((await withToken('/api/probe/runs/acme', id)).status).toBe(200);

    const revoked = await request(server)
      .delete(api(`acme/api-tokens/${id}`))
      .set('Authorization', as('olga'));
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      id,
      status: 'revoked',
      revokedBy: 'user:default/olga',
      revokedAt: expect.any(String),
    });

    // Within 30 s a plugin may still use what it looked up; not after.
    clock += 29_000;
    expect((await withToken('/api/probe/runs/acme', id)).status).toBe(200);
    clock += 1_000;
    const refused = await withToken('/api/probe/runs/acme', id);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      `Service principal 'akili-token:${id}' may not call Akili routes: use a user's credentials or an Akili API token`,
    );

    const again = await request(server)
      .delete(api(`acme/api-tokens/${id}`))
      .set('Authorization', as('olga'));
    expect(again.status).toBe(409);

    const audit = await request(server)
      .get(api('acme/audit'))
      .set('Authorization', as('olga'));
    expect(audit.body.items[0]).toMatchObject({
      action: 'api-token.revoked',
      actor: 'user:default/olga',
      details: { tokenId: id, name: 'to revoke' },
    });
  });

  it('records when a token was last used', async () => {
    const { body } = await issue('acme', {
      name: 'last used',
      permissions: ['akili.runs.read'],
      expiresInDays: 1,
    });
    await withToken('/api/probe/runs/acme', body.token.id);
    const list = await request(server)
      .get(api('acme/api-tokens'))
      .set('Authorization', as('olga'));
    const listed = list.body.items.find((t: any) => t.id === body.token.id);
    expect(listed.lastUsedAt).toEqual(expect.any(String));
  });

  it('lets only operators and platform admins manage tokens: others 403, other tenants 404', async () => {
    const developer = await issue(
      'acme',
      { name: 'x', permissions: ['akili.runs.read'], expiresInDays: 1 },
      'dev',
    );
    expect(developer.status).toBe(403);
    expect(
      (
        await request(server)
          .get(api('acme/api-tokens'))
          .set('Authorization', as('dev'))
      ).status,
    ).toBe(403);

    const foreign = await request(server)
      .get(api('acme/api-tokens'))
      .set('Authorization', as('gus'));
    const missing = await request(server)
      .get(api('nowhere/api-tokens'))
      .set('Authorization', as('gus'));
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.message).toBe("No tenant 'acme'");

    // An operator of globex cannot revoke acme's tokens, even knowing an id.
    const { body } = await issue('acme', {
      name: 'kept',
      permissions: ['akili.runs.read'],
      expiresInDays: 1,
    });
    const across = await request(server)
      .delete(api(`globex/api-tokens/${body.token.id}`))
      .set('Authorization', as('gus'));
    expect(across.status).toBe(404);
    expect(across.body.error.message).toBe(`No API token '${body.token.id}'`);
    expect(
      (await withToken('/api/probe/runs/acme', body.token.id)).status,
    ).toBe(200);

    const admin = await issue(
      'globex',
      {
        name: 'admin',
        permissions: ['akili.runs.terminate'],
        expiresInDays: 1,
      },
      'admin',
    );
    expect(admin.status).toBe(201);
    expect(admin.body.token.createdBy).toBe('user:default/admin');
  });

  it('refuses permissions the issuer cannot grant and bad input', async () => {
    const admin = await issue('acme', {
      name: 'x',
      permissions: ['akili.tenant.admin'],
      expiresInDays: 1,
    });
    expect(admin.status).toBe(403);
    expect(admin.body.error.message).toContain(
      'may not put akili.tenant.admin in an API token',
    );
    const unknown = await issue('acme', {
      name: 'x',
      permissions: ['catalog.entity.read'],
      expiresInDays: 1,
    });
    expect(unknown.status).toBe(403);

    for (const body of [
      { permissions: ['akili.runs.read'], expiresInDays: 1 },
      { name: 'x', permissions: [], expiresInDays: 1 },
      { name: 'x', permissions: ['akili.runs.read'], expiresInDays: 366 },
      { name: 'x', permissions: ['akili.runs.read'], expiresInDays: 0.5 },
      {
        name: 'x',
        permissions: ['akili.runs.read'],
        expiresInDays: 1,
        tenant: 'globex',
      },
    ]) {
      const res = await issue('acme', body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
    }
  });

  it('answers token grants to backend plugins only', async () => {
    const asUser = await request(server)
      .post('/api/akili/v1/internal/api-tokens/status')
      .set('Authorization', as('admin'))
      .send({ ids: [] });
    expect(asUser.status).toBe(403);
    const { body } = await issue('acme', {
      name: 'status',
      permissions: ['akili.runs.read'],
      expiresInDays: 1,
    });
    const asToken = await request(server)
      .post('/api/akili/v1/internal/api-tokens/status')
      .set('Authorization', mockApiTokenHeader(body.token.id))
      .send({ ids: [body.token.id] });
    expect(asToken.status).toBe(403);
    expect(asToken.body.error.message).toBe(
      'Only backend plugins may ask for API token grants',
    );
  });
});
