"""A minimal HTTP/1.1 keep-alive client over a raw socket that reports time to first
response byte. GET only (with optional extra request headers); Content-Length, chunked and
read-until-close bodies."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass

MAX_HEADER_BYTES = 64 * 1024  # far above any playlist/segment response header
MAX_BODY_BYTES = 256 * 1024 * 1024  # a 2 s fragment at 3 Mbit/s is ~0.8 MB


class HTTPError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: float  # monotonic time the request was written
    first_byte: float  # monotonic time the first response byte arrived
    done: float  # monotonic time the body was complete

    @property
    def ttfb(self) -> float:
        return self.first_byte - self.sent


class Connection:
    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._sock: socket.socket | None = None
        self._buf = bytearray()

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
        self._sock = None
        self._buf.clear()

    def get(self, path: str, timeout: float | None = None,
            headers: dict[str, str] | None = None) -> Response:
        """GET `path`, with `headers` added to the request. A request on a reused connection
        that the server had closed is retried once on a new connection."""
        reused = self._sock is not None
        try:
            return self._get(path, timeout, headers)
        except (ConnectionError, HTTPError, socket.timeout, OSError):
            self.close()
            if not reused:
                raise
        return self._get(path, timeout, headers)

    def _get(self, path: str, timeout: float | None, headers: dict[str, str] | None = None) -> Response:
        if self._sock is None:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock.settimeout(timeout if timeout is not None else self.timeout)
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        request = (f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                   f"User-Agent: antenne-bench\r\nAccept: */*\r\n{extra}\r\n").encode()
        sent = time.monotonic()
        self._sock.sendall(request)
        if not self._buf:
            self._fill()
        first_byte = time.monotonic()
        while (end := self._buf.find(b"\r\n\r\n")) < 0:
            if len(self._buf) > MAX_HEADER_BYTES:
                raise HTTPError("response header too large")
            self._fill()
        head = bytes(self._buf[:end]).decode("latin-1").split("\r\n")
        del self._buf[:end + 4]
        parts = head[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            raise HTTPError(f"bad status line {head[0]!r}")
        status = int(parts[1])
        headers: dict[str, str] = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = self._read_chunked()
        elif "content-length" in headers:
            length = int(headers["content-length"])
            if length > MAX_BODY_BYTES:
                raise HTTPError(f"body of {length} bytes")
            body = self._read_exact(length)
        elif status in (204, 304) or 100 <= status < 200:
            body = b""
        else:
            body = self._read_to_close()
        done = time.monotonic()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Response(status, headers, body, sent, first_byte, done)

    def _fill(self) -> None:
        data = self._sock.recv(1 << 16)
        if not data:
            raise ConnectionError("connection closed by server")
        self._buf += data

    def _read_exact(self, n: int) -> bytes:
        while len(self._buf) < n:
            self._fill()
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def _read_line(self) -> bytes:
        while (end := self._buf.find(b"\r\n")) < 0:
            if len(self._buf) > MAX_HEADER_BYTES:
                raise HTTPError("chunk header too long")
            self._fill()
        line = bytes(self._buf[:end])
        del self._buf[:end + 2]
        return line

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            size = int(self._read_line().split(b";", 1)[0], 16)
            if size == 0:
                while self._read_line():  # trailers end with an empty line
                    pass
                return bytes(body)
            if len(body) + size > MAX_BODY_BYTES:
                raise HTTPError("chunked body too large")
            body += self._read_exact(size)
            self._read_line()

    def _read_to_close(self) -> bytes:
        try:
            while True:
                if len(self._buf) > MAX_BODY_BYTES:
                    raise HTTPError("body too large")
                self._fill()
        except ConnectionError:
            pass
        out = bytes(self._buf)
        self.close()
        return out


def wait_until_ready(port: int, proc, timeout: float, log_tail) -> None:
    """Polls GET /readyz on 127.0.0.1:`port` until it answers 200. Raises with `log_tail()` if
    `proc` exits first, or TimeoutError after `timeout` seconds."""
    import time
    conn = Connection("127.0.0.1", port, timeout=2)
    deadline = time.monotonic() + timeout
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"antenne exited with {proc.returncode}:\n{log_tail()}")
            try:
                if conn.get("/readyz").status == 200:
                    return
            except OSError:
                conn.close()
            if time.monotonic() > deadline:
                raise TimeoutError(f"antenne /readyz not 200 after {timeout:.0f} s")
            time.sleep(0.05)
    finally:
        conn.close()
