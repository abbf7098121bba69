#!/usr/bin/python3
"""`bbcheck fleet` against hostile masters on loopback: a reply that is not
JSON, one too large, one deeply nested, the wrong shape, an HTTP error, a
status line with a terminal escape, no answer in time, nothing listening; a
URL that is not http(s), one with credentials. Each must be a one-line `bbcheck:` error with
exit 2, never a crash, a hang or a secret or escape on the terminal.

usage: fleet_hostile.py BBCHECK
"""

import http.server
import socket
import subprocess
import sys
import threading

MAX_HUGE = 40 << 20


def need(ok, message):
    if not ok:
        sys.exit("FAIL: " + message)


def run(args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


class Hostile(http.server.BaseHTTPRequestHandler):
    mode = "text"
    # "slow" answers only once the case is over: no answer within any
    # timeout, however loaded the machine, and no fixed sleep.
    release = threading.Event()

    def do_GET(self):
        mode = type(self).mode
        if mode == "slow":
            type(self).release.wait(60)
        body = {
            "text": b"<html>not json</html>",
            "huge": b"[" + b"1," * (MAX_HUGE // 2) + b"1]",
            "shape": b'{"workers": "none"}',
            "array": b"[1, 2, 3]",
            "deep": b"[" * 100000 + b"]" * 100000,
            "status": b"",
            "slow": b"{}",
            "control": b"{}",
        }[mode]
        if mode == "status":
            self.send_response(500, "Boom")
        elif mode == "control":
            self.send_response(503, "evil\x1b[31mred")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args):
        pass



def assert_hostile_masters(bbcheck):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for mode, words in [("text", "not JSON"), ("huge", "larger than"),
                            ("shape", "no \"workers\" list"), ("array", "not a JSON object"),
                            ("deep", "not JSON"), ("status", "HTTP 500"),
                            ("slow", "no answer"), ("control", "HTTP 503")]:
            Hostile.mode = mode
            # A master that answers gets time enough on a loaded machine
            # (the 200 kB "deep" reply missed 3 s at load 24); one that
            # never answers is given a short timeout.
            timeout = "2s" if mode == "slow" else "30s"
            r = run([bbcheck, "fleet", "--master", url, "--timeout", timeout])
            if mode == "slow":
                Hostile.release.set()
            need(r.returncode == 2, f"{mode}: exit {r.returncode}: {r.stdout}{r.stderr}")
            need(r.stderr.startswith("bbcheck: ") and words in r.stderr,
                 f"{mode}: message {r.stderr!r}")
            need("\x1b" not in r.stderr, f"{mode}: a control character reached the terminal")
        r = run([bbcheck, "fleet", "--master", "ftp://x/"])
        need(r.returncode == 2, "ftp:// accepted")
        r = run([bbcheck, "fleet", "--master", "http://u:hunter2@127.0.0.1:1/"])
        need(r.returncode == 2 and "hunter2" not in r.stderr, f"refused: {r.stderr}")
        # Nothing listens (a port bound, never listening): most often a
        # master without its web UI, which serves the REST API; the error
        # says so, and that Debian's buildbot package ships none.
        with socket.socket() as unserved:
            unserved.bind(("127.0.0.1", 0))
            r = run([bbcheck, "fleet", "--master",
                     f"http://127.0.0.1:{unserved.getsockname()[1]}/"])
        need(r.returncode == 2 and "Connection refused" in r.stderr
             and "buildbot-www" in r.stderr and "REST API" in r.stderr,
             f"connection refused: {r.stderr!r}")
    finally:
        Hostile.release.set()
        server.shutdown()
    print("bbcheck fleet: hostile masters are clear errors (exit 2)")


if __name__ == "__main__":
    assert_hostile_masters(sys.argv[1])
    print("PASS")
