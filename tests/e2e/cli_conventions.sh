#!/usr/bin/env bash
# The command line's conventions (issue 12): one value per option, -V, help
# COMMAND, errors that name bbcheck and --help, vars in --help and list -v,
# --color and FORCE_COLOR/CLICOLOR_FORCE/NO_COLOR, and a run in which nothing
# was checked is not ready.
#
# usage: cli_conventions.sh BBCHECK SOURCE_DIR
set -euo pipefail
bb=$1
src=$2
profile=$src/tests/profiles/good/cpu.yaml
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_exit() {  # CODE COMMAND...: runs it, leaves stdout+stderr in $out
  local want=$1; shift
  set +e; out=$("$@" 2>&1); local got=$?; set -e
  [ "$got" -eq "$want" ] || fail "$* exited $got, expected $want: $out"
}

expect_exit 2 "$bb" run -p "$profile" --set min=1 list
grep -q "^bbcheck: " <<<"$out" && grep -q -- "--help" <<<"$out" || fail "parse error not prefixed: $out"
expect_exit 2 "$bb" --no-such-option
grep -q "^bbcheck: " <<<"$out" || fail "unknown option not prefixed: $out"
expect_exit 0 "$bb" -V
[[ "$out" == "bbcheck "* ]] || fail "-V printed: $out"
expect_exit 0 "$bb" help run
grep -q -- "--color" <<<"$out" || fail "help run lacks --color"
grep -q "vars of python-buildbot" <<<"$out" && grep -q "master = " <<<"$out" ||
  fail "run --help does not name the default profile's vars: $out"
expect_exit 2 "$bb" help no-such-command
expect_exit 0 "$bb" list -v -p "$profile"
grep -q "min = 1" <<<"$out" || fail "list -v does not name the vars: $out"
expect_exit 0 "$bb" validate "$profile" "$src/profiles/buildbot-worker.yaml"

# Colour: never on a pipe by default; forced by FORCE_COLOR or CLICOLOR_FORCE;
# NO_COLOR and --color=never win.
esc=$'\033['
expect_exit 0 env -u FORCE_COLOR -u CLICOLOR_FORCE "$bb" -p "$profile" --only resources.cpus
[[ "$out" != *"$esc"* ]] || fail "colour on a pipe"
expect_exit 0 env FORCE_COLOR=1 "$bb" -p "$profile" --only resources.cpus
[[ "$out" == *"$esc"* ]] || fail "FORCE_COLOR=1 gave no colour"
expect_exit 0 env CLICOLOR_FORCE=1 "$bb" -p "$profile" --only resources.cpus
[[ "$out" == *"$esc"* ]] || fail "CLICOLOR_FORCE=1 gave no colour"
expect_exit 0 env FORCE_COLOR=1 NO_COLOR=1 "$bb" -p "$profile" --only resources.cpus
[[ "$out" != *"$esc"* ]] || fail "NO_COLOR did not win over FORCE_COLOR"
expect_exit 0 "$bb" -p "$profile" --only resources.cpus --color=always
[[ "$out" == *"$esc"* ]] || fail "--color=always gave no colour"
expect_exit 2 "$bb" -p "$profile" --color=sometimes

# Nothing checked: every check not applicable is not READY.
work=$(mktemp -d /tmp/bbcheck-cli-XXXXXX)
trap 'rm -rf "$work"' EXIT
cat > "$work/none.yaml" <<'YAML'
format: 1
name: none-apply
checks:
  - id: only.windows
    probe: cpu
    with: { min: 1 }
    platforms: [windows]
YAML
expect_exit 1 "$bb" -p "$work/none.yaml"
grep -q "nothing was checked" <<<"$out" || fail "no 'nothing was checked': $out"
echo "cli conventions: ok"
