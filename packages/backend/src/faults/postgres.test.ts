/*
 * Fault: PostgreSQL restarted under load. The control plane (akili-backend) runs against a
 * private PostgreSQL server and a private Kafka-protocol broker; writers submit data products in
 * a loop while the server is stopped (immediate: a crash, every connection cut) and started
 * again on the same port. While it is down every request answers a 503 naming the database
 * within 5 s; after it is back the portal recovers by itself within 30 s (no restart); and every
 * product registered has exactly one product.registered event in the outbox, published to the
 * broker and delivered once to the consumer.
 */
import {
  PrivatePostgres,
  startPrivatePostgres,
} from './__testUtils__/privatePostgres';
import {
  PrivateBroker,
  startPrivateBroker,
} from './__testUtils__/privateBroker';
import {
  ControlPlane,
  expectNothingLostOrDuplicated,
  startControlPlane,
  startLoad,
} from './__testUtils__/controlPlane';
import { AUDIT_INTENT_TAG, startRunsPortal } from './__testUtils__/runsPortal';
import { ANSWER_MS, RECOVERY_MS, sleep, until } from './__testUtils__/wait';

/**
 * `dagster.timeoutMs` of the runs portal: a launch whose outcome is unknown is settled by the
 * next launch once it is older than this (plus a margin).
 */
const DAGSTER_TIMEOUT_MS = 3_000;

jest.setTimeout(180_000);

const WRITERS = 3;

describe('fault: PostgreSQL restarted under load', () => {
  let pg: PrivatePostgres;
  let broker: PrivateBroker;
  let cp: ControlPlane;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    broker = await startPrivateBroker();
    cp = await startControlPlane({ pg, broker });
  });

  afterAll(async () => {
    await cp?.stop();
    await broker?.stop();
    await pg?.destroy();
  });

  it('answers 503 naming the database while it is down, recovers by itself, and loses or duplicates no event', async () => {
    const load = startLoad(cp, WRITERS, ANSWER_MS);
    // Load before the fault: the portal works.
    expect(await until(() => load.count('before', 201) >= 10, 60_000)).toBe(
      true,
    );

    await pg.stop('immediate');
    load.phase = 'down';
    // At least 15 requests sent and answered while it is down, and the relay (background work)
    // has tried to read the outbox.
    const relayFailed = () =>
      cp.logs.filter(l => l.message === 'Could not read the event outbox');
    await until(
      () => load.count('down') >= 15 && relayFailed().length > 0,
      60_000,
    );

    // 'after' before the start: a request waiting for a connection may be answered by the
    // returning server before `start` resolves, and must not count as answered while down.
    load.phase = 'after';
    await pg.start();
    // Every writer succeeds again within 30 s of the database's return, without a restart.
    const recovered = await until(
      () => load.count('after', 201) >= WRITERS,
      RECOVERY_MS,
    );
    await until(() => load.count('after', 201) >= 10, 30_000);
    await load.stop();

    // Every answer is a success or a 503: nothing hung past 5 s, nothing was a 500.
    expect(
      load.outcomes.filter(o => o.status !== 201 && o.status !== 503),
    ).toEqual([]);
    const down = load.outcomes.filter(
      o => o.phase === 'down' && o.answeredIn === 'down',
    );
    expect(down.length).toBeGreaterThanOrEqual(15);
    for (const o of down) {
      expect(o).toMatchObject({
        status: 503,
        message: expect.stringMatching(
          /^The database \(PostgreSQL\) is unavailable \(.+\); try again shortly$/,
        ),
      });
    }
    expect(recovered).toBe(true);
    // The relay did not crash: it logged why, naming the database, and went on (it published
    // everything afterwards, checked below).
    expect(relayFailed().length).toBeGreaterThan(0);
    for (const line of relayFailed()) {
      expect(line).toMatchObject({
        level: 'error',
        meta: {
          plugin: 'akili',
          error: expect.stringMatching(
            /^The database \(PostgreSQL\) is unavailable \(.+\)/,
          ),
        },
      });
    }

    const figures = await expectNothingLostOrDuplicated(
      cp,
      broker,
      load.outcomes,
    );
    // eslint-disable-next-line no-console
    console.log(
      `postgres fault: ${load.outcomes.length} requests, ${down.length} answered while down (all 503), ${figures.accepted} products registered, ${figures.events} events, ${figures.topicDuplicates} duplicate(s) on the topic, 0 at the consumer`,
    );
  });
});

describe('fault: PostgreSQL restarted while runs are launched', () => {
  let pg: PrivatePostgres;
  let portal: Awaited<ReturnType<typeof startRunsPortal>>;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    portal = await startRunsPortal({
      pg,
      dagsterTimeoutMs: DAGSTER_TIMEOUT_MS,
    });
  });

  afterAll(async () => {
    await portal?.stop();
    await pg?.destroy();
  });

  it('answers 503 naming the database, recovers by itself, and launches no run without its audit intent or twice', async () => {
    type Phase = 'before' | 'down' | 'after';
    let phase: Phase = 'before';
    let running = true;
    const answers: Array<{
      phase: Phase;
      answeredIn: Phase;
      status: number | string;
      runId?: string;
      message?: string;
    }> = [];
    const writer = async () => {
      while (running) {
        const sentIn = phase;
        try {
          const answer = await portal.launch(ANSWER_MS);
          answers.push({ phase: sentIn, answeredIn: phase, ...answer });
        } catch (error) {
          answers.push({
            phase: sentIn,
            answeredIn: phase,
            status: (error as Error).name,
            message: (error as Error).message,
          });
        }
        await sleep(50);
      }
    };
    const count = (p: Phase, status?: number) =>
      answers.filter(
        a =>
          a.phase === p &&
          a.answeredIn === p &&
          (status === undefined || a.status === status),
      ).length;
    const writers = Array.from({ length: WRITERS }, writer);

    expect(await until(() => count('before', 201) >= 6, 60_000)).toBe(true);
    await pg.stop('immediate');
    phase = 'down';
    await until(() => count('down') >= 10, 60_000);
    phase = 'after';
    await pg.start();
    const recovered = await until(
      () => count('after', 201) >= WRITERS,
      RECOVERY_MS,
    );
    await until(() => count('after', 201) >= 6, 30_000);
    running = false;
    await Promise.all(writers);

    expect(answers.filter(a => a.status !== 201 && a.status !== 503)).toEqual(
      [],
    );
    const down = answers.filter(
      a => a.phase === 'down' && a.answeredIn === 'down',
    );
    expect(down.length).toBeGreaterThanOrEqual(10);
    for (const a of down) {
      expect(a).toMatchObject({
        status: 503,
        message: expect.stringMatching(
          /^The database \(PostgreSQL\) is unavailable \(.+\); try again shortly$/,
        ),
      });
    }
    expect(recovered).toBe(true);

    // Every run Dagster launched carries the id of an audit intent committed before it, no
    // intent launched two runs, and every 201 named a run Dagster launched.
    const intents = new Set(await portal.launchIntents());
    const tags = portal.launched.map(
      runId => portal.dagster.getRun(runId)?.tags?.[AUDIT_INTENT_TAG],
    );
    expect(tags.filter(tag => !tag || !intents.has(tag))).toEqual([]);
    expect(new Set(tags).size).toBe(tags.length);
    const launched = new Set(portal.launched);
    expect(
      answers.filter(a => a.status === 201 && !launched.has(a.runId!)),
    ).toEqual([]);
    // A launch whose outcome could not be written while the database was down shows as
    // unknown until the next launch, once it is older than Dagster's timeout, finds its run.
    await sleep(DAGSTER_TIMEOUT_MS + 2_000);
    const last = await portal.launch(ANSWER_MS);
    expect(last.status).toBe(201);
    const outcomes = await portal.launchOutcomes();
    // One outcome per intent; every launched run has its `succeeded` (no launch lost in the
    // audit), and an intent recorded failed launched nothing.
    expect(new Set(outcomes.map(o => o.intent_id)).size).toBe(outcomes.length);
    const succeeded = outcomes.filter(o => o.outcome === 'succeeded');
    expect(succeeded.map(o => o.run_id).sort()).toEqual(
      [...portal.launched].sort(),
    );
    const failed = outcomes.filter(o => o.outcome !== 'succeeded');
    expect(failed.filter(o => tags.includes(o.intent_id))).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(
      `postgres fault (runs): ${answers.length} launches, ${down.length} answered while down (all 503), ${portal.launched.length} runs launched, each with one audit intent and one outcome`,
    );
  });
});
