#!/usr/bin/env python3
"""Fails when a source file includes a header from a layer above its own.

The layers, lowest first (README "Layout"): each may include only from its
own layer and those below it.

  probes/*.h|cpp          the probe contract and shared helpers
  probes/buildbot/        readers of Buildbot's files several families use
  probes/<family>/        system, network, toolchain, worker, environment
  probes/builtin/         the list of every family's kinds (the registry)
  checker/profile/        the profile language
  checker/run/            plan, executor, results, host facts
  checker/report/         the report model and its formats
  checker/farm/           request, fleet, diff
  checker/cli/            the commands

Probe families are side by side: one family never includes another's files
(what two share belongs in probes/ or probes/buildbot/). Test helpers under
tests/ may be included by any test.

Usage: check_layers.py SOURCE_DIR
"""
import os
import re
import sys

FAMILIES = ("system", "network", "toolchain", "worker", "environment")
CHECKER = ("profile", "run", "report", "farm", "cli")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(path):
    """(rank, family) of a repository path, or None outside the layers."""
    parts = path.split("/")
    if parts[0] == "probes":
        if len(parts) == 2:
            return (0, None)
        if parts[1] == "buildbot":
            return (1, None)
        if parts[1] in FAMILIES:
            return (2, parts[1])
        if parts[1] == "builtin":
            return (3, None)
        return None
    if parts[0] == "checker" and len(parts) >= 3 and parts[1] in CHECKER:
        return (4 + CHECKER.index(parts[1]), None)
    return None


def problems(root):
    found = []
    for top in ("probes", "checker"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root)
                own = layer_of(path)
                if own is None:
                    found.append(f"{path}: not in any layer folder")
                    continue
                with open(os.path.join(root, path), encoding="utf-8") as f:
                    text = f.read()
                for match in INCLUDE.finditer(text):
                    target = match.group(1)
                    if target.startswith("tests/") or target.startswith("generated/"):
                        continue
                    other = layer_of(target)
                    if other is None:
                        continue
                    line = text.count("\n", 0, match.start()) + 1
                    if other[0] > own[0]:
                        found.append(f"{path}:{line}: includes {target}, a layer above")
                    elif own[0] == other[0] == 2 and own[1] != other[1]:
                        found.append(f"{path}:{line}: includes {target}, another probe family")
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    found = problems(root)
    for p in found:
        print(p)
    if found:
        print(f"{len(found)} include(s) point up or across the layers")
        return 1
    print("layers: every include points down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
