import fs from 'node:fs';
import path from 'node:path';
import {
  MAX_MANIFEST_BYTES,
  MAX_REPORTED_PROBLEMS,
  parseManifest,
  validateManifestObject,
} from './parse';
import { MAX_ALIAS_VALUES, MAX_NESTING_DEPTH } from './source';
import { ManifestProblem } from './types';

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '__fixtures__', name), 'utf8');

// A small valid manifest; line numbers in the comments are those of the text.
const BASE = [
  'apiVersion: akili.io/v1alpha1', // 1
  'kind: DataProduct', // 2
  'metadata:', // 3
  '  name: orders', // 4
  '  namespace: acme', // 5
  'spec:', // 6
  '  type: source-aligned', // 7
  '  lifecycle: production', // 8
  '  owner: group:acme/orders-team', // 9
  '  domain: sales', // 10
  '  outputPorts:', // 11
  '    - name: orders', // 12
  '      kind: table', // 13
  '      location:', // 14
  '        table: { database: sales, table: orders }', // 15
  '      schema:', // 16
  '        - name: order_id', // 17
  '          type: string', // 18
  '        - name: amount', // 19
  '          type: decimal', // 20
];

/** BASE with extra lines appended (from line 21 on) and some lines replaced. */
function manifest(
  extra: string[] = [],
  replace: Record<number, string | null> = {},
): string {
  const lines = BASE.map((line, i) =>
    replace[i + 1] === undefined ? line : replace[i + 1],
  ).filter((line): line is string => line !== null);
  return [...lines, ...extra].join('\n').concat('\n');
}

/** Parses a text that must fail, and returns its errors. */
function errorsOf(text: string): ManifestProblem[] {
  const result = parseManifest(text);
  expect(result.valid).toBe(false);
  expect(result.manifests).toEqual([]);
  return result.errors;
}

const SECOND_PORT = [
  '    - name: events', // 21
  '      kind: topic', // 22
  '      location:', // 23
  '        kafka: { topic: acme.orders.events }', // 24
  '      schema: []', // 25
];

describe('parseManifest', () => {
  it('accepts a complete manifest using every feature', () => {
    const result = parseManifest(fixture('orders.dataproduct.yaml'));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.kind).toBe('akili');
    expect(result.manifests).toHaveLength(1);
    const [m] = result.manifests;
    expect(m.metadata).toMatchObject({ name: 'orders', namespace: 'acme' });
    expect(m.spec.outputPorts.map(p => p.name)).toEqual([
      'orders',
      'order-events',
    ]);
    expect(m.spec.quality).toHaveLength(4);
    expect(m.spec.slos?.freshness?.maxDelay).toBe('PT2H');
  });

  it('accepts the small base manifest', () => {
    expect(parseManifest(manifest()).errors).toEqual([]);
  });

  it('reports malformed YAML with the line of the syntax error', () => {
    const errors = errorsOf(
      manifest([], { 5: '  namespace: [acme', 6: '  tags: [a]', 7: null }),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: '$', line: 6, column: 3 });
    expect(errors[0].message).toMatch(/^YAML syntax error: .*flow collection/);
  });

  it('reports a wrong type with its path and position', () => {
    const errors = errorsOf(manifest([], { 18: '          type: 42' }));
    expect(errors).toEqual([
      expect.objectContaining({
        path: '$.spec.outputPorts[0].schema[0].type',
        line: 18,
        column: 17,
      }),
    ]);
    expect(errors[0].message).toMatch(/must be one of 'string'/);

    const [required] = errorsOf(
      manifest(['          required: yes'], {}).replace(
        '          type: decimal\n          required: yes',
        '          type: decimal\n          required: "yes"',
      ),
    );
    expect(required).toEqual({
      path: '$.spec.outputPorts[0].schema[1].required',
      line: 21,
      column: 21,
      message: 'must be boolean, not string',
    });
  });

  it('reports an unknown field in spec at its key', () => {
    const errors = errorsOf(manifest(['  colour: blue']));
    expect(errors).toEqual([
      {
        path: '$.spec.colour',
        line: 21,
        column: 3,
        message: "unknown field 'colour'",
      },
    ]);
  });

  it('reports a missing required field at its parent object', () => {
    const errors = errorsOf(manifest([], { 10: null }));
    expect(errors).toEqual([
      {
        path: '$.spec.domain',
        line: 7,
        column: 3,
        message: "missing required field 'domain'",
      },
    ]);
  });

  it('reports several problems at once, in text order', () => {
    const errors = errorsOf(
      manifest(['  colour: blue'], { 4: '  name: Orders', 8: null }),
    );
    expect(errors.map(e => [e.path, e.line])).toEqual([
      ['$.metadata.name', 4],
      ['$.spec.lifecycle', 7],
      ['$.spec.colour', 20],
    ]);
    expect(errors[0].message).toMatch(/lowercase letters, digits and dashes/);
  });

  it('reports duplicate output port names', () => {
    const errors = errorsOf(
      manifest([...SECOND_PORT.map(l => l.replace('events', 'orders'))]),
    );
    expect(errors).toEqual([
      {
        path: '$.spec.outputPorts[1].name',
        line: 21,
        column: 13,
        message:
          "duplicate output port name 'orders' (first at $.spec.outputPorts[0])",
      },
    ]);
  });

  it('reports an input port and an output port sharing a name', () => {
    const errors = errorsOf(
      manifest([
        '  inputPorts:', // 21
        '    - name: orders', // 22
        '      external: { system: postgres, location: shop.orders }', // 23
      ]),
    );
    expect(errors).toEqual([
      expect.objectContaining({ path: '$.spec.outputPorts[0].name', line: 12 }),
    ]);
  });

  it('reports a duplicate column', () => {
    const errors = errorsOf(
      manifest(['        - name: Order_ID', '          type: string']),
    );
    expect(errors).toEqual([
      {
        path: '$.spec.outputPorts[0].schema[2].name',
        line: 21,
        column: 17,
        message:
          "duplicate column 'Order_ID' in output port 'orders' (first at $.spec.outputPorts[0].schema[0])",
      },
    ]);
  });

  const rule = (fields: string[]) => [
    '  quality:', // 21
    '    - name: amount-set', // 22
    '      type: completeness', // 23
    '      metric: null_ratio', // 24
    '      severity: error', // 25
    ...fields, // 26...
  ];

  it('reports a quality rule on an unknown port and on an unknown column', () => {
    const port = errorsOf(
      manifest(
        rule([
          '      port: payments',
          '      operator: "="',
          '      threshold: 0',
        ]),
      ),
    );
    expect(port).toEqual([
      expect.objectContaining({
        path: '$.spec.quality[0].port',
        line: 26,
        column: 13,
      }),
    ]);
    expect(port[0].message).toMatch(/'payments', which is not an output port/);

    const column = errorsOf(
      manifest(
        rule([
          '      column: price',
          '      operator: "="',
          '      threshold: 0',
        ]),
      ),
    );
    expect(column).toEqual([
      expect.objectContaining({
        path: '$.spec.quality[0].column',
        line: 26,
        column: 15,
      }),
    ]);
    expect(column[0].message).toMatch(
      /column 'price', which is not in the schema/,
    );
  });

  it('requires the port of a rule when there are several output ports', () => {
    const errors = errorsOf(
      manifest([
        ...SECOND_PORT,
        ...rule(['      operator: "="', '      threshold: 0']),
      ]),
    );
    expect(errors).toEqual([
      expect.objectContaining({ path: '$.spec.quality[0].port', line: 27 }),
    ]);
    expect(errors[0].message).toMatch(/must name its port/);
  });

  it('checks thresholds against the operator', () => {
    const between = errorsOf(
      manifest(rule(['      operator: between', '      threshold: [10, 1]'])),
    );
    expect(between).toEqual([
      {
        path: '$.spec.quality[0].threshold',
        line: 27,
        column: 18,
        message: 'threshold [10, 1] must have low <= high',
      },
    ]);
    const scalar = errorsOf(
      manifest(rule(['      operator: between', '      threshold: 5'])),
    );
    expect(scalar[0]).toMatchObject({
      path: '$.spec.quality[0].threshold',
      line: 27,
      message: "operator 'between' needs a threshold [low, high]",
    });
    const list = errorsOf(
      manifest(rule(['      operator: "<"', '      threshold: [1, 2]'])),
    );
    expect(list[0]).toMatchObject({
      path: '$.spec.quality[0].threshold',
      message: "operator '<' needs a number as threshold",
    });
  });

  it('requires a query for custom rules and a metric for the others', () => {
    const errors = errorsOf(
      manifest(
        rule(['      operator: "="', '      threshold: 0']).map(l =>
          l.replace('type: completeness', 'type: custom'),
        ),
      ),
    );
    expect(errors.map(e => [e.path, e.line])).toEqual([
      ['$.spec.quality[0].query', 22],
      ['$.spec.quality[0].metric', 24],
    ]);
  });

  it('reports duplicate quality rule names', () => {
    const errors = errorsOf(
      manifest([
        ...rule(['      operator: "="', '      threshold: 0']),
        '    - name: amount-set', // 28
        '      type: volume',
        '      metric: row_count',
        '      operator: ">"',
        '      threshold: 0',
        '      severity: warning',
      ]),
    );
    expect(errors).toEqual([
      expect.objectContaining({ path: '$.spec.quality[1].name', line: 28 }),
    ]);
  });

  it('reports malformed and self-referencing input products', () => {
    const input = (product: string) =>
      manifest([
        '  inputPorts:', // 21
        '    - name: upstream', // 22
        `      product: ${product}`, // 23
        '      port: orders', // 24
      ]);
    expect(errorsOf(input('dataproduct:acme/Bad_Name'))).toEqual([
      expect.objectContaining({
        path: '$.spec.inputPorts[0].product',
        line: 23,
        column: 16,
        message: expect.stringMatching(/is not a product reference/),
      }),
    ]);
    expect(errorsOf(input('component:acme/orders'))[0].path).toBe(
      '$.spec.inputPorts[0].product',
    );
    expect(errorsOf(input('acme/orders'))).toEqual([
      expect.objectContaining({
        path: '$.spec.inputPorts[0].product',
        message: expect.stringMatching(/reads from its own product/),
      }),
    ]);
    // A product that does not exist is not a parse error.
    expect(parseManifest(input('dataproduct:other/missing')).valid).toBe(true);
  });

  it('requires exactly one of product and external on input ports', () => {
    const errors = errorsOf(
      manifest([
        '  inputPorts:', // 21
        '    - name: upstream', // 22
        '      product: customers', // 23
        '      port: customers', // 24
        '      external: { system: s3, location: s3://x/y }', // 25
      ]),
    );
    expect(errors).toEqual([
      {
        path: '$.spec.inputPorts[0]',
        line: 22,
        column: 7,
        message: 'must set exactly one of: product + port, external',
      },
    ]);
  });

  it('requires exactly one location member', () => {
    const errors = errorsOf(
      manifest([], {
        15: '        table: { database: sales, table: orders }\n        s3: { bucket: b, prefix: p }',
      }),
    );
    expect(errors).toEqual([
      expect.objectContaining({
        path: '$.spec.outputPorts[0].location',
        line: 15,
        message: 'must set exactly one of: table, s3, kafka',
      }),
    ]);
  });

  it('checks schedule, freshness and availability', () => {
    const errors = errorsOf(
      manifest([
        '  schedule:', // 21
        '    cron: "0 25 * * *"', // 22
        '    timezone: Mars/Olympus', // 23
        '  slos:', // 24
        '    freshness: { maxDelay: 2 hours }', // 25
      ]),
    );
    expect(errors.map(e => [e.path, e.line])).toEqual([
      ['$.spec.schedule.cron', 22],
      ['$.spec.schedule.timezone', 23],
      ['$.spec.slos.freshness.maxDelay', 25],
    ]);
    expect(errors[0].message).toMatch(/cron hour '25' is not valid/);

    const fields = errorsOf(manifest(['  schedule: { cron: "0 * * *" }']));
    expect(fields[0].message).toMatch(/must have 5 fields/);

    const availability = errorsOf(
      manifest(['  slos:', '    availability:', '      target: 0']),
    );
    expect(availability).toEqual([
      expect.objectContaining({
        path: '$.spec.slos.availability.target',
        line: 23,
        column: 15,
      }),
    ]);
    expect(
      parseManifest(
        manifest(['  slos:', '    availability:', '      target: 100']),
      ).valid,
    ).toBe(true);
  });

  it("requires a Dagster code location of the product's own tenant", () => {
    const withLocation = (location: string) =>
      manifest([
        '  transformation:', // 21
        '    language: sql', // 22
        '    entrypoint: models/orders.sql', // 23
        '    dagster:', // 24
        `      codeLocation: ${location}`, // 25
      ]);
    for (const ok of ['acme', 'acme_orders', 'acme_orders_daily']) {
      expect(parseManifest(withLocation(ok)).errors).toEqual([]);
    }
    for (const foreign of [
      'globex_fleet',
      'acme-evil_orders',
      'acme_',
      'acmeorders',
    ]) {
      expect(errorsOf(withLocation(foreign))).toEqual([
        {
          path: '$.spec.transformation.dagster.codeLocation',
          line: 25,
          column: 21,
          message: `code location '${foreign}' is not one of tenant 'acme': use acme or a name that starts with acme_`,
        },
      ]);
    }
  });

  it('requires a group as owner and a location matching the port kind', () => {
    const errors = errorsOf(
      manifest([], { 9: '  owner: user:acme/jane', 13: '      kind: topic' }),
    );
    expect(errors).toEqual([
      {
        path: '$.spec.owner',
        line: 9,
        column: 10,
        message: "owner must be a group, not a user ('user:acme/jane')",
      },
      {
        path: '$.spec.outputPorts[0].location',
        line: 15,
        column: 9,
        message: "an output port of kind 'topic' needs location.kafka",
      },
    ]);
  });

  it('rejects text larger than the cap before parsing it', () => {
    const text = manifest([`  # ${'x'.repeat(200)}`]);
    expect(parseManifest(text).valid).toBe(true);
    const small = parseManifest(text, { maxBytes: 100 });
    expect(small.valid).toBe(false);
    expect(small.errors).toEqual([
      {
        path: '$',
        message: `document is at least ${text.length} bytes, larger than the limit of 100 bytes`,
      },
    ]);

    const huge = `a: "${'é'.repeat(MAX_MANIFEST_BYTES / 2)}"`;
    const result = parseManifest(huge);
    expect(result.valid).toBe(false);
    expect(result.errors[0].message).toBe(
      `document is ${
        MAX_MANIFEST_BYTES + 5
      } bytes, larger than the limit of ${MAX_MANIFEST_BYTES} bytes`,
    );
  });

  it('rejects a billion laughs alias bomb without expanding it', () => {
    const lines = [
      'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    // Expanded, the document would hold 9^10 strings: the test would time out, not pass.
    // b to e add 74,718 values through their aliases; the first alias of f (66,430 more)
    // crosses the limit, and is named.
    const errors = errorsOf(lines.join('\n'));
    expect(errors).toEqual([
      {
        path: '$.f[0]',
        line: 6,
        column: 8,
        message: `document expands YAML aliases to more than ${MAX_ALIAS_VALUES} values; alias bombs are rejected`,
      },
    ]);
  });

  it('rejects an alias inside the node it points to', () => {
    expect(errorsOf('a:\n  b: &x\n    c: [1, *x]\n')).toEqual([
      {
        path: '$.a.b.c[1]',
        line: 3,
        column: 12,
        message:
          'YAML alias refers to a node that contains it; recursive documents are rejected',
      },
    ]);
  });

  it('accepts many aliases that add a bounded number of values', () => {
    // 1000 aliases of a 3-value mapping: more than the old limit of 100 alias uses.
    const text = manifest([], {
      17: '        - &column { name: order_id, type: string }',
      18: null,
      19: null,
      20: null,
    }).replace('    - name: orders\n', '    - name: orders\n');
    const ports = Array.from(
      { length: 1000 },
      (_, i) =>
        `    - { name: p${i}, kind: table, location: { table: { database: d, table: t } }, schema: [*column] }`,
    );
    const result = parseManifest(`${text}${ports.join('\n')}\n`);
    expect(result.errors).toEqual([]);
    expect(result.manifests[0].spec.outputPorts).toHaveLength(1001);
  });

  it('rejects nesting deeper than the limit, naming where', () => {
    const flow = `${manifest([], {
      10: `  domain: ${'['.repeat(150)}${']'.repeat(150)}`,
    })}`;
    expect(errorsOf(flow)).toEqual([
      {
        path: `$.spec.domain${'[0]'.repeat(MAX_NESTING_DEPTH - 3)}`,
        line: 10,
        column: 11 + MAX_NESTING_DEPTH - 2,
        message: `document nests deeper than ${MAX_NESTING_DEPTH} levels`,
      },
    ]);
    const json = `{"a":${'{"b":'.repeat(200)}1${'}'.repeat(200)}}`;
    const [problem] = errorsOf(json);
    expect(problem.message).toBe(
      `document nests deeper than ${MAX_NESTING_DEPTH} levels`,
    );
    expect(problem.path).toMatch(/^\$\.a(\.b)+$/);
    expect(problem.line).toBe(1);
    // A 1 MiB sequence of sequences (`- - - - ...`) stops at the limit too.
    const block = `a:\n  ${'- '.repeat(MAX_MANIFEST_BYTES / 2 - 8)}`;
    expect(errorsOf(block)[0]).toMatchObject({
      line: 2,
      message: `document nests deeper than ${MAX_NESTING_DEPTH} levels`,
    });
  });

  it('quotes at most 100 characters of a value in a message', () => {
    const long = 'X'.repeat(10_000);
    const errors = errorsOf(
      manifest([], { 4: `  name: ${long}`, 7: '  type: [a, b]' }),
    );
    expect(errors.map(e => e.message)).toEqual(
      expect.arrayContaining([
        `'${'X'.repeat(
          100,
        )}…' (10000 characters) is not valid: use lowercase letters, digits and dashes, starting and ending with a letter or digit`,
        "must be one of 'source-aligned', 'aggregate', 'consumer-aligned', not a list",
      ]),
    );
    expect(Math.max(...errors.map(e => e.message.length))).toBeLessThan(300);
  });

  it('reports at most the first problems in the text, and how many more there are', () => {
    const labels = Array.from({ length: 300 }, (_, i) => `    k${i}: ${i}`);
    const errors = errorsOf(
      manifest([], { 5: `  namespace: acme\n  labels:\n${labels.join('\n')}` }),
    );
    expect(errors).toHaveLength(MAX_REPORTED_PROBLEMS + 1);
    expect(errors[0]).toEqual({
      path: '$.metadata.labels.k0',
      line: 7,
      column: 9,
      message: 'must be string, not number',
    });
    expect(errors[MAX_REPORTED_PROBLEMS - 1].path).toBe(
      `$.metadata.labels.k${MAX_REPORTED_PROBLEMS - 1}`,
    );
    expect(errors[MAX_REPORTED_PROBLEMS]).toEqual({
      path: '$',
      message: `${
        300 - MAX_REPORTED_PROBLEMS
      } more problems not shown: at most ${MAX_REPORTED_PROBLEMS} are reported, the first in the text`,
    });
  });

  it('accepts a few aliases', () => {
    const text = manifest([], {
      10: '  domain: &d sales',
    }).replace('database: sales', 'database: *d');
    expect(parseManifest(text).valid).toBe(true);
  });

  it('rejects more than one document', () => {
    const errors = errorsOf(`${manifest()}---\n${manifest()}`);
    expect(errors).toEqual([
      {
        path: '$',
        line: 22,
        column: 1,
        message: 'found 2 YAML documents; a file must hold exactly one',
      },
    ]);
    // A leading or trailing marker alone is not a second document.
    expect(parseManifest(`---\n${manifest()}---\n`).valid).toBe(true);
  });

  it('rejects empty input and non-objects', () => {
    for (const text of ['', '   \n', '# only a comment\n', 'null\n']) {
      expect(errorsOf(text)).toEqual([
        { path: '$', line: 1, column: 1, message: 'document is empty' },
      ]);
    }
    expect(errorsOf('\n- a\n- b\n')).toEqual([
      {
        path: '$',
        line: 2,
        column: 1,
        message: 'document must be a mapping (an object), not a list',
      },
    ]);
    expect(errorsOf('42')[0].message).toMatch(/not a number/);
  });

  it('rejects documents of another kind', () => {
    const errors = errorsOf(
      'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
    );
    expect(errors[0]).toMatchObject({ path: '$.kind', line: 2, column: 7 });
    expect(errors[0].message).toMatch(/not a data product manifest/);
  });

  it('reports errors of JSON input with lines and columns', () => {
    const json = JSON.stringify(
      {
        apiVersion: 'akili.io/v1alpha1',
        kind: 'DataProduct',
        metadata: { name: 'orders', namespace: 'acme' },
        spec: {
          type: 'source-aligned',
          lifecycle: 'production',
          owner: 'orders-team',
          domain: 'sales',
          outputPorts: [
            {
              name: 'orders',
              kind: 'table',
              location: { table: { database: 'sales', table: 'orders' } },
              schema: [{ name: 'id', type: 'string', required: 'yes' }],
            },
          ],
        },
      },
      null,
      2,
    );
    const errors = errorsOf(json);
    const lines = json.split('\n');
    const line = lines.findIndex(l => l.includes('"required"')) + 1;
    // The column of the value, not of the key.
    const column = lines[line - 1].indexOf('"yes"') + 1;
    expect(column).toBeGreaterThan(lines[line - 1].indexOf('"required"') + 1);
    expect(errors).toEqual([
      {
        path: '$.spec.outputPorts[0].schema[0].required',
        line,
        column,
        message: 'must be boolean, not string',
      },
    ]);
    expect(parseManifest(json.replace('"yes"', 'true')).valid).toBe(true);

    const broken = errorsOf(
      '{\n  "apiVersion": "akili.io/v1alpha1",\n  "kind": "DataProduct"\n  "metadata": {}\n}',
    );
    expect(broken[0]).toMatchObject({ path: '$', line: 4, column: 3 });
  });

  it('reports every duplicate key with its path and line, in YAML and JSON', () => {
    const errors = errorsOf(
      manifest([], {
        5: '  namespace: acme\n  labels: { a: x, b: y, a: z }\n  namespace: globex',
      }),
    );
    expect(errors).toEqual([
      {
        path: '$.metadata.labels.a',
        line: 6,
        column: 25,
        message: "duplicate key 'a': keys of a mapping must be unique",
      },
      {
        path: '$.metadata.namespace',
        line: 7,
        column: 3,
        message: "duplicate key 'namespace': keys of a mapping must be unique",
      },
    ]);
    expect(
      errorsOf(
        '{\n  "kind": "DataProduct",\n  "spec": {"outputPorts": [{"name": "a", "name": "b"}]}\n}',
      ),
    ).toEqual([
      {
        path: '$.spec.outputPorts[0].name',
        line: 3,
        column: 42,
        message: "duplicate key 'name': keys of a mapping must be unique",
      },
    ]);
  });

  it('reports duplicate keys with their line', () => {
    const errors = errorsOf(
      manifest([], { 10: '  domain: sales\n  owner: someone' }),
    );
    expect(errors).toEqual([
      {
        path: '$.spec.owner',
        line: 11,
        column: 3,
        message: "duplicate key 'owner': keys of a mapping must be unique",
      },
    ]);
  });

  it('never throws on odd input', () => {
    const inputs = [
      '!!binary aGVsbG8=',
      'a: !!str',
      '{',
      '[',
      '"',
      ':',
      'apiVersion: akili.io/v1alpha1\nkind: DataProduct\nmetadata: 5\nspec: []',
      'apiVersion: akili.io/v1alpha1\nkind: DataProduct\nmetadata:\n  name:\nspec:\n  outputPorts:\n    -\n',
      'kind: DataProduct\napiVersion: v1.0.0\n',
      'kind: DataContract\n',
      undefined as unknown as string,
    ];
    for (const text of inputs) {
      const result = parseManifest(text);
      expect(result.valid).toBe(false);
      expect(result.errors.length).toBeGreaterThan(0);
    }
  });
});

describe('validateManifestObject', () => {
  const valid = parseManifest(fixture('orders.dataproduct.yaml')).manifests[0];

  it('accepts a manifest with the fields the catalog adds', () => {
    const entity = {
      ...valid,
      metadata: {
        ...valid.metadata,
        uid: '2a9f0c1e-1111-2222-3333-444455556666',
        etag: 'abc123',
        annotations: {
          ...valid.metadata.annotations,
          'backstage.io/managed-by-location': 'url:https://x/y.yaml',
        },
      },
      relations: [{ type: 'ownedBy', targetRef: 'group:acme/orders-team' }],
    };
    expect(validateManifestObject(entity)).toEqual([]);
  });

  it('returns at most the first problems, and how many more there are', () => {
    const labels = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`k${i}`, i]),
    );
    const problems = validateManifestObject({
      apiVersion: 'akili.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'orders', namespace: 'acme', labels },
    });
    expect(problems).toHaveLength(MAX_REPORTED_PROBLEMS + 1);
    expect(problems[MAX_REPORTED_PROBLEMS].message).toMatch(
      /^\d+ more problems not shown: at most 100 are reported/,
    );
  });

  it('returns schema and semantic problems with paths and no lines', () => {
    expect(
      validateManifestObject({
        ...valid,
        spec: { ...valid.spec, lifecycle: 'forever' },
      }),
    ).toEqual([
      {
        path: '$.spec.lifecycle',
        message:
          "must be one of 'experimental', 'production', 'deprecated', not 'forever'",
      },
    ]);
    expect(
      validateManifestObject({
        ...valid,
        spec: {
          ...valid.spec,
          outputPorts: [valid.spec.outputPorts[0], valid.spec.outputPorts[0]],
        },
      }),
    ).toContainEqual({
      path: '$.spec.outputPorts[1].name',
      message:
        "duplicate output port name 'orders' (first at $.spec.outputPorts[0])",
    });
    expect(validateManifestObject('nope')).toEqual([
      { path: '$', message: 'manifest must be an object' },
    ]);
  });
});
