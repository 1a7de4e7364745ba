import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { testManifest } from '../__testUtils__/manifests';
import { ANNOTATION_MANIFEST_ERRORS } from '../providers/annotations';
import { DataProductProcessor } from './DataProductProcessor';

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
      owner: 'acme-sales-analytics',
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
        'dataproduct:acme/daily-revenue ownedBy group:default/acme-sales-analytics',
        'dataproduct:acme/daily-revenue partOf domain:default/sales',
        'dataproduct:acme/daily-revenue dependsOn dataproduct:acme/orders',
        'dataproduct:acme/orders dependencyOf dataproduct:acme/daily-revenue',
        'dataproduct:acme/daily-revenue dependsOn dataproduct:globex/shipments',
      ].sort(),
    );
    // Shared entities and other tenants' products are read by every tenant: the reverse
    // relations would list acme's products to them.
  });
});
