import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import plugin from './index';
import { dataProductRunsContent, runPage, runsPage } from './plugin';
import { ordersEntity } from './__testUtils__/renderEntity';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc' },
  spec: {},
};

describe('dagster plugin', () => {
  it('is the default export with the dagster plugin id', () => {
    expect(plugin.id).toBe('dagster');
  });

  it('provides the extensions under their documented ids', () => {
    for (const id of [
      'api:dagster/runs',
      'page:dagster',
      'page:dagster/run',
      'entity-content:dagster/runs',
    ] as const) {
      const tester = createExtensionTester(plugin.getExtension(id));
      expect(tester.snapshot().id).toBe(id);
    }
  });

  it('mounts the operators page at /runs as a sidebar item and the run page below it', () => {
    const runs = createExtensionTester(runsPage);
    expect(runs.get(coreExtensionData.routePath)).toBe('/runs');
    expect(runs.get(coreExtensionData.title)).toBe('Runs');
    expect(runs.get(coreExtensionData.icon)).toBeDefined();
    expect(
      createExtensionTester(runPage).get(coreExtensionData.routePath),
    ).toBe('/runs/:runId');
  });

  it('adds the Runs tab to DataProduct entities only', () => {
    const tester = createExtensionTester(dataProductRunsContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('runs');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Runs');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(ordersEntity)).toBe(true);
    expect(filter?.(component)).toBe(false);
  });
});
