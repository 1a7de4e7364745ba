import {
  AkiliEvent,
  AkiliEventMessage,
  akiliEventTopic,
  createAkiliEvent,
} from '@akili/plugin-akili-common';
import { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { TenantScopedDatabase } from '../../../database/TenantScopedDatabase';
import { akiliMigrationsV1 as m } from '../../../migrations/v1';
import { DEFAULT_PROCESSED_EVENTS_TABLE } from '../processedEventsTable';

/** A table a consuming plugin keeps its state in: one row per refresh of a product. */
export const REFRESHES = 'product_refreshes';

/** The consuming plugin's migrations, as an in-memory knex migration source. */
const migrations: Record<string, Knex.Migration> = {
  '20250601000000_processed_events.js': {
    up: knex => m.createProcessedEventsTable(knex),
    down: knex => m.dropProcessedEventsTable(knex),
  },
  '20250601000001_product_refreshes.js': {
    async up(knex) {
      await knex.schema.createTable(REFRESHES, table => {
        table.text('tenant_id').notNullable();
        table.text('event_id').notNullable();
        table.text('product').notNullable();
      });
      await m.enableTenantIsolation(knex, REFRESHES);
    },
    async down(knex) {
      await m.disableTenantIsolation(knex, REFRESHES);
      await knex.schema.dropTable(REFRESHES);
    },
  },
  '20250601000002_event_ids_per_tenant.js': {
    up: knex =>
      m.keyEventIdsByTenant(knex, {
        processedEvents: DEFAULT_PROCESSED_EVENTS_TABLE,
      }),
    down: knex =>
      m.unkeyEventIdsByTenant(knex, {
        processedEvents: DEFAULT_PROCESSED_EVENTS_TABLE,
      }),
  },
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: name => name,
  getMigration: async name => migrations[name],
};

/** A fresh tenant name, so tests (and their topics) never share one. */
export function uniqueTenant(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A unique consumer group id of the documented shape. */
export function uniqueGroup(purpose: string): string {
  return `akili.test.${purpose}-${randomBytes(4).toString('hex')}`;
}

export function productRegistered(tenant: string, name = 'orders'): AkiliEvent {
  const product = `dataproduct:${tenant}/${name}`;
  return createAkiliEvent({
    type: 'product.registered',
    tenant,
    subject: product,
    source: 'akili-backend',
    data: {
      product,
      owner: `group:${tenant}/team-${name}`,
      registeredBy: 'user:default/ada',
    },
  }) as AkiliEvent;
}

export function messageOf(
  event: AkiliEvent,
  topic = akiliEventTopic(event.tenant, 'product'),
): AkiliEventMessage {
  return { topic, key: event.subject, value: JSON.stringify(event) };
}

/** A handler that records a refresh row per event, through the consumer's transaction. */
export function recordRefresh(db: TenantScopedDatabase) {
  return async (event: AkiliEvent, { tx }: { tx: Knex.Transaction }) => {
    await db.insert(tx, REFRESHES, {
      event_id: event.id,
      product: String(event.data.product),
    });
  };
}

export async function refreshesOf(
  db: TenantScopedDatabase,
  tenant: string,
): Promise<string[]> {
  const rows: Array<{ event_id: string }> = await db.withTenant(tenant, tx =>
    db.scoped(tx, REFRESHES).select('event_id'),
  );
  return rows.map(row => row.event_id).sort();
}

export async function processedOf(
  db: TenantScopedDatabase,
  tenant: string,
  group: string,
): Promise<string[]> {
  const rows: Array<{ event_id: string }> = await db.withTenant(tenant, tx =>
    db
      .scoped(tx, 'akili_processed_events')
      .where({ consumer_group: group })
      .select('event_id'),
  );
  return rows.map(row => row.event_id).sort();
}

/** Polls `check` until it stops throwing, or rethrows its last error after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
}
