import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/**
 * A running Kafka-protocol mock cluster (librdkafka's mock brokers), for tests.
 *
 * @public
 */
export interface KafkaMock {
  /** The bootstrap servers, `127.0.0.1:<port>` each (ports are random). */
  brokers: string[];
  /** Disconnects a broker (ids 1..3) or all of them, and refuses new connections until `brokerUp`. */
  brokerDown(id: number | 'all'): Promise<void>;
  /** Lets a broker (or all) accept connections again. */
  brokerUp(id: number | 'all'): Promise<void>;
  /** Creates a topic with an exact partition count (the mock has no CreateTopics API). */
  createTopic(name: string, partitions: number): Promise<void>;
  /** Moves the leader of a partition to a broker. */
  setPartitionLeader(
    topic: string,
    partition: number,
    brokerId: number,
  ): Promise<void>;
  /** Destroys the cluster and waits for the process to exit. */
  stop(): Promise<void>;
}

const BUILD_SCRIPT = join('scripts', 'test-services', 'kafka-mock', 'build.sh');

function findBuildScript(): string {
  // This package sits in the monorepo that holds the script (plugins/akili-node).
  const start = resolvePackagePath('@akili/plugin-akili-node');
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, BUILD_SCRIPT);
    if (existsSync(candidate)) {
      return candidate;
    }
    if (dirname(dir) === dir) {
      throw new Error(
        `Cannot find ${BUILD_SCRIPT} above ${start}; set AKILI_KAFKA_MOCK_BIN to a built kafka-mock binary`,
      );
    }
  }
}

let binary: Promise<string> | undefined;

/** Builds (once per process, and only when stale) and returns the path of the mock binary. */
function kafkaMockBinary(): Promise<string> {
  const given = process.env.AKILI_KAFKA_MOCK_BIN;
  if (given) {
    return Promise.resolve(resolve(given));
  }
  binary ??= new Promise<string>((ok, fail) => {
    execFile(
      'bash',
      [findBuildScript()],
      { timeout: 300_000 },
      (error, stdout, stderr) => {
        if (error) {
          binary = undefined;
          fail(
            new Error(
              `Could not build the Kafka mock cluster, which needs the Debian packages librdkafka-dev (header librdkafka/rdkafka_mock.h) and gcc: ${
                stderr.trim() || error.message
              }`,
            ),
          );
        } else {
          ok(stdout.trim().split('\n').pop()!);
        }
      },
    );
  });
  return binary;
}

/**
 * Starts a Kafka-protocol mock cluster of `brokerCount` brokers (librdkafka's mock cluster,
 * built from `scripts/test-services/kafka-mock` on first use into `.tools/kafka-mock`).
 *
 * @remarks
 *
 * Speaks enough of the protocol for kafkajs 2.2.4 producers and consumer groups, with topics
 * auto-created (4 partitions) on first use. It does not support the admin API to create or
 * delete topics, nor idempotent or transactional producers. Stop it in `afterAll`.
 *
 * @public
 */
export async function startKafkaMock(
  options: { brokerCount?: number } = {},
): Promise<KafkaMock> {
  const brokerCount = options.brokerCount ?? 3;
  const bin = await kafkaMockBinary();
  const child: ChildProcess = spawn(bin, [String(brokerCount)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string | undefined) => void> = [];
  const buffered: string[] = [];
  let exited = false;
  lines.on('line', line => {
    const next = waiting.shift();
    if (next) {
      next(line);
    } else {
      buffered.push(line);
    }
  });
  const exit = new Promise<void>(done => {
    const ended = () => {
      exited = true;
      for (const next of waiting.splice(0)) {
        next(undefined);
      }
      done();
    };
    child.on('exit', ended);
    // Not started at all (e.g. ENOENT): 'exit' never comes.
    child.on('error', error => {
      stderr += `${error.message}\n`;
      ended();
    });
  });
  const nextLine = () =>
    new Promise<string | undefined>(done => {
      if (buffered.length > 0) {
        done(buffered.shift());
      } else if (exited) {
        done(undefined);
      } else {
        waiting.push(done);
      }
    });

  const first = await nextLine();
  if (!first?.startsWith('bootstrap ')) {
    child.kill();
    throw new Error(
      `The Kafka mock cluster (${bin}) did not start: ${
        stderr.trim() || first
      }`,
    );
  }
  const brokers = first.slice('bootstrap '.length).trim().split(',');

  let queue: Promise<unknown> = Promise.resolve();
  const command = (text: string): Promise<void> => {
    const run = queue.then(async () => {
      if (exited) {
        throw new Error(`The Kafka mock cluster has exited; cannot '${text}'`);
      }
      child.stdin!.write(`${text}\n`);
      const answer = await nextLine();
      if (!answer?.startsWith('ok')) {
        throw new Error(
          `Kafka mock '${text}' failed: ${
            answer ?? `exited (${stderr.trim()})`
          }`,
        );
      }
    });
    queue = run.catch(() => {});
    return run;
  };

  return {
    brokers,
    brokerDown: id => command(`down ${id}`),
    brokerUp: id => command(`up ${id}`),
    createTopic: (name, partitions) => command(`topic ${name} ${partitions}`),
    setPartitionLeader: (topic, partition, brokerId) =>
      command(`leader ${topic} ${partition} ${brokerId}`),
    async stop() {
      if (!exited) {
        child.stdin!.end('quit\n');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exit;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * kafkajs consumer settings for the librdkafka mock cluster: its group joins take seconds with
 * kafkajs' defaults.
 *
 * @public
 */
export const KAFKA_MOCK_CONSUMER_TIMINGS = {
  sessionTimeout: 6000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 100,
} as const;
