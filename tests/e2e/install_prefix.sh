#!/usr/bin/env bash
# What `cmake --install` puts under a prefix names that prefix: the man page
# (rendered with man -l, as a reader sees it) and the systemd units. The man
# page has no empty heading, lists the profile's vars one a line, has an
# ENVIRONMENT section naming every variable bbcheck reads that a user sets,
# FILES under the prefix, and EXAMPLES that say what each command is for.
# (The .deb, installed into /usr, is e2e.package's.)
# usage: install_prefix.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d /tmp/bbcheck-prefix-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
prefix=$work/opt/bbcheck

cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "cmake --install failed"; }

# --- the systemd units run the bbcheck of this prefix.
unit=$prefix/lib/systemd/system/bbcheck-textfile.service
[ -f "$unit" ] || fail "$unit is not installed"
[ -f "$prefix/lib/systemd/system/bbcheck-textfile.timer" ] || fail "the timer is not installed"
grep -q "^ExecStart=$prefix/bin/bbcheck run " "$unit" || fail "ExecStart: $(grep ExecStart= "$unit")"
[ -x "$prefix/bin/bbcheck" ] || fail "$prefix/bin/bbcheck is not installed"
! grep -q "@BBCHECK_" "$unit" || fail "a placeholder is left in $unit"
echo "ok: the service unit runs $prefix/bin/bbcheck"

# --- the man page, as man renders it.
page=$prefix/share/man/man1/bbcheck.1.gz
[ -f "$page" ] || fail "$page is not installed"
zcat "$page" >"$work/bbcheck.1"
! grep -q "@BBCHECK_" "$work/bbcheck.1" || fail "a placeholder is left in the man page"
MANWIDTH=100 man -l "$page" 2>"$work/man.err" >"$work/man.txt" || fail "man -l failed: $(cat "$work/man.err")"
[ ! -s "$work/man.err" ] || fail "man -l complains: $(cat "$work/man.err")"

# Sections (.SH) and headings (.SS) each have something under them.
awk '/^\.S[HS] / { if (heading != "") { print "empty: " heading; bad = 1 } heading = $0; next }
     /^\.(PP|IP|TP|br)?$/ || /^\.\\"/ { next }
     { heading = "" }
     END { if (heading != "") { print "empty: " heading; bad = 1 } exit bad }' "$work/bbcheck.1" ||
  fail "the man page has empty headings"
# As rendered: a heading line ("...:") has lines under it, indented deeper
# (help2man writes a heading with nothing under it as a plain paragraph).
awk 'function indent(s) { match(s, /^ */); return RLENGTH }
     pending != "" && NF { if (indent($0) <= pending_indent) { print "empty: " pending; bad = 1 } pending = "" }
     /^ *(Subcommands|Options of .*|Operands of .*|vars of .*):$/ { pending = $0; pending_indent = indent($0) }
     END { if (pending != "") { print "empty: " pending; bad = 1 } exit bad }' "$work/man.txt" ||
  fail "the rendered man page has empty headings"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT FILES EXAMPLES "EXIT STATUS"; do
  grep -qx "$section" "$work/man.txt" || fail "no $section section"
done
section() { # the rendered text of one section
  awk -v name="$1" '$0 == name { on = 1; next } on && /^[A-Z]/ { exit } on' "$work/man.txt"
}

# The vars: a list, one var a line with its value.
vars=$(awk '/^ *vars of /{ on = 1; next } on && /^   [^ ]/ { exit } on' "$work/man.txt")
grep -qE '^ {7}allow_root +false$|^ {7}allow_root$' <<<"$vars" || fail "vars are not a list: $vars"
grep -qE '^ {7}master ' <<<"$vars" || fail "master is not in the list of vars: $vars"
[ "$(grep -c 'vars of ' "$work/man.txt")" -eq 1 ] || fail "the vars are listed more than once"

# ENVIRONMENT: colour, and every BBCHECK_* variable the program reads (its
# tests' own aside).
env_text=$(section ENVIRONMENT)
wanted=(NO_COLOR FORCE_COLOR CLICOLOR_FORCE COLUMNS)
while read -r name; do wanted+=("$name"); done < <(
  grep -rhoE --exclude='*_test.cpp' 'getenv\("BBCHECK_[A-Z_]+"' "$src/checker" "$src/probes" "$src/session" |
    sed -E 's/.*"(BBCHECK_[A-Z_]+)"/\1/' | sort -u)
for name in "${wanted[@]}"; do
  grep -q "\b$name\b" <<<"$env_text" || fail "ENVIRONMENT does not name $name"
done
echo "ok: ENVIRONMENT names ${wanted[*]}"

# FILES: under the prefix it was installed to.
files=$(section FILES)
for path in "$prefix/bin/bbcheck" "$prefix/share/bbcheck/profiles/" \
  "$prefix/share/bbcheck/schema/report-v1.schema.json" "$unit"; do
  grep -qF "$path" <<<"$files" || fail "FILES does not name $path: $files"
  [ -e "$path" ] || fail "FILES names $path, which is not installed"
done
grep -q "/usr/share\|/usr/local" <<<"$files" && fail "FILES names a path outside the prefix: $files"
grep -qF "$prefix/share/bbcheck/profiles" <<<"$(section PROFILES)" ||
  fail "PROFILES does not name the installed profiles"
echo "ok: FILES are under $prefix"

# EXAMPLES: what each command is for. `request` fills the farm's form; a
# JSON report is for programs, not "the report the form takes".
examples=$(section EXAMPLES | tr -s ' \n' '  ')
grep -q "bbcheck request .*fill in the farm's new-worker request" <<<"$examples" ||
  fail "EXAMPLES do not say what bbcheck request is for: $examples"
grep -qi "form takes" <<<"$examples" && fail "EXAMPLES say a JSON report is what the form takes"
for command in show diff fleet list; do
  grep -q "bbcheck $command " <<<"$examples" || fail "EXAMPLES have no bbcheck $command"
done
echo "ok: the man page"
echo PASS
