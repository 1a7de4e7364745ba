import request from 'supertest';
import {
  coreServices,
  createBackendPlugin,
  RootInstanceMetadataService,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { MetadataResponse } from '@backstage/plugin-permission-node';
import { AKILI_POLICY_TABLE } from '@akili/plugin-permission-backend-module-akili-policy';
import { portalBackendFeatures } from '../features';

jest.setTimeout(120_000);

/** Hands the test the backend's list of installed plugins. */
function createInstalledPluginsProbe() {
  let metadata: RootInstanceMetadataService | undefined;
  const plugin = createBackendPlugin({
    pluginId: 'policy-coverage-probe',
    register(reg) {
      reg.registerInit({
        deps: { metadata: coreServices.rootInstanceMetadata },
        async init(deps) {
          metadata = deps.metadata;
        },
      });
    },
  });
  const installedPluginIds = async () => {
    if (!metadata) throw new Error('The probe plugin has not started');
    return (await metadata.getInstalledPlugins())
      .map(p => p.pluginId)
      .filter(id => id !== 'policy-coverage-probe');
  };
  return { plugin, installedPluginIds };
}

/**
 * Deny by default holds only if every permission of every installed plugin has a decision. This
 * starts the production backend's features (features.ts), asks each installed plugin for the
 * permissions it registers (`/.well-known/backstage/permissions/metadata`, what the permission
 * backend itself reads) and fails for any permission without a row in the Akili policy table:
 * installing a plugin with new permissions fails the build until the policy decides them.
 */
describe('the Akili policy covers every permission of the production backend', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let pluginIds: string[];

  beforeAll(async () => {
    const probe = createInstalledPluginsProbe();
    const backend = await startTestBackend({
      features: [
        ...portalBackendFeatures(),
        probe.plugin,
        // The real actions registry (the test backend's default is a mock): actions register
        // their visibility permissions through it.
        actionsRegistryServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
            auth: {
              providers: { guest: { userEntityRef: 'user:default/guest' } },
            },
            permission: { enabled: true },
            catalog: { rules: [{ allow: ['Component'] }] },
            // Without configuration the Kubernetes backend starts nothing (and registers no
            // permission).
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [{ type: 'config', clusters: [] }],
            },
            akili: { tenants: { seed: [] } },
            dagster: {
              baseUrl: 'http://127.0.0.1:9',
              tracker: { enabled: false },
            },
          },
        }),
      ],
    });
    server = backend.server;
    pluginIds = await probe.installedPluginIds();
  });

  it('finds the plugins of features.ts', () => {
    for (const id of ['catalog', 'scaffolder', 'kubernetes', 'permission']) {
      expect(pluginIds).toContain(id);
    }
  });

  it('has a row in the policy table for every registered permission', async () => {
    const decided = new Map(
      AKILI_POLICY_TABLE.map(e => [e.permission.name, e]),
    );
    const registered: Array<{ pluginId: string; name: string }> = [];
    const undecided: string[] = [];
    for (const pluginId of pluginIds) {
      const res = await request(server)
        .get(`/api/${pluginId}/.well-known/backstage/permissions/metadata`)
        .set('Authorization', mockCredentials.service.header());
      if (res.status === 404) {
        continue; // the plugin registers nothing with the permissions registry
      }
      expect(res.status).toBe(200);
      const metadata = res.body as MetadataResponse;
      for (const permission of metadata.permissions ?? []) {
        registered.push({ pluginId, name: permission.name });
        const row = decided.get(permission.name);
        const sameShape =
          row &&
          row.permission.type === permission.type &&
          (permission.type !== 'resource' ||
            (row.permission.type === 'resource' &&
              row.permission.resourceType === permission.resourceType));
        if (!sameShape) {
          undecided.push(
            `${pluginId}: ${permission.name} (${permission.type})`,
          );
        }
      }
    }
    expect(undecided).toEqual([]);
    // The test looked at something: the stock plugins' permissions are there.
    expect(registered.map(r => r.name)).toEqual(
      expect.arrayContaining([
        'catalog.entity.read',
        'scaffolder.task.read',
        'kubernetes.proxy',
        'akili.runs.read',
      ]),
    );
  });
});
