"""A PostgreSQL server that refuses every password, speaking the real wire protocol.

The local test server trusts every connection, so it can never say "wrong password". This one
answers as PostgreSQL does with `password` authentication (protocol 3.0): it declines SSL, asks
for a cleartext password, then sends the FATAL ErrorResponse with SQLSTATE 28P01 that a real
server sends, and closes.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SSL_REQUEST = 80877103
PROTOCOL_3 = 196608
AUTH_CLEARTEXT = 3


class _Refuser(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        connection: socket.socket = self.request
        while True:
            length, code = struct.unpack("!ii", _read(connection, 8))
            body = _read(connection, length - 8)
            if code == SSL_REQUEST:
                connection.sendall(b"N")
                continue
            if code != PROTOCOL_3:
                return
            break
        values = body.split(b"\0")
        params = dict(zip(values[0::2], values[1::2], strict=False))
        user = params.get(b"user", b"").decode()
        connection.sendall(b"R" + struct.pack("!ii", 8, AUTH_CLEARTEXT))
        kind = _read(connection, 1)
        (length,) = struct.unpack("!i", _read(connection, 4))
        password = _read(connection, length - 4).rstrip(b"\0").decode()
        if kind == b"p":
            self.server.passwords_received.append(password)
        fields = {
            b"S": b"FATAL",
            b"V": b"FATAL",
            b"C": b"28P01",
            b"M": f'password authentication failed for user "{user}"'.encode(),
        }
        payload = b"".join(k + v + b"\0" for k, v in fields.items()) + b"\0"
        connection.sendall(b"E" + struct.pack("!i", len(payload) + 4) + payload)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    passwords_received: list[str]


def _read(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return data


@contextmanager
def password_refusing_server() -> Iterator[_Server]:
    """Listening on 127.0.0.1 (`server.server_address[1]` is the port) until the block ends."""
    server = _Server(("127.0.0.1", 0), _Refuser)
    server.passwords_received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def silent_server() -> Iterator[int]:
    """A port whose connections are accepted by the kernel and then never answered."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
