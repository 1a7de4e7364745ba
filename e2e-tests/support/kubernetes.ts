/*
 * The Kubernetes cluster of the end-to-end tests (and of `make dev`): the Kubernetes API test
 * server with the example data products' workloads in their tenants' namespaces (akili-<tenant>),
 * one product's pods crash-looping. The portal's `kubernetes` config points at it with the
 * service account token below.
 *
 * Run: node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *        e2e-tests/support/kubernetes.ts <port>
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  KubernetesTestServer,
  seedExampleWorkloads,
} from '@akili/kubernetes-test-server';

const port = Number(process.argv[2] ?? 7194);
/** The portal's service account token in app-config.yaml and app-config.e2e.yaml. */
export const KUBERNETES_TOKEN = 'akili-demo-service-account';
/** The example products whose workloads fail (their ArgoCD Applications are Degraded too). */
export const FAILING_WORKLOADS = ['acme/clickstream'];

function exampleProducts() {
  const root = path.resolve(__dirname, '../../examples/data-products');
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter(d => d.isDirectory())
    .flatMap(tenant =>
      fs
        .readdirSync(path.join(root, tenant.name), { withFileTypes: true })
        .filter(d => d.isDirectory())
        .map(product => ({ tenant: tenant.name, name: product.name })),
    );
}

async function main() {
  const server = new KubernetesTestServer(KUBERNETES_TOKEN);
  seedExampleWorkloads(server, exampleProducts(), {
    failing: FAILING_WORKLOADS,
  });
  await server.start(port);
  // eslint-disable-next-line no-console
  console.log(`Kubernetes API test server at ${server.url}`);
}

if (require.main === module) {
  main().catch(error => {
    // eslint-disable-next-line no-console
    console.error(error);
    process.exit(1);
  });
}
