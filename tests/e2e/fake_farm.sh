# Sourced by end-to-end tests that run inside a private network and mount
# namespace they made: the CPython farm's host names resolve to 127.0.0.1
# through a bind-mounted /etc/hosts, dnsmasq on 127.0.0.1:53 answers the
# resolver checks, fake_internet.py holds the ports, and a real Buildbot
# master listens on 127.0.0.1:9020. No packet leaves the namespace.
#
# start_fake_farm WORK SRC WORKERNAME PASSWORD: sets up all of it under WORK
# and appends the pids it started to the array `pids` (the caller kills
# them, and stops the master with `buildbot stop WORK/master`).
start_fake_farm() {
  local work=$1 src=$2 name=$3 password=$4
  ip link set lo up
  local farm_hosts="python.org www.python.org www.pythontest.net www.example.com"
  farm_hosts+=" self-signed.pythontest.net smtp.gmail.com news.trigofacile.com buildbot-api.python.org"
  printf '127.0.0.1 localhost %s\n::1 localhost ip6-localhost\n' "$farm_hosts" > "$work/hosts"
  echo "nameserver 127.0.0.1" > "$work/resolv.conf"
  mount --bind "$work/hosts" /etc/hosts
  mount --bind "$work/resolv.conf" /etc/resolv.conf
  dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --keep-in-foreground --user=root \
    --listen-address=127.0.0.1 --bind-interfaces --port=53 --address=/python.org/127.0.0.1 \
    --address=/invalid/ &  # honest about names that do not exist (dns.nxdomain)
  pids+=($!)
  mkfifo "$work/internet-in"
  /usr/bin/python3 "$src/tests/e2e/fake_internet.py" < "$work/internet-in" > "$work/internet.log" 2>&1 &
  pids+=($!)
  exec 9> "$work/internet-in"  # holds the fake internet's stdin open

  mkdir "$work/master"
  buildbot create-master "$work/master" >/dev/null
  cat > "$work/master/master.cfg" <<CFG
from buildbot.plugins import schedulers, util, worker
c = BuildmasterConfig = {}
c['workers'] = [worker.Worker('$name', '$password')]
c['protocols'] = {'pb': {'port': 'tcp:9020:interface=127.0.0.1'}}
c['builders'] = [util.BuilderConfig(name='noop', workernames=['$name'],
                                    factory=util.BuildFactory())]
c['schedulers'] = [schedulers.ForceScheduler(name='force', builderNames=['noop'])]
c['buildbotNetUsageData'] = None
c['db'] = {'db_url': 'sqlite:///state.sqlite'}
CFG
  # `buildbot start` gives up waiting after 10 s; on a loaded machine the
  # master may still come up: wait for it a while longer.
  if ! buildbot start "$work/master" >/dev/null; then
    for _ in $(seq 120); do
      grep -q "BuildMaster is running" "$work/master/twistd.log" && break
      sleep 0.5
    done
    grep -q "BuildMaster is running" "$work/master/twistd.log" || { tail -30 "$work/master/twistd.log" >&2; return 1; }
  fi
  for _ in $(seq 600); do grep -q ready "$work/internet.log" && break; sleep 0.1; done
}
