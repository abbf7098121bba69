#!/usr/bin/env bash
# The volunteer's path through python-buildbot, end to end (issue 4's "done
# when"): create the build area with buildbot-worker, run bbcheck, follow each
# fix, run again: not ready -> ready, with nothing wrong for this machine.
#
# Everything runs in a private network, mount and PID namespace made here:
# the farm's host names resolve to 127.0.0.1 through a bind-mounted
# /etc/hosts, dnsmasq on 127.0.0.1:53 answers the resolver checks,
# fake_internet.py holds the ports, a real Buildbot master listens on
# 127.0.0.1:9020, and a real cron daemon reads a private crontab spool (so
# the @reboot line is one a cron will run; no other crontab runs). No packet
# leaves the namespace, and every process in it ends with it.
#
# usage: volunteer_flow.sh BBCHECK SOURCE_DIR   (as root)
set -euo pipefail
bbcheck=$1
src=$2
[ "$(id -u)" -eq 0 ] || { echo "volunteer_flow: needs root" >&2; exit 1; }
if [ -z "${BBCHECK_E2E_INSIDE:-}" ]; then
  # Named out here: inside the PID namespace $$ is 1 in every run.
  exec env BBCHECK_E2E_INSIDE=1 BBCHECK_E2E_USER="bbvol$$" unshare --net --mount --pid --fork --mount-proc -- "$0" "$@"
fi

work=$(mktemp -d /tmp/bbcheck-volunteer-XXXXXX)
chmod 755 "$work"
user=$BBCHECK_E2E_USER
pids=()
cleanup() {
  set +e
  [ -f "$work/area-pid" ] && kill "$(cat "$work/area-pid")" 2>/dev/null
  runuser -u "$user" -- buildbot-worker stop "/home/$user/buildarea" >/dev/null 2>&1
  buildbot stop "$work/master" >/dev/null 2>&1
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  crontab -u "$user" -r >/dev/null 2>&1
  [ -f "$work/cron-pid" ] && kill "$(cat "$work/cron-pid")" 2>/dev/null
  userdel -r "$user" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$src/tests/e2e/fake_farm.sh"

# --- a small internet of our own (fake_farm.sh) -------------------------------
start_fake_farm "$work" "$src" volunteer-worker Vol-S3cret-pw || fail "the fake farm did not start"

# cron, private: its own /run (pid file, reboot marker), an empty spool,
# /etc/crontab and /etc/cron.d, so it runs nothing but this test's crontab.
mount -t tmpfs bbcheck-run /run
mkdir -p "$work/spool" "$work/cron.d"
: > "$work/crontab"
chown root:crontab "$work/spool" && chmod 1730 "$work/spool"
mount --bind "$work/spool" /var/spool/cron/crontabs
mount --bind "$work/cron.d" /etc/cron.d
mount --bind "$work/crontab" /etc/crontab
/usr/sbin/cron
# Polled, up to 60 s: cron writes its pid file late on a loaded machine.
for _ in $(seq 600); do [ -s /run/crond.pid ] && break; sleep 0.1; done
cp /run/crond.pid "$work/cron-pid"

# --- the volunteer: an unprivileged user with a fresh build area -------------
useradd -m -s /bin/bash "$user"
home="/home/$user"
area="$home/buildarea"
as_user() { runuser -u "$user" -- env HOME="$home" "$@"; }
mkdir "$work/reports" && chown "$user" "$work/reports"  # the volunteer writes the reports
as_user buildbot-worker create-worker "$area" buildbot-api.python.org:9020 volunteer-worker Vol-S3cret-pw >/dev/null

run_bbcheck() {  # run N: reports in $work/run-N.*, exit code in $work/run-N.code
  local n=$1
  set +e
  as_user "$bbcheck" --no-color --deadline 60s --report "json:$work/reports/run-$n.json" \
    --report "junit:$work/reports/run-$n.xml" --report "tap:$work/reports/run-$n.tap" > "$work/run-$n.txt" 2>&1
  echo $? > "$work/run-$n.code"
  set -e
  cat "$work/run-$n.txt"
  /usr/bin/python3 - "$src/schema/report-v1.schema.json" "$work/reports/run-$n.json" <<'PY' || fail "run $n: JSON report does not validate"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
PY
  if grep -l "Vol-S3cret-pw" "$work/run-$n.txt" "$work/reports/run-$n".*; then fail "run $n: the worker password appears in a report"; fi
}
status_of() {  # status_of N ID
  /usr/bin/python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
print(next(c["status"] for c in r["checks"] if c["id"]==sys.argv[2]))' "$work/reports/run-$1.json" "$2"
}
expect_status() {  # expect_status N ID STATUS
  local got
  got=$(status_of "$1" "$2")
  [ "$got" = "$3" ] || fail "run $1: $2 is $got, expected $3"
}

# Run 1: as created, the build area still has template texts, keepalive 600,
# no boot entry, and the worker is not running.
run_bbcheck 1
[ "$(cat "$work/run-1.code")" -eq 1 ] || fail "run 1 exit $(cat "$work/run-1.code"), expected 1 (not ready)"
expect_status 1 buildarea.tac pass
expect_status 1 buildarea.info fail
expect_status 1 buildarea.keepalive fail
expect_status 1 boot.entry fail
expect_status 1 worker.running fail
expect_status 1 buildarea.ownership pass
expect_status 1 security.worker-user skip
for id in master.pb dns.system dns.nxdomain dns.nameservers net.ftp net.http net.https net.smtp net.nntp \
          localhost.sockets security.not-root worker.software toolchain.cc headers.zlib headers.openssl \
          libraries.zlib libraries.openssl vcs.git resources.cpus resources.memory; do
  expect_status 1 "$id" pass
done
grep -q "NOT READY" "$work/run-1.txt" || fail "run 1: no NOT READY verdict"

# Follow the fixes, first with the `start` mistake the devguide warns about.
echo "Jane Volunteer <jane at example dot org>" > "$area/info/admin"
echo "Debian 12 VM, 2 vCPUs, for bbcheck's end-to-end test" > "$area/info/host"
echo "@reboot buildbot-worker start $area" | crontab -u "$user" -
run_bbcheck 2
expect_status 2 buildarea.info pass
expect_status 2 boot.entry fail
grep -q "twistd.pid" "$work/run-2.txt" || fail "run 2: the start-vs-restart failure does not explain the stale twistd.pid"

echo "@reboot buildbot-worker restart $area" | crontab -u "$user" -
sed -i 's/^keepalive = .*/keepalive = 60/; s/^delete_leftover_dirs = .*/delete_leftover_dirs = 1/' "$area/buildbot.tac"
grep -q "^delete_leftover_dirs = 1" "$area/buildbot.tac" || echo "delete_leftover_dirs = 1" >> "$area/buildbot.tac"
as_user buildbot-worker start "$area" >/dev/null

# Run 3: ready.
run_bbcheck 3
[ "$(cat "$work/run-3.code")" -eq 0 ] || fail "run 3 exit $(cat "$work/run-3.code"), expected 0 (ready)"
for id in buildarea.tac buildarea.info buildarea.ownership buildarea.keepalive buildarea.leftover \
          boot.entry worker.running security.worker-user master.pb; do
  expect_status 3 "$id" pass
done
grep -q "^READY" "$work/run-3.txt" || fail "run 3: no READY verdict"
echo "volunteer flow: not ready -> ready"
