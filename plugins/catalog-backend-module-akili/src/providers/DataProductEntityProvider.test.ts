import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { MAX_MANIFEST_BYTES } from '@akili/plugin-akili-common';
import {
  paymentsLedgerFiles,
  testManifestYaml,
} from '../__testUtils__/manifests';
import {
  ANNOTATION_MANIFEST_ERRORS,
  ANNOTATION_MANIFEST_SOURCE,
} from './annotations';
import { DataProductEntityProvider } from './DataProductEntityProvider';
import { parseOnThisThread } from './manifestsToEntities';
import { FolderManifestSource, readManifestFile } from './FolderManifestSource';

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
    const provider = new DataProductEntityProvider({
      id: 'test',
      source: new FolderManifestSource({ folder: dir }),
      logger: mockServices.logger.mock(),
    });
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
    await provider.applyChanges({
      tenant: 'acme',
      changed: [await readManifestFile(file, 'acme')],
      removedTargets: [path.join(dir, 'acme/revenue/dataproduct.yaml')],
    });
    const delta = mutations[1];
    expect(delta.type).toBe('delta');
    if (delta.type !== 'delta') throw new Error('unreachable');
    expect(delta.added.map(a => a.entity.metadata.title)).toEqual([
      'Orders v2',
    ]);
    expect(delta.removed).toEqual([
      {
        entityRef: 'dataproduct:acme/revenue',
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

  it("binds each file to its tenant's folder: a file claiming another tenant's product is refused", async () => {
    // Read before globex's own file (sorted), so it would win a first-come race.
    write(
      'acme/liar/dataproduct.yaml',
      testManifestYaml('globex', 'fleet', { title: 'Forged' }),
    );
    write('stray.dataproduct.yaml', 'not picked up');
    write('dataproduct.yaml', testManifestYaml('acme', 'stray'));
    // Folders named like the shared namespaces are no tenant's.
    write(
      'default/shared/dataproduct.yaml',
      testManifestYaml('default', 'shared'),
    );
    write('akili/roles/dataproduct.yaml', testManifestYaml('akili', 'roles'));
    // A link to another tenant's file is not followed.
    fs.mkdirSync(path.join(dir, 'acme/link'));
    fs.symlinkSync(
      path.join(dir, 'globex/fleet/dataproduct.yaml'),
      path.join(dir, 'acme/link/dataproduct.yaml'),
    );
    const { provider, mutations } = await connected();
    const summary = await provider.refresh();
    const entities = (mutations[0] as any).entities as { entity: Entity }[];
    const fleet = entities.find(
      e => stringifyEntityRef(e.entity) === 'dataproduct:globex/fleet',
    )!.entity;
    expect(fleet.metadata.title).toBe('Product fleet');
    expect(fleet.metadata.annotations?.[ANNOTATION_MANIFEST_SOURCE]).toBe(
      path.join(dir, 'globex/fleet/dataproduct.yaml'),
    );
    expect(fleet.metadata.annotations?.[ANNOTATION_MANIFEST_ERRORS]).toBe(
      undefined,
    );
    expect(
      summary.invalidFiles
        .map(f => `${path.relative(dir, f.target)}: ${f.problems[0].message}`)
        .sort(),
    ).toEqual([
      `acme/liar/dataproduct.yaml: ${path.join(
        dir,
        'acme/liar/dataproduct.yaml',
      )} claims namespace 'globex', but its source is tenant 'acme': a manifest's namespace must be the tenant of the place it comes from`,
      `akili/roles/dataproduct.yaml: ${path.join(
        dir,
        'akili/roles/dataproduct.yaml',
      )} is not in a tenant's place of its source (a tenant's folder or a tenant's GitLab subgroup), so it belongs to no tenant`,
      `dataproduct.yaml: ${path.join(
        dir,
        'dataproduct.yaml',
      )} is not in a tenant's place of its source (a tenant's folder or a tenant's GitLab subgroup), so it belongs to no tenant`,
      `default/shared/dataproduct.yaml: ${path.join(
        dir,
        'default/shared/dataproduct.yaml',
      )} is not in a tenant's place of its source (a tenant's folder or a tenant's GitLab subgroup), so it belongs to no tenant`,
    ]);
    // (acme/fleet: the liar's refusal, shown on the name in its own tenant)
    expect(refsOf(entities)).toEqual([
      'dataproduct:acme/fleet',
      'dataproduct:acme/orders',
      'dataproduct:acme/revenue',
      'dataproduct:globex/fleet',
    ]);
  });

  it('reads a folder configured for one tenant as that tenant only', async () => {
    const { connection, mutations } = recordingConnection();
    const provider = new DataProductEntityProvider({
      id: 'acme-only',
      source: new FolderManifestSource({
        folder: path.join(dir, 'globex'),
        tenant: 'acme',
      }),
      logger: mockServices.logger.mock(),
    });
    await provider.connect(connection);
    const summary = await provider.refresh();
    // Only a failing marker in acme's namespace, which the processor turns into the error.
    const entities = (mutations[0] as any).entities as { entity: Entity }[];
    expect(refsOf(entities)).toEqual(['dataproduct:acme/fleet']);
    expect(
      entities[0].entity.metadata.annotations?.[ANNOTATION_MANIFEST_ERRORS],
    ).toContain("claims namespace 'globex'");
    expect(summary.invalidFiles[0].problems[0].message).toContain(
      "claims namespace 'globex', but its source is tenant 'acme'",
    );
  });

  it("reads an ODPS product claiming another tenant into its folder's tenant, logging the warning", async () => {
    for (const [name, text] of Object.entries(paymentsLedgerFiles())) {
      // initech's documents (their Dagster code location made acme's) in acme's folder.
      write(
        `acme/ledger/${name}`,
        text.replace(
          'codeLocation: initech_payments_ledger',
          'codeLocation: acme_payments_ledger',
        ),
      );
    }
    const logger = mockServices.logger.mock();
    // The provider logs through its own child logger.
    logger.child.mockReturnValue(logger);
    const { connection, mutations } = recordingConnection();
    const provider = new DataProductEntityProvider({
      id: 'test',
      source: new FolderManifestSource({ folder: dir }),
      logger,
    });
    await provider.connect(connection);
    const summary = await provider.refresh();
    expect(summary.invalidFiles).toEqual([]);
    const entities = (mutations[0] as any).entities as { entity: Entity }[];
    expect(refsOf(entities)).toContain('dataproduct:acme/payments-ledger');
    expect(refsOf(entities)).not.toContain(
      'dataproduct:initech/payments-ledger',
    );
    const odps = path.join(dir, 'acme/ledger/payments-ledger.odps.yaml');
    const warning =
      "tenant 'initech' is not the tenant of the document's source: it belongs to tenant 'acme'";
    expect(
      summary.warnedFiles
        .find(f => f.target === odps)
        ?.problems.map(p => p.message),
    ).toContain(warning);
    expect(logger.warn).toHaveBeenCalledWith(
      'Read a data product manifest with warnings',
      expect.objectContaining({
        file: odps,
        warnings: expect.stringContaining(warning),
      }),
    );
  });

  it("keeps the products of a tenant's folder that cannot be listed, and goes on with the others", async () => {
    const { provider, mutations } = await connected();
    await provider.refresh();
    fs.rmSync(path.join(dir, 'globex'), { recursive: true });
    write('initech/risk/dataproduct.yaml', testManifestYaml('initech', 'risk'));
    const unreadable = path.join(dir, 'acme', 'revenue');
    const readdir = fsp.readdir;
    const spy = jest.spyOn(fsp, 'readdir').mockImplementation((async (
      p: string,
      o: any,
    ) => {
      if (p === unreadable) {
        throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      }
      return readdir(p, o);
    }) as any);
    try {
      const summary = await provider.refresh();
      expect(summary.unreadablePlaces).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(refsOf((mutations[1] as any).entities)).toEqual([
      'dataproduct:acme/orders',
      'dataproduct:acme/revenue',
      'dataproduct:initech/risk',
    ]);
  });

  it("never lets a delta of one tenant add, replace or remove another tenant's product", async () => {
    const { provider, mutations } = await connected();
    await provider.refresh();
    const forged = path.join(dir, 'acme/forged/dataproduct.yaml');
    write(
      'acme/forged/dataproduct.yaml',
      testManifestYaml('globex', 'fleet', { title: 'Forged' }),
    );
    const summary = await provider.applyChanges({
      tenant: 'acme',
      changed: [
        await readManifestFile(forged, 'acme'),
        // A source that mislabels a file: still refused, the delta is acme's.
        await readManifestFile(
          path.join(dir, 'globex/fleet/dataproduct.yaml'),
          'globex',
        ),
      ],
      removedTargets: [path.join(dir, 'globex/fleet/dataproduct.yaml')],
    });
    const delta = mutations[1];
    if (delta.type !== 'delta') throw new Error('expected a delta');
    expect(
      delta.added.filter(a => a.entity.metadata.namespace === 'globex'),
    ).toEqual([]);
    expect(delta.removed).toEqual([]);
    expect(summary.invalidFiles).toHaveLength(2);
  });

  it('keys contracts by tenant across deltas too', async () => {
    for (const [name, text] of Object.entries(paymentsLedgerFiles())) {
      write(`initech/payments-ledger/${name}`, text);
    }
    const { provider, mutations } = await connected();
    await provider.refresh();
    // Another tenant pushes a contract with initech's id, then initech's product is re-read.
    write(
      'zeta/x/ledger-entries.odcs.yaml',
      paymentsLedgerFiles('zeta')['ledger-entries.odcs.yaml'].replace(
        'description: UUID of the entry.',
        'description: FOREIGN',
      ),
    );
    await provider.applyChanges({
      tenant: 'zeta',
      changed: [
        await readManifestFile(
          path.join(dir, 'zeta/x/ledger-entries.odcs.yaml'),
          'zeta',
        ),
      ],
      removedTargets: [],
    });
    await provider.applyChanges({
      tenant: 'initech',
      changed: [
        await readManifestFile(
          path.join(dir, 'initech/payments-ledger/payments-ledger.odps.yaml'),
          'initech',
        ),
      ],
      removedTargets: [],
    });
    const delta = mutations[2];
    if (delta.type !== 'delta') throw new Error('expected a delta');
    expect(delta.added.map(a => stringifyEntityRef(a.entity))).toEqual([
      'dataproduct:initech/payments-ledger',
    ]);
    expect(
      delta.added[0].entity.metadata.annotations?.[ANNOTATION_MANIFEST_ERRORS],
    ).toBe(undefined);
    expect(JSON.stringify(delta.added[0].entity)).not.toContain('FOREIGN');
  });

  it("parses through the backend's manifest parser when given one, and keeps everything while it is unavailable", async () => {
    const { connection, mutations } = recordingConnection();
    const parse = jest.fn(parseOnThisThread);
    const provider = new DataProductEntityProvider({
      id: 'test',
      source: new FolderManifestSource({ folder: dir }),
      logger: mockServices.logger.mock(),
      parser: { parse },
    });
    await provider.connect(connection);
    await provider.refresh();
    expect(parse).toHaveBeenCalledTimes(3);
    expect(refsOf((mutations[0] as any).entities)).toHaveLength(3);

    parse.mockRejectedValue(
      Object.assign(new Error('Too many manifests are waiting'), {
        name: 'ServiceUnavailableError',
      }),
    );
    await expect(provider.refresh()).rejects.toThrow(
      'Too many manifests are waiting',
    );
    expect(mutations).toHaveLength(1); // no mutation: the catalog keeps what it has
  });
});
