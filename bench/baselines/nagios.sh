#!/usr/bin/env bash
# bench/suite.yaml as an admin writes it today: a shell script of Debian's
# monitoring-plugins (check_tcp, check_dig, check_disk), one after the other,
# plus `cc -E` for headers and `--version` with dpkg --compare-versions for
# programs. Nagios exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; any
# non-OK check makes the host "not ready" (exit 1), as in bbcheck.
#
# Prints "OK   id: plugin output" or "FAIL id: ..." per check, in suite order.
# Runs inside the namespace of bench/lib/fixture.sh (see bench/run).
P=/usr/lib/nagios/plugins
status=0

check() {  # check ID COMMAND...
  local id=$1 out
  shift
  if out=$("$@" 2>&1); then
    echo "OK   $id: ${out%%$'\n'*}"
  else
    echo "FAIL $id: ${out%%$'\n'*}"
    status=1
  fi
}

header() {  # header NAME [PKG_CONFIG]
  local flags=""
  [ -n "${2:-}" ] && flags=$(pkg-config --cflags "$2")
  # shellcheck disable=SC2086
  echo "#include <$1>" | cc $flags -E -x c - -o /dev/null && echo "$1 preprocessed"
}

version_at_least() {  # version_at_least PROGRAM MINIMUM
  local version
  version=$("$1" --version 2>&1 | grep -oE '[0-9]+(\.[0-9]+)+' | head -n 1)
  [ -n "$version" ] && dpkg --compare-versions "$version" ge "$2" && echo "$1 $version"
}

memory_at_least_kib() {
  awk -v min="$1" '/^MemTotal:/ { print $2 " kB"; exit !($2 >= min) }' /proc/meminfo
}

for port in $(seq 7001 7020); do
  check "open.$port" $P/check_tcp -H 127.0.0.1 -p "$port" -t 1
done
for port in $(seq 7101 7110); do
  check "firewalled.$port" $P/check_tcp -H 127.0.0.1 -p "$port" -t 1
done
for name in alpha beta gamma delta epsilon; do
  check "dns.$name" $P/check_dig -H 127.0.0.1 -p 5353 -l "$name.bench.test" -t 1
done
check headers.zlib header zlib.h
check headers.openssl-ssl header openssl/ssl.h openssl
check headers.openssl-evp header openssl/evp.h openssl
check headers.stdio header stdio.h
check headers.pthread header pthread.h
check headers.sys-socket header sys/socket.h
check commands.git version_at_least git 2.0
check commands.make version_at_least make 4.0
check commands.cmake version_at_least cmake 3.22
check commands.gcc version_at_least gcc 10
check resources.cpus test "$(nproc)" -ge 1
check resources.memory memory_at_least_kib $((512 * 1024))
check resources.disk $P/check_disk -w 1024 -c 1024 -u MB -p /tmp
exit $status
