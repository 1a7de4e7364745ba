import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  listDataProductTenants,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import { QualityIncident } from '@akili/plugin-quality-common';
import { QUALITY_MIGRATIONS_DIRECTORY } from '../service/QualityStore';
import { IncidentStore } from './IncidentStore';
import { notifyIncidentOwners } from './notifyIncidentOwners';
import { watchIncidentsOnce } from './startIncidentWatch';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });

function product(
  namespace: string,
  name: string,
  extra: Partial<Entity> = {},
): Entity {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace, name, title: `${name} title` },
    spec: { owner: 'sales-team' },
    ...extra,
  };
}

const entities = [
  // Not processed yet: the owner is the manifest's, a group of the tenant.
  product('acme', 'orders'),
  // Processed: its ownedBy relations.
  product('acme', 'customers', {
    relations: [
      { type: 'ownedBy', targetRef: 'group:acme/crm' },
      { type: 'ownedBy', targetRef: 'group:acme/crm-ops' },
    ],
  }),
  product('acme', 'unowned', { spec: {} }),
  product('globex', 'orders'),
];

/** Records what would be sent (the notifications backend is not what is tested here). */
function recordingNotifications() {
  const sent: NotificationSendOptions[] = [];
  const service: NotificationService = {
    send: async options => {
      sent.push(options);
    },
  };
  return { sent, service };
}

describe.each(databases.eachSupportedId())(
  'incident watch on %p',
  databaseId => {
    it('opens freshness incidents per tenant, goes on past a failing tenant, and notifies the owners', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: QUALITY_MIGRATIONS_DIRECTORY });
      const db = TenantScopedDatabase.create(knex);
      const now = new Date('2026-12-01T12:00:00Z');
      const store = new IncidentStore({ db, clock: () => now });
      const row = (name: string, lastSuccess: string) => ({
        product: name,
        rules_hash: 'x',
        max_delay_minutes: 60,
        max_delay: '1h',
        last_success_at: new Date(lastSuccess),
        synced_at: now,
      });
      await db.withTenant('acme', tx =>
        db.insert(tx, 'quality_products', [
          row('orders', '2026-12-01T09:00:00Z'),
          row('customers', '2026-12-01T10:00:00Z'),
          row('unowned', '2026-12-01T10:00:00Z'),
          row('gone', '2026-12-01T10:00:00Z'),
        ]),
      );
      await db.withTenant('globex', tx =>
        db.insert(tx, 'quality_products', [
          row('orders', '2026-12-01T11:30:00Z'),
        ]),
      );

      const catalog = catalogServiceMock({ entities });
      const auth = mockServices.auth();
      const logger = mockServices.logger.mock();
      const { sent, service } = recordingNotifications();
      const notified: QualityIncident[] = [];
      const tenants = () => listDataProductTenants({ catalog, auth });
      expect((await tenants()).sort()).toEqual(['acme', 'globex']);

      const result = await watchIncidentsOnce({
        store,
        logger,
        // A tenant name the database refuses: logged, and the others are still checked.
        tenants: async () => ['Not A Tenant', ...(await tenants())],
        notify: async opened => {
          notified.push(...opened);
          await notifyIncidentOwners(opened, {
            catalog,
            auth,
            notifications: service,
            logger,
          });
        },
      });
      expect(result).toEqual({ opened: 4, failedTenants: ['Not A Tenant'] });
      expect(logger.error).toHaveBeenCalledWith(
        'Could not check the freshness of a tenant',
        expect.objectContaining({ tenant: 'Not A Tenant' }),
      );
      expect(notified.map(i => i.product).sort()).toEqual([
        'dataproduct:acme/customers',
        'dataproduct:acme/gone',
        'dataproduct:acme/orders',
        'dataproduct:acme/unowned',
      ]);

      // One notification per owned product in the catalog, to its owners, linking the incident.
      const byProduct = new Map(
        notified.map(incident => [incident.product, incident]),
      );
      const orders = byProduct.get('dataproduct:acme/orders')!;
      const customers = byProduct.get('dataproduct:acme/customers')!;
      expect(
        sent
          .map(s => [s.recipients, s.payload.link, s.payload.severity])
          .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      ).toEqual(
        [
          [
            { type: 'entity', entityRef: ['group:acme/sales-team'] },
            `/incidents/acme/${orders.id}`,
            'high',
          ],
          [
            {
              type: 'entity',
              entityRef: ['group:acme/crm', 'group:acme/crm-ops'],
            },
            `/incidents/acme/${customers.id}`,
            'high',
          ],
        ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      );
      expect(
        sent.find(s => s.payload.link?.endsWith(orders.id))!.payload,
      ).toMatchObject({
        title: 'Quality incident on orders title',
        topic: 'akili-quality-incident',
        scope: `akili-quality-incident:acme:${orders.id}`,
      });

      // A second pass opens nothing and sends nothing more.
      sent.length = 0;
      expect(
        await watchIncidentsOnce({
          store,
          logger,
          tenants,
          notify: async () => {},
        }),
      ).toEqual({ opened: 0, failedTenants: [] });
      expect(sent).toEqual([]);
    });

    it('never lets a notification failure escape, and skips another tenant’s product', async () => {
      const logger = mockServices.logger.mock();
      const failing: NotificationService = {
        send: async () => {
          throw new Error('notifications down');
        },
      };
      const incident = (
        tenant: string,
        productRef: string,
      ): QualityIncident => ({
        id: '7',
        tenant,
        product: productRef,
        cause: { kind: 'rule', key: 'no_nulls' },
        title: 'Rule no_nulls of orders fails',
        state: 'new',
        severity: 'warning',
        openedAt: '2026-12-01T00:00:00.000Z',
        failures: 1,
        lastFailureAt: '2026-12-01T00:00:00.000Z',
      });
      await expect(
        notifyIncidentOwners([incident('acme', 'dataproduct:acme/orders')], {
          catalog: catalogServiceMock({ entities }),
          auth: mockServices.auth(),
          notifications: failing,
          logger,
        }),
      ).resolves.toBeUndefined();
      expect(logger.warn).toHaveBeenCalledWith(
        'Could not notify the owners of a quality incident',
        expect.objectContaining({ tenant: 'acme', incident: '7' }),
      );

      const { sent, service } = recordingNotifications();
      await notifyIncidentOwners(
        [
          incident('acme', 'dataproduct:globex/orders'),
          incident('acme', 'dataproduct:acme/orders'),
        ],
        {
          catalog: catalogServiceMock({ entities }),
          auth: mockServices.auth(),
          notifications: service,
          logger,
        },
      );
      expect(
        sent.map(s => [s.payload.description, s.payload.severity]),
      ).toEqual([
        [
          'Rule no_nulls of orders fails (dataproduct:acme/orders, incident 7).',
          'normal',
        ],
      ]);
    });
  },
);
