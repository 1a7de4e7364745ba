/*
 * The Dagster of the end-to-end tests (and of `make dev`): the Dagster test server, answering
 * Dagster's GraphQL schema, with the example data products' code locations and a history of
 * their runs (the newest of each still running). `make test` starts it before the portal;
 * app-config.e2e.yaml points `dagster.baseUrl` at it.
 *
 * Run: node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *        e2e-tests/support/dagster.ts <port>
 */
import path from 'node:path';
import {
  addProductRuns,
  productTargetsFromManifests,
  startDagsterTestServer,
} from '@akili/dagster-test-server';

const port = Number(process.argv[2] ?? 7191);

async function main() {
  const dagster = await startDagsterTestServer({
    port,
    // A run terminated from the portal is canceled a moment later, as in Dagster.
    cancelingDurationMs: 2000,
  });
  const targets = productTargetsFromManifests(
    path.resolve(__dirname, '../../examples/data-products'),
  );
  const runs = addProductRuns(dagster, targets, { runsPerProduct: 30 });
  // eslint-disable-next-line no-console
  console.log(
    `Dagster test server at ${dagster.url}: ${targets.length} products, ${
      [...runs.values()].flat().length
    } runs`,
  );
  const stop = () => {
    dagster.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
