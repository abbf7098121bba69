#!/usr/bin/env bash
# README.md's examples work as shown: its example profile validates and runs,
# every command its "Command line" block names exists, and the two set-up
# commands at the top are the scripts that exist.
#
# usage: readme.sh BBCHECK SOURCE_DIR
set -euo pipefail
bbcheck=$1
src=$2
work=$(mktemp -d /tmp/bbcheck-readme-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The first ```yaml block of README.md is the example profile.
awk '/^```yaml/{on=1; next} /^```/{if(on) exit} on' "$src/README.md" > "$work/my-farm.yaml"
[ -s "$work/my-farm.yaml" ] || fail "no yaml example in README.md"
"$bbcheck" validate "$work/my-farm.yaml" || fail "README's example profile does not validate"
# It runs: its own check (4 CPUs, skipped under CI as it says) decides alone.
set +e
CI= "$bbcheck" run -p "$work/my-farm.yaml" --only resources.cpus --format json > "$work/r.json"
code=$?
CI=true "$bbcheck" run -p "$work/my-farm.yaml" --only resources.cpus --format json > "$work/ci.json"
ci_code=$?
set -e
python3 - "$work/r.json" "$work/ci.json" "$code" "$ci_code" <<'PY'
import json, os, sys
run, ci = (json.load(open(p)) for p in sys.argv[1:3])
code, ci_code = int(sys.argv[3]), int(sys.argv[4])
cpus = {c["id"]: c for c in run["checks"]}["resources.cpus"]
want = "pass" if os.cpu_count() >= 4 else "fail"
assert cpus["status"] == want, (cpus["status"], want)
assert code == (0 if want == "pass" else 1), code
skipped = {c["id"]: c for c in ci["checks"]}["resources.cpus"]
assert skipped["status"] == "skip", skipped
PY

# Every command of the "Command line" block exists (its --help exits 0).
commands=$(awk '/^## Command line/{on=1} on && /^bbcheck [a-z]/{print $2}' "$src/README.md" | sort -u)
[ -n "$commands" ] || fail "no commands found in README's Command line block"
for c in $commands; do
  "$bbcheck" "$c" --help >/dev/null || fail "README names 'bbcheck $c', which has no --help"
done

# The set-up commands at the top name scripts that exist.
for script in $(sed -n '1,10p' "$src/README.md" | grep -o 'scripts/[a-z-]*'); do
  [ -f "$src/$script" ] || fail "README names $script, which does not exist"
done
echo "readme: ok"
