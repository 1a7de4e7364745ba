/*
 * bench/catalog-ingest: N DataProduct manifests through the Akili provider (folder source,
 * manifest validation, DataProduct processor, relations) against N plain Component entities
 * through the same catalog provider path (files read from a folder, one full mutation), in
 * the same process, each on a fresh PostgreSQL database. Measures the time from the
 * provider's start until all N entities are stitched in the catalog, then checks that the
 * products are searchable by column name.
 *
 *   make bench NAME=catalog-ingest          (BENCH_N=2000 for a quicker run)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import request from 'supertest';
import { stringify, parse } from 'yaml';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogModuleAkili from '@akili/plugin-catalog-backend-module-akili';

const N = Number(process.env.BENCH_N ?? 10_000);
const PG =
  process.env.AKILI_TEST_PG_URL ??
  'postgresql://akili_test:akili_test@127.0.0.1:5432/postgres';
const TENANTS = ['acme', 'globex', 'initech'];

function product(i: number) {
  const tenant = TENANTS[i % 3];
  const inputs =
    i >= 3 ? [{ name: 'upstream', product: `p-${i - 3}`, port: 'main' }] : [];
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name: `p-${i}`,
      namespace: tenant,
      title: `Product ${i}`,
      description: `Benchmark product ${i}`,
      tags: ['bench'],
    },
    spec: {
      type: inputs.length ? 'aggregate' : 'source-aligned',
      lifecycle: 'production',
      owner: `${tenant}-team`,
      domain: 'sales',
      inputPorts: inputs,
      outputPorts: [
        {
          name: 'main',
          kind: 'table',
          location: {
            table: {
              catalog: `iceberg_${tenant}`,
              database: 'bench',
              table: `p_${i}`,
            },
          },
          schema: [
            {
              name: `key_${i}`,
              type: 'string',
              required: true,
              primaryKey: true,
              description: 'Key',
            },
            {
              name: 'customer_email',
              type: 'string',
              classification: 'pii',
              description: 'Email',
            },
            { name: 'amount', type: 'decimal', physicalType: 'DECIMAL(12,2)' },
            { name: 'created_at', type: 'timestamp', required: true },
          ],
        },
      ],
      quality: [
        {
          name: 'key-complete',
          type: 'completeness',
          column: `key_${i}`,
          metric: 'null_ratio',
          operator: '<=',
          threshold: 0,
          severity: 'error',
        },
      ],
    },
  };
}

function component(i: number) {
  const tenant = TENANTS[i % 3];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `c-${i}`,
      namespace: tenant,
      title: `Component ${i}`,
      description: `Benchmark component ${i}`,
      tags: ['bench'],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/${tenant}-team`,
      system: 'sales',
      dependsOn: i >= 3 ? [`component:${tenant}/c-${i - 3}`] : [],
    },
  };
}

/** The baseline: the same read-a-folder, one-full-mutation provider path, no validation. */
function plainFolderProvider(dir: string) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-plain',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'bench-plain',
            connect: async connection => {
              const files = fs.readdirSync(dir).sort();
              const entities = files.map(f => {
                const file = path.join(dir, f);
                const entity = parse(fs.readFileSync(file, 'utf8')) as Entity;
                // The catalog requires these on provided entities (the Akili provider sets them too).
                entity.metadata.annotations = {
                  'backstage.io/managed-by-location': `file:${file}`,
                  'backstage.io/managed-by-origin-location': `file:${file}`,
                };
                return { entity, locationKey: 'bench-plain' };
              });
              await connection.applyMutation({ type: 'full', entities });
            },
          });
        },
      });
    },
  });
}

async function freshDatabase(name: string) {
  const admin = knexFactory({ client: 'pg', connection: PG });
  await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const url = new URL(PG);
  url.pathname = `/${name}`;
  return knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 0, max: 10 },
  });
}

/**
 * What the catalog stored per entity: the stitched entity's size and the rows written with it
 * (search rows are one per leaf field; they make most of the difference between the two sides).
 */
async function payloadOf(knex: ReturnType<typeof knexFactory>) {
  const one = async (sql: string) =>
    Number(Object.values((await knex.raw(sql)).rows[0])[0]);
  const entities = await one('SELECT count(*) FROM final_entities');
  return {
    bytes: await one('SELECT avg(length(final_entity)) FROM final_entities'),
    searchRows: (await one('SELECT count(*) FROM search')) / entities,
    relations: (await one('SELECT count(*) FROM relations')) / entities,
    refreshKeys: (await one('SELECT count(*) FROM refresh_keys')) / entities,
  };
}

async function run(
  label: string,
  kind: string,
  feature: any,
  catalogConfig: object,
  dbName: string,
) {
  const knex = await freshDatabase(dbName);
  const started = Date.now();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      feature,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          catalog: { processingInterval: { seconds: 3600 }, ...catalogConfig },
        },
      }),
    ],
  });
  const auth = mockCredentials.user.header();
  let count = 0;
  while (count < N) {
    await new Promise(r => setTimeout(r, 500));
    const res = await request(backend.server)
      .get(`/api/catalog/entities/by-query?filter=kind=${kind}&limit=1`)
      .set('Authorization', auth);
    count = res.body?.totalItems ?? 0;
    if (process.env.BENCH_DEBUG)
      console.log(
        label,
        res.status,
        count,
        JSON.stringify(res.body).slice(0, 200),
      );
    if (Date.now() - started > 30 * 60_000)
      throw new Error(
        `${label}: only ${count} of ${N} stitched after 30 minutes`,
      );
  }
  const seconds = (Date.now() - started) / 1000;
  const payload = await payloadOf(knex);
  console.log(
    `${label}: ${N} ${kind} entities stitched in ${seconds.toFixed(1)} s (${(
      N / seconds
    ).toFixed(0)}/s); per entity ${payload.bytes.toFixed(
      0,
    )} bytes stitched, ${payload.searchRows.toFixed(
      1,
    )} search rows, ${payload.relations.toFixed(
      1,
    )} relations, ${payload.refreshKeys.toFixed(1)} refresh keys`,
  );
  return {
    seconds,
    payload,
    server: backend.server,
    stop: () => backend.stop(),
    knex,
    auth,
  };
}

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-bench-ingest-'));
  const productsDir = path.join(root, 'products');
  const componentsDir = path.join(root, 'components');
  fs.mkdirSync(componentsDir, { recursive: true });
  for (let i = 0; i < N; i++) {
    // A folder per tenant: the provider binds each manifest to the tenant of its folder.
    const dir = path.join(productsDir, TENANTS[i % 3], `p-${i}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'dataproduct.yaml'), stringify(product(i)));
    fs.writeFileSync(
      path.join(componentsDir, `c-${i}.yaml`),
      stringify(component(i)),
    );
  }
  console.log(`generated ${N} manifests and ${N} components in ${root}`);

  const baseline = await run(
    'plain components',
    'component',
    plainFolderProvider(componentsDir),
    {},
    'akili_bench_plain',
  );
  await baseline.stop();
  await baseline.knex.destroy();

  const akili = await run(
    'akili data products',
    'dataproduct',
    catalogModuleAkili,
    {
      providers: {
        akiliDataProducts: {
          bench: {
            folder: productsDir,
            schedule: { frequency: { hours: 1 }, timeout: { minutes: 30 } },
          },
        },
      },
    },
    'akili_bench_akili',
  );

  // Searchable: a column of a product deep in the lineage finds exactly that product.
  const probe = N - 1;
  const found = await request(akili.server)
    .get(
      `/api/catalog/entities/by-query?filter=kind=dataproduct&fullTextFilterTerm=key_${probe}&fullTextFilterFields=spec.outputPorts.schema.name`,
    )
    .set('Authorization', akili.auth);
  const names = (found.body.items ?? []).map((e: Entity) => e.metadata.name);
  const withLineage = await request(akili.server)
    .get(
      `/api/catalog/entities/by-name/dataproduct/${
        TENANTS[probe % 3]
      }/p-${probe}`,
    )
    .set('Authorization', akili.auth);
  const dependsOn = (withLineage.body.relations ?? []).filter(
    (r: any) => r.type === 'dependsOn',
  ).length;
  console.log(
    `search by column key_${probe}: ${JSON.stringify(
      names,
    )}; p-${probe} dependsOn relations: ${dependsOn}`,
  );
  await akili.stop();
  await akili.knex.destroy();
  fs.rmSync(root, { recursive: true, force: true });

  const ratio = akili.seconds / baseline.seconds;
  console.log(
    `catalog-ingest: ${N} entities, akili ${akili.seconds.toFixed(
      1,
    )} s vs plain ${baseline.seconds.toFixed(1)} s, ratio ${ratio.toFixed(
      2,
    )} (goal <= 1.1) for ${(
      akili.payload.searchRows / baseline.payload.searchRows
    ).toFixed(2)}x the search rows and ${(
      akili.payload.bytes / baseline.payload.bytes
    ).toFixed(2)}x the bytes per entity${
      names.length === 1 ? '' : ', SEARCH CHECK FAILED'
    }`,
  );
  process.exit(names.length === 1 ? 0 : 1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
