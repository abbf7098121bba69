#!/bin/sh
# help2man asks a program for --help and --version. For bbcheck's man page it
# asks this script, which answers --help with bbcheck's own --help followed by
# every command's --help, so every command (checker/cli/command_table.cpp),
# option and report format in the man page is the program's own text,
# written once; tests/completion_test.cpp checks that each one reaches it.
# Shaped for a page: a command with no options but --help gets no empty
# "Options of" heading, and the profile's vars (run's and list's help end
# with them) are listed once, one var a line, "NAME    VALUE", which
# help2man makes a list.
# usage: help-for-man.sh BBCHECK --help|--version
# In a cross build BBCHECK_EMULATOR names the qemu-user that runs BBCHECK.
bbcheck() { ${BBCHECK_EMULATOR:+"$BBCHECK_EMULATOR"} "$binary" "$@"; }
binary=$1
if [ "$2" != "--help" ]; then
  bbcheck "$2"
  exit
fi
# The top-level help ends with run's options, which run's own section lists.
bbcheck --help | sed '/^Options of run (bbcheck with no command runs it):$/,$d'
for command in $(bbcheck --help | awk '/^Subcommands:/{on=1; next} on && !NF {exit} on {print $1}'); do
  echo
  bbcheck "$command" --help |
    sed -e '1d' -e '/^Usage:/d' -e '/^ *-h,--help/d' \
        -e "s/^Options:\$/Options of bbcheck $command:/" \
        -e "s/^Positionals:\$/Operands of bbcheck $command:/"
done | awk '
  { line[NR] = $0 }
  function heading(i) { return line[i] ~ /^[^ ].*:$/ }
  END {
    for (i = 1; i <= NR; i++) {
      if (heading(i)) {
        # A heading with nothing under it before the next heading is dropped.
        for (j = i + 1; j <= NR && line[j] == ""; j++) {}
        if (j > NR || heading(j)) continue
        in_vars = line[i] ~ /^vars of /
        if (in_vars && vars_seen) { skipping = 1; continue }
        skipping = 0
        if (in_vars) vars_seen = 1
      } else if (skipping && line[i] != "") {
        continue
      }
      if (in_vars && line[i] ~ /^  [^ ]+ = /) {
        name = line[i]; sub(/^  /, "", name); sub(/ = .*/, "", name)
        value = line[i]; sub(/^  [^ ]+ = /, "", value)
        printf "  %-26s%s\n", name, value
        continue
      }
      print line[i]
    }
  }
' | cat -s
