#!/usr/bin/env python3
"""The cross-built bbcheck, run under qemu-user, reports the host's real byte
counts and dates in the default profile's JSON report.

On armhf and i386 size_t, long and time_t are 32 bits; on s390x bytes are
big-endian. This host has more than 4 GiB of RAM and of disk, so a count
truncated to 32 bits, or read in the wrong byte order, differs from what the
kernel says through /proc/meminfo and statvfs (read here by the native
Python). usage: byte_counts.py EMULATOR BBCHECK
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile

emulator, bbcheck = sys.argv[1], sys.argv[2]
failures = []


def expect(what, got, want, slack=0):
    if got is None or abs(got - want) > slack:
        failures.append(f"{what}: report says {got}, the host says {want}")


with open("/proc/meminfo") as f:
    meminfo = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in f}
mem_total = meminfo["MemTotal"]
if mem_total <= 4 << 30:
    sys.exit(f"this host has {mem_total} bytes of RAM: the check needs more than 4 GiB to mean anything")

with tempfile.TemporaryDirectory() as tmp:
    report = os.path.join(tmp, "report.json")
    # The default profile (python-buildbot), its resource checks and the
    # build area's disk, with the host facts every report carries.
    run = subprocess.run([emulator, bbcheck, "run", "--stage", "host", "--only",
                          "resources.,buildarea.disk", "--report", "json:" + report, "-q"],
                         capture_output=True, text=True, timeout=240)
    if run.returncode not in (0, 1):
        sys.exit(f"bbcheck exited {run.returncode}: {run.stderr}")
    with open(report) as f:
        data = json.load(f)

checks = {c["id"]: c for c in data["checks"]}
host = data["host"]
# With no cgroup limit the judged figure is the host's; host facts come from
# sysinfo(2), the check from /proc/meminfo; both must say MemTotal.
expect("host.memory_bytes", host.get("memory_bytes"), mem_total)
memory = checks["resources.memory"].get("observed", {})
expect("resources.memory host_bytes", memory.get("host_bytes"), mem_total)
disk = checks["buildarea.disk"].get("observed", {})
vfs = os.statvfs(disk.get("measured_path", "/"))
expect("buildarea.disk filesystem_bytes", disk.get("filesystem_bytes"), vfs.f_blocks * vfs.f_frsize)
# Free space moves while other programs write: within 1 GiB.
expect("buildarea.disk bytes", disk.get("bytes"), vfs.f_bavail * vfs.f_frsize, slack=1 << 30)
expect("buildarea.disk total_inodes", disk.get("total_inodes"), vfs.f_files)
# Today's date and a plausible duration (a 32-bit time_t or a byte-swapped
# clock shows neither).
started = datetime.datetime.fromisoformat(data["started_at"].replace("Z", "+00:00"))
now = datetime.datetime.now(datetime.timezone.utc)
if abs((now - started).total_seconds()) > 600:
    failures.append(f"started_at {data['started_at']} is not now ({now.isoformat()})")
if not 0 <= data["duration_ms"] < 240000:
    failures.append(f"duration_ms {data['duration_ms']} is not the run's")
print(f"{host.get('arch')}: RAM {host.get('memory_bytes')}, disk {disk.get('filesystem_bytes')} bytes, "
      f"started {data['started_at']}")
if failures:
    sys.exit("\n".join(failures))
