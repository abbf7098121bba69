#!/usr/bin/env bash
# A busy host is not an unfit host (DESIGN.md; issue 21): the default
# profile (python-buildbot) on a real, running worker, 10 runs each way:
#   quiet   nothing added (other work on the machine is recorded, not removed),
#   hogs    beside 16 CPU-bound processes on the machine's cores,
#   ctest   while this project's own test suite runs (`ctest -j4`), the load
#           the field saw.
# No run may differ from the first quiet run in verdict or in any check's
# status. Each run's load average, wall time and the longest toolchain
# check are recorded.
#
# The host is tests/e2e/volunteer_flow.sh's ready one, made the same way:
# a private network, mount and PID namespace (offline: only loopback), the
# fake farm of tests/e2e/fake_farm.sh (a real Buildbot master on
# 127.0.0.1:9020), a real cron with a private spool, an unprivileged user
# whose build area `buildbot-worker create-worker` made, edited info files,
# an `@reboot ... restart` crontab line and the worker running. bbcheck
# runs as that user with its defaults (worker stage and the service
# re-run included). Everything started here is killed by its PID, and the
# namespace's end takes whatever is left.
#
# Writes bench/BUSY_HOST.md. usage: sudo bash bench/busy_host.sh [BBCHECK [BUILD_DIR]]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
bbcheck=${1:-$src/build/release/bbcheck}
build=${2:-$(dirname "$bbcheck")}
runs=${BENCH_RUNS:-10}
[ "$(id -u)" -eq 0 ] || { echo "busy_host.sh: needs root" >&2; exit 1; }
if [ -z "${BENCH_BUSY_INSIDE:-}" ]; then
  exec env BENCH_BUSY_INSIDE=1 BENCH_BUSY_USER="bbbusy$$" \
    unshare --net --mount --pid --fork --mount-proc -- bash "$0" "$bbcheck" "$build"
fi

work=$(mktemp -d /tmp/bbcheck-busy-XXXXXX)
chmod 755 "$work"
user=$BENCH_BUSY_USER
pids=()
hogs=()
ctest_pid=
cleanup() {
  set +e
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null; done
  [ -n "$ctest_pid" ] && kill -- "-$ctest_pid" 2>/dev/null
  runuser -u "$user" -- buildbot-worker stop "/home/$user/buildarea" >/dev/null 2>&1
  buildbot stop "$work/master" >/dev/null 2>&1
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  crontab -u "$user" -r >/dev/null 2>&1
  [ -f "$work/cron-pid" ] && kill "$(cat "$work/cron-pid")" 2>/dev/null
  userdel -r "$user" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "busy_host: $*" >&2; exit 1; }
say() { echo "busy_host: $*" >&2; }
. "$src/tests/e2e/fake_farm.sh"

# --- the ready host of tests/e2e/volunteer_flow.sh -----------------------------
start_fake_farm "$work" "$src" busy-worker Busy-S3cret-pw || fail "the fake farm did not start"
# The fake farm stands in for the internet and the farm's master, which a
# volunteer's load does not slow: they run ahead of the load made here (a
# first run without this starved the fake TLS server of python.org behind
# 16 CPU hogs, and tls.python-org timed out waiting for it).
renice -n -10 -p "${pids[@]}" "$(cat "$work/master/twistd.pid")" >/dev/null
mount -t tmpfs bbcheck-run /run
mkdir -p "$work/spool" "$work/cron.d"
: > "$work/crontab"
chown root:crontab "$work/spool" && chmod 1730 "$work/spool"
mount --bind "$work/spool" /var/spool/cron/crontabs
mount --bind "$work/cron.d" /etc/cron.d
mount --bind "$work/crontab" /etc/crontab
/usr/sbin/cron
for _ in $(seq 50); do [ -s /run/crond.pid ] && break; sleep 0.1; done
cp /run/crond.pid "$work/cron-pid"

useradd -m -s /bin/bash "$user"
home="/home/$user"
area="$home/buildarea"
as_user() { runuser -u "$user" -- env HOME="$home" "$@"; }
as_user buildbot-worker create-worker "$area" buildbot-api.python.org:9020 busy-worker Busy-S3cret-pw >/dev/null
echo "Jane Volunteer <jane at example dot org>" > "$area/info/admin"
echo "Debian 12 VM, 2 vCPUs, for bbcheck's busy-host bench" > "$area/info/host"
echo "@reboot buildbot-worker restart $area" | crontab -u "$user" -
sed -i 's/^keepalive = .*/keepalive = 60/; s/^delete_leftover_dirs = .*/delete_leftover_dirs = 1/' "$area/buildbot.tac"
grep -q "^delete_leftover_dirs = 1" "$area/buildbot.tac" || echo "delete_leftover_dirs = 1" >> "$area/buildbot.tac"
as_user buildbot-worker start "$area" >/dev/null
mkdir "$work/reports" && chown "$user" "$work/reports"

run_once() {  # run_once MODE N
  local out="$work/reports/$1-$2.json" start end
  cut -d' ' -f1 /proc/loadavg > "$work/reports/$1-$2.load"
  start=$(date +%s%N)
  as_user "$bbcheck" --no-color --format json > "$out" 2> "$work/reports/$1-$2.err" || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000000)) > "$work/reports/$1-$2.ms"
  if [ -n "$ctest_pid" ] && kill -0 "$ctest_pid" 2>/dev/null; then
    echo yes > "$work/reports/$1-$2.ctest"
  fi
}

cores=$(nproc)
say "quiet runs"
for i in $(seq "$runs"); do run_once quiet "$i"; done

say "runs beside 16 CPU-bound processes"
for _ in $(seq 16); do
  (while :; do :; done) &
  hogs+=($!)
done
for i in $(seq "$runs"); do run_once hogs "$i"; done
kill "${hogs[@]}"
wait "${hogs[@]}" 2>/dev/null || true
hogs=()

say "runs while ctest -j4 runs this project's suite"
setsid ctest --test-dir "$build" -j4 --timeout 600 > "$work/ctest.log" 2>&1 &
ctest_pid=$!
# Until its tests are running (not a fixed sleep).
for _ in $(seq 600); do
  [ "$(grep -c "Start " "$work/ctest.log" 2>/dev/null || true)" -ge 4 ] && break
  sleep 0.1
done
for i in $(seq "$runs"); do run_once ctest "$i"; done
kill -- "-$ctest_pid" 2>/dev/null || true
wait "$ctest_pid" 2>/dev/null || true
ctest_pid=

/usr/bin/python3 - "$work/reports" "$runs" "$cores" "$here/BUSY_HOST.md" <<'PY'
import datetime, json, os, statistics, sys
reports, runs, cores, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def read(mode, n):
    base = f"{reports}/{mode}-{n}"
    try:
        r = json.load(open(base + ".json"))
    except Exception as e:
        return {"error": f"no report ({e}): " + open(base + ".err").read()[:300]}
    checks = {c["id"]: c for c in r["checks"]}
    return {
        "verdict": r["verdict"],
        "statuses": {i: c["status"] for i, c in checks.items()},
        "load": float(open(base + ".load").read()),
        "ms": int(open(base + ".ms").read()),
        "ctest": os.path.exists(base + ".ctest"),
        "longest": max(((c.get("duration_ms", 0), i) for i, c in checks.items()
                        if i.split(".")[0] in ("toolchain", "headers", "libraries")), default=(0, "")),
        "messages": {i: c.get("message", "") for i, c in checks.items()},
    }
modes = {"quiet": "quiet", "hogs": "beside 16 CPU-bound processes",
         "ctest": "while `ctest -j4` runs this project's suite"}
results = {m: [read(m, n) for n in range(1, runs + 1)] for m in modes}
base = results["quiet"][0]
rows, problems = [], []
for mode, what in modes.items():
    rs = results[mode]
    bad = []
    for n, r in enumerate(rs, 1):
        if "error" in r:
            bad.append(f"run {n}: {r['error']}")
            continue
        if r["verdict"] != base["verdict"]:
            bad.append(f"run {n}: verdict {r['verdict']}, quiet {base['verdict']}")
        for i in sorted(set(r["statuses"]) | set(base["statuses"])):
            a, b = base["statuses"].get(i), r["statuses"].get(i)
            if a != b:
                bad.append(f"run {n}: {i} is {b} ({r['messages'].get(i, '')}), quiet {a}")
    ok = [r for r in rs if "error" not in r]
    loads = [r["load"] for r in ok]
    walls = [r["ms"] for r in ok]
    longest = max((r["longest"] for r in ok), default=(0, ""))
    ctest = sum(r["ctest"] for r in ok)
    rows.append(f"| {what} | {len(rs) - len(set(b.split(':')[0] for b in bad))}/{len(rs)} | "
                f"{min(loads):.1f}-{max(loads):.1f} | {statistics.median(walls) / 1000:.1f} s "
                f"(max {max(walls) / 1000:.1f} s) | {longest[0] / 1000:.1f} s ({longest[1]}) |"
                + (f" {ctest}/{len(rs)} with ctest running |" if mode == "ctest" else " |"))
    problems += [f"- {mode} {b}" for b in bad]
counts = {}
for s in base["statuses"].values():
    counts[s] = counts.get(s, 0) + 1
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")
text = f"""# A busy host is not an unfit host: the default profile under load

Measured {now} by `sudo bash bench/busy_host.sh` (written by it; do not edit
by hand), {cores} CPUs, {runs} runs each way. The host is
tests/e2e/volunteer_flow.sh's ready worker, made the same way, offline (a
private network, mount and PID namespace; a real Buildbot master on
loopback, a real cron, a real worker area with the worker running); bbcheck
runs as the worker's user with its defaults (python-buildbot, worker stage
and the service re-run included; each check's timeout as the profile says,
3 s for the toolchain checks).

The first quiet run: verdict **{base['verdict']}**, {len(base['statuses'])} checks
({", ".join(f"{v} {k}" for k, v in sorted(counts.items()))}). Every other run is
compared with it, check by check.

| runs | same verdict and statuses as quiet | load average (1 min) at start | wall time, median | longest toolchain/headers/libraries check | |
|---|---|---|---|---|---|
{chr(10).join(rows)}

"""
text += ("Differences:\n\n" + "\n".join(problems) + "\n") if problems else "No run differs from the quiet run.\n"
open(out, "w").write(text)
print(text)
PY
