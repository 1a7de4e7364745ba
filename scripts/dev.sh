#!/usr/bin/env bash
# `make dev`: the portal on embedded defaults (SQLite in memory, guest sign-in, in-process
# events, the example catalog, and a demo Dagster: the Dagster test server with the example
# products' runs, and a demo Kubernetes API with their workloads). Frontend on :3000, backend on
# :7007, demo Dagster on :7192, demo Kubernetes API on :7196, demo ArgoCD on :7197,
# demo lake (S3 with the example products' files) on :7198.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
source "$(dirname "$0")/lib/ports.sh"

akili_require_free_port 3000 "the frontend dev server"
akili_require_free_port 7007 "the backend"
akili_require_free_port 7192 "the demo Dagster (the Dagster test server with the example runs)"
akili_require_free_port 7196 "the demo Kubernetes API (the Kubernetes test server with the example workloads)"
akili_require_free_port 7197 "the demo ArgoCD (the ArgoCD test server with the example Applications)"
akili_require_free_port 7198 "the demo lake (the lake dev server: S3 with the example products' files)"
akili_ensure_deps
# The Docs tab of an entity builds its docs with MkDocs (techdocs.builder: local). The portal runs
# without it (only a Docs tab fails to build), so a machine that cannot install it still starts.
( akili_ensure_mkdocs ) \
  || akili_log "warning: MkDocs is not installed (above); the portal starts, but an entity's Docs tab cannot build its docs until mkdocs and mkdocs-material are installed"

cd "$AKILI_ROOT"
node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs e2e-tests/support/dagster.ts 7192 &
dagster_pid=$!
node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs e2e-tests/support/kubernetes.ts 7196 &
kubernetes_pid=$!
node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs e2e-tests/support/argocd.ts 7197 akili-demo-argocd-token &
argocd_pid=$!
node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs e2e-tests/support/lake.ts 7198 &
lake_pid=$!
trap 'kill "$dagster_pid" "$kubernetes_pid" "$argocd_pid" "$lake_pid" 2>/dev/null || true' EXIT
akili_log "starting Akili Portal: frontend http://localhost:3000, backend http://localhost:7007, demo Dagster http://localhost:7192 (Ctrl-C stops all)"
node "$AKILI_YARN" start
