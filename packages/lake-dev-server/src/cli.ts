/*
 * The lake of `make dev` and the end-to-end run: an S3-compatible server (s3rver) seeded with
 * the example products' files (Parquet, CSV, JSON lines), each in its tenant's bucket.
 *
 * Run: node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *        packages/lake-dev-server/src/cli.ts start [--port 7198] [--directory <folder>] \
 *        [--host 127.0.0.1] [--no-seed] [--verbose]
 * The folder defaults to .services/lake-dev-server in the repository (git-ignored). Stops on
 * SIGINT or SIGTERM.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { packageDir } from './examplePorts';
import { describeLakeDevServer, startLakeDevServer } from './LakeDevServer';

const USAGE =
  'usage: cli.ts start [--port <port>] [--directory <folder>] [--host <address>] [--no-seed] [--verbose]';

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '7198' },
      directory: {
        type: 'string',
        default: path.resolve(packageDir(), '../../.services/lake-dev-server'),
      },
      host: { type: 'string', default: '127.0.0.1' },
      'no-seed': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  if (positionals[0] !== 'start' || positionals.length > 1) {
    throw new Error(USAGE);
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port!) || port > 65535) {
    throw new Error(
      `--port must be a number from 0 to 65535, not ${values.port}`,
    );
  }
  const server = await startLakeDevServer({
    port,
    host: values.host,
    directory: values.directory!,
    seed: values['no-seed'] ? false : undefined,
    verbose: values.verbose,
  });
  const stop = () => {
    server.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // eslint-disable-next-line no-console
  console.log(describeLakeDevServer(server));
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(
    `lake-dev-server: ${error instanceof Error ? error.message : error}`,
  );
  process.exit(1);
});
