// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the real control plane, in tests only
import akiliPlugin from '@akili/plugin-akili-backend';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { mockCredentials } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import request from 'supertest';
import {
  runTask,
  TEST_TENANTS_CONFIG,
  testManifest as manifest,
} from '../__testUtils__/akiliTasks';
import { startScaffolder } from '../__testUtils__/startScaffolder';

jest.setTimeout(90_000);

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'register',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location':
        'url:https://example.test/register.yaml',
    },
  },
  spec: {
    type: 'service',
    parameters: [{ properties: { tenant: { type: 'string' }, manifest: {} } }],
    steps: [
      {
        id: 'register',
        action: 'akili:product:register',
        input: {
          manifest: '${{ parameters.manifest }}',
          dryRun: '${{ parameters.dryRun }}',
          expectNew: '${{ parameters.expectNew }}',
          projectUrl: '${{ parameters.projectUrl }}',
        },
      },
    ],
    output: {
      entityRef: '${{ steps.register.output.entityRef }}',
      revision: '${{ steps.register.output.revision }}',
      version: '${{ steps.register.output.version }}',
      status: '${{ steps.register.output.status }}',
      stored: '${{ steps.register.output.stored }}',
      breaking: '${{ steps.register.output.breaking }}',
      diffSummary: '${{ steps.register.output.diffSummary }}',
    },
  },
};

/** A product the catalog has from GitLab (the discovery), which the registry does not. */
const discovered = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: {
    name: 'discovered',
    namespace: 'acme',
    annotations: {
      'backstage.io/managed-by-location':
        'url:https://gitlab.example.test/data-products/acme/discovered/-/blob/main/dataproduct.yaml',
    },
  },
  spec: {},
};

const PREFIX = 'akili_register_';

/** Drops the databases of runs of this test that started over an hour ago. */
async function dropStaleDatabases(connection: string) {
  const admin = knexFactory({
    client: 'pg',
    connection: `${connection}/postgres`,
  });
  const hourAgo = Math.floor(Date.now() / 1000) - 3600;
  try {
    const names: string[] = await admin('pg_database')
      .where('datname', 'like', `${PREFIX}%`)
      .pluck('datname');
    for (const name of names) {
      const started = Number(name.slice(PREFIX.length).split('_')[0]);
      if (Number.isFinite(started) && started < hourAgo) {
        await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      }
    }
  } finally {
    await admin.destroy();
  }
}

describe('akili:product:register (real scaffolder and control plane, Akili policy)', () => {
  // Every plugin (scaffolder, permission, akili) in a PostgreSQL database of its own.
  const connection =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  const prefix = `${PREFIX}${Math.floor(Date.now() / 1000)}_${process.pid}_`;
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    if (!connection) {
      throw new Error(
        'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set: eval "$(scripts/test-services/up.sh)"',
      );
    }
    await dropStaleDatabases(connection);
    scaffolder = await startScaffolder({
      templates: [template, discovered],
      features: [akiliPlugin, databaseServiceFactory],
      config: {
        backend: {
          database: {
            client: 'pg',
            connection,
            prefix,
            knexConfig: { pool: { min: 0, max: 3, idleTimeoutMillis: 1000 } },
          },
        },
      },
      akiliConfig: TEST_TENANTS_CONFIG,
    });
  });

  afterAll(async () => {
    // The databases stay until the process ends (pools and timers outlive a stopped backend);
    // a later run drops those over an hour old, as the sweep does.
    await scaffolder?.backend.stop();
    await scaffolder?.gitlab.stop();
  });

  /** A real task of `user` in tenant acme; its status, output and log. */
  const run = (user: string, values: Record<string, unknown>) =>
    runTask(scaffolder, user, 'template:default/register', values);

  const registryEntry = (tenant: string, name: string, user: string) =>
    request(scaffolder.server)
      .get(`/api/akili/v1/tenants/${tenant}/products/${name}`)
      .set('Authorization', mockCredentials.user.header(user));

  it('a dry run of the template asks the registry and stores nothing', async () => {
    const res = await scaffolder.as('user:default/ann').post('/v2/dry-run', {
      template,
      values: { tenant: 'acme', manifest: manifest('acme', { name: 'dry' }) },
      directoryContents: [],
    });
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    expect(res.body.output).toMatchObject({
      entityRef: 'dataproduct:acme/dry',
      revision: 1,
      version: '1.0.0',
      status: 'registered',
      stored: false,
      diffSummary: 'new product',
    });
    expect(
      (await registryEntry('acme', 'dry', 'user:default/ann')).status,
    ).toBe(404);
  });

  it('dryRun: true in a real task checks, stores nothing; then registers as the task’s user', async () => {
    const check = await run('user:default/ann', {
      manifest: manifest('acme'),
      dryRun: true,
      expectNew: true,
    });
    expect(check.status).toBe('completed');
    expect(check.output).toMatchObject({ stored: false, revision: 1 });
    expect(
      (await registryEntry('acme', 'orders', 'user:default/ann')).status,
    ).toBe(404);

    const register = await run('user:default/ann', {
      manifest: manifest('acme'),
      expectNew: true,
    });
    expect(register.status).toBe('completed');
    expect(register.output).toMatchObject({
      entityRef: 'dataproduct:acme/orders',
      revision: 1,
      stored: true,
      breaking: false,
      diffSummary: 'new product',
    });
    expect(register.log).toContain(
      'Registered dataproduct:acme/orders revision 1: new product',
    );
    const entry = await registryEntry('acme', 'orders', 'user:default/ann');
    expect(entry.status).toBe(200);
    // The user's identity reached the control plane, not the scaffolder's.
    expect(entry.body.createdBy).toBe('user:default/ann');
    expect(entry.body.versions[0].submittedBy).toBe('user:default/ann');

    // A new-product template refuses a name already registered.
    const again = await run('user:default/ann', {
      manifest: manifest('acme'),
      dryRun: true,
      expectNew: true,
    });
    expect(again.status).toBe('failed');
    expect(again.log).toContain(
      'dataproduct:acme/orders is already registered (revision 1): choose another name',
    );
    // A real registration expecting a new product stores nothing on someone else's product,
    // even a change the registry would accept.
    const real = await run('user:default/ann', {
      manifest: manifest('acme', { columns: ['order_id', 'amount', 'note'] }),
      expectNew: true,
    });
    expect(real.status).toBe('failed');
    expect(real.log).toContain(
      'The registry refused dataproduct:acme/orders: dataproduct:acme/orders is already registered (revision 1): choose another name. Nothing was registered.',
    );
    expect(
      (await registryEntry('acme', 'orders', 'user:default/ann')).body.revision,
    ).toBe(1);
  });

  it('refuses a new product whose name the catalog has from another source, storing nothing', async () => {
    const expected =
      "dataproduct:acme/discovered is in the catalog already (from url:https://gitlab.example.test/data-products/acme/discovered/-/blob/main/dataproduct.yaml), though not in the registry: choose another name, or submit that product's own manifest from its project (akili submit) instead of creating it again.";
    for (const dryRun of [true, false]) {
      const res = await run('user:default/ann', {
        manifest: manifest('acme', { name: 'discovered' }),
        dryRun,
        expectNew: true,
      });
      expect(res.status).toBe('failed');
      expect(res.log).toContain(expected);
    }
    expect(
      (await registryEntry('acme', 'discovered', 'user:default/ann')).status,
    ).toBe(404);
    // Without expectNew (an edit flow), the catalog does not decide.
    const edit = await run('user:default/ann', {
      manifest: manifest('acme', { name: 'discovered' }),
      dryRun: true,
    });
    expect(edit.status).toBe('completed');
  });

  it('a breaking change fails the step with the registry’s reason and what to do', async () => {
    const res = await run('user:default/ann', {
      manifest: manifest('acme', { columns: ['order_id'] }),
      projectUrl: 'https://gitlab.example.test/data-products/acme/orders',
    });
    expect(res.status).toBe('failed');
    expect(res.log).toContain(
      'The registry refused dataproduct:acme/orders: dataproduct:acme/orders has 1 breaking change',
    );
    expect(res.log).toContain('acknowledgeBreaking=true');
    expect(res.log).toContain(
      'The GitLab project https://gitlab.example.test/data-products/acme/orders was created, but the product is not registered',
    );
    const entry = await registryEntry('acme', 'orders', 'user:default/ann');
    expect(entry.body.revision).toBe(1);

    // The same with acknowledgement is still refused without a major version; a dry run says so.
    const dry = await run('user:default/ann', {
      manifest: manifest('acme', { columns: ['order_id'] }),
      dryRun: true,
    });
    expect(dry.status).toBe('failed');
    expect(dry.log).toContain(
      'The registry would refuse dataproduct:acme/orders',
    );
    expect(dry.log).toContain('Nothing was published or registered.');
  });

  it('refuses a manifest of another tenant than the task’s, before the registry is asked', async () => {
    const res = await run('user:default/dora', {
      manifest: manifest('globex', { name: 'parcels' }),
    });
    expect(res.status).toBe('failed');
    expect(res.log).toContain(
      "The namespace of the manifest 'globex' is not this task's tenant 'acme'",
    );
    expect(
      (await registryEntry('globex', 'parcels', 'user:default/dora')).status,
    ).toBe(404);
  });

  it('refuses, in a dry run, a tenant the user does not develop', async () => {
    const res = await scaffolder.as('user:default/ann').post('/v2/dry-run', {
      template,
      values: { tenant: 'acme', manifest: manifest('globex') },
      directoryContents: [],
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      "The namespace of the manifest 'globex' is not a tenant where you are a developer or operator",
    );
  });

  it('fails on an invalid manifest naming path and line, sending nothing', async () => {
    const res = await run('user:default/ann', {
      manifest: manifest('acme', { name: 'Bad_Name' }),
    });
    expect(res.status).toBe('failed');
    expect(res.log).toMatch(
      /the manifest is not a valid data product manifest: \$\.metadata\.name \(line 4, column 9\)/,
    );
  });
});
