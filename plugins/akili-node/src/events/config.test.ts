import { ConfigReader } from '@backstage/config';
import { readAkiliEventsConfig } from './config';

const read = (events?: object) =>
  readAkiliEventsConfig(new ConfigReader(events ? { akili: { events } } : {}));

describe('readAkiliEventsConfig', () => {
  it('defaults to the in-process bus and the per-tenant topic pattern', () => {
    expect(read()).toEqual({
      transport: 'in-process',
      topicPattern: 'akili.{tenant}.{family}',
    });
  });

  it('reads Kafka settings, brokers from comma-separated entries', () => {
    expect(
      read({
        transport: 'kafka',
        kafka: {
          brokers: ['rp-0:9092, rp-1:9092', 'rp-2:9092'],
          ssl: true,
          sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
          topics: { create: true, partitions: 6, replicationFactor: 3 },
        },
      }),
    ).toEqual({
      transport: 'kafka',
      topicPattern: 'akili.{tenant}.{family}',
      kafka: {
        brokers: ['rp-0:9092', 'rp-1:9092', 'rp-2:9092'],
        clientId: 'akili-portal',
        ssl: true,
        sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
        topics: { create: true, partitions: 6, replicationFactor: 3 },
      },
    });
  });

  it('names the key of a bad value', () => {
    expect(() => read({ transport: 'rabbitmq' })).toThrow(
      'akili.events.transport must be "in-process" or "kafka", not "rabbitmq"',
    );
    expect(() => read({ transport: 'kafka' })).toThrow(/akili\.events\.kafka/);
    expect(() =>
      read({ transport: 'kafka', kafka: { brokers: [' , '] } }),
    ).toThrow('akili.events.kafka.brokers must name at least one broker');
    expect(() =>
      read({
        transport: 'kafka',
        kafka: {
          brokers: ['b:9092'],
          sasl: { mechanism: 'gssapi', username: 'u', password: 'p' },
        },
      }),
    ).toThrow(
      'akili.events.kafka.sasl.mechanism must be plain, scram-sha-256 or scram-sha-512',
    );
    expect(() =>
      read({
        transport: 'kafka',
        kafka: { brokers: ['b:9092'], topics: { replicationFactor: 0 } },
      }),
    ).toThrow(
      'akili.events.kafka.topics.replicationFactor must be a whole number of at least 1, not 0',
    );
  });
});
