import { isCodeLocationOfTenant } from '../codeLocations';
import { parseManifest, validateManifestObject } from './parse';
import {
  manifestFromTemplateInput,
  ProductTemplateValues,
  templateManifestYaml,
} from './template';

const values: ProductTemplateValues = {
  tenant: 'acme-eu',
  name: 'order-stats',
  title: 'Order statistics',
  domain: 'domain:default/sales',
  owner: 'sales-analytics',
  description: 'Orders per day.\nWith "quotes": and #hash',
  outputPorts: [
    {
      name: 'daily_orders',
      description: 'Confirmed orders only',
      columns: [
        { name: 'order_date', type: 'date', classification: 'internal' },
        {
          name: 'email',
          type: 'string',
          classification: 'pii',
          description: 'Who ordered',
        },
      ],
    },
    { name: 'top-customers', columns: [{ name: 'id', type: 'string' }] },
  ],
};

describe('manifestFromTemplateInput', () => {
  it('makes a valid SQL product manifest of the form values', () => {
    const manifest = manifestFromTemplateInput('sql', values);
    expect(validateManifestObject(manifest)).toEqual([]);
    expect(manifest.metadata).toEqual({
      name: 'order-stats',
      namespace: 'acme-eu',
      title: 'Order statistics',
      description: values.description,
      // The skeleton's docs (mkdocs.yml, docs/), next to the manifest.
      annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
    });
    expect(manifest.spec).toMatchObject({
      type: 'aggregate',
      lifecycle: 'experimental',
      owner: 'sales-analytics',
      domain: 'sales',
      version: '0.1.0',
      transformation: { language: 'sql', entrypoint: 'models' },
      schedule: { cron: '0 3 * * *', timezone: 'UTC' },
    });
    expect(manifest.spec.outputPorts).toEqual([
      {
        name: 'daily_orders',
        description: 'Confirmed orders only',
        kind: 'table',
        location: {
          table: {
            catalog: 'iceberg_acme_eu',
            database: 'order_stats',
            table: 'daily_orders',
          },
        },
        schema: [
          { name: 'order_date', type: 'date', classification: 'internal' },
          {
            name: 'email',
            type: 'string',
            classification: 'pii',
            description: 'Who ordered',
          },
        ],
      },
      {
        name: 'top-customers',
        kind: 'table',
        location: {
          table: {
            catalog: 'iceberg_acme_eu',
            database: 'order_stats',
            table: 'top_customers',
          },
        },
        schema: [{ name: 'id', type: 'string' }],
      },
    ]);
  });

  it('gives Python products a Dagster code location of their own tenant', () => {
    const manifest = manifestFromTemplateInput('python', {
      ...values,
      productType: 'consumer-aligned',
    });
    expect(validateManifestObject(manifest)).toEqual([]);
    expect(manifest.spec.type).toBe('consumer-aligned');
    expect(manifest.spec.transformation).toEqual({
      language: 'python',
      entrypoint: 'defs.py',
      dagster: {
        codeLocation: 'acme-eu_order_stats',
        job: 'order_stats_job',
        assetKeys: [
          ['order_stats', 'daily_orders'],
          ['order_stats', 'top_customers'],
        ],
      },
    });
    // A dashed tenant's location is still its own (not tenant "acme"'s, not nobody's).
    const location = manifest.spec.transformation!.dagster!.codeLocation;
    expect(isCodeLocationOfTenant(location, 'acme-eu')).toBe(true);
    expect(isCodeLocationOfTenant(location, 'acme')).toBe(false);
  });

  it('makes the source the input port of an ingestion product', () => {
    const manifest = manifestFromTemplateInput('ingestion', {
      ...values,
      productType: 'aggregate',
      sourceSystem: 'postgres',
      sourceLocation: 'shop.public.orders',
    });
    expect(validateManifestObject(manifest)).toEqual([]);
    expect(manifest.spec.type).toBe('source-aligned');
    expect(manifest.spec.inputPorts).toEqual([
      {
        name: 'postgres',
        description: 'Read from postgres at shop.public.orders',
        external: { system: 'postgres', location: 'shop.public.orders' },
      },
    ]);
    expect(manifest.spec.transformation?.entrypoint).toBe('ingest.py');
    expect(manifest.spec.schedule?.cron).toBe('0 * * * *');
  });

  it('leaves out what the form has not filled in, so the validator names it', () => {
    const manifest = manifestFromTemplateInput('sql', {
      tenant: 'acme',
      name: 'orders',
      description: '   ',
      outputPorts: [{ name: 'daily', columns: [{ name: 'day' }] }],
    });
    expect(manifest.metadata).toEqual({
      name: 'orders',
      namespace: 'acme',
      title: 'orders',
      annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
    });
    expect(
      validateManifestObject(manifest).map(p => `${p.path}: ${p.message}`),
    ).toEqual([
      "$.spec.owner: missing required field 'owner'",
      "$.spec.domain: missing required field 'domain'",
      "$.spec.outputPorts[0].schema[0].type: missing required field 'type'",
    ]);
  });

  it('renders nothing but empty parts for an empty form', () => {
    expect(() => manifestFromTemplateInput('python', {})).not.toThrow();
    expect(() =>
      manifestFromTemplateInput('ingestion', {
        outputPorts: [undefined as any, { columns: [undefined as any] }],
      }),
    ).not.toThrow();
  });
});

describe('templateManifestYaml', () => {
  it('is the manifest as YAML that parses back to it, under a comment', () => {
    const yaml = templateManifestYaml('sql', values);
    expect(yaml).toMatch(/^# The data product manifest: /);
    const result = parseManifest(yaml);
    expect(result.errors).toEqual([]);
    expect(result.manifests).toEqual([
      manifestFromTemplateInput('sql', values),
    ]);
    // Asset keys read as paths.
    expect(templateManifestYaml('python', values)).toContain(
      '      assetKeys:\n        - [order_stats, daily_orders]\n        - [order_stats, top_customers]\n',
    );
    expect(
      parseManifest(templateManifestYaml('python', values)).manifests,
    ).toEqual([manifestFromTemplateInput('python', values)]);
    // Text that YAML would read as something else is quoted.
    expect(
      parseManifest(
        templateManifestYaml('sql', { ...values, title: 'yes', owner: '012' }),
      ).manifests[0],
    ).toMatchObject({ metadata: { title: 'yes' }, spec: { owner: '012' } });
  });
});
