import { createExtensionTester } from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import plugin from './index';
import { storagePage } from './plugin';
import { hasFilePorts } from './lib/entity';
import { churnEntity } from './__testUtils__/fixtures';

describe('lake plugin', () => {
  it('provides the extensions under their documented ids', () => {
    expect(plugin.id).toBe('lake');
    for (const id of [
      'api:lake',
      'page:lake/storage',
      'page:lake/agreements',
      'entity-content:lake/files',
      'entity-content:lake/access',
      'entity-card:lake/input-access',
    ] as const) {
      expect(createExtensionTester(plugin.getExtension(id)).snapshot().id).toBe(
        id,
      );
    }
  });

  it('mounts the Storage page at /lake/storage as a sidebar item', () => {
    const page = createExtensionTester(storagePage);
    expect(page.get(coreExtensionData.routePath)).toBe('/lake/storage');
    expect(page.get(coreExtensionData.title)).toBe('Storage');
  });

  it('shows the Files tab only on data products with a files output port', () => {
    expect(hasFilePorts(churnEntity)).toBe(true);
    const spec = churnEntity.spec as { outputPorts: Array<{ kind: string }> };
    expect(
      hasFilePorts({
        ...churnEntity,
        spec: {
          ...spec,
          outputPorts: spec.outputPorts.filter(p => p.kind !== 'files'),
        },
      }),
    ).toBe(false);
    expect(hasFilePorts({ ...churnEntity, kind: 'Component' })).toBe(false);
    expect(hasFilePorts({ ...churnEntity, spec: {} })).toBe(false);
    // An S3 location makes a files port even when its kind says otherwise.
    expect(
      hasFilePorts({
        ...churnEntity,
        spec: {
          outputPorts: [
            {
              name: 'raw',
              kind: 'table',
              location: { s3: { bucket: 'b', prefix: 'p/' } },
            },
          ],
        },
      }),
    ).toBe(true);
  });
});
