import { parseManifest } from '@akili/plugin-akili-common';
import { bumpVersion, editManifest } from './editManifest';

const MANIFEST = `# The data product manifest: what the portal validates, registers and deploys.
apiVersion: akili.io/v1alpha1
kind: DataProduct
metadata:
  name: daily-orders
  namespace: acme
spec:
  type: aggregate
  lifecycle: experimental
  owner: sales-analytics
  domain: sales
  version: 1.4.2 # raised by the edit template
  outputPorts:
    - name: orders
      kind: table
      location:
        table:
          catalog: iceberg_acme
          database: daily_orders
          table: orders
      schema:
        - name: id
          type: string
`;

describe('bumpVersion', () => {
  it.each([
    ['1.4.2', 'major', '2.0.0'],
    ['1.4.2', 'minor', '1.5.0'],
    ['1.4.2', 'patch', '1.4.3'],
    ['v0.9.9', 'minor', 'v0.10.0'],
    ['2.0.0-rc.1', 'patch', '2.0.1'],
  ] as const)('%s %s → %s', (version, bump, expected) => {
    expect(bumpVersion(version, bump)).toBe(expected);
  });

  it('refuses a version that is not semver', () => {
    expect(() => bumpVersion('latest', 'patch')).toThrow(
      "spec.version 'latest' is not a semver version",
    );
  });
});

describe('editManifest', () => {
  it('adds an output port next to the product’s tables and bumps the version, keeping comments', () => {
    const result = editManifest(MANIFEST, {
      addOutputPorts: [
        {
          name: 'order-lines',
          description: 'One row per line',
          columns: [
            { name: 'order_id', type: 'string' },
            { name: 'email', type: 'string', classification: 'pii' },
          ],
        },
      ],
      bump: 'minor',
    });
    expect(result.previousVersion).toBe('1.4.2');
    expect(result.version).toBe('1.5.0');
    expect(result.summary).toEqual([
      'Added output port order-lines (2 columns)',
      'Version 1.4.2 → 1.5.0 (minor)',
    ]);
    expect(result.text).toContain('# The data product manifest');
    expect(result.text).toContain(
      'version: 1.5.0 # raised by the edit template',
    );

    const parsed = parseManifest(result.text);
    expect(parsed.errors).toEqual([]);
    const [manifest] = parsed.manifests;
    expect(manifest.spec.outputPorts.map(p => p.name)).toEqual([
      'orders',
      'order-lines',
    ]);
    expect(manifest.spec.outputPorts[1]).toEqual({
      name: 'order-lines',
      description: 'One row per line',
      kind: 'table',
      location: {
        table: {
          catalog: 'iceberg_acme',
          database: 'daily_orders',
          table: 'order_lines',
        },
      },
      schema: [
        { name: 'order_id', type: 'string' },
        { name: 'email', type: 'string', classification: 'pii' },
      ],
    });
  });

  it('names the tenant’s catalog and the product’s database when there is no table yet', () => {
    const text = MANIFEST.replace(/ {2}outputPorts:[\s\S]*$/, '');
    const result = editManifest(text, {
      addOutputPorts: [
        { name: 'first', columns: [{ name: 'id', type: 'integer' }] },
      ],
    });
    expect(parseManifest(result.text).manifests[0].spec.outputPorts).toEqual([
      expect.objectContaining({
        location: {
          table: {
            catalog: 'iceberg_acme',
            database: 'daily_orders',
            table: 'first',
          },
        },
      }),
    ]);
    expect(result.version).toBe('1.4.2');
  });

  it('removes an output port (a breaking change the summary names)', () => {
    const withTwo = editManifest(MANIFEST, {
      addOutputPorts: [
        { name: 'extra', columns: [{ name: 'a', type: 'date' }] },
      ],
    }).text;
    const result = editManifest(withTwo, {
      removeOutputPorts: ['orders'],
      bump: 'major',
    });
    expect(result.summary).toEqual([
      'Removed output port orders (breaking for its consumers)',
      'Version 1.4.2 → 2.0.0 (major)',
    ]);
    expect(
      parseManifest(result.text).manifests[0].spec.outputPorts.map(p => p.name),
    ).toEqual(['extra']);
  });

  it('refuses a port that exists, a port to remove that does not, and an empty edit', () => {
    expect(() =>
      editManifest(MANIFEST, {
        addOutputPorts: [
          { name: 'orders', columns: [{ name: 'a', type: 'date' }] },
        ],
      }),
    ).toThrow(
      "the manifest already has an output port 'orders' (spec.outputPorts): choose another name",
    );
    expect(() =>
      editManifest(
        MANIFEST,
        { removeOutputPorts: ['nope'] },
        'dataproduct.yaml',
      ),
    ).toThrow(
      "dataproduct.yaml has no output port 'nope' to remove (it has orders)",
    );
    expect(() => editManifest(MANIFEST, {})).toThrow(
      'Nothing to change in the manifest',
    );
    expect(() =>
      editManifest(MANIFEST, { addOutputPorts: [{ name: 'x', columns: [] }] }),
    ).toThrow("Output port 'x' needs at least one column");
  });

  it('refuses text that is not YAML or not an Akili manifest, naming the file', () => {
    expect(() =>
      editManifest('a: [1\nb: 2', { bump: 'patch' }, 'dataproduct.yaml'),
    ).toThrow(/^dataproduct.yaml is not valid YAML \(line \d+\)/);
    expect(() =>
      editManifest('apiVersion: v1\nkind: Pod\nspec: {}\n', { bump: 'patch' }),
    ).toThrow('the manifest is not an Akili DataProduct manifest');
    expect(() =>
      editManifest(MANIFEST.replace(/ {2}version: .*\n/, ''), {
        bump: 'patch',
      }),
    ).toThrow('the manifest has no spec.version to bump');
  });
});
