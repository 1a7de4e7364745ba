import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import akiliPlugin from '@akili/plugin-akili-backend';
import { akiliEventFamily, akiliEventTopic } from '@akili/plugin-akili-common';
import { DEFAULT_EVENT_OUTBOX_TABLE } from '@akili/plugin-akili-node';
import { userInfoFromDirectory } from '@akili/plugin-akili-node/testUtils';
import knexFactory, { Knex } from 'knex';
import { PrivatePostgres } from './privatePostgres';
import { PrivateBroker } from './privateBroker';
import { sleep, until } from './wait';

/** One line the backend logged. */
export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: Record<string, unknown>;
}

/** A root logger that keeps every line (warnings and errors also on stderr when asked). */
function recordingLogger(lines: LogLine[]) {
  const make = (fields: Record<string, unknown>): LoggerService => {
    const log =
      (level: LogLine['level']) => (message: string, meta?: unknown) => {
        const extra =
          meta instanceof Error
            ? { error: meta.message }
            : (meta as Record<string, unknown> | undefined) ?? {};
        lines.push({ level, message, meta: { ...fields, ...extra } });
      };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: meta => make({ ...fields, ...meta }),
    };
  };
  const root = make({});
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => root as typeof root & { child: typeof root.child },
  });
}

export const FAULT_TENANT = 'acme';

/** An Akili manifest of a product of {@link FAULT_TENANT}. */
export function productManifest(name: string): string {
  return `apiVersion: akili.io/v1alpha1
kind: DataProduct
metadata:
  name: ${name}
  namespace: ${FAULT_TENANT}
spec:
  type: source-aligned
  lifecycle: production
  owner: acme-sales
  domain: sales
  version: 1.0.0
  outputPorts:
    - name: orders
      kind: table
      location:
        table: { catalog: iceberg_acme, database: sales, table: ${name.replace(
          /-/g,
          '_',
        )} }
      schema:
        - { name: order_id, type: string, required: true }
`;
}

/**
 * The control plane (akili-backend) as production runs it, in a test backend: Backstage's real
 * database service on the private PostgreSQL, `akili.events` on Kafka (the private broker), its
 * outbox relay and its consumer (the bridge into Backstage events, deduplicating by event id),
 * and a probe that counts what that consumer delivers.
 */
export async function startControlPlane(options: {
  pg: PrivatePostgres;
  broker: PrivateBroker;
}) {
  const { pg, broker } = options;
  // The tenant's topic exists before the backend starts, as in production: the consumers
  // resolve their topic pattern when they start.
  await broker.mock.createTopic(
    akiliEventTopic(FAULT_TENANT, akiliEventFamily('product.registered')),
    4,
  );
  const delivered = new Map<string, number>();
  const logs: LogLine[] = [];
  const probe = createBackendModule({
    pluginId: 'akili',
    moduleId: 'fault-probe',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'akili-fault-probe',
            topics: ['akili.product.registered'],
            async onEvent(event) {
              const id = (event.eventPayload as { id: string }).id;
              delivered.set(id, (delivered.get(id) ?? 0) + 1);
            },
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      akiliPlugin,
      probe,
      databaseServiceFactory,
      recordingLogger(logs),
      userInfoFromDirectory({
        'user:default/dev': ['user:default/dev', 'group:akili/acme.developer'],
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { database: { client: 'pg', connection: pg.connection } },
          akili: {
            tenants: { seed: [{ name: FAULT_TENANT, title: 'ACME' }] },
            events: { transport: 'kafka', kafka: { brokers: broker.brokers } },
          },
        },
      }),
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const auth = mockCredentials.user.header('user:default/dev');
  // The plugin's own database (Backstage's default: one database per plugin).
  const knex: Knex = knexFactory({
    client: 'pg',
    connection: { ...pg.connection, database: 'backstage_plugin_akili' },
    pool: { min: 0, max: 2 },
  });

  return {
    base,
    logs,
    /** Consumer deliveries per event id. */
    delivered: delivered as ReadonlyMap<string, number>,
    /** The plugin's database, read directly. */
    knex,
    /** Submits a product; a request that has no answer within `timeoutMs` rejects (TimeoutError). */
    async submit(name: string, timeoutMs: number) {
      const res = await fetch(
        `${base}/api/akili/v1/tenants/${FAULT_TENANT}/products`,
        {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/yaml' },
          body: productManifest(name),
          signal: AbortSignal.timeout(timeoutMs),
        },
      );
      const body = await res.json().catch(() => ({}));
      return { status: res.status, message: body?.error?.message as string };
    },
    /** Outbox rows not yet published. */
    async unsent(): Promise<number> {
      const row = await knex(DEFAULT_EVENT_OUTBOX_TABLE)
        .whereNull('sent_at')
        .count({ n: '*' })
        .first();
      return Number(row?.n ?? 0);
    },
    /** The product.registered events of the outbox. */
    async registeredEvents() {
      const rows: Array<{
        event_id: string;
        payload: string;
        sent_at: unknown;
      }> = await knex(DEFAULT_EVENT_OUTBOX_TABLE).select(
        'event_id',
        'payload',
        'sent_at',
      );
      return rows
        .map(r => ({
          id: r.event_id,
          sent: r.sent_at !== null,
          ...(JSON.parse(r.payload) as { type: string; subject: string }),
        }))
        .filter(e => e.type === 'product.registered');
    },
    /** Names of the products in the registry. */
    async products(): Promise<string[]> {
      const rows: Array<{ name: string }> = await knex('akili_products').select(
        'name',
      );
      return rows.map(r => r.name);
    },
    async stop() {
      await backend.stop();
      await knex.destroy();
    },
  };
}

export type ControlPlane = Awaited<ReturnType<typeof startControlPlane>>;

export type Phase = 'before' | 'down' | 'after';

/** One submission of the load and how it ended. */
export interface Outcome {
  name: string;
  /** The phase when the request was sent ... */
  phase: Phase;
  /** ... and when its answer came. */
  answeredIn: Phase;
  status: number | 'timeout' | 'network';
  message?: string;
}

/**
 * Writers submitting products one after the other until stopped, each answer recorded with the
 * phase the test set (`load.phase = 'down'`).
 */
export function startLoad(
  cp: ControlPlane,
  writers: number,
  timeoutMs: number,
) {
  const outcomes: Outcome[] = [];
  let seq = 0;
  let running = true;
  let workers: Array<Promise<void>> = [];
  const load = {
    phase: 'before' as Phase,
    outcomes,
    /** Answers sent and received in `phase` (with `status` when given). */
    count(phase: Phase, status?: number) {
      return outcomes.filter(
        o =>
          o.phase === phase &&
          o.answeredIn === phase &&
          (status === undefined || o.status === status),
      ).length;
    },
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
  const writer = async () => {
    while (running) {
      const name = `p-${seq++}`;
      const phase = load.phase;
      let outcome: Outcome;
      try {
        const { status, message } = await cp.submit(name, timeoutMs);
        outcome = { name, phase, answeredIn: load.phase, status, message };
      } catch (error) {
        outcome = {
          name,
          phase,
          answeredIn: load.phase,
          status:
            (error as Error).name === 'TimeoutError' ? 'timeout' : 'network',
          message: String((error as Error).message),
        };
      }
      outcomes.push(outcome);
      if (outcome.status !== 201) await sleep(100);
    }
  };
  workers = Array.from({ length: writers }, writer);
  return load;
}

/**
 * Checks that nothing was lost or duplicated: every product answered 201 is in the registry, the
 * outbox holds exactly one product.registered event per registered product (none for a failed
 * submission), all of them published, each on the broker's topic at least once (the relay
 * publishes at least once) and delivered exactly once by the consumer. Returns the figures.
 */
export async function expectNothingLostOrDuplicated(
  cp: ControlPlane,
  broker: PrivateBroker,
  outcomes: Outcome[],
) {
  const accepted = new Set(
    outcomes.filter(o => o.status === 201).map(o => o.name),
  );
  await until(async () => (await cp.unsent()) === 0, 60_000);
  const events = await cp.registeredEvents();
  const stored = await cp.products();
  expect([...accepted].filter(name => !stored.includes(name))).toEqual([]);
  expect(events.map(e => e.subject).sort()).toEqual(
    stored.map(name => `dataproduct:${FAULT_TENANT}/${name}`).sort(),
  );
  expect(events.filter(e => !e.sent)).toEqual([]);
  const ids = events.map(e => e.id);
  // Read from the beginning once the topics exist (a pattern subscription sees only those).
  const counter = await broker.countTopic(
    new RegExp(`^akili\\.${FAULT_TENANT}\\.`),
  );
  await until(() => ids.every(id => counter.seen.has(id)), 60_000);
  expect(ids.filter(id => !counter.seen.has(id))).toEqual([]);
  await until(() => ids.every(id => cp.delivered.has(id)), 60_000);
  expect(ids.filter(id => cp.delivered.get(id) !== 1)).toEqual([]);
  expect([...cp.delivered.keys()].filter(id => !ids.includes(id))).toEqual([]);
  return {
    accepted: accepted.size,
    events: ids.length,
    topicDuplicates: ids.reduce((n, id) => n + counter.seen.get(id)! - 1, 0),
  };
}
