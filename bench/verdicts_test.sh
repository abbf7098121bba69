#!/usr/bin/env bash
# CTest case: bbcheck and the two baselines (bench/baselines/) compute the
# same verdict on bench/suite.yaml, check by check, so the benchmark compares
# like with like as the suite changes. Each runs once, untimed; timing lives
# only in bench/run. The suite's intended outcome is fixed too: the ten
# black-holed ports fail, everything else passes, and all three say "not
# ready" (exit 1).
#
# usage: verdicts_test.sh BBCHECK   (as root; makes its own network namespace)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/fixture.sh"
bench_enter_namespace "$0" "$@"
bbcheck=$(realpath "$1")

fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in /usr/lib/nagios/plugins/check_tcp /usr/lib/nagios/plugins/check_dig \
            /usr/lib/nagios/plugins/check_disk cc pkg-config; do
  command -v "$tool" >/dev/null ||
    fail "$tool missing (Debian: monitoring-plugins-basic monitoring-plugins-standard gcc pkg-config)"
done
/usr/bin/python3 -c 'import testinfra, pytest' 2>/dev/null ||
  fail "Debian's python3-testinfra and python3-pytest are needed (/usr/bin/python3 cannot import them)"

work=$(mktemp -d /tmp/bbcheck-verdicts-XXXXXX)
trap 'fixture_down; rm -rf "$work"' EXIT
fixture_up "$work"
cd "$work"

run() {  # run NAME COMMAND...: stdout to NAME.out, exit code to NAME.code
  local name=$1
  shift
  set +e
  "$@" > "$work/$name.out" 2> "$work/$name.err"
  echo $? > "$work/$name.code"
  set -e
}
run bbcheck "$bbcheck" run -p "$here/suite.yaml" --format json
run nagios bash "$here/baselines/nagios.sh"
run testinfra /usr/bin/python3 -m pytest -p no:cacheprovider -q -rA "$here/baselines/test_suite_testinfra.py"

for name in bbcheck nagios testinfra; do
  /usr/bin/python3 "$here/lib/verdicts.py" "$name" "$work/$name.out" > "$work/$name.verdicts"
  code=$(cat "$work/$name.code")
  [ "$code" -eq 1 ] || { cat "$work/$name.out" "$work/$name.err" >&2; fail "$name exited $code, expected 1 (not ready)"; }
done

# What the suite is built to show: only the black-holed ports fail.
/usr/bin/python3 - "$here/suite.yaml" > "$work/intended.verdicts" <<'PY'
import re, sys
ids = re.findall(r"^  - \{ id: ([\w.-]+),", open(sys.argv[1]).read(), re.M)
for check in sorted(ids):
    print(check, "fail" if check.startswith("firewalled.") else "pass")
PY
[ "$(wc -l < "$work/intended.verdicts")" -ge 40 ] || fail "suite.yaml: fewer than 40 checks read"
diff -u "$work/intended.verdicts" "$work/bbcheck.verdicts" || fail "bbcheck's verdicts differ from the suite's intended ones"
diff -u "$work/bbcheck.verdicts" "$work/nagios.verdicts" || fail "nagios.sh's verdicts differ from bbcheck's"
diff -u "$work/bbcheck.verdicts" "$work/testinfra.verdicts" || fail "the Testinfra module's verdicts differ from bbcheck's"
echo "verdicts agree: $(wc -l < "$work/bbcheck.verdicts") checks, $(grep -c ' fail$' "$work/bbcheck.verdicts") failing, all three exit 1 (not ready)"
