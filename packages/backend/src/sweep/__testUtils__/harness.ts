import crypto from 'node:crypto';
import type { Server } from 'node:http';
import knexFactory from 'knex';
import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node';
import { akiliPluginIds } from './akiliPackages';
import {
  akiliRoutes,
  discoverRoutes,
  MountedRoute,
  routeKey,
} from './routeDiscovery';
import {
  AKILI_ROUTE_TABLE,
  PUBLIC_AKILI_ROUTES,
  RouteCall,
} from './routeTable';
import { SweepDatabase } from './sweepBackend';

/** The stores the sweeps run on: PostgreSQL (production) and SQLite (local default). */
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
    const prefix = `akili_sweep_${crypto.randomBytes(4).toString('hex')}_`;
    return [id, { client: 'pg', connection, prefix }];
  });
}

/** Drops the per-plugin databases a PostgreSQL sweep created. */
export async function dropSweepDatabases(database: SweepDatabase) {
  if (database.client !== 'pg') return;
  const knex = knexFactory({
    client: 'pg',
    connection: `${database.connection}/postgres`,
  });
  try {
    const names: string[] = await knex('pg_database')
      .where('datname', 'like', `${database.prefix}%`)
      .pluck('datname');
    for (const name of names) {
      await knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    }
  } finally {
    await knex.destroy();
  }
}

/** A mounted Akili route and how the table says to call it. */
export interface SweptRoute extends MountedRoute {
  key: string;
  call: RouteCall;
}

/** How the mounted Akili routes and the sweep table differ. */
export interface Coverage {
  routes: SweptRoute[];
  publicRoutes: MountedRoute[];
  /** Mounted, but neither in the table nor listed as public. */
  missing: string[];
  /** In the table or the public list, but not mounted. */
  stale: string[];
}

/** Discovers the Akili routes of the running server and matches them with the sweep table. */
export function akiliCoverage(server: Server): Coverage {
  const mounted = akiliRoutes(discoverRoutes(server), akiliPluginIds());
  const keys = new Set(mounted.map(routeKey));
  const routes: SweptRoute[] = [];
  const publicRoutes: MountedRoute[] = [];
  const missing: string[] = [];
  for (const route of mounted) {
    const key = routeKey(route);
    if (key in PUBLIC_AKILI_ROUTES) {
      publicRoutes.push(route);
    } else if (key in AKILI_ROUTE_TABLE) {
      routes.push({ ...route, key, call: AKILI_ROUTE_TABLE[key] });
    } else {
      missing.push(key);
    }
  }
  const stale = [
    ...Object.keys(AKILI_ROUTE_TABLE),
    ...Object.keys(PUBLIC_AKILI_ROUTES),
  ].filter(k => !keys.has(k));
  return { routes, publicRoutes, missing, stale };
}

/** Explains a coverage gap to the developer who caused it. */
export function coverageMessage({ missing, stale }: Coverage): string {
  const lines: string[] = [];
  if (missing.length) {
    lines.push(
      'These Akili routes are mounted but the security sweep does not know how to call them.',
      'Add each to AKILI_ROUTE_TABLE in packages/backend/src/sweep/__testUtils__/routeTable.ts (path params for',
      "a tenant's own resources, a body, the status a tenant member gets), or, if it is public on",
      'purpose, to PUBLIC_AKILI_ROUTES with the reason:',
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

/** Sends one request; `method` as discovered (`ALL` is sent as GET). */
export function send(
  server: Server,
  method: string,
  url: string,
  options: {
    authorization?: string;
    body?: { contentType: string; data: string | object };
  } = {},
) {
  const verb = (method === 'ALL' ? 'get' : method.toLowerCase()) as
    | 'get'
    | 'post'
    | 'put'
    | 'patch'
    | 'delete'
    | 'head'
    | 'options';
  let req = request(server)[verb](url);
  if (options.authorization) {
    req = req.set('Authorization', options.authorization);
  }
  if (options.body) {
    req = req
      .set('Content-Type', options.body.contentType)
      .send(
        typeof options.body.data === 'string'
          ? options.body.data
          : JSON.stringify(options.body.data),
      );
  }
  return req;
}
