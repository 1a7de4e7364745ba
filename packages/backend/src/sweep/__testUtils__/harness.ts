import crypto from 'node:crypto';
import type { Server } from 'node:http';
import knexFactory from 'knex';
import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import { discoverRoutes, MountedRoute, routeKey } from './routeDiscovery';
import {
  casesOf,
  entryFor,
  RequestBody,
  ROUTE_TABLE,
  RouteCase,
  RouteEntry,
  SWEEP_PLUGIN_IDS,
  SweepRequest,
} from './routeTable';
import { SweepDatabase } from './sweepBackend';

const SWEEP_DATABASE_PREFIX = 'akili_sweep_';

/** The stores the sweep runs on: PostgreSQL (production) and SQLite (local default). */
export function sweepDatabases(): Array<[TestDatabaseId, SweepDatabase]> {
  return requireTestDatabaseIds().map(id => {
    if (id.startsWith('SQLITE')) {
      return [id, { client: 'better-sqlite3' }];
    }
    // The variable TestDatabases reads, e.g. BACKSTAGE_TEST_DATABASE_POSTGRES16_CONNECTION_STRING.
    const variable = `BACKSTAGE_TEST_DATABASE_${id.replace(
      /_/g,
      '',
    )}_CONNECTION_STRING`;
    const connection = process.env[variable];
    if (!connection) {
      throw new Error(
        `${variable} is not set (see scripts/test-services/up.sh)`,
      );
    }
    // The start time in the name: a later sweep drops the databases of one an hour old.
    const prefix = `${SWEEP_DATABASE_PREFIX}${Math.floor(
      Date.now() / 1000,
    )}_${crypto.randomBytes(3).toString('hex')}_`;
    return [id, { client: 'pg', connection, prefix }];
  });
}

/**
 * Drops the per-plugin databases of PostgreSQL sweeps that started over an hour ago.
 *
 * @remarks
 *
 * A sweep keeps its own databases until its process ends: the auth backend's session store
 * (connect-session-knex) cleans up every minute on a timer nothing stops, so dropping them
 * when the backend stops would fail that timer later, in whichever test runs then.
 */
export async function dropStaleSweepDatabases(database: SweepDatabase) {
  if (database.client !== 'pg') return;
  const knex = knexFactory({
    client: 'pg',
    connection: `${database.connection}/postgres`,
  });
  const hourAgo = Math.floor(Date.now() / 1000) - 3600;
  try {
    const names: string[] = await knex('pg_database')
      .where('datname', 'like', `${SWEEP_DATABASE_PREFIX}%`)
      .pluck('datname');
    for (const name of names) {
      const started = Number(
        name.slice(SWEEP_DATABASE_PREFIX.length).split('_')[0],
      );
      if (Number.isFinite(started) && started < hourAgo) {
        await knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      }
    }
  } finally {
    await knex.destroy();
  }
}

/** A mounted route or handler and how the table says to call it. */
export interface SweptRoute extends MountedRoute {
  /** The table key it was found under (a framework key stands for every plugin). */
  key: string;
  entry: RouteEntry;
  cases: RouteCase[];
}

/** How the mounted routes and the sweep table differ. */
export interface Coverage {
  routes: SweptRoute[];
  /** Mounted, but not in the table. */
  missing: string[];
  /** In the table, but mounted nowhere. */
  stale: string[];
}

/** Discovers the routes of the running server and matches them with the sweep table. */
export function routeCoverage(server: Server): Coverage {
  const mounted = discoverRoutes(server).filter(
    r => !SWEEP_PLUGIN_IDS.some(id => r.path.startsWith(`/api/${id}/`)),
  );
  const used = new Set<string>();
  const routes: SweptRoute[] = [];
  const missing: string[] = [];
  for (const route of mounted) {
    const found = entryFor(route);
    if (!found) {
      missing.push(routeKey(route));
      continue;
    }
    used.add(found.key);
    routes.push({ ...route, ...found, cases: casesOf(found.entry) });
  }
  const stale = Object.keys(ROUTE_TABLE).filter(k => !used.has(k));
  return { routes, missing, stale };
}

/** Explains a coverage gap to the developer who caused it. */
export function coverageMessage({ missing, stale }: Coverage): string {
  const lines: string[] = [];
  if (missing.length) {
    lines.push(
      'These routes or `use` handlers are mounted but the security sweep does not know how to call them.',
      'Add each to the table in packages/backend/src/sweep/__testUtils__/routeTable/ (path params for',
      "a tenant's own resources, a body, the status a tenant member and a consumer get, `anonymous`",
      'with the reason if it answers without credentials on purpose, `passThrough` with the reason',
      'for middleware that never answers by itself):',
      ...missing.map(k => `  ${k}`),
    );
  }
  if (stale.length) {
    lines.push(
      'These entries of the sweep table name routes that are no longer mounted; remove or rename them:',
      ...stale.map(k => `  ${k}`),
    );
  }
  return lines.join('\n');
}

/** An answer: status and body text. */
export interface Answer {
  status: number;
  text: string;
}

/** How long one call may take (an event stream that never ends fails, not hangs). */
const CALL_TIMEOUT_MS = 20_000;

/**
 * A failure between two plugins of the backend, which a plugin answers with 500: the transport
 * (a keep-alive connection the server closed as the client reused it) or another plugin's
 * passing 5xx (the permission backend under a loaded CI machine, passed on as "Request failed
 * with 500"). Not the route's answer, so the call is made again once; each retry is printed in
 * the summary, and a second failure counts.
 */
const TRANSPORT_FAILURE =
  /fetch failed|socket hang up|ECONNRESET|other side closed|Request failed with 5\d\d/;

/** How many calls were made again after a transport failure (reported by the sweep). */
export const retried: string[] = [];

/** Sends one request (once more after a transport failure inside the backend). */
export async function send(
  server: Server,
  req: SweepRequest,
  authorization?: string,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<Answer> {
  const answer = await sendOnce(server, req, authorization, timeoutMs);
  if (answer.status >= 500 && TRANSPORT_FAILURE.test(answer.text)) {
    retried.push(`${req.method} ${req.url}: ${answer.text.slice(0, 200)}`);
    return sendOnce(server, req, authorization, timeoutMs);
  }
  return answer;
}

async function sendOnce(
  server: Server,
  req: SweepRequest,
  authorization: string | undefined,
  timeoutMs: number,
): Promise<Answer> {
  const verb = req.method.toLowerCase() as
    | 'get'
    | 'post'
    | 'put'
    | 'patch'
    | 'delete';
  let r = request(server)[verb](req.url).timeout(timeoutMs);
  if (authorization) r = r.set('Authorization', authorization);
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    r = r.set(name, value);
  }
  if (req.body) {
    r = r.set('Content-Type', req.body.contentType).send(bodyText(req.body));
  }
  try {
    const res = await r;
    return { status: res.status, text: res.text ?? '' };
  } catch (error) {
    return {
      status: 0,
      text: `no answer: ${(error as Error).message}`,
    };
  }
}

export function bodyText(body: RequestBody): string {
  return typeof body.data === 'string' ? body.data : JSON.stringify(body.data);
}

/** The text of a request, to tell what an answer merely repeats. */
export function requestText(req: SweepRequest): string {
  let url = req.url;
  try {
    url = decodeURIComponent(req.url);
  } catch {
    // Not encoded.
  }
  return `${req.method} ${url}\n${req.body ? bodyText(req.body) : ''}`;
}

/** Runs tasks with at most `limit` at a time. */
export async function inParallel<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length) {
        const item = items[next++];
        await task(item);
      }
    },
  );
  await Promise.all(workers);
}

/** Polls until `attempt` returns a value. */
export async function poll<T>(
  what: string | (() => string),
  attempt: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${typeof what === 'string' ? what : what()}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}
