import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import {
  ExampleFilesPort,
  packageDir,
  readExampleFilesPorts,
} from './examplePorts';
import {
  SeedSummary,
  planExampleFiles,
  summarize,
  writeSeedFiles,
} from './seed';

/** The credentials s3rver accepts (its only account). */
export const LAKE_DEV_CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
} as const;

/** Options of {@link startLakeDevServer}. */
export interface LakeDevServerOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on (default `127.0.0.1`). */
  host?: string;
  /** Folder s3rver keeps buckets and objects in; created when missing. */
  directory: string;
  /**
   * Files to seed: the `files` ports of the example products (default), other ports, or
   * `false` for none. Seeding writes the same bytes every time and leaves other objects alone.
   */
  seed?: ExampleFilesPort[] | false;
  /** Log every request of s3rver to stdout. */
  verbose?: boolean;
  /** How long s3rver may take to start, in ms (default 15000). */
  startTimeoutMs?: number;
}

/** A running lake dev server. */
export interface LakeDevServer {
  /** `http://<host>:<port>`: the S3 endpoint (path-style). */
  url: string;
  port: number;
  directory: string;
  credentials: typeof LAKE_DEV_CREDENTIALS;
  /** What was seeded (no ports when `seed` was false). */
  seeded: SeedSummary;
  /** An S3 client for the server (path-style, region us-east-1, checksums only when required). */
  client(): S3Client;
  stop(): Promise<void>;
}

/** An S3 client for an S3 endpoint as the lake needs it (see INFRA.md "S3"). */
export function lakeS3Client(
  endpoint: string,
  credentials: {
    accessKeyId: string;
    secretAccessKey: string;
  } = LAKE_DEV_CREDENTIALS,
): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function startS3rver(
  options: Required<
    Pick<
      LakeDevServerOptions,
      'port' | 'host' | 'directory' | 'verbose' | 'startTimeoutMs'
    >
  >,
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(
    path.join(packageDir(), 'src', 's3rverProcess.js'),
    [
      JSON.stringify({
        port: options.port,
        host: options.host,
        directory: options.directory,
        verbose: options.verbose,
      }),
    ],
    {
      // s3rver's continuation tokens need DES (OpenSSL's legacy provider); the child must not
      // inherit a test runner's or a TypeScript loader's flags.
      execArgv: ['--openssl-legacy-provider'],
      stdio: ['ignore', options.verbose ? 'inherit' : 'ignore', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', chunk => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `s3rver did not start within ${options.startTimeoutMs} ms: ${stderr}`,
        ),
      );
    }, options.startTimeoutMs);
    child.once(
      'message',
      (message: { type: string; port?: number; message?: string }) => {
        clearTimeout(timer);
        if (message.type === 'ready' && message.port) {
          resolve({ child, port: message.port });
        } else {
          reject(
            new Error(`s3rver did not start: ${message.message ?? stderr}`),
          );
        }
      },
    );
    child.once('exit', code => {
      clearTimeout(timer);
      const inUse = /EADDRINUSE/.test(stderr);
      reject(
        new Error(
          inUse
            ? `port ${options.port} on ${options.host} is already in use`
            : `s3rver exited (code ${code}) before it was ready: ${stderr.trim()}`,
        ),
      );
    });
  });
}

/** Starts s3rver and gives its URL and a stop that waits for the child to exit. */
async function runS3rver(
  options: Parameters<typeof startS3rver>[0],
): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const { child, port } = await startS3rver(options);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const exited = new Promise<void>(resolve => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const stop = async () => {
    if (child.exitCode === null && child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { url: `http://${host}:${port}`, port, stop };
}

/**
 * Starts an S3-compatible server (s3rver, in a child process) on a folder, and seeds it with
 * deterministic example files of the example products' `files` ports: Parquet in hive-style
 * partitions with several row groups, and CSV and JSON lines, each in its tenant's bucket.
 */
export async function startLakeDevServer(
  options: LakeDevServerOptions,
): Promise<LakeDevServer> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  if (
    !Number.isInteger(requestedPort) ||
    requestedPort < 0 ||
    requestedPort > 65535
  ) {
    throw new Error(
      `port must be a number from 0 to 65535, not ${options.port}`,
    );
  }
  if (!options.directory) {
    throw new Error(
      'directory is required: the folder s3rver keeps objects in',
    );
  }
  const directory = path.resolve(options.directory);
  fs.mkdirSync(directory, { recursive: true });
  // Plan first: a bad example manifest fails before anything starts.
  const files =
    options.seed === false
      ? []
      : planExampleFiles(options.seed ?? readExampleFilesPorts());

  const s3rverOptions = {
    host,
    directory,
    verbose: options.verbose ?? false,
    startTimeoutMs: options.startTimeoutMs ?? 15_000,
  };
  if (files.length > 0) {
    // Seed on a port of its own first: once the requested port answers, every file is there
    // (scripts wait for the port, not for a log line).
    const seeding = await runS3rver({ ...s3rverOptions, port: 0 });
    try {
      const s3 = lakeS3Client(seeding.url);
      await writeSeedFiles(s3, files);
      s3.destroy();
    } catch (error) {
      throw new Error(
        `seeding the lake dev server failed: ${(error as Error).message}`,
      );
    } finally {
      await seeding.stop();
    }
  }
  const { url, port, stop } = await runS3rver({
    ...s3rverOptions,
    port: requestedPort,
  });
  return {
    url,
    port,
    directory,
    credentials: LAKE_DEV_CREDENTIALS,
    seeded: summarize(files),
    client: () => lakeS3Client(url),
    stop,
  };
}

/** What a started server prints: its endpoint, folder and what it seeded, one port a line. */
export function describeLakeDevServer(server: LakeDevServer): string {
  return [
    `Lake dev server (S3, path-style) ready at ${server.url} on port ${server.port}, folder ${server.directory}, access key ${server.credentials.accessKeyId}`,
    `Seeded ${server.seeded.files} files (${server.seeded.bytes} bytes) for ${server.seeded.ports.length} ports:`,
    ...server.seeded.ports.map(
      p =>
        `  ${p.tenant}/${p.product} ${p.port}: ${p.files} files, ${p.rows} rows, ${p.bytes} bytes in ${p.location}`,
    ),
  ].join('\n');
}
