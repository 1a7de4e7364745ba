import fs from 'node:fs';
import path from 'node:path';
import { parseManifest, validateManifestObject } from '../manifest/parse';
import { exportOdcs } from './odcs';
import { validateOdcs } from './validators';
import { ParseManifestOptions } from '../manifest/parse';

/*
 * Every example the Bitol project publishes for ODCS v3 and ODPS v1, unchanged (see
 * __fixtures__/bitol/README.md): each is valid against the official schema, so Akili accepts each,
 * with warnings for what it cannot use.
 */

const BITOL = path.join(__dirname, '__fixtures__', 'bitol');

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(entry =>
      entry.isDirectory()
        ? walk(path.join(dir, entry.name))
        : [path.join(dir, entry.name)],
    )
    .filter(file => /\.ya?ml$/.test(file))
    .sort();
}

const read = (name: string) => fs.readFileSync(path.join(BITOL, name), 'utf8');

/** A file validated alone, as `akili validate` does. */
const ALONE: ParseManifestOptions = {
  unresolvedContracts: 'warning',
  contractAsProduct: true,
};

/** The paths of the warnings each example gets when validated alone. */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  'odcs/all/full-example.odcs.yaml': ['$.tenant'],
  'odcs/all/postgresql-adventureworks-contract.odcs.yaml': [
    '$.tenant',
    '$.domain',
    '$.team',
  ],
  'odcs/data-types/all-data-types.odcs.yaml': [
    '$.tenant',
    '$.domain',
    '$.team',
  ],
  'odcs/fundamentals/table-column-description.odcs.yaml': [
    '$.tenant',
    '$.domain',
    '$.team',
  ],
  'odcs/quality/column-accuracy.odcs.yaml': ['$.tenant', '$.domain', '$.team'],
  'odcs/quality/column-completeness.odcs.yaml': [
    '$.tenant',
    '$.domain',
    '$.team',
  ],
  'odcs/quality/column-custom.odcs.yaml': [
    '$.tenant',
    '$.domain',
    '$.team',
    '$.schema[0].properties[0].quality[0].engine',
    '$.schema[0].properties[0].quality[1].engine',
  ],
  'odcs/quality/column-validity.odcs.yaml': ['$.tenant', '$.domain', '$.team'],
  'odcs/roles/service-and-operational-roles.odcs.yaml': [
    '$.tenant',
    '$.domain',
    '$.team',
  ],
  'odcs/schema/all-schema-types.odcs.yaml': ['$.tenant', '$.domain', '$.team'],
  'odcs/schema/kafka-schema.odcs.yaml': ['$.tenant', '$.domain', '$.team'],
  'odcs/schema/kafka-schemaregistry.odcs.yaml': [
    '$.tenant',
    '$.domain',
    '$.team',
  ],
  'odcs/schema/table-column.odcs.yaml': ['$.tenant', '$.domain', '$.team'],
  'odcs/schema/table-columns-with-partition.odcs.yaml': [
    '$.tenant',
    '$.domain',
    '$.team',
  ],
  'odcs/server/azure-server.odcs.yaml': ['$.tenant', '$.domain', '$.team'],
  'odcs/server/kafka-server.odcs.yaml': ['$.tenant', '$.domain', '$.team'],
  'odcs/sla/database-table-sla.odcs.yaml': ['$.tenant', '$.domain', '$.team'],
  'odcs/stakeholders/basic-four-dpo.odcs.yaml': ['$.tenant', '$.domain'],
  'odps/customer-data-product.odps.yaml': [
    '$.tenant',
    '$.inputPorts[0].version',
    '$.inputPorts[2].version',
    '$.outputPorts[0].version',
    '$.outputPorts[1].contractId',
    '$.outputPorts[2].contractId',
    '$.outputPorts[3].contractId',
  ],
  'odps/simple-data-product.odps.yaml': [
    '$.tenant',
    '$.domain',
    '$.team',
    '$.outputPorts[0].contractId',
  ],
};

describe('the official Bitol examples', () => {
  const files = walk(BITOL).map(file => path.relative(BITOL, file));

  it('are all here: every example of ODCS v3 and ODPS v1', () => {
    expect(files).toEqual(Object.keys(EXPECTED_WARNINGS).sort());
    expect(files.filter(f => f.startsWith('odcs/'))).toHaveLength(18);
    expect(files.filter(f => f.startsWith('odps/'))).toHaveLength(2);
  });

  it.each(Object.keys(EXPECTED_WARNINGS))(
    '%s is accepted with zero errors and its expected warnings',
    name => {
      const result = parseManifest(read(name), ALONE);
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.kind).toBe(name.startsWith('odcs/') ? 'odcs' : 'odps');
      expect(result.manifests).toHaveLength(1);
      expect((result.warnings ?? []).map(w => w.path)).toEqual(
        EXPECTED_WARNINGS[name],
      );
      // Every warning is placed in the text.
      for (const warning of result.warnings ?? []) {
        expect(warning.line).toBeGreaterThan(0);
      }
    },
  );
});

describe('mapping rules on the official examples', () => {
  it('maps a contract with several schema objects onto several output ports', () => {
    const result = parseManifest(
      read('odcs/schema/all-schema-types.odcs.yaml'),
      ALONE,
    );
    const ports = result.manifests[0].spec.outputPorts;
    expect(ports.map(p => p.name)).toEqual([
      'tbl',
      'anobject',
      'anotherobject',
    ]);
    expect(ports[0]).toMatchObject({
      kind: 'table',
      location: { table: { table: 'tbl_1' } },
      contract: { id: expect.any(String) },
    });
    expect(ports[0].schema.map(c => c.name)).toContain('txn_ref_dt');
    expect(ports[2].schema.map(c => c.name)).toEqual(['x']);

    const full = parseManifest(read('odcs/all/full-example.odcs.yaml'), ALONE);
    const [tbl, receivers] = full.manifests[0].spec.outputPorts;
    expect([tbl.name, receivers.name]).toEqual(['tbl', 'receivers']);
    // Rules follow the object they are on.
    const rulePorts = new Set(full.manifests[0].spec.quality?.map(r => r.port));
    expect([...rulePorts]).toEqual(['tbl']);
  });

  it('keeps rules of other engines as checked elsewhere', () => {
    const result = parseManifest(
      read('odcs/quality/column-custom.odcs.yaml'),
      ALONE,
    );
    const rules = result.manifests[0].spec.quality ?? [];
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatchObject({
      engine: 'soda',
      column: 'UniqueID',
      port: 'my_table',
      dimension: 'conformity',
      severity: 'error',
      implementation: expect.stringContaining('duplicate_percent'),
    });
    expect(rules[0].operator).toBeUndefined();
    expect(result.warnings?.[3]).toMatchObject({
      path: '$.schema[0].properties[0].quality[0].engine',
      line: 27,
      message: expect.stringMatching(
        /engine 'soda'.*kept as checked elsewhere.*quality API/,
      ),
    });
    // And Akili's own rules beside them stay Akili's.
    const accuracy = parseManifest(
      read('odcs/quality/column-accuracy.odcs.yaml'),
      ALONE,
    );
    expect(accuracy.manifests[0].spec.quality?.[0]).toMatchObject({
      type: 'custom',
      query: expect.stringContaining('select count(*)'),
      operator: '=',
      threshold: 0,
    });
    expect(accuracy.manifests[0].spec.quality?.[0].engine).toBeUndefined();
  });

  it('exports rules checked elsewhere back to their engine, and Akili validates them only as such', () => {
    const result = parseManifest(
      read('odcs/quality/column-custom.odcs.yaml'),
      ALONE,
    );
    const manifest = result.manifests[0];
    expect(validateManifestObject(manifest)).toEqual([]);
    const contract = exportOdcs(manifest, 'my_table');
    expect(validateOdcs(contract)).toEqual([]);
    const rules = (contract.schema as any)[0].properties[0].quality;
    expect(rules[0]).toMatchObject({
      type: 'custom',
      engine: 'soda',
      implementation: expect.stringContaining('duplicate_percent'),
    });

    // Without an engine, a rule still needs an operator and a threshold.
    const [rule] = manifest.spec.quality!;
    const bare = {
      ...manifest,
      spec: {
        ...manifest.spec,
        quality: [{ ...rule, engine: undefined, implementation: undefined }],
      },
    };
    expect(validateManifestObject(JSON.parse(JSON.stringify(bare)))).toEqual([
      {
        path: '$.spec.quality[0].operator',
        message:
          "quality rule 'uniqueid-soda' needs an operator and a threshold (or an engine that checks it elsewhere)",
      },
    ]);
  });

  it("warns about a tenant that is not the source's, and the source's tenant wins", () => {
    const odcs = parseManifest(read('odcs/all/full-example.odcs.yaml'), {
      ...ALONE,
      tenant: 'acme',
    });
    expect(odcs.errors).toEqual([]);
    expect(odcs.manifests[0].metadata.namespace).toBe('acme');
    expect(odcs.warnings).toContainEqual({
      path: '$.tenant',
      line: 21,
      column: 9,
      message:
        "tenant 'ClimateQuantumInc' is not the tenant of the document's source: it belongs to tenant 'acme'",
    });

    const odps = parseManifest(read('odps/customer-data-product.odps.yaml'), {
      ...ALONE,
      tenant: 'globex',
    });
    expect(odps.manifests[0].metadata.namespace).toBe('globex');
    expect(odps.warnings?.[0]).toMatchObject({
      path: '$.tenant',
      message: expect.stringContaining("it belongs to tenant 'globex'"),
    });
    // No warning when they agree.
    const same = parseManifest(
      read('odps/customer-data-product.odps.yaml').replace(
        'tenant: RetailCorp',
        'tenant: globex',
      ),
      { ...ALONE, tenant: 'globex' },
    );
    expect(same.warnings?.map(w => w.path)).not.toContain('$.tenant');
  });

  it('warns about an unresolved contract reference alone, refuses it where all contracts are known, and uses a given one', () => {
    const text = read('odps/simple-data-product.odps.yaml');
    const alone = parseManifest(text, ALONE);
    expect(alone.warnings).toContainEqual(
      expect.objectContaining({
        path: '$.outputPorts[0].contractId',
        line: 25,
        column: 15,
        message: expect.stringContaining('looked up in the registry'),
      }),
    );
    expect(alone.manifests[0].spec.outputPorts[0]).toMatchObject({
      name: 'processed-data',
      schema: [],
      contract: { id: '87654321-4321-4321-4321-cba987654321' },
    });

    const strict = parseManifest(text);
    expect(strict.valid).toBe(false);
    expect(strict.errors).toEqual([
      expect.objectContaining({
        path: '$.outputPorts[0].contractId',
        message: expect.stringMatching(/was not provided/),
      }),
    ]);

    // Given the contract (here: the multi-object example under the referenced id), the port
    // becomes a port per schema object, with the contract's columns.
    const contract = parseManifest(read('odcs/all/full-example.odcs.yaml'))
      .contract!;
    const resolved = parseManifest(text, {
      contracts: new Map([['87654321-4321-4321-4321-cba987654321', contract]]),
    });
    expect(resolved.errors).toEqual([]);
    const ports = resolved.manifests[0].spec.outputPorts;
    expect(ports.map(p => p.name)).toEqual([
      'processed-data_tbl',
      'processed-data_receivers',
    ]);
    expect(ports[0].schema.length).toBeGreaterThan(0);
  });

  it('refuses a document the official schema rejects, naming the path, line and column', () => {
    const text = read('odcs/schema/table-column.odcs.yaml').replace(
      'status: active',
      'status: 42',
    );
    const result = parseManifest(text, ALONE);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: '$.status',
        line: expect.any(Number),
        column: 9,
      }),
    ]);
    const odps = parseManifest(
      read('odps/simple-data-product.odps.yaml').replace(
        'status: active',
        'statuz: active',
      ),
      ALONE,
    );
    expect(odps.valid).toBe(false);
    expect(odps.errors.map(e => e.path)).toContain('$.statuz');
  });
});
