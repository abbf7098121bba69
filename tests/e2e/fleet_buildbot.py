#!/usr/bin/python3
"""bbcheck on a fleet through Buildbot itself, end to end, on loopback.

Debian's buildbot master with contrib/buildbot/bbcheck_buildbot.py loaded,
N real buildbot-worker processes (each its own build area and PATH), the
bbcheck builders forced through the master's own REST API, and then:
- each worker's build result and properties asserted from the master's own
  records (state.sqlite: builds, build_properties, logs);
- `bbcheck fleet` read against the same master's REST API (Buildbot's REST
  code, served with a stand-in for the buildbot-www UI package only);

Workers: all fit but two: one lacks a recommended tool on its PATH
(WARNINGS, verdict ready) and one lacks git, a required one (FAILURE).
Prints how long the N builds took end to end.

usage: fleet_buildbot.py BBCHECK SOURCE_DIR [--workers N]
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

PASSWORD = "fleet-Pa55-9x"
ADMIN_PASSWORD = "adm1n-Secret-77"


def fail(message):
    sys.exit("FAIL: " + message)


def need(ok, message):
    if not ok:
        fail(message)


def run(args, env=None, check=True, timeout=120):
    r = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        fail(f"{' '.join(args)} exited {r.returncode}: {r.stdout}{r.stderr}")
    return r


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    fail(f"timed out after {timeout}s waiting for {what}")


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def pid_of(directory):
    text = read(os.path.join(directory, "twistd.pid")).strip()
    return int(text) if text.isdigit() else 0


def stop_twistd(directory):
    pid = pid_of(directory)
    if pid <= 0:
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


MASTER_CFG = """\
import sys
sys.path.insert(0, {contrib!r})
from buildbot.plugins import util, worker
import bbcheck_buildbot

c = BuildmasterConfig = {{}}
c['workers'] = [worker.Worker(name, {password!r}) for name in {workers!r}]
c['protocols'] = {{'pb': {{'port': 'tcp:0:interface=127.0.0.1'}}}}
c['www'] = {{'port': 'tcp:0:interface=127.0.0.1', 'plugins': {{}},
            'auth': util.UserPasswordAuth({{'admin': {admin_password!r}}})}}
c['title'] = 'bbcheck fleet test'
c['buildbotURL'] = 'http://127.0.0.1/'
c['buildbotNetUsageData'] = None
c['db'] = {{'db_url': 'sqlite:///state.sqlite'}}

# The three lines an admin adds (README), with this test's profile:
bbcheck_buildbot.add_bbcheck(c, bbcheck={bbcheck!r},
                             args=['-p', {profile!r}, '--set', 'master=' + {master_var!r}])
"""


class Fleet:
    def __init__(self, bbcheck, src, n):
        self.bbcheck = bbcheck
        self.src = src
        self.n = n
        self.work = tempfile.mkdtemp(prefix=f"bbcheck-fleet-{os.getpid()}-")
        self.master_dir = os.path.join(self.work, "master")
        self.names = [f"fleet{os.getpid()}-w{i + 1}" for i in range(n)]
        self.warn_worker = self.names[-2]
        self.unfit_worker = self.names[-1]
        self.areas = {}
        self.env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")

    def cleanup(self):
        for area in self.areas.values():
            stop_twistd(area)
        stop_twistd(self.master_dir)
        shutil.rmtree(self.work, ignore_errors=True)

    def start_master(self):
        run(["buildbot", "create-master", "-q", self.master_dir], env=self.env)
        # The master's PB port is only known once it runs, so the profile's
        # ${master} is read by bbcheck from a file the test writes next.
        self.master_file = os.path.join(self.work, "master-address")
        with open(os.path.join(self.master_dir, "master.cfg"), "w") as f:
            f.write(MASTER_CFG.format(
                contrib=os.path.join(self.src, "contrib", "buildbot"), password=PASSWORD,
                workers=self.names, admin_password=ADMIN_PASSWORD, bbcheck=self.bbcheck,
                profile=os.path.join(self.src, "tests", "e2e", "fleet-profile.yaml"),
                master_var="${env:BBCHECK_FLEET_MASTER}"))
        env = dict(self.env, PYTHONPATH=os.path.join(self.src, "tests", "e2e", "www_standin"))
        r = run(["buildbot", "start", "--start_timeout=90", self.master_dir], env=env,
                check=False)
        log = read(os.path.join(self.master_dir, "twistd.log"))
        if r.returncode != 0:
            fail(f"buildbot start exited {r.returncode}: {r.stdout}{r.stderr}\n{log[-3000:]}")
        pb = re.findall(r"PBServerFactory starting on (\d+)", log)
        www = re.findall(r"BuildbotSite starting on (\d+)", log)
        need(pb and www, "master started without PB or web port:\n" + log[-3000:])
        self.pb_port, self.www_port = int(pb[-1]), int(www[-1])
        self.url = f"http://127.0.0.1:{self.www_port}/"
        print(f"master: PB on 127.0.0.1:{self.pb_port}, REST on {self.url}")

    def start_workers(self):
        bins = os.path.join(self.work, "bin")
        extra = os.path.join(bins, "extra")
        empty = os.path.join(bins, "empty")
        os.makedirs(extra)
        os.makedirs(empty)
        tool = os.path.join(extra, "bbcheck-fleet-extra")
        with open(tool, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        os.chmod(tool, 0o755)
        paths = {name: f"/usr/sbin:/usr/bin:/sbin:/bin:{extra}" for name in self.names}
        paths[self.warn_worker] = "/usr/sbin:/usr/bin:/sbin:/bin"  # no extra tool
        paths[self.unfit_worker] = empty                          # no git either
        offset = len(read(os.path.join(self.master_dir, "twistd.log")))
        for name in self.names:
            self.areas[name] = os.path.join(self.work, name)

        def create_and_start(name):
            area = self.areas[name]
            run(["buildbot-worker", "create-worker", "-q", area, f"127.0.0.1:{self.pb_port}",
                 name, PASSWORD], env=self.env)
            env = dict(self.env, PATH=paths[name],
                       BBCHECK_FLEET_MASTER=f"127.0.0.1:{self.pb_port}")
            run(["/usr/bin/buildbot-worker", "start", area], env=env)

        # Each is a Python start-up or two: in parallel, a few at a time.
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(create_and_start, self.names))

        def all_attached():
            log = read(os.path.join(self.master_dir, "twistd.log"))[offset:]
            return all(f"Worker {name} attached" in log for name in self.names)
        wait_for(all_attached, 60, "every worker to attach")

    def api(self, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + "api/v2/" + path, data=data,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.load(reply)

    def force_all(self):
        builders = [f"bbcheck-{name}" for name in self.names]
        reply = self.api("forceschedulers/bbcheck-force",
                         {"jsonrpc": "2.0", "method": "force", "id": 1,
                          "params": {"builderNames": builders, "reason": "fleet test",
                                     "owner": "fleet-test"}})
        need("error" not in reply, f"force failed: {reply}")

    def db(self):
        return sqlite3.connect(f"file:{self.master_dir}/state.sqlite?mode=ro", uri=True,
                               timeout=10)

    def finished_builds(self):
        with self.db() as db:
            return db.execute("SELECT count(*) FROM builds WHERE complete_at IS NOT NULL"
                              ).fetchone()[0]

    def records(self):
        """Per worker: result, properties and log names of its bbcheck build."""
        out = {}
        with self.db() as db:
            rows = db.execute(
                "SELECT b.id, w.name, bl.name, b.results FROM builds b "
                "JOIN workers w ON w.id = b.workerid JOIN builders bl ON bl.id = b.builderid"
            ).fetchall()
            for build_id, worker, builder, result in rows:
                props = {name: json.loads(value) for name, value in db.execute(
                    "SELECT name, value FROM build_properties WHERE buildid = ?", (build_id,))}
                logs = {name: n for name, n in db.execute(
                    "SELECT l.name, l.num_lines FROM logs l JOIN steps s ON s.id = l.stepid "
                    "WHERE s.buildid = ?", (build_id,))}
                out[worker] = dict(builder=builder, result=result, props=props, logs=logs)
        return out


SUCCESS, WARNINGS, FAILURE, EXCEPTION = 0, 1, 2, 4


def assert_records(fleet):
    records = fleet.records()
    need(sorted(records) == sorted(fleet.names), f"builds ran on {sorted(records)}")
    for name, r in records.items():
        need(r["builder"] == f"bbcheck-{name}", f"{name}'s build ran on builder {r['builder']}")
        props = r["props"]
        # state.sqlite holds each property's value (its source in another column).
        need(props.get("bbcheck_version"), f"{name}: no bbcheck_version: {props}")
        summary = props.get("bbcheck_summary", {})
        need(summary.get("total") == 4, f"{name}: summary {summary}")
        need(r["logs"].get("report", 0) > 0, f"{name}: no text report log: {r['logs']}")
        verdict = props.get("bbcheck_verdict")
        failed = props.get("bbcheck_failed")
        if name == fleet.unfit_worker:
            expect = (FAILURE, "not_ready")
            need("tools.git" in failed, f"{name}: failed {failed}")
        elif name == fleet.warn_worker:
            expect = (WARNINGS, "ready")
            need(failed == ["tools.extra"], f"{name}: failed {failed}")
        else:
            expect = (SUCCESS, "ready")
            need(failed == [], f"{name}: failed {failed}")
        need((r["result"], verdict) == expect,
             f"{name}: result {r['result']} verdict {verdict}, expected {expect}; {props}")
    print(f"master records: {len(records)} builds with the expected results and properties")


def run_fleet(fleet, *extra):
    return run([fleet.bbcheck, "fleet", "--master", fleet.url, *extra], check=False)


def assert_fleet_command(fleet):
    r = run_fleet(fleet)
    print(r.stdout, r.stderr, sep="")
    need(r.returncode == 1, f"bbcheck fleet exited {r.returncode}, expected 1 (a worker unfit)")
    lines = {line.split()[0]: line for line in r.stdout.splitlines() if line.strip()}
    for name in fleet.names:
        need(name in lines, f"no line for {name}")
        need(" connected " in lines[name], f"{name} not shown connected: {lines[name]}")
    # Each failing check under its severity.
    need("not_ready" in lines[fleet.unfit_worker]
         and "required: tools.git" in lines[fleet.unfit_worker], lines[fleet.unfit_worker])
    need(re.search(r"\bready\b.*recommended: tools\.extra", lines[fleet.warn_worker]),
         lines[fleet.warn_worker])
    need(f"NOT READY: 1 worker holds the fleet back (1 not_ready); {fleet.n - 1} ready, "
         f"{fleet.n} connected, of {fleet.n} workers" in r.stdout, r.stdout)

    r = run_fleet(fleet, "--format", "json")
    need(r.returncode == 1, f"--format json exited {r.returncode}")
    report = json.loads(r.stdout)
    workers = {w["name"]: w for w in report["workers"]}
    need(report["ready"] is False, "json says the fleet is ready")
    need(workers[fleet.unfit_worker]["verdict"] == "not_ready", str(workers[fleet.unfit_worker]))
    need(workers[fleet.names[0]]["verdict"] == "ready", str(workers[fleet.names[0]]))
    need(workers[fleet.names[0]]["build_result"] == SUCCESS, str(workers[fleet.names[0]]))

    # With a login: the password is used, never shown.
    pwfile = os.path.join(fleet.work, "password")
    with open(pwfile, "w") as f:
        f.write(ADMIN_PASSWORD + "\n")
    os.chmod(pwfile, 0o600)  # a password file others can read is refused
    r = run_fleet(fleet, "--user", "admin", "--password-file", pwfile)
    need(r.returncode == 1, f"with --user exited {r.returncode}: {r.stderr}")
    need(ADMIN_PASSWORD not in r.stdout + r.stderr, "the password was printed")
    with open(pwfile, "w") as f:
        f.write("wrong-password\n")
    r = run_fleet(fleet, "--user", "admin", "--password-file", pwfile)
    need(r.returncode == 2 and "refused" in r.stderr, f"wrong password: {r.returncode} {r.stderr}")

    # A check older than --max-age is stale: the builder stopped checking.
    # (The builds finished moments ago; wait until 2 s have passed since.)
    def stale_run():
        r = run_fleet(fleet, "--max-age", "2s", "--format", "json")
        workers = {w["name"]: w for w in json.loads(r.stdout)["workers"]}
        return (r, workers) if workers[fleet.names[0]].get("stale") else None
    r, workers = wait_for(stale_run, 60, "the latest checks to be 2 s old")
    need(r.returncode == 1, f"stale checks: exit {r.returncode}")
    need(workers[fleet.names[0]]["ready"] is False
         and workers[fleet.names[0]]["problem"].startswith("checked "), str(workers[fleet.names[0]]))
    r = run_fleet(fleet, "--max-age", "2s")
    need(re.search(re.escape(fleet.names[0]) + r"\s+connected\s+\S+ \(\d+s ago, stale\)", r.stdout),
         r.stdout)
    # The builds finished at different moments: some may not be 2 s old yet.
    need(re.search(r"\nNOT READY: \d+ workers? holds? the fleet back \([^)]*\d+ last checked over "
                   r"--max-age 2s ago", r.stdout), r.stdout)

    # The unfit worker leaves: a disconnected worker still holds the fleet back.
    stop_twistd(fleet.areas[fleet.unfit_worker])
    wait_for(lambda: not any(w["name"] == fleet.unfit_worker and w["connected_to"]
                             for w in fleet.api("workers")["workers"]), 30,
             "the master to see the worker leave")
    r = run_fleet(fleet)
    need(r.returncode == 1, f"exit {r.returncode} with a worker disconnected:\n{r.stdout}")
    need(re.search(re.escape(fleet.unfit_worker) + r"\s+disconnected", r.stdout), r.stdout)
    need(f"NOT READY: 1 worker holds the fleet back (1 disconnected); {fleet.n - 1} ready, "
         f"{fleet.n - 1} connected, of {fleet.n} workers" in r.stdout, r.stdout)
    r = run_fleet(fleet, "--format", "json")
    workers = {w["name"]: w for w in json.loads(r.stdout)["workers"]}
    need(r.returncode == 1 and workers[fleet.unfit_worker]["problem"] == "disconnected",
         str(workers[fleet.unfit_worker]))
    print("bbcheck fleet: text, json, login and disconnection as the master recorded them")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bbcheck")
    parser.add_argument("src")
    parser.add_argument("--workers", type=int, default=5)
    args = parser.parse_args()
    need(args.workers >= 3, "need at least 3 workers")
    fleet = Fleet(os.path.abspath(args.bbcheck), os.path.abspath(args.src), args.workers)
    try:
        fleet.start_master()
        fleet.start_workers()
        started = time.monotonic()
        fleet.force_all()
        wait_for(lambda: fleet.finished_builds() >= args.workers, 120 + 5 * args.workers,
                 f"{args.workers} bbcheck builds to finish")
        elapsed = time.monotonic() - started
        print(f"fleet: {args.workers} bbcheck builds finished end to end in {elapsed:.2f} s "
              f"(forced through the REST API, judged on the master)")
        assert_records(fleet)
        assert_fleet_command(fleet)
    finally:
        fleet.cleanup()
    print("PASS")


if __name__ == "__main__":
    main()
