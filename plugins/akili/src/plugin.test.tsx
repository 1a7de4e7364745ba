import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import plugin from './index';
import {
  dataProductContractContent,
  dataProductLineageContent,
  dataProductOverviewCard,
  dataProductPortsContent,
  dataProductsPage,
  tenantsPage,
} from './plugin';
import { ordersEntity } from './__testUtils__/fixtures';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc' },
  spec: {},
};

describe('akili plugin', () => {
  it('is the default export with the akili plugin id', () => {
    expect(plugin.id).toBe('akili');
  });

  it('provides the extensions under their documented ids', () => {
    const ids = [
      'page:akili',
      'page:akili/tenants',
      'api:akili/tenants',
      'entity-card:akili/overview',
      'entity-content:akili/ports',
      'entity-content:akili/contract',
      'entity-content:akili/lineage',
      'scaffolder-form-field:akili/tenant-picker',
      'scaffolder-form-field:akili/product-name-picker',
      'scaffolder-form-field:akili/manifest-preview',
    ] as const;
    for (const id of ids) {
      const tester = createExtensionTester(plugin.getExtension(id));
      expect(tester.snapshot().id).toBe(id);
    }
  });

  it('mounts the marketplace at /data-products with a title for the sidebar', () => {
    const tester = createExtensionTester(dataProductsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/data-products');
    expect(tester.get(coreExtensionData.title)).toBe('Data Products');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('mounts tenant management at /tenants with a title and icon for the sidebar', () => {
    const tester = createExtensionTester(tenantsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/tenants');
    expect(tester.get(coreExtensionData.title)).toBe('Tenants');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  const contents = {
    ports: () => {
      const t = createExtensionTester(dataProductPortsContent);
      return [
        t.get(coreExtensionData.routePath),
        t.get(EntityContentBlueprint.dataRefs.filterFunction),
      ] as const;
    },
    contract: () => {
      const t = createExtensionTester(dataProductContractContent);
      return [
        t.get(coreExtensionData.routePath),
        t.get(EntityContentBlueprint.dataRefs.filterFunction),
      ] as const;
    },
    lineage: () => {
      const t = createExtensionTester(dataProductLineageContent);
      return [
        t.get(coreExtensionData.routePath),
        t.get(EntityContentBlueprint.dataRefs.filterFunction),
      ] as const;
    },
  };

  it.each(Object.entries(contents))(
    'mounts the %s tab for DataProduct entities only',
    (name, read) => {
      const [path, filter] = read();
      expect(path).toBe(name);
      expect(filter?.(ordersEntity)).toBe(true);
      expect(filter?.(component)).toBe(false);
    },
  );

  it('shows the overview card for DataProduct entities only', () => {
    const tester = createExtensionTester(dataProductOverviewCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(ordersEntity)).toBe(true);
    expect(filter?.(component)).toBe(false);
  });
});
