import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AkiliEventsService,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { DagsterGraphqlClient } from '../client/DagsterGraphqlClient';
import {
  catalogProducts,
  startAssetCheckTracking,
} from './startAssetCheckTracking';

function start(config: object, baseUrl: string | null = 'http://dagster') {
  const scheduler = mockServices.scheduler.mock();
  const hooks: Array<() => Promise<void>> = [];
  const relay = jest.fn(() => ({ wake: jest.fn() }));
  const tracker = startAssetCheckTracking({
    config: new ConfigReader({
      dagster: { ...(baseUrl ? { baseUrl } : {}), ...config },
    }),
    client: new DagsterGraphqlClient(
      baseUrl ? { baseUrl, headers: {}, timeoutMs: 1000 } : undefined,
    ),
    db: {} as TenantScopedDatabase,
    events: { outbox: {}, relay } as unknown as AkiliEventsService,
    catalog: catalogServiceMock(),
    auth: mockServices.auth(),
    scheduler,
    lifecycle: {
      addStartupHook: (hook: () => Promise<void>) => hooks.push(hook),
      addShutdownHook: () => {},
    },
    logger: mockServices.logger.mock(),
  });
  return { tracker, scheduler, hooks, relay };
}

describe('startAssetCheckTracking', () => {
  it('schedules the tracker every 60 s by default, or as configured', async () => {
    const defaults = start({});
    expect(defaults.tracker).toBeDefined();
    expect(defaults.relay).toHaveBeenCalledTimes(1);
    for (const hook of defaults.hooks) await hook();
    expect(defaults.scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'dagster-asset-check-tracker',
        frequency: { seconds: 60 },
      }),
    );
    const configured = start({ qualityChecks: { pollIntervalSeconds: 15 } });
    for (const hook of configured.hooks) await hook();
    expect(configured.scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({ frequency: { seconds: 15 } }),
    );
  });

  it('is off without Dagster or when disabled, and refuses bad settings naming them', () => {
    expect(start({}, null).tracker).toBeUndefined();
    expect(
      start({ qualityChecks: { enabled: false } }).tracker,
    ).toBeUndefined();
    expect(() => start({ qualityChecks: { pollIntervalSeconds: 1 } })).toThrow(
      'dagster.qualityChecks.pollIntervalSeconds must be a whole number of at least 5, not 1',
    );
    expect(() => start({ qualityChecks: { lookbackHours: 5000 } })).toThrow(
      'dagster.qualityChecks.lookbackHours must be between 0 and 2160, not 5000',
    );
  });
});

describe('catalogProducts', () => {
  it('lists the data products with their namespace as tenant', async () => {
    const products = catalogProducts(
      catalogServiceMock({
        entities: [
          {
            apiVersion: 'akili.io/v1alpha1',
            kind: 'DataProduct',
            metadata: { namespace: 'acme', name: 'orders' },
            spec: {
              transformation: { dagster: { codeLocation: 'acme_orders' } },
            },
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { namespace: 'acme', name: 'portal' },
            spec: {},
          },
        ],
      }),
      mockServices.auth(),
    );
    expect(
      (await products()).map(p => [p.tenant, p.manifest.metadata.name]),
    ).toEqual([['acme', 'orders']]);
  });
});
