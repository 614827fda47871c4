"""A TCP proxy on 127.0.0.1 that paces bytes to a fixed link speed, like a commune's 2G/EDGE link.

Each direction shares one pacer across all connections (the link is one
pipe): a chunk may leave only when the bytes before it have "drained" at
`bytes_per_second`. (No added latency: the pacing alone sets the pace here.)
Bounded by construction: it serves only while the `with` block lasts.
"""

import socket
import socketserver
import threading
import time
from typing import Self


class Pacer:
    def __init__(self, bytes_per_second: float):
        self.rate = bytes_per_second
        self._free_at = 0.0
        self._lock = threading.Lock()

    def wait(self, size: int) -> None:
        with self._lock:
            start = max(time.monotonic(), self._free_at)
            self._free_at = start + size / self.rate
            until = self._free_at
        delay = until - time.monotonic()
        if delay > 0:
            time.sleep(delay)


class ThrottleProxy:
    CHUNK = 512  # small pieces: a large response does not arrive in one burst after a long silence

    def __init__(self, upstream_port: int, bits_per_second: float = 64_000):
        self.upstream_port = upstream_port
        self.up = Pacer(bits_per_second / 8)
        self.down = Pacer(bits_per_second / 8)
        self.bytes_up = 0
        self.bytes_down = 0
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._handle(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _pump(self, source: socket.socket, sink: socket.socket, pacer: Pacer, upward: bool) -> None:
        try:
            while True:
                chunk = source.recv(self.CHUNK)
                if not chunk:
                    break
                pacer.wait(len(chunk))
                sink.sendall(chunk)
                if upward:
                    self.bytes_up += len(chunk)
                else:
                    self.bytes_down += len(chunk)
        except OSError:
            pass
        finally:
            try:
                sink.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def _handle(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        up = threading.Thread(target=self._pump, args=(client, upstream, self.up, True), daemon=True)
        up.start()
        self._pump(upstream, client, self.down, False)
        up.join(timeout=5)
        upstream.close()
        client.close()
