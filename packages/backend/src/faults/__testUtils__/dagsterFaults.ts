import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mockTenantStatus,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import {
  DagsterTestServer,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import dagsterPlugin from '@akili/plugin-dagster-backend';
import knexFactory from 'knex';

/** A request must be answered within this (a hang past it is a failure). */
export const ANSWER_MS = 5_000;
/** The portal must be back within this of the dependency's return. */
export const RECOVERY_MS = 30_000;

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** The product whose runs the tests list, open and launch. */
export const PRODUCT = { tenant: 'acme', name: 'orders' };
export const PRODUCT_REF = 'dataproduct:acme/orders';

const entity: Entity = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace: 'acme', name: 'orders', title: 'orders' },
  spec: {
    type: 'source-aligned',
    lifecycle: 'production',
    owner: 'acme-team',
    domain: 'sales',
    transformation: {
      language: 'sql',
      entrypoint: 'x.sql',
      dagster: {
        codeLocation: 'acme_orders',
        job: 'orders_hourly',
        assetKeys: [['sales', 'orders']],
      },
    },
  },
};

/** One answer of the portal: its status and JSON body, or `hung` when none came in time. */
export interface Answer {
  status: number;
  body: any;
}

/**
 * The Dagster test server with the product's code location and one finished run, and the
 * portal's backend (the dagster plugin on SQLite, its default Dagster timeout) pointed at it.
 * Every run launched through GraphQL is recorded in `launched`.
 */
export async function startDagsterFaultPortal() {
  const launched: string[] = [];
  const dagster: DagsterTestServer = await startDagsterTestServer({
    onRunLaunched: runId => launched.push(runId),
  });
  dagster.addLocation({
    name: 'acme_orders',
    repositories: [
      { jobs: [{ name: 'orders_hourly', assetKeys: [['sales', 'orders']] }] },
    ],
  });
  const run = dagster.addRun({
    jobName: 'orders_hourly',
    status: 'SUCCESS',
    tags: { 'akili/tenant': 'acme', 'akili/product': PRODUCT_REF },
  });
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const backend = await startTestBackend({
    features: [
      dagsterPlugin,
      userInfoFromDirectory({
        'user:default/alice': [
          'user:default/alice',
          'group:akili/acme.developer',
        ],
        'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
      }),
      mockTenantStatus({ acme: 'active' }).factory,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        // No timeoutMs: the default is what is tested.
        data: {
          dagster: { baseUrl: dagster.url, tracker: { enabled: false } },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/api/dagster`;

  /**
   * Asks the portal as `user`, giving up after {@link ANSWER_MS}: a hang rejects with an error
   * saying so (the tests fail on it).
   */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    user: string,
    body?: object,
  ): Promise<Answer> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: mockCredentials.user.header(`user:default/${user}`),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(ANSWER_MS),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
      };
    } catch (error) {
      throw new Error(
        `${method} ${path} got no answer within ${ANSWER_MS} ms: ${
          (error as Error).name
        }: ${(error as Error).message}`,
      );
    }
  }

  return {
    dagster,
    backend,
    knex,
    launched,
    /** The finished run seeded at start (the run page). */
    runId: run.runId,
    call,
    /** The run audit of acme, newest first (a database-only route: no Dagster). */
    async audit(): Promise<Answer> {
      return call('GET', '/v1/tenants/acme/run-audit?limit=200', 'olga');
    },
    async stop() {
      await backend.stop();
      await dagster.stop();
      await knex.destroy();
    },
  };
}

/** Polls `check` every 250 ms until it is true or `ms` passed; returns whether it became true. */
export async function waitFor(
  check: () => Promise<boolean>,
  ms: number,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(250);
  }
  return false;
}
