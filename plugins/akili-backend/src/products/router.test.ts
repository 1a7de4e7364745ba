import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DEFAULT_EVENT_OUTBOX_TABLE,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { Knex } from 'knex';
import { akiliPlugin } from '../plugin';
import { consumerEntity } from './__testUtils__/consumerEntity';

jest.setTimeout(60_000);

type OutboxEvent = { type: string; tenant: string; subject: string };

const directory: Record<string, string[]> = {
  'user:default/dev': ['user:default/dev', 'group:akili/acme.developer'],
  'user:default/con': ['user:default/con', 'group:akili/acme.consumer'],
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/gus': ['user:default/gus', 'group:akili/globex.developer'],
  // A member of both tenants sees consumers in both.
  'user:default/mia': [
    'user:default/mia',
    'group:akili/acme.developer',
    'group:akili/globex.consumer',
  ],
};

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

/** An Akili manifest of `acme/<name>`; `options` change the parts the tests play with. */
function manifestText(
  name: string,
  options: {
    version?: string;
    namespace?: string;
    columns?: string[];
  } = {},
): string {
  const columns = options.columns ?? [
    '        - { name: order_id, type: string, required: true }',
    '        - { name: amount, type: decimal }',
  ];
  return `apiVersion: akili.io/v1alpha1
kind: DataProduct
metadata:
  name: ${name}
  namespace: ${options.namespace ?? 'acme'}
  title: Shop orders
spec:
  type: source-aligned
  lifecycle: production
  owner: acme-sales
  domain: sales
  version: ${options.version ?? '1.0.0'}
  outputPorts:
    - name: orders
      kind: table
      location:
        table: { catalog: iceberg_acme, database: sales, table: ${name} }
      schema:
${columns.join('\n')}
    - name: daily
      kind: table
      location:
        table: { catalog: iceberg_acme, database: sales, table: ${name}_daily }
      schema:
        - { name: day, type: date }
`;
}

const catalogEntities = [
  consumerEntity('acme', 'revenue', 'orders', 'orders', 'acme-finance'),
  consumerEntity('acme', 'kpis', 'dataproduct:acme/orders', 'daily', 'acme-bi'),
  consumerEntity('globex', 'shipments', 'acme/orders', 'orders', 'globex-ops'),
  // globex's own `orders`, not acme's.
  consumerEntity('globex', 'returns', 'orders', 'orders', 'globex-ops'),
];

describe.each(requireTestDatabaseIds())(
  'product registry on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    let knex: Knex;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          akiliPlugin,
          userInfoFromDirectory(directory),
          mockApiTokenResolverFactory([
            {
              tokenId: 'acme.ci',
              tenant: 'acme',
              permissions: ['akili.product.submit', 'akili.product.read'],
            },
            {
              tokenId: 'acme.reader',
              tenant: 'acme',
              permissions: ['akili.product.read'],
            },
            {
              tokenId: 'globex.ci',
              tenant: 'globex',
              permissions: ['akili.product.submit', 'akili.product.read'],
            },
          ]),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              akili: {
                tenants: {
                  seed: [
                    { name: 'acme', title: 'ACME' },
                    { name: 'globex', title: 'Globex' },
                  ],
                },
              },
            },
          }),
          catalogServiceMock.factory({ entities: catalogEntities }),
        ],
      }));
    });

    const submit = (
      tenant: string,
      text: string,
      options: { auth?: string; query?: string; type?: string } = {},
    ) =>
      request(server)
        .post(
          `/api/akili/v1/tenants/${tenant}/products${
            options.query ? `?${options.query}` : ''
          }`,
        )
        .set('Authorization', options.auth ?? as('dev'))
        .set('Content-Type', options.type ?? 'application/yaml')
        .send(text);
    const get = (tenant: string, name: string, auth = as('dev')) =>
      request(server)
        .get(`/api/akili/v1/tenants/${tenant}/products/${name}`)
        .set('Authorization', auth);
    const outbox = async (tenant: string) => {
      const db = TenantScopedDatabase.create(knex);
      const rows: Array<{ payload: string }> = await db.withTenant(tenant, tx =>
        db
          .scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE)
          .select('payload')
          .orderBy('id'),
      );
      return rows
        .map(row => JSON.parse(row.payload) as OutboxEvent)
        .filter(event => event.type === 'product.registered');
    };

    it('registers a developer’s product, with its consumers and the event in the outbox', async () => {
      const res = await submit('acme', manifestText('orders'));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        stored: true,
        product: {
          entityRef: 'dataproduct:acme/orders',
          tenant: 'acme',
          name: 'orders',
          status: 'registered',
          version: '1.0.0',
          revision: 1,
        },
        diff: {
          changes: [],
          breaking: false,
          nextVersion: '1.0.0',
          requiresMajorBump: false,
        },
        warnings: [],
        impact: {
          // acme's consumers only: globex's is not the developer's to see.
          consumers: [
            {
              entityRef: 'dataproduct:acme/kpis',
              title: 'kpis (acme)',
              owner: 'group:acme/acme-bi',
              ports: ['daily'],
              affected: false,
            },
            {
              entityRef: 'dataproduct:acme/revenue',
              title: 'revenue (acme)',
              owner: 'group:acme/acme-finance',
              ports: ['orders'],
              affected: false,
            },
          ],
        },
      });

      const entry = await get('acme', 'orders', as('con'));
      expect(entry.status).toBe(200);
      expect(entry.body).toMatchObject({
        entityRef: 'dataproduct:acme/orders',
        status: 'registered',
        revision: 1,
        createdBy: 'user:default/dev',
        manifest: { metadata: { name: 'orders', namespace: 'acme' } },
        versions: [
          {
            revision: 1,
            version: '1.0.0',
            format: 'akili',
            submittedBy: 'user:default/dev',
            breakingAcknowledged: false,
          },
        ],
      });

      expect(await outbox('acme')).toEqual([
        expect.objectContaining({
          type: 'product.registered',
          tenant: 'acme',
          subject: 'dataproduct:acme/orders',
          data: expect.objectContaining({
            product: 'dataproduct:acme/orders',
            owner: 'acme-sales',
            registeredBy: 'user:default/dev',
          }),
        }),
      ]);
    });

    it('holds back breaking changes until acknowledged with a major version, naming them', async () => {
      expect((await submit('acme', manifestText('payments'))).status).toBe(201);
      const withoutAmount = (version: string) =>
        manifestText('payments', {
          version,
          columns: [
            '        - { name: order_id, type: string, required: true }',
          ],
        });

      const refused = await submit('acme', withoutAmount('1.1.0'));
      expect(refused.status).toBe(409);
      expect(refused.body.error.name).toBe('ConflictError');
      expect(refused.body.error.message).toContain(
        'spec.outputPorts[orders].schema[amount]: Column amount (decimal) removed',
      );
      expect(refused.body.error.message).toMatch(
        /acknowledgeBreaking=true and a new major version in spec.version \(1.1.0, was 1.0.0\)/,
      );
      expect(refused.body.diff).toMatchObject({
        breaking: true,
        requiresMajorBump: true,
        changes: expect.arrayContaining([
          expect.objectContaining({
            kind: 'column-removed',
            path: 'spec.outputPorts[orders].schema[amount]',
            breaking: true,
          }),
        ]),
      });

      // Acknowledged, but the same major: still refused, for the version alone.
      const noBump = await submit('acme', withoutAmount('1.1.0'), {
        query: 'acknowledgeBreaking=true',
      });
      expect(noBump.status).toBe(409);
      expect(noBump.body.error.message).not.toContain('acknowledgeBreaking');
      expect(noBump.body.error.message).toContain('a new major version');

      // A major bump without acknowledgement: refused too.
      const notAcknowledged = await submit('acme', withoutAmount('2.0.0'));
      expect(notAcknowledged.status).toBe(409);
      expect(notAcknowledged.body.error.message).toContain(
        'acknowledgeBreaking=true',
      );

      const accepted = await submit('acme', withoutAmount('2.0.0'), {
        query: 'acknowledgeBreaking=true',
      });
      expect(accepted.status).toBe(201);
      expect(accepted.body.product).toMatchObject({
        revision: 2,
        version: '2.0.0',
      });
      expect(accepted.body.diff.breaking).toBe(true);

      const entry = await get('acme', 'payments');
      expect(
        entry.body.versions.map((v: any) => [
          v.revision,
          v.version,
          v.breakingAcknowledged,
        ]),
      ).toEqual([
        [2, '2.0.0', true],
        [1, '1.0.0', false],
      ]);
      expect(entry.body.versions[0].diff.changes[0].kind).toBe(
        'column-removed',
      );
      expect(await outbox('acme')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ subject: 'dataproduct:acme/payments' }),
        ]),
      );
      expect(
        (await outbox('acme')).filter(
          e => e.subject === 'dataproduct:acme/payments',
        ),
      ).toHaveLength(2);
    });

    it('marks the consumers of a port a breaking change touches', async () => {
      // `orders` is registered by the first test; the dry run keeps it as it is.
      const res = await submit(
        'acme',
        manifestText('orders', {
          version: '1.0.1',
          columns: [
            '        - { name: order_id, type: integer, required: true }',
          ],
        }),
        { query: 'dryRun=true' },
      );
      expect(res.status).toBe(200);
      expect(res.body.stored).toBe(false);
      expect(res.body.conflict).toMatch(/breaking changes?, which need/);
      expect(
        res.body.impact.consumers.map((c: any) => [c.entityRef, c.affected]),
      ).toEqual([
        ['dataproduct:acme/kpis', false],
        ['dataproduct:acme/revenue', true],
      ]);
    });

    it('stores nothing on a dry run', async () => {
      const res = await submit('acme', manifestText('drafted'), {
        query: 'dryRun=true',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        stored: false,
        product: { entityRef: 'dataproduct:acme/drafted', revision: 1 },
        diff: { breaking: false },
      });
      expect(res.body.conflict).toBeUndefined();
      expect((await get('acme', 'drafted')).status).toBe(404);
      expect(
        (await outbox('acme')).filter(
          e => e.subject === 'dataproduct:acme/drafted',
        ),
      ).toEqual([]);
    });

    it('registers in the route’s tenant whatever metadata.namespace says, with a warning', async () => {
      const res = await submit(
        'acme',
        manifestText('claimed', { namespace: 'globex' }),
      );
      expect(res.status).toBe(201);
      expect(res.body.product.entityRef).toBe('dataproduct:acme/claimed');
      expect(res.body.warnings).toEqual([
        "metadata.namespace 'globex' is not the tenant of the route: the product is registered in tenant 'acme'",
      ]);
      expect(
        (await get('acme', 'claimed')).body.manifest.metadata.namespace,
      ).toBe('acme');
      expect((await get('globex', 'claimed', as('gus'))).status).toBe(404);
      expect(await outbox('globex')).toEqual([]);
    });

    it('shows consumers in every tenant the caller is in, and none elsewhere', async () => {
      const mia = await submit('acme', manifestText('orders'), {
        auth: as('mia'),
        query: 'dryRun=true',
      });
      expect(mia.status).toBe(200);
      expect(mia.body.impact.consumers.map((c: any) => c.entityRef)).toEqual([
        'dataproduct:acme/kpis',
        'dataproduct:acme/revenue',
        'dataproduct:globex/shipments',
      ]);
      // A token sees its own tenant's only.
      const token = await submit('acme', manifestText('orders'), {
        auth: mockApiTokenHeader('acme.ci'),
        query: 'dryRun=true',
      });
      expect(token.body.impact.consumers.map((c: any) => c.entityRef)).toEqual([
        'dataproduct:acme/kpis',
        'dataproduct:acme/revenue',
      ]);
    });

    it('allows developers, operators and tokens holding akili.product.submit, and no one else', async () => {
      const text = manifestText('roles');
      // A consumer of the tenant: 403 naming the permission.
      const consumerRes = await submit('acme', text, { auth: as('con') });
      expect(consumerRes.status).toBe(403);
      expect(consumerRes.body.error.message).toMatch(/akili\.product\.submit/);
      // Another tenant's developer: 404 like a tenant that does not exist.
      const foreign = await submit('acme', text, { auth: as('gus') });
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.message).toBe("No tenant 'acme'");
      const missing = await submit('nosuch', text, { auth: as('gus') });
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe("No tenant 'nosuch'");
      // Tokens: with the permission in the tenant, without it, of another tenant.
      expect(
        (
          await submit('acme', text, {
            auth: mockApiTokenHeader('acme.reader'),
          })
        ).status,
      ).toBe(403);
      expect(
        (await submit('acme', text, { auth: mockApiTokenHeader('globex.ci') }))
          .status,
      ).toBe(404);
      const byToken = await submit('acme', text, {
        auth: mockApiTokenHeader('acme.ci'),
      });
      expect(byToken.status).toBe(201);
      expect(
        (await get('acme', 'roles', mockApiTokenHeader('acme.reader'))).body
          .versions[0].submittedBy,
      ).toBe('token:acme.ci');
      const byOperator = await submit('acme', manifestText('roles-op'), {
        auth: as('olga'),
      });
      expect(byOperator.status).toBe(201);
      const anonymous = await submit('acme', text, {
        auth: mockCredentials.none.header(),
      });
      expect(anonymous.status).toBe(401);
    });

    it('answers another tenant’s product exactly like a missing one', async () => {
      const foreign = await get('acme', 'orders', as('gus'));
      const foreignToken = await get(
        'acme',
        'orders',
        mockApiTokenHeader('globex.ci'),
      );
      const missing = await get('acme', 'nothing-here');
      expect([foreign.status, foreignToken.status, missing.status]).toEqual([
        404, 404, 404,
      ]);
      expect(foreign.body.error.message).toBe(
        'No data product dataproduct:acme/orders in the registry',
      );
      expect(missing.body.error.message).toBe(
        'No data product dataproduct:acme/nothing-here in the registry',
      );
      expect((await get('acme', 'Bad_Name')).status).toBe(400);
    });

    describe('ODPS and ODCS documents as written (the official Bitol examples)', () => {
      const bitol = path.join(
        path.dirname(
          require.resolve('@akili/plugin-akili-common/package.json'),
        ),
        'src/standards/__fixtures__/bitol',
      );
      const read = (name: string) =>
        fs.readFileSync(path.join(bitol, name), 'utf8');
      const odcsExamples = fs
        .readdirSync(path.join(bitol, 'odcs'), { recursive: true })
        .map(String)
        .filter(f => f.endsWith('.yaml'))
        .sort();
      /** An official contract under another id and name, to stand for a referenced one. */
      const contractAs = (id: string, name: string) =>
        read('odcs/schema/all-schema-types.odcs.yaml')
          .replace(/^id: .*$/m, `id: ${id}`)
          .replace(/^name: .*$/m, `name: ${name}`);
      const internal = () =>
        request(server)
          .get('/api/akili/v1/internal/products')
          .set(
            'Authorization',
            mockCredentials.service.header({
              onBehalfOf: mockCredentials.service('plugin:catalog'),
              targetPluginId: 'akili',
            }),
          );

      it('accepts every official ODCS example on a dry run, with its warnings', async () => {
        expect(odcsExamples).toHaveLength(18);
        for (const name of odcsExamples) {
          const res = await submit('globex', read(`odcs/${name}`), {
            auth: as('gus'),
            query: 'dryRun=true',
          });
          expect({ name, status: res.status, error: res.body.error }).toEqual({
            name,
            status: 200,
            error: undefined,
          });
          expect(res.body.stored).toBe(false);
          expect(res.body.product.tenant).toBe('globex');
        }
        const custom = await submit(
          'globex',
          read('odcs/quality/column-custom.odcs.yaml'),
          { auth: as('gus'), query: 'dryRun=true' },
        );
        expect(custom.body.warnings).toContainEqual(
          expect.stringMatching(
            /^\$\.schema\[0\]\.properties\[0\]\.quality\[0\]\.engine \(line 27, column 17\): .*engine 'soda'.*checked elsewhere/,
          ),
        );
      });

      it('registers an ODCS contract as a product with a port per schema object, and resolves ODPS contract references against the registry', async () => {
        const simple = read('odps/simple-data-product.odps.yaml');
        // Not registered yet: on submission an unresolved reference is an error.
        const unresolved = await submit('acme', simple, {
          query: 'dryRun=true',
        });
        expect(unresolved.status).toBe(400);
        expect(unresolved.body.error.message).toMatch(
          /\$\.outputPorts\[0\]\.contractId \(line 25, column 15\): contract '87654321-4321-4321-4321-cba987654321' of output port 'processed-data' was not provided/,
        );

        const contract = await submit(
          'acme',
          contractAs('87654321-4321-4321-4321-cba987654321', 'processing'),
        );
        expect(contract.status).toBe(201);
        expect(contract.body.product.entityRef).toBe(
          'dataproduct:acme/processing',
        );
        const entry = await get('acme', 'processing');
        expect(entry.body.versions[0].format).toBe('odcs');

        const product = await submit('acme', simple);
        expect(product.status).toBe(201);
        expect(product.body.product.entityRef).toBe(
          'dataproduct:acme/simple-data-product',
        );
        expect(
          (await get('acme', 'simple-data-product')).body.versions[0].format,
        ).toBe('odps');
        const listed = await internal();
        expect(listed.status).toBe(200);
        const byRef = new Map<string, any>(
          listed.body.products.map((p: any) => [p.entityRef, p.manifest]),
        );
        expect(
          byRef
            .get('dataproduct:acme/processing')
            .spec.outputPorts.map((p: any) => p.name),
        ).toEqual(['tbl', 'anobject', 'anotherobject']);
        const ports = byRef.get('dataproduct:acme/simple-data-product').spec
          .outputPorts;
        expect(ports.map((p: any) => p.name)).toEqual([
          'processed-data_tbl',
          'processed-data_anobject',
          'processed-data_anotherobject',
        ]);
        expect(ports[0].schema.map((c: any) => c.name)).toContain('txn_ref_dt');

        // Another tenant's registry never resolves acme's contracts.
        const foreign = await submit('globex', simple, {
          auth: as('gus'),
          query: 'dryRun=true',
        });
        expect(foreign.status).toBe(400);
      });

      it("accepts the ODPS examples once their contracts are registered; a differing tenant is a warning and the route's wins", async () => {
        const text = read('odps/customer-data-product.odps.yaml');
        const ids = [...text.matchAll(/contractId: (\S+)/g)].map(m => m[1]);
        // Output ports' contracts (input ports name theirs without needing them).
        for (const id of [
          'c2798941-1b7e-4b03-9e0d-955b1a872b33',
          'a44978be-1fe0-4226-b840-1b715bc25c63',
          'ef769969-0cbe-4188-876f-bb00abadaee4',
        ]) {
          expect(ids).toContain(id);
          const res = await submit(
            'globex',
            contractAs(id, `c-${id.slice(0, 8)}`),
            {
              auth: as('gus'),
            },
          );
          expect(res.status).toBe(201);
        }
        const res = await submit('globex', text, {
          auth: as('gus'),
          query: 'dryRun=true',
        });
        expect(res.status).toBe(200);
        expect(res.body.product.entityRef).toBe(
          'dataproduct:globex/customer-data-product',
        );
        expect(res.body.warnings[0]).toBe(
          "$.tenant (line 8, column 9): tenant 'RetailCorp' is not the tenant of the document's source: it belongs to tenant 'globex'",
        );
      });
    });

    it('answers 400 for a bad manifest, naming path and line, and for other formats', async () => {
      const bad = await submit(
        'acme',
        manifestText('broken').replace(
          'lifecycle: production',
          'lifecycle: forever',
        ),
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.name).toBe('InputError');
      expect(bad.body.error.message).toMatch(
        /^The manifest is not valid: \$\.spec\.lifecycle \(line 9, column \d+\): /,
      );

      const unreadable = await submit('acme', 'metadata: [unclosed\n');
      expect(unreadable.status).toBe(400);
      expect(unreadable.body.error.message).toMatch(/line \d+, column \d+/);

      // A contract the official ODCS schema rejects.
      const odcs = await submit(
        'acme',
        'apiVersion: v3.0.2\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: 42\n',
      );
      expect(odcs.status).toBe(400);
      expect(odcs.body.error.message).toMatch(
        /^The manifest is not valid: \$\.status \(line 5, column 9\): /,
      );

      const flag = await submit('acme', manifestText('flagged'), {
        query: 'dryRun=yes',
      });
      expect(flag.status).toBe(400);
      expect(flag.body.error.message).toBe(
        'request/query/dryRun must be boolean',
      );

      const noBody = await submit('acme', 'x', { type: 'image/png' });
      expect(noBody.status).toBe(400);
      expect((await get('acme', 'broken')).status).toBe(404);
    });
  },
);
