import fs from 'node:fs';
import path from 'node:path';
import {
  dataProductManifestSchema,
  parseManifest,
  ProductTemplateKind,
  templateManifestYaml,
} from '@akili/plugin-akili-common';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the real control plane, in tests only
import akiliPlugin from '@akili/plugin-akili-backend';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { startScaffolder } from './__testUtils__/startScaffolder';

jest.setTimeout(60_000);

/** The templates of the repository (`templates/` at its root). */
const TEMPLATES = path.resolve(__dirname, '../../../templates');

/** A template's own files, as the scaffolder's dry run takes them (paths below the template). */
function directoryContents(dir: string, base = dir) {
  const files: { path: string; base64Content: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...directoryContents(full, base));
    } else {
      files.push({
        path: path.relative(base, full),
        base64Content: fs.readFileSync(full).toString('base64'),
      });
    }
  }
  return files;
}

function readTemplate(name: string) {
  const dir = path.join(TEMPLATES, name);
  return {
    template: parseYaml(
      fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
    ),
    directoryContents: directoryContents(dir).filter(
      f => f.path !== 'template.yaml',
    ),
  };
}

const outputPorts = [
  {
    name: 'daily_orders',
    description: 'Orders per day: "confirmed" only',
    columns: [
      {
        name: 'order_date',
        type: 'date',
        classification: 'public',
        description: 'The day',
      },
      { name: 'orders', type: 'integer' },
      { name: 'revenue', type: 'decimal' },
    ],
  },
  {
    name: 'top-customers',
    columns: [{ name: 'customer_id', type: 'string' }],
  },
];

const baseValues = {
  tenant: 'acme',
  name: 'order-stats',
  title: 'Order statistics',
  domain: 'domain:default/sales',
  owner: 'sales-analytics',
  description:
    'Orders and revenue per day.\nSecond line: with "quotes" and #hash',
  outputPorts,
};

/** Values of each template beyond the common ones. */
const TEMPLATE_VALUES: Record<string, object> = {
  'sql-product': {},
  'python-product': {},
  'ingestion-product': {
    sourceSystem: 'postgres',
    sourceLocation: 'shop.public.orders',
  },
};

type DryRunFile = { path: string; base64Content: string };

function fileOf(files: DryRunFile[], name: string): string {
  const file = files.find(f => f.path === name);
  if (!file) {
    throw new Error(
      `no ${name} in ${files.map(f => f.path).join(', ') || 'nothing'}`,
    );
  }
  return Buffer.from(file.base64Content, 'base64').toString('utf8');
}

describe('the data product templates (scaffolder dry runs with this module)', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    // With the control plane (on the test backend's SQLite), which the registration steps ask.
    scaffolder = await startScaffolder({
      features: [akiliPlugin],
      akiliConfig: {
        tenants: {
          seed: [
            { name: 'acme', title: 'ACME' },
            { name: 'globex', title: 'Globex' },
          ],
        },
      },
    });
  });

  afterAll(async () => {
    await scaffolder.gitlab.stop();
  });

  const dryRun = (name: string, values: object, user = 'user:default/ann') =>
    scaffolder.as(user).post('/v2/dry-run', {
      ...readTemplate(name),
      values: { ...baseValues, ...TEMPLATE_VALUES[name], ...values },
    });

  it.each(Object.keys(TEMPLATE_VALUES))(
    '%s: writes a manifest the validator accepts, of the task’s tenant, and publishes into its group',
    async name => {
      scaffolder.gitlab.requests.length = 0;
      const res = await dryRun(name, {});
      expect({
        status: res.status,
        error: res.body.error ?? res.body.errors,
      }).toEqual({ status: 200, error: undefined });
      const files: DryRunFile[] = res.body.directoryContents;

      // Exactly the manifest the form's preview (AkiliManifestPreview) showed for these values.
      const kind = name.replace(/-product$/, '') as ProductTemplateKind;
      expect(fileOf(files, 'dataproduct.yaml')).toBe(
        templateManifestYaml(kind, {
          ...baseValues,
          ...TEMPLATE_VALUES[name],
        }),
      );
      const result = parseManifest(fileOf(files, 'dataproduct.yaml'));
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
      const [manifest] = result.manifests;
      expect(manifest.metadata).toMatchObject({
        name: 'order-stats',
        namespace: 'acme',
        title: 'Order statistics',
        description: baseValues.description,
      });
      expect(manifest.spec).toMatchObject({
        domain: 'sales',
        owner: 'sales-analytics',
      });
      expect(
        manifest.spec.outputPorts.map(port => ({
          name: port.name,
          columns: port.schema.map(c => [c.name, c.type, c.classification]),
        })),
      ).toEqual([
        {
          name: 'daily_orders',
          columns: [
            ['order_date', 'date', 'public'],
            ['orders', 'integer', undefined],
            ['revenue', 'decimal', undefined],
          ],
        },
        {
          name: 'top-customers',
          columns: [['customer_id', 'string', undefined]],
        },
      ]);

      for (const file of [
        'README.md',
        '.gitlab-ci.yml',
        'mkdocs.yml',
        'docs/index.md',
      ]) {
        expect(fileOf(files, file)).not.toContain('${{');
      }

      // The product's docs: TechDocs builds them from the manifest's folder (the catalog guard
      // allows a tenant's entity no other place), with the ports, their tables and columns.
      expect(manifest.metadata.annotations).toEqual({
        'backstage.io/techdocs-ref': 'dir:.',
      });
      expect(parseYaml(fileOf(files, 'mkdocs.yml'))).toMatchObject({
        docs_dir: 'docs',
        theme: { name: 'material' },
        nav: [{ Overview: 'index.md' }],
      });
      const docs = fileOf(files, 'docs/index.md');
      expect(docs).toMatch(
        /^# Order statistics\n\nOrders and revenue per day\./,
      );
      expect(docs).toContain(
        'A data product of tenant `acme` in domain `sales`, owned by\nteam `sales-analytics`.',
      );
      expect(docs).toContain(
        [
          '### `daily_orders`',
          '',
          'Orders per day: "confirmed" only',
          '',
          'Table `iceberg_acme.order_stats.daily_orders`:',
          '',
          '| column | type | classification | description |',
          '|---|---|---|---|',
          '| `order_date` | date | public | The day |',
          '| `orders` | integer |  |  |',
          '| `revenue` | decimal |  |  |',
          '',
          '### `top-customers`',
          '',
          'Table `iceberg_acme.order_stats.top_customers`:',
          '',
          '| column | type | classification | description |',
          '|---|---|---|---|',
          '| `customer_id` | string |  |  |',
          '',
          '## Query it',
        ].join('\n'),
      );
      expect(docs).toContain(
        'SELECT * FROM iceberg_acme.order_stats.daily_orders LIMIT 10',
      );
      const ci = parseYaml(fileOf(files, '.gitlab-ci.yml'));
      expect(ci['validate-manifest'].script).toEqual([
        'akili validate dataproduct.yaml',
      ]);
      // The default branch registers the version, then deploys it and records this pipeline as
      // the deployment; the pipeline the portal starts (AKILI_PRODUCT) deploys, recorded already.
      const defaultBranch =
        '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $AKILI_PRODUCT == null';
      expect(ci.stages).toEqual(['validate', 'test', 'register', 'deploy']);
      expect(ci.register).toMatchObject({
        stage: 'register',
        rules: [{ if: defaultBranch }],
        script: ['akili submit dataproduct.yaml --tenant acme'],
      });
      expect(ci.deploy.stage).toBe('deploy');
      expect(ci.deploy.rules).toEqual([
        { if: defaultBranch, variables: { AKILI_RECORD_PIPELINE: 'true' } },
        { if: '$AKILI_PRODUCT' },
      ]);
      const [recordStep, ...deploySteps] = ci.deploy.script as string[];
      expect(recordStep).toBe(
        [
          'if [ "$AKILI_RECORD_PIPELINE" = "true" ]; then',
          '  akili deploy order-stats --tenant acme --pipeline "$CI_PIPELINE_ID" --no-wait',
          'fi',
          '',
        ].join('\n'),
      );
      expect(deploySteps).toEqual([
        'echo "Deploying ${AKILI_PRODUCT:-dataproduct:acme/order-stats} ${AKILI_VERSION:-(registered from $CI_COMMIT_SHORT_SHA)}"',
      ]);

      // The steps: the manifest validated, the project published into the tenant's group (a
      // dry run does not call GitLab).
      expect(res.body.log.map((l: any) => l.body.message).join('\n')).toMatch(
        /dataproduct\.yaml is a valid akili manifest/,
      );
      expect(res.body.steps.map((s: any) => `${s.id} ${s.action}`)).toEqual(
        expect.arrayContaining([
          'manifest akili:manifest:create',
          'validate akili:manifest:validate',
          'check akili:product:register',
          'publish publish:gitlab',
          'register akili:product:register',
        ]),
      );
      const ids = res.body.steps.map((s: any) => s.id);
      expect(ids.indexOf('check')).toBeLessThan(ids.indexOf('publish'));
      expect(ids.indexOf('publish')).toBeLessThan(ids.indexOf('register'));
      // Both registration steps asked the registry, which stored nothing in a dry run.
      expect(
        res.body.log
          .map((l: any) => l.body.message)
          .filter((m: string) =>
            m.includes(
              'The registry would register dataproduct:acme/order-stats revision 1: new product (dry run, nothing stored)',
            ),
          ),
      ).toHaveLength(2);
      expect(JSON.stringify(res.body.log)).toContain(
        'owner=data-products/acme&repo=order-stats',
      );
      expect(scaffolder.gitlab.requests).toEqual([]);
    },
  );

  it.each(Object.keys(TEMPLATE_VALUES))(
    '%s: the form offers the column types and classifications of the manifest schema',
    name => {
      const { template } = readTemplate(name);
      const portsStep = template.spec.parameters.find(
        (step: any) => step.properties.outputPorts,
      );
      const columnForm =
        portsStep.properties.outputPorts.items.properties.columns.items
          .properties;
      const columnSchema = (dataProductManifestSchema.definitions as any)
        .DataProductColumn.properties;
      expect(columnForm.type.enum).toEqual(columnSchema.type.enum);
      expect(columnForm.classification.enum).toEqual(
        columnSchema.classification.enum,
      );
      // The last step before the review shows the manifest the run will write.
      const steps = template.spec.parameters;
      expect(steps[steps.length - 1].properties.manifest).toMatchObject({
        'ui:field': 'AkiliManifestPreview',
        'ui:options': { template: name.replace(/-product$/, '') },
      });
    },
  );

  it('sql-product: one model per output port selecting its columns', async () => {
    const res = await dryRun('sql-product', {});
    const files: DryRunFile[] = res.body.directoryContents;
    const model = fileOf(files, 'models/daily_orders.sql');
    expect(model).toContain('CAST(NULL AS DATE) AS order_date,');
    expect(model).toContain('CAST(NULL AS DECIMAL(18, 2)) AS revenue\n');
    expect(fileOf(files, 'models/top-customers.sql')).toContain(
      'AS customer_id',
    );
  });

  it.each([
    ['python-product', 'defs.py'],
    ['ingestion-product', 'ingest.py'],
  ])(
    '%s: Dagster definitions whose job tags runs with the tenant and the product',
    async (name, entrypoint) => {
      const res = await dryRun(name, {});
      const defs = fileOf(res.body.directoryContents, entrypoint);
      expect(defs).toContain('TENANT = "acme"\nPRODUCT = "order-stats"\n');
      expect(defs).toContain(
        'AKILI_TAGS = {"akili/tenant": TENANT, "akili/product": PRODUCT}',
      );
      expect(defs).toMatch(
        /define_asset_job\(\n\s+name="order_stats_job",\n.*\n\s+tags=AKILI_TAGS,/,
      );
      expect(defs).toContain('def port_top_customers(');
      const manifest = parseManifest(
        fileOf(res.body.directoryContents, 'dataproduct.yaml'),
      ).manifests[0];
      expect(manifest.spec.transformation).toEqual({
        language: 'python',
        entrypoint,
        dagster: {
          codeLocation: 'acme_order_stats',
          job: 'order_stats_job',
          assetKeys: [
            ['order_stats', 'daily_orders'],
            ['order_stats', 'top_customers'],
          ],
        },
      });
    },
  );

  it('ingestion-product: the source is the input port of a source-aligned product', async () => {
    const res = await dryRun('ingestion-product', {});
    const manifest = parseManifest(
      fileOf(res.body.directoryContents, 'dataproduct.yaml'),
    ).manifests[0];
    expect(manifest.spec.type).toBe('source-aligned');
    expect(manifest.spec.inputPorts).toEqual([
      {
        name: 'postgres',
        description: 'Read from postgres at shop.public.orders',
        external: { system: 'postgres', location: 'shop.public.orders' },
      },
    ]);
  });

  it('refuses an invalid name with a clear message before any step runs', async () => {
    const res = await dryRun('sql-product', { name: 'Order Stats' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        property: 'instance.name',
        message: expect.stringContaining('does not match pattern'),
      }),
    ]);
    // The form shows the template's own message (ajv-errors in the scaffolder's form).
    const { template } = readTemplate('sql-product');
    expect(
      template.spec.parameters[0].properties.name.errorMessage.pattern,
    ).toMatch(/^Lowercase letters, digits and dashes/);
  });

  it('stops before publishing when the name is already registered', async () => {
    const text = fileOf(
      (await dryRun('sql-product', { name: 'taken' })).body.directoryContents,
      'dataproduct.yaml',
    );
    const registered = await request(scaffolder.server)
      .post('/api/akili/v1/tenants/acme/products')
      .set('Authorization', mockCredentials.user.header('user:default/ann'))
      .set('Content-Type', 'application/yaml')
      .send(text);
    expect(registered.status).toBe(201);

    scaffolder.gitlab.requests.length = 0;
    const res = await dryRun('sql-product', { name: 'taken' });
    // The dry run fails at the check, with the registry's reason and what happened.
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      'The registry would refuse dataproduct:acme/taken: dataproduct:acme/taken is already registered (revision 1): choose another name. Nothing was published or registered.',
    );
    expect(scaffolder.gitlab.requests).toEqual([]);
  });

  it('refuses a tenant the user does not develop', async () => {
    const res = await dryRun('sql-product', { tenant: 'globex' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain("not in 'globex'");
  });
});
