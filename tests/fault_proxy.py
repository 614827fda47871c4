"""A fault-injecting HTTP proxy on 127.0.0.1, driven by a seeded schedule.

Each TCP connection from the counter gets one fate from the schedule, chosen
by `random.Random(seed)` so a failing run can be replayed exactly. The
proxy handles one request per connection (it rewrites `Connection` to
`close` both ways), forwards it to the real portal when the fate needs the
portal's answer, and then delivers, damages or withholds that answer.

Fates:
  pass         forward and relay faithfully
  reset        accept, then reset the connection before reading anything
  timeout      read the request, never answer (hold until the client gives up)
  error500     answer 500 without forwarding (the portal never saw it)
  stored500    forward (the portal stores the batch), then answer 500 instead of the acknowledgement
  cut          forward, then relay only part of the answer and close (truncated body)
  slow         forward, then relay the answer in small pieces with pauses
  html200      answer 200 text/html like a captive portal's login page, without forwarding
  badjson      forward, then answer 200 application/json with a malformed body
"""

import random
import socket
import socketserver
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

FATES = ("reset", "timeout", "error500", "stored500", "cut", "slow", "html200", "badjson")


def _read_request(sock: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n" + body


def _response(status: str, content_type: str, body: bytes) -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode() + body


@dataclass
class Schedule:
    """Fates for the first `faulty` connections (each a fault with probability `rate`), then `pass`."""

    seed: int
    faulty: int
    rate: float = 0.7
    fates: Sequence[str] = FATES
    plan: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        self.plan = [rng.choice(list(self.fates)) if rng.random() < self.rate else "pass"
                     for _ in range(self.faulty)]

    def fate(self, number: int) -> str:
        return self.plan[number] if number < len(self.plan) else "pass"


class FaultProxy:
    def __init__(self, upstream_port: int, schedule: Schedule, hold_seconds: float = 3.0):
        self.upstream = ("127.0.0.1", upstream_port)
        self.schedule = schedule
        self.hold_seconds = hold_seconds
        self.log: list[str] = []
        self._lock = threading.Lock()
        self._count = 0
        self._closing = threading.Event()
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._handle(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FaultProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self.server.shutdown()
        self.server.server_close()

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=30) as up:
            up.sendall(request)
            chunks = []
            while chunk := up.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def _handle(self, sock: socket.socket) -> None:
        with self._lock:
            number = self._count
            self._count += 1
        fate = self.schedule.fate(number)
        self.log.append(fate)
        try:
            if fate == "reset":
                # SO_LINGER 0: close sends RST, what a dropped mobile link or a firewall looks like.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                return
            request = _read_request(sock)
            if request is None:
                return
            if fate == "timeout":
                self._closing.wait(self.hold_seconds)
                return
            if fate == "error500":
                sock.sendall(_response("500 Internal Server Error", "text/plain", b"Internal Server Error"))
                return
            if fate == "html200":
                sock.sendall(_response("200 OK", "text/html; charset=utf-8",
                                       b"<html><body><h1>Dang nhap Wi-Fi</h1><form>...</form></body></html>"))
                return
            answer = self._forward(request)
            if fate == "stored500":
                sock.sendall(_response("500 Internal Server Error", "text/plain", b"upstream gone"))
            elif fate == "cut":
                sock.sendall(answer[: max(1, len(answer) * 2 // 3)])
            elif fate == "badjson":
                sock.sendall(_response("200 OK", "application/json", b'{"protocol": 1, "batch_id": "x", "res'))
            elif fate == "slow":
                for start in range(0, len(answer), 512):
                    sock.sendall(answer[start:start + 512])
                    time.sleep(0.02)
            else:
                sock.sendall(answer)
        except OSError:
            pass  # the client gave up first: that is the point of several fates
