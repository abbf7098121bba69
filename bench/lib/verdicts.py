"""Reads what bbcheck and the two baselines printed for bench/suite.yaml and
prints one "ID pass|fail" line per check, sorted, so that the three can be
compared with diff.

  verdicts.py bbcheck REPORT.json     bbcheck's JSON report
  verdicts.py nagios OUTPUT           bench/baselines/nagios.sh's stdout
  verdicts.py testinfra OUTPUT        pytest -rA's stdout
"""
import json
import re
import sys

# Testinfra's tests without parameters, by the suite's check ids.
PLAIN_TESTS = {"test_cpus": "resources.cpus", "test_memory": "resources.memory",
               "test_disk": "resources.disk"}


def from_bbcheck(text):
    return {c["id"]: "pass" if c["status"] == "pass" else "fail" for c in json.loads(text)["checks"]}


def from_nagios(text):
    verdicts = {}
    for line in text.splitlines():
        m = re.match(r"(OK|FAIL) +([\w.-]+):", line)
        if m:
            verdicts[m.group(2)] = "pass" if m.group(1) == "OK" else "fail"
    return verdicts


def from_testinfra(text):
    verdicts = {}
    for line in text.splitlines():
        m = re.match(r"(PASSED|FAILED|ERROR) \S+::(\w+)\[local(?:-([\w.-]+))?\]", line)
        if m:
            check = m.group(3) or PLAIN_TESTS[m.group(2)]
            verdicts[check] = "pass" if m.group(1) == "PASSED" else "fail"
    return verdicts


def main():
    kind, path = sys.argv[1], sys.argv[2]
    text = open(path, encoding="utf-8").read()
    verdicts = {"bbcheck": from_bbcheck, "nagios": from_nagios, "testinfra": from_testinfra}[kind](text)
    for check in sorted(verdicts):
        print(check, verdicts[check])


if __name__ == "__main__":
    main()
