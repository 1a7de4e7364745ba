import { TestDatabases } from '@backstage/backend-test-utils';
import express, { Router } from 'express';
import request from 'supertest';
import {
  installTestMetrics,
  requireTestDatabaseIds,
  TestMetrics,
} from '../testUtils';
import {
  OutboxTestDatabase,
  executionEvent,
  openOutboxTestDatabase,
} from '../events/__testUtils__/outboxTestDatabase';
import { EventOutbox } from '../events/EventOutbox';
import { EventTransport } from '../events/EventTransport';
import { AKILI_OUTBOX_BACKLOG, OutboxRelay } from '../events/OutboxRelay';
import { AKILI_HTTP_SERVER_DURATION, akiliHttpMetrics } from './httpMetrics';
import { httpStatusClass } from './meter';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });

let testMetrics: TestMetrics;
beforeEach(() => {
  testMetrics = installTestMetrics();
});
afterEach(async () => {
  await testMetrics.uninstall();
});

describe('akiliHttpMetrics', () => {
  function app() {
    const first = Router();
    first.get('/runs/:tenant/:runId', (_req, res) => {
      res.json({ ok: true });
    });
    const second = Router();
    second.post('/runs/:tenant', (_req, res) => {
      res.status(503).json({ error: 'down' });
    });
    const plugin = Router();
    // As the plugin mounts it: first, then several routers of the plugin.
    plugin.use(akiliHttpMetrics('dagster'));
    plugin.use(first);
    plugin.use(akiliHttpMetrics('dagster'));
    plugin.use(second);
    return express().use('/api/dagster', plugin);
  }

  it('records each request once by plugin, route pattern, method and status class, never the URL', async () => {
    const server = app();
    await request(server).get('/api/dagster/runs/acme/r-1').expect(200);
    await request(server).get('/api/dagster/runs/globex/r-2').expect(200);
    await request(server).post('/api/dagster/runs/acme').expect(503);
    await request(server).get('/api/dagster/secret-tenant/nothing').expect(404);

    const points = await testMetrics.collect(AKILI_HTTP_SERVER_DURATION);
    const byLabels = Object.fromEntries(
      points.map(p => [
        `${p.attributes.method} ${p.attributes.route} ${p.attributes.status_class}`,
        p,
      ]),
    );
    expect(Object.keys(byLabels).sort()).toEqual([
      'GET /runs/:tenant/:runId 2xx',
      'GET unmatched 4xx',
      'POST /runs/:tenant 5xx',
    ]);
    expect(byLabels['GET /runs/:tenant/:runId 2xx'].value).toBe(2);
    expect(byLabels['POST /runs/:tenant 5xx'].value).toBe(1);
    expect(byLabels['GET unmatched 4xx'].value).toBe(1);
    for (const point of points) {
      expect(point.attributes.plugin).toBe('dagster');
      expect(point.sum).toBeGreaterThan(0);
      expect(JSON.stringify(point.attributes)).not.toMatch(
        /acme|globex|secret-tenant|r-1/,
      );
    }
  });

  it('is a no-op without an SDK', async () => {
    await testMetrics.uninstall();
    const server = app();
    await request(server).get('/api/dagster/runs/acme/r-1').expect(200);
    testMetrics = installTestMetrics();
    expect(await testMetrics.collect(AKILI_HTTP_SERVER_DURATION)).toEqual([]);
  });

  it('names status classes', () => {
    expect(httpStatusClass(200)).toBe('2xx');
    expect(httpStatusClass(404)).toBe('4xx');
    expect(httpStatusClass(599)).toBe('5xx');
    expect(httpStatusClass(0)).toBe('other');
  });
});

/** A broker that can be down; rows stay unpublished while it is. */
class SwitchableTransport implements EventTransport {
  down = true;
  published = 0;
  async publish(messages: unknown[]) {
    if (this.down) throw new Error('broker unreachable');
    this.published += messages.length;
  }
}

describe.each(databases.eachSupportedId())(
  'outbox backlog gauge on %p',
  databaseId => {
    let t: OutboxTestDatabase;
    beforeEach(async () => {
      t = await openOutboxTestDatabase(databases, databaseId);
    });
    afterEach(async () => {
      await t?.cleanup();
    });

    it('reports the unpublished rows of every tenant per plugin while the relay runs', async () => {
      const outbox = EventOutbox.create();
      const transport = new SwitchableTransport();
      const relay = OutboxRelay.create({
        db: t.db,
        transport,
        plugin: 'dagster',
        pollIntervalMs: 20,
        minBackoffMs: 20,
        maxBackoffMs: 50,
      });
      // Not running yet: nothing reported.
      expect(await testMetrics.collect(AKILI_OUTBOX_BACKLOG)).toEqual([]);

      relay.start();
      await t.db.withTenant('acme', async tx => {
        await outbox.enqueue(t.db, tx, executionEvent('acme', 'orders', 1));
        await outbox.enqueue(t.db, tx, executionEvent('acme', 'orders', 2));
      });
      await t.db.withTenant('globex', tx =>
        outbox.enqueue(t.db, tx, executionEvent('globex', 'ships', 3)),
      );
      expect(await testMetrics.collect(AKILI_OUTBOX_BACKLOG)).toEqual([
        { attributes: { plugin: 'dagster' }, value: 3 },
      ]);

      transport.down = false;
      relay.wake();
      for (let i = 0; i < 100 && transport.published < 3; i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      expect(transport.published).toBe(3);
      // The relay marks a published batch sent while it reads the next one, so the backlog
      // reaches 0 just after the last publish, not with it.
      const backlog = async () =>
        (await testMetrics.collect(AKILI_OUTBOX_BACKLOG))[0]?.value;
      for (let i = 0; i < 100 && (await backlog()) !== 0; i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      expect(await testMetrics.collect(AKILI_OUTBOX_BACKLOG)).toEqual([
        { attributes: { plugin: 'dagster' }, value: 0 },
      ]);

      // Stopped: the outbox is no longer read (the SDK keeps the last value it saw).
      await relay.stop();
      await t.db.withTenant('acme', tx =>
        outbox.enqueue(t.db, tx, executionEvent('acme', 'orders', 4)),
      );
      expect(await testMetrics.collect(AKILI_OUTBOX_BACKLOG)).toEqual([
        { attributes: { plugin: 'dagster' }, value: 0 },
      ]);
    });
  },
);
