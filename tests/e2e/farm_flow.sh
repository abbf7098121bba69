#!/usr/bin/env bash
# The farm side, end to end (issue 13): a volunteer with no build area yet
# gets "READY to request a worker" and a prefilled request whose every field
# matches this host; after create-worker the worker stage is judged; `show`
# re-renders real reports byte for byte and re-judges them; `diff` finds the
# port black-holed (iptables DROP) between two runs of the same host.
#
# Runs in a private network and mount namespace made here (fake_farm.sh).
# usage: farm_flow.sh BBCHECK SOURCE_DIR   (as root)
set -euo pipefail
bbcheck=$1
src=$2
[ "$(id -u)" -eq 0 ] || { echo "farm_flow: needs root" >&2; exit 1; }
if [ -z "${BBCHECK_E2E_INSIDE:-}" ]; then
  exec env BBCHECK_E2E_INSIDE=1 unshare --net --mount --fork -- "$0" "$@"
fi
. "$src/tests/e2e/fake_farm.sh"

work=$(mktemp -d /tmp/bbcheck-farm-XXXXXX)
chmod 755 "$work"
user="bbfarm$$"
pids=()
cleanup() {
  set +e
  buildbot stop "$work/master" >/dev/null 2>&1
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  userdel -r "$user" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

start_fake_farm "$work" "$src" farm-worker Farm-S3cret-pw || fail "the fake farm did not start"
useradd -m -s /bin/bash "$user"
home="/home/$user"
area="$home/buildarea"
as_user() { runuser -u "$user" -- env HOME="$home" "$@"; }
mkdir "$work/r" && chown "$user" "$work/r"
# Black-holed ports time out; the timeout is generous for a loaded machine.
common=(--no-color --deadline 90s --timeout 10s)

bb() {  # bb NAME ARGS...: stdout in r/NAME.out, stderr in r/NAME.err, exit in r/NAME.code
  local name=$1; shift
  set +e
  as_user "$bbcheck" "$@" > "$work/r/$name.out" 2> "$work/r/$name.err"
  echo $? > "$work/r/$name.code"
  set -e
}
code_of() { cat "$work/r/$1.code"; }
expect_code() { [ "$(code_of "$1")" -eq "$2" ] || { cat "$work/r/$1.out" "$work/r/$1.err"; fail "$1: exit $(code_of "$1"), expected $2"; }; }
validate() {
  /usr/bin/python3 - "$src/schema/report-v1.schema.json" "$1" <<'PY' || fail "$1 does not validate"
import json, sys, jsonschema
jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
PY
}
field() {  # field REPORT.json PYTHON-EXPRESSION-ON-r
  /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# --- 1. No build area, port 119 black-holed: ready to request a worker ------
iptables -A OUTPUT -p tcp --dport 119 -j DROP
bb host "${common[@]}" --report "json:$work/r/host.json" --report "junit:$work/r/host.xml" \
  --report "tap:$work/r/host.tap"
cat "$work/r/host.out"
expect_code host 0
grep -q "^READY to request a worker (" "$work/r/host.out" || fail "no 'READY to request a worker' verdict"
validate "$work/r/host.json"
[ "$(field "$work/r/host.json" 'r["stage"]')" = host ] || fail "the report's stage is not host"
for id in buildarea.tac buildarea.info buildarea.keepalive buildarea.leftover boot.entry worker.running; do
  st=$(field "$work/r/host.json" "next(c for c in r['checks'] if c['id']=='$id')['status']")
  msg=$(field "$work/r/host.json" "next(c for c in r['checks'] if c['id']=='$id')['message']")
  stage=$(field "$work/r/host.json" "next(c for c in r['checks'] if c['id']=='$id')['stage']")
  [ "$st" = skip ] && [ "$stage" = worker ] || fail "$id is $st (stage $stage), expected a skipped worker-stage check"
  case "$msg" in
    *"after your request is accepted: buildbot-worker create-worker ~/buildarea buildbot-api.python.org:9020 WORKERNAME PASSWORD"*) ;;
    *) fail "$id does not name the next step: $msg" ;;
  esac
done
for id in master.pb net.http resources.cpus toolchain.cc security.not-root buildarea.disk; do
  st=$(field "$work/r/host.json" "next(c for c in r['checks'] if c['id']=='$id')['status']")
  [ "$st" = pass ] || fail "host stage: $id is $st"
done
st=$(field "$work/r/host.json" "next(c for c in r['checks'] if c['id']=='net.nntp')['status']")
[ "$st" = error ] || [ "$st" = fail ] || fail "net.nntp is $st with port 119 black-holed"

# --- 2. show: every format, byte for byte; re-judged under --fail-on ---------
bb show-text show "$work/r/host.json"
expect_code show-text 0
# The run's text ends with a progress-free report; show renders the same.
cmp "$work/r/host.out" "$work/r/show-text.out" || { diff "$work/r/host.out" "$work/r/show-text.out"; fail "show's text differs from the run's"; }
for f in json:host.json junit:host.xml tap:host.tap; do
  bb "show-${f%%:*}" show "$work/r/host.json" --format "${f%%:*}"
  expect_code "show-${f%%:*}" 0
  cmp "$work/r/${f#*:}" "$work/r/show-${f%%:*}.out" || { diff "$work/r/${f#*:}" "$work/r/show-${f%%:*}.out"; fail "show --format ${f%%:*} differs from the run's report"; }
done
bb strict show "$work/r/host.json" --fail-on recommended
expect_code strict 1
grep -q "^NOT READY to request a worker: [0-9]* counted checks\? did not pass" "$work/r/strict.out" || fail "--fail-on recommended did not re-judge: $(tail -1 "$work/r/strict.out")"
bb strict-json show "$work/r/host.json" --fail-on recommended --format json
[ "$(field "$work/r/strict-json.out" 'r["verdict"]+" "+r["fail_on"]')" = "not_ready recommended" ] || fail "re-judged JSON"
as_user sh -c "echo '{\"schema\": \"bbcheck-report/2\"}' > $work/r/other.json"
bb other show "$work/r/other.json"
expect_code other 2
grep -q "other.json: schema: \"bbcheck-report/2\" is not a report this bbcheck reads" "$work/r/other.err" || fail "unclear refusal: $(cat "$work/r/other.err")"

# --- 3. request: the URL parsed back, every field against this host ---------
bb request request "${common[@]}" --set owner="Jane Volunteer" --set email=jane@example.org \
  --set owner_username=jane --report "json:$work/r/request.json"
cat "$work/r/request.out"
expect_code request 0
/usr/bin/python3 - "$work/r/request.out" "$work/r/request.json" <<'PY' || fail "the request does not match the host"
import json, os, platform, re, subprocess, sys
from urllib.parse import urlsplit, parse_qs
out = open(sys.argv[1]).read()
report = json.load(open(sys.argv[2]))
def need(ok, what):
    if not ok:
        sys.exit("FAIL: " + what)
urls = [l for l in out.splitlines() if l.startswith("https://github.com/python/buildmaster-config/issues/new?")]
need(len(urls) == 1, f"{len(urls)} request URLs")
url = urls[0]
need(len(url.encode()) < 8000, f"URL of {len(url)} bytes")
q = {k: v[0] for k, v in parse_qs(urlsplit(url).query, strict_parsing=True).items()}
osr = dict(l.split("=", 1) for l in open("/etc/os-release").read().splitlines() if "=" in l)
osr = {k: v.strip('"') for k, v in osr.items()}
arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
name = f"jane-{osr['ID']}{osr['VERSION_ID'].split('.')[0]}-{arch}"
need(q.pop("template") == "new_worker.yml", "template")
need(q.pop("title") == f"New worker request: {name}", "title")
need(q.pop("worker-arch") == arch, "worker-arch")
need(q.pop("worker-os") == osr["PRETTY_NAME"], f"worker-os vs {osr['PRETTY_NAME']}")
need(q.pop("owner-name") == "Jane Volunteer", "owner-name")
need(q.pop("owner-email") == "jane at example dot org", "owner-email")
need(q.pop("owner-username") == "jane", "owner-username")
special = q.pop("worker-special").splitlines()
need(not q, f"unexpected fields {sorted(q)}")
need("owner-password" not in url, "a dropdown cannot be prefilled")
host = report["host"]
# The request says what the report's host facts say, and those are this host's.
cpus = len(os.sched_getaffinity(0))
need(1 <= host["cpus"] <= cpus, f"cpus {host['cpus']} vs {cpus} usable")
need(f"- {host['cpus']} CPUs" in special, f"CPUs in {special}")
memtotal = int(re.search(r"MemTotal:\s+(\d+) kB", open("/proc/meminfo").read()).group(1)) * 1024
need(0 < host["memory_bytes"] <= memtotal, "memory")
need(any(l.startswith(f"- {host['memory_bytes'] / 2**30:.1f} GiB RAM (") for l in special), f"memory in {special}")
gcc = subprocess.run(["gcc", "-dumpfullversion"], capture_output=True, text=True).stdout.strip()
need(f"- gcc {gcc}" in special, f"gcc {gcc} in {special}")
virt = subprocess.run(["systemd-detect-virt"], capture_output=True, text=True).stdout.strip()
need(host["virtualization"] == virt, f"virtualization {host['virtualization']} vs {virt}")
need(any(virt in l for l in special), f"isolation in {special}")
need("- runs as an unprivileged user (not root)" in special, "not root")
need(any(l.startswith("- ") and "net.nntp" in l for l in special), f"blocked port 119 in {special}")
need(report["worker_request"]["special"] == "; ".join(l[2:] for l in special), "JSON worker_request")
need(report["worker_request"]["operating_system"] == osr["PRETTY_NAME"], "JSON operating_system")
need('"Password status" is a choice the form cannot prefill: pick "I need a new owner password"' in out, "password advice")
entry = [l.strip() for l in out.splitlines() if l.strip().startswith("cpw(")]
need(len(entry) == 1, "no cpw(...) entry")
# The farm's tags, from this host's ground truth.
tags = ["linux", "unix", osr["ID"], arch]
if host["memory_bytes"] >= 60 * 2**30:
    tags.append("bigmem")
if virt in ("docker", "podman"):
    tags.append("docker")
elif subprocess.run(["systemd-detect-virt", "--container", "--quiet"]).returncode == 0:
    tags.append("container")
if "clang" in os.path.realpath("/usr/bin/cc"):
    tags.append("clang")
need(entry[0] == f'cpw(name="{name}", tags={json.dumps(tags)}, parallel_tests={host["cpus"]}, '
     'exclude_test_resources=["urlfetch", "network"])', entry[0])
text = out[out.index("2. The same answers"):]
for label, value in [("Username", "jane"), ("Name", "Jane Volunteer"),
                     ("Email address", "jane at example dot org"),
                     ("Processor architecture", arch), ("Operating System", osr["PRETTY_NAME"])]:
    need(f"   {label}: {value}\n" in text, f"text answer {label}")
print("request: every field matches the host")
PY

# Not ready: the request still comes, after what must be fixed; exit 1.
iptables -A OUTPUT -p tcp --dport 80 -j DROP
bb request-bad request "${common[@]}" --report "json:$work/r/port80.json"
expect_code request-bad 1
grep -q "^To fix" "$work/r/request-bad.out" || fail "request does not say first what must be fixed"
[ "$(grep -n '^To fix' "$work/r/request-bad.out" | cut -d: -f1)" -lt "$(grep -n '^https://github.com' "$work/r/request-bad.out" | cut -d: -f1)" ] || fail "fixes after the URL"
grep -q "This host is NOT READY yet" "$work/r/request-bad.out" || fail "no NOT READY note in the request"
grep -q "your username on the farm" "$work/r/request-bad.out" || fail "does not ask for the username"

# --- 4. diff: same host, port 80 black-holed, port 119 opened between runs ---
iptables -D OUTPUT -p tcp --dport 119 -j DROP
bb after80 "${common[@]}" --report "json:$work/r/after80.json"
bb diff diff "$work/r/host.json" "$work/r/after80.json"
cat "$work/r/diff.out"
expect_code diff 1
/usr/bin/python3 - "$work/r/diff.out" <<'PY' || fail "diff"
import sys
out = open(sys.argv[1]).read()
def need(ok, what):
    if not ok:
        sys.exit("FAIL: " + what)
reg, fix = out.find("\nRegressed ("), out.find("\nFixed (")
need(0 < reg < fix, "regressions first, then fixes")
regressed = out[reg:fix]
need("net.http " in regressed and "pass -> " in regressed, "net.http regressed")
need("net.nntp" in out[fix:] and "-> pass" in out[fix:], "net.nntp fixed")
need("Verdict: ready -> not_ready" in out, "verdict change")
need("Host facts changed" not in out, "no host fact changed between the runs")
PY
bb same diff "$work/r/host.json" "$work/r/host.json"
expect_code same 0
grep -q "No check changed its status and no host fact changed" "$work/r/same.out" || fail "diff of a report with itself"
iptables -D OUTPUT -p tcp --dport 80 -j DROP

# --- 5. The build area exists: the worker stage is judged --------------------
as_user buildbot-worker create-worker "$area" buildbot-api.python.org:9020 farm-worker Farm-S3cret-pw >/dev/null
bb worker "${common[@]}" --report "json:$work/r/worker.json"
expect_code worker 1
validate "$work/r/worker.json"
[ "$(field "$work/r/worker.json" 'r["stage"]')" = all ] || fail "stage is not all with a build area"
for pair in buildarea.tac:pass buildarea.info:fail boot.entry:fail buildarea.keepalive:fail; do
  st=$(field "$work/r/worker.json" "next(c for c in r['checks'] if c['id']=='${pair%%:*}')['status']")
  [ "$st" = "${pair#*:}" ] || fail "worker stage: ${pair%%:*} is $st, expected ${pair#*:}"
done
grep -q "^NOT READY: " "$work/r/worker.out" || fail "worker stage verdict"
bb only-host "${common[@]}" --stage host
expect_code only-host 0
grep -q "^READY to request a worker" "$work/r/only-host.out" || fail "--stage host"
bb only-worker "${common[@]}" --stage worker --format json
[ "$(field "$work/r/only-worker.out" 'r["stage"]')" = worker ] || fail "--stage worker"
st=$(field "$work/r/only-worker.out" "next(c for c in r['checks'] if c['id']=='resources.cpus')['status']")
[ "$st" = skip ] || fail "--stage worker ran resources.cpus ($st)"
if grep -l "Farm-S3cret-pw" "$work"/r/*; then fail "the worker password appears in a report"; fi

# The owner from an edited info/admin, when --set does not give one.
echo "Jane Volunteer <jane@example.org>" > "$area/info/admin"
bb request-info request "${common[@]}"
grep -q "owner-name=Jane%20Volunteer&owner-email=jane%20at%20example%20dot%20org" "$work/r/request-info.out" \
  || fail "owner not read from info/admin: $(grep ^https "$work/r/request-info.out")"
echo "farm flow: request, stages, show and diff as the farm sees them"
