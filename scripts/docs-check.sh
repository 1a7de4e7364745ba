#!/usr/bin/env bash
# `make test` step "docs": builds the platform's guide (mkdocs.yml, docs/) the way TechDocs does,
# with MkDocs and the Material theme from Debian, and fails on any warning: a broken link to a page,
# a nav entry without a page (`mkdocs build --strict`), or a link to a missing anchor
# (scripts/docs/check-anchors.py over the built HTML: MkDocs 1.4 does not check anchors).
#   1. installs Debian's mkdocs and mkdocs-material when absent (one flock'ed apt-get, as
#      scripts/test-services/up.sh does);
#   2. generates the manifest reference from the manifest's JSON schema
#      (scripts/docs/manifest-reference.ts; it fails when a schema field has no description) and
#      fails when the committed docs/reference/manifest.md differs from it (stale);
#   3. builds the guide into a temporary folder with --strict;
#   4. checks the backend plugins' OpenAPI specs and that their generated routers are fresh;
#   5. builds the docs of every template skeleton that has an mkdocs.yml
#      (templates/*/skeleton/mkdocs.yml), when its mkdocs.yml holds no template placeholders.
# Usage: bash scripts/docs-check.sh
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$AKILI_ROOT"

akili_ensure_mkdocs

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# The reference is committed (TechDocs builds the portal's docs from the repository as it is), so
# it is generated here into the temp folder and must equal the committed one.
node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
  scripts/docs/manifest-reference.ts "$out/manifest.md" \
  || akili_die "could not generate the manifest reference (scripts/docs/manifest-reference.ts)"
if ! diff -u docs/reference/manifest.md "$out/manifest.md" >&2; then
  akili_die "docs/reference/manifest.md is stale (differences above): regenerate it with 'node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs scripts/docs/manifest-reference.ts' and commit it"
fi

# The backend plugins' generated routers must be those of their OpenAPI specs (and the specs
# well formed: operationIds, summaries, declared path parameters); see scripts/openapi/generate.ts.
node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
  scripts/openapi/generate.ts --check \
  || akili_die "the OpenAPI specs or their generated routers are not right (above): fix the spec, run 'make openapi' and commit"

build() { # <mkdocs.yml> <site dir> <what>
  local log="$out/build.log"
  if ! mkdocs build --strict --config-file "$1" --site-dir "$2" >"$log" 2>&1; then
    grep -v -e '^INFO' -e '^  ' "$log" >&2 || true
    akili_die "$3: mkdocs build --strict failed (above: the broken link or warning, with its page)"
  fi
  python3 scripts/docs/check-anchors.py "$2" \
    || akili_die "$3: links to missing anchors (above, with their pages)"
  akili_log "$3: built $(find "$2" -name '*.html' | wc -l) HTML pages"
}

build mkdocs.yml "$out/site" "the platform guide (mkdocs.yml, docs/)"

checked=0
for config in templates/*/skeleton/mkdocs.yml; do
  [ -f "$config" ] || continue
  if grep -q '\${{' "$config"; then
    akili_log "$config holds template placeholders: skipped (rendered by the scaffolder)"
    continue
  fi
  build "$config" "$out/$(basename "$(dirname "$(dirname "$config")")")" "$config"
  checked=$((checked + 1))
done
akili_log "docs: guide built; $checked template skeleton(s) with docs built"
