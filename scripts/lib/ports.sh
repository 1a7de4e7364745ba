# Port helpers shared by dev.sh and the test scripts.

# Prints the process listening on a TCP port, or nothing.
akili_port_owner() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p' | head -n1
  fi
}

akili_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Exits with a clear message when a port the portal needs is already taken.
akili_require_free_port() {
  local port="$1" what="$2" owner
  if akili_port_in_use "$port"; then
    owner="$(akili_port_owner "$port")"
    akili_die "port $port (needed by $what) is already in use${owner:+ by $owner}; stop that process and run the command again"
  fi
}

# Waits until an HTTP URL answers; fails after a timeout (seconds) or as soon as the optional
# process that should serve it has exited.
akili_wait_for_http() {
  local url="$1" timeout="${2:-180}" pid="${3:-}" started=$SECONDS
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if (( SECONDS - started > timeout )); then
      return 1
    fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      return 1
    fi
    sleep 1
  done
}
