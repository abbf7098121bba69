"""bench/suite.yaml as an admin writes it today with Testinfra (Debian's
python3-testinfra) and pytest, on the local host: one test per check, the
same ids, the same 1 s timeout for ports. Any failing test makes pytest exit
1, the "not ready" of bbcheck.

Run inside the namespace of bench/lib/fixture.sh (see bench/run):
  /usr/bin/python3 -m pytest -p no:cacheprovider bench/baselines/test_suite_testinfra.py
"""
import re

import pytest

OPEN_PORTS = range(7001, 7021)
FIREWALLED_PORTS = range(7101, 7111)
DNS_NAMES = ["alpha", "beta", "gamma", "delta", "epsilon"]
HEADERS = [
    ("zlib", "zlib.h", None),
    ("openssl-ssl", "openssl/ssl.h", "openssl"),
    ("openssl-evp", "openssl/evp.h", "openssl"),
    ("stdio", "stdio.h", None),
    ("pthread", "pthread.h", None),
    ("sys-socket", "sys/socket.h", None),
]
COMMANDS = [("git", "2.0"), ("make", "4.0"), ("cmake", "3.22"), ("gcc", "10")]


def as_tuple(version):
    return tuple(int(part) for part in version.split("."))


@pytest.mark.parametrize("port", OPEN_PORTS, ids=lambda p: f"open.{p}")
def test_open_port(host, port):
    assert host.addr("127.0.0.1").port(port).is_reachable


@pytest.mark.parametrize("port", FIREWALLED_PORTS, ids=lambda p: f"firewalled.{p}")
def test_firewalled_port(host, port):
    assert host.addr("127.0.0.1").port(port).is_reachable


@pytest.mark.parametrize("name", DNS_NAMES, ids=lambda n: f"dns.{n}")
def test_dns(host, name):
    answer = host.run("dig +short +time=1 +tries=1 @127.0.0.1 -p 5353 %s.bench.test A", name)
    assert answer.rc == 0 and answer.stdout.strip()


@pytest.mark.parametrize("header,pkg_config", [(h, p) for _, h, p in HEADERS],
                         ids=[f"headers.{i}" for i, _, _ in HEADERS])
def test_header(host, header, pkg_config):
    flags = host.check_output("pkg-config --cflags %s", pkg_config) if pkg_config else ""
    cmd = host.run("echo '#include <%s>' | cc " + flags + " -E -x c - -o /dev/null", header)
    assert cmd.rc == 0, cmd.stderr


@pytest.mark.parametrize("name,minimum", COMMANDS, ids=[f"commands.{n}" for n, _ in COMMANDS])
def test_command(host, name, minimum):
    assert host.exists(name)
    output = host.check_output("%s --version", name)
    version = re.search(r"\d+(?:\.\d+)+", output).group(0)
    assert as_tuple(version) >= as_tuple(minimum)


# The resources tests are test_cpus, test_memory and test_disk: the suite's
# resources.cpus, resources.memory and resources.disk.
def test_cpus(host):
    assert int(host.check_output("nproc")) >= 1


def test_memory(host):
    meminfo = host.file("/proc/meminfo").content_string
    total_kib = int(next(l.split()[1] for l in meminfo.splitlines() if l.startswith("MemTotal:")))
    assert total_kib >= 512 * 1024


def test_disk(host):
    free_kib = int(host.check_output("df --output=avail -k /tmp | tail -n 1"))
    assert free_kib >= 1024 * 1024
