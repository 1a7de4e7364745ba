import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import plugin from './index';
import {
  dashboardPage,
  dataProductQualityCard,
  dataProductQualityContent,
  incidentPage,
  incidentsPage,
} from './plugin';
import { ordersEntity } from './__testUtils__/renderEntity';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc' },
  spec: {},
};

describe('quality plugin', () => {
  it('is the default export with the quality plugin id', () => {
    expect(plugin.id).toBe('quality');
  });

  it('provides the extensions under their documented ids', () => {
    for (const id of [
      'api:quality',
      'page:quality',
      'page:quality/incidents',
      'page:quality/incident',
      'entity-content:quality/quality',
      'entity-card:quality/summary',
    ] as const) {
      const tester = createExtensionTester(plugin.getExtension(id));
      expect(tester.snapshot().id).toBe(id);
    }
  });

  it('mounts the dashboard and the incident queue as sidebar items, the incident page below', () => {
    const dashboard = createExtensionTester(dashboardPage);
    expect(dashboard.get(coreExtensionData.routePath)).toBe('/quality');
    expect(dashboard.get(coreExtensionData.title)).toBe('Quality');
    const queue = createExtensionTester(incidentsPage);
    expect(queue.get(coreExtensionData.routePath)).toBe('/incidents');
    expect(queue.get(coreExtensionData.title)).toBe('Incidents');
    expect(queue.get(coreExtensionData.icon)).toBeDefined();
    expect(
      createExtensionTester(incidentPage).get(coreExtensionData.routePath),
    ).toBe('/incidents/:tenant/:incidentId');
  });

  it('adds the Quality tab and card to DataProduct entities only', () => {
    const tab = createExtensionTester(dataProductQualityContent);
    expect(tab.get(coreExtensionData.routePath)).toBe('quality');
    expect(tab.get(EntityContentBlueprint.dataRefs.title)).toBe('Quality');
    const tabFilter = tab.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(tabFilter?.(ordersEntity)).toBe(true);
    expect(tabFilter?.(component)).toBe(false);

    const card = createExtensionTester(dataProductQualityCard);
    const cardFilter = card.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(cardFilter?.(ordersEntity)).toBe(true);
    expect(cardFilter?.(component)).toBe(false);
  });
});
