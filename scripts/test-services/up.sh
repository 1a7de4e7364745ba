#!/usr/bin/env bash
# Starts (never installs over) the services the tests need and prepares their test accounts:
#   PostgreSQL on 127.0.0.1:5432, MariaDB on 127.0.0.1:3306 (the MySQL-protocol peer for StarRocks),
#   Debian's Chromium for the end-to-end tests (installed from Debian when absent), kubectl for
#   the deployment checks (Debian's kubernetes-client when absent), the Kafka-protocol mock
#   cluster (librdkafka's, compiled into .tools/kafka-mock), and a single-node Ceph RGW on
#   127.0.0.1:7480 for the lake (ceph.sh; started in the background while the rest is prepared,
#   reused when already running; AKILI_SKIP_CEPH=1 skips it).
# Prints `export` lines for the connection settings on stdout (test.sh evaluates them); logs go
# to stderr.
set -euo pipefail
source "$(dirname "$0")/../toolchain.sh"

need() { command -v "$1" >/dev/null 2>&1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  local port="$1" i
  for i in $(seq 1 60); do port_open "$port" && return 0; sleep 0.5; done
  return 1
}

# --- Debian packages ---------------------------------------------------------------------------
# One apt-get run for every missing package (Chromium for the end-to-end tests, kubectl for the
# deployment checks: Debian's kubernetes-client with kustomize v2.0.3, Ceph for the lake tests,
# librdkafka-dev for the Kafka mock), so a fresh machine pays for one package index update.
packages=()
reasons=()
if [ "${AKILI_SKIP_BROWSER:-}" != "1" ] && [ ! -x /usr/bin/chromium ]; then
  packages+=(chromium); reasons+=("the end-to-end tests need /usr/bin/chromium")
fi
if ! need kubectl; then
  packages+=(kubernetes-client); reasons+=("the deployment checks need kubectl kustomize")
fi
if [ "${AKILI_SKIP_CEPH:-}" != "1" ] && ! { need ceph-mon && need ceph-osd && need radosgw; }; then
  packages+=(radosgw ceph-mon ceph-osd); reasons+=("the lake tests need Ceph RGW")
fi
if [ ! -f /usr/include/librdkafka/rdkafka_mock.h ]; then
  packages+=(librdkafka-dev kcat); reasons+=("the Kafka mock cluster needs librdkafka")
fi
if [ ${#packages[@]} -gt 0 ]; then
  need apt-get || akili_die "missing Debian packages and apt-get is not available: install ${packages[*]} ($(IFS=';'; echo "${reasons[*]}"))"
  akili_log "installing ${packages[*]} from Debian (about a minute on a fresh machine)"
  apt_started=$SECONDS
  (flock -w 600 /tmp/akili-apt.lock sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "$@"' apt "${packages[@]}") >&2 \
    || akili_die "could not install ${packages[*]} with apt-get ($(IFS=';'; echo "${reasons[*]}"))"
  akili_log "Debian packages installed in $((SECONDS - apt_started)) s"
fi

# --- Ceph RGW (in the background) -----------------------------------------------------------------
# Its exports land in a file; the job is awaited at the end, so up.sh returns once RGW answers.
ceph_pid=""
if [ "${AKILI_SKIP_CEPH:-}" != "1" ]; then
  ceph_out="$(mktemp)"
  trap 'rm -f "$ceph_out"' EXIT
  bash "$(dirname "$0")/ceph.sh" >"$ceph_out" &
  ceph_pid=$!
fi

# --- PostgreSQL -------------------------------------------------------------------------------
if ! port_open 5432; then
  need pg_ctlcluster || akili_die "PostgreSQL is not running on 127.0.0.1:5432 and is not installed (apt-get install -y postgresql)"
  version="$(ls /etc/postgresql | sort -V | tail -n1)"
  akili_log "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || akili_die "PostgreSQL $version did not start (see /var/log/postgresql)"
  wait_port 5432 || akili_die "PostgreSQL did not open 127.0.0.1:5432 within 30 s"
fi
need psql || akili_die "psql is missing (apt-get install -y postgresql-client)"
# A password login role for the tests; CREATEDB lets Backstage's TestDatabases create one database per test.
psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q >/dev/null <<'SQL' || akili_die "could not prepare the PostgreSQL test role (is trust or peer auth enabled for postgres?)"
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'akili_test') THEN
    CREATE ROLE akili_test LOGIN PASSWORD 'akili_test' CREATEDB CREATEROLE;
  END IF;
END $$;
SQL

# --- MariaDB (MySQL protocol) -----------------------------------------------------------------
if ! port_open 3306; then
  [ -x /usr/sbin/mariadbd ] || akili_die "MariaDB is not running on 127.0.0.1:3306 and is not installed (apt-get install -y mariadb-server)"
  akili_log "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >&2
  wait_port 3306 || akili_die "MariaDB did not open 127.0.0.1:3306 within 30 s"
fi
if need mariadb; then
  mariadb -uroot >/dev/null <<'SQL' || akili_die "could not prepare the MariaDB test user (root over the socket must work)"
CREATE USER IF NOT EXISTS 'akili_test'@'%' IDENTIFIED BY 'akili_test';
CREATE USER IF NOT EXISTS 'akili_test'@'localhost' IDENTIFIED BY 'akili_test';
GRANT ALL PRIVILEGES ON *.* TO 'akili_test'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'akili_test'@'localhost' WITH GRANT OPTION;
SQL
fi

# --- Kafka protocol: librdkafka's mock cluster ------------------------------------------------
# Builds scripts/test-services/kafka-mock into .tools/kafka-mock (installing librdkafka-dev and
# kcat from Debian when absent); each test suite starts its own cluster with `startKafkaMock`.
kafka_mock_bin="$(bash "$(dirname "$0")/kafka-mock/build.sh")" \
  || akili_die "could not build the Kafka mock cluster (needs librdkafka-dev and gcc)"

ceph_env=""
if [ -n "$ceph_pid" ]; then
  wait "$ceph_pid" || akili_die "Ceph RGW could not be started (see above; AKILI_SKIP_CEPH=1 skips it)"
  ceph_env="$(cat "$ceph_out")"
fi

pg_major="$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version_num' | cut -c1-2)"
cat <<ENV
export AKILI_TEST_PG_URL=postgresql://akili_test:akili_test@127.0.0.1:5432/postgres
export AKILI_TEST_PG_ID=POSTGRES_${pg_major}
export BACKSTAGE_TEST_DATABASE_POSTGRES${pg_major}_CONNECTION_STRING=postgresql://akili_test:akili_test@127.0.0.1:5432
export AKILI_TEST_MYSQL_URL=mysql://akili_test:akili_test@127.0.0.1:3306
export AKILI_CHROMIUM=/usr/bin/chromium
export AKILI_KAFKA_MOCK_BIN=$kafka_mock_bin
ENV
[ -z "$ceph_env" ] || echo "$ceph_env"
