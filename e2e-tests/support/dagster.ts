/*
 * The Dagster of the end-to-end tests (and of `make dev`): the Dagster test server, answering
 * Dagster's GraphQL schema, with the example data products' code locations and a history of
 * their runs (the newest of each still running). A run launched from the portal plays through:
 * it starts after a few seconds and succeeds (or, one in five, fails) half a minute later.
 * `make test` starts it before the portal; app-config.e2e.yaml points `dagster.baseUrl` at it.
 *
 * Run: node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *        e2e-tests/support/dagster.ts <port>
 */
import path from 'node:path';
import {
  addProductAssetChecks,
  addProductRuns,
  productTargetsFromManifests,
  startDagsterTestServer,
} from '@akili/dagster-test-server';

const port = Number(process.argv[2] ?? 7191);

const STARTS_AFTER_MS = 5_000;
const RUNS_FOR_MS = 30_000;

async function main() {
  let launched = 0;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const dagster = await startDagsterTestServer({
    port,
    // A run terminated from the portal is canceled a moment later, as in Dagster.
    cancelingDurationMs: 2000,
    onRunLaunched: runId => {
      const fails = ++launched % 5 === 0;
      // Only a run nobody terminated in the meantime moves on.
      const step = (from: string, to: 'STARTED' | 'SUCCESS' | 'FAILURE') => {
        if (dagster.getRun(runId)?.status === from) {
          dagster.setRunStatus(runId, to);
        }
      };
      later(STARTS_AFTER_MS, () => step('QUEUED', 'STARTED'));
      later(STARTS_AFTER_MS + RUNS_FOR_MS, () =>
        step('STARTED', fails ? 'FAILURE' : 'SUCCESS'),
      );
    },
  });
  const targets = productTargetsFromManifests(
    path.resolve(__dirname, '../../examples/data-products'),
  );
  const runs = addProductRuns(dagster, targets, { runsPerProduct: 30 });
  // The contracts' quality rules as asset checks: an execution per finished run, and daily
  // history before the runs, 90 days in all.
  const checks = addProductAssetChecks(dagster, targets, runs, {
    historyDays: 82,
  });
  // eslint-disable-next-line no-console
  console.log(
    `Dagster test server at ${dagster.url}: ${targets.length} products, ${
      [...runs.values()].flat().length
    } runs, ${[...checks.values()].flat().length} asset check executions`,
  );
  const stop = () => {
    timers.forEach(clearTimeout);
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
