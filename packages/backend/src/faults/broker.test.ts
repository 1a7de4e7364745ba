/*
 * Fault: the Kafka-protocol broker down and up under load. The control plane (akili-backend)
 * runs against a private PostgreSQL server and a private broker cluster; writers submit data
 * products in a loop while every broker disconnects its clients and refuses new connections,
 * then comes back. While it is down requests that write events still succeed (the outbox holds
 * the events), the relay retries without crashing and logs naming Kafka; after it is back the
 * outbox drains within 30 s by itself and every event arrives exactly once at the consumer.
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
import { ANSWER_MS, RECOVERY_MS, until } from './__testUtils__/wait';

jest.setTimeout(180_000);

const WRITERS = 3;
const RELAY_RETRY = 'Could not publish events from the outbox; retrying';

describe('fault: the broker down and up under load', () => {
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

  it('keeps accepting writes, holds the events in the outbox, and delivers each exactly once after the broker is back', async () => {
    const load = startLoad(cp, WRITERS, ANSWER_MS);
    expect(await until(() => load.count('before', 201) >= 10, 60_000)).toBe(
      true,
    );
    // The relay publishes before the fault.
    expect(
      await until(
        async () => (await cp.registeredEvents()).some(e => e.sent),
        30_000,
      ),
    ).toBe(true);

    await broker.down();
    load.phase = 'down';
    const retriesBefore = cp.logs.filter(l => l.message === RELAY_RETRY).length;
    // Down long enough for writes to pile up and the relay to retry more than once.
    await until(
      () =>
        load.count('down', 201) >= 20 &&
        cp.logs.filter(l => l.message === RELAY_RETRY).length >=
          retriesBefore + 2,
      60_000,
    );
    const heldInOutbox = await cp.unsent();
    const relayRetries = cp.logs.filter(l => l.message === RELAY_RETRY);

    await broker.up();
    load.phase = 'after';
    await until(() => load.count('after', 201) >= 10, 30_000);
    await load.stop();
    // The outbox drains by itself within 30 s of the broker's return.
    const drained = await until(
      async () => (await cp.unsent()) === 0,
      RECOVERY_MS,
    );

    // Writes never failed: every request of every phase was stored (201).
    expect(load.outcomes.filter(o => o.status !== 201)).toEqual([]);
    expect(load.count('down', 201)).toBeGreaterThanOrEqual(20);
    // The events waited in the outbox ...
    expect(heldInOutbox).toBeGreaterThan(0);
    // ... while the relay retried, logging why and naming the broker (Kafka) ...
    expect(relayRetries.length).toBeGreaterThanOrEqual(retriesBefore + 2);
    for (const line of relayRetries) {
      expect(line).toMatchObject({
        level: 'warn',
        meta: {
          plugin: 'akili',
          error: expect.stringMatching(
            /^Could not publish \d+ event\(s\) to Kafka: /,
          ),
        },
      });
    }
    // ... and drained it after the broker came back.
    expect(drained).toBe(true);
    // The portal still answers (it did not crash).
    expect((await cp.submit('p-final', ANSWER_MS)).status).toBe(201);

    const figures = await expectNothingLostOrDuplicated(cp, broker, [
      ...load.outcomes,
      {
        name: 'p-final',
        phase: 'after',
        answeredIn: 'after',
        status: 201,
      },
    ]);
    // eslint-disable-next-line no-console
    console.log(
      `broker fault: ${load.outcomes.length} requests (all 201), ${load.count(
        'down',
      )} while down, ${heldInOutbox} events held in the outbox, ${
        relayRetries.length - retriesBefore
      } relay retries logged, ${figures.events} events, ${
        figures.topicDuplicates
      } duplicate(s) on the topic, 0 at the consumer`,
    );
  });
});
