#!/usr/bin/env bash
# `make test` step "bundle": the production image's contents, tested where no container engine
# runs. It does what the Dockerfile does, in a temporary folder instead of an image:
#   1. builds the backend bundle with the frontend (`yarn build:backend`);
#   2. installs the bundle's production dependencies from its skeleton and yarn.lock, alone;
#   3. starts `node packages/backend` from that folder with app-config.production.yaml, its
#      secrets from the environment, against PostgreSQL (databases of its own, dropped after);
#   4. requires readiness, the built frontend at /, sign-in on an API route and the Prometheus
#      metrics (started with instrumentation.js, as the image's CMD does).
# Usage: bash scripts/bundle-check.sh [--no-build]   (--no-build reuses packages/backend/dist)
set -uo pipefail
source "$(dirname "$0")/toolchain.sh"
source "$(dirname "$0")/lib/ports.sh"
cd "$AKILI_ROOT"

: "${AKILI_TEST_PG_URL:?run scripts/test-services/up.sh first (it exports AKILI_TEST_PG_URL)}"
port=7207
metrics_port=7264
oidc_port=7290
akili_require_free_port "$port" "the production bundle under test"
akili_require_free_port "$oidc_port" "the OpenID Provider of the bundle check"
akili_require_free_port "$metrics_port" "the Prometheus metrics of the production bundle under test"

if [ "${1:-}" != "--no-build" ]; then
  t=$SECONDS
  akili_log "building the backend bundle with the frontend (yarn build:backend)"
  yarn build:backend >"$AKILI_ROOT/test-results/bundle-build.log" 2>&1 || {
    tail -n 40 "$AKILI_ROOT/test-results/bundle-build.log" >&2
    akili_die "yarn build:backend failed (log: test-results/bundle-build.log)"
  }
  akili_log "built in $((SECONDS - t)) s"
fi
for f in bundle skeleton; do
  [ -f "packages/backend/dist/$f.tar.gz" ] || akili_die "packages/backend/dist/$f.tar.gz is missing: the build did not produce it"
done

work="$(mktemp -d /tmp/akili-bundle.XXXXXX)"
log="$AKILI_ROOT/test-results/bundle-portal.log"
# One database prefix per run, so a run never meets another's tables.
prefix="akili_bundle_$$_"
pg_host=127.0.0.1
pg_user=akili_test
pg_password=akili_test
portal_pid=""
oidc_pid=""

stop_portal() {
  # A graceful stop first (as Kubernetes sends SIGTERM), then SIGKILL after its grace period.
  kill "$portal_pid" 2>/dev/null || return 0
  for _ in $(seq 1 20); do kill -0 "$portal_pid" 2>/dev/null || return 0; sleep 0.5; done
  akili_log "the production bundle did not stop within 10 s of SIGTERM; killing it"
  kill -9 "$portal_pid" 2>/dev/null
}

cleanup() {
  [ -n "$portal_pid" ] && stop_portal
  [ -n "$oidc_pid" ] && kill "$oidc_pid" 2>/dev/null
  local dbs
  dbs="$(psql "$AKILI_TEST_PG_URL" -Atc "select datname from pg_database where datname like '${prefix}%'" 2>/dev/null)"
  for db in $dbs; do psql "$AKILI_TEST_PG_URL" -qc "drop database if exists \"$db\" with (force)" >/dev/null 2>&1; done
  # The folder holds a whole node_modules: removing it takes minutes on a busy disk, so it
  # goes in the background and the step ends now.
  (rm -rf "$work" >/dev/null 2>&1 &)
}
trap cleanup EXIT

# The image's production dependencies, installed from the skeleton alone (as the Dockerfile's
# second stage does): a dependency missing from a package.json fails here, not in production.
akili_log "installing the bundle's production dependencies into $work"
t=$SECONDS
cp yarn.lock package.json .yarnrc.yml backstage.json "$work/"
mkdir -p "$work/.yarn" && cp -r .yarn/releases "$work/.yarn/"
tar xzf packages/backend/dist/skeleton.tar.gz -C "$work"
# Native builds are skipped: the production config runs on PostgreSQL, not better-sqlite3, and
# building it from source would double the step's time (the Dockerfile does build them).
(cd "$work" && YARN_ENABLE_PROGRESS_BARS=false YARN_ENABLE_IMMUTABLE_INSTALLS=false YARN_ENABLE_SCRIPTS=false \
  node "$work/.yarn/releases/$(basename "$AKILI_YARN")" workspaces focus --all --production) \
  >"$AKILI_ROOT/test-results/bundle-install.log" 2>&1 || {
  tail -n 40 "$AKILI_ROOT/test-results/bundle-install.log" >&2
  akili_die "installing the bundle's production dependencies failed (log: test-results/bundle-install.log)"
}
akili_log "installed in $((SECONDS - t)) s"
tar xzf packages/backend/dist/bundle.tar.gz -C "$work"
cp app-config.yaml app-config.production.yaml catalog-info.yaml "$work/"
mkdir -p "$work/catalog" && cp catalog/apis.yaml "$work/catalog/"
cp packages/backend/instrumentation.js "$work/"

# The OpenID Provider the production config discovers (Authentik's layout).
node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs e2e-tests/support/authentik.ts \
  "$oidc_port" "http://localhost:$port" >"$AKILI_ROOT/test-results/bundle-oidc.log" 2>&1 &
oidc_pid=$!
akili_wait_for_http "http://localhost:$oidc_port/application/o/akili/.well-known/openid-configuration" 60 "$oidc_pid" ||
  akili_die "the OpenID Provider of the bundle check did not start (log: test-results/bundle-oidc.log)"

# The tenant role the production config names must exist on the server (see akili.database).
psql "$AKILI_TEST_PG_URL" -qc "do \$\$ begin
  if not exists (select from pg_roles where rolname = 'akili_tenant') then create role akili_tenant nologin; end if;
end \$\$; grant akili_tenant to $pg_user" >/dev/null

# Every secret from the environment, as in the Deployment; the outside systems the portal can
# degrade around (GitLab, Dagster, ArgoCD, Redpanda, Kubernetes) point at closed ports.
cat >"$work/app-config.bundle-check.yaml" <<EOF
backend:
  listen: ':$port'
  database:
    prefix: $prefix
EOF
akili_log "starting the production bundle (log: test-results/bundle-portal.log)"
(
  cd "$work" && exec env -i PATH="$PATH" HOME="$work" NODE_ENV=production \
    AKILI_BASE_URL="http://localhost:$port" \
    POSTGRES_HOST="$pg_host" POSTGRES_PORT=5432 POSTGRES_USER="$pg_user" POSTGRES_PASSWORD="$pg_password" \
    AUTH_SESSION_SECRET="bundle-check-session-secret" \
    AUTHENTIK_URL="http://localhost:$oidc_port" AUTHENTIK_APP_SLUG=akili \
    AUTHENTIK_CLIENT_ID=akili-portal AUTHENTIK_CLIENT_SECRET=akili-portal-secret \
    AKILI_API_TOKEN_SECRET="bundle-check-api-token-secret-of-32-chars-or-more" \
    GITLAB_HOST="127.0.0.1:9" GITLAB_TOKEN=glpat-bundle-check GITLAB_WEBHOOK_SECRET=bundle-check-webhook \
    DAGSTER_URL="http://127.0.0.1:9" ARGOCD_URL="http://127.0.0.1:9" ARGOCD_TOKEN=bundle-check \
    REDPANDA_BROKERS="127.0.0.1:9" REDPANDA_USERNAME=akili REDPANDA_PASSWORD=bundle-check \
    K8S_API_URL="https://127.0.0.1:9" K8S_SA_TOKEN=bundle-check K8S_CA_DATA=bundle-check \
    LAKE_S3_ENDPOINT="http://127.0.0.1:9" LAKE_S3_PUBLIC_URL="http://127.0.0.1:9" \
    LAKE_S3_ACCESS_KEY_ID=bundle-check LAKE_S3_SECRET_ACCESS_KEY=bundle-check \
    OTEL_EXPORTER_PROMETHEUS_HOST=127.0.0.1 OTEL_EXPORTER_PROMETHEUS_PORT="$metrics_port" \
    node --require ./instrumentation.js packages/backend --config app-config.yaml --config app-config.production.yaml \
    --config app-config.bundle-check.yaml
) >"$log" 2>&1 &
portal_pid=$!

fail() {
  tail -n 40 "$log" >&2
  akili_die "$1 (log: test-results/bundle-portal.log)"
}
started=$SECONDS
akili_wait_for_http "http://localhost:$port/.backstage/health/v1/readiness" 180 "$portal_pid" ||
  fail "the production bundle did not become ready within 3 minutes"
akili_log "the production bundle is ready after $((SECONDS - started)) s"

# The built frontend, served by the backend (plugin-app-backend), with the production base URL.
index="$(curl -fsS "http://localhost:$port/")" || fail "the bundle does not serve the frontend at /"
grep -q '<div id="root">' <<<"$index" || fail "/ is not the built app's index.html"
grep -q "Akili Portal" <<<"$index" || fail "the served app does not carry the configured title"
# An API route answers, and only to a signed-in caller.
status="$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/api/catalog/entities")"
[ "$status" = "401" ] || fail "GET /api/catalog/entities without a token answered $status, expected 401"
# The production sign-in is Authentik's: the OIDC start redirects to the provider.
location="$(curl -s -o /dev/null -w '%{redirect_url}' "http://localhost:$port/api/auth/oidc/start?env=production")"
grep -q "localhost:$oidc_port" <<<"$location" || fail "the OIDC sign-in does not redirect to the provider (got '$location')"
# Prometheus metrics, as the ServiceMonitor scrapes them (packages/backend/instrumentation.js).
metrics="$(curl -fsS "http://127.0.0.1:$metrics_port/metrics")" || fail "the bundle serves no Prometheus metrics on :$metrics_port"
for metric in http_server_request_duration akili_outbox_backlog; do
  grep -q "^$metric" <<<"$metrics" || fail "the metrics lack $metric"
done
if grep -nE "Plugin .* startup failed|Plugin startup hook failed" "$log" >&2; then
  fail "a plugin failed to start in the production bundle"
fi
akili_log "the production bundle answers readiness, serves the app, signs in through the OpenID Provider and serves its metrics"
