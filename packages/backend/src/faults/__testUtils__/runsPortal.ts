import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DagsterTestServer,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import dagsterPlugin from '@akili/plugin-dagster-backend';
import {
  mockTenantStatus,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import knexFactory, { Knex } from 'knex';
import { PrivatePostgres } from './privatePostgres';
import { ANSWER_MS } from './wait';

/** The audit tag the portal puts on every run it launches (`AKILI_RUN_TAGS.auditIntent`). */
export const AUDIT_INTENT_TAG = 'akili/audit-intent';
/** The product whose runs the tests list, open and launch. */
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

/** One answer of the portal: its status and JSON body. */
export interface Answer {
  status: number;
  body: any;
}

/**
 * The runs API (dagster-backend) against the Dagster test server holding the product's code
 * location and one finished run. Its database is Backstage's real database service on a private
 * PostgreSQL (`pg`), or SQLite in memory; `dagsterTimeoutMs` unset tests the default timeout.
 * Every run Dagster was asked to launch is in `launched`.
 */
export async function startRunsPortal(
  options: { pg?: PrivatePostgres; dagsterTimeoutMs?: number } = {},
) {
  const { pg, dagsterTimeoutMs } = options;
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
  // On PostgreSQL the tests read the plugin's audit table with a connection of their own (the
  // table's owner reads past RLS); on SQLite the plugin's own in-memory database.
  const knex: Knex = pg
    ? knexFactory({
        client: 'pg',
        connection: { ...pg.connection, database: 'backstage_plugin_dagster' },
        pool: { min: 0, max: 2 },
      })
    : knexFactory({
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
      pg ? databaseServiceFactory : mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          ...(pg
            ? {
                backend: {
                  database: { client: 'pg', connection: pg.connection },
                },
              }
            : {}),
          dagster: {
            baseUrl: dagster.url,
            ...(dagsterTimeoutMs ? { timeoutMs: dagsterTimeoutMs } : {}),
            tracker: { enabled: false },
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/api/dagster`;

  /**
   * Asks the portal as `user`, giving up after `timeoutMs`: a hang rejects with an error saying
   * so (the tests fail on it).
   */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    user: string,
    body?: object,
    timeoutMs = ANSWER_MS,
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
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
      };
    } catch (error) {
      throw new Error(
        `${method} ${path} got no answer within ${timeoutMs} ms: ${
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
    /** Launches a run of acme/orders as a developer; no answer within `timeoutMs` rejects. */
    async launch(timeoutMs: number) {
      const answer = await call(
        'POST',
        '/v1/products/acme/orders/runs',
        'alice',
        {},
        timeoutMs,
      );
      return {
        status: answer.status,
        runId: answer.body?.runId as string | undefined,
        message: answer.body?.error?.message as string | undefined,
      };
    },
    /** The audit intents of launches (ids), every tenant's. */
    async launchIntents(): Promise<string[]> {
      const rows: Array<{ id: string | number }> = await knex(
        'dagster_run_audit',
      )
        .where({ kind: 'intent', action: 'run.launched' })
        .select('id');
      return rows.map(row => String(row.id));
    },
    /** The outcomes of launches in the audit. */
    async launchOutcomes() {
      const rows: Array<{
        intent_id: string | number;
        run_id: string;
        outcome: string;
      }> = await knex('dagster_run_audit')
        .where({ kind: 'outcome', action: 'run.launched' })
        .select('intent_id', 'run_id', 'outcome');
      return rows.map(row => ({ ...row, intent_id: String(row.intent_id) }));
    },
    productRef: PRODUCT_REF,
    async stop() {
      await backend.stop();
      await dagster.stop();
      await knex.destroy();
    },
  };
}
