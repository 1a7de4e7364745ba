/*
 * Fault: Dagster stuck and refused under load. The dagster plugin runs against the Dagster test
 * server (real GraphQL, validated against Dagster's schema); readers list runs and open a run
 * page and a launcher launches runs in a loop while Dagster hangs (accepts connections and never
 * answers) and then refuses connections, and comes back. While it is away every Dagster route
 * answers a 503 naming Dagster within 5 s (the plugin's default timeout is 4.5 s) and the
 * database-only routes (the run audit) keep answering; after it is back the portal recovers by
 * itself; and no launch is lost or duplicated: every run Dagster started has its audit entry
 * (succeeded, its run), no intent started two runs, and a launch asked again after Dagster took
 * it and never answered picks up that run instead of starting a second.
 */
import { DagsterTestServer } from '@akili/dagster-test-server';
import { Answer, startRunsPortal } from './__testUtils__/runsPortal';
import { ANSWER_MS, RECOVERY_MS, sleep, until } from './__testUtils__/wait';

jest.setTimeout(90_000);

const RUNS = '/v1/products/acme/orders/runs';
/** Past Dagster's default timeout (4.5 s) and the plugin's in-flight margin (1 s). */
const SETTLED_MS = 5_800;

type Phase = 'up' | 'stuck' | 'refused' | 'back';

interface Sample {
  /** The phase the request was asked in and answered in (only same-phase samples are judged). */
  phase: Phase;
  answeredIn: Phase;
  route: 'list' | 'run' | 'launch' | 'audit';
  answer: Answer;
}

describe('Dagster stuck and refused under load', () => {
  let portal: Awaited<ReturnType<typeof startRunsPortal>>;
  let dagster: DagsterTestServer;

  beforeAll(async () => {
    portal = await startRunsPortal();
    dagster = portal.dagster;
  });

  afterAll(async () => {
    await portal?.stop();
  });

  const listRuns = () => portal.call('GET', RUNS, 'alice');
  const launch = () => portal.call('POST', RUNS, 'alice', {});

  /** A 503 that names Dagster, as the runs pages show it. */
  function expectDagster503(sample: Sample) {
    expect({ route: sample.route, status: sample.answer.status }).toEqual({
      route: sample.route,
      status: 503,
    });
    expect(sample.answer.body.error.name).toBe('DagsterUnavailableError');
    expect(sample.answer.body.error.message).toMatch(
      new RegExp(`^Dagster at ${dagster.url} `),
    );
  }

  async function launchEntries() {
    const audit = await portal.audit();
    expect(audit.status).toBe(200);
    return (audit.body.items as Array<Record<string, any>>).filter(
      e => e.action === 'run.launched',
    );
  }

  it('answers 503 naming Dagster while it hangs or refuses, keeps its other routes up, recovers by itself and loses or duplicates no launch', async () => {
    let phase: Phase = 'up';
    let running = true;
    const samples: Sample[] = [];
    const failures: string[] = [];

    const loop = async (route: Sample['route'], ask: () => Promise<Answer>) => {
      while (running) {
        const asked = phase;
        try {
          const answer = await ask();
          samples.push({ phase: asked, answeredIn: phase, route, answer });
        } catch (error) {
          failures.push(`${asked} ${route}: ${(error as Error).message}`);
        }
        await sleep(200);
      }
    };
    const workers = [
      loop('list', listRuns),
      loop('run', () =>
        portal.call('GET', `/v1/runs/${portal.runId}`, 'alice'),
      ),
      loop('launch', launch),
      loop('audit', () => portal.audit()),
    ];

    await sleep(1_500);
    // Hangs: takes each request and never answers (nothing runs). Long enough for two rounds of
    // 4.5 s timeouts, so each loop has an answer asked and given while it hangs even when its
    // request in flight at the switch was held.
    phase = 'stuck';
    dagster.setStuck(true);
    await sleep(10_500);
    dagster.setStuck(false);
    phase = 'back';
    const backFromStuck = await until(
      async () => (await listRuns()).status === 200,
      RECOVERY_MS,
    );
    await sleep(1_000);

    // Refuses: the port is closed.
    phase = 'refused';
    await dagster.setDown(true);
    await sleep(2_000);
    await dagster.setDown(false);
    phase = 'back';
    const backFromRefused = await until(
      async () => (await listRuns()).status === 200,
      RECOVERY_MS,
    );
    await sleep(1_000);
    running = false;
    await Promise.all(workers);

    // Never a hang past 5 s, never a crash.
    expect(failures).toEqual([]);
    expect(backFromStuck).toBe(true);
    expect(backFromRefused).toBe(true);

    const of = (p: Phase, route?: Sample['route']) =>
      samples.filter(
        s =>
          s.phase === p && s.answeredIn === p && (!route || s.route === route),
      );
    // Before the fault everything worked.
    expect(of('up').map(s => [s.route, s.answer.status])).toEqual(
      of('up').map(s => [s.route, s.route === 'launch' ? 201 : 200]),
    );
    for (const p of ['stuck', 'refused'] as const) {
      const dagsterRoutes = of(p).filter(s => s.route !== 'audit');
      // The loop got answers from every Dagster route during the fault ...
      expect(new Set(dagsterRoutes.map(s => s.route))).toEqual(
        new Set(['list', 'run', 'launch']),
      );
      // ... all of them 503s naming Dagster ...
      dagsterRoutes.forEach(expectDagster503);
      // ... while the routes that do not need Dagster stayed up.
      expect(of(p, 'audit').length).toBeGreaterThan(0);
      expect(of(p, 'audit').every(s => s.answer.status === 200)).toBe(true);
    }
    const messages = (p: Phase) =>
      of(p)
        .filter(s => s.route !== 'audit')
        .map(s => s.answer.body.error.message as string);
    expect(
      messages('stuck').every(m => / did not answer within 4\.5 s /.test(m)),
    ).toBe(true);
    // A request written to a kept-alive connection Dagster just closed is a dropped connection;
    // the rest are refused.
    expect(
      messages('refused').some(m =>
        /could not be reached \(\w+\): ECONNREFUSED$/.test(m),
      ),
    ).toBe(true);

    // A launch once everything settled: it also settles the launches Dagster never answered.
    await sleep(SETTLED_MS);
    const last = await launch();
    expect(last.status).toBe(201);

    // Nothing lost, nothing twice: the runs Dagster started are exactly the launches the audit
    // records as succeeded, each intent started at most one run, and none is left unknown.
    const entries = await launchEntries();
    expect(entries.filter(e => e.outcome === 'unknown')).toEqual([]);
    const succeeded = entries.filter(e => e.outcome === 'succeeded');
    expect(succeeded.map(e => e.runId).sort()).toEqual(
      [...portal.launched].sort(),
    );
    const intents = portal.launched.map(
      runId => dagster.getRun(runId)!.tags['akili/audit-intent'],
    );
    expect(new Set(intents).size).toBe(intents.length);
    for (const entry of succeeded) {
      expect(dagster.getRun(entry.runId)!.tags['akili/audit-intent']).toBe(
        entry.id,
      );
    }
    // Every 201 named a run Dagster has; launches that failed started none.
    const answered = samples
      .filter(s => s.route === 'launch' && s.answer.status === 201)
      .map(s => s.answer.body.runId);
    expect(answered.every(runId => portal.launched.includes(runId))).toBe(true);
    expect(
      entries
        .filter(e => e.outcome === 'failed')
        .every(e => e.runId === undefined),
    ).toBe(true);
    dagster.assertNoInvalidRequests();
  });

  it('picks up the run of a launch Dagster took and never answered instead of launching it twice', async () => {
    // Settle what the first test left.
    await sleep(SETTLED_MS);
    expect((await launch()).status).toBe(201);
    const before = portal.launched.length;

    // Dagster runs the launch and its answer is lost.
    dagster.setStuck(true, { afterProcessing: true });
    const lost = await launch();
    dagster.setStuck(false);
    expect(lost.status).toBe(503);
    expect(lost.body.error.message).toMatch(
      /did not answer within 4\.5 s \(AkiliLaunchRun\): whether it took effect is unknown/,
    );
    expect(portal.launched.length).toBe(before + 1);
    const started = portal.launched[before];
    const [pending] = await launchEntries();
    expect(pending).toMatchObject({ outcome: 'unknown' });
    expect(dagster.getRun(started)!.tags['akili/audit-intent']).toBe(
      pending.id,
    );

    // The user launches again: the portal finds the run instead of starting a second one.
    await sleep(SETTLED_MS - ANSWER_MS + 500);
    const retried = await launch();
    expect(retried.status).toBe(201);
    expect(retried.body.runId).toBe(started);
    expect(portal.launched.length).toBe(before + 1);
    const [settled, ...older] = await launchEntries();
    expect(settled).toMatchObject({
      id: pending.id,
      outcome: 'succeeded',
      runId: started,
    });
    expect(older.every(e => e.id !== pending.id)).toBe(true);
  });

  it('launches anew when Dagster hung before running the launch, and records that one as failed', async () => {
    const before = portal.launched.length;
    dagster.setStuck(true);
    const hung = await launch();
    dagster.setStuck(false);
    expect(hung.status).toBe(503);
    expect(portal.launched.length).toBe(before);
    const [pending] = await launchEntries();
    expect(pending.outcome).toBe('unknown');

    await sleep(SETTLED_MS - ANSWER_MS + 500);
    const retried = await launch();
    expect(retried.status).toBe(201);
    expect(portal.launched.length).toBe(before + 1);
    expect(portal.launched[before]).toBe(retried.body.runId);
    const entries = await launchEntries();
    expect(entries[0]).toMatchObject({
      outcome: 'succeeded',
      runId: retried.body.runId,
    });
    expect(entries.find(e => e.id === pending.id)).toMatchObject({
      outcome: 'failed',
      error:
        'DagsterNoAnswerError: Dagster did not answer the launch, and has no run of it',
    });
  });
});
