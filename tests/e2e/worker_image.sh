#!/usr/bin/env bash
# The worker-image profile, as a Dockerfile `RUN bbcheck -p worker-image` step
# would run it: with no network at all (unshare -n, as image builds often
# are), as root, before any build area exists. It must check only what an
# image can have (no network, boot, master, build area or resource checks),
# pass on this fully provisioned host, and fail when the image lacks its
# software (a PATH with none of it).
#
# usage: worker_image.sh BBCHECK   (as root)
set -euo pipefail
# Each run in PID and mount namespaces of its own too: as root bbcheck checks
# every worker it finds running, and other tests' workers are not this host's.
bbcheck=$1
work=$(mktemp -d /tmp/bbcheck-image-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

set +e
unshare --net --pid --fork --mount-proc -- "$bbcheck" -p worker-image --no-color --format json > "$work/fit.json"
fit=$?
mkdir "$work/empty-bin"
unshare --net --pid --fork --mount-proc -- env PATH="$work/empty-bin" "$bbcheck" -p worker-image --no-color --format json > "$work/bare.json"
bare=$?
set -e
python3 - "$work/fit.json" "$work/bare.json" "$fit" "$bare" <<'PY'
import json, sys
fit, bare = (json.load(open(p)) for p in sys.argv[1:3])
fit_code, bare_code = int(sys.argv[3]), int(sys.argv[4])
machine_only = {"tcp", "dns", "tls", "http", "buildmaster", "boot", "worker-running",
                "buildarea", "disk", "cpu", "memory", "localhost", "virtualization",
                "nxdomain", "hostname", "clock", "shared-memory", "temp-space",
                "open-files-limit", "display", "service-env", "duplicate-worker"}
probes = {c["probe"] for c in fit["checks"]}
assert not probes & machine_only, f"worker-image checks what only a machine has: {probes & machine_only}"
assert {"command", "compiler", "header", "library", "locale", "tzdata", "user-exists"} <= probes, probes
bad = [c["id"] for c in fit["checks"] if c["severity"] == "required" and c["status"] != "pass"]
assert fit_code == 0 and fit["verdict"] == "ready", (fit_code, bad)
missing = {c["id"]: c["status"] for c in bare["checks"]}
assert bare_code == 1 and bare["verdict"] == "not_ready", bare_code
assert missing["worker.software"] == "fail" and missing["vcs.git"] == "fail", missing
PY
echo "worker-image: ok"
