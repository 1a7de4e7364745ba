/*
 * Adversarial manifests of a given size, one generator per shape that has cost more than its
 * size somewhere in the parser: many keys, duplicate keys, deep nesting, long strings,
 * anchors and aliases, many documents, long lines, big flow collections, many problems; YAML
 * and JSON; Akili, ODPS and ODCS. Used by the parser's tests and by `bench/manifest-parse`.
 * Every text is ASCII, so its length is its size in bytes, and never longer than asked for.
 */

/** What parsing a shape gives. */
export type AdversarialOutcome = 'valid' | 'invalid';

/** One adversarial shape. */
export interface AdversarialShape {
  name: string;
  /** YAML or JSON text. */
  format: 'yaml' | 'json';
  /** What parsing must answer; for `invalid`, a pattern of the first problem's message. */
  outcome: AdversarialOutcome;
  firstError?: RegExp;
  /** The text, at most `bytes` long (and close to it). */
  generate(bytes: number): string;
}

/** `head + unit(0) + unit(1) + ... + tail`, as many units as fit in `bytes`. */
function fill(
  bytes: number,
  head: string,
  tail: string,
  unit: (i: number) => string,
): string {
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; ; i++) {
    const next = unit(i);
    if (size + next.length > bytes) {
      break;
    }
    parts.push(next);
    size += next.length;
  }
  parts.push(tail);
  return parts.join('');
}

/** A valid Akili manifest in YAML: `metadata` extras, then the spec, then `spec` extras. */
function akiliYaml(metadataExtra: string, specExtra = ''): [string, string] {
  const head = [
    'apiVersion: akili.io/v1alpha1',
    'kind: DataProduct',
    'metadata:',
    '  name: orders',
    '  namespace: acme',
    metadataExtra,
  ].join('\n');
  const tail = [
    '',
    'spec:',
    '  type: source-aligned',
    '  lifecycle: production',
    '  owner: group:acme/orders-team',
    '  domain: sales',
    '  outputPorts:',
    '    - name: orders',
    '      kind: table',
    '      location: { table: { database: sales, table: orders } }',
    '      schema:',
    '        - { name: order_id, type: string }',
    specExtra,
    '',
  ].join('\n');
  return [head, tail];
}

const base = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace: 'acme' },
};

const port = (name: string, schema: object[]) => ({
  name,
  kind: 'table',
  location: { table: { database: 'sales', table: name.replace(/-/g, '_') } },
  schema,
});

const validSpec = {
  type: 'source-aligned',
  lifecycle: 'production',
  owner: 'group:acme/orders-team',
  domain: 'sales',
  outputPorts: [port('orders', [{ name: 'id', type: 'string' }])],
};

/** JSON text of a value with one array (at `holder[key]`) filled up to the size. */
function jsonWithArray(
  bytes: number,
  value: object,
  marker: string,
  unit: (i: number) => string,
  indent?: number,
): string {
  const text = JSON.stringify(value, null, indent);
  const at = text.indexOf(`"${marker}"`);
  const head = text.slice(0, at);
  const tail = text.slice(at + marker.length + 2);
  return fill(bytes, head, tail, i => (i === 0 ? unit(i) : `,${unit(i)}`));
}

const yamlShapes: AdversarialShape[] = [
  {
    name: 'yaml-many-keys',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  labels:\n');
      return fill(bytes, head, tail, i => `    k${i}: v${i}\n`);
    },
  },
  {
    name: 'yaml-duplicate-keys',
    format: 'yaml',
    outcome: 'invalid',
    firstError: /^duplicate key 'k': keys of a mapping must be unique$/,
    generate: bytes => {
      const [head, tail] = akiliYaml('  labels:\n');
      return fill(bytes, head, tail, () => `    k: v\n`);
    },
  },
  {
    name: 'yaml-many-problems',
    format: 'yaml',
    outcome: 'invalid',
    firstError: /^must be string, not number$/,
    generate: bytes => {
      const [head, tail] = akiliYaml('  labels:\n');
      return fill(bytes, head, tail, i => `    k${i}: ${i}\n`);
    },
  },
  {
    name: 'yaml-deep-block-maps',
    format: 'yaml',
    outcome: 'invalid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  labels:\n');
      return fill(bytes, head, tail, i => `${' '.repeat(i + 4)}a:\n`);
    },
  },
  {
    name: 'yaml-deep-block-seqs',
    format: 'yaml',
    outcome: 'invalid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  tags:\n    ');
      return fill(bytes, head, `x${tail}`, () => '- ');
    },
  },
  {
    name: 'yaml-deep-flow',
    format: 'yaml',
    outcome: 'invalid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  tags: ');
      const depth = Math.floor((bytes - head.length - tail.length) / 2);
      return `${head}${'['.repeat(depth)}${']'.repeat(depth)}${tail}`;
    },
  },
  {
    name: 'yaml-long-plain-string',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  description: ');
      return `${head}${'x'.repeat(bytes - head.length - tail.length)}${tail}`;
    },
  },
  {
    name: 'yaml-long-quoted-string',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  description: "');
      return fill(bytes, head, `"${tail}`, i =>
        i % 2 ? '\\u00e9\\t\\"\\\\' : 'ab cd ',
      );
    },
  },
  {
    name: 'yaml-multiline-plain-string',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  description: start\n');
      return fill(bytes, head, tail, i => `    word${i} more words\n`);
    },
  },
  {
    name: 'yaml-block-literal',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  description: |\n');
      return fill(bytes, head, tail, i => `    line ${i} of text\n`);
    },
  },
  {
    name: 'yaml-anchors-and-aliases',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  tags:\n');
      return fill(bytes, head, tail, i => `    - &a${i} t${i}\n    - *a${i}\n`);
    },
  },
  {
    name: 'yaml-alias-fan-out',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  tags:\n    - &t tag\n');
      return fill(bytes, head, tail, () => `    - *t\n`);
    },
  },
  {
    name: 'yaml-alias-chain',
    format: 'yaml',
    outcome: 'invalid',
    // Each alias points at the previous one: no expansion, but a long chain to follow.
    generate: bytes => {
      const [head, tail] = akiliYaml('  labels:\n    k0: &a0 v\n');
      return fill(
        bytes,
        head,
        tail,
        i => `    k${i + 1}: &a${i + 1} [*a${i}]\n`,
      );
    },
  },
  {
    name: 'yaml-many-documents',
    format: 'yaml',
    outcome: 'invalid',
    firstError: /^found \d+ YAML documents; a file must hold exactly one$/,
    generate: bytes => {
      const [head, tail] = akiliYaml('');
      return fill(bytes, `${head}${tail}`, '', i => `---\nk: ${i}\n`);
    },
  },
  {
    name: 'yaml-many-empty-documents',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      const [head, tail] = akiliYaml('');
      return fill(bytes, `${head}${tail}`, '', () => `---\n`);
    },
  },
  {
    name: 'yaml-flow-seq-one-line',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  tags: [');
      return fill(bytes, head, `]${tail}`, i => (i ? `, t${i}` : 't0'));
    },
  },
  {
    name: 'yaml-flow-map-one-line',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      const [head, tail] = akiliYaml('  labels: {');
      return fill(bytes, head, `}${tail}`, i =>
        i ? `, k${i}: v${i}` : 'k0: v0',
      );
    },
  },
  {
    name: 'yaml-comments',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      const [head, tail] = akiliYaml('');
      return fill(bytes, head, tail, i => `  # comment ${i}\n`);
    },
  },
  {
    name: 'yaml-syntax-errors',
    format: 'yaml',
    outcome: 'invalid',
    firstError: /^YAML syntax error/,
    generate: bytes => {
      const [head, tail] = akiliYaml('  labels:\n');
      return fill(bytes, head, tail, i => `    k${i}: v: w\n`);
    },
  },
  {
    name: 'yaml-many-columns-and-rules',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes => {
      // Half the bytes for columns, half for rules that check them.
      const [head] = akiliYaml('');
      const columns: string[] = [];
      const rules: string[] = [];
      let size = head.length + 400;
      for (let i = 0; size < bytes; i++) {
        const column = `        - { name: c${i}, type: string }\n`;
        const rule = `    - { name: r${i}, type: completeness, port: orders, column: C${i}, metric: null_ratio, operator: '=', threshold: 0, severity: error }\n`;
        if (size + column.length + rule.length > bytes) {
          break;
        }
        columns.push(column);
        rules.push(rule);
        size += column.length + rule.length;
      }
      return [
        head,
        'spec:',
        '  type: source-aligned',
        '  lifecycle: production',
        '  owner: group:acme/orders-team',
        '  domain: sales',
        '  outputPorts:',
        '    - name: orders',
        '      kind: table',
        '      location: { table: { database: sales, table: orders } }',
        '      schema:',
        `${columns.join('')}  quality:`,
        rules.join(''),
      ].join('\n');
    },
  },
  {
    name: 'yaml-rules-on-unknown-ports',
    format: 'yaml',
    outcome: 'invalid',
    firstError: /which is not an output port/,
    generate: bytes => {
      const [head] = akiliYaml('');
      const ports: string[] = [];
      const rules: string[] = [];
      let size = head.length + 400;
      for (let i = 0; size < bytes; i++) {
        const p = `    - { name: p${i}, kind: table, location: { table: { database: d, table: t } }, schema: [] }\n`;
        const rule = `    - { name: r${i}, type: volume, port: q${i}, metric: row_count, operator: '>', threshold: 0, severity: error }\n`;
        if (size + p.length + rule.length > bytes) {
          break;
        }
        ports.push(p);
        rules.push(rule);
        size += p.length + rule.length;
      }
      return [
        head,
        'spec:',
        '  type: source-aligned',
        '  lifecycle: production',
        '  owner: group:acme/orders-team',
        '  domain: sales',
        '  outputPorts:',
        `${ports.join('')}  quality:`,
        rules.join(''),
      ].join('\n');
    },
  },
];

const jsonShapes: AdversarialShape[] = [
  {
    name: 'json-pretty-columns',
    format: 'json',
    outcome: 'valid',
    generate: bytes =>
      jsonWithArray(
        bytes,
        {
          ...base,
          spec: {
            type: 'source-aligned',
            lifecycle: 'production',
            owner: 'group:acme/orders-team',
            domain: 'sales',
            outputPorts: [port('orders', ['COLUMNS' as unknown as object])],
          },
        },
        'COLUMNS',
        i =>
          `\n          {\n            "name": "c${i}",\n            "type": "string",\n            "description": "column ${i}"\n          }`,
        2,
      ),
  },
  {
    name: 'json-minified-ports',
    format: 'json',
    outcome: 'valid',
    generate: bytes =>
      jsonWithArray(
        bytes,
        {
          ...base,
          spec: {
            type: 'source-aligned',
            lifecycle: 'production',
            owner: 'group:acme/orders-team',
            domain: 'sales',
            outputPorts: ['PORTS'],
          },
        },
        'PORTS',
        i => JSON.stringify(port(`p${i}`, [{ name: 'id', type: 'string' }])),
      ),
  },
  {
    name: 'json-many-keys',
    format: 'json',
    outcome: 'valid',
    generate: bytes => {
      const text = JSON.stringify({ ...base, spec: validSpec });
      const at = text.indexOf('"namespace"');
      return fill(
        bytes,
        `${text.slice(0, at)}"labels":{`,
        `},${text.slice(at)}`,
        i => `${i ? ',' : ''}"k${i}":"v${i}"`,
      );
    },
  },
  {
    name: 'json-duplicate-keys',
    format: 'json',
    outcome: 'invalid',
    firstError: /^duplicate key 'k'/,
    generate: bytes => {
      const text = JSON.stringify({ ...base, spec: validSpec });
      const at = text.indexOf('"namespace"');
      return fill(
        bytes,
        `${text.slice(0, at)}"labels":{`,
        `},${text.slice(at)}`,
        i => `${i ? ',' : ''}"k":"v"`,
      );
    },
  },
  {
    name: 'json-deep-objects',
    format: 'json',
    outcome: 'invalid',
    generate: bytes => {
      const head =
        '{"apiVersion":"akili.io/v1alpha1","kind":"DataProduct","x":';
      const depth = Math.floor((bytes - head.length - 2) / 6);
      return `${head}${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    },
  },
  {
    name: 'json-long-string',
    format: 'json',
    outcome: 'valid',
    generate: bytes => {
      const text = JSON.stringify(
        {
          ...base,
          metadata: { ...base.metadata, description: 'DESCRIPTION' },
          spec: {
            type: 'source-aligned',
            lifecycle: 'production',
            owner: 'group:acme/orders-team',
            domain: 'sales',
            outputPorts: [port('orders', [{ name: 'id', type: 'string' }])],
          },
        },
        null,
        2,
      );
      const [head, tail] = text.split('DESCRIPTION');
      return fill(bytes, head, tail, i => (i % 2 ? 'abc def ' : '\\u00e9\\n'));
    },
  },
];

const odcsHead = [
  'apiVersion: v3.1.0',
  'kind: DataContract',
  'id: 53581432-6c55-4ba2-a65f-72344a91553a',
  'version: 1.0.0',
  'status: active',
  'name: orders',
  'schema:',
  '  - name: orders',
  '    physicalType: table',
  '    properties:',
  '',
].join('\n');

const standardsShapes: AdversarialShape[] = [
  {
    name: 'odcs-many-properties',
    format: 'yaml',
    outcome: 'valid',
    generate: bytes =>
      fill(
        bytes,
        odcsHead,
        '',
        i =>
          `      - name: c${i}\n        logicalType: string\n        quality:\n          - { metric: nullValues, mustBe: 0 }\n`,
      ),
  },
  {
    name: 'odcs-many-problems',
    format: 'yaml',
    outcome: 'invalid',
    generate: bytes =>
      fill(
        bytes,
        odcsHead,
        '',
        i => `      - name: c${i}\n        logicalType: 42\n`,
      ),
  },
  {
    name: 'odps-many-ports',
    format: 'json',
    // Mapped port by port; the contracts of the ports are not given, each says so.
    outcome: 'invalid',
    firstError: /^contract 'contract-0' of output port 'p0' was not provided/,
    generate: bytes =>
      jsonWithArray(
        bytes,
        {
          apiVersion: 'v1.0.0',
          kind: 'DataProduct',
          id: '7d0c1f6e-5b8a-4a57-9a55-2f1b9b7a0c11',
          name: 'Orders',
          status: 'active',
          domain: 'sales',
          tenant: 'acme',
          customProperties: [
            { property: 'akiliOwner', value: 'group:acme/orders-team' },
          ],
          outputPorts: ['PORTS'],
        },
        'PORTS',
        i =>
          JSON.stringify({
            name: `p${i}`,
            version: '1.0.0',
            contractId: `contract-${i}`,
          }),
        2,
      ),
  },
];

/** Every adversarial shape. */
export const ADVERSARIAL_SHAPES: readonly AdversarialShape[] = [
  ...yamlShapes,
  ...jsonShapes,
  ...standardsShapes,
];
