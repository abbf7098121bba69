#!/usr/bin/env bash
# bbcheck's JUnit validates against the JUnit schema Jenkins reads
# (tests/junit/jenkins-junit.xsd), its counts and times agree with its
# testcases, and a READY host's JUnit has no <failure> or <error>: checks that
# do not count for the verdict are <skipped> with their details, so CI shows
# them without turning red. Run offline (unshare -n): a READY run of the
# worker-image profile and a NOT READY run of the default profile.
#
# usage: junit_schema.sh BBCHECK SOURCE_DIR   (as root)
set -euo pipefail
# Each run in PID and mount namespaces of its own too: as root bbcheck checks
# every worker it finds running, and other tests' workers are not this host's.
bbcheck=$1
src=$2
work=$(mktemp -d /tmp/bbcheck-junit-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

set +e
# A READY run with a recommended check failing: the worker-image profile on
# this fully provisioned host (tests/e2e/worker_image.sh), and one
# recommended tool no host has.
cat > "$work/ready.yaml" <<'YAML'
format: 1
name: junit-ready
extends: [worker-image]
checks:
  - id: extra.missing-tool
    title: A recommended tool this host does not have
    probe: command
    with: { name: bbcheck-e2e-no-such-tool }
    severity: recommended
YAML
unshare --net --pid --fork --mount-proc -- "$bbcheck" -p "$work/ready.yaml" --no-color --format junit --deadline 30s > "$work/ready.xml"
ready=$?
unshare --net --pid --fork --mount-proc -- "$bbcheck" --no-color --format junit --deadline 30s > "$work/offline.xml"
set -e
for f in ready offline; do
  xmllint --noout --schema "$src/tests/junit/jenkins-junit.xsd" "$work/$f.xml" ||
    fail "$f.xml does not validate against the Jenkins JUnit schema"
done
python3 - "$work/ready.xml" "$work/offline.xml" "$ready" <<'PY'
import sys, xml.etree.ElementTree as ET
def check_counts(root):
    wall = float(root.get("time"))
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        for tag, attr in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            n = sum(1 for c in cases if c.find(tag) is not None)
            assert int(suite.get(attr)) == n, (suite.get("name"), attr, suite.get(attr), n)
        assert float(suite.get("time")) <= wall + 0.001, "a suite takes longer than the run"
        for c in cases:
            assert float(c.get("time")) <= wall + 0.001, c.get("name")
ready = ET.parse(sys.argv[1]).getroot()
offline = ET.parse(sys.argv[2]).getroot()
check_counts(ready); check_counts(offline)
verdict = {p.get("name"): p.get("value") for p in ready.iter("property")}["verdict"]
assert verdict == "ready" and int(sys.argv[3]) == 0, (verdict, sys.argv[3])
bad = [c.get("name") for c in ready.iter("testcase")
       if c.find("failure") is not None or c.find("error") is not None]
assert not bad, f"a READY host's JUnit fails {bad}"
# Offline, dns.system (required) fails and counts: a <failure> or <error>.
dns = [c for c in offline.iter("testcase") if c.get("name") == "dns.system"][0]
assert dns.find("failure") is not None or dns.find("error") is not None
# A recommended check that failed is shown as skipped with why it does not count.
shown = [c for c in ready.iter("testcase")
         if c.find("skipped") is not None and "does not count" in c.find("skipped").get("message", "")]
assert shown, "no non-counting check shown as skipped"
PY
echo "junit schema: ok"
