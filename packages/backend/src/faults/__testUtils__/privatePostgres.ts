import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL server of the test's own (never the machine's shared 5432): initdb into a temp
 * directory, trust auth, listening on 127.0.0.1 at a free port that stays the same across
 * {@link PrivatePostgres.stop} and {@link PrivatePostgres.start}, so clients reconnect to it.
 */
export interface PrivatePostgres {
  readonly port: number;
  /** Superuser connection settings (trust auth, user `postgres`). */
  readonly connection: {
    host: string;
    port: number;
    user: string;
    database: string;
  };
  /** Stops the server: `immediate` is a crash (connections cut, no checkpoint), `fast` a clean stop. */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Starts it again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the server (if running) and deletes its data directory. */
  destroy(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';

/** The newest Debian PostgreSQL binaries (`/usr/lib/postgresql/<major>/bin`), or a clear error. */
function postgresBin(): string {
  const majors = existsSync(PG_ROOT)
    ? readdirSync(PG_ROOT)
        .filter(v => existsSync(join(PG_ROOT, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) {
    throw new Error(
      `No PostgreSQL server binaries under ${PG_ROOT}/*/bin (install the Debian package postgresql)`,
    );
  }
  return join(PG_ROOT, majors[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Runs a PostgreSQL tool; as root through `runuser -u postgres` (postgres refuses to run as root). */
function run(
  bin: string,
  args: string[],
  asPostgres: boolean,
): Promise<string> {
  const [file, argv] = asPostgres
    ? ['runuser', ['-u', 'postgres', '--', bin, ...args]]
    : [bin, args];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new Error(
            `${bin.split('/').pop()} ${args.join(' ')} failed: ${
              stderr.trim() || stdout.trim() || error.message
            }`,
          ),
        );
      } else {
        resolve(stdout);
      }
    });
  });
}

/** Creates, and starts, a private PostgreSQL server. Call `destroy()` in `afterAll`. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'akili-fault-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  if (asPostgres) {
    chmodSync(dir, 0o755);
    const { uid, gid } = await new Promise<{ uid: number; gid: number }>(
      (resolve, reject) =>
        execFile('id', ['-u', 'postgres'], (e1, u) =>
          e1
            ? reject(
                new Error(
                  `no postgres user to run PostgreSQL as root: ${e1.message}`,
                ),
              )
            : execFile('id', ['-g', 'postgres'], (e2, g) =>
                e2 ? reject(e2) : resolve({ uid: Number(u), gid: Number(g) }),
              ),
        ),
    );
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  await run(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'],
    asPostgres,
  );
  const pgCtl = join(bin, 'pg_ctl');
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c max_connections=100',
  ].join(' ');
  let running = false;
  const start = async () => {
    try {
      await run(
        pgCtl,
        ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start'],
        asPostgres,
      );
    } catch (error) {
      const tail = existsSync(log)
        ? readFileSync(log, 'utf8').slice(-2000)
        : '';
      throw new Error(`${(error as Error).message}\n${tail}`);
    }
    running = true;
  };
  const stop = async (mode: 'immediate' | 'fast' = 'immediate') => {
    await run(pgCtl, ['-D', data, '-m', mode, '-w', 'stop'], asPostgres);
    running = false;
  };
  await start();
  return {
    port,
    connection: {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
    },
    start,
    stop,
    async destroy() {
      if (running) {
        await stop('immediate').catch(() => {});
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
