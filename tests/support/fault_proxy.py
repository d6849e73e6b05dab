"""A fault-injecting HTTP proxy on loopback, for the sync fault tests.

The workstation talks plain HTTP to the proxy (allowed: it is on 127.0.0.1) and the proxy talks HTTPS to the
real central server, verifying it with the test CA; so the server under test is the same TLS server as in every
other test, and the proxy sees each request and answer whole. It understands just enough HTTP/1.1 for that:
Content-Length and chunked bodies, keep-alive.

Faults apply to the next `count` requests whose path starts with `path`, then the proxy passes again:

- PASS: forward the request and the answer unchanged;
- ERROR_500: answer 500 without forwarding (the server never sees the request);
- ERROR_500_AFTER_COMMIT: forward, let the server answer (it has committed), then answer 500 instead;
- DROP_AFTER_COMMIT: forward, read the server's whole answer, then close the client's connection without a
  byte of it: "the connection closed after the server committed, before the client read the answer";
- HOLD: forward, read the whole answer, then keep the client waiting (`held` is set) until `release()`, and
  close without answering; the test kills the client meanwhile.

Written here on plain sockets and threads because the point is control over where a connection breaks, which a
ready-made proxy does not give.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import BinaryIO


class Mode(StrEnum):
    PASS = "pass"
    ERROR_500 = "error_500"
    ERROR_500_AFTER_COMMIT = "error_500_after_commit"
    DROP_AFTER_COMMIT = "drop_after_commit"
    HOLD = "hold"


@dataclass(frozen=True)
class Message:
    """One HTTP message as it came: the start line, the raw bytes (head and body) to forward."""

    start_line: str
    raw: bytes


def _read_message(stream: BinaryIO) -> Message | None:
    """One HTTP/1.1 message from `stream`, or None when the peer closed before a new one began."""
    start = stream.readline()
    if not start:
        return None
    head = [start]
    length = 0
    chunked = False
    while True:
        line = stream.readline()
        if not line:
            return None
        head.append(line)
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
        elif name.strip().lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    body = b""
    if chunked:
        parts = []
        while True:
            size_line = stream.readline()
            parts.append(size_line)
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while True:  # trailers, up to the empty line
                    trailer = stream.readline()
                    parts.append(trailer)
                    if trailer in (b"\r\n", b"\n", b""):
                        break
                break
            parts.append(stream.read(size + 2))
        body = b"".join(parts)
    elif length:
        body = stream.read(length)
    return Message(start.decode("latin-1").rstrip("\r\n"), b"".join(head) + body)


def _error_500() -> bytes:
    body = json.dumps({"error": "internal_error", "message": "injected by the fault proxy"}).encode()
    head = (
        f"HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class FaultProxy:
    """A threaded proxy from http://127.0.0.1:<port> to the server at (upstream_host, upstream_port), over TLS
    verified with `tls` when given (else plain HTTP)."""

    def __init__(self, upstream_host: str, upstream_port: int, tls: ssl.SSLContext | None = None) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._tls = tls
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._mode = Mode.PASS
        self._remaining = 0
        self._path = "/"
        self._release = threading.Event()
        self.held = threading.Event()
        self.requests: list[str] = []  # start lines of every request seen
        self.faults: list[tuple[Mode, str]] = []  # (mode, start line) of every fault injected
        self._closed = False
        self._connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)

    @classmethod
    def to(cls, url: str, tls: ssl.SSLContext | None = None) -> FaultProxy:
        """A proxy to the server at `url` ("https://127.0.0.1:PORT")."""
        host_port = url.split("://", 1)[1].rstrip("/")
        host, _, port = host_port.rpartition(":")
        return cls(host, int(port), tls if url.startswith("https") else None)

    # --- control -----------------------------------------------------------------------------------------------
    def set_mode(self, mode: Mode, count: int = 1, path: str = "/") -> None:
        """Apply `mode` to the next `count` requests whose path starts with `path`."""
        with self._lock:
            self._mode, self._remaining, self._path = mode, count, path
            self._release.clear()
            self.held.clear()

    def release(self) -> None:
        """Let a held connection go (it is closed without an answer)."""
        self._release.set()

    def _take(self, start_line: str) -> Mode:
        parts = start_line.split(" ")
        path = parts[1] if len(parts) > 1 else ""
        with self._lock:
            self.requests.append(start_line)
            if self._remaining <= 0 or self._mode is Mode.PASS or not path.startswith(self._path):
                return Mode.PASS
            self._remaining -= 1
            self.faults.append((self._mode, start_line))
            return self._mode

    # --- serving -----------------------------------------------------------------------------------------------
    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._connections.append(client)
            threading.Thread(target=self._serve, args=(client,), name="fault-proxy-conn", daemon=True).start()

    def _connect_upstream(self) -> socket.socket:
        raw = socket.create_connection(self._upstream, timeout=30)
        if self._tls is None:
            return raw
        return self._tls.wrap_socket(raw, server_hostname=self._upstream[0])

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            client_in = client.makefile("rb")
            upstream_in: BinaryIO | None = None
            while True:
                request = _read_message(client_in)
                if request is None:
                    return
                mode = self._take(request.start_line)
                if mode is Mode.ERROR_500:
                    client.sendall(_error_500())
                    continue
                if upstream is None:
                    upstream = self._connect_upstream()
                    with self._lock:
                        self._connections.append(upstream)
                    upstream_in = upstream.makefile("rb")
                assert upstream_in is not None
                upstream.sendall(request.raw)
                response = _read_message(upstream_in)
                if response is None:
                    return  # the server closed: so does the client's connection
                if mode is Mode.PASS:
                    client.sendall(response.raw)
                elif mode is Mode.ERROR_500_AFTER_COMMIT:
                    client.sendall(_error_500())
                elif mode is Mode.DROP_AFTER_COMMIT:
                    return
                else:  # HOLD
                    self.held.set()
                    self._release.wait(60)
                    return
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                    with contextlib.suppress(OSError):
                        sock.close()

    def close(self) -> None:
        """Stop accepting and close every connection."""
        self._closed = True
        self._release.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            connections = list(self._connections)
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
