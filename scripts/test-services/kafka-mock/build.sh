#!/usr/bin/env bash
# Compiles the Kafka mock cluster (kafka-mock.c) into .tools/kafka-mock/kafka-mock (git-ignored)
# when the binary is missing or older than its source. Installs librdkafka-dev from Debian when
# its header is absent (and apt-get is available). Prints the binary's path on stdout; logs go
# to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$root/.tools/kafka-mock"
bin="$out/kafka-mock"
log() { printf '\033[1;36m[akili]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[akili] error:\033[0m %s\n' "$*" >&2; exit 1; }

if [ -x "$bin" ] && [ "$bin" -nt "$here/kafka-mock.c" ]; then
  echo "$bin"
  exit 0
fi
if [ ! -f /usr/include/librdkafka/rdkafka_mock.h ]; then
  command -v apt-get >/dev/null 2>&1 || die "librdkafka-dev is missing (no /usr/include/librdkafka/rdkafka_mock.h) and apt-get is not available: install the librdkafka-dev package"
  log "installing librdkafka-dev and kcat from Debian (the Kafka mock cluster for tests)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends librdkafka-dev kcat >&2; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends librdkafka-dev kcat) >&2 \
      || die "could not install librdkafka-dev with apt-get (the Kafka mock cluster needs it)"
  fi
fi
command -v cc >/dev/null 2>&1 || die "no C compiler (cc) to build the Kafka mock cluster: install the gcc package"
mkdir -p "$out"
log "compiling the Kafka mock cluster into .tools/kafka-mock"
cc -O2 -Wall -o "$bin.tmp" "$here/kafka-mock.c" -lrdkafka >&2 || die "could not compile scripts/test-services/kafka-mock/kafka-mock.c against librdkafka-dev"
mv "$bin.tmp" "$bin"
echo "$bin"
