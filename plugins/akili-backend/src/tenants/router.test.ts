import { randomBytes } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { TenantScopedDatabase } from '@akili/plugin-akili-node';
import {
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { akiliPlugin } from '../plugin';

jest.setTimeout(60_000);

/** Ownership refs per user, as the catalog would resolve them at sign-in. */
const directory: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/olga': [
    'user:default/olga',
    'group:akili/acme.operator',
    'group:akili/globex.consumer',
  ],
  'user:default/gus': ['user:default/gus', 'group:akili/globex.operator'],
  'user:default/admin': ['user:default/admin', 'group:akili/platform-admin'],
  'user:default/nobody': ['user:default/nobody', 'group:default/guests'],
};

const userInfoFactory = userInfoFromDirectory(directory);

const SEED = [
  {
    name: 'acme',
    title: 'ACME Retail',
    description: 'Demo tenant - online and in-store retail',
  },
  {
    name: 'globex',
    title: 'Globex Logistics',
    quotas: { queryRowLimit: 500 },
  },
];

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

describe.each(requireTestDatabaseIds())(
  'tenant management on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    // Each test's backend stops after it: its outbox relay holds a LISTEN connection outside
    // the pool, which would keep the test database from being dropped.
    const backends: Array<{ stop(): Promise<void> }> = [];
    afterEach(async () => {
      await Promise.all(backends.splice(0).map(backend => backend.stop()));
    });

    async function start(
      options: {
        knex?: Knex;
        seed?: Array<{ name: string; title: string }>;
        groupPattern?: string;
      } = {},
    ) {
      const knex = options.knex ?? (await databases.init(databaseId));
      const backend = await startTestBackend({
        features: [
          akiliPlugin,
          userInfoFactory,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              akili: {
                ...(options.groupPattern
                  ? { tenancy: { groupPattern: options.groupPattern } }
                  : {}),
                tenants: { seed: options.seed ?? SEED },
              },
            },
          }),
        ],
      });
      backends.push(backend);
      const { server } = backend;
      const api = {
        get: (path: string, user = 'admin') =>
          request(server)
            .get(`/api/akili${path}`)
            .set('Authorization', as(user)),
        post: (path: string, body?: object, user = 'admin') =>
          request(server)
            .post(`/api/akili${path}`)
            .set('Authorization', as(user))
            .send(body),
        patch: (path: string, body: object, user = 'admin') =>
          request(server)
            .patch(`/api/akili${path}`)
            .set('Authorization', as(user))
            .send(body),
      };
      return { server, knex, api };
    }

    it('seeds the configured tenants once, audited as created by system', async () => {
      const { knex, api } = await start();
      const list = await api.get('/v1/tenants');
      expect(list.status).toBe(200);
      expect(list.body.items.map((t: any) => t.name)).toEqual([
        'acme',
        'globex',
      ]);
      expect(list.body.items[0]).toEqual({
        name: 'acme',
        title: 'ACME Retail',
        description: 'Demo tenant - online and in-store retail',
        status: 'active',
        quotas: { queryRowLimit: 10000, maxConcurrentQueries: 4 },
        groups: [
          { role: 'consumer', group: 'akili-acme-consumer' },
          { role: 'developer', group: 'akili-acme-developer' },
          { role: 'operator', group: 'akili-acme-operator' },
        ],
        memberCount: 0,
        createdAt: expect.any(String),
        createdBy: 'system',
        updatedAt: expect.any(String),
      });
      expect(list.body.items[1].quotas).toEqual({
        queryRowLimit: 500,
        maxConcurrentQueries: 4,
      });
      const audit = await api.get('/v1/tenants/acme/audit');
      expect(audit.body.items).toEqual([
        {
          id: expect.any(String),
          tenant: 'acme',
          action: 'tenant.created',
          actor: 'system',
          at: expect.any(String),
          details: {
            source: 'config',
            title: 'ACME Retail',
            description: 'Demo tenant - online and in-store retail',
            quotas: { queryRowLimit: 10000, maxConcurrentQueries: 4 },
          },
        },
      ]);

      // A restart with changed seed config: acme stays as it is, initech is added.
      const again = await start({
        knex,
        groupPattern: 'idp-{role}-of-{tenant}',
        seed: [
          { name: 'acme', title: 'Renamed by config' },
          { name: 'initech', title: 'Initech Payments' },
        ],
      });
      const after = await again.api.get('/v1/tenants');
      expect(
        after.body.items.map((t: any) => [t.name, t.title, t.groups[0].group]),
      ).toEqual([
        ['acme', 'ACME Retail', 'idp-consumer-of-acme'],
        ['globex', 'Globex Logistics', 'idp-consumer-of-globex'],
        ['initech', 'Initech Payments', 'idp-consumer-of-initech'],
      ]);
      expect(
        (await again.api.get('/v1/tenants/acme/audit')).body.items,
      ).toHaveLength(1);
    });

    it('lets a platform admin create, update, suspend and resume, with an audit row each', async () => {
      const { api } = await start();
      const created = await api.post('/v1/tenants', {
        name: 'initech',
        title: 'Initech Payments',
        quotas: { maxConcurrentQueries: 2 },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'initech',
        title: 'Initech Payments',
        status: 'active',
        quotas: { queryRowLimit: 10000, maxConcurrentQueries: 2 },
        createdBy: 'user:default/admin',
        memberCount: 0,
      });
      expect(created.body).not.toHaveProperty('description');

      const updated = await api.patch('/v1/tenants/initech', {
        title: 'Initech Finance',
        description: 'Payments and risk',
        quotas: { queryRowLimit: 2000, maxConcurrentQueries: 2 },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        title: 'Initech Finance',
        description: 'Payments and risk',
        quotas: { queryRowLimit: 2000, maxConcurrentQueries: 2 },
      });

      const suspended = await api.post('/v1/tenants/initech/suspend', {
        reason: 'Unpaid invoice',
      });
      expect(suspended.status).toBe(200);
      expect(suspended.body).toMatchObject({
        status: 'suspended',
        suspendedReason: 'Unpaid invoice',
      });
      const twice = await api.post('/v1/tenants/initech/suspend', {
        reason: 'Again',
      });
      expect(twice.status).toBe(409);

      const resumed = await api.post('/v1/tenants/initech/resume');
      expect(resumed.status).toBe(200);
      expect(resumed.body.status).toBe('active');
      expect(resumed.body).not.toHaveProperty('suspendedReason');
      expect((await api.post('/v1/tenants/initech/resume')).status).toBe(409);

      // A no-op update writes no audit row.
      expect(
        (await api.patch('/v1/tenants/initech', { title: 'Initech Finance' }))
          .status,
      ).toBe(200);

      const audit = await api.get('/v1/tenants/initech/audit');
      expect(audit.status).toBe(200);
      expect(
        audit.body.items.map((e: any) => ({
          action: e.action,
          actor: e.actor,
          details: e.details,
        })),
      ).toEqual([
        {
          action: 'tenant.resumed',
          actor: 'user:default/admin',
          details: { suspendedReason: 'Unpaid invoice' },
        },
        {
          action: 'tenant.suspended',
          actor: 'user:default/admin',
          details: { reason: 'Unpaid invoice' },
        },
        {
          action: 'tenant.updated',
          actor: 'user:default/admin',
          details: {
            changes: {
              title: { before: 'Initech Payments', after: 'Initech Finance' },
              description: { before: null, after: 'Payments and risk' },
              'quotas.queryRowLimit': { before: 10000, after: 2000 },
            },
          },
        },
        {
          action: 'tenant.created',
          actor: 'user:default/admin',
          details: {
            title: 'Initech Payments',
            quotas: { queryRowLimit: 10000, maxConcurrentQueries: 2 },
          },
        },
      ]);
      for (const entry of audit.body.items) {
        expect(entry.tenant).toBe('initech');
        expect(Date.parse(entry.at)).not.toBeNaN();
      }

      // Pages, newest first.
      const page1 = await api.get('/v1/tenants/initech/audit?limit=3');
      expect(page1.body.items.map((e: any) => e.action)).toEqual([
        'tenant.resumed',
        'tenant.suspended',
        'tenant.updated',
      ]);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const page2 = await api.get(
        `/v1/tenants/initech/audit?limit=3&cursor=${page1.body.nextCursor}`,
      );
      expect(page2.body.items.map((e: any) => e.action)).toEqual([
        'tenant.created',
      ]);
      expect(page2.body).not.toHaveProperty('nextCursor');
      expect(
        (await api.get('/v1/tenants/initech/audit?limit=0')).body.error.message,
      ).toMatch(/limit/);
      expect(
        (await api.get('/v1/tenants/initech/audit?cursor=abc')).status,
      ).toBe(400);
    });

    it('keeps a lake storage quota: set at creation, changed (audited), given to plugins, 400 when not a positive whole number', async () => {
      const { server, api } = await start();
      const created = await api.post('/v1/tenants', {
        name: 'initech',
        title: 'Initech',
        quotas: { storageQuotaBytes: 5_000_000_000 },
      });
      expect(created.status).toBe(201);
      expect(created.body.quotas).toEqual({
        queryRowLimit: 10000,
        maxConcurrentQueries: 4,
        storageQuotaBytes: 5_000_000_000,
      });
      const acme = await api.patch('/v1/tenants/acme', {
        quotas: { storageQuotaBytes: 2 ** 40 },
      });
      expect(acme.status).toBe(200);
      expect(acme.body.quotas.storageQuotaBytes).toBe(2 ** 40);
      const audit = await api.get('/v1/tenants/acme/audit?limit=1');
      expect(audit.body.items[0].details).toEqual({
        changes: {
          'quotas.storageQuotaBytes': { before: null, after: 2 ** 40 },
        },
      });
      const status = await request(server)
        .post('/api/akili/v1/internal/tenant-status')
        .set(
          'Authorization',
          mockCredentials.service.header({
            onBehalfOf: mockCredentials.service('plugin:lake'),
            targetPluginId: 'akili',
          }),
        )
        .send({ tenants: ['acme', 'globex'] });
      expect(status.body.tenants.acme.quotas.storageQuotaBytes).toBe(2 ** 40);
      expect(status.body.tenants.globex.quotas).not.toHaveProperty(
        'storageQuotaBytes',
      );
      for (const bad of [0, -1, 1.5, '10', 2 ** 60]) {
        const res = await api.patch('/v1/tenants/acme', {
          quotas: { storageQuotaBytes: bad },
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(
          /^request\/body\/quotas\/storageQuotaBytes must be /,
        );
      }
      expect(
        (await api.get('/v1/tenants/acme')).body.quotas.storageQuotaBytes,
      ).toBe(2 ** 40);
    });

    it('answers 404 to admin changes of a tenant that does not exist, and 409 to a duplicate', async () => {
      const { api } = await start();
      expect(
        (await api.post('/v1/tenants', { name: 'acme', title: 'Again' }))
          .status,
      ).toBe(409);
      expect((await api.get('/v1/tenants/nope')).status).toBe(404);
      expect((await api.patch('/v1/tenants/nope', { title: 'x' })).status).toBe(
        404,
      );
      expect(
        (await api.post('/v1/tenants/nope/suspend', { reason: 'x' })).status,
      ).toBe(404);
      expect((await api.post('/v1/tenants/nope/resume')).status).toBe(404);
    });

    it('refuses tenant administration to everyone but platform admins', async () => {
      const { api } = await start();
      for (const user of ['alice', 'olga', 'nobody']) {
        const attempts = [
          await api.post('/v1/tenants', { name: 'initech', title: 'I' }, user),
          await api.patch('/v1/tenants/acme', { title: 'Mine' }, user),
          await api.post('/v1/tenants/acme/suspend', { reason: 'x' }, user),
          await api.post('/v1/tenants/acme/resume', {}, user),
        ];
        expect(attempts.map(res => res.status)).toEqual([403, 403, 403, 403]);
      }
      const acme = await api.get('/v1/tenants/acme');
      expect(acme.body).toMatchObject({
        title: 'ACME Retail',
        status: 'active',
      });
      expect((await api.get('/v1/tenants/initech')).status).toBe(404);
      expect((await api.get('/v1/tenants/acme/audit')).body.items).toHaveLength(
        1,
      );
    });

    it.each([
      [{ name: 'Bad_Name', title: 'x' }, /name must be lowercase/],
      [{ name: 'default', title: 'x' }, /name is reserved/],
      [{ name: 'akili', title: 'x' }, /name is reserved/],
      [{ title: 'x' }, /must have required property 'name'/],
      [{ name: 'initech', title: '  ' }, /title must not be empty/],
      [{ name: 'initech' }, /must have required property 'title'/],
      [
        { name: 'initech', title: 'x', quotas: { queryRowLimit: 0 } },
        /request\/body\/quotas\/queryRowLimit must be >= 1/,
      ],
      [
        { name: 'initech', title: 'x', quotas: { maxConcurrentQueries: 1.5 } },
        /request\/body\/quotas\/maxConcurrentQueries must be integer/,
      ],
      [
        { name: 'initech', title: 'x', quotas: { queryRowLimit: '10' } },
        /request\/body\/quotas\/queryRowLimit must be integer/,
      ],
      [
        { name: 'initech', title: 'x', quotas: { cpu: 2 } },
        /unknown field in quotas: cpu/,
      ],
      [{ name: 'initech', title: 'x', owner: 'me' }, /unknown field: owner/],
    ])('answers 400 naming the field for %j', async (body, message) => {
      const { api } = await start();
      const res = await api.post('/v1/tenants', body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
    });

    it('answers 400 naming the field for bad update and suspend bodies', async () => {
      const { api } = await start();
      const cases: Array<[request.Test, RegExp]> = [
        [
          api.patch('/v1/tenants/acme', { name: 'other' }),
          /unknown field: name/,
        ],
        [
          api.patch('/v1/tenants/acme', { title: '' }),
          /title must not be empty/,
        ],
        [
          api.patch('/v1/tenants/acme', { quotas: { queryRowLimit: -5 } }),
          /request\/body\/quotas\/queryRowLimit must be >= 1/,
        ],
        [
          api.post('/v1/tenants/acme/suspend', {}),
          /must have required property 'reason'/,
        ],
        [
          api.post('/v1/tenants/acme/suspend', { reason: ' ' }),
          /reason must not be empty/,
        ],
      ];
      for (const [call, message] of cases) {
        const res = await call;
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(message);
      }
      expect((await api.get('/v1/tenants/acme')).body.status).toBe('active');
    });

    it('shows members only their own tenants, and never reveals others', async () => {
      const { api } = await start();
      const list = await api.get('/v1/tenants', 'alice');
      expect(list.status).toBe(200);
      expect(list.body.items.map((t: any) => t.name)).toEqual(['acme']);
      expect((await api.get('/v1/tenants/acme', 'alice')).status).toBe(200);

      for (const path of [
        '/v1/tenants/globex',
        '/v1/tenants/globex/members',
        '/v1/tenants/globex/audit',
        '/v1/tenants/initech',
        '/v1/tenants/initech/members',
      ]) {
        const res = await api.get(path, 'alice');
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
      }
      // An existing and a missing tenant look the same to a non-member.
      expect(
        (await api.get('/v1/tenants/globex', 'alice')).body.error.message,
      ).toBe("No tenant 'globex'");

      const olga = await api.get('/v1/tenants', 'olga');
      expect(olga.body.items.map((t: any) => t.name)).toEqual([
        'acme',
        'globex',
      ]);
      // A member of a tenant not created (yet) sees nothing of it.
      const gus = await api.get('/v1/tenants', 'gus');
      expect(gus.body.items.map((t: any) => t.name)).toEqual(['globex']);
      const nobody = await api.get('/v1/tenants', 'nobody');
      expect(nobody.status).toBe(200);
      expect(nobody.body.items).toEqual([]);
      expect((await api.get('/v1/tenants/acme', 'nobody')).status).toBe(404);
    });

    it('answers every tenant route for another tenant exactly as for one that does not exist', async () => {
      const { server } = await start();
      const routes: Array<['get' | 'post' | 'patch', string]> = [
        ['get', '/v1/tenants/T'],
        ['get', '/v1/tenants/T/members'],
        ['get', '/v1/tenants/T/audit'],
        ['get', '/v1/tenants/T/events'],
        ['get', '/v1/tenants/T/dead-letters'],
        ['post', '/v1/tenants/T/dead-letters/1/retry'],
        ['patch', '/v1/tenants/T'],
        ['post', '/v1/tenants/T/suspend'],
        ['post', '/v1/tenants/T/resume'],
      ];
      // alice is a developer of acme only: globex exists, initech does not.
      for (const [method, path] of routes) {
        const answers = [];
        for (const tenant of ['globex', 'initech']) {
          const res = await request(server)
            [method](`/api/akili${path.replace('T', tenant)}`)
            .set('Authorization', as('alice'))
            .send({ title: 'x', reason: 'x' });
          answers.push({
            status: res.status,
            body: JSON.stringify(res.body.error).replaceAll(tenant, 'T'),
          });
          expect(JSON.stringify(res.body)).not.toMatch(/Globex|Logistics/);
        }
        expect({ path, answer: answers[0] }).toEqual({
          path,
          answer: answers[1],
        });
        expect([403, 404]).toContain(answers[0].status);
      }
    });

    it('lets operators and platform admins, not developers or consumers, see members and audit', async () => {
      const { api } = await start();
      for (const path of [
        '/v1/tenants/acme/members',
        '/v1/tenants/acme/audit',
      ]) {
        expect((await api.get(path, 'alice')).status).toBe(403);
        expect((await api.get(path, 'olga')).status).toBe(200);
        expect((await api.get(path, 'admin')).status).toBe(200);
      }
      // olga is a consumer of globex: a member, but not an operator there.
      expect((await api.get('/v1/tenants/globex/members', 'olga')).status).toBe(
        403,
      );
      expect((await api.get('/v1/tenants/globex/members', 'gus')).status).toBe(
        200,
      );

      const members = await api.get('/v1/tenants/acme/members', 'olga');
      expect(members.body.items).toEqual([
        {
          userEntityRef: 'user:default/alice',
          roles: ['developer'],
          firstSeenAt: expect.any(String),
          lastSeenAt: expect.any(String),
        },
        {
          userEntityRef: 'user:default/olga',
          roles: ['operator'],
          firstSeenAt: expect.any(String),
          lastSeenAt: expect.any(String),
        },
      ]);
    });

    it('records the members seen, at most once a minute per member and tenant', async () => {
      const { api } = await start();
      const members = async (tenant: string) =>
        (await api.get(`/v1/tenants/${tenant}/members`)).body.items;
      expect(await members('acme')).toEqual([]);

      expect((await api.get('/v1/me', 'olga')).status).toBe(200);
      const [first] = await members('acme');
      expect(first).toMatchObject({
        userEntityRef: 'user:default/olga',
        roles: ['operator'],
      });
      expect(first.firstSeenAt).toBe(first.lastSeenAt);
      expect(await members('globex')).toEqual([
        expect.objectContaining({
          userEntityRef: 'user:default/olga',
          roles: ['consumer'],
        }),
      ]);

      // Any route of the plugin counts; within the minute nothing is written again.
      await new Promise(resolve => setTimeout(resolve, 20));
      expect(
        (await api.post('/v1/manifests/validate', undefined, 'olga')).status,
      ).toBe(400);
      expect(await members('acme')).toEqual([first]);
      expect((await api.get('/v1/tenants/acme')).body.memberCount).toBe(1);

      // Platform admins and users of no tenant are no members.
      await api.get('/v1/me', 'nobody');
      expect(await members('acme')).toHaveLength(1);
    });

    it('answers /v1/me for members, admins and users of no tenant', async () => {
      const { api } = await start();
      expect((await api.get('/v1/me', 'olga')).body).toEqual({
        userEntityRef: 'user:default/olga',
        platformAdmin: false,
        tenants: [
          { name: 'acme', roles: ['operator'] },
          { name: 'globex', roles: ['consumer'] },
        ],
      });
      expect((await api.get('/v1/me', 'admin')).body).toEqual({
        userEntityRef: 'user:default/admin',
        platformAdmin: true,
        tenants: [],
      });
      const nobody = await api.get('/v1/me', 'nobody');
      expect(nobody.status).toBe(200);
      expect(nobody.body).toEqual({
        userEntityRef: 'user:default/nobody',
        platformAdmin: false,
        tenants: [],
      });
    });

    it('answers tenant status and quotas to backend plugins only', async () => {
      const { server, api } = await start();
      await api.post('/v1/tenants/globex/suspend', { reason: 'Audit' });
      const asPlugin = (subject: string) =>
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service(subject),
          targetPluginId: 'akili',
        });
      const asService = await request(server)
        .post('/api/akili/v1/internal/tenant-status')
        .set('Authorization', asPlugin('plugin:auth'))
        .send({ tenants: ['acme', 'globex', 'initech', 'Bad_Name'] });
      expect(asService.status).toBe(200);
      expect(asService.body).toEqual({
        tenants: {
          acme: {
            status: 'active',
            quotas: { queryRowLimit: 10000, maxConcurrentQueries: 4 },
          },
          globex: {
            status: 'suspended',
            quotas: { queryRowLimit: 500, maxConcurrentQueries: 4 },
          },
          initech: null,
          Bad_Name: null,
        },
      });
      for (const user of ['admin', 'alice']) {
        expect(
          (
            await api.post(
              '/v1/internal/tenant-status',
              { tenants: ['acme'] },
              user,
            )
          ).status,
        ).toBe(403);
      }
      // The answer spans tenants: an API token of a tenant, or a static token, gets none.
      for (const subject of ['akili-token:acme.t1', 'external:ci']) {
        const outsider = await request(server)
          .post('/api/akili/v1/internal/tenant-status')
          .set('Authorization', asPlugin(subject))
          .send({ tenants: ['acme', 'globex'] });
        expect(outsider.status).toBe(403);
        expect(JSON.stringify(outsider.body)).not.toContain('suspended');
      }
      const bad = await request(server)
        .post('/api/akili/v1/internal/tenant-status')
        .set('Authorization', asPlugin('plugin:auth'))
        .send({ tenants: 'acme' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/tenants/);
    });

    it('requires credentials', async () => {
      const { server } = await start();
      for (const path of ['/v1/me', '/v1/tenants', '/v1/tenants/acme']) {
        const res = await request(server)
          .get(`/api/akili${path}`)
          .set('Authorization', mockCredentials.none.header());
        expect(res.status).toBe(401);
      }
    });

    it('migrates up and down', async () => {
      const { knex } = await start();
      const directory_ = resolvePackagePath(
        '@akili/plugin-akili-backend',
        'migrations',
      );
      const tables = [
        'akili_tenants',
        'akili_tenant_members',
        'akili_tenant_audit',
      ];
      for (const table of tables) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      await knex.migrate.rollback({ directory: directory_ }, true);
      for (const table of tables) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      await knex.migrate.latest({ directory: directory_ });
      expect(await knex.schema.hasTable('akili_tenants')).toBe(true);
    });
  },
);

const postgresIds = requireTestDatabaseIds().filter(id =>
  id.startsWith('POSTGRES'),
);
const describePostgres = postgresIds.length > 0 ? describe : describe.skip;
// At module level, so its cleanup runs after the describe's own (which drops the role).
const postgresDatabases = TestDatabases.create({ ids: postgresIds });

describePostgres('tenant tables row-level security on PostgreSQL', () => {
  const databaseId = postgresIds[0];
  const appRole = `akili_app_${randomBytes(6).toString('hex')}`;
  const appPassword = randomBytes(18).toString('hex');
  const tables = [
    'akili_tenants',
    'akili_tenant_members',
    'akili_tenant_audit',
  ];
  let owner: Knex | undefined;
  let app: Knex | undefined;

  afterAll(async () => {
    await app?.destroy();
    if (owner) {
      for (const table of tables) {
        await owner.raw('REVOKE ALL ON TABLE ?? FROM ??', [table, appRole]);
      }
      await owner.raw('DROP ROLE IF EXISTS ??', [appRole]);
    }
  });

  it('hides every audit row from a query outside withTenant, for a non-owner role', async () => {
    owner = await postgresDatabases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        akiliPlugin,
        userInfoFactory,
        mockServices.database.factory({ knex: owner }),
        mockServices.rootConfig.factory({
          data: { akili: { tenants: { seed: SEED } } },
        }),
      ],
    });
    await request(server)
      .post('/api/akili/v1/tenants/acme/suspend')
      .set('Authorization', as('admin'))
      .send({ reason: 'RLS test' })
      .expect(200);
    await request(server)
      .get('/api/akili/v1/me')
      .set('Authorization', as('olga'))
      .expect(200);

    await owner.raw(`CREATE ROLE ?? LOGIN PASSWORD '${appPassword}'`, [
      appRole,
    ]);
    for (const table of tables) {
      await owner.raw('GRANT SELECT ON TABLE ?? TO ??', [table, appRole]);
    }
    const connection = owner.client.config
      .connection as Knex.PgConnectionConfig;
    app = knexFactory({
      client: 'pg',
      connection: { ...connection, user: appRole, password: appPassword },
      pool: { min: 1, max: 1 },
    });
    const [{ rolsuper, rolbypassrls }] = (
      await app.raw(
        'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
      )
    ).rows;
    expect({ rolsuper, rolbypassrls }).toEqual({
      rolsuper: false,
      rolbypassrls: false,
    });

    // Outside withTenant: nothing, from every table.
    expect((await app.raw('select * from akili_tenant_audit')).rows).toEqual(
      [],
    );
    expect((await app.raw('select * from akili_tenant_members')).rows).toEqual(
      [],
    );
    expect((await app.raw('select * from akili_tenants')).rows).toEqual([]);

    // Inside withTenant the same role sees that tenant's rows, and only those.
    const db = TenantScopedDatabase.create(app);
    const acmeAudit = await db.withTenant('acme', tx =>
      tx('akili_tenant_audit').select('tenant_id', 'action').orderBy('id'),
    );
    expect(acmeAudit).toEqual([
      { tenant_id: 'acme', action: 'tenant.created' },
      { tenant_id: 'acme', action: 'tenant.suspended' },
    ]);
    expect(
      await db.withTenant('globex', tx =>
        tx('akili_tenant_members').select('user_entity_ref'),
      ),
    ).toEqual([{ user_entity_ref: 'user:default/olga' }]);
    // The platform scope reads the tenants table only.
    expect(
      await db.withPlatformScope(async tx => ({
        tenants: (await tx('akili_tenants').pluck('tenant_id')).sort(),
        audit: await tx('akili_tenant_audit').select(),
        members: await tx('akili_tenant_members').select(),
      })),
    ).toEqual({ tenants: ['acme', 'globex'], audit: [], members: [] });
  });
});
