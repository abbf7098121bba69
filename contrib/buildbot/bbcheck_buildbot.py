"""bbcheck on every worker of a Buildbot master.

In master.cfg, anywhere after `c = BuildmasterConfig = {}`:

    import sys; sys.path.insert(0, '/path/to/bbcheck/contrib/buildbot')
    import bbcheck_buildbot
    bbcheck_buildbot.add_bbcheck(c)

Where it is called does not matter: Buildbot's stock master.cfg (the
master.cfg.sample `buildbot create-master` writes) sets c['builders'] and
c['schedulers'] to [] after c['workers'], which would drop builders added
there. So add_bbcheck also registers a configurator (c['configurators']),
which Buildbot runs on the finished config dict before loading it: it adds
whatever of bbcheck's builders and schedulers is missing then, for the
workers c['workers'] holds then.

This adds one builder per worker ("bbcheck-WORKERNAME": a build runs on
exactly that worker), a nightly scheduler and a force scheduler for them.
Each build runs `bbcheck run --format json --report text:FILE` on its worker
and judges the JSON report here, on the master:

    SUCCESS    verdict "ready", every check passed (or was skipped)
    WARNINGS   verdict "ready", but checks that do not count failed
    FAILURE    verdict "not_ready"
    EXCEPTION  bbcheck could not run, was interrupted or printed no report

and sets the build properties bbcheck_verdict, bbcheck_failed (ids of the
checks that failed, errored or were blocked), bbcheck_not_passing (the same
checks as {"id", "severity", "status"}), bbcheck_summary (counts per
status), bbcheck_version and bbcheck_profile. The text report is attached
as the log "report". `bbcheck fleet --master URL` reads them back.

Works with Buildbot 3.x (Debian 12 ships 3.7) and 4.x.
"""

import json

from twisted.internet import defer

from buildbot.configurators import ConfiguratorBase
from buildbot.plugins import schedulers, util
from buildbot.process import buildstep, results
from buildbot.steps.worker import CompositeStepMixin

__all__ = ["BbcheckConfigurator", "BbcheckStep", "add_bbcheck", "judge_report"]

BUILDER_PREFIX = "bbcheck-"
NOT_PASSING = ("fail", "error", "blocked")
TEXT_REPORT = "bbcheck-report.txt"


def judge_report(stdout, rc):
    """Decides a build's result from bbcheck's stdout and exit code.

    Returns (result, properties, reason). The JSON report is the truth; the
    exit code only confirms it (a bbcheck that died still exits somehow, and
    Buildbot's decodeRC would otherwise turn any code into a result).
    """
    try:
        report = json.loads(stdout)
    except ValueError as e:
        return results.EXCEPTION, {}, f"bbcheck printed no JSON report (exit {rc}): {e}"
    if not isinstance(report, dict) or report.get("schema") != "bbcheck-report/1":
        return results.EXCEPTION, {}, f"bbcheck's output is not a bbcheck-report/1 (exit {rc})"
    verdict = report.get("verdict")
    checks = report.get("checks")
    summary = report.get("summary")
    if verdict not in ("ready", "not_ready", "interrupted") or not isinstance(checks, list) \
            or not isinstance(summary, dict):
        return results.EXCEPTION, {}, f"bbcheck's report has no verdict, checks or summary (exit {rc})"
    not_passing = [{"id": c.get("id"), "severity": c.get("severity"), "status": c.get("status")}
                   for c in checks
                   if isinstance(c, dict) and c.get("status") in NOT_PASSING]
    failed = [c["id"] for c in not_passing]
    tool = report.get("tool") if isinstance(report.get("tool"), dict) else {}
    profile = report.get("profile") if isinstance(report.get("profile"), dict) else {}
    props = {
        "bbcheck_verdict": verdict,
        "bbcheck_failed": failed,
        "bbcheck_not_passing": not_passing,
        "bbcheck_summary": {k: v for k, v in summary.items() if isinstance(v, int)},
        "bbcheck_version": str(tool.get("version", "")),
        "bbcheck_profile": str(profile.get("name", "")),
    }
    if verdict == "interrupted":
        return results.EXCEPTION, props, f"bbcheck was interrupted (exit {rc})"
    expected_rc = 0 if verdict == "ready" else 1
    if rc != expected_rc:
        return results.EXCEPTION, props, \
            f"bbcheck exited {rc} but its report says {verdict}: not trusted"
    if verdict == "not_ready":
        return results.FAILURE, props, "not ready: " + ", ".join(failed)
    if failed:
        return results.WARNINGS, props, "ready; not passing (do not count): " + ", ".join(failed)
    return results.SUCCESS, props, "ready"


class BbcheckStep(buildstep.ShellMixin, CompositeStepMixin, buildstep.BuildStep):
    """Runs bbcheck on the worker and judges its JSON report on the master."""

    name = "bbcheck"
    description = "checking"
    descriptionDone = "bbcheck"

    def __init__(self, bbcheck="bbcheck", args=(), **kwargs):
        self.bbcheck = bbcheck
        self.bbcheck_args = list(args)
        kwargs.setdefault("timeout", 600)
        kwargs.setdefault("haltOnFailure", True)
        # The build's result is this step's: WARNINGS included.
        kwargs.setdefault("warnOnWarnings", True)
        kwargs.setdefault("flunkOnFailure", True)
        # The result comes from the report, never from the exit code alone.
        kwargs["decodeRC"] = {rc: results.SUCCESS for rc in range(256)}
        kwargs = self.setupShellMixin(kwargs, prohibitArgs=["command"])
        super().__init__(**kwargs)

    def _report_path(self):
        builddir = self.getProperty("builddir")
        join = self.build.path_module.join
        return join(builddir, self.workdir, TEXT_REPORT) if builddir else TEXT_REPORT

    @defer.inlineCallbacks
    def run(self):
        report_path = self._report_path()
        # A report left by an earlier build must not be attached to this one.
        yield self.runRmFile(report_path, abandonOnFailure=False)
        command = [self.bbcheck, "run", "--format", "json", "--no-color",
                   "--report", "text:" + TEXT_REPORT] + self.bbcheck_args
        cmd = yield self.makeRemoteShellCommand(command=command, collectStdout=True)
        yield self.runCommand(cmd)
        text = yield self.getFileContentFromWorker(TEXT_REPORT, abandonOnFailure=False)
        if text:
            yield self.addCompleteLog("report", text)
        result, props, reason = judge_report(cmd.stdout or "", cmd.rc)
        for name, value in props.items():
            self.setProperty(name, value, "bbcheck")
        yield self.addCompleteLog("verdict", reason + "\n")
        self.descriptionDone = ["bbcheck", props.get("bbcheck_verdict", "no report")]
        return result


def builder_name(worker_name):
    return BUILDER_PREFIX + worker_name


def _add_missing(c, workers, bbcheck, args, hour, minute, env, tags):
    """Adds to `c` the bbcheck builders and schedulers it lacks; returns the
    builder names for `workers` (default: every worker in c['workers'])."""
    if workers is None:
        workers = [w.workername for w in c.get("workers") or []]
    names = [builder_name(worker) for worker in workers]
    builders = c.get("builders")
    if builders is None:
        builders = c["builders"] = []
    present = {getattr(b, "name", None) for b in builders}
    for worker, name in zip(workers, names):
        if name in present:
            continue
        factory = util.BuildFactory()
        factory.addStep(BbcheckStep(bbcheck=bbcheck, args=args, env=env or {}))
        builders.append(util.BuilderConfig(name=name, workernames=[worker], factory=factory,
                                           tags=list(tags)))
    if names:
        scheduler_list = c.get("schedulers")
        if scheduler_list is None:
            scheduler_list = c["schedulers"] = []
        # A scheduler of an earlier call names the builders of then: it is
        # replaced by one naming every bbcheck builder now.
        scheduler_list[:] = [s for s in scheduler_list
                             if getattr(s, "name", None) not in ("bbcheck-nightly", "bbcheck-force")]
        scheduler_list.extend([
            schedulers.Nightly(name="bbcheck-nightly", builderNames=names,
                               hour=hour, minute=minute),
            schedulers.ForceScheduler(name="bbcheck-force", builderNames=names),
        ])
    return names


class BbcheckConfigurator(ConfiguratorBase):
    """Adds bbcheck's builders and schedulers to the finished config dict.

    Buildbot runs c['configurators'] after master.cfg has run to its end,
    so builders lists reset after add_bbcheck's call still get them."""

    def __init__(self, **options):
        super().__init__()
        self.options = options

    def configure(self, config_dict):
        _add_missing(config_dict, **self.options)


def add_bbcheck(c, workers=None, bbcheck="bbcheck", args=(), hour=3, minute=17,
                env=None, tags=("bbcheck",)):
    """Adds a bbcheck builder per worker and its schedulers to config dict `c`.

    workers: names (default: every worker in c['workers'] when Buildbot
    loads the config); bbcheck: the program on the workers; args: more
    bbcheck arguments (e.g. ["-p", "/etc/bbcheck/farm.yaml"]); hour/minute:
    when the nightly run starts. They are added now and again, where they
    went missing, when Buildbot loads the finished config (see the module's
    doc). Returns the builder names as of now.
    """
    options = dict(workers=workers, bbcheck=bbcheck, args=args, hour=hour, minute=minute,
                   env=env, tags=tags)
    c.setdefault("configurators", []).append(BbcheckConfigurator(**options))
    return _add_missing(c, **options)
