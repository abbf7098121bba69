#!/usr/bin/env bash
# bbcheck's Prometheus side, with Debian's own tools:
# - the `prometheus` report passes `promtool check metrics`;
# - Debian's prometheus-node-exporter, on a loopback port, with its textfile
#   collector on a directory bbcheck writes into, serves the bbcheck series
#   (a ready run, then a not-ready one replacing it);
# - contrib/prometheus alert rules pass `promtool test rules`;
# - the systemd units, as `cmake --install` puts them under a prefix (their
#   ExecStart naming the bbcheck installed there), pass `systemd-analyze
#   verify`.
#
# usage: prometheus_textfile.sh BBCHECK SOURCE_DIR BUILD_DIR   (as root)
set -euo pipefail
bbcheck=$(realpath "$1")
src=$2
build=$3
work=$(mktemp -d "/tmp/bbcheck-prom-$$-XXXXXX")
exporter_pid=
cleanup() {
  if [ -n "$exporter_pid" ]; then kill "$exporter_pid" 2>/dev/null || true; wait "$exporter_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
profile=$src/tests/e2e/fleet-profile.yaml
textdir=$work/textfile
mkdir -p "$textdir"

# --- a ready run: the master check aimed at a real PB-speaking listener is
# not possible without a master, so --skip leaves it out (not counted, not
# even as skip); tools.extra (recommended) fails without making the host not
# ready.
set +e
"$bbcheck" run -p "$profile" --skip master.pb --format prometheus --report "prometheus:$textdir/bbcheck.prom" > "$work/stdout.prom"
code=$?
set -e
[ "$code" -eq 0 ] || fail "ready run exited $code"
cmp -s "$work/stdout.prom" "$textdir/bbcheck.prom" || fail "--format and --report differ"
promtool check metrics < "$textdir/bbcheck.prom" || fail "promtool rejects the report"
grep -q '^bbcheck_ready 1$' "$textdir/bbcheck.prom" || fail "not bbcheck_ready 1"
ls -a "$textdir" | grep -v '^\.\.\?$' | grep -qv '^bbcheck.prom$' && fail "a temporary file was left: $(ls -a "$textdir")"

# --- node_exporter on a free loopback port, only its textfile collector.
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
prometheus-node-exporter --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
  --collector.textfile --collector.textfile.directory="$textdir" > "$work/exporter.log" 2>&1 &
exporter_pid=$!
scrape() {
  /usr/bin/python3 - "$port" <<'PY'
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/metrics"
for _ in range(600):  # up to a minute on a loaded machine
    try:
        print(urllib.request.urlopen(url, timeout=5).read().decode()); sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("node_exporter never answered on " + url)
PY
}
scrape > "$work/metrics1" || { cat "$work/exporter.log"; fail "no scrape"; }
check_series() {  # FILE REGEX...
  local file=$1; shift
  for re in "$@"; do grep -Eq "$re" "$file" || fail "scrape lacks /$re/:\n$(grep bbcheck "$file")"; done
}
check_series "$work/metrics1" '^bbcheck_ready 1$' \
  '^bbcheck_check_ok\{check="tools.git",severity="required"\} 1$' \
  '^bbcheck_check_ok\{check="tools.extra",severity="recommended"\} 0$' \
  '^bbcheck_checks\{status="skip"\} 0$' '^bbcheck_checks\{status="pass"\} 2$' \
  '^bbcheck_last_run_timestamp_seconds [0-9.e+]+$' '^bbcheck_run_duration_seconds [0-9.e+-]+$' \
  '^bbcheck_check_status\{check="tools.extra",severity="recommended",status="fail"\} 1$' \
  '^bbcheck_info\{host="[^"]+",profile="fleet-test",version="[0-9.]+",worker="[^"]+"\} 1$' \
  '^node_textfile_scrape_error 0$'
grep -q 'check="master.pb"' "$work/metrics1" && fail "a skipped check has an ok value"

# --- a not-ready run replaces the file: the master's PB port is closed.
closed=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
set +e
"$bbcheck" run -p "$profile" --set "master=127.0.0.1:$closed" -q --report "prometheus:$textdir/bbcheck.prom" > /dev/null
code=$?
set -e
[ "$code" -eq 1 ] || fail "not-ready run exited $code"
scrape > "$work/metrics2"
check_series "$work/metrics2" '^bbcheck_ready 0$' \
  '^bbcheck_check_ok\{check="master.pb",severity="required"\} 0$' '^bbcheck_checks\{status="fail"\} 2$' \
  '^node_textfile_scrape_error 0$'
echo "node_exporter serves bbcheck's series (ready, then not ready)"

# --- alert rules.
promtool check rules "$src/contrib/prometheus/bbcheck.rules.yml"
(cd "$src/contrib/prometheus" && promtool test rules bbcheck.rules_test.yml) || fail "promtool test rules"

# --- systemd units, installed under a prefix: verified with the bbcheck
# installed beside them, which their ExecStart names. The control: a broken
# timer makes systemd-analyze complain.
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "cmake --install failed"; }
units=$work/prefix/lib/systemd/system
grep -q "^ExecStart=$work/prefix/bin/bbcheck " "$units/bbcheck-textfile.service" ||
  fail "the installed unit does not run $work/prefix/bin/bbcheck"
cp "$units/bbcheck-textfile.service" "$units/bbcheck-textfile.timer" "$work/"
sed 's/^OnCalendar=.*/OnCalendar=every so often/' "$units/bbcheck-textfile.timer" > "$work/broken.timer"
cp "$work/bbcheck-textfile.service" "$work/broken.service"
verify() { systemd-analyze verify "$@" 2>&1; }
out=$(cd "$work" && verify ./bbcheck-textfile.service ./bbcheck-textfile.timer) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify complains: $out"
out=$(cd "$work" && verify ./broken.timer || true)
[ -n "$out" ] || fail "systemd-analyze verify accepted a broken timer"
echo "systemd units verify; alert rules pass their tests"
echo PASS
