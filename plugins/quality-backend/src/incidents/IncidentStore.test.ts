import { TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { TenantScopedDatabase } from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  QualityOutcome,
  QualityResult,
  QualitySeverity,
} from '@akili/plugin-quality-common';
import { Knex } from 'knex';
import { QUALITY_MIGRATIONS_DIRECTORY } from '../service/QualityStore';
import { IncidentStore } from './IncidentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });

const T0 = Date.parse('2026-12-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe.each(databases.eachSupportedId())(
  'incident store on %p',
  databaseId => {
    let knex: Knex;
    let db: TenantScopedDatabase;
    let now: Date;
    let store: IncidentStore;
    let execution = 0;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: QUALITY_MIGRATIONS_DIRECTORY });
      db = TenantScopedDatabase.create(knex);
      now = new Date(at(1000));
      store = new IncidentStore({ db, clock: () => now });
      await rules('acme', 'orders', {
        no_nulls: 'error',
        row_count: 'warning',
        documented: 'info',
      });
      await rules('globex', 'orders', { no_nulls: 'error' });
    });

    async function rules(
      tenant: string,
      product: string,
      severities: Record<string, QualitySeverity>,
    ) {
      await db.withTenant(tenant, tx =>
        db.insert(
          tx,
          'quality_rules',
          Object.entries(severities).map(([rule, severity]) => ({
            product,
            rule,
            dimension: 'completeness',
            severity,
          })),
        ),
      );
    }

    /** Stores results as ingestion does and hands them to the store in the same transaction. */
    async function report(
      tenant: string,
      product: string,
      results: Array<[rule: string, outcome: QualityOutcome, minute: number]>,
    ) {
      return db.withTenant(tenant, async tx => {
        const stored: QualityResult[] = [];
        for (const [rule, outcome, minute] of results) {
          execution += 1;
          const [row] = await db
            .insert(tx, 'quality_results', {
              product,
              rule,
              dimension: 'completeness',
              severity: 'error',
              outcome,
              source: 'test',
              execution_id: `e${execution}`,
              observed_at: new Date(at(minute)),
              received_at: now,
              in_contract: true,
            })
            .returning('id');
          stored.push({
            id: String(typeof row === 'object' ? row.id : row),
            rule,
            dimension: 'completeness',
            severity: 'error',
            outcome,
            source: 'test',
            executionId: `e${execution}`,
            observedAt: at(minute),
          });
        }
        return store.onResults(tx, tenant, product, stored);
      });
    }

    const all = async (tenant = 'acme') =>
      (await store.list(tenant, { state: 'all', limit: 100 })).items;

    it('opens one incident per failing rule, extended by later failures, not one per failure', async () => {
      const opened = await report('acme', 'orders', [
        ['no_nulls', 'fail', 1],
        ['row_count', 'error', 1],
        ['documented', 'fail', 1],
        ['not_in_contract', 'fail', 1],
      ]);
      expect(opened.map(i => [i.cause.key, i.severity, i.state])).toEqual([
        ['no_nulls', 'error', 'new'],
        ['row_count', 'warning', 'new'],
      ]);
      expect(opened[0]).toMatchObject({
        tenant: 'acme',
        product: 'dataproduct:acme/orders',
        cause: { kind: 'rule', key: 'no_nulls' },
        failures: 1,
        lastFailureAt: at(1),
        // When the failing began, not when it was reported (minute 1000).
        openedAt: at(1),
      });

      expect(await report('acme', 'orders', [['no_nulls', 'fail', 2]])).toEqual(
        [],
      );
      // Two more failures in one batch count twice.
      expect(
        await report('acme', 'orders', [
          ['no_nulls', 'error', 3],
          ['no_nulls', 'fail', 4],
        ]),
      ).toEqual([]);
      const incidents = await all();
      expect(incidents).toHaveLength(2);
      const { incident, timeline } = await store.get('acme', opened[0].id);
      expect(incident).toMatchObject({ failures: 4, lastFailureAt: at(4) });
      expect(timeline.map(e => [e.kind, e.actor, e.details.failures])).toEqual([
        ['opened', 'akili:quality', 1],
        ['failed-again', 'akili:quality', 1],
        ['failed-again', 'akili:quality', 2],
      ]);
      expect(timeline[2].details).toMatchObject({
        outcome: 'fail',
        observedAt: at(4),
      });
      // The other tenant's same rule is its own cause.
      expect(
        await report('globex', 'orders', [['no_nulls', 'fail', 1]]),
      ).toEqual([expect.objectContaining({ tenant: 'globex', failures: 1 })]);
      expect(await all('globex')).toHaveLength(1);
    });

    it('keeps one incident when two ingestions of the same failure race', async () => {
      const racing = await Promise.all([
        report('acme', 'orders', [['no_nulls', 'fail', 1]]),
        report('acme', 'orders', [['no_nulls', 'fail', 2]]),
      ]);
      expect(racing.flat()).toHaveLength(1);
      const incidents = await all();
      expect(incidents).toHaveLength(1);
      expect(incidents[0].failures).toBe(2);
    });

    it('extends, instead of duplicating, an incident another transaction opened meanwhile', async () => {
      // The first transaction opens the incident and waits, uncommitted, while the second one
      // (which saw no open incident) tries to open its own: the partial unique index makes it
      // wait, then refuses it, and the second extends the first's incident.
      let release!: () => void;
      const held = new Promise<void>(resolve => {
        release = resolve;
      });
      let opened!: () => void;
      const firstOpened = new Promise<void>(resolve => {
        opened = resolve;
      });
      const first = db.withTenant('acme', async tx => {
        const [row] = await db
          .insert(tx, 'quality_results', {
            product: 'orders',
            rule: 'no_nulls',
            dimension: 'completeness',
            severity: 'error',
            outcome: 'fail',
            source: 'test',
            execution_id: 'held',
            observed_at: new Date(at(1)),
            received_at: now,
            in_contract: true,
          })
          .returning('id');
        const result = await store.onResults(tx, 'acme', 'orders', [
          {
            id: String(typeof row === 'object' ? row.id : row),
            rule: 'no_nulls',
            dimension: 'completeness',
            severity: 'error',
            outcome: 'fail',
            source: 'test',
            executionId: 'held',
            observedAt: at(1),
          },
        ]);
        opened();
        await held;
        return result;
      });
      await firstOpened;
      const second = report('acme', 'orders', [['no_nulls', 'fail', 2]]);
      // The second transaction waits (PostgreSQL: on the index; SQLite: for the one writer).
      const state = await Promise.race([
        second.then(() => 'finished'),
        new Promise(resolve => setTimeout(() => resolve('waiting'), 300)),
      ]);
      expect(state).toBe('waiting');
      release();
      expect(await second).toEqual([]);
      expect((await first).map(i => i.failures)).toEqual([1]);
      const incidents = await all();
      expect(
        incidents.map(i => [i.state, i.failures, i.lastFailureAt]),
      ).toEqual([['new', 2, at(2)]]);
    });

    it('resolves itself when the rule passes again, and a new failure opens a new incident', async () => {
      const [first] = await report('acme', 'orders', [['no_nulls', 'fail', 1]]);
      await report('acme', 'orders', [['no_nulls', 'warn', 2]]);
      expect((await store.get('acme', first.id)).incident.state).toBe('new');
      await report('acme', 'orders', [['no_nulls', 'pass', 3]]);
      const { incident, timeline } = await store.get('acme', first.id);
      expect(incident).toMatchObject({
        state: 'resolved',
        // When it passed again, not when that was reported.
        resolvedAt: at(3),
        resolution: { reason: 'recovered', by: 'akili:quality' },
      });
      expect(timeline.map(e => [e.kind, e.actor])).toEqual([
        ['opened', 'akili:quality'],
        ['resolved', 'akili:quality'],
      ]);
      expect(timeline[1].details).toMatchObject({
        reason: 'recovered',
        outcome: 'pass',
        observedAt: at(3),
      });
      const [second] = await report('acme', 'orders', [
        ['no_nulls', 'fail', 4],
      ]);
      expect(second.id).not.toBe(first.id);
      expect((await all()).map(i => [i.id, i.state])).toEqual([
        [second.id, 'new'],
        [first.id, 'resolved'],
      ]);
    });

    it('resolves and opens again when one batch holds a pass between failures', async () => {
      const [first] = await report('acme', 'orders', [['no_nulls', 'fail', 1]]);
      const [second] = await report('acme', 'orders', [
        ['no_nulls', 'fail', 4],
        ['no_nulls', 'pass', 2],
        ['no_nulls', 'error', 3],
      ]);
      expect(second).toMatchObject({ failures: 2, lastFailureAt: at(4) });
      const { incident, timeline } = await store.get('acme', first.id);
      expect(incident).toMatchObject({ state: 'resolved', failures: 1 });
      expect(timeline[1].details).toMatchObject({
        reason: 'recovered',
        observedAt: at(2),
        recoveredAt: at(2),
      });
      expect((await all()).map(i => [i.id, i.state])).toEqual([
        [second.id, 'new'],
        [first.id, 'resolved'],
      ]);
    });

    it('ignores history arriving out of order: it neither reopens, closes nor extends', async () => {
      const [first] = await report('acme', 'orders', [
        ['no_nulls', 'fail', 10],
      ]);
      await report('acme', 'orders', [['no_nulls', 'pass', 20]]);
      // A failure from before the pass arrives late: the rule passes, nothing reopens.
      expect(
        await report('acme', 'orders', [['no_nulls', 'fail', 15]]),
      ).toEqual([]);
      expect((await all()).map(i => i.state)).toEqual(['resolved']);

      const [second] = await report('acme', 'orders', [
        ['no_nulls', 'fail', 50],
      ]);
      // A pass and a failure from before the last failure arrive late.
      await report('acme', 'orders', [['no_nulls', 'pass', 40]]);
      await report('acme', 'orders', [['no_nulls', 'fail', 45]]);
      const { incident, timeline } = await store.get('acme', second.id);
      expect(incident).toMatchObject({
        state: 'new',
        failures: 1,
        lastFailureAt: at(50),
      });
      expect(timeline.map(e => e.kind)).toEqual(['opened']);
      expect(first.id).not.toBe(second.id);
    });

    it('opens a run incident per failing job, extended by newer failures, resolved by a newer success', async () => {
      const run = (
        runId: string,
        job: string,
        status: string,
        minute: number,
      ) =>
        db.withTenant('acme', tx =>
          store.onRun(tx, 'acme', 'orders', {
            runId,
            job,
            status,
            endedAt: at(minute),
          }),
        );
      const [incident] = await run('r1', 'orders_hourly', 'FAILURE', 10);
      expect(incident).toMatchObject({
        cause: { kind: 'run', key: 'orders_hourly' },
        severity: 'error',
        failures: 1,
      });
      expect(await run('r2', 'orders_hourly', 'FAILURE', 20)).toEqual([]);
      // Older than the last failure: not counted; canceled: nothing.
      expect(await run('r0', 'orders_hourly', 'FAILURE', 5)).toEqual([]);
      expect(await run('r3', 'orders_hourly', 'CANCELED', 25)).toEqual([]);
      // A success older than the last failure leaves it open.
      await run('r1b', 'orders_hourly', 'SUCCESS', 15);
      expect((await store.get('acme', incident.id)).incident).toMatchObject({
        state: 'new',
        failures: 2,
        lastFailureAt: at(20),
      });
      // Another job is another cause.
      expect(await run('r4', 'orders_backfill', 'FAILURE', 21)).toHaveLength(1);

      await run('r5', 'orders_hourly', 'SUCCESS', 30);
      const { incident: resolved, timeline } = await store.get(
        'acme',
        incident.id,
      );
      expect(resolved.resolution).toEqual({
        reason: 'recovered',
        by: 'akili:quality',
      });
      expect(timeline.map(e => e.kind)).toEqual([
        'opened',
        'failed-again',
        'resolved',
      ]);
      expect(timeline[2].details).toMatchObject({ runId: 'r5' });
      // A failure from before that success arrives late: nothing reopens.
      expect(await run('r6', 'orders_hourly', 'FAILURE', 28)).toEqual([]);
      expect(await run('r7', 'orders_hourly', 'FAILURE', 31)).toHaveLength(1);
    });

    it('opens freshness incidents for breached SLOs only, and resolves them when fresh again', async () => {
      const product = (
        name: string,
        maxDelayMinutes: number | null,
        lastSuccessMinute: number | null,
      ) => ({
        product: name,
        rules_hash: 'x',
        max_delay_minutes: maxDelayMinutes,
        max_delay: maxDelayMinutes === null ? null : `${maxDelayMinutes}m`,
        last_success_at:
          lastSuccessMinute === null ? null : new Date(at(lastSuccessMinute)),
        synced_at: now,
      });
      await db.withTenant('acme', tx =>
        db.insert(tx, 'quality_products', [
          // now = minute 1000
          product('stale', 60, 900),
          product('fresh', 60, 950),
          product('never-ran', 60, null),
          product('no-slo', null, 0),
        ]),
      );
      await db.withTenant('globex', tx =>
        db.insert(tx, 'quality_products', [product('stale', 60, 0)]),
      );

      const opened = await store.checkFreshness('acme');
      expect(opened.map(i => [i.product, i.cause.kind, i.cause.key])).toEqual([
        ['dataproduct:acme/stale', 'freshness', 'freshness'],
      ]);
      expect(opened[0]).toMatchObject({
        title: 'stale is stale: no successful run within 60m',
        lastFailureAt: at(960),
      });
      // Checking again opens nothing more.
      expect(await store.checkFreshness('acme')).toEqual([]);
      expect(await all()).toHaveLength(1);

      // 'fresh' goes stale, 'stale' runs again.
      now = new Date(at(1011));
      await db.withTenant('acme', tx =>
        db
          .scoped(tx, 'quality_products')
          .where('product', 'stale')
          .update({ last_success_at: new Date(at(1005)) }),
      );
      const later = await store.checkFreshness('acme');
      expect(later.map(i => i.product)).toEqual(['dataproduct:acme/fresh']);
      const { incident, timeline } = await store.get('acme', opened[0].id);
      expect(incident).toMatchObject({
        state: 'resolved',
        resolution: { reason: 'recovered', by: 'akili:quality' },
      });
      expect(timeline.map(e => e.kind)).toEqual(['opened', 'resolved']);
      expect(await all('globex')).toEqual([]);
    });

    it('moves new → acknowledged → assigned → resolved, refusing wrong transitions, with a timeline', async () => {
      const [incident] = await report('acme', 'orders', [
        ['no_nulls', 'fail', 1000],
      ]);
      const { id } = incident;

      now = new Date(at(1010));
      const acked = await store.acknowledge('acme', id, 'user:default/olga');
      expect(acked.incident).toMatchObject({
        state: 'acknowledged',
        acknowledgedAt: at(1010),
      });
      await expect(
        store.acknowledge('acme', id, 'user:default/olga'),
      ).rejects.toThrow(ConflictError);
      await expect(
        store.acknowledge('acme', id, 'user:default/olga'),
      ).rejects.toThrow(/is acknowledged/);

      now = new Date(at(1020));
      const assigned = await store.assign(
        'acme',
        id,
        'user:default/alice',
        'user:default/olga',
      );
      expect(assigned.incident).toMatchObject({
        state: 'assigned',
        assignee: 'user:default/alice',
        assignedAt: at(1020),
        acknowledgedAt: at(1010),
      });
      await store.comment(
        'acme',
        id,
        '  looking at it  ',
        'user:default/alice',
      );
      await expect(store.comment('acme', id, '  ', 'x')).rejects.toThrow(
        InputError,
      );

      await expect(
        store.resolve('acme', id, 'other', undefined, 'user:default/alice'),
      ).rejects.toThrow('comment is required when the reason is other');
      await expect(
        store.resolve('acme', id, 'recovered', undefined, 'user:default/alice'),
      ).rejects.toThrow(/reason must be one of false-positive/);
      now = new Date(at(1030));
      const resolved = await store.resolve(
        'acme',
        id,
        'upstream',
        'the supplier sent nulls',
        'user:default/alice',
      );
      expect(resolved.incident).toMatchObject({
        state: 'resolved',
        resolvedAt: at(1030),
        resolution: {
          reason: 'upstream',
          comment: 'the supplier sent nulls',
          by: 'user:default/alice',
        },
      });
      for (const change of [
        () => store.acknowledge('acme', id, 'x'),
        () => store.assign('acme', id, 'user:default/bob', 'x'),
        () => store.resolve('acme', id, 'duplicates', undefined, 'x'),
      ]) {
        await expect(change()).rejects.toThrow(
          `Incident ${id} is resolved; this needs it`,
        );
      }
      // Comments on a resolved incident are fine.
      const final = await store.comment('acme', id, 'post-mortem done', 'x');
      expect(
        final.timeline.map(e => [e.kind, e.actor, e.at, e.details]),
      ).toEqual([
        [
          'opened',
          'akili:quality',
          at(1000),
          expect.objectContaining({ outcome: 'fail' }),
        ],
        ['acknowledged', 'user:default/olga', at(1010), {}],
        [
          'assigned',
          'user:default/olga',
          at(1020),
          { assignee: 'user:default/alice' },
        ],
        [
          'commented',
          'user:default/alice',
          at(1020),
          { comment: 'looking at it' },
        ],
        [
          'resolved',
          'user:default/alice',
          at(1030),
          { reason: 'upstream', comment: 'the supplier sent nulls' },
        ],
        ['commented', 'x', at(1030), { comment: 'post-mortem done' }],
      ]);

      // Resolved: the cause may open a new incident.
      expect(
        await report('acme', 'orders', [['no_nulls', 'fail', 1040]]),
      ).toEqual([expect.objectContaining({ state: 'new' })]);
    });

    it('assigning a new incident acknowledges it too; another tenant sees no such incident', async () => {
      const [incident] = await report('acme', 'orders', [
        ['no_nulls', 'fail', 1],
      ]);
      const { incident: assigned, timeline } = await store.assign(
        'acme',
        incident.id,
        'user:default/alice',
        'user:default/olga',
      );
      expect(assigned).toMatchObject({
        state: 'assigned',
        acknowledgedAt: now.toISOString(),
        assignedAt: now.toISOString(),
      });
      expect(timeline.map(e => e.kind)).toEqual(['opened', 'assigned']);
      const reassigned = await store.assign(
        'acme',
        incident.id,
        'user:default/bob',
        'user:default/olga',
      );
      expect(reassigned.incident.assignee).toBe('user:default/bob');
      expect(reassigned.timeline[2].details).toEqual({
        assignee: 'user:default/bob',
        previousAssignee: 'user:default/alice',
      });

      for (const call of [
        () => store.get('globex', incident.id),
        () => store.acknowledge('globex', incident.id, 'x'),
        () => store.get('acme', '999999'),
        () => store.get('acme', 'abc'),
      ]) {
        await expect(call()).rejects.toThrow(NotFoundError);
      }
      await expect(store.get('globex', incident.id)).rejects.toThrow(
        `No incident ${incident.id}`,
      );
    });

    it('lists newest first in pages, by state and product', async () => {
      await rules('acme', 'customers', { unique_ids: 'error' });
      const [a] = await report('acme', 'orders', [['no_nulls', 'fail', 1]]);
      const [b] = await report('acme', 'orders', [['row_count', 'fail', 1]]);
      const [c] = await report('acme', 'customers', [
        ['unique_ids', 'fail', 1],
      ]);
      await store.acknowledge('acme', b.id, 'x');
      await report('acme', 'orders', [['no_nulls', 'pass', 2]]);

      const first = await store.list('acme', { state: 'all', limit: 2 });
      expect(first.items.map(i => i.id)).toEqual([c.id, b.id]);
      const rest = await store.list('acme', {
        state: 'all',
        limit: 2,
        cursor: first.nextCursor,
      });
      expect(rest.items.map(i => i.id)).toEqual([a.id]);
      expect(rest.nextCursor).toBeUndefined();

      const ids = async (options: Parameters<IncidentStore['list']>[1]) =>
        (await store.list('acme', options)).items.map(i => i.id);
      expect(await ids({ limit: 10 })).toEqual([c.id, b.id]);
      expect(await ids({ state: 'resolved', limit: 10 })).toEqual([a.id]);
      expect(await ids({ state: 'acknowledged', limit: 10 })).toEqual([b.id]);
      expect(await ids({ state: 'all', product: 'orders', limit: 10 })).toEqual(
        [b.id, a.id],
      );
      expect(await store.openCounts('acme')).toEqual(
        new Map([
          ['customers', 1],
          ['orders', 1],
        ]),
      );
      expect(
        (await store.list('globex', { state: 'all', limit: 10 })).items,
      ).toEqual([]);
    });

    it('computes the mean minutes to acknowledge and to resolve over a period', async () => {
      await rules('acme', 'customers', { unique_ids: 'error', fresh: 'error' });
      const step = async <T>(minute: number, fn: () => Promise<T>) => {
        now = new Date(at(minute));
        return fn();
      };
      // Incidents open when the failing began (the results' time) and resolve themselves when
      // the passing result was observed.
      // Opened at 1000: acknowledged after 10, resolved after 70.
      const [a] = await step(1000, () =>
        report('acme', 'orders', [['no_nulls', 'fail', 1000]]),
      );
      // Opened at 1000: acknowledged (by assignment) after 30, resolved after 30.
      const [b] = await step(1000, () =>
        report('acme', 'customers', [['unique_ids', 'fail', 1000]]),
      );
      // Failing since 1040 (reported at 1045), never acknowledged, passed again at 1060.
      const [c] = await step(1045, () =>
        report('acme', 'customers', [['fresh', 'fail', 1040]]),
      );
      // Still open.
      await step(1040, () =>
        report('acme', 'orders', [['row_count', 'fail', 1040]]),
      );
      await step(1010, () => store.acknowledge('acme', a.id, 'x'));
      await step(1030, () => store.assign('acme', b.id, 'user:default/a', 'x'));
      await step(1030, () =>
        store.resolve('acme', b.id, 'duplicates', '', 'x'),
      );
      await step(1065, () =>
        report('acme', 'customers', [['fresh', 'pass', 1060]]),
      );
      await step(1070, () =>
        store.resolve('acme', a.id, 'false-positive', undefined, 'x'),
      );
      expect(c.id).toBeDefined();

      now = new Date(at(1080));
      expect(await store.responseTimes('acme', 30)).toEqual({
        open: 1,
        // (10 + 30) / 2
        meanMinutesToAcknowledge: 20,
        // (70 + 30 + 20) / 3
        meanMinutesToResolve: 40,
        days: 30,
      });
      // 31 days later, nothing of the period.
      now = new Date(at(1080 + 31 * 24 * 60));
      expect(await store.responseTimes('acme', 30)).toEqual({
        open: 1,
        meanMinutesToAcknowledge: null,
        meanMinutesToResolve: null,
        days: 30,
      });
      expect(await store.responseTimes('globex', 30)).toEqual({
        open: 0,
        meanMinutesToAcknowledge: null,
        meanMinutesToResolve: null,
        days: 30,
      });
    });
  },
);
