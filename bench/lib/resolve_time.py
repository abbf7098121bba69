"""Ground truth for bench/truth's DNS scenarios: how long a program waits for
a name, asking as Python does.

usage: python3 bench/lib/resolve_time.py NAME PORT
Prints one line: getaddrinfo(NAME, PORT) with AF_INET (what a lookup of the
A record alone takes) and with AF_UNSPEC (what socket.create_connection, and
so urllib, http.client and smtplib, ask), each with its answer and time.
"""
import socket
import sys
import time

name, port = sys.argv[1], int(sys.argv[2])
parts = []
for family, what in ((socket.AF_INET, "AF_INET"), (socket.AF_UNSPEC, "AF_UNSPEC (create_connection)")):
    start = time.monotonic()
    try:
        found = socket.getaddrinfo(name, port, family, socket.SOCK_STREAM)
        answer = ", ".join(sorted({a[4][0] for a in found}))
    except OSError as e:
        answer = f"error ({e})"
    parts.append(f"{what} {answer} in {time.monotonic() - start:.2f} s")
print(f"getaddrinfo({name}, {port}): " + "; ".join(parts))
