# The benchmark's small world, shared by bench/run and bench/verdicts_test.sh
# (source this file). Inside a private network namespace only:
#   - 127.0.0.1 ports 7001-7020 accept (bench/lib/listen.py),
#   - ports 7101-7110 are black-holed: iptables DROPs their SYNs, so a connect
#     waits for its timeout, as on a volunteer's firewalled host,
#   - dnsmasq on 127.0.0.1:5353 answers *.bench.test with 127.0.0.1.
# bench/suite.yaml and the two baselines in bench/baselines/ name these ports
# and names literally, the way an admin's files would.
#
# Use: bench_enter_namespace "$0" "$@"  (re-executes the script in a new
# network namespace, once), then fixture_up WORKDIR ... fixture_down.

BENCH_OPEN_PORTS=$(seq 7001 7020)
BENCH_DROP_PORTS=$(seq 7101 7110)
BENCH_DNS_PORT=5353
BENCH_DNS_NAMES="alpha beta gamma delta epsilon"
BENCH_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_PIDS=()
# The baselines are Python; leave no __pycache__ in the source tree.
export PYTHONDONTWRITEBYTECODE=1

bench_in_private_namespace() {
  [ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ]
}

# Re-executes the calling script in a fresh network namespace; returns only
# when already inside one.
bench_enter_namespace() {
  [ "$(id -u)" -eq 0 ] || { echo "$(basename "$1"): needs root (network namespace, iptables)" >&2; exit 1; }
  if [ -z "${BENCH_IN_NETNS:-}" ]; then
    exec env BENCH_IN_NETNS=1 unshare --net --fork -- "$@"
  fi
  bench_in_private_namespace || { echo "fixture: not in a private network namespace" >&2; exit 1; }
}

fixture_require() {
  local missing=()
  local tool
  for tool in /usr/bin/python3 dnsmasq iptables ip dig; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if [ ${#missing[@]} -ne 0 ]; then
    echo "fixture: missing ${missing[*]} (Debian: python3 dnsmasq-base iptables iproute2 bind9-dnsutils)" >&2
    return 1
  fi
}

# fixture_up WORKDIR: starts everything and waits until it answers.
fixture_up() {
  local work=$1
  # Never touch the host's own firewall or ports.
  bench_in_private_namespace || { echo "fixture: refusing to run outside a private network namespace" >&2; return 1; }
  fixture_require || return 1
  ip link set lo up
  iptables -w -A INPUT -i lo -p tcp --dport 7101:7110 --syn -j DROP
  # shellcheck disable=SC2086
  /usr/bin/python3 "$BENCH_LIB/listen.py" $BENCH_OPEN_PORTS > "$work/listen.log" 2>&1 &
  BENCH_PIDS+=($!)
  local args=()
  local name
  for name in $BENCH_DNS_NAMES; do args+=("--address=/$name.bench.test/127.0.0.1"); done
  dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --keep-in-foreground --user=root \
    --pid-file= --listen-address=127.0.0.1 --bind-interfaces --port="$BENCH_DNS_PORT" \
    "${args[@]}" > "$work/dnsmasq.log" 2>&1 &
  BENCH_PIDS+=($!)
  local i
  for i in $(seq 100); do
    if grep -q ready "$work/listen.log" &&
       [ "$(dig +short +time=1 +tries=1 @127.0.0.1 -p "$BENCH_DNS_PORT" alpha.bench.test 2>/dev/null)" = 127.0.0.1 ]; then
      return 0
    fi
    sleep 0.05
  done
  echo "fixture: listeners or dnsmasq did not come up" >&2
  cat "$work/listen.log" "$work/dnsmasq.log" >&2
  return 1
}

fixture_down() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BENCH_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  BENCH_PIDS=()
}
