import { LoggerService } from '@backstage/backend-plugin-api';
import { createServer } from 'node:net';
import { KafkaEventTransport } from './KafkaEventTransport';

/** A port nothing listens on: bound by the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

function collectingLogger(
  entries: Array<{ level: string; message: string }>,
): LoggerService {
  const log = (level: string) => (message: string) =>
    entries.push({ level, message });
  const logger: LoggerService = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}

describe('KafkaEventTransport logging', () => {
  it('reports an unreachable broker once, through the failed publish, not in kafkajs errors', async () => {
    const entries: Array<{ level: string; message: string }> = [];
    const transport = KafkaEventTransport.create({
      brokers: [`127.0.0.1:${await closedPort()}`],
      logger: collectingLogger(entries),
      retries: 1,
    });
    try {
      await expect(
        transport.publish([
          { topic: 'akili.acme.product', key: 'k', value: '{}' },
        ]),
      ).rejects.toThrow(
        /Could not publish 1 event\(s\) to Kafka: .*ECONNREFUSED/,
      );
    } finally {
      await transport.close();
    }
    // kafkajs said it, at debug: every attempt's caller reports the failure itself.
    expect(
      entries.filter(e => /^kafkajs ERROR: Connection error/.test(e.message)),
    ).not.toHaveLength(0);
    expect(entries.filter(e => e.level === 'error')).toEqual([]);
  });
});
