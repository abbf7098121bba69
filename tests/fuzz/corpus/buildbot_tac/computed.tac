import os
workername = open('name').read().strip()
connection_string = 'tls:host=m.example:port=9989'
keepalive = 0x10
maxdelay = 1_000
umask = 0o077
passwd = ("a" "b")
