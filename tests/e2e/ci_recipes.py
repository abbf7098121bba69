#!/usr/bin/python3
"""The CI recipes of examples/ci/, run as their CI would run them, on loopback.

Each recipe's own commands are read from its file (so the recipe and this
test cannot drift) and run here in the recipe's order, in a fresh workspace,
with the built bbcheck on PATH: this provisioned host stands for the image
(no network: unshare -n; no docker daemon; a PID namespace of its own, so
that other tests' running workers are not found; a private /tmp). What a CI
service or docker does between commands is done here by its plain
equivalent and named: an exported stage is a copy of the stage's files, a
Packer download a copy from the private /tmp. Then the artifacts must be
where the recipe says, the JUnit report XML, the JSON report the
worker-image profile's, and the job's result bbcheck's verdict. README's
"CI recipes" section must hold each command verbatim.

usage: ci_recipes.py BBCHECK SOURCE_DIR   (as root)
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

import yaml


def fail(message):
    sys.exit("FAIL: " + message)


def need(ok, message):
    if not ok:
        fail(message)


class Workspace:
    """A CI job's working directory; its commands run in one namespace."""

    def __init__(self, bbcheck, name):
        # Beside the binary, not in /tmp: the job's /tmp is private.
        self.dir = tempfile.mkdtemp(prefix=f"ci-{name}-", dir=os.path.dirname(bbcheck))
        self.bin = os.path.dirname(bbcheck)
        self.lines = ["set +e"]
        self.steps = 0

    def step(self, shell, script):
        """Runs `script` with `shell` (argv list); its exit code is kept."""
        self.steps += 1
        self.lines.append(f"{shlex.join(shell)} {shlex.quote(script)}; echo $? > .rc{self.steps}")
        return self.steps

    def run(self):
        # /tmp is private (a tmpfs): what a recipe leaves there stays there.
        script = "\n".join(self.lines) + "\n"
        inner = "mount -t tmpfs bbcheck-ci /tmp && exec sh -c \"$1\""
        r = subprocess.run(
            ["unshare", "--net", "--pid", "--fork", "--mount-proc", "--mount",
             "--propagation", "private", "sh", "-c", inner, "sh", script],
            cwd=self.dir, capture_output=True, text=True, timeout=300,
            env=dict(os.environ, PATH=self.bin + ":/usr/sbin:/usr/bin:/sbin:/bin"))
        need(r.returncode == 0, f"the namespace failed: {r.stdout}{r.stderr}")
        return r

    def rc(self, step):
        with open(os.path.join(self.dir, f".rc{step}")) as f:
            return int(f.read())

    def path(self, relative):
        return os.path.join(self.dir, relative)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def check_reports(ws, directory, job_rc, what):
    """The reports a recipe leaves in `directory`: JUnit, JSON and text."""
    junit = ws.path(os.path.join(directory, "bbcheck.xml"))
    need(os.path.isfile(junit), f"{what}: no {directory}/bbcheck.xml")
    root = ElementTree.parse(junit).getroot()
    need(root.tag in ("testsuites", "testsuite") and any(True for _ in root.iter("testcase")),
         f"{what}: bbcheck.xml is not JUnit")
    with open(ws.path(os.path.join(directory, "bbcheck.json"))) as f:
        report = json.load(f)
    need(report["profile"]["name"] == "worker-image", f"{what}: {report['profile']}")
    need(report["profile"].get("subject") == "image", f"{what}: {report['profile']}")
    with open(ws.path(os.path.join(directory, "bbcheck.txt"))) as f:
        text = f.read()
    need(" as a worker image" in text, f"{what}: the verdict does not speak of an image:\n{text}")
    expected = 0 if report["verdict"] == "ready" else 1
    need(job_rc == expected, f"{what}: the job ended {job_rc}, bbcheck's verdict is {report['verdict']}")
    return report["verdict"]


def github_actions(bbcheck, src, readme):
    with open(os.path.join(src, "examples/ci/github-actions.yml")) as f:
        workflow = yaml.safe_load(f)
    job = workflow["jobs"]["bbcheck"]
    need("image" in job["container"], "the job runs in no container image")
    ws = Workspace(bbcheck, "github")
    try:
        runs = []
        for step in job["steps"]:
            if "run" in step:
                # A container job's default shell: sh -e.
                runs.append(ws.step(["sh", "-e", "-c"], step["run"]))
                for line in step["run"].strip().splitlines():
                    need(line in readme, f"README lacks the GitHub Actions command: {line}")
        ws.run()
        verdict = check_reports(ws, "bbcheck-reports", ws.rc(runs[-1]), "GitHub Actions")
        published = [s for s in job["steps"] if "uses" in s]
        for s in published:
            need(s.get("if") == "always()", f"{s['uses']} does not run when the check fails")
            for key in ("report_paths", "path"):
                if key in s.get("with", {}):
                    need(os.path.exists(ws.path(s["with"][key])),
                         f"{s['uses']}: {s['with'][key]} is not there")
        print(f"GitHub Actions job: reports where its steps look for them ({verdict})")
    finally:
        ws.cleanup()


def gitlab_ci(bbcheck, src, readme):
    with open(os.path.join(src, "examples/ci/gitlab-ci.yml")) as f:
        job = yaml.safe_load(f)["bbcheck"]
    need(job.get("image"), "the job names no image")
    ws = Workspace(bbcheck, "gitlab")
    try:
        # GitLab runs the script's lines in one shell and stops at a failure.
        rc = ws.step(["sh", "-e", "-c"], "\n".join(job["script"]))
        for line in job["script"]:
            need(line in readme, f"README lacks the GitLab CI command: {line}")
        ws.run()
        verdict = check_reports(ws, "bbcheck-reports", ws.rc(rc), "GitLab CI")
        artifacts = job["artifacts"]
        need(artifacts.get("when") == "always", "artifacts are not kept when the check fails")
        need(os.path.isfile(ws.path(artifacts["reports"]["junit"])), "artifacts:reports:junit")
        for p in artifacts["paths"]:
            need(os.path.exists(ws.path(p)), f"artifacts:paths {p} is not there")
        print(f"GitLab CI job: artifacts:reports:junit where GitLab looks ({verdict})")
    finally:
        ws.cleanup()


def dockerfile_stages(text):
    """FROM ... AS name -> [(instruction, argument)], continuations joined."""
    stages, current = {}, None
    logical = re.sub(r"\\\n", " ", text)
    for line in logical.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, arg = line.partition(" ")
        if word == "FROM":
            current = arg.split()[-1]
            stages[current] = []
        else:
            stages[current].append((word, arg.strip()))
    return stages


def dockerfile(bbcheck, src, readme):
    with open(os.path.join(src, "examples/ci/Dockerfile")) as f:
        text = f.read()
    documented = [line[1:].strip() for line in text.splitlines()
                  if line.startswith("#   ") and line[1:].strip()]
    build = next(c for c in documented if c.startswith("docker build "))
    gate = next(c for c in documented if c.startswith("exit "))
    for command in (build, gate):
        need(command in readme, f"README lacks the Dockerfile command: {command}")
    args = shlex.split(build)
    target = args[args.index("--target") + 1]
    output = dict(kv.split("=", 1) for kv in args[args.index("--output") + 1].split(","))
    need(output.get("type") == "local", f"--output {output}")
    stages = dockerfile_stages(text)
    copies = [arg for word, arg in stages[target] if word == "COPY"]
    need(copies and all(c.startswith("--from=") for c in copies),
         f"stage {target} holds more than files copied from others: {stages[target]}")
    ws = Workspace(bbcheck, "docker")
    try:
        # The stages the export copies from: their RUN lines, here, in a
        # directory standing for the stage's WORKDIR ("image" is this
        # provisioned host: its apt-get lines would need the network).
        for copy in copies:
            source_stage = copy.split()[0].split("=", 1)[1]
            workdir = None
            for word, arg in stages[source_stage]:
                if word == "WORKDIR":
                    workdir = arg
                    ws.step(["sh", "-c"], f"mkdir -p stage{workdir}")
                elif word == "RUN":
                    need(workdir, f"stage {source_stage} runs before its WORKDIR")
                    need(arg in readme, f"README lacks the Dockerfile command: {arg}")
                    ws.step(["sh", "-c"], f"cd stage{workdir} && {arg}")
            src_path, dest = copy.split()[1:3]
            need(src_path.startswith(workdir), f"COPY from outside the WORKDIR: {copy}")
            # What `--output type=local,dest=D` does with the target stage's files.
            ws.step(["sh", "-c"], f"mkdir -p {shlex.quote(output['dest'] + dest)} && "
                                  f"cp -R stage{src_path}. {shlex.quote(output['dest'] + dest)}")
        rc = ws.step(["sh", "-c"], gate)
        ws.run()
        verdict = check_reports(ws, output["dest"], ws.rc(rc), "Dockerfile")
        print(f"Dockerfile: the {target} stage exported to {output['dest']}/ ({verdict})")
    finally:
        ws.cleanup()


def packer(bbcheck, src, readme):
    with open(os.path.join(src, "examples/ci/packer.pkr.hcl")) as f:
        text = f.read()
    ws = Workspace(bbcheck, "packer")
    try:
        last = None
        for kind, body in re.findall(r'provisioner "(\w+)" \{(.*?)\n  \}', text, re.S):
            if kind == "shell":
                inline = re.search(r"inline\s*=\s*\[(.*?)\]\s*$", body, re.S | re.M).group(1)
                lines = [json.loads(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', inline)]
                for line in lines:
                    need(line in readme, f"README lacks the Packer command: {line}")
                # Packer runs inline commands as one script with /bin/sh -e.
                last = ws.step(["sh", "-e", "-c"], "\n".join(lines))
            elif kind == "file":
                fields = dict(re.findall(r'(\w+)\s*=\s*"([^"]*)"', body))
                need(fields.get("direction") == "download", f"file provisioner {fields}")
                # A download from the machine (here: the private /tmp).
                ws.step(["sh", "-c"], f"mkdir -p {shlex.quote(fields['destination'])} && "
                                      f"cp -R {shlex.quote(fields['source'])}. "
                                      f"{shlex.quote(fields['destination'])}")
                downloaded = fields["destination"].rstrip("/")
        ws.run()
        verdict = check_reports(ws, downloaded, ws.rc(last), "Packer")
        print(f"Packer: reports downloaded to {downloaded}/ before the gate ({verdict})")
    finally:
        ws.cleanup()


def main():
    bbcheck, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with open(os.path.join(src, "README.md")) as f:
        readme = f.read()
    github_actions(bbcheck, src, readme)
    gitlab_ci(bbcheck, src, readme)
    dockerfile(bbcheck, src, readme)
    packer(bbcheck, src, readme)
    print("PASS")


if __name__ == "__main__":
    main()
