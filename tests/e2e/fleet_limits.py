#!/usr/bin/python3
"""`bbcheck fleet` within its limits, against real masters on loopback:

- a master that trickles one byte a second, in its headers and in its body:
  each request ends at --timeout (the whole request, not each read), and the
  command at its --deadline, each with its own clear message and exit 2;
- a master listing 100,000 bbcheck builders: fleet stops at its bound on
  requests, and a slow one at the deadline;
- secrets: credentials and query values in --master never printed (text
  header, JSON "master"); a --password-file others can read refused; a
  password over plain http warned about; at https://127.0.0.1 a certificate
  for another name refused, one for 127.0.0.1 accepted (the control), both
  made here with openssl and trusted through SSL_CERT_FILE.

usage: fleet_limits.py BBCHECK
"""

import http.server
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

BBCHECK = sys.argv[1] if len(sys.argv) > 1 else "bbcheck"
stop = threading.Event()


def need(ok, message):
    if not ok:
        stop.set()
        sys.exit("FAIL: " + message)


def fleet(args, env=None, timeout=120):
    start = time.monotonic()
    r = subprocess.run([BBCHECK, "fleet"] + args, capture_output=True, text=True,
                       timeout=timeout, env=env)
    return r, time.monotonic() - start


# --- a master that trickles ---------------------------------------------

def trickle_server(mode):
    """One byte a second: of the status line and headers ("headers"), or of
    a body whose headers came at once ("body")."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def serve(conn):
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            if mode == "body":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 100000\r\n\r\n")
                pending = b'{"workers": [' + b" " * 99980
            else:
                pending = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 100000
            for i in range(len(pending)):
                if stop.wait(1):
                    return
                try:
                    conn.sendall(pending[i:i + 1])
                except OSError:
                    return  # fleet hung up: what it should do

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener, f"http://127.0.0.1:{listener.getsockname()[1]}/"


def assert_trickling_masters():
    for mode in ("headers", "body"):
        listener, url = trickle_server(mode)
        # Per request: 3 s for the whole request, far less than the trickle.
        r, took = fleet(["--master", url, "--timeout", "3s"])
        need(r.returncode == 2, f"{mode}: exit {r.returncode}: {r.stdout}{r.stderr}")
        need("no answer in full within 3 s" in r.stderr, f"{mode}: message {r.stderr!r}")
        need(took < 3 + 20, f"{mode}: took {took:.1f} s for a 3 s timeout")
        # The whole command: its deadline ends it, however long --timeout is.
        r, took = fleet(["--master", url, "--timeout", "10m", "--deadline", "4s"])
        need(r.returncode == 2, f"{mode} deadline: exit {r.returncode}: {r.stderr}")
        need("the command's --deadline passed" in r.stderr,
             f"{mode} deadline: message {r.stderr!r}")
        need(took < 4 + 20, f"{mode}: took {took:.1f} s for a 4 s deadline")
        need(r.stderr.count("\n") == 1 and r.stderr.startswith("bbcheck: "),
             f"{mode}: one line: {r.stderr!r}")
        listener.close()
    print("fleet: a trickling master is cut off at --timeout and at --deadline")


# --- a master with very many builders -------------------------------------

class ManyBuilders(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    builds_asked = 0
    slow = False
    release = threading.Event()

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.endswith("/api/v2/workers"):
            body = {"workers": [{"workerid": 1, "name": "w1",
                                 "connected_to": [{"masterid": 1}], "paused": False}]}
        elif path.endswith("/api/v2/builders"):
            body = {"builders": [{"builderid": i, "name": f"bbcheck-w{i}"}
                                 for i in range(1, 100001)]}
        else:
            type(self).builds_asked += 1
            if type(self).slow:
                type(self).release.wait(60)
            body = {"builds": []}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def assert_many_builders():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ManyBuilders)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        r, took = fleet(["--master", url, "--deadline", "10m"])
        need(r.returncode == 2, f"many: exit {r.returncode}: {r.stdout[:300]}{r.stderr}")
        need("fleet makes at most 1000 requests" in r.stderr, f"many: message {r.stderr!r}")
        need(ManyBuilders.builds_asked <= 1000, f"many: {ManyBuilders.builds_asked} requests")
        ManyBuilders.slow = True
        r, took = fleet(["--master", url, "--deadline", "5s"])
        ManyBuilders.release.set()
        need(r.returncode == 2, f"slow many: exit {r.returncode}: {r.stderr}")
        need("the command's --deadline passed" in r.stderr, f"slow many: message {r.stderr!r}")
        need(took < 5 + 20, f"slow many: took {took:.1f} s for a 5 s deadline")
    finally:
        ManyBuilders.release.set()
        server.shutdown()
    print("fleet: a master with 100,000 builders meets the request bound and the deadline")


# --- secrets ----------------------------------------------------------------

class Fleet(http.server.BaseHTTPRequestHandler):
    """A tiny master: one worker, no bbcheck builder; logins accepted."""

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.endswith("/auth/login"):
            self.send_response(302)
            self.send_header("Set-Cookie", "TWISTED_SESSION=abc; Path=/")
            self.send_header("Location", "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = {"workers": [{"workerid": 1, "name": "w1", "connected_to": [],
                             "paused": False}]} if path.endswith("/workers") else {"builders": []}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def assert_secrets(tmp):
    server = serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Fleet))
    port = server.server_address[1]
    try:
        master = f"http://admin:hunter2@127.0.0.1:{port}/?token=s3cr3t-token&password=pw-value"
        for fmt in ("text", "json"):
            r, _ = fleet(["--master", master, "--format", fmt])
            need(r.returncode in (0, 1), f"{fmt}: exit {r.returncode}: {r.stderr}")
            for secret in ("hunter2", "s3cr3t-token", "pw-value"):
                need(secret not in r.stdout + r.stderr, f"{fmt}: {secret} printed: {r.stdout}")
        shown = json.loads(r.stdout)["master"]
        need(shown == f"http://127.0.0.1:{port}/?token=REDACTED&password=REDACTED", f"master: {shown}")

        password = os.path.join(tmp, "password")
        with open(password, "w") as f:
            f.write("hunter2\n")
        os.chmod(password, 0o644)
        r, _ = fleet(["--master", f"http://127.0.0.1:{port}/", "--user", "admin",
                      "--password-file", password])
        need(r.returncode == 2 and "chmod 600" in r.stderr, f"0644 password file: {r.stderr!r}")
        os.chmod(password, 0o600)
        r, _ = fleet(["--master", f"http://127.0.0.1:{port}/", "--user", "admin",
                      "--password-file", password])
        need(r.returncode in (0, 1), f"0600 password file: exit {r.returncode}: {r.stderr}")
        need("warning: the password goes to" in r.stderr and "unencrypted" in r.stderr,
             f"no warning for Basic over http: {r.stderr!r}")
        need("hunter2" not in r.stdout + r.stderr, "the password printed")
    finally:
        server.shutdown()
    print("fleet: secrets in the URL are never printed; password files and plain http guarded")


def certificate(tmp, name, san):
    key, cert = os.path.join(tmp, name + ".key"), os.path.join(tmp, name + ".pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=" + name, "-addext", "subjectAltName=" + san,
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return key, cert


def assert_certificate_names(tmp):
    for name, san, accepted in (("other.example", "DNS:other.example", False),
                                ("127.0.0.1", "IP:127.0.0.1", True)):
        key, cert = certificate(tmp, name, san)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Fleet)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        serve(server)
        try:
            # Trusted as a CA, so that only the name can be wrong.
            env = dict(os.environ, SSL_CERT_FILE=cert)
            r, _ = fleet(["--master", f"https://127.0.0.1:{server.server_address[1]}/"], env=env)
            if accepted:
                need(r.returncode in (0, 1), f"{name}: refused: {r.stderr!r}")
            else:
                need(r.returncode == 2 and "certificate is not for 127.0.0.1" in r.stderr,
                     f"{name}: accepted at 127.0.0.1: exit {r.returncode} {r.stderr!r}")
        finally:
            server.shutdown()
    print("fleet: at https://127.0.0.1 the certificate must be for 127.0.0.1")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        try:
            assert_secrets(tmp)
            assert_certificate_names(tmp)
            assert_trickling_masters()
            assert_many_builders()
        finally:
            stop.set()
    print("PASS")
