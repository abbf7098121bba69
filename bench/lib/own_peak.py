"""Runs a command and prints its own peak resident set size in KiB: VmHWM
from /proc/PID/status, sampled every millisecond until it exits. Unlike
/usr/bin/time's figure it leaves out the processes the command starts (the
compilers of bbcheck's header checks). The mark only grows, so the last
sample is the peak up to the last millisecond of the run.
"""
import subprocess
import sys
import time


def high_water_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while child.poll() is None:
        peak = max(peak, high_water_kib(child.pid))
        time.sleep(0.001)
    print(peak)


if __name__ == "__main__":
    main()
