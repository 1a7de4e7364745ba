import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  SchedulerServiceTaskScheduleDefinition,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  mockTenantQuotas,
  mockTenantStatus,
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { TenantScopedDatabase } from '@akili/plugin-akili-node';
import { parquetWriteBuffer } from 'hyparquet-writer';
import request from 'supertest';
import { lakePlugin } from '../plugin';
import {
  describeWithS3,
  putObjects,
  testLakeConfig,
  useTestBuckets,
} from '../__testUtils__/testS3';
import { DownloadAuditStore } from './DownloadAuditStore';
import { UsageStore } from './UsageStore';

jest.setTimeout(120_000);

const directory: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/carl': ['user:default/carl', 'group:akili/acme.consumer'],
  'user:default/bob': ['user:default/bob', 'group:akili/globex.operator'],
  'user:default/gina': ['user:default/gina', 'group:akili/globex.consumer'],
  'user:default/root': ['user:default/root', 'group:akili/platform-admin'],
  'user:default/nemo': ['user:default/nemo'],
};

const TRAINING = 'data-products/churn-features/training/';
const MONTH = 'snapshot_month=2026-11-01/';

function product(
  namespace: string,
  name: string,
  outputPorts: JsonObject[],
): Entity {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace, name, title: name },
    spec: {
      type: 'consumer-aligned',
      lifecycle: 'experimental',
      owner: `${namespace}-team`,
      domain: 'sales',
      outputPorts,
    },
  };
}

/** The churn-features example's files port (schema as in examples/), in `bucket`. */
function churnFeatures(bucket: string): Entity {
  return product('acme', 'churn-features', [
    {
      name: 'features',
      kind: 'table',
      location: {
        table: { catalog: 'iceberg_acme', database: 'ml', table: 'churn' },
      },
      schema: [{ name: 'customer_key', type: 'string' }],
    },
    {
      name: 'training_snapshots',
      title: 'Monthly training snapshots',
      kind: 'files',
      location: { s3: { bucket, prefix: TRAINING, format: 'parquet' } },
      schema: [
        {
          name: 'customer_key',
          type: 'string',
          classification: 'confidential',
        },
        { name: 'snapshot_month', type: 'date' },
        { name: 'churned_next_90d', type: 'boolean' },
      ],
    },
    {
      name: 'elsewhere',
      kind: 'files',
      location: { s3: { bucket: 'someone-elses-bucket', prefix: 'x/' } },
      schema: [],
    },
  ]);
}

/** Four rows, and a column (`model_note`) the contract does not declare. */
const snapshot = new Uint8Array(
  parquetWriteBuffer({
    columnData: [
      {
        name: 'customer_key',
        data: ['k-001', 'k-002', 'k-003', 'k-004'],
        type: 'STRING',
      },
      {
        name: 'snapshot_month',
        data: ['2026-11-01', '2026-11-01', '2026-11-01', '2026-11-01'],
        type: 'STRING',
      },
      {
        name: 'churned_next_90d',
        data: [true, false, false, true],
        type: 'BOOLEAN',
      },
      { name: 'model_note', data: ['a', 'b', 'c', 'd'], type: 'STRING' },
    ],
  }),
);
const csv = 'customer_key,snapshot_month\nk-009,2026-10-01\n';

describeWithS3('lake API against Ceph RGW', () => {
  const buckets = useTestBuckets();
  let acmeBucket: string;
  let globexBucket: string;

  beforeAll(async () => {
    acmeBucket = await buckets.create('acme', 'router-acme');
    globexBucket = await buckets.create('globex', 'router-globex');
    await putObjects(buckets.client('acme'), acmeBucket, [
      [`${TRAINING}${MONTH}part-0.parquet`, snapshot],
      [`${TRAINING}${MONTH}part-1.parquet`, snapshot],
      [`${TRAINING}snapshot_month=2026-10-01/part-0.csv`, csv],
      [`${TRAINING}_SUCCESS`, ''],
      ['data-products/other/loose.json', '{"a":1}\n'],
    ]);
    await putObjects(buckets.client('globex'), globexBucket, [
      ['exports/shipments.csv', 'id\n1\n'],
    ]);
  });

  describe.each(requireTestDatabaseIds())('on %s', databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });

    async function start(
      options: {
        config?: Record<string, unknown> | null;
      } = {},
    ) {
      const knex = await databases.init(databaseId);
      const tasks: Array<
        SchedulerServiceTaskScheduleDefinition &
          SchedulerServiceTaskInvocationDefinition
      > = [];
      const scheduler = mockServices.scheduler.mock({
        async scheduleTask(task) {
          tasks.push(task as (typeof tasks)[number]);
        },
      });
      const entities = [
        churnFeatures(acmeBucket),
        product('globex', 'shipments', [
          {
            name: 'exports',
            kind: 'files',
            location: { s3: { bucket: globexBucket, prefix: 'exports/' } },
            schema: [{ name: 'id', type: 'integer' }],
          },
        ]),
      ];
      const lake =
        options.config === null
          ? {}
          : options.config ??
            testLakeConfig({
              tenants: {
                acme: { bucket: acmeBucket },
                globex: { bucket: globexBucket },
              },
            });
      const { server } = await startTestBackend({
        features: [
          lakePlugin,
          userInfoFromDirectory(directory),
          mockTenantStatus({ acme: 'active', globex: 'active' }).factory,
          mockTenantQuotas({
            acme: {
              queryRowLimit: 1000,
              maxConcurrentQueries: 4,
              storageQuotaBytes: 1_000_000,
            },
            globex: { queryRowLimit: 1000, maxConcurrentQueries: 4 },
          }).factory,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          scheduler.factory,
          mockApiTokenResolverFactory([
            {
              tokenId: 'acme-reader',
              tenant: 'acme',
              permissions: ['akili.lake.read'],
            },
            {
              tokenId: 'acme-all',
              tenant: 'acme',
              permissions: [
                'akili.lake.read',
                'akili.lake.download',
                'akili.query.unmask',
              ],
            },
            {
              tokenId: 'globex-all',
              tenant: 'globex',
              permissions: ['akili.lake.read', 'akili.lake.download'],
            },
          ]),
          mockServices.rootConfig.factory({ data: lake as JsonObject }),
        ],
      });
      const as = (user: string) =>
        mockCredentials.user.header(`user:default/${user}`);
      return {
        knex,
        tasks,
        asToken: (method: 'get' | 'post', path: string, token: string) =>
          request(server)
            [method](`/api/lake${path}`)
            .set('Authorization', mockApiTokenHeader(token)),
        get: (path: string, user: string) =>
          request(server)
            .get(`/api/lake${path}`)
            .set('Authorization', as(user)),
        post: (path: string, user: string, body: object = {}) =>
          request(server)
            .post(`/api/lake${path}`)
            .set('Authorization', as(user))
            .send(body),
      };
    }

    const CHURN = '/v1/products/acme/churn-features';
    const PORT = `${CHURN}/ports/training_snapshots`;

    it('lists a product’s files ports to every role of its tenant, a location outside the tenant as a problem; another tenant’s as a missing product', async () => {
      const api = await start();
      for (const user of ['carl', 'alice', 'olga', 'root']) {
        const res = await api.get(`${CHURN}/ports`, user);
        expect(res.status).toBe(200);
        expect(res.body.product).toBe('dataproduct:acme/churn-features');
        expect(res.body.ports).toEqual([
          {
            name: 'training_snapshots',
            title: 'Monthly training snapshots',
            format: 'parquet',
            location: { bucket: acmeBucket, prefix: TRAINING },
          },
          {
            name: 'elsewhere',
            location: { bucket: 'someone-elses-bucket', prefix: 'x/' },
            problem: expect.stringContaining('someone-elses-bucket'),
          },
        ]);
      }
      for (const user of ['bob', 'gina', 'nemo']) {
        const foreign = await api.get(`${CHURN}/ports`, user);
        const missing = await api.get('/v1/products/acme/nope/ports', user);
        expect(foreign.status).toBe(404);
        expect(foreign.body.error.message).toBe(
          'No data product dataproduct:acme/churn-features',
        );
        expect(missing.status).toBe(404);
      }
      // Members of acme: a product that does not exist.
      expect(
        (await api.get('/v1/products/acme/nope/ports', 'carl')).status,
      ).toBe(404);
      // The 'elsewhere' port is shown, never read.
      const refused = await api.get(
        `${CHURN}/ports/elsewhere/objects`,
        'alice',
      );
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('someone-elses-bucket');
      // A table port is not a files port.
      expect(
        (await api.get(`${CHURN}/ports/features/objects`, 'alice')).status,
      ).toBe(404);
    });

    it('lists folders (with partitions) and objects in pages; another tenant cannot list, even by crafted paths', async () => {
      const api = await start();
      const root = await api.get(`${PORT}/objects`, 'carl');
      expect(root.status).toBe(200);
      expect(root.body).toMatchObject({
        product: 'dataproduct:acme/churn-features',
        port: 'training_snapshots',
        path: '',
      });
      expect(root.body.folders.map((f: any) => f.path)).toEqual([
        'snapshot_month=2026-10-01/',
        MONTH,
      ]);
      expect(root.body.folders[1].partition).toEqual({
        snapshot_month: '2026-11-01',
      });
      expect(root.body.objects.map((o: any) => o.path)).toEqual(['_SUCCESS']);

      const first = await api.get(
        `${PORT}/objects?path=${encodeURIComponent(MONTH)}&limit=1`,
        'carl',
      );
      expect(first.status).toBe(200);
      expect(first.body.objects).toHaveLength(1);
      expect(first.body.objects[0]).toMatchObject({
        path: `${MONTH}part-0.parquet`,
        size: snapshot.byteLength,
        previewFormat: 'parquet',
        partition: { snapshot_month: '2026-11-01' },
      });
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await api.get(
        `${PORT}/objects?path=${encodeURIComponent(
          MONTH,
        )}&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
        'carl',
      );
      expect(second.body.objects.map((o: any) => o.path)).toEqual([
        `${MONTH}part-1.parquet`,
      ]);
      expect(second.body).not.toHaveProperty('nextCursor');

      // Leaving the port's prefix: refused before S3 is asked.
      for (const path of [
        '../other/',
        '../../../',
        '%2e%2e/other/',
        'a/../../other/',
        '/etc/',
      ]) {
        const res = await api.get(
          `${PORT}/objects?path=${encodeURIComponent(path)}`,
          'alice',
        );
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body)).not.toContain('loose.json');
      }
      // globex cannot list acme's port, nor reach acme's bucket through its own product.
      expect((await api.get(`${PORT}/objects`, 'bob')).status).toBe(404);
      const own = await api.get(
        `/v1/products/globex/shipments/ports/exports/objects?path=${encodeURIComponent(
          `../../${acmeBucket}/`,
        )}`,
        'bob',
      );
      expect(own.status).toBe(400);
      const globexFiles = await api.get(
        '/v1/products/globex/shipments/ports/exports/objects',
        'bob',
      );
      expect(globexFiles.body.objects.map((o: any) => o.path)).toEqual([
        'shipments.csv',
      ]);
    });

    it('previews Parquet masked for a consumer (contract confidential and undeclared columns) and unmasked for a developer', async () => {
      const api = await start();
      const path = encodeURIComponent(`${MONTH}part-0.parquet`);
      const consumer = await api.get(
        `${PORT}/preview?path=${path}&rows=3`,
        'carl',
      );
      expect(consumer.status).toBe(200);
      expect(consumer.body).toMatchObject({
        product: 'dataproduct:acme/churn-features',
        port: 'training_snapshots',
        path: `${MONTH}part-0.parquet`,
        format: 'parquet',
        size: snapshot.byteLength,
        totalRows: 4,
        truncated: true,
        masked: ['customer_key', 'model_note'],
      });
      expect(consumer.body.columns.map((c: any) => [c.name, c.masked])).toEqual(
        [
          ['customer_key', true],
          ['snapshot_month', false],
          ['churned_next_90d', false],
          ['model_note', true],
        ],
      );
      expect(consumer.body.columns[0].classification).toBe('confidential');
      expect(consumer.body.rows).toEqual([
        [null, '2026-11-01', true, null],
        [null, '2026-11-01', false, null],
        [null, '2026-11-01', false, null],
      ]);
      expect(JSON.stringify(consumer.body)).not.toContain('k-00');

      for (const user of ['alice', 'olga', 'root']) {
        const developer = await api.get(`${PORT}/preview?path=${path}`, user);
        expect(developer.status).toBe(200);
        expect(developer.body.masked).toEqual([]);
        expect(developer.body.rows[0]).toEqual([
          'k-001',
          '2026-11-01',
          true,
          'a',
        ]);
        expect(developer.body.truncated).toBe(false);
      }

      const csvPreview = await api.get(
        `${PORT}/preview?path=${encodeURIComponent(
          'snapshot_month=2026-10-01/part-0.csv',
        )}`,
        'carl',
      );
      expect(csvPreview.status).toBe(200);
      expect(csvPreview.body.format).toBe('csv');
      expect(csvPreview.body.rows).toEqual([[null, '2026-10-01']]);

      expect(
        (await api.get(`${PORT}/preview?path=${path}`, 'bob')).status,
      ).toBe(404);
      const notAFile = await api.get(
        `${PORT}/preview?path=${encodeURIComponent(`${MONTH}nope.parquet`)}`,
        'alice',
      );
      expect(notAFile.status).toBe(404);
      const unreadable = await api.get(
        `${PORT}/preview?path=_SUCCESS`,
        'alice',
      );
      expect(unreadable.status).toBe(422);
      expect(unreadable.body.error.name).toBe('LakePreviewError');
    });

    it("answers the download's expiry as the storage signed it: lake.presign.maxExpirySeconds cuts a longer expiresInSeconds", async () => {
      const api = await start({
        config: testLakeConfig({
          tenants: {
            acme: { bucket: acmeBucket },
            globex: { bucket: globexBucket },
          },
          lake: { presign: { expiresInSeconds: 3600, maxExpirySeconds: 60 } },
        }),
      });
      const before = Date.now();
      const signed = await api.post(`${PORT}/download`, 'alice', {
        path: `${MONTH}part-1.parquet`,
      });
      expect(signed.status).toBe(200);
      const expiresIn = Date.parse(signed.body.expiresAt) - before;
      expect(expiresIn).toBeGreaterThan(50_000);
      expect(expiresIn).toBeLessThanOrEqual(61_000);
      expect(new URL(signed.body.url).searchParams.get('X-Amz-Expires')).toBe(
        '60',
      );
    });

    it('signs downloads for developers, operators and admins only, audited with intent and outcome; the URL fetches the file', async () => {
      const api = await start();
      const path = `${MONTH}part-1.parquet`;
      const before = Date.now();
      const signed = await api.post(`${PORT}/download`, 'alice', { path });
      expect(signed.status).toBe(200);
      expect(signed.body.size).toBe(snapshot.byteLength);
      const expiresIn = Date.parse(signed.body.expiresAt) - before;
      expect(expiresIn).toBeGreaterThan(250_000);
      expect(expiresIn).toBeLessThanOrEqual(301_000);
      const fetched = await fetch(signed.body.url);
      expect(fetched.status).toBe(200);
      expect(Buffer.from(await fetched.arrayBuffer())).toEqual(
        Buffer.from(snapshot),
      );

      expect(
        (await api.post(`${PORT}/download`, 'olga', { path })).status,
      ).toBe(200);
      expect(
        (await api.post(`${PORT}/download`, 'root', { path })).status,
      ).toBe(200);
      const consumer = await api.post(`${PORT}/download`, 'carl', { path });
      expect(consumer.status).toBe(403);
      expect(consumer.body.error.message).toContain('akili.lake.download');
      for (const user of ['bob', 'gina']) {
        const foreign = await api.post(`${PORT}/download`, user, { path });
        expect(foreign.status).toBe(404);
        expect(JSON.stringify(foreign.body)).not.toContain('X-Amz');
      }
      const missing = await api.post(`${PORT}/download`, 'alice', {
        path: `${MONTH}gone.parquet`,
      });
      expect(missing.status).toBe(404);
      const crafted = await api.post(`${PORT}/download`, 'alice', {
        path: '../../other/loose.json',
      });
      expect(crafted.status).toBe(400);

      const audit = new DownloadAuditStore(
        TenantScopedDatabase.create(api.knex),
      );
      const { items } = await audit.list('acme', { limit: 10 });
      expect(
        items.map(i => [i.actor, i.path, i.outcome, i.size ?? null]),
      ).toEqual([
        // An attempt to leave the port is refused, and on record.
        ['user:default/alice', '../../other/loose.json', 'failed', null],
        ['user:default/alice', `${MONTH}gone.parquet`, 'failed', null],
        ['user:default/root', path, 'signed', snapshot.byteLength],
        ['user:default/olga', path, 'signed', snapshot.byteLength],
        ['user:default/alice', path, 'signed', snapshot.byteLength],
      ]);
      expect(items[4]).toMatchObject({
        tenant: 'acme',
        product: 'dataproduct:acme/churn-features',
        port: 'training_snapshots',
        expiresAt: signed.body.expiresAt,
      });
      expect(items[1].error).toContain('gone.parquet');
      // Nothing of acme's in globex's trail.
      expect((await audit.list('globex', { limit: 10 })).items).toEqual([]);
    });

    it('lets a consumer tenant list and preview only the agreed columns once acme approves its agreement, never download; before approval and after revocation, 404', async () => {
      const api = await start();
      const path = encodeURIComponent(`${MONTH}part-0.parquet`);
      const previewAsGina = () =>
        api.get(`${PORT}/preview?path=${path}`, 'gina');
      expect((await api.get(`${CHURN}/ports`, 'gina')).status).toBe(404);

      const requested = await api.post('/v1/agreements', 'gina', {
        provider: {
          product: 'dataproduct:acme/churn-features',
          port: 'training_snapshots',
        },
        consumer: { tenant: 'globex' },
        purpose: 'Churn signals of shared customers for the carrier scorecard',
        columns: ['snapshot_month', 'customer_key'],
        until: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(),
      });
      expect(requested.status).toBe(201);
      const id = requested.body.id;
      expect(requested.body).toMatchObject({
        status: 'requested',
        provider: { tenant: 'acme', port: 'training_snapshots' },
        consumer: { tenant: 'globex' },
      });
      // Requested is not agreed: still as missing.
      expect((await previewAsGina()).status).toBe(404);
      expect((await api.get(`${CHURN}/ports`, 'gina')).status).toBe(404);
      // The consumer tenant cannot approve its own request.
      expect(
        (await api.post(`/v1/agreements/${id}/approve`, 'bob')).status,
      ).toBe(403);

      const approved = await api.post(`/v1/agreements/${id}/approve`, 'alice', {
        note: 'Pseudonymous keys only',
      });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');

      const ports = await api.get(`${CHURN}/ports`, 'gina');
      expect(ports.status).toBe(200);
      // Only the agreed port; the product's other files port stays hidden.
      expect(ports.body.ports.map((p: any) => p.name)).toEqual([
        'training_snapshots',
      ]);
      const preview = await previewAsGina();
      expect(preview.status).toBe(200);
      expect(preview.body.columns.map((c: any) => c.name)).toEqual([
        'customer_key',
        'snapshot_month',
      ]);
      // Agreed, but confidential: masked for a caller outside acme.
      expect(preview.body.masked).toEqual(['customer_key']);
      expect(preview.body.rows[0]).toEqual([null, '2026-11-01']);
      const text = JSON.stringify(preview.body);
      expect(text).not.toContain('model_note');
      expect(text).not.toContain('churned_next_90d');
      expect(text).not.toContain('k-00');

      expect((await api.get(`${PORT}/objects`, 'gina')).status).toBe(200);
      const download = await api.post(`${PORT}/download`, 'bob', {
        path: `${MONTH}part-0.parquet`,
      });
      expect(download.status).toBe(403);
      expect(download.body.error.message).toContain('not download');
      // Another port of the product, and a user of no tenant: as missing.
      expect(
        (await api.get(`${CHURN}/ports/elsewhere/objects`, 'gina')).status,
      ).toBe(404);
      expect((await api.get(`${CHURN}/ports`, 'nemo')).status).toBe(404);

      const revoked = await api.post(`/v1/agreements/${id}/revoke`, 'alice', {
        reason: 'Scorecard retired',
      });
      expect(revoked.status).toBe(200);
      expect(revoked.body.status).toBe('revoked');
      expect((await previewAsGina()).status).toBe(404);
      expect((await api.get(`${PORT}/objects`, 'gina')).status).toBe(404);
      expect((await api.get(`${CHURN}/ports`, 'gina')).status).toBe(404);
    });

    it('measures each tenant’s storage on schedule and shows it to its operators and platform admins, with the quota', async () => {
      const api = await start();
      const task = api.tasks.find(t => t.id === 'lake-usage-measure');
      expect(task).toBeDefined();
      expect(task!.frequency).toEqual({ minutes: 60 });
      // A measurement 8 days ago: the growth is the difference to it.
      await new UsageStore(TenantScopedDatabase.create(api.knex)).record(
        'acme',
        {
          measuredAt: new Date(Date.now() - 8 * 24 * 3600 * 1000),
          objects: 1,
          bytes: 100,
          products: [
            {
              product: 'dataproduct:acme/churn-features',
              objects: 1,
              bytes: 100,
            },
          ],
        },
      );
      await task!.fn(new AbortController().signal);

      const usage = await api.get('/v1/tenants/acme/usage', 'olga');
      expect(usage.status).toBe(200);
      const churnBytes = 2 * snapshot.byteLength + csv.length;
      expect(usage.body).toMatchObject({
        tenant: 'acme',
        location: { bucket: acmeBucket, prefix: '' },
        objects: 5,
        bytes: churnBytes + '{"a":1}\n'.length,
        quotaBytes: 1_000_000,
        products: [
          {
            product: 'dataproduct:acme/churn-features',
            objects: 4,
            bytes: churnBytes,
          },
          { product: null, objects: 1, bytes: '{"a":1}\n'.length },
        ],
      });
      expect(usage.body.history.map((p: any) => p.bytes)).toEqual([
        100,
        usage.body.bytes,
      ]);
      expect(usage.body.growth7dBytes).toBe(usage.body.bytes - 100);
      expect(usage.body.products[0].growth7dBytes).toBe(churnBytes - 100);
      expect(usage.body.products[1].growth7dBytes).toBe('{"a":1}\n'.length);
      expect(Date.parse(usage.body.measuredAt)).not.toBeNaN();
      expect((await api.get('/v1/tenants/acme/usage', 'root')).status).toBe(
        200,
      );
      for (const user of ['alice', 'carl']) {
        expect((await api.get('/v1/tenants/acme/usage', user)).status).toBe(
          403,
        );
      }
      expect((await api.get('/v1/tenants/acme/usage', 'bob')).status).toBe(404);

      const tenantsOf = async (user: string) =>
        (await api.get('/v1/usage', user)).body.tenants.map(
          (t: any) => t.tenant,
        );
      expect(await tenantsOf('olga')).toEqual(['acme']);
      expect(await tenantsOf('bob')).toEqual(['globex']);
      expect(await tenantsOf('root')).toEqual(['acme', 'globex']);
      expect(await tenantsOf('carl')).toEqual([]);
      const globex = (await api.get('/v1/usage', 'bob')).body.tenants[0];
      expect(globex).toMatchObject({ objects: 1, bytes: 'id\n1\n'.length });
      expect(globex).not.toHaveProperty('quotaBytes');
      expect(globex).not.toHaveProperty('growth7dBytes');
    });

    it('serves Akili API tokens as their tenant and permissions: masked without akili.query.unmask, no download without akili.lake.download, nothing of another tenant', async () => {
      const api = await start();
      const path = encodeURIComponent(`${MONTH}part-0.parquet`);
      const reader = await api.asToken(
        'get',
        `${PORT}/preview?path=${path}`,
        'acme-reader',
      );
      expect(reader.status).toBe(200);
      expect(reader.body.masked).toEqual(['customer_key', 'model_note']);
      const all = await api.asToken(
        'get',
        `${PORT}/preview?path=${path}`,
        'acme-all',
      );
      expect(all.body.masked).toEqual([]);
      expect(
        (
          await api
            .asToken('post', `${PORT}/download`, 'acme-reader')
            .send({ path: `${MONTH}part-0.parquet` })
        ).status,
      ).toBe(403);
      expect(
        (
          await api
            .asToken('post', `${PORT}/download`, 'acme-all')
            .send({ path: `${MONTH}part-0.parquet` })
        ).status,
      ).toBe(200);
      for (const route of [`${CHURN}/ports`, `${PORT}/objects`]) {
        expect((await api.asToken('get', route, 'globex-all')).status).toBe(
          404,
        );
      }
      expect(
        (
          await api
            .asToken('post', `${PORT}/download`, 'globex-all')
            .send({ path: `${MONTH}part-0.parquet` })
        ).status,
      ).toBe(404);
    });

    it('answers 400 naming the field for bad input (checked against the OpenAPI spec, names by the router)', async () => {
      const api = await start();
      const cases: Array<[request.Test, RegExp]> = [
        [api.get('/v1/products/Bad_Name/x/ports', 'alice'), /namespace/],
        [api.get(`${CHURN}/ports/BAD!/objects`, 'alice'), /port/],
        [
          api.get(`${PORT}/objects?limit=1001`, 'alice'),
          /request\/query\/limit must be <= 1000/,
        ],
        [
          api.get(`${PORT}/objects?limit=0`, 'alice'),
          /request\/query\/limit must be >= 1/,
        ],
        [
          api.get(`${PORT}/objects?color=red`, 'alice'),
          /Unknown query parameter 'color'/,
        ],
        [
          api.get(`${PORT}/preview`, 'alice'),
          /request\/query must have required property 'path'/,
        ],
        [
          api.get(`${PORT}/preview?path=a&rows=201`, 'alice'),
          /request\/query\/rows must be <= 200/,
        ],
        [
          api.post(`${PORT}/download`, 'alice', {}),
          /request\/body must have required property 'path'/,
        ],
        [
          api.post(`${PORT}/download`, 'alice', { path: 'a', ttl: 9 }),
          /unknown field ttl/,
        ],
        [api.get(`${CHURN}/ports?x=1`, 'alice'), /Unknown query parameter 'x'/],
        [api.get('/v1/usage?all=1', 'root'), /Unknown query parameter 'all'/],
      ];
      for (const [call, message] of cases) {
        const res = await call;
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(message);
      }
    });

    it('answers 503 LakeNotConfiguredError on every route without lake config, after authorizing', async () => {
      const api = await start({ config: null });
      const routes = [
        api.get(`${CHURN}/ports`, 'alice'),
        api.get(`${PORT}/objects`, 'alice'),
        api.get(`${PORT}/preview?path=a.csv`, 'alice'),
        api.post(`${PORT}/download`, 'alice', { path: 'a.csv' }),
        api.get('/v1/tenants/acme/usage', 'olga'),
        api.get('/v1/usage', 'olga'),
      ];
      for (const call of routes) {
        const res = await call;
        expect(res.status).toBe(503);
        expect(res.body.error.name).toBe('LakeNotConfiguredError');
        expect(res.body.error.message).toContain('lake.s3');
      }
      expect((await api.get(`${CHURN}/ports`, 'bob')).status).toBe(404);
      // The access agreements do not need the lake: they answer, and expire on schedule.
      const agreements = await api.get('/v1/agreements?tenant=acme', 'alice');
      expect(agreements.status).toBe(200);
      expect(agreements.body.items).toEqual([]);
      expect(api.tasks.map(t => t.id)).toEqual(['lake-agreement-expiry']);
    });

    it('answers 503 naming the endpoint within 5 s when S3 does not answer', async () => {
      const api = await start({
        config: testLakeConfig({
          tenants: {
            acme: { bucket: acmeBucket },
            globex: { bucket: globexBucket },
          },
          s3: { endpoint: 'http://127.0.0.1:9', timeoutMs: 2000 },
        }),
      });
      const started = Date.now();
      const res = await api.get(`${PORT}/objects`, 'alice');
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain('127.0.0.1:9');
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });
});
