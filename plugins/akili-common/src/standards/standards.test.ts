import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseManifest, validateManifestObject } from '../manifest/parse';
import { DataProductManifest } from '../manifest/types';
import { exportOdcs, importOdcs, mapOdcsClassification } from './odcs';
import { exportOdps, importOdps } from './odps';
import { OdcsContract } from './types';
import { validateOdcs, validateOdps } from './validators';

const fixtureText = (name: string) =>
  fs.readFileSync(path.join(__dirname, '__fixtures__', name), 'utf8');
const fixture = (name: string) => parse(fixtureText(name));

const ODCS_EXAMPLES = [
  'column-completeness.odcs.yaml',
  'database-table-sla.odcs.yaml',
  'table-column-description.odcs.yaml',
  'table-column.odcs.yaml',
];

const CONTRACTS = new Map<string, OdcsContract>([
  [
    '53581432-6c55-4ba2-a65f-72344a91553a',
    fixture('column-completeness.odcs.yaml'),
  ],
  ['53581432-6c55-4ba2-a65f-72344a91553b', fixture('table-column.odcs.yaml')],
]);

const orders = (): DataProductManifest =>
  parseManifest(
    fs.readFileSync(
      path.join(__dirname, '../manifest/__fixtures__/orders.dataproduct.yaml'),
      'utf8',
    ),
  ).manifests[0];

describe('official examples', () => {
  it.each(ODCS_EXAMPLES)('%s validates and parses as ODCS', name => {
    expect(validateOdcs(fixture(name))).toEqual([]);
    const result = parseManifest(fixtureText(name));
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ valid: true, kind: 'odcs', manifests: [] });
    expect(result.contract?.id).toMatch(/^53581432-/);
  });

  it('maps the ODCS examples onto output ports', () => {
    const completeness = importOdcs(fixture('column-completeness.odcs.yaml'));
    expect(completeness.errors).toEqual([]);
    expect(completeness.ports).toHaveLength(1);
    expect(completeness.ports[0]).toMatchObject({
      name: 'my_table',
      kind: 'table',
      description: 'Air quality of the city of New York',
      // No server and no data product: a table of the `default` database.
      location: { table: { database: 'default', table: 'Air_Quality' } },
      schema: [
        {
          name: 'UniqueID',
          type: 'number',
          physicalType: 'int',
          primaryKey: true,
        },
      ],
      contract: {
        id: '53581432-6c55-4ba2-a65f-72344a91553a',
        version: '1.0.0',
        status: 'active',
      },
    });
    expect(completeness.quality).toEqual([
      {
        name: 'uniqueid-null-count',
        description: 'This column should not contain null values',
        type: 'completeness',
        port: 'my_table',
        column: 'UniqueID',
        metric: 'null_count',
        operator: '=',
        threshold: 0,
        dimension: 'completeness',
        severity: 'error',
      },
    ]);

    const sla = importOdcs(fixture('database-table-sla.odcs.yaml'));
    expect(sla.errors).toEqual([]);
    expect(sla.slos).toEqual({ freshness: { maxDelay: 'P4D' } });
    expect(sla.ports[0].schema).toEqual([]);

    const description = importOdcs(
      fixture('table-column-description.odcs.yaml'),
    );
    expect(description.ports[0].schema).toEqual([
      expect.objectContaining({
        name: 'txn_ref_dt',
        type: 'date',
        examples: ['2022-10-03', '2025-01-28'],
      }),
    ]);
  });

  it('accepts the ODPS example, which lacks what Akili needs, with warnings', () => {
    const doc = fixture('simple-data-product.odps.yaml');
    expect(doc.apiVersion).toBe('v0.9.0');
    expect(validateOdps(doc)).toEqual([]);
    const result = parseManifest(fixtureText('simple-data-product.odps.yaml'));
    // Tenant, domain and owner get defaults with warnings; a contract that is not given is the
    // one error where the product's contracts are all known (see bitol.test.ts).
    expect(result.kind).toBe('odps');
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: '$.outputPorts[0].contractId',
        line: 25,
        column: 17,
      }),
    ]);
    expect(result.warnings?.map(w => w.path)).toEqual([
      '$.tenant',
      '$.domain',
      '$.team',
    ]);
  });
});

describe('importOdps', () => {
  it('maps an ODPS product and its ODCS contracts onto a valid manifest', () => {
    const { manifest, errors } = importOdps(fixture('orders.odps.yaml'), {
      contracts: CONTRACTS,
    });
    expect(errors).toEqual([]);
    expect(manifest).toBeDefined();
    expect(validateManifestObject(manifest)).toEqual([]);
    expect(manifest!.metadata).toMatchObject({
      name: 'air-quality',
      namespace: 'acme',
      title: 'Air Quality',
      annotations: {
        'akili.io/odps-id': '7d0c1f6e-5b8a-4a57-9a55-2f1b9b7a0c11',
      },
    });
    expect(manifest!.spec).toMatchObject({
      type: 'aggregate',
      lifecycle: 'production',
      owner: 'group:acme/air-team',
      domain: 'environment',
      inputPorts: [
        {
          name: 'source-data',
          external: {
            system: 'odcs',
            location: '12345678-1234-1234-1234-123456789abc',
          },
        },
      ],
      support: { channel: 'air-quality', email: 'air@acme.example' },
      team: [
        { user: 'jane', role: 'owner' },
        { user: 'omar', role: 'steward' },
      ],
    });
    const [air, receivers] = manifest!.spec.outputPorts;
    expect(air).toMatchObject({
      name: 'air-quality',
      kind: 'table',
      schema: [{ name: 'UniqueID', type: 'number' }],
      contract: { id: '53581432-6c55-4ba2-a65f-72344a91553a' },
    });
    expect(receivers.schema).toEqual([
      { name: 'rcvr_cntry_code', type: 'string', physicalType: 'varchar(2)' },
    ]);
    expect(manifest!.spec.quality).toEqual([
      expect.objectContaining({
        port: 'air-quality',
        column: 'UniqueID',
        metric: 'null_count',
      }),
    ]);
  });

  it('parses the same product from text with the contracts', () => {
    const result = parseManifest(fixtureText('orders.odps.yaml'), {
      contracts: CONTRACTS,
    });
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ valid: true, kind: 'odps' });
    expect(result.manifests[0].spec.outputPorts).toHaveLength(2);
  });

  it('reports a missing contract and a bad custom property with their place', () => {
    const text = fixtureText('orders.odps.yaml').replace(
      'value: aggregate',
      'value: sideways',
    );
    const result = parseManifest(text, {
      contracts: new Map([...CONTRACTS].slice(0, 1)),
    });
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: '$.customProperties[1].value',
        line: 19,
        column: 12,
      }),
      expect.objectContaining({
        path: '$.outputPorts[1].contractId',
        line: 33,
        column: 17,
        message: expect.stringMatching(/was not provided/),
      }),
    ]);
  });

  it('reports ODPS schema errors with their place', () => {
    const text = fixtureText('orders.odps.yaml').replace(
      '  - name: receivers\n',
      '  - nam: receivers\n',
    );
    const result = parseManifest(text, { contracts: CONTRACTS });
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: '$.outputPorts[1].nam',
          line: 30,
          column: 5,
          message: "unknown field 'nam'",
        }),
        expect.objectContaining({
          path: '$.outputPorts[1].name',
          line: 30,
          message: "missing required field 'name'",
        }),
      ]),
    );
  });

  it('reports ODCS schema errors with their place', () => {
    const text = fixtureText('column-completeness.odcs.yaml').replace(
      'logicalType: number',
      'logicalType: numbr',
    );
    const result = parseManifest(text);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: '$.schema[0].properties[0].logicalType',
        line: 20,
        column: 22,
        message: expect.stringMatching(/not 'numbr'$/),
      }),
    ]);
  });
});

describe('classification mapping', () => {
  it.each([
    ['public', 'public'],
    ['restricted', 'confidential'],
    ['Confidential', 'confidential'],
    ['PII', 'pii'],
    ['sensitive_pii', 'sensitive-pii'],
    ['3', 'internal'],
    [undefined, 'internal'],
  ])('%p -> %p', (value, expected) => {
    expect(mapOdcsClassification(value)).toBe(expected);
  });
});

describe('export', () => {
  it('exports ODPS and ODCS documents that pass the official schemas', () => {
    const manifest = orders();
    expect(validateOdps(exportOdps(manifest))).toEqual([]);
    for (const port of manifest.spec.outputPorts) {
      expect(validateOdcs(exportOdcs(manifest, port.name))).toEqual([]);
    }
  });

  it('round trips a product through ODPS + ODCS', () => {
    const manifest = orders();
    const odps = exportOdps(manifest);
    const contracts = new Map<string, OdcsContract>(
      manifest.spec.outputPorts.map(port => {
        const contract = exportOdcs(manifest, port.name);
        return [contract.id as string, contract];
      }),
    );
    // Through text, as files would travel.
    const result = parseManifest(JSON.stringify(odps, null, 2), { contracts });
    expect(result.errors).toEqual([]);
    const back = result.manifests[0];

    expect(back.metadata.name).toBe(manifest.metadata.name);
    expect(back.metadata.namespace).toBe(manifest.metadata.namespace);
    expect(back.metadata.title).toBe(manifest.metadata.title);
    const { spec } = manifest;
    expect(back.spec).toMatchObject({
      type: spec.type,
      lifecycle: spec.lifecycle,
      owner: spec.owner,
      domain: spec.domain,
      version: spec.version,
      inputPorts: spec.inputPorts,
      transformation: spec.transformation,
      schedule: spec.schedule,
      support: spec.support,
      team: spec.team,
    });
    expect(back.spec.outputPorts.map(p => p.name)).toEqual(
      spec.outputPorts.map(p => p.name),
    );
    for (const [i, port] of spec.outputPorts.entries()) {
      const other = back.spec.outputPorts[i];
      expect(other.kind).toBe(port.kind);
      expect(other.location).toEqual(port.location);
      expect(other.schema).toEqual(port.schema);
      expect(other.schema.map(c => c.classification)).toEqual(
        port.schema.map(c => c.classification),
      );
    }
    expect(back.spec.outputPorts[0].contract).toMatchObject(
      spec.outputPorts[0].contract!,
    );
    expect(back.spec.quality).toEqual(spec.quality);
    expect(back.spec.slos).toEqual(spec.slos);
  });

  it('round trips every kind of quality rule through ODCS', () => {
    const manifest = orders();
    manifest.spec.quality = [
      ...manifest.spec.quality!,
      {
        name: 'fresh',
        type: 'freshness',
        port: 'orders',
        metric: 'freshness_minutes',
        operator: '<',
        threshold: 120,
        severity: 'warning',
      },
      {
        name: 'invalid-amounts',
        type: 'validity',
        port: 'orders',
        column: 'amount',
        metric: 'invalid_ratio',
        operator: 'between',
        threshold: [0.07, 0.5],
        severity: 'info',
      },
      {
        name: 'exact-volume',
        type: 'volume',
        port: 'orders',
        metric: 'row_count',
        operator: 'between',
        threshold: [10, 10],
        severity: 'error',
      },
    ];
    expect(validateManifestObject(manifest)).toEqual([]);
    const contract = exportOdcs(manifest, 'orders');
    expect(validateOdcs(contract)).toEqual([]);
    const back = importOdcs(contract);
    expect(back.errors).toEqual([]);
    const sortByName = (rules: typeof manifest.spec.quality) =>
      [...(rules ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    expect(sortByName(back.quality)).toEqual(sortByName(manifest.spec.quality));
  });

  it('refuses to export a port that does not exist', () => {
    expect(() => exportOdcs(orders(), 'nope')).toThrow(/no output port 'nope'/);
  });
});

describe('importOdcs mapping problems', () => {
  it('keeps rules Akili cannot check as checked elsewhere, with a warning at their path', () => {
    const contract = fixture('column-completeness.odcs.yaml');
    contract.schema[0].properties[0].quality.push(
      { type: 'custom', engine: 'soda', implementation: 'checks: []' },
      { type: 'library', metric: 'rowCount', mustNotBeBetween: [1, 2] },
      { type: 'text', description: 'Looks fine to me' },
    );
    const { errors, warnings, quality } = importOdcs(contract);
    expect(errors).toEqual([]);
    expect(quality).toHaveLength(3);
    expect(quality[1]).toMatchObject({
      column: 'UniqueID',
      engine: 'soda',
      implementation: 'checks: []',
    });
    expect(quality[1].operator).toBeUndefined();
    expect(quality[2]).toMatchObject({ engine: 'unspecified' });
    expect(warnings).toEqual([
      expect.objectContaining({
        path: '$.schema[0].properties[0].quality[1].engine',
      }),
      expect.objectContaining({
        path: '$.schema[0].properties[0].quality[2].mustNotBeBetween',
      }),
    ]);
  });
});
