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
  until,
} from './__testUtils__/controlPlane';

jest.setTimeout(180_000);

const WRITERS = 3;
/** A request must be answered within this (a hang past it is a failure). */
const ANSWER_MS = 5_000;
/** The portal must be back within this of the database's return. */
const RECOVERY_MS = 30_000;

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
    // At least 15 requests sent and answered while it is down.
    await until(() => load.count('down') >= 15, 60_000);

    await pg.start();
    load.phase = 'after';
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
