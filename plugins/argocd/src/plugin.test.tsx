import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import plugin from './index';
import { dataProductDeploymentContent } from './plugin';
import { ordersEntity } from './__testUtils__/fixtures';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc' },
  spec: {},
};

describe('argocd plugin', () => {
  it('is the default export with the argocd plugin id', () => {
    expect(plugin.id).toBe('argocd');
  });

  it('provides the extensions under their documented ids', () => {
    for (const id of [
      'api:argocd',
      'entity-content:argocd/deployment',
    ] as const) {
      const tester = createExtensionTester(plugin.getExtension(id));
      expect(tester.snapshot().id).toBe(id);
    }
  });

  it('adds the Deployment tab to DataProduct entities only', () => {
    const tester = createExtensionTester(dataProductDeploymentContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('deployment');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Deployment',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(ordersEntity)).toBe(true);
    expect(filter?.(component)).toBe(false);
  });
});
