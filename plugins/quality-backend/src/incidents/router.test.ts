import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  akiliEventsServiceRef,
  akiliTenantDatabaseServiceRef,
  tenancyServiceRef,
} from '@akili/plugin-akili-node';
import {
  mockTenantStatus,
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { DataProductManifest } from '@akili/plugin-akili-common';
import request from 'supertest';
import {
  QUALITY_MIGRATIONS_DIRECTORY,
  QualityStore,
} from '../service/QualityStore';
import { QualityService } from '../service/QualityService';
import { createRouter } from '../service/router';
import { IncidentStore } from './IncidentStore';

jest.setTimeout(60_000);

const directory: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/carl': ['user:default/carl', 'group:akili/acme.consumer'],
  'user:default/bob': ['user:default/bob', 'group:akili/globex.operator'],
};

function product(namespace: string, name: string): Entity {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace, name, title: name },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'sales-team',
      domain: 'sales',
      quality: [
        { name: 'no_nulls', type: 'completeness', severity: 'error' },
        { name: 'row_count', type: 'volume', severity: 'warning' },
      ],
      slos: { freshness: { maxDelay: '1h' } },
    },
  };
}

const entities = [product('acme', 'orders'), product('globex', 'orders')];

describe.each(requireTestDatabaseIds())('incident routes on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  async function start(
    extraFeatures: Parameters<typeof startTestBackend>[0]['features'] = [],
  ) {
    const knex = await databases.init(databaseId);
    let stores: { quality: QualityStore; incidents: IncidentStore } | undefined;
    // The quality router as the plugin mounts it (its plugin.ts wires it), with stores the test
    // reports to directly.
    const incidentsPlugin = createBackendPlugin({
      pluginId: 'quality',
      register(env) {
        env.registerInit({
          deps: {
            database: akiliTenantDatabaseServiceRef,
            httpRouter: coreServices.httpRouter,
            tenancy: tenancyServiceRef,
            catalog: catalogServiceRef,
            events: akiliEventsServiceRef,
          },
          async init({ database, httpRouter, tenancy, catalog, events }) {
            const db = await database.open({
              migrationsDirectory: QUALITY_MIGRATIONS_DIRECTORY,
            });
            stores = {
              quality: new QualityStore({ db }),
              incidents: new IncidentStore({ db }),
            };
            httpRouter.use(
              await createRouter({
                tenancy,
                quality: new QualityService({
                  tenancy,
                  catalog,
                  store: stores.quality,
                  events,
                  relay: { wake() {} },
                }),
                store: stores.quality,
                incidents: stores.incidents,
                catalog,
              }),
            );
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        ...(extraFeatures ?? []),
        incidentsPlugin,
        userInfoFromDirectory(directory),
        mockTenantStatus({ acme: 'active', globex: 'active' }).factory,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex }),
      ],
    });
    const { quality, incidents } = stores!;
    for (const entity of entities) {
      await quality.syncProduct(
        entity.metadata.namespace!,
        entity as unknown as DataProductManifest,
      );
    }
    let execution = 0;
    /** Ingests results as the REST endpoint does, incidents in the same transaction. */
    const report = async (
      tenant: string,
      rule: string,
      outcome: 'pass' | 'fail',
      observedAt: string,
    ) => {
      const opened: string[] = [];
      execution += 1;
      await quality.ingest(
        tenant,
        'orders',
        [
          {
            executionId: `e${execution}`,
            rule,
            outcome,
            observedAt,
            source: 'api:test',
          },
        ],
        {
          onStored: async (tx, stored) => {
            const list = await incidents.onResults(
              tx,
              tenant,
              'orders',
              stored,
            );
            opened.push(...list.map(incident => incident.id));
          },
        },
      );
      return opened;
    };
    const as = (user: string) =>
      mockCredentials.user.header(`user:default/${user}`);
    return {
      server,
      report,
      incidents,
      get: (path: string, user: string) =>
        request(server)
          .get(`/api/quality${path}`)
          .set('Authorization', as(user)),
      post: (path: string, user: string, body: object = {}) =>
        request(server)
          .post(`/api/quality${path}`)
          .set('Authorization', as(user))
          .send(body),
    };
  }

  it('lists, shows and works an incident through its life cycle', async () => {
    const api = await start();
    const [id] = await api.report(
      'acme',
      'no_nulls',
      'fail',
      '2026-12-01T10:00:00Z',
    );
    await api.report('acme', 'no_nulls', 'fail', '2026-12-01T11:00:00Z');
    const [other] = await api.report(
      'acme',
      'row_count',
      'fail',
      '2026-12-01T10:00:00Z',
    );
    expect(id).toBeDefined();

    const queue = await api.get('/v1/tenants/acme/incidents', 'alice');
    expect(queue.status).toBe(200);
    expect(
      queue.body.items.map((i: any) => [i.id, i.cause.key, i.failures]),
    ).toEqual([
      [other, 'row_count', 1],
      [id, 'no_nulls', 2],
    ]);
    const paged = await api.get('/v1/tenants/acme/incidents?limit=1', 'alice');
    expect(paged.body.nextCursor).toBe(other);
    expect(
      (
        await api.get(
          `/v1/tenants/acme/incidents?limit=1&cursor=${paged.body.nextCursor}`,
          'alice',
        )
      ).body.items.map((i: any) => i.id),
    ).toEqual([id]);

    const detail = await api.get(`/v1/tenants/acme/incidents/${id}`, 'alice');
    expect(detail.status).toBe(200);
    expect(detail.body.incident).toMatchObject({
      id,
      tenant: 'acme',
      product: 'dataproduct:acme/orders',
      state: 'new',
      severity: 'error',
    });
    expect(detail.body.timeline.map((e: any) => e.kind)).toEqual([
      'opened',
      'failed-again',
    ]);

    const ack = await api.post(
      `/v1/tenants/acme/incidents/${id}/acknowledge`,
      'olga',
    );
    expect(ack.status).toBe(200);
    expect(ack.body.incident.state).toBe('acknowledged');
    // No body at all (`curl -X POST`) is an empty one, as `{}`.
    const again = await request(api.server)
      .post(`/api/quality/v1/tenants/acme/incidents/${id}/acknowledge`)
      .set('Authorization', mockCredentials.user.header('user:default/olga'));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(`Incident ${id} is acknowledged`);

    const assigned = await api.post(
      `/v1/tenants/acme/incidents/${id}/assign`,
      'olga',
      { assignee: 'user:default/alice' },
    );
    expect(assigned.status).toBe(200);
    expect(assigned.body.incident).toMatchObject({
      state: 'assigned',
      assignee: 'user:default/alice',
    });
    const commented = await api.post(
      `/v1/tenants/acme/incidents/${id}/comments`,
      'olga',
      { comment: 'the loader dropped a column' },
    );
    expect(commented.status).toBe(201);
    const resolved = await api.post(
      `/v1/tenants/acme/incidents/${id}/resolve`,
      'olga',
      { reason: 'missing-data', comment: 'reloaded' },
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body.incident.resolution).toEqual({
      reason: 'missing-data',
      comment: 'reloaded',
      by: 'user:default/olga',
    });
    expect(resolved.body.timeline.map((e: any) => [e.kind, e.actor])).toEqual([
      ['opened', 'akili:quality'],
      ['failed-again', 'akili:quality'],
      ['acknowledged', 'user:default/olga'],
      ['assigned', 'user:default/olga'],
      ['commented', 'user:default/olga'],
      ['resolved', 'user:default/olga'],
    ]);

    // Open ones by default; all, or one state, on request.
    const open = await api.get('/v1/tenants/acme/incidents', 'alice');
    expect(open.body.items.map((i: any) => i.id)).toEqual([other]);
    const byState = await api.get(
      '/v1/tenants/acme/incidents?state=resolved&product=dataproduct:acme/orders',
      'alice',
    );
    expect(byState.body.items.map((i: any) => i.id)).toEqual([id]);
    const foreignFilter = await api.get(
      '/v1/tenants/acme/incidents?state=all&product=dataproduct:globex/orders',
      'alice',
    );
    expect(foreignFilter.body).toEqual({ items: [] });

    // The rule passes again: the other incident resolves itself.
    await api.report('acme', 'row_count', 'pass', '2026-12-01T12:00:00Z');
    const ofProduct = await api.get(
      '/v1/products/acme/orders/incidents?state=all',
      'carl',
    );
    expect(ofProduct.status).toBe(200);
    expect(
      ofProduct.body.items.map((i: any) => [
        i.id,
        i.state,
        i.resolution?.reason,
      ]),
    ).toEqual([
      [other, 'resolved', 'recovered'],
      [id, 'resolved', 'missing-data'],
    ]);
    expect(
      (await api.get('/v1/products/acme/orders/incidents', 'carl')).body,
    ).toEqual({ items: [] });
  });

  it('answers 400 naming the field for bad input', async () => {
    const api = await start();
    const [id] = await api.report(
      'acme',
      'no_nulls',
      'fail',
      '2026-12-01T10:00:00Z',
    );
    const cases: Array<[string, string, object | undefined, string]> = [
      [
        'get',
        '/v1/tenants/acme/incidents?state=closed',
        undefined,
        'request/query/state must be equal to one of the allowed values: open, all, new',
      ],
      [
        'get',
        '/v1/tenants/acme/incidents?limit=0',
        undefined,
        'request/query/limit must be >= 1',
      ],
      [
        'get',
        '/v1/tenants/acme/incidents?cursor=abc',
        undefined,
        'cursor is not a cursor of this list',
      ],
      [
        'get',
        '/v1/tenants/acme/incidents?product=a%20b',
        undefined,
        'product must be a data product name or ref',
      ],
      [
        'get',
        '/v1/tenants/acme/incidents?sort=asc',
        undefined,
        "Unknown query parameter 'sort'",
      ],
      [
        'get',
        '/v1/products/acme/orders/incidents?state=new',
        undefined,
        'request/query/state must be equal to one of the allowed values: open, all',
      ],
      [
        'post',
        `/v1/tenants/acme/incidents/${id}/assign`,
        {},
        "request/body must have required property 'assignee'",
      ],
      [
        'post',
        `/v1/tenants/acme/incidents/${id}/assign`,
        { assignee: 'group:acme/team' },
        'assignee must be a user entity ref',
      ],
      [
        'post',
        `/v1/tenants/acme/incidents/${id}/resolve`,
        { reason: 'recovered' },
        'request/body/reason must be equal to one of the allowed values: false-positive, missing-data',
      ],
      [
        'post',
        `/v1/tenants/acme/incidents/${id}/resolve`,
        { reason: 'other' },
        'comment is required when the reason is other',
      ],
      [
        'post',
        `/v1/tenants/acme/incidents/${id}/resolve`,
        { reason: 'upstream', comment: 'x'.repeat(4001) },
        'request/body/comment must NOT have more than 4000 characters',
      ],
      [
        'post',
        `/v1/tenants/acme/incidents/${id}/comments`,
        { comment: ' ' },
        'comment must not be empty',
      ],
      [
        'post',
        `/v1/tenants/acme/incidents/${id}/acknowledge`,
        { state: 'x' },
        'request/body must NOT have additional properties',
      ],
    ];
    for (const [method, path, body, message] of cases) {
      const res =
        method === 'get'
          ? await api.get(path, 'olga')
          : await api.post(path, 'olga', body);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.error.message).toContain(message);
    }
    // Nothing changed.
    const detail = await api.get(`/v1/tenants/acme/incidents/${id}`, 'olga');
    expect(detail.body.incident.state).toBe('new');
    expect(detail.body.timeline).toHaveLength(1);
  });

  it('answers an incident or product of another tenant exactly as a missing one, and 403 without the role', async () => {
    const api = await start();
    const [id] = await api.report(
      'acme',
      'no_nulls',
      'fail',
      '2026-12-01T10:00:00Z',
    );
    await api.report('globex', 'no_nulls', 'fail', '2026-12-01T10:00:00Z');

    // bob operates globex only: acme's incident is no incident to him, as a missing one is.
    for (const res of [
      await api.get(`/v1/tenants/acme/incidents/${id}`, 'bob'),
      await api.post(`/v1/tenants/acme/incidents/${id}/acknowledge`, 'bob'),
      await api.post(`/v1/tenants/acme/incidents/${id}/resolve`, 'bob', {
        reason: 'duplicates',
      }),
      await api.get(`/v1/tenants/acme/incidents/999999`, 'olga'),
      await api.get(`/v1/tenants/acme/incidents/${id}9`, 'olga'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(/^No incident \d+$/);
    }
    const foreign = await api.get(`/v1/tenants/acme/incidents/${id}`, 'bob');
    expect(foreign.body.error).toEqual({
      name: 'NotFoundError',
      message: `No incident ${id}`,
    });
    expect(
      (await api.get(`/v1/tenants/acme/incidents/${id}`, 'alice')).status,
    ).toBe(200);
    // Asked in globex's path, acme's incident is not one of globex's.
    const crossed = await api.get(`/v1/tenants/globex/incidents/${id}`, 'bob');
    expect(crossed.status).toBe(404);
    expect(crossed.body.error.message).toBe(`No incident ${id}`);
    const globexQueue = await api.get('/v1/tenants/globex/incidents', 'bob');
    expect(globexQueue.body.items.map((i: any) => i.tenant)).toEqual([
      'globex',
    ]);
    expect((await api.get('/v1/tenants/acme/incidents', 'bob')).status).toBe(
      404,
    );
    const foreignProduct = await api.get(
      '/v1/products/acme/orders/incidents',
      'bob',
    );
    expect(foreignProduct.status).toBe(404);
    expect(foreignProduct.body.error.message).toBe(
      'No data product dataproduct:acme/orders',
    );
    const missingProduct = await api.get(
      '/v1/products/acme/nothing/incidents',
      'olga',
    );
    expect(missingProduct.status).toBe(404);
    expect(missingProduct.body.error.message).toBe(
      'No data product dataproduct:acme/nothing',
    );

    // carl consumes acme: the product's incidents yes, the queue and working them no.
    expect(
      (await api.get('/v1/products/acme/orders/incidents', 'carl')).status,
    ).toBe(200);
    const carlQueue = await api.get('/v1/tenants/acme/incidents', 'carl');
    expect(carlQueue.status).toBe(403);
    expect(carlQueue.body.error.message).toContain(
      'akili.quality.incidents.read',
    );
    // Each action with a body it accepts: refused for the role, not for the body.
    const bodies: Record<string, object> = {
      acknowledge: {},
      resolve: { reason: 'duplicates', comment: 'x' },
      comments: { comment: 'x' },
      assign: { assignee: 'user:default/carl' },
    };
    for (const [action, body] of Object.entries(bodies)) {
      const consumer = await api.post(
        `/v1/tenants/acme/incidents/${id}/${action}`,
        'carl',
        body,
      );
      expect([action, consumer.status]).toEqual([action, 403]);
      expect(consumer.body.error.message).toContain(
        'akili.quality.incidents.manage',
      );
      // A developer reads incidents but does not work them.
      const developer = await api.post(
        `/v1/tenants/acme/incidents/${id}/${action}`,
        'alice',
        body,
      );
      expect([action, developer.status]).toEqual([action, 403]);
    }
    const unchanged = await api.get(`/v1/tenants/acme/incidents/${id}`, 'olga');
    expect(unchanged.body.incident.state).toBe('new');
    expect(unchanged.body.timeline).toHaveLength(1);

    const anonymous = await request(api.server)
      .get(`/api/quality/v1/tenants/acme/incidents/${id}`)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('is refused when the permission policy denies', async () => {
    const api = await start([
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const res = await api.get('/v1/tenants/acme/incidents', 'olga');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'The permission policy does not allow akili.quality.incidents.read',
    );
  });
});
