#!/usr/bin/env bash
# The shipped default profile on a host with no network at all: a private
# network namespace (unshare -n) where even loopback is down. bbcheck must
# finish inside its deadline, show one DNS failure with the rest of the
# network section blocked on it (not twenty unexplained failures), the
# master (which may be an IP address, so needs no DNS) failing on its own
# name, exit 1, and write a JSON report that validates. Its text report is
# read at a glance: the verdict first, at most 40 lines in all.
#
# usage: offline.sh BBCHECK SOURCE_DIR   (as root)
set -euo pipefail
# Each run in PID and mount namespaces of its own too: as root bbcheck checks
# every worker it finds running, and other tests' workers are not this host's.
bbcheck=$1
src=$2
work=$(mktemp -d /tmp/bbcheck-offline-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

start=$(date +%s%N)
set +e
unshare --net --pid --fork --mount-proc -- "$bbcheck" --no-color --deadline 20s --report "json:$work/r.json" \
  --report "junit:$work/r.xml" > "$work/r.txt" 2>&1
code=$?
set -e
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
cat "$work/r.txt"
echo "exit $code after ${elapsed_ms} ms"
[ "$code" -eq 1 ] || fail "exit $code, expected 1 (not ready)"
[ "$elapsed_ms" -lt 22000 ] || fail "took ${elapsed_ms} ms with --deadline 20s"
lines=$(wc -l < "$work/r.txt")
[ "$lines" -le 40 ] || fail "the text report takes $lines lines; at a glance is at most 40"
head -1 "$work/r.txt" | grep -q "^NOT READY" || fail "the verdict is not the first line"
[ "$(grep -c 'needs dns.system' "$work/r.txt")" -eq 0 ] || fail "blocked checks not collapsed under dns.system"

/usr/bin/python3 - "$src/schema/report-v1.schema.json" "$work/r.json" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator(schema).validate(report)
checks = {c["id"]: c for c in report["checks"]}
def need(ok, what):
    if not ok:
        sys.exit("FAIL: " + what)
dns = checks["dns.system"]
need(dns["status"] in ("fail", "error"), f"dns.system is {dns['status']}")
need(dns.get("fix"), "dns.system has no fix")
blocked = [c for c in report["checks"] if "dns.system" in c["needs"]]
need(len(blocked) >= 8, f"only {len(blocked)} checks need dns.system")
for c in blocked:
    need(c["status"] == "blocked", f"{c['id']} is {c['status']}, expected blocked")
    need(c["message"].startswith("needs dns.system, which "), f"{c['id']}: {c['message']}")
master = checks["master.pb"]
need(master["status"] == "fail" and "buildbot-api.python.org did not resolve" in master["message"],
     f"master.pb: {master['status']}: {master['message']}")
need(checks["localhost.sockets"]["status"] == "fail", "localhost works with loopback down?")
need(report["verdict"] == "not_ready", report["verdict"])
print(f"offline: {len(blocked)} checks blocked on dns.system ({dns['status']}: {dns['message']})")
PY
grep -q '<testcase classname="master" name="master.pb"' "$work/r.xml" || fail "JUnit report lacks master.pb"
