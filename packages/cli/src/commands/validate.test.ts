import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureIo } from '../__testUtils__/captureIo';
import { ExitCode } from '../lib/io';
import { runValidate } from './validate';

const repoRoot = path.resolve(__dirname, '../../../..');
const examples = path.join(repoRoot, 'examples/data-products');

/** Every manifest file of the examples, relative to the repository root. */
function exampleFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (/\.(ya?ml|json)$/.test(entry.name)) {
        files.push(path.relative(repoRoot, full));
      }
    }
  };
  walk(examples);
  return files.sort();
}

const good = `apiVersion: akili.io/v1alpha1
kind: DataProduct
metadata:
  name: orders
  namespace: acme
spec:
  type: source-aligned
  lifecycle: production
  owner: acme-sales-analytics
  domain: sales
  outputPorts:
    - name: orders
      kind: table
      location:
        table: { catalog: iceberg_acme, database: sales, table: orders }
      schema:
        - name: order_id
          type: string
`;

describe('akili validate', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-validate-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  };

  it('accepts every example manifest, ODPS and ODCS file of the repository', async () => {
    const files = exampleFiles();
    expect(files.length).toBeGreaterThanOrEqual(17);
    expect(files.some(f => f.endsWith('.odps.yaml'))).toBe(true);
    expect(files.some(f => f.endsWith('.odcs.yaml'))).toBe(true);
    const io = captureIo({}, repoRoot);
    expect(await runValidate(files, { format: 'text' }, io)).toBe(ExitCode.Ok);
    expect(io.stderr()).toBe('');
    expect(io.stdout()).toContain(
      'examples/data-products/acme/orders/dataproduct.yaml: valid Akili manifest acme/orders',
    );
    expect(io.stdout()).toContain(
      `${files.length} files: ${files.length} valid`,
    );
  });

  it('reads an ODPS product alone with the ODCS contracts next to it', async () => {
    const io = captureIo({}, repoRoot);
    const file =
      'examples/data-products/initech/payments-ledger/payments-ledger.odps.yaml';
    expect(await runValidate([file], { format: 'text' }, io)).toBe(ExitCode.Ok);
    expect(io.stdout()).toContain(
      `${file}: valid ODPS product initech/payments-ledger`,
    );
  });

  it('warns about the contract an ODPS product misses, with its line: the registry resolves it on submission', async () => {
    const source = fs.readFileSync(
      path.join(examples, 'initech/payments-ledger/payments-ledger.odps.yaml'),
      'utf8',
    );
    const file = write('alone/product.odps.yaml', source);
    const io = captureIo({}, dir);
    expect(await runValidate([file], { format: 'text' }, io)).toBe(ExitCode.Ok);
    expect(io.stdout()).toMatch(
      /^alone\/product\.odps\.yaml:\d+:\d+: warning: \$\.outputPorts\[0\]\.contractId: contract 'initech\.payments-ledger\.ledger_entries' of output port 'ledger_entries' was not provided: .*registry/m,
    );
    expect(io.stdout()).toContain(
      'alone/product.odps.yaml: valid ODPS product initech/payments-ledger',
    );
  });

  it('accepts every official Bitol example (ODCS v3, ODPS v1) with zero errors, listing its warnings', async () => {
    const bitol = path.join(
      path.dirname(require.resolve('@akili/plugin-akili-common/package.json')),
      'src/standards/__fixtures__/bitol',
    );
    const files: string[] = [];
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.yaml')) files.push(full);
      }
    };
    walk(bitol);
    expect(files).toHaveLength(20);
    const io = captureIo({}, bitol);
    const relative = files.map(f => path.relative(bitol, f)).sort();
    expect(await runValidate(relative, { format: 'json' }, io)).toBe(
      ExitCode.Ok,
    );
    const answer = JSON.parse(io.stdout());
    expect(answer.valid).toBe(true);
    for (const result of answer.files) {
      expect({ file: result.file, errors: result.errors }).toEqual({
        file: result.file,
        errors: [],
      });
    }
    const byFile = new Map<string, any>(
      answer.files.map((r: any) => [r.file, r]),
    );
    // Several schema objects, several ports; a foreign engine's rules kept; no tenant, a warning.
    expect(
      byFile.get('odcs/schema/all-schema-types.odcs.yaml').products,
    ).toEqual(['default/my-quantum']);
    expect(
      byFile
        .get('odcs/quality/column-custom.odcs.yaml')
        .warnings.map((w: any) => w.path),
    ).toEqual([
      '$.tenant',
      '$.domain',
      '$.team',
      '$.schema[0].properties[0].quality[0].engine',
      '$.schema[0].properties[0].quality[1].engine',
    ]);
    expect(
      byFile.get('odps/customer-data-product.odps.yaml').warnings[0],
    ).toMatchObject({ path: '$.tenant', line: 8, column: 9 });

    // And as text: warnings with their place, then the verdict.
    const text = captureIo({}, bitol);
    expect(
      await runValidate(
        ['odcs/quality/column-custom.odcs.yaml'],
        { format: 'text' },
        text,
      ),
    ).toBe(ExitCode.Ok);
    expect(text.stdout()).toContain(
      "odcs/quality/column-custom.odcs.yaml:27:17: warning: $.schema[0].properties[0].quality[0].engine: Akili does not run rules of engine 'soda'",
    );
    expect(text.stdout()).toContain(
      'odcs/quality/column-custom.odcs.yaml: valid ODCS contract 53581432-6c55-4ba2-a65f-72344a91553a',
    );
  });

  it('refuses an ODCS document the official schema rejects, naming its path and line', async () => {
    const file = write(
      'bad.odcs.yaml',
      'apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\nschema:\n  - name: t\n    properties:\n      - name: c\n        logicalType: 42\n',
    );
    const io = captureIo({}, dir);
    expect(await runValidate([file], { format: 'text' }, io)).toBe(
      ExitCode.Refused,
    );
    expect(io.stdout()).toMatch(
      /^bad\.odcs\.yaml:10:22: \$\.schema\[0\]\.properties\[0\]\.logicalType: /m,
    );
  });

  it('prints <file>:<line>:<column>: <path>: <message> and exits 1 for a bad manifest', async () => {
    const bad = write(
      'bad.yaml',
      good
        .replace('lifecycle: production', 'lifecycle: forever')
        .replace('name: orders\n  namespace', 'name: Bad_Name\n  namespace'),
    );
    const ok = write('good.yaml', good);
    const io = captureIo({}, dir);
    expect(await runValidate([ok, bad], { format: 'text' }, io)).toBe(
      ExitCode.Refused,
    );
    const lines = io.stdout().trim().split('\n');
    expect(lines[0]).toBe('good.yaml: valid Akili manifest acme/orders');
    expect(lines).toContainEqual(
      expect.stringMatching(/^bad\.yaml:4:9: \$\.metadata\.name: .+/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^bad\.yaml:8:14: \$\.spec\.lifecycle: .+/),
    );
    expect(io.stderr()).toMatch(
      /2 files: 1 valid, 1 invalid \(\d+ problems?\)/,
    );
  });

  it('reports text that is no YAML with its line', async () => {
    const file = write(
      'broken.yaml',
      'apiVersion: akili.io/v1alpha1\nkind: [\n',
    );
    const io = captureIo({}, dir);
    expect(await runValidate([file], { format: 'text' }, io)).toBe(
      ExitCode.Refused,
    );
    expect(io.stdout()).toMatch(/^broken\.yaml:\d+:\d+: \$: /m);
  });

  it('reports a document that is no manifest', async () => {
    const file = write('other.yaml', 'apiVersion: v1\nkind: ConfigMap\n');
    const io = captureIo({}, dir);
    expect(await runValidate([file], { format: 'text' }, io)).toBe(
      ExitCode.Refused,
    );
    expect(io.stdout()).toMatch(
      /^other\.yaml:2:7: \$\.kind: not a data product manifest/m,
    );
  });

  it('exits 2 for a missing file or a directory, and still validates the others', async () => {
    const ok = write('good.yaml', good);
    fs.mkdirSync(path.join(dir, 'folder'));
    const io = captureIo({}, dir);
    expect(
      await runValidate([ok, 'missing.yaml', 'folder'], { format: 'text' }, io),
    ).toBe(ExitCode.Usage);
    expect(io.stdout()).toContain('good.yaml: valid');
    expect(io.stderr()).toContain('missing.yaml: cannot read: no such file');
    expect(io.stderr()).toContain('folder: cannot read: is a directory');
    expect(io.stderr()).toContain('3 files: 1 valid, 2 unreadable');
  });

  it('reports an oversized file with the portal limit, without reading it whole', async () => {
    const file = write(
      'huge.yaml',
      `${good}# ${'x'.repeat(2 * 1024 * 1024)}\n`,
    );
    const io = captureIo({}, dir);
    expect(await runValidate([file], { format: 'text' }, io)).toBe(
      ExitCode.Refused,
    );
    expect(io.stdout()).toMatch(
      /huge\.yaml: \$: .*at least 1048577 bytes, larger than the limit of 1048576 bytes/,
    );
  });

  it('answers JSON for machines', async () => {
    const bad = write(
      'bad.json',
      JSON.stringify(
        {
          apiVersion: 'akili.io/v1alpha1',
          kind: 'DataProduct',
          metadata: { name: 'x' },
        },
        null,
        2,
      ),
    );
    const io = captureIo({}, dir);
    expect(
      await runValidate([bad, 'missing.yaml'], { format: 'json' }, io),
    ).toBe(ExitCode.Usage);
    const answer = JSON.parse(io.stdout());
    expect(answer.valid).toBe(false);
    expect(answer.files).toEqual([
      expect.objectContaining({
        file: 'bad.json',
        valid: false,
        kind: 'akili',
        errors: expect.arrayContaining([
          {
            path: '$.metadata.namespace',
            line: 4,
            column: 15,
            message: "missing required field 'namespace'",
          },
        ]),
      }),
      expect.objectContaining({
        file: 'missing.yaml',
        unreadable: 'no such file',
      }),
    ]);
  });
});
