/*
 * The lake of the end-to-end tests (and of `make dev`): the lake dev server (s3rver) with the
 * example products' files (acme/churn-features' Parquet snapshots, globex/shipments' carrier CSV
 * files) in a fresh folder, removed on exit. The portal's `lake` config points at it with
 * s3rver's account (S3RVER / S3RVER). The port answers once every file is seeded.
 *
 * Run: node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *        e2e-tests/support/lake.ts <port>
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  describeLakeDevServer,
  startLakeDevServer,
} from '../../packages/lake-dev-server/src';

async function main() {
  const port = Number(process.argv[2] ?? 7199);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-lake-'));
  const server = await startLakeDevServer({ port, directory });
  const stop = () => {
    server.stop().finally(() => {
      fs.rmSync(directory, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // eslint-disable-next-line no-console
  console.log(describeLakeDevServer(server));
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
