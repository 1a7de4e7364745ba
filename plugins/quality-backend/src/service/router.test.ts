import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  mockTenantStatus,
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import request from 'supertest';
import { qualityPlugin } from '../plugin';
import { QualityStore } from './QualityStore';

jest.setTimeout(60_000);

const directory: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/carl': ['user:default/carl', 'group:akili/acme.consumer'],
  'user:default/bob': ['user:default/bob', 'group:akili/globex.operator'],
  'user:default/gina': [
    'user:default/gina',
    'group:akili/acme.consumer',
    'group:akili/globex.consumer',
  ],
};

function product(
  namespace: string,
  name: string,
  spec: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace, name, title: name },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: `${namespace}-team`,
      domain: 'sales',
      outputPorts: [
        {
          name,
          kind: 'table',
          location: { table: { database: 'sales', table: name } },
          schema: [{ name: 'id', type: 'string' }],
        },
      ],
      ...spec,
    },
  };
}

const entities = [
  product('acme', 'orders', {
    quality: [
      { name: 'no_nulls', type: 'completeness', severity: 'error' },
      { name: 'row_count', type: 'volume', severity: 'warning' },
      { name: 'unique_ids', type: 'uniqueness', severity: 'info' },
    ],
    slos: { freshness: { maxDelay: 'PT1H' } },
    inputPorts: [
      { name: 'customers', product: 'customers' },
      { name: 'shipments', product: 'dataproduct:globex/shipments' },
    ],
  }),
  product('acme', 'customers', {
    quality: [{ name: 'no_nulls', type: 'completeness', severity: 'error' }],
  }),
  product('globex', 'shipments', {
    quality: [{ name: 'no_nulls', type: 'completeness', severity: 'error' }],
  }),
];

const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

describe.each(requireTestDatabaseIds())('quality API on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  async function start(
    extraFeatures: Parameters<typeof startTestBackend>[0]['features'] = [],
  ) {
    const knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        ...(extraFeatures ?? []),
        qualityPlugin,
        userInfoFromDirectory(directory),
        mockTenantStatus({ acme: 'active', globex: 'active' }).factory,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex }),
        mockApiTokenResolverFactory([
          {
            tokenId: 'acme-ci',
            tenant: 'acme',
            permissions: ['akili.quality.report'],
          },
          {
            tokenId: 'acme-reader',
            tenant: 'acme',
            permissions: ['akili.quality.read'],
          },
        ]),
      ],
    });
    const auth = (user: string) =>
      user.startsWith('token:')
        ? mockApiTokenHeader(user.slice('token:'.length))
        : mockCredentials.user.header(`user:default/${user}`);
    return {
      knex,
      get: (path: string, user: string) =>
        request(server)
          .get(`/api/quality${path}`)
          .set('Authorization', auth(user)),
      post: (path: string, user: string, body: unknown) =>
        request(server)
          .post(`/api/quality${path}`)
          .set('Authorization', auth(user))
          .send(body as object),
    };
  }

  const ORDERS = '/v1/products/acme/orders';

  it('stores a report once, scores it, keeps history and announces it in the outbox', async () => {
    const api = await start();
    const report = {
      tool: 'soda',
      results: [
        {
          executionId: 'e1',
          rule: 'no_nulls',
          outcome: 'pass',
          observedValue: 0,
          threshold: '< 0.01',
          runId: 'run-1',
          observedAt: minutesAgo(10),
        },
        {
          executionId: 'e2',
          rule: 'row_count',
          outcome: 'warn',
          observedValue: 90,
          observedAt: minutesAgo(10),
        },
        {
          executionId: 'e3',
          rule: 'ad_hoc',
          dimension: 'consistency',
          outcome: 'fail',
          observedAt: minutesAgo(10),
        },
      ],
    };
    const first = await api.post(`${ORDERS}/results`, 'alice', report);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      accepted: 3,
      duplicates: 0,
      outsideContract: ['ad_hoc'],
    });
    const again = await api.post(`${ORDERS}/results`, 'alice', report);
    expect(again.status).toBe(201);
    expect(again.body).toEqual({
      accepted: 0,
      duplicates: 3,
      outsideContract: ['ad_hoc'],
    });

    // An older failure arriving late is history, not the latest.
    const late = await api.post(`${ORDERS}/results`, 'token:acme-ci', {
      tool: 'soda',
      results: [
        {
          executionId: 'e0',
          rule: 'no_nulls',
          outcome: 'fail',
          observedAt: minutesAgo(60),
        },
      ],
    });
    expect(late.status).toBe(201);
    expect(late.body.accepted).toBe(1);

    const summary = await api.get(`${ORDERS}/summary`, 'carl');
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      product: 'dataproduct:acme/orders',
      // error pass (3 × 1) + warning warn (1 × 0.5) over 4
      score: 87.5,
      status: 'degraded',
      coverage: { rules: 3, rulesWithResults: 2, ratio: 2 / 3 },
      freshness: { status: 'unknown', maxDelay: 'PT1H', maxDelayMinutes: 60 },
      openIncidents: 0,
    });
    expect(
      summary.body.rules.map((r: { name: string; status: string }) => [
        r.name,
        r.status,
      ]),
    ).toEqual([
      ['no_nulls', 'pass'],
      ['row_count', 'warn'],
      ['unique_ids', 'unknown'],
    ]);
    expect(summary.body.rules[0].lastResult).toMatchObject({
      executionId: 'e1',
      source: 'api:soda',
      port: 'orders',
      observedValue: 0,
      threshold: '< 0.01',
      runId: 'run-1',
    });
    expect(summary.body.outsideContract).toEqual([
      expect.objectContaining({ rule: 'ad_hoc', dimension: 'consistency' }),
    ]);

    const results = await api.get(
      `${ORDERS}/results?rule=no_nulls&limit=1`,
      'carl',
    );
    expect(results.status).toBe(200);
    expect(results.body.items.map((r: any) => r.executionId)).toEqual(['e1']);
    const next = await api.get(
      `${ORDERS}/results?rule=no_nulls&limit=1&cursor=${results.body.nextCursor}`,
      'carl',
    );
    expect(next.body).toEqual({
      items: [expect.objectContaining({ executionId: 'e0', outcome: 'fail' })],
    });

    const trend = await api.get(`${ORDERS}/trend?days=90`, 'carl');
    expect(trend.status).toBe(200);
    expect(trend.body.product).toBe('dataproduct:acme/orders');
    expect(trend.body.days).toHaveLength(90);

    // One quality.checked event per stored batch and port, in the outbox of the same transaction.
    const outbox = await api.knex.transaction(
      async (tx): Promise<Array<{ payload: string }>> => {
        if (tx.client.config.client === 'pg') {
          await tx.raw(`SELECT set_config('app.tenant_id', 'acme', true)`);
        }
        const rows: Array<{ payload: string }> = await tx('akili_event_outbox')
          .orderBy('id')
          .select('payload');
        return rows;
      },
    );
    const events = outbox.map(row => JSON.parse(row.payload));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      type: 'quality.checked',
      tenant: 'acme',
      source: 'quality-backend',
      data: {
        product: 'dataproduct:acme/orders',
        outputPort: 'orders',
        outcome: 'FAIL',
        checks: [
          { name: 'no_nulls', status: 'PASS', observedValue: 0 },
          { name: 'row_count', status: 'WARN', observedValue: 90 },
          { name: 'ad_hoc', status: 'FAIL' },
        ],
      },
    });
    expect(events[1].data.checks).toEqual([
      { name: 'no_nulls', status: 'FAIL' },
    ]);
  });

  it('refuses bad reports with a 400 naming the field, and stores nothing', async () => {
    const api = await start();
    const good = {
      executionId: 'x',
      rule: 'no_nulls',
      outcome: 'pass',
      observedAt: minutesAgo(1),
    };
    const cases: Array<[unknown, string]> = [
      [
        {
          tool: 'ci',
          results: [
            good,
            { ...good, executionId: 'y' },
            { ...good, executionId: 'z', outcome: 'passed' },
          ],
        },
        'request/body/results/2/outcome must be equal to one of the allowed values: pass, warn, fail, error',
      ],
      [
        { tool: 'ci', results: [{ ...good, colour: 'red' }] },
        'request/body/results/0 must NOT have additional properties',
      ],
      [
        { tool: 'ci', results: [good], tenant: 'globex' },
        'request/body must NOT have additional properties',
      ],
      [
        {
          tool: 'ci',
          results: Array.from({ length: 1001 }, (_, i) => ({
            ...good,
            executionId: `e${i}`,
          })),
        },
        'request/body/results must NOT have more than 1000 items',
      ],
      [
        {
          tool: 'ci',
          results: [
            {
              ...good,
              observedAt: new Date(Date.now() + 6 * 60_000).toISOString(),
            },
          ],
        },
        'results.0.observedAt must not be more than 5 minutes in the future',
      ],
      [
        { tool: 'ci', results: [{ ...good, observedAt: 'yesterday' }] },
        'request/body/results/0/observedAt must match pattern',
      ],
      [{ results: [good] }, "request/body must have required property 'tool'"],
      [
        { tool: 'ci', results: [] },
        'request/body/results must NOT have fewer than 1 items',
      ],
      [
        { tool: 'ci', results: [{ ...good, executionId: '' }] },
        'request/body/results/0/executionId must NOT have fewer than 1 characters',
      ],
    ];
    for (const [body, message] of cases) {
      const response = await api.post(`${ORDERS}/results`, 'alice', body);
      expect({
        status: response.status,
        message: response.body.error?.message,
      }).toEqual({
        status: 400,
        message: expect.stringContaining(message),
      });
    }
    const page = await api.get(`${ORDERS}/results`, 'alice');
    expect(page.body).toEqual({ items: [] });
    for (const [path, message] of [
      [
        `${ORDERS}/trend?days=31`,
        'request/query/days must be equal to one of the allowed values: 30, 90',
      ],
      [`${ORDERS}/results?limit=500`, 'request/query/limit must be <= 200'],
      [`${ORDERS}/results?cursor=abc`, 'cursor is not a cursor of this list'],
      [
        '/v1/tenants/acme/dashboard?days=2',
        'request/query/days must be equal to one of the allowed values: 7, 30, 90',
      ],
      [`${ORDERS}/summary?days=30`, "Unknown query parameter 'days'"],
    ]) {
      const response = await api.get(path, 'olga');
      expect([response.status, response.body.error?.message]).toEqual([
        400,
        expect.stringContaining(message),
      ]);
    }
  });

  it('shows upstream the caller may see, incidents, scores and the dashboard', async () => {
    const api = await start();
    await api.post('/v1/products/acme/customers/results', 'olga', {
      tool: 'ci',
      results: [
        {
          executionId: 'c1',
          rule: 'no_nulls',
          outcome: 'fail',
          observedAt: minutesAgo(5),
        },
      ],
    });
    await api.post(`${ORDERS}/results`, 'olga', {
      tool: 'ci',
      results: [
        {
          executionId: 'o1',
          rule: 'no_nulls',
          outcome: 'pass',
          observedAt: minutesAgo(5),
        },
      ],
    });
    const summary = await api.get(`${ORDERS}/summary`, 'alice');
    // globex/shipments is not alice's to see.
    expect(summary.body.upstream).toEqual([
      { product: 'dataproduct:acme/customers', status: 'failing', score: 0 },
    ]);
    const customers = await api.get(
      '/v1/products/acme/customers/summary',
      'alice',
    );
    expect(customers.body.status).toBe('failing');
    expect(customers.body.openIncidents).toBe(1);

    const scores = await api.get('/v1/tenants/acme/scores', 'carl');
    expect(scores.status).toBe(200);
    expect(scores.body).toEqual({
      tenant: 'acme',
      items: [
        expect.objectContaining({
          product: 'dataproduct:acme/customers',
          status: 'failing',
          openIncidents: 1,
        }),
        expect.objectContaining({
          product: 'dataproduct:acme/orders',
          score: 100,
          status: 'healthy',
        }),
      ],
    });
    const dashboard = await api.get('/v1/tenants/acme/dashboard', 'alice');
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.products[0].product).toBe(
      'dataproduct:acme/customers',
    );
    expect(dashboard.body.failingRules).toEqual([
      expect.objectContaining({
        product: 'dataproduct:acme/customers',
        rule: 'no_nulls',
      }),
    ]);
    expect(dashboard.body.incidents).toMatchObject({ open: 1, days: 30 });
  });

  it('reads a summary without syncing an unchanged contract, upstream of other tenants one query per tenant', async () => {
    const api = await start();
    const report = (path: string, user: string, outcome: string) =>
      api.post(`${path}/results`, user, {
        tool: 'ci',
        results: [
          {
            executionId: `${path}-1`,
            rule: 'no_nulls',
            outcome,
            observedAt: minutesAgo(5),
          },
        ],
      });
    expect(
      (await report('/v1/products/acme/customers', 'olga', 'fail')).status,
    ).toBe(201);
    expect(
      (await report('/v1/products/globex/shipments', 'bob', 'pass')).status,
    ).toBe(201);
    const sync = jest.spyOn(QualityStore.prototype, 'syncProduct');
    const statuses = jest.spyOn(QualityStore.prototype, 'statuses');
    const syncsOfOrders = () =>
      sync.mock.calls.filter(
        ([tenant, manifest]) =>
          tenant === 'acme' && manifest.metadata.name === 'orders',
      ).length;
    try {
      // orders was never read: its contract is synced once, then read.
      const first = await api.get(`${ORDERS}/summary`, 'gina');
      expect(first.status).toBe(200);
      expect(syncsOfOrders()).toBe(1);
      const upstream = [
        { product: 'dataproduct:acme/customers', status: 'failing', score: 0 },
        {
          product: 'dataproduct:globex/shipments',
          status: 'healthy',
          score: 100,
        },
      ];
      expect(first.body.upstream).toEqual(upstream);
      expect(first.body.coverage.rules).toBe(3);

      sync.mockClear();
      statuses.mockClear();
      const second = await api.get(`${ORDERS}/summary`, 'gina');
      expect(second.status).toBe(200);
      expect({ ...second.body, computedAt: undefined }).toEqual({
        ...first.body,
        computedAt: undefined,
      });
      // Unchanged contract: no sync. acme's upstream came with the summary; globex's in one
      // query of its own tenant.
      expect(syncsOfOrders()).toBe(0);
      expect(statuses.mock.calls).toEqual([['globex', ['shipments']]]);

      // alice reads acme only: globex is neither shown nor read.
      statuses.mockClear();
      const alice = await api.get(`${ORDERS}/summary`, 'alice');
      expect(alice.body.upstream).toEqual([upstream[0]]);
      expect(statuses).not.toHaveBeenCalled();
    } finally {
      sync.mockRestore();
      statuses.mockRestore();
    }
  });

  it('keeps every route to its tenant: another tenant’s product is as missing as none', async () => {
    const api = await start();
    const body = {
      tool: 'ci',
      results: [
        {
          executionId: 'a',
          rule: 'no_nulls',
          outcome: 'pass',
          observedAt: minutesAgo(1),
        },
      ],
    };
    const productRoutes = ['summary', 'trend', 'results'];
    for (const route of productRoutes) {
      for (const [who, path] of [
        ['bob', `${ORDERS}/${route}`],
        ['alice', `/v1/products/acme/nope/${route}`],
        ['token:acme-reader', `/v1/products/globex/shipments/${route}`],
      ]) {
        const response = await api.get(path, who);
        expect([
          who,
          route,
          response.status,
          response.body.error?.message,
        ]).toEqual([
          who,
          route,
          404,
          expect.stringMatching(
            /^No data product dataproduct:(acme\/orders|acme\/nope|globex\/shipments)$/,
          ),
        ]);
      }
    }
    for (const [who, path] of [
      ['bob', `${ORDERS}/results`],
      ['token:acme-ci', '/v1/products/globex/shipments/results'],
    ]) {
      const response = await api.post(path, who, body);
      expect([who, response.status]).toEqual([who, 404]);
    }
    for (const route of ['scores', 'dashboard']) {
      const response = await api.get(`/v1/tenants/acme/${route}`, 'bob');
      expect([route, response.status]).toEqual([route, 404]);
    }
    // A consumer reads but does not report, nor see the dashboard; a read token does not report.
    expect((await api.get(`${ORDERS}/summary`, 'carl')).status).toBe(200);
    expect((await api.post(`${ORDERS}/results`, 'carl', body)).status).toBe(
      403,
    );
    expect(
      (await api.post(`${ORDERS}/results`, 'token:acme-reader', body)).status,
    ).toBe(403);
    expect((await api.get('/v1/tenants/acme/dashboard', 'carl')).status).toBe(
      403,
    );
    // The report token reports to its own tenant, and reads nothing.
    expect(
      (await api.post(`${ORDERS}/results`, 'token:acme-ci', body)).status,
    ).toBe(201);
    expect((await api.get(`${ORDERS}/summary`, 'token:acme-ci')).status).toBe(
      403,
    );
  });

  it('lets the permission policy deny', async () => {
    const api = await start([
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const response = await api.get(`${ORDERS}/summary`, 'olga');
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'The permission policy does not allow akili.quality.read',
    );
  });
});
