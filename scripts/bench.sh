#!/usr/bin/env bash
# `make bench [NAME=<name>]`: runs bench/<name>/ (or every benchmark). Each benchmark prints its
# figures and ends with a one-line summary holding its ratio or percentile. Not part of `make test`.
set -uo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$AKILI_ROOT"
akili_ensure_deps

names=()
if [ -n "${1:-}" ]; then
  [ -d "bench/$1" ] || akili_die "no benchmark bench/$1 (available: $(ls bench 2>/dev/null | grep -v README | tr '\n' ' '))"
  names=("$1")
else
  for d in bench/*/; do [ -d "$d" ] && names+=("$(basename "$d")"); done
fi
if [ ${#names[@]} -eq 0 ]; then
  akili_log "no benchmarks yet: add one as bench/<name>/ with a run.sh or index.ts (see bench/README.md)"
  exit 0
fi

# Benchmarks that need databases or brokers get the same services as the tests.
eval "$(bash scripts/test-services/up.sh)"
export BACKSTAGE_TEST_DISABLE_DOCKER=1

failed=0
summaries=()
for name in "${names[@]}"; do
  akili_log "── bench/$name"
  out="$(mktemp)"
  if [ -x "bench/$name/run.sh" ]; then
    cmd=("bench/$name/run.sh")
  elif [ -f "bench/$name/index.ts" ]; then
    # The same TypeScript loader `backstage-cli package start` uses for backends.
    cmd=(node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs "bench/$name/index.ts")
  else
    akili_log "bench/$name has neither run.sh nor index.ts"; failed=1; continue
  fi
  if "${cmd[@]}" | tee "$out"; then
    summaries+=("$(tail -n1 "$out")")
  else
    summaries+=("$name: FAILED"); failed=1
  fi
  rm -f "$out"
done
printf '%s\n' "${summaries[@]}"
exit $failed
