import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  mockTenantQuotas,
  mockTenantStatus,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import {
  DagsterTestServer,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import dagsterPlugin from '@akili/plugin-dagster-backend';
import starrocksPlugin from '@akili/plugin-starrocks-backend';

/** The `Authorization: Bearer` value without its scheme: what `akili login --token` takes. */
const bearer = (header: string) => header.replace(/^Bearer /, '');

/** A data product of acme: job `orders_hourly` in Dagster, table `iceberg_acme.sales.orders`. */
const ORDERS = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace: 'acme', name: 'orders', title: 'Orders' },
  spec: {
    type: 'source-aligned',
    lifecycle: 'production',
    owner: 'acme-team',
    domain: 'sales',
    transformation: {
      language: 'sql',
      entrypoint: 'orders.sql',
      dagster: {
        codeLocation: 'acme_orders',
        job: 'orders_hourly',
        assetKeys: [['sales', 'orders']],
      },
    },
    outputPorts: [
      {
        name: 'orders',
        kind: 'table',
        location: {
          table: { catalog: 'iceberg_acme', database: 'sales', table: 'orders' },
        },
        schema: [
          { name: 'order_id', type: 'integer', physicalType: 'BIGINT', primaryKey: true },
          { name: 'customer_email', type: 'string', classification: 'pii', required: true },
          { name: 'status', type: 'string', required: true, examples: ['placed', 'paid'] },
          { name: 'note', type: 'string' },
        ],
      },
    ],
  },
}; // prettier-ignore

/**
 * The portal's data plane as the CLI meets it, on one real HTTP port: the runs API
 * (dagster-backend) over a Dagster test server with a location `acme_orders`, and the query API
 * (starrocks-backend) with its embedded engine over the example rows of the catalog's products;
 * users of tenant roles and API tokens of one tenant each.
 */
export async function startDataBackends(options: { rowsPerTable: number }) {
  const dagster: DagsterTestServer = await startDagsterTestServer();
  dagster.addLocation({
    name: 'acme_orders',
    repositories: [{ jobs: [{ name: 'orders_hourly' }] }],
  });
  dagster.addLocation({
    name: 'globex_shipments',
    repositories: [{ jobs: [{ name: 'shipments_daily' }] }],
  });
  const { server } = await startTestBackend({
    features: [
      dagsterPlugin,
      starrocksPlugin,
      userInfoFromDirectory({
        'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
        'user:default/bob': ['user:default/bob', 'group:akili/globex.operator'],
      }),
      mockApiTokenResolverFactory([
        {
          tokenId: 'acme.analyst',
          tenant: 'acme',
          permissions: ['akili.runs.read', 'akili.query.run'],
        },
        {
          tokenId: 'acme.ci',
          tenant: 'acme',
          permissions: ['akili.product.read', 'akili.product.submit'],
        },
      ]),
      mockTenantStatus({ acme: 'active', globex: 'active' }).factory,
      mockTenantQuotas({
        acme: { queryRowLimit: 1000, maxConcurrentQueries: 1 },
        globex: { queryRowLimit: 50, maxConcurrentQueries: 1 },
      }).factory,
      catalogServiceMock.factory({ entities: [ORDERS] }),
      mockServices.rootConfig.factory({
        data: {
          dagster: { baseUrl: dagster.url, tracker: { enabled: false } },
          starrocks: {
            engine: 'embedded',
            maxRows: 1000,
            queryTimeoutSeconds: 30,
            embedded: { rowsPerTable: options.rowsPerTable },
          },
        },
      }),
    ],
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    dagster,
    tokens: {
      analyst: bearer(mockApiTokenHeader('acme.analyst')),
      ci: bearer(mockApiTokenHeader('acme.ci')),
      olga: mockCredentials.user.token('user:default/olga'),
      bob: mockCredentials.user.token('user:default/bob'),
    },
    async stop() {
      await dagster.stop();
    },
  };
}
