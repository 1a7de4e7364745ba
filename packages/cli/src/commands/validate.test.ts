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

  it('names the contract an ODPS product misses, with its line', async () => {
    const source = fs.readFileSync(
      path.join(examples, 'initech/payments-ledger/payments-ledger.odps.yaml'),
      'utf8',
    );
    const file = write('alone/product.odps.yaml', source);
    const io = captureIo({}, dir);
    expect(await runValidate([file], { format: 'text' }, io)).toBe(
      ExitCode.Refused,
    );
    expect(io.stdout()).toMatch(
      /^alone\/product\.odps\.yaml:\d+:\d+: \$\.outputPorts\[0\]\.contractId: contract 'initech\.payments-ledger\.ledger_entries' of output port 'ledger_entries' was not provided/m,
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
