#!/usr/bin/python3
"""Tests of bbcheck_buildbot's judgement and configuration (Debian's buildbot).

usage: test_bbcheck_buildbot.py [BBCHECK SOURCE_DIR]
With BBCHECK, real reports from that binary are judged too.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bbcheck_buildbot  # noqa: E402
import buildbot.scripts  # noqa: E402
from buildbot.config.master import FileLoader  # noqa: E402
from buildbot.plugins import worker  # noqa: E402
from buildbot.process import results  # noqa: E402

BBCHECK = sys.argv[1] if len(sys.argv) > 2 else None
SRC = sys.argv[2] if len(sys.argv) > 2 else None
del sys.argv[1:]


def report(verdict="ready", statuses=("pass", "pass")):
    checks = [{"id": f"c.{i}", "status": s, "severity": "required" if i == 0 else "info"}
              for i, s in enumerate(statuses)]
    summary = {s: sum(1 for c in checks if c["status"] == s)
               for s in ("pass", "fail", "error", "blocked", "skip")}
    summary["total"] = len(checks)
    return json.dumps({"schema": "bbcheck-report/1", "tool": {"name": "bbcheck", "version": "9.9"},
                       "profile": {"name": "p"}, "verdict": verdict, "summary": summary,
                       "checks": checks})


class Judge(unittest.TestCase):
    def test_ready_all_passing_is_success(self):
        result, props, _ = bbcheck_buildbot.judge_report(report(), 0)
        self.assertEqual(result, results.SUCCESS)
        self.assertEqual(props["bbcheck_verdict"], "ready")
        self.assertEqual(props["bbcheck_failed"], [])
        self.assertEqual(props["bbcheck_version"], "9.9")
        self.assertEqual(props["bbcheck_summary"]["pass"], 2)

    def test_ready_with_failures_that_do_not_count_is_warnings(self):
        result, props, _ = bbcheck_buildbot.judge_report(report("ready", ("pass", "fail", "skip")), 0)
        self.assertEqual(result, results.WARNINGS)
        self.assertEqual(props["bbcheck_failed"], ["c.1"])

    def test_not_ready_is_failure(self):
        result, props, _ = bbcheck_buildbot.judge_report(report("not_ready", ("blocked", "error")), 1)
        self.assertEqual(result, results.FAILURE)
        self.assertEqual(props["bbcheck_failed"], ["c.0", "c.1"])
        # With severity and status, so that `bbcheck fleet` can name them.
        self.assertEqual(props["bbcheck_not_passing"],
                         [{"id": "c.0", "severity": "required", "status": "blocked"},
                          {"id": "c.1", "severity": "info", "status": "error"}])

    def test_no_report_is_exception(self):
        for stdout, rc in [("", 127), ("bbcheck: profile.yaml:1:1: oops", 2), ("[1]", 0),
                           ('{"schema": "other"}', 0), (report()[:-5], 0)]:
            result, _, reason = bbcheck_buildbot.judge_report(stdout, rc)
            self.assertEqual(result, results.EXCEPTION, (stdout, reason))

    def test_exit_code_contradicting_the_report_is_exception(self):
        # Neither alone is trusted: a "ready" report with exit 1 is suspect.
        self.assertEqual(bbcheck_buildbot.judge_report(report(), 1)[0], results.EXCEPTION)
        self.assertEqual(bbcheck_buildbot.judge_report(report("not_ready"), 0)[0],
                         results.EXCEPTION)
        self.assertEqual(bbcheck_buildbot.judge_report(report("interrupted"), 130)[0],
                         results.EXCEPTION)

    @unittest.skipUnless(BBCHECK, "no bbcheck binary given")
    def test_real_reports(self):
        profile = os.path.join(SRC, "tests", "e2e", "fleet-profile.yaml")
        ready = subprocess.run([BBCHECK, "run", "-p", profile, "--skip", "master.pb",
                                "--format", "json"], capture_output=True, text=True)
        result, props, _ = bbcheck_buildbot.judge_report(ready.stdout, ready.returncode)
        # tools.extra (recommended) is not on this PATH.
        self.assertEqual(result, results.WARNINGS, ready.stdout)
        self.assertEqual(props["bbcheck_failed"], ["tools.extra"])
        bad = subprocess.run([BBCHECK, "run", "-p", profile, "--set", "master=127.0.0.1:1",
                              "--format", "json"], capture_output=True, text=True)
        self.assertEqual(bbcheck_buildbot.judge_report(bad.stdout, bad.returncode)[0],
                         results.FAILURE)
        usage = subprocess.run([BBCHECK, "run", "-p", "/nonexistent.yaml", "--format", "json"],
                               capture_output=True, text=True)
        self.assertEqual(bbcheck_buildbot.judge_report(usage.stdout, usage.returncode)[0],
                         results.EXCEPTION)


class Config(unittest.TestCase):
    def test_one_builder_per_worker_and_two_schedulers(self):
        c = {"workers": [worker.Worker("w1", "p"), worker.Worker("w2", "p")],
             "schedulers": [], "builders": []}
        names = bbcheck_buildbot.add_bbcheck(c, bbcheck="/opt/bbcheck", args=["-p", "x.yaml"])
        self.assertEqual(names, ["bbcheck-w1", "bbcheck-w2"])
        self.assertEqual([b.workernames for b in c["builders"]], [["w1"], ["w2"]])
        kinds = sorted(type(s).__name__ for s in c["schedulers"])
        self.assertEqual(kinds, ["ForceScheduler", "Nightly"])
        for s in c["schedulers"]:
            self.assertEqual(s.builderNames, names)

    def test_named_workers_only(self):
        c = {}
        self.assertEqual(bbcheck_buildbot.add_bbcheck(c, workers=["x"]), ["bbcheck-x"])
        self.assertEqual(len(c["builders"]), 1)


# Buildbot's stock master.cfg: the file `buildbot create-master` copies into
# every new master as master.cfg.sample (Debian's buildbot package).
STOCK_SAMPLE = os.path.join(os.path.dirname(buildbot.scripts.__file__), "sample.cfg")
CALL = ("import bbcheck_buildbot\n"
        "bbcheck_buildbot.add_bbcheck(c)\n")


class StockSample(unittest.TestCase):
    """add_bbcheck in Buildbot's stock master.cfg, loaded as the master loads it.

    The sample sets c['schedulers'] and c['builders'] to [] after
    c['workers']: called right after c['workers'] (where the README once
    placed it), the builders added then are dropped; the configurator adds
    them back when the config is loaded."""

    def load(self, text):
        with tempfile.TemporaryDirectory() as basedir:
            with open(os.path.join(basedir, "master.cfg"), "w") as f:
                f.write(text)
            return FileLoader(basedir, "master.cfg").loadConfig()

    def sample(self):
        with open(STOCK_SAMPLE) as f:
            return f.read()

    def assert_bbcheck_and_sample_builders(self, config):
        builders = {b.name: b.workernames for b in config.builders}
        self.assertEqual(builders.get("bbcheck-example-worker"), ["example-worker"], builders)
        self.assertIn("runtests", builders)  # the sample's own
        names = sorted(config.schedulers)
        for name in ("bbcheck-nightly", "bbcheck-force", "all", "force"):
            self.assertIn(name, names)
        self.assertEqual(config.schedulers["bbcheck-nightly"].builderNames,
                         ["bbcheck-example-worker"])

    def test_called_right_after_the_workers(self):
        sample = self.sample()
        anchor = "c['workers'] = [worker.Worker(\"example-worker\", \"pass\")]\n"
        self.assertIn(anchor, sample)
        # The sample resets them later (what made the builders vanish).
        after = sample[sample.index(anchor):]
        self.assertIn("c['builders'] = []", after)
        self.assertIn("c['schedulers'] = []", after)
        self.assert_bbcheck_and_sample_builders(self.load(sample.replace(anchor, anchor + CALL)))

    def test_called_at_the_end(self):
        self.assert_bbcheck_and_sample_builders(self.load(self.sample() + CALL))

    def test_called_before_the_workers(self):
        sample = self.sample()
        anchor = "c = BuildmasterConfig = {}\n"
        self.assertIn(anchor, sample)
        self.assert_bbcheck_and_sample_builders(self.load(sample.replace(anchor, anchor + CALL)))


if __name__ == "__main__":
    unittest.main(verbosity=2)
