#!/usr/bin/env bash
# Real Ceph RGW (the lake's S3 API in production) for the tests: a throwaway single-node cluster
# (one mon, one memstore OSD, auth none, pools of size 1, radosgw's beast frontend on
# 127.0.0.1:7480) with one RGW user for the platform and one per test tenant (fixed test keys).
#   bash scripts/test-services/ceph.sh        start (or reuse) it; prints `export` lines on stdout
#   bash scripts/test-services/ceph.sh stop   stops the daemons this script started
# Installs radosgw, ceph-mon and ceph-osd from Debian when absent. Reuses an RGW that already
# answers on 127.0.0.1:7480 (a second run takes about a second). Its state lives in
# $AKILI_CEPH_DIR (/tmp/akili-ceph): ceph.conf, logs in log/, and env, also copied to
# /tmp/ceph.env as soon as the cluster answers. Memstore keeps the objects in memory: a restart
# of the OSD loses them, so a cluster that is not whole is rebuilt from scratch.
set -euo pipefail

dir="${AKILI_CEPH_DIR:-/tmp/akili-ceph}"
conf="$dir/ceph.conf"
env_file="${AKILI_CEPH_ENV_FILE:-/tmp/ceph.env}"
endpoint="http://127.0.0.1:7480"
log() { printf '\033[1;36m[akili]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[akili] error:\033[0m %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1; }

# RGW users: uid, access key, secret key. The platform's user creates the buckets; each test
# tenant has its own user, so a test can act as tenant A against tenant B's objects.
users=(
  "akili-platform AKILITESTPLATFORM000 akili-test-platform-secret-0000000000000"
  "akili-acme AKILITESTACME0000000 akili-test-acme-secret-00000000000000000"
  "akili-globex AKILITESTGLOBEX00000 akili-test-globex-secret-000000000000000"
)

# Stops the daemons whose pid files are in $dir (only those this script started).
stop_cluster() {
  local pidfile pid i
  for pidfile in "$dir"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pidfile in "$dir"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    for i in $(seq 1 20); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [ "${1:-}" = "stop" ]; then
  stop_cluster
  log "Ceph stopped (state in $dir)"
  exit 0
fi

# True when 127.0.0.1:7480 answers an anonymous ListBuckets the way RGW does.
rgw_answers() {
  curl -s --max-time 2 "$endpoint/" 2>/dev/null | grep -q '<ListAllMyBucketsResult.*<ID>anonymous</ID>'
}

# --- install ----------------------------------------------------------------------------------
if ! need ceph-mon || ! need ceph-osd || ! need radosgw || ! need monmaptool; then
  need apt-get || die "Ceph is missing and apt-get is not available: install Debian's radosgw, ceph-mon and ceph-osd packages"
  log "installing radosgw, ceph-mon and ceph-osd from Debian (about a minute)"
  started=$SECONDS
  # The lock serializes this with up.sh's other apt-get runs when it starts Ceph in the background.
  apt_install() {
    flock -w 600 /tmp/akili-apt.lock env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 radosgw ceph-mon ceph-osd >&2
  }
  apt_install 2>/dev/null || { flock -w 600 /tmp/akili-apt.lock apt-get update -qq >&2 && apt_install; } \
    || die "could not install radosgw, ceph-mon and ceph-osd with apt-get (step: install)"
  log "Ceph installed in $((SECONDS - started)) s"
fi

# Waits up to $2 seconds for the command "${@:3}" to succeed; $1 names the step for the error.
wait_for() {
  local step="$1" seconds="$2" deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.3
  done
}
ceph_cli() { timeout 15 ceph -c "$conf" --connect-timeout 10 "$@"; }
fail() { # step, log file
  die "Ceph $1 did not start: read $2 (state in $dir; 'bash scripts/test-services/ceph.sh stop' and run again to rebuild it)"
}

# --- cluster ----------------------------------------------------------------------------------
osd_up() { ceph_cli osd stat -f json | grep -q '"num_up_osds":1'; }
daemon_alive() { local pid; pid="$(cat "$dir/run/$1.pid" 2>/dev/null)" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
started=$SECONDS
reuse=""
if rgw_answers; then
  [ -f "$conf" ] || die "an RGW answers on 127.0.0.1:7480 but $conf is missing: it was not started by this script; stop it or set AKILI_CEPH_DIR to its state folder"
  # RGW answers an anonymous listing without its OSD; a cluster whose mon or OSD died is rebuilt.
  if daemon_alive mon.a && daemon_alive osd.0; then
    reuse=1
    log "reusing the Ceph RGW on 127.0.0.1:7480 (state in $dir)"
  else
    log "the Ceph RGW on 127.0.0.1:7480 answers but its mon or OSD is not running: rebuilding the cluster"
  fi
fi
if [ -z "$reuse" ]; then
  for port in 6789 7480; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && ! grep -qs . "$dir"/run/*.pid; then
      die "port $port is taken by a process this script did not start; Ceph needs 6789 (mon) and 7480 (rgw)"
    fi
  done
  if [ -d "$dir" ] && [ ! -f "$conf" ] && [ -n "$(ls -A "$dir")" ]; then
    die "$dir is not empty and holds no ceph.conf: not wiping it (set AKILI_CEPH_DIR to a folder of its own)"
  fi
  stop_cluster
  rm -rf "$dir"
  mkdir -p "$dir"/{log,run,mon,osd,rgw}
  fsid="$(uuidgen)"
  cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = 127.0.0.1:6789
mon initial members = a
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
run dir = $dir/run
pid file = $dir/run/\$name.pid
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 2
mon data avail crit = 1
mon warn on insecure global id reclaim allowed = false

[mon]
mon data = $dir/mon/\$cluster-\$id

[osd]
osd data = $dir/osd/\$cluster-\$id
osd objectstore = memstore
# Memory the OSD may fill; the lake's bench writes files of about 1 GB.
memstore device bytes = ${AKILI_CEPH_MEMSTORE_BYTES:-4294967296}
osd crush update on start = false
osd class update on start = false

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:7480
rgw data = $dir/rgw/\$cluster-\$id
rgw enable usage log = true
CONF

  # mon
  monmaptool --create --clobber --add a 127.0.0.1:6789 --fsid "$fsid" "$dir/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" >>"$dir/log/mkfs.log" 2>&1 || fail mon "$dir/log/mkfs.log"
  ceph-mon -c "$conf" -i a >>"$dir/log/mon.a.log" 2>&1 || fail mon "$dir/log/mon.a.log"
  wait_for mon 30 ceph_cli mon stat || fail mon "$dir/log/mon.a.log"

  # osd, placed by hand in the CRUSH map (updating it on start races the OSD's boot)
  osd_uuid="$(uuidgen)"
  osd_id="$(ceph_cli osd new "$osd_uuid")" || fail osd "$dir/log/osd.0.log"
  mkdir -p "$dir/osd/ceph-$osd_id"
  ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >>"$dir/log/mkfs.log" 2>&1 || fail osd "$dir/log/mkfs.log"
  {
    ceph_cli osd crush add-bucket node1 host
    ceph_cli osd crush move node1 root=default
    ceph_cli osd crush add "osd.$osd_id" 1.0 host=node1
  } >>"$dir/log/setup.log" 2>&1 || fail osd "$dir/log/setup.log"
  ceph-osd -c "$conf" -i "$osd_id" >>"$dir/log/osd.$osd_id.log" 2>&1 || fail osd "$dir/log/osd.$osd_id.log"
  wait_for osd 60 osd_up || fail osd "$dir/log/osd.$osd_id.log"

  # rgw (creates its pools on first start)
  radosgw -c "$conf" -n client.rgw.a >>"$dir/log/client.rgw.a.log" 2>&1 || fail rgw "$dir/log/client.rgw.a.log"
  wait_for rgw 90 rgw_answers || fail rgw "$dir/log/client.rgw.a.log"
  log "Ceph RGW started on 127.0.0.1:7480 in $((SECONDS - started)) s (state in $dir)"
fi

# --- users ------------------------------------------------------------------------------------
# Skipped when this cluster already has them (a stamp of the user list in its state folder, which
# a rebuild wipes): radosgw-admin takes seconds on a busy machine.
users_stamp="$(printf '%s\n' "${users[@]}" | sha1sum | cut -d' ' -f1)"
if [ "$(cat "$dir/users.ok" 2>/dev/null)" != "$users_stamp" ]; then
  rgw_admin() { timeout 30 radosgw-admin -c "$conf" "$@" 2>>"$dir/log/users.log"; }
  for user in "${users[@]}"; do
    read -r uid ak sk <<<"$user"
    if ! info="$(rgw_admin user info --uid "$uid")"; then
      rgw_admin user create --uid "$uid" --display-name "Akili test user $uid" --access-key "$ak" --secret-key "$sk" >/dev/null \
        || die "Ceph user $uid could not be created: read $dir/log/users.log"
    elif ! grep -q "\"secret_key\": \"$sk\"" <<<"$info"; then
      rgw_admin key create --uid "$uid" --access-key "$ak" --secret-key "$sk" >/dev/null \
        || die "Ceph user $uid's key could not be set: read $dir/log/users.log"
    fi
  done
  # The platform's user reads storage usage and bucket stats through RGW's admin API.
  rgw_admin caps add --uid akili-platform --caps "usage=read;buckets=read;users=read;metadata=read" >/dev/null \
    || die "Ceph user akili-platform's admin capabilities could not be set: read $dir/log/users.log"
  echo "$users_stamp" >"$dir/users.ok"
fi

read -r _ platform_ak platform_sk <<<"${users[0]}"
tenant_keys=""
for user in "${users[@]:1}"; do
  read -r uid ak sk <<<"$user"
  tenant_keys+="${tenant_keys:+,}${uid#akili-}:$ak:$sk"
done
cat >"$dir/env" <<ENV
export AKILI_TEST_S3_ENDPOINT=$endpoint
export AKILI_TEST_S3_ACCESS_KEY=$platform_ak
export AKILI_TEST_S3_SECRET_KEY=$platform_sk
export AKILI_TEST_S3_TENANT_KEYS=$tenant_keys
ENV
cp "$dir/env" "$env_file.tmp" && mv "$env_file.tmp" "$env_file"
cat "$dir/env"
