/*
 * The ArgoCD of the end-to-end tests and of `make dev`: the ArgoCD test server with the example
 * products' Applications (some out of sync, one degraded, one progressing). A sync started from
 * the portal runs for ten seconds, then succeeds.
 *
 * Run: node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *        packages/argocd-test-server/src/cli.ts <port> <token>
 */
import { startArgoCdTestServer } from './ArgoCdTestServer';
import { seedExampleApplications } from './seed';

async function main() {
  const port = Number(process.argv[2] ?? 7192);
  const token = process.argv[3] ?? 'akili-dev-argocd-token';
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `port must be a number from 0 to 65535, not ${process.argv[2]}`,
    );
  }
  const server = await startArgoCdTestServer({
    port,
    syncDurationMs: 10_000,
    tokens: { [token]: { subject: 'akili-portal', projects: '*' } },
  });
  const seeded = seedExampleApplications(server);
  const stop = () => {
    server.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // eslint-disable-next-line no-console
  console.log(
    `ArgoCD test server ready at ${server.url} with ${seeded.length} applications`,
  );
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
