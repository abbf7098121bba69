"""Accepts TCP connections on 127.0.0.1 on the ports given as arguments and
closes each at once: the "open ports" of the benchmark's private network
namespace. One process and one thread for all ports, so the listeners cost
the machine almost nothing while bbcheck and the baselines are timed.

Prints "ready" once every port listens; runs until killed. Only ever run inside a namespace that bench/lib/fixture.sh made.
"""
import selectors
import socket
import sys


def main():
    selector = selectors.DefaultSelector()
    for port in (int(p) for p in sys.argv[1:]):
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(1024)
        server.setblocking(False)
        selector.register(server, selectors.EVENT_READ)
    print("ready", flush=True)
    while True:
        for key, _ in selector.select(timeout=1):
            try:
                conn, _ = key.fileobj.accept()
                conn.close()
            except (BlockingIOError, ConnectionAbortedError):
                pass


if __name__ == "__main__":
    main()
