import { createExtensionTester } from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import plugin from './index';
import { platformHealthPage } from './plugin';

describe('platform-health plugin', () => {
  it('provides the extensions under their documented ids', () => {
    expect(plugin.id).toBe('platform-health');
    for (const id of ['api:platform-health', 'page:platform-health'] as const) {
      expect(createExtensionTester(plugin.getExtension(id)).snapshot().id).toBe(
        id,
      );
    }
  });

  it('mounts the Platform health page at /platform-health as a sidebar item', () => {
    const page = createExtensionTester(platformHealthPage);
    expect(page.get(coreExtensionData.routePath)).toBe('/platform-health');
    expect(page.get(coreExtensionData.title)).toBe('Platform health');
  });
});
