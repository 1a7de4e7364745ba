/*
 * A backend that dies: run as its own Node process by OutboxRelay.kill.test.ts. It commits
 * AKILI_KILL_EVENTS events to the outbox (transactions of 50, products p-0..p-4), prints
 * `committed <n>`, then relays them to Kafka in batches of 10 and SIGKILLs itself right after the
 * broker acknowledged batch AKILI_KILL_AFTER_BATCH, before the relay could mark it sent: the
 * worst moment to die.
 */
import knexFactory from 'knex';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import { EventOutbox } from '../EventOutbox';
import { KafkaEventTransport } from '../KafkaEventTransport';
import { OutboxRelay } from '../OutboxRelay';
import { executionEvent } from './outboxTestDatabase';

async function main() {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const tenant = env('AKILI_KILL_TENANT');
  const count = Number(env('AKILI_KILL_EVENTS'));
  const killAfter = Number(env('AKILI_KILL_AFTER_BATCH'));
  const knex = knexFactory({
    client: 'pg',
    connection: JSON.parse(env('AKILI_KILL_PG')),
    pool: { min: 0, max: 2 },
  });
  const db = TenantScopedDatabase.create(knex, {
    tenantRole: process.env.AKILI_KILL_TENANT_ROLE || undefined,
  });
  const outbox = EventOutbox.create();
  for (let from = 0; from < count; from += 50) {
    await db.withTenant(tenant, tx =>
      outbox.enqueueMany(
        db,
        tx,
        Array.from({ length: Math.min(50, count - from) }, (_, i) =>
          executionEvent(tenant, `p-${(from + i) % 5}`, from + i),
        ),
      ),
    );
  }
  process.stdout.write(`committed ${count}\n`);

  const kafka = KafkaEventTransport.create({
    brokers: env('AKILI_KILL_BROKERS').split(','),
  });
  let batches = 0;
  const relay = OutboxRelay.create({
    db,
    batchSize: 10,
    transport: {
      async publish(messages) {
        await kafka.publish(messages);
        batches += 1;
        process.stdout.write(`acknowledged batch ${batches}\n`);
        if (batches === killAfter) {
          process.kill(process.pid, 'SIGKILL');
          await new Promise(() => {}); // never returns: the process is gone
        }
      },
    },
  });
  for (;;) {
    const round = await relay.runOnce();
    if (round.failed) throw new Error('relay round failed');
    if (!round.more && round.published === 0) break;
  }
  process.stdout.write('relayed everything (the kill did not happen)\n');
  process.exit(3);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(2);
});
