"""Stands in for the internet inside a test's private network namespace.

Listens on 127.0.0.1 on the ports python-buildbot checks (21, 80, 119, 443,
465, 587): port 80 answers HTTP GETs with 200, the others accept and send a
line the way their real servers would. Runs until killed. Only ever used in a
namespace that the test made, where these names resolve to 127.0.0.1.
"""
import socketserver
import sys
import threading

GREETINGS = {
    21: b"220 fake FTP\r\n",
    119: b"200 fake NNTP\r\n",
    443: b"",
    465: b"",
    587: b"220 fake SMTP\r\n",
}


class Http(socketserver.StreamRequestHandler):
    def handle(self):
        self.rfile.readline()
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")


def greeter(text):
    class Greeter(socketserver.BaseRequestHandler):
        def handle(self):
            if text:
                self.request.sendall(text)
    return Greeter


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    servers = [Server(("127.0.0.1", 80), Http)]
    servers += [Server(("127.0.0.1", port), greeter(text)) for port, text in GREETINGS.items()]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("ready", flush=True)
    sys.stdin.read()  # until the test closes our stdin or kills us


if __name__ == "__main__":
    main()
