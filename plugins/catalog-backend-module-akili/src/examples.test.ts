import fs from 'node:fs';
import path from 'node:path';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { DataProductManifest } from '@akili/plugin-akili-common';
import { parseAllDocuments } from 'yaml';
import { DataProductProcessor } from './processor/DataProductProcessor';
import { productOwnerRef } from './processor/owners';
import { FolderManifestSource } from './providers/FolderManifestSource';
import { manifestsToEntities } from './providers/manifestsToEntities';

// The first validation compiles the manifest schemas, which is slow on a busy machine.
jest.setTimeout(90_000);

const examples = path.resolve(__dirname, '../../../examples');

describe('the example data products', () => {
  it("load as a folder per tenant, each valid and owned by a team of its own tenant's namespace", async () => {
    const scan = await new FolderManifestSource({
      folder: path.join(examples, 'data-products'),
    }).listFiles();
    const { entities, problems } = await manifestsToEntities(scan.files, {
      knownRefs: new Map(),
    });
    expect(problems).toEqual([]);
    expect(entities).toHaveLength(15);

    const groups = new Set(
      parseAllDocuments(
        fs.readFileSync(path.join(examples, 'org.yaml'), 'utf8'),
      )
        .map(d => d.toJS())
        .filter(d => d?.kind === 'Group')
        .map(d => stringifyEntityRef(d)),
    );
    const processor = new DataProductProcessor();
    for (const entity of entities) {
      await expect(processor.validateEntityKind(entity)).resolves.toBe(true);
      const owner = productOwnerRef(
        (entity as unknown as DataProductManifest).spec.owner,
        entity.metadata.namespace!,
      );
      expect(owner.namespace).toBe(entity.metadata.namespace);
      expect(groups).toContain(stringifyEntityRef(owner));
    }
  });
});
