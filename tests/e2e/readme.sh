#!/usr/bin/env bash
# README.md's examples work as shown: its example profile validates and runs,
# every command its "Command line" block names exists, its text report
# example is what bbcheck prints, the .deb is where scripts/package puts it,
# and the two set-up commands at the top are the scripts that exist.
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
# validate does not depend on the caller's environment: CI unset is a
# warning naming the place; running the profile without it is an error.
env -u CI "$bbcheck" validate "$work/my-farm.yaml" 2> "$work/validate.err" ||
  { cat "$work/validate.err"; fail "README's example profile does not validate"; }
grep -q "my-farm.yaml:[0-9]*:[0-9]*: warning: environment variable CI is not set" "$work/validate.err" ||
  fail "validate gave no warning for the unset CI: $(cat "$work/validate.err")"
set +e
env -u CI "$bbcheck" run -p "$work/my-farm.yaml" --only resources.cpus > /dev/null 2> "$work/run.err"
unset_code=$?
set -e
[ "$unset_code" -eq 2 ] && grep -q "environment variable CI is not set" "$work/run.err" ||
  fail "run with CI unset: exit $unset_code, $(cat "$work/run.err")"
# It runs: its own check (4 CPUs, skipped under CI as it says) decides alone.
set +e
CI=false "$bbcheck" run -p "$work/my-farm.yaml" --only resources.cpus --format json > "$work/r.json"
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

# `-p -` reads the same profile from standard input, as the Command line
# section shows, and validate names it <stdin>.
set +e
CI=false "$bbcheck" -p - --only resources.cpus --format json < "$work/my-farm.yaml" > "$work/stdin.json"
stdin_code=$?
set -e
[ "$stdin_code" -eq "$code" ] || fail "-p - < my-farm.yaml exited $stdin_code, the file $code"
grep -q '"source": "<stdin>"' "$work/stdin.json" || fail "-p - report does not name <stdin>"
CI=false "$bbcheck" validate - < "$work/my-farm.yaml" > "$work/validate-stdin.out"
grep -q "^<stdin>: ok, profile my-farm with [0-9]* checks$" "$work/validate-stdin.out" ||
  fail "validate - < my-farm.yaml: $(cat "$work/validate-stdin.out")"

# Every command of the "Command line" block exists (its --help exits 0).
# (Only that block: prose further down may start a line with "bbcheck on".)
commands=$(awk '/^## Command line/{on=1} on && /^```/{if (++fences == 2) exit} on && /^bbcheck [a-z]/{print $2}' "$src/README.md" | sort -u)
[ -n "$commands" ] || fail "no commands found in README's Command line block"
for c in $commands; do
  "$bbcheck" "$c" --help >/dev/null || fail "README names 'bbcheck $c', which has no --help"
done

# The text report's example ("As root on a host with no network at all
# (`unshare -n`), at 80 columns") is what bbcheck prints there now: its
# items (a line and the lines indented under it), up to the "...", are the
# first items of a real run's, numbers aside (counts, sizes, times and
# versions differ between hosts). Every line fits 80 columns, as shown.
if [ "$(id -u)" -eq 0 ]; then
  awk '/at 80 columns:$/ { want = 1; next } want && /^ *```$/ { if (on) exit; on = 1; next } on' \
    "$src/README.md" | sed 's/^  //' > "$work/example.txt"
  [ -s "$work/example.txt" ] || fail "README has no text report example at 80 columns"
  set +e
  COLUMNS=80 unshare --net --pid --fork --mount-proc -- "$bbcheck" --no-color --deadline 20s \
    > "$work/offline.txt" 2>&1
  set -e
  # The file's items, one a line, white space and numbers normalised: an
  # item starts at column 0 or with a mark ("  ok      ", "  FAIL    "); the
  # lines wrapped or indented under it are its own.
  items() {
    awk '/^ *\.\.\.$/ { exit }
         !NF { next }
         !/^[^ ]/ && !/^  [A-Za-z]+  +[^ ]/ && item != "" { item = item " " $0; next }
         { if (item != "") print item; item = $0 }
         END { if (item != "") print item }' "$1" |
      sed -E 's/[[:space:]]+/ /g; s/[0-9]+/N/g; s/ $//'
  }
  items "$work/example.txt" > "$work/example.items"
  items "$work/offline.txt" | head -n "$(wc -l < "$work/example.items")" > "$work/offline.items"
  diff -u "$work/example.items" "$work/offline.items" ||
    fail "README's text report example is not what bbcheck prints (+: bbcheck, -: README):
$(cat "$work/offline.txt")"
  for f in "$work/example.txt" "$work/offline.txt"; do
    [ "$(LC_ALL=C.UTF-8 wc -L < "$f")" -le 80 ] || fail "a line of $f is wider than 80 columns"
  done
  grep -q '^ *\.\.\.$' "$work/example.txt" || [ "$(wc -l < "$work/example.txt")" -eq "$(wc -l < "$work/offline.txt")" ] ||
    fail "README's example is neither whole nor cut with ..."
  echo "readme: the text report example is bbcheck's"
else
  echo "readme: not root: the text report example is not run (it is of a root run)"
fi

# The .deb: where README says scripts/package builds it is where it does.
readme_deb=$(grep -o 'scripts/package *# builds [^ ]*\.deb' "$src/README.md" | sed 's/.*# builds //')
[ -n "$readme_deb" ] || fail "README does not say where scripts/package builds the .deb"
grep -q "ls \"\$PWD\"/$(dirname "$readme_deb")/bbcheck_\*\.deb" "$src/scripts/package" ||
  fail "README says the .deb is $readme_deb; scripts/package: $(grep '\.deb' "$src/scripts/package" | tail -1)"
grep -q "apt-get install \./$(dirname "$readme_deb")/bbcheck_\*\.deb" "$src/README.md" ||
  fail "README's apt-get install line does not name $(dirname "$readme_deb")"

# The set-up commands at the top name scripts that exist.
for script in $(sed -n '1,10p' "$src/README.md" | grep -o 'scripts/[a-z-]*'); do
  [ -f "$src/$script" ] || fail "README names $script, which does not exist"
done
echo "readme: ok"
