import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { testManifest } from '../__testUtils__/manifests';
import { ANNOTATION_MANIFEST_ERRORS } from '../providers/annotations';
import { DataProductProcessor } from './DataProductProcessor';
import { ConfigSharedOwnerGroups } from './owners';

const location = {
  type: 'url',
  target: 'https://example.com/dataproduct.yaml',
};

async function relationsOf(entity: Entity) {
  const emitted: CatalogProcessorResult[] = [];
  await new DataProductProcessor().postProcessEntity(entity, location, r =>
    emitted.push(r),
  );
  return emitted.flatMap(r =>
    r.type === 'relation'
      ? [
          `${r.relation.source.kind.toLocaleLowerCase('en-US')}:${
            r.relation.source.namespace
          }/${r.relation.source.name} ${
            r.relation.type
          } ${r.relation.target.kind.toLocaleLowerCase('en-US')}:${
            r.relation.target.namespace
          }/${r.relation.target.name}`,
        ]
      : [],
  );
}

// The first validation compiles the manifest schemas, which is slow on a busy machine.
jest.setTimeout(90_000);

describe('DataProductProcessor', () => {
  const processor = new DataProductProcessor();

  it('accepts a valid DataProduct and ignores other kinds', async () => {
    await expect(
      processor.validateEntityKind(testManifest('acme', 'orders') as Entity),
    ).resolves.toBe(true);
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
      }),
    ).resolves.toBe(false);
  });

  it("selects a product's workloads by its product label unless the manifest names its own", async () => {
    const product = testManifest('acme', 'orders') as Entity;
    const processed = await processor.preProcessEntity(product);
    expect(
      processed.metadata.annotations?.[
        'backstage.io/kubernetes-label-selector'
      ],
    ).toBe('akili.io/product=orders');
    const own = {
      ...product,
      metadata: {
        ...product.metadata,
        annotations: { 'backstage.io/kubernetes-id': 'orders-api' },
      },
    } as Entity;
    expect(
      (await processor.preProcessEntity(own)).metadata.annotations,
    ).toEqual({ 'backstage.io/kubernetes-id': 'orders-api' });
    const component = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
    };
    expect(await processor.preProcessEntity(component)).toBe(component);
  });

  it('rejects an invalid DataProduct, naming the path of each problem', async () => {
    const bad = testManifest('acme', 'orders') as any;
    bad.spec.outputPorts.push({ ...bad.spec.outputPorts[0] }); // duplicate port name
    bad.spec.type = 'mystery';
    await expect(processor.validateEntityKind(bad)).rejects.toThrow(
      /\$\.spec\.type/,
    );
    await expect(processor.validateEntityKind(bad)).rejects.toThrow(
      /DataProduct acme\/orders is invalid/,
    );
  });

  it('turns a provider failure marker into an error', async () => {
    const marked = testManifest('acme', 'orders') as any;
    marked.metadata.annotations = {
      [ANNOTATION_MANIFEST_ERRORS]:
        'Manifest x is invalid: $.spec (line 3): broken',
    };
    await expect(processor.validateEntityKind(marked)).rejects.toThrow(
      'Manifest x is invalid: $.spec (line 3): broken',
    );
  });

  it('emits ownership, domain and lineage relations, reverse ones only inside the tenant', async () => {
    const entity = testManifest('acme', 'daily-revenue', {
      owner: 'sales-analytics',
      domain: 'sales',
      inputs: [
        { product: 'orders', port: 'main' },
        { product: 'globex/shipments', port: 'main' },
        { product: 'dataproduct:acme/orders', port: 'other' }, // same upstream twice: one relation
      ],
    }) as Entity;
    const relations = await relationsOf(entity);
    expect(relations.sort()).toEqual(
      [
        // Owner short names resolve in the product's tenant: its own team, so both directions.
        'dataproduct:acme/daily-revenue ownedBy group:acme/sales-analytics',
        'group:acme/sales-analytics ownerOf dataproduct:acme/daily-revenue',
        'dataproduct:acme/daily-revenue partOf domain:default/sales',
        'dataproduct:acme/daily-revenue dependsOn dataproduct:acme/orders',
        'dataproduct:acme/orders dependencyOf dataproduct:acme/daily-revenue',
        'dataproduct:acme/daily-revenue dependsOn dataproduct:globex/shipments',
      ].sort(),
    );
    // Shared entities and other tenants' products are read by every tenant: the reverse
    // relations would list acme's products to them.
  });

  it("refuses an owner that is not a group of the product's tenant, naming it", async () => {
    for (const [owner, message] of [
      [
        'group:globex/fleet',
        "owner 'group:globex/fleet' (group:globex/fleet) is not a group of tenant 'acme'",
      ],
      [
        'default/akili-platform',
        "owner 'default/akili-platform' (group:default/akili-platform) is not a group of tenant 'acme'",
      ],
      // (the manifest validator may already refuse a user; either way it is refused)
      ['user:default/guest', '$.spec.owner'],
    ]) {
      const entity = testManifest('acme', 'orders', { owner }) as Entity;
      await expect(processor.validateEntityKind(entity)).rejects.toThrow(
        message,
      );
    }
    await expect(
      processor.validateEntityKind(
        testManifest('acme', 'orders', {
          owner: 'group:acme/sales-analytics',
        }) as Entity,
      ),
    ).resolves.toBe(true);
  });

  it('accepts a shared owner group the tenancy allows, without listing the product on it', async () => {
    const shared = new DataProductProcessor({
      sharedOwnerGroups: ConfigSharedOwnerGroups.fromConfig(
        new ConfigReader({
          akili: { tenancy: { sharedOwnerGroups: ['akili-platform'] } },
        }),
      ),
    });
    const entity = testManifest('acme', 'orders', {
      owner: 'group:default/akili-platform',
    }) as Entity;
    await expect(shared.validateEntityKind(entity)).resolves.toBe(true);
    await expect(
      shared.validateEntityKind(
        testManifest('acme', 'orders', {
          owner: 'group:globex/fleet',
        }) as Entity,
      ),
    ).rejects.toThrow(
      "is not a group of tenant 'acme': a product is owned by a group of its own tenant or a shared owner group (group:default/akili-platform)",
    );
    expect(
      (await relationsOf(entity)).filter(r => r.includes('akili-platform')),
    ).toEqual(['dataproduct:acme/orders ownedBy group:default/akili-platform']);
  });

  it('refuses a shared owner group configuration that is not a group', () => {
    expect(() =>
      ConfigSharedOwnerGroups.fromConfig(
        new ConfigReader({
          akili: { tenancy: { sharedOwnerGroups: ['user:default/ada'] } },
        }),
      ),
    ).toThrow(
      'akili.tenancy.sharedOwnerGroups[0] "user:default/ada" is not a group',
    );
  });

  it('refuses a product in a namespace that is no tenant (default, akili)', async () => {
    for (const namespace of ['default', 'akili']) {
      await expect(
        processor.validateEntityKind(
          testManifest(namespace, 'orders', {
            owner: `group:${namespace}/team`,
          }) as Entity,
        ),
      ).rejects.toThrow(
        `$.metadata.namespace: namespace '${namespace}' is not a tenant`,
      );
    }
  });
});
