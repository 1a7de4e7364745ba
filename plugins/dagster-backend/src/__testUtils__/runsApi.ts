import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mockTenantStatus,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { DagsterTestServer } from '@akili/dagster-test-server';
import request from 'supertest';
import { dagsterPlugin } from '../plugin';
import { LogEntry, recordingLogger } from './logger';

export type { LogEntry };

/** Users of the tests: developers, operators and a consumer of acme, and of other tenants. */
export const directory: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/carl': ['user:default/carl', 'group:akili/acme.consumer'],
  'user:default/bob': ['user:default/bob', 'group:akili/globex.operator'],
  'user:default/eve': ['user:default/eve', 'group:akili/acme-evil.operator'],
  'user:default/root': ['user:default/root', 'group:akili/platform-admin'],
};

/** A data product whose manifest names `dagster` as its Dagster target. */
export function product(
  namespace: string,
  name: string,
  dagster: JsonObject,
): Entity {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace, name, title: name },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: `${namespace}-team`,
      domain: 'sales',
      transformation: { language: 'sql', entrypoint: 'x.sql', dagster },
    },
  };
}

/** The tags the portal puts on a run of `dataproduct:<tenant>/<name>`. */
export const productTags = (tenant: string, name: string) => ({
  'akili/tenant': tenant,
  'akili/product': `dataproduct:${tenant}/${name}`,
});

/**
 * Starts the runs API on `databaseId` with the catalog holding `entities`, pointed at `dagster`,
 * and returns request helpers acting as a user of {@link directory}, and what the plugin logged.
 */
export async function startRunsApi(options: {
  databases: TestDatabases;
  databaseId: Parameters<TestDatabases['init']>[0];
  dagster: DagsterTestServer;
  entities: Entity[];
  dagsterConfig?: JsonObject;
  /** More app-config besides `dagster`. */
  config?: JsonObject;
  features?: Parameters<typeof startTestBackend>[0]['features'];
}) {
  const knex = await options.databases.init(options.databaseId);
  const logs: LogEntry[] = [];
  const logger = recordingLogger(logs);
  const { server } = await startTestBackend({
    features: [
      ...(options.features ?? []),
      dagsterPlugin,
      userInfoFromDirectory(directory),
      // The tenant registry of the control plane, which this test backend does not run.
      mockTenantStatus({
        acme: 'active',
        globex: 'active',
        'acme-evil': 'active',
      }).factory,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.database.factory({ knex }),
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => logger,
      }),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          dagster: options.dagsterConfig ?? {
            baseUrl: options.dagster.url,
            tracker: { enabled: false },
          },
        },
      }),
    ],
  });
  const as = (user: string) =>
    mockCredentials.user.header(`user:default/${user}`);
  return {
    knex,
    logs,
    get: (path: string, user: string) =>
      request(server).get(`/api/dagster${path}`).set('Authorization', as(user)),
    post: (path: string, user: string, body: object = {}) =>
      request(server)
        .post(`/api/dagster${path}`)
        .set('Authorization', as(user))
        .send(body),
  };
}
