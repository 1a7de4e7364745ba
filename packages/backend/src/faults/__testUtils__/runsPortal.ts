import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
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

/** The audit tag the portal puts on every run it launches (`AKILI_RUN_TAGS.auditIntent`). */
export const AUDIT_INTENT_TAG = 'akili/audit-intent';
const PRODUCT_REF = 'dataproduct:acme/orders';
/** `dagster.timeoutMs` of the portal. */
export const DAGSTER_TIMEOUT_MS = 3_000;

/**
 * The runs API (dagster-backend) as production runs it: Backstage's real database service on
 * the private PostgreSQL (its run audit there), against the Dagster test server holding the
 * product's code location. Every run Dagster was asked to launch is in `launched`.
 */
export async function startRunsPortal(pg: PrivatePostgres) {
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
  const backend = await startTestBackend({
    features: [
      dagsterPlugin,
      databaseServiceFactory,
      userInfoFromDirectory({
        'user:default/alice': [
          'user:default/alice',
          'group:akili/acme.developer',
        ],
      }),
      mockTenantStatus({ acme: 'active' }).factory,
      catalogServiceMock.factory({
        entities: [
          {
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
          },
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { database: { client: 'pg', connection: pg.connection } },
          // A short Dagster timeout: a launch whose outcome is unknown is settled by the next
          // launch once it is older than this (plus a margin).
          dagster: {
            baseUrl: dagster.url,
            timeoutMs: DAGSTER_TIMEOUT_MS,
            tracker: { enabled: false },
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/api/dagster`;
  const knex: Knex = knexFactory({
    client: 'pg',
    connection: { ...pg.connection, database: 'backstage_plugin_dagster' },
    pool: { min: 0, max: 2 },
  });
  return {
    dagster,
    launched,
    knex,
    /** Launches a run of acme/orders as a developer; no answer within `timeoutMs` rejects. */
    async launch(timeoutMs: number) {
      const res = await fetch(`${base}/v1/products/acme/orders/runs`, {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header('user:default/alice'),
          'content-type': 'application/json',
        },
        body: '{}',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await res.json().catch(() => ({}));
      return {
        status: res.status,
        runId: body?.runId as string | undefined,
        message: body?.error?.message as string | undefined,
      };
    },
    /** The audit intents of launches (ids), every tenant's (the table's owner reads past RLS). */
    async launchIntents(): Promise<string[]> {
      const rows: Array<{ id: string | number }> = await knex(
        'dagster_run_audit',
      )
        .where({ kind: 'intent', action: 'run.launched' })
        .select('id');
      return rows.map(r => String(r.id));
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
      return rows.map(r => ({ ...r, intent_id: String(r.intent_id) }));
    },
    productRef: PRODUCT_REF,
    async stop() {
      await backend.stop();
      await dagster.stop();
      await knex.destroy();
    },
  };
}
