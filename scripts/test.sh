#!/usr/bin/env bash
# `make test`: every check a change must pass, with the services they need.
#   1. one Backstage release line     2. type check     3. lint
#   4. unit and integration tests (Jest; real PostgreSQL and SQLite, MariaDB, ...)
#   4b. the docs: the platform guide built by MkDocs --strict, a broken link fails (docs-check.sh)
#   5. the production bundle: built, installed alone and started with the production config
#      (scripts/bundle-check.sh; it needs the type check's output, so `--only bundle` after tsc)
#   6. end-to-end tests (Playwright in headless Debian Chromium against the running portal)
# `--only <step>` runs one step (versions, tsc, lint, unit, docs, bundle, e2e). Ends with a summary line that
# counts tests, plus one failure for each failed step that no failing test accounts for.
set -uo pipefail
source "$(dirname "$0")/toolchain.sh"
source "$(dirname "$0")/lib/ports.sh"

only=""
if [ "${1:-}" = "--only" ]; then only="${2:-}"; fi
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

cd "$AKILI_ROOT"
results="$AKILI_ROOT/test-results"
mkdir -p "$results"
rm -f "$results/jest.json" "$results/e2e/results.json"
started_all=$SECONDS
failed_steps=()
step_times=()

run_step() {
  local name="$1"; shift
  local t=$SECONDS
  akili_log "── $name"
  if "$@"; then
    step_times+=("$name $((SECONDS - t))s ok")
  else
    step_times+=("$name $((SECONDS - t))s FAILED")
    failed_steps+=("$name")
  fi
}

install_started=$SECONDS
akili_ensure_deps
step_times+=("install $((SECONDS - install_started))s ok")

services_env="$(bash scripts/test-services/up.sh)" || akili_die "the test services could not be prepared (see above)"
eval "$services_env"
# Backstage's TestDatabases must use the servers above, never try Docker.
export BACKSTAGE_TEST_DISABLE_DOCKER=1

want versions && run_step versions node scripts/check-backstage-versions.mjs
want tsc && run_step tsc yarn tsc
want lint && run_step lint yarn backstage-cli repo lint --max-warnings 0

unit_tests() {
  CI=true yarn backstage-cli repo test --json --outputFile="$results/jest.json"
}
want unit && run_step unit unit_tests
want docs && run_step docs bash scripts/docs-check.sh
want bundle && run_step bundle bash scripts/bundle-check.sh

# The end-to-end run serves the app the bundle step just built (minified, from the backend as in
# production): its cold loads take seconds where the dev server's take most of a minute. With
# `--only e2e` it runs the dev server (the app as the sources are now), unless AKILI_E2E_APP=bundle
# asks for an app built earlier (packages/app/dist).
e2e_app="${AKILI_E2E_APP:-dev}"
if want bundle && want e2e && [[ " ${failed_steps[*]} " != *" bundle "* ]]; then e2e_app=bundle; fi

# Test servers of the e2e run, stopped with the portal (pids in e2e_server_pids).
e2e_server_pids=()
stop_e2e_servers() {
  [ ${#e2e_server_pids[@]} -gt 0 ] && kill "${e2e_server_pids[@]}" 2>/dev/null
  e2e_server_pids=()
}

# Starts e2e-tests/support/<script>.ts on a port and waits until a URL of it answers.
start_e2e_server() {
  local script="$1" port="$2" ready_url="$3" what="$4" pid
  shift 4
  akili_require_free_port "$port" "$what"
  node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs "e2e-tests/support/$script.ts" "$port" "$@" \
    >"$results/e2e/$script.log" 2>&1 &
  pid=$!
  e2e_server_pids+=("$pid")
  if ! akili_wait_for_http "$ready_url" 60 "$pid"; then
    cat "$results/e2e/$script.log" >&2
    akili_log "$what did not start: see the log above"
    return 1
  fi
}

e2e_tests() {
  local log="$results/e2e/portal.log" pid status
  mkdir -p "$results/e2e"
  # Ports of its own (app-config.e2e.yaml), so a running `make dev` does not get in the way.
  akili_require_free_port 3100 "the portal under test (frontend)"
  akili_require_free_port 7107 "the portal under test (backend)"
  # The portal reads the provider's discovery document, so the provider starts first.
  start_e2e_server authentik 7190 http://localhost:7190/application/o/akili/.well-known/openid-configuration \
    "the e2e OpenID Provider" http://localhost:7107 &&
    start_e2e_server dagster 7191 "http://localhost:7191/graphql?query=%7Bversion%7D" "the e2e Dagster test server" &&
    start_e2e_server gitlab 7193 http://127.0.0.1:7193/-/readiness "the e2e GitLab test server" &&
    start_e2e_server kubernetes 7194 http://127.0.0.1:7194/readyz "the e2e Kubernetes API test server" &&
    start_e2e_server argocd 7195 http://127.0.0.1:7195/api/version "the e2e ArgoCD test server" akili-demo-argocd-token &&
    start_e2e_server lake 7199 http://127.0.0.1:7199/ "the e2e lake (S3 with the example products' files)" || {
    stop_e2e_servers
    return 1
  }
  local app_url=http://localhost:3100
  if [ "$e2e_app" = bundle ]; then
    [ -f packages/app/dist/index.html ] || {
      stop_e2e_servers
      akili_log "AKILI_E2E_APP=bundle but packages/app/dist holds no built app: run 'yarn build:backend' or the bundle step first"
      return 1
    }
    # The backend serves the built app (plugin-app-backend) on its own port, so both base URLs are it.
    app_url=http://localhost:7107
    printf 'app:\n  baseUrl: %s\nbackend:\n  cors:\n    origin: %s\n' "$app_url" "$app_url" >"$results/e2e/app-config.bundle.yaml"
    akili_log "starting the portal (backend serving the built app) for the end-to-end tests (log: test-results/e2e/portal.log)"
    setsid node "$AKILI_YARN" workspace backend start --config "$AKILI_ROOT/app-config.yaml" \
      --config "$AKILI_ROOT/app-config.e2e.yaml" --config "$results/e2e/app-config.bundle.yaml" >"$log" 2>&1 &
  else
    akili_log "starting the portal (app dev server) for the end-to-end tests (log: test-results/e2e/portal.log)"
    setsid node "$AKILI_YARN" start --config "$AKILI_ROOT/app-config.yaml" --config "$AKILI_ROOT/app-config.e2e.yaml" >"$log" 2>&1 &
  fi
  pid=$!
  if ! akili_wait_for_http http://localhost:7107/.backstage/health/v1/readiness 240 "$pid" ||
    ! akili_wait_for_http "$app_url" 240 "$pid"; then
    tail -n 40 "$log" >&2
    kill -- -"$pid" 2>/dev/null
    stop_e2e_servers
    akili_log "the portal did not start (it exited, or did not answer within 4 minutes): see the log above"
    return 1
  fi
  # AKILI_E2E_ARGS passes arguments to Playwright, e.g. a spec file name to run only it.
  # shellcheck disable=SC2086
  PLAYWRIGHT_URL="$app_url" AKILI_BACKEND_URL=http://localhost:7107 yarn playwright test ${AKILI_E2E_ARGS:-}
  status=$?
  kill -- -"$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  stop_e2e_servers
  # A start-up failure or version mismatch of any plugin fails the run even if pages rendered.
  if grep -nE 'Plugin .* startup failed|Plugin startup hook failed|is not a function|mismatch' "$log" >&2; then
    akili_log "the portal log shows plugin start-up errors (above)"
    status=1
  fi
  return $status
}
want e2e && run_step e2e e2e_tests

# Closing summary: test counts from the runners' JSON reports.
counts="$(node scripts/lib/summarize-results.mjs "$results" "${failed_steps[@]}")"
akili_log "steps: ${step_times[*]}"
akili_log "total time $((SECONDS - started_all)) s; e2e screenshots in test-results/e2e/screenshots"
if [ ${#failed_steps[@]} -gt 0 ]; then
  akili_log "failed steps: ${failed_steps[*]}"
  echo "make test: $counts"
  exit 1
fi
echo "make test: $counts"
