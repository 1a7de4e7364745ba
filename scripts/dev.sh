#!/usr/bin/env bash
# `make dev`: the portal on embedded defaults (SQLite in memory, guest sign-in, in-process
# events, the example catalog). Frontend on :3000, backend on :7007.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
source "$(dirname "$0")/lib/ports.sh"

akili_require_free_port 3000 "the frontend dev server"
akili_require_free_port 7007 "the backend"
akili_ensure_deps

cd "$AKILI_ROOT"
akili_log "starting Akili Portal: frontend http://localhost:3000, backend http://localhost:7007 (Ctrl-C stops both)"
exec node "$AKILI_YARN" start
