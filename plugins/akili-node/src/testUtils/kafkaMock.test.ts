import { Kafka, logLevel } from 'kafkajs';
import { startKafkaMock } from './kafkaMock';

jest.setTimeout(60_000);

describe('startKafkaMock', () => {
  it('starts 3 brokers, creates topics with exact partition counts, answers commands and stops', async () => {
    const mock = await startKafkaMock();
    try {
      expect(mock.brokers).toHaveLength(3);
      for (const broker of mock.brokers) {
        expect(broker).toMatch(/^127\.0\.0\.1:\d+$/);
      }
      await mock.createTopic('harness.exact', 3);
      const admin = new Kafka({
        brokers: mock.brokers,
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      try {
        const metadata = await admin.fetchTopicMetadata({
          topics: ['harness.exact'],
        });
        expect(metadata.topics[0].partitions).toHaveLength(3);
      } finally {
        await admin.disconnect();
      }
      await mock.brokerDown(2);
      await mock.brokerUp(2);
      await mock.brokerDown('all');
      await mock.brokerUp('all');
      await expect(mock.brokerDown(9)).rejects.toThrow(
        "Kafka mock 'down 9' failed: error broker id must be 1..3 or 'all'",
      );
    } finally {
      await mock.stop();
    }
    await expect(mock.brokerUp(1)).rejects.toThrow(
      "The Kafka mock cluster has exited; cannot 'up 1'",
    );
  });

  it('says clearly when the binary cannot be started', async () => {
    const saved = process.env.AKILI_KAFKA_MOCK_BIN;
    process.env.AKILI_KAFKA_MOCK_BIN = '/nonexistent/kafka-mock';
    try {
      await expect(startKafkaMock()).rejects.toThrow(
        /The Kafka mock cluster \(\/nonexistent\/kafka-mock\) did not start: .*ENOENT/,
      );
    } finally {
      if (saved === undefined) {
        delete process.env.AKILI_KAFKA_MOCK_BIN;
      } else {
        process.env.AKILI_KAFKA_MOCK_BIN = saved;
      }
    }
  });
});
