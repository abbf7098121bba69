#!/usr/bin/env bash
# The worker's service environment and duplicate workers, against real
# hosts built here (issue 10, part 1):
#  - a real user whose interactive PATH has ~/bin/hgfake, a real build area,
#    and a crontab (written with crontab(1)) whose @reboot line starts it:
#    without a PATH line the re-run of the hgfake check fails, with one it
#    passes; the same as root, which re-runs it as that user;
#  - a systemd unit file with Environment= and LimitNOFILE= in
#    /etc/systemd/system (a private copy): a tiny LimitNOFILE fails a limit
#    check that passes in this shell, a fit one passes;
#  - two real create-worker areas with one worker name (fail) or two names
#    (pass), and a second real worker process in one build area (fail).
#
# Everything runs in a private mount namespace: the crontab spool and
# /etc/systemd/system are bind-mounted temporary directories. Workers point
# at a closed loopback port; no packet leaves the host.
#
# usage: service_env.sh BBCHECK SOURCE_DIR   (as root)
set -euo pipefail
bbcheck=$1
[ "$(id -u)" -eq 0 ] || { echo "service_env: needs root" >&2; exit 1; }
if [ -z "${BBCHECK_E2E_INSIDE:-}" ]; then
  exec env BBCHECK_E2E_INSIDE=1 unshare --mount --fork -- "$0" "$@"
fi
mount --make-rprivate /

work=$(mktemp -d /tmp/bbcheck-svcenv-XXXXXX)
chmod 755 "$work"
user="bbsvc$$"
home="/home/$user"
worker_pids=()
cleanup() {
  set +e
  for pid in "${worker_pids[@]}"; do kill "$pid" 2>/dev/null; done
  # userdel refuses a user whose processes still run, and twistd takes a
  # moment to stop: wait for the workers (up to 10 s, then SIGKILL) first,
  # or the user is left behind.
  for pid in "${worker_pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  userdel -r "$user" >/dev/null 2>&1 || echo "service_env: could not remove user $user" >&2
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Private crontab spool and unit directory.
mkdir -p "$work/crontabs" "$work/systemd"
chown root:crontab "$work/crontabs" && chmod 1730 "$work/crontabs"
mount --bind "$work/crontabs" /var/spool/cron/crontabs
mount --bind "$work/systemd" /etc/systemd/system

useradd -m -s /bin/sh "$user"
as_user() { runuser -u "$user" -- env -i HOME="$home" PATH="$home/bin:/usr/bin:/bin" "$@"; }
mkdir "$home/bin"
printf '#!/bin/sh\necho "hgfake version 1.2"\n' > "$home/bin/hgfake"
chmod 755 "$home/bin/hgfake"
chown -R "$user" "$home/bin"
closed_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
area="$home/area"
as_user buildbot-worker create-worker "$area" "127.0.0.1:$closed_port" "svc-$$" pw >/dev/null

cat > "$work/profile.yaml" <<YAML
format: 1
name: service-env-test
vars: { buildarea: "$area" }
checks:
  - id: environment.service
    probe: service-env
    with: { path: "\${buildarea}", user: $user }
  - id: vcs.hgfake
    title: hgfake is on PATH
    probe: command
    with: { name: hgfake }
    tags: [service-env]
  - id: limits.nofile
    title: At least 1024 open files
    probe: command
    with: { name: /bin/sh, version_args: ["-c", "echo limit \$(ulimit -n)"], version_regex: 'limit (\d+)', min_version: "1024" }
    tags: [service-env]
  - id: worker.duplicate
    probe: duplicate-worker
    with: { path: "\${buildarea}" }
YAML
chmod 644 "$work/profile.yaml"

run() {  # run NAME [as_user]: JSON report in $work/NAME.json
  local name=$1 who=${2:-root}
  local cmd=("$bbcheck" run -p "$work/profile.yaml" --format json --no-color)
  if [ "$who" = user ]; then
    as_user "${cmd[@]}" > "$work/$name.json" || [ $? -eq 1 ] || fail "$name: bbcheck failed"
  else
    ulimit -n 4096
    PATH="$home/bin:$PATH" "${cmd[@]}" > "$work/$name.json" || [ $? -eq 1 ] || fail "$name: bbcheck failed"
  fi
}
field() {  # field NAME ID KEY
  python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
for c in r["checks"]:
    if c["id"]==sys.argv[2]: print(c.get(sys.argv[3],"")); break
else: print("(missing)")' "$work/$1.json" "$2" "$3"
}
expect() {  # expect NAME ID STATUS [TEXT]
  local status message
  status=$(field "$1" "$2" status)
  message=$(field "$1" "$2" message)
  [ "$status" = "$3" ] || fail "$1: $2 is $status, expected $3: $message"
  [ -z "${4:-}" ] || [[ "$message" == *"$4"* ]] || fail "$1: $2's message lacks '$4': $message"
  echo "ok: $1: $2 $3: $message"
}

# --- no boot entry: the service environment is unknown ------------------------
run no-boot user
expect no-boot environment.service skip "unknown"
expect no-boot environment.service.vcs.hgfake skip
expect no-boot vcs.hgfake pass

# --- cron without PATH: hgfake is in the shell's PATH, not cron's -------------
echo "@reboot buildbot-worker restart $area" | crontab -u "$user" -
run cron-unfit user
expect cron-unfit vcs.hgfake pass
expect cron-unfit environment.service pass "PATH=/usr/bin:/bin"
expect cron-unfit environment.service.vcs.hgfake fail "PATH=$home/bin"
# Root reads the user's crontab and re-runs as that user.
run cron-unfit-root
expect cron-unfit-root environment.service.vcs.hgfake fail "as $user"

# --- cron with a PATH line: the control -----------------------------------------
printf 'PATH=%s/bin:/usr/bin:/bin\n@reboot buildbot-worker restart %s\n' "$home" "$area" |
  crontab -u "$user" -
run cron-fit user
expect cron-fit environment.service.vcs.hgfake pass
run cron-fit-root
expect cron-fit-root environment.service.vcs.hgfake pass "as $user"
crontab -u "$user" -r

# --- a systemd unit with Environment= and LimitNOFILE= ---------------------------
unit() {  # unit NOFILE
  cat > "$work/systemd/bbsvc-$$.service" <<UNIT
[Unit]
Description=test worker
[Service]
User=$user
WorkingDirectory=$area
Environment=PATH=$home/bin:/usr/bin:/bin LANG=C.UTF-8
LimitNOFILE=$1
ExecStart=/usr/bin/buildbot-worker start --nodaemon $area
[Install]
WantedBy=multi-user.target
UNIT
  mkdir -p "$work/systemd/multi-user.target.wants"
  ln -sf "$work/systemd/bbsvc-$$.service" "$work/systemd/multi-user.target.wants/bbsvc-$$.service"
}
unit 128
run unit-unfit
expect unit-unfit limits.nofile pass
expect unit-unfit environment.service pass "systemd"
expect unit-unfit environment.service.limits.nofile fail "LimitNOFILE="
expect unit-unfit environment.service.vcs.hgfake pass
unit 4096
run unit-fit
expect unit-fit environment.service.limits.nofile pass
rm -rf "$work/systemd/"*

# --- duplicate workers -------------------------------------------------------------
run dup-control
expect dup-control worker.duplicate pass
as_user buildbot-worker create-worker "$home/area2" "127.0.0.1:$closed_port" "svc-$$-other" pw >/dev/null
run dup-other-name
expect dup-other-name worker.duplicate pass
rm -rf "$home/area2"
as_user buildbot-worker create-worker "$home/area2" "127.0.0.1:$closed_port" "svc-$$" pw >/dev/null
run dup-same-name
expect dup-same-name worker.duplicate fail "$home/area2"
rm -rf "$home/area2"

# Another user's private build area (in a private copy of Debian's
# /var/lib/buildbot/workers): the worker's user finds it but cannot read its
# tac. The way to compare it is not "run bbcheck as root", which
# security.not-root forbids, but the worker stage as root.
mkdir -p "$work/debian-workers/other"
cp "$area/buildbot.tac" "$work/debian-workers/other/buildbot.tac"
chmod 711 "$work/debian-workers/other" && chmod 600 "$work/debian-workers/other/buildbot.tac"
mount --bind "$work/debian-workers" /var/lib/buildbot/workers
run others-area user
expect others-area worker.duplicate pass "1 build area(s) of other users could not be read"
expect others-area worker.duplicate pass "sudo bbcheck --stage worker"
message=$(field others-area worker.duplicate message)
[[ "$message" != *"run bbcheck as root"* ]] || fail "worker.duplicate says to run bbcheck as root: $message"
umount /var/lib/buildbot/workers

# A second real worker process in the one build area: the first one's
# twistd.pid was removed, so a second start succeeds.
as_user buildbot-worker start --quiet "$area" >/dev/null 2>&1 || true
first=$(cat "$area/twistd.pid")
worker_pids+=("$first")
run one-process
expect one-process worker.duplicate pass
rm "$area/twistd.pid"
as_user buildbot-worker start --quiet "$area" >/dev/null 2>&1 || true
second=$(cat "$area/twistd.pid")
worker_pids+=("$second")
[ "$first" != "$second" ] || fail "the second worker did not start"
run two-processes
expect two-processes worker.duplicate fail "process $first"
echo "service_env: all passed"
