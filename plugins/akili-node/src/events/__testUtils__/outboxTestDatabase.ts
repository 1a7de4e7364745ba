import { randomBytes } from 'node:crypto';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { AkiliEvent, createAkiliEvent } from '@akili/plugin-akili-common';
import knexFactory, { Knex } from 'knex';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import { prepareTenantRole } from '../../database/tenantRole';
import { akiliMigrationsV1 } from '../../migrations/v1';
import { DEFAULT_EVENT_OUTBOX_TABLE } from '../outboxTable';

/**
 * A migrated outbox database for tests. On PostgreSQL, tenant transactions run as a fresh
 * NOLOGIN role that does not own the table (`tenantRole`), so row-level security applies as in
 * production; `reopen` gives a second, independent connection pool to the same database (what a
 * restarted backend would have).
 */
export interface OutboxTestDatabase {
  knex: Knex;
  db: TenantScopedDatabase;
  tenantRole?: string;
  reopen(): Promise<{ knex: Knex; db: TenantScopedDatabase }>;
  cleanup(): Promise<void>;
}

export async function openOutboxTestDatabase(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Promise<OutboxTestDatabase> {
  const knex = await databases.init(databaseId);
  await akiliMigrationsV1.createEventOutboxTable(knex);
  await akiliMigrationsV1.keyEventIdsByTenant(knex, {
    outbox: DEFAULT_EVENT_OUTBOX_TABLE,
  });
  const opened: Knex[] = [];
  if (!databaseId.startsWith('POSTGRES')) {
    const db = TenantScopedDatabase.create(knex);
    return {
      knex,
      db,
      // In-memory SQLite is one connection: a restart is fresh objects on it.
      reopen: async () => ({ knex, db: TenantScopedDatabase.create(knex) }),
      cleanup: async () => {},
    };
  }
  const tenantRole = `akili_outbox_${randomBytes(5).toString('hex')}`;
  await knex.raw('CREATE ROLE ?? NOLOGIN', [tenantRole]);
  await knex.raw('GRANT ?? TO CURRENT_USER', [tenantRole]);
  await prepareTenantRole(knex, tenantRole, [DEFAULT_EVENT_OUTBOX_TABLE]);
  return {
    knex,
    tenantRole,
    db: TenantScopedDatabase.create(knex, { tenantRole }),
    async reopen() {
      const fresh = knexFactory({
        client: 'pg',
        connection: knex.client.config.connection,
        pool: { min: 0, max: 3 },
      });
      opened.push(fresh);
      return {
        knex: fresh,
        db: TenantScopedDatabase.create(fresh, { tenantRole }),
      };
    },
    async cleanup() {
      for (const other of opened) {
        await other.destroy();
      }
      await knex.raw('DROP OWNED BY ??', [tenantRole]).catch(() => {});
      await knex.raw('DROP ROLE IF EXISTS ??', [tenantRole]);
    },
  };
}

/** An `execution.completed` event of `tenant`'s product `product`, run number `n`. */
export function executionEvent(
  tenant: string,
  product: string,
  n: number,
): AkiliEvent {
  const started = new Date(Date.UTC(2026, 0, 1, 0, 0, n));
  return createAkiliEvent({
    type: 'execution.completed',
    tenant,
    subject: `dataproduct:${tenant}/${product}`,
    source: 'akili-test',
    data: {
      runId: `run-${n}`,
      product: `dataproduct:${tenant}/${product}`,
      job: `build_${product}`,
      status: n % 7 === 0 ? 'FAILURE' : 'SUCCESS',
      startedAt: started.toISOString(),
      endedAt: new Date(started.getTime() + 1000).toISOString(),
    },
  });
}

/** The run number of an event made by {@link executionEvent}. */
export function runNumber(event: AkiliEvent): number {
  return Number(String(event.data.runId).slice('run-'.length));
}
