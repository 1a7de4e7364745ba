/*
 * The ArgoCD of the end-to-end tests (and of `make dev`): the ArgoCD test server answering
 * ArgoCD's REST API with the example products' Applications (acme/orders, globex/shipments and
 * initech/card-transactions out of sync, acme/clickstream degraded, acme/orders-daily
 * progressing). The portal's `argocd` config points at it with the token below.
 *
 * Run: node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *        e2e-tests/support/argocd.ts <port> akili-demo-argocd-token
 */
import '../../packages/argocd-test-server/src/cli';
