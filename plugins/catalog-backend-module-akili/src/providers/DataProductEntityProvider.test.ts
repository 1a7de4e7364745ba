import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { MAX_MANIFEST_BYTES } from '@akili/plugin-akili-common';
import { testManifestYaml } from '../__testUtils__/manifests';
import {
  ANNOTATION_MANIFEST_ERRORS,
  ANNOTATION_MANIFEST_SOURCE,
} from './annotations';
import { DataProductEntityProvider } from './DataProductEntityProvider';
import { FolderManifestSource } from './FolderManifestSource';
import { readManifestFile } from './FolderManifestSource';

function recordingConnection() {
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    applyMutation: async m => {
      mutations.push(m);
    },
    refresh: async () => {},
  };
  return { connection, mutations };
}

function refsOf(entities: { entity: Entity }[]) {
  return entities.map(e => stringifyEntityRef(e.entity)).sort();
}

// The first validation compiles the manifest schemas, which is slow on a busy machine.
jest.setTimeout(90_000);

describe('DataProductEntityProvider with a folder', () => {
  let dir: string;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-provider-'));
    write('acme/orders/dataproduct.yaml', testManifestYaml('acme', 'orders'));
    write(
      'acme/revenue/dataproduct.yaml',
      testManifestYaml('acme', 'revenue', {
        inputs: [{ product: 'orders', port: 'main' }],
      }),
    );
    write('globex/fleet/dataproduct.yaml', testManifestYaml('globex', 'fleet'));
    write('acme/orders/README.md', 'not a manifest');
    write('.hidden/dataproduct.yaml', 'ignored: true');
  });

  async function connected() {
    const { connection, mutations } = recordingConnection();
    const provider = new DataProductEntityProvider(
      'test',
      new FolderManifestSource(dir),
      mockServices.logger.mock(),
    );
    await provider.connect(connection);
    return { provider, mutations };
  }

  it('provides every valid manifest in a full mutation', async () => {
    const { provider, mutations } = await connected();
    const summary = await provider.refresh();
    expect(summary).toMatchObject({
      type: 'full',
      entities: 3,
      invalidFiles: [],
    });
    const [m] = mutations;
    expect(m.type).toBe('full');
    expect(refsOf((m as any).entities)).toEqual([
      'dataproduct:acme/orders',
      'dataproduct:acme/revenue',
      'dataproduct:globex/fleet',
    ]);
    const orders = (m as any).entities.find(
      (e: any) => e.entity.metadata.name === 'orders',
    );
    expect(orders.locationKey).toBe('akili-data-products:test');
    expect(orders.entity.metadata.annotations[ANNOTATION_MANIFEST_SOURCE]).toBe(
      path.join(dir, 'acme/orders/dataproduct.yaml'),
    );
    expect(
      orders.entity.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe(`file:${path.join(dir, 'acme/orders/dataproduct.yaml')}`);
  });

  it('keeps a product whose file turns bad, marked as failing, without touching the others', async () => {
    const { provider, mutations } = await connected();
    await provider.refresh();

    // Not even YAML any more: the ref comes from what the file held before.
    write(
      'acme/orders/dataproduct.yaml',
      'metadata: [unclosed\n  name: orders',
    );
    // Still YAML and still naming itself, but invalid.
    write(
      'globex/fleet/dataproduct.yaml',
      testManifestYaml('globex', 'fleet').replace(
        'type: source-aligned',
        'type: 42',
      ),
    );
    const summary = await provider.refresh();

    expect(summary.entities).toBe(3);
    expect(
      summary.invalidFiles.map(f => path.relative(dir, f.target)).sort(),
    ).toEqual([
      'acme/orders/dataproduct.yaml',
      'globex/fleet/dataproduct.yaml',
    ]);
    const entities = (mutations[1] as any).entities as { entity: Entity }[];
    expect(refsOf(entities)).toEqual([
      'dataproduct:acme/orders',
      'dataproduct:acme/revenue',
      'dataproduct:globex/fleet',
    ]);
    const errorsOf = (name: string) =>
      entities.find(e => e.entity.metadata.name === name)!.entity.metadata
        .annotations?.[ANNOTATION_MANIFEST_ERRORS];
    expect(errorsOf('orders')).toMatch(/line \d+/);
    expect(errorsOf('fleet')).toContain('$.spec.type');
    expect(errorsOf('revenue')).toBeUndefined();
  });

  it('drops a product whose file was deleted and reports oversized files', async () => {
    const { provider, mutations } = await connected();
    await provider.refresh();
    fs.rmSync(path.join(dir, 'globex'), { recursive: true });
    write(
      'acme/huge/dataproduct.yaml',
      `# ${'x'.repeat(MAX_MANIFEST_BYTES + 10)}\n`,
    );
    const summary = await provider.refresh();
    expect(refsOf((mutations[1] as any).entities)).toEqual([
      'dataproduct:acme/orders',
      'dataproduct:acme/revenue',
    ]);
    expect(summary.invalidFiles).toHaveLength(1);
    expect(summary.invalidFiles[0].problems[0].message).toMatch(
      /larger than the \d+-byte limit/,
    );
  });

  it('applies changed and removed files as a delta', async () => {
    const { provider, mutations } = await connected();
    await provider.refresh();
    const file = path.join(dir, 'acme/orders/dataproduct.yaml');
    fs.writeFileSync(
      file,
      testManifestYaml('acme', 'orders', { title: 'Orders v2' }),
    );
    await provider.applyChanges(
      [await readManifestFile(file)],
      [path.join(dir, 'globex/fleet/dataproduct.yaml')],
    );
    const delta = mutations[1];
    expect(delta.type).toBe('delta');
    if (delta.type !== 'delta') throw new Error('unreachable');
    expect(delta.added.map(a => a.entity.metadata.title)).toEqual([
      'Orders v2',
    ]);
    expect(delta.removed).toEqual([
      {
        entityRef: 'dataproduct:globex/fleet',
        locationKey: 'akili-data-products:test',
      },
    ]);
  });

  it('rejects a second file defining the same product', async () => {
    write(
      'acme/orders-copy/dataproduct.yaml',
      testManifestYaml('acme', 'orders'),
    );
    const { provider } = await connected();
    const summary = await provider.refresh();
    expect(summary.entities).toBe(3);
    expect(summary.invalidFiles[0].problems[0].message).toContain(
      'dataproduct:acme/orders is already defined by',
    );
  });
});
