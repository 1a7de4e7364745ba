import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventOutbox, TenantScopedDatabase } from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import { AccessAgreementStore } from '../AccessAgreementStore';
import { BucketPolicyStorage } from './BucketPolicyReconciler';
import { startBucketPolicies } from './index';

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const directory = resolvePackagePath(
  '@akili/plugin-lake-backend',
  'migrations',
);

const storage = {} as BucketPolicyStorage;

describe('startBucketPolicies', () => {
  const databaseId = databases.eachSupportedId()[0][0];

  async function setUp(lake: object, withStorage = true) {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory });
    const store = new AccessAgreementStore({
      db: TenantScopedDatabase.create(knex),
      outbox: EventOutbox.create(),
    });
    const scheduler = { scheduleTask: jest.fn() };
    const reconciler = await startBucketPolicies({
      config: new ConfigReader({ lake }),
      storage: withStorage ? storage : undefined,
      store,
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      scheduler: scheduler as any,
      logger: mockServices.logger.mock(),
    });
    return { store, scheduler, reconciler };
  }

  it("is off unless enabled, and without the lake's storage", async () => {
    for (const [lake, withStorage] of [
      [{}, true],
      [{ agreements: { bucketPolicies: { enabled: false } } }, true],
      [{ agreements: { bucketPolicies: { enabled: true } } }, false],
    ] as const) {
      const { scheduler, reconciler } = await setUp(lake, withStorage);
      expect(reconciler).toBeUndefined();
      expect(scheduler.scheduleTask).not.toHaveBeenCalled();
    }
  });

  it('schedules rounds and reconciles after each transition', async () => {
    const { store, scheduler, reconciler } = await setUp({
      agreements: { bucketPolicies: { enabled: true, intervalMinutes: 7 } },
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'lake-bucket-policies',
        frequency: { minutes: 7 },
      }),
    );
    const reconcile = jest
      .spyOn(reconciler!, 'reconcile')
      .mockResolvedValue([]);
    const created = await store.request({
      provider: {
        tenant: 'acme',
        product: 'dataproduct:acme/churn-features',
        port: 'training_snapshots',
      },
      consumer: { tenant: 'globex' },
      purpose: 'Churn model features for the carrier scorecard',
      columns: ['customer_key'],
      until: new Date(Date.now() + 24 * 3600 * 1000),
      requestedBy: 'user:default/gina',
    });
    expect(reconcile).not.toHaveBeenCalled();
    await store.approve('acme', created.id, { actor: 'user:default/alice' });
    expect(reconcile).toHaveBeenCalledTimes(1);
    await store.revoke('acme', created.id, {
      actor: 'user:default/alice',
      note: 'done',
    });
    expect(reconcile).toHaveBeenCalledTimes(2);
  });
});
