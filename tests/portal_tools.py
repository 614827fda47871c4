"""The reference portal as a real server in a child process on 127.0.0.1, for sync tests."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from sync.portal.service import Portal
from sync.portal.store import make_engine
from sync.protocol import PROTOCOL_HEADER

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningPortal:
    url: str
    db_url: str
    process: subprocess.Popen[bytes]
    port: int

    def admin(self) -> Portal:
        """The portal's own service layer on the same database (what `motcua portal admin` uses)."""
        return Portal(make_engine(self.db_url))


def wait_until_up(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"portal exited with {process.returncode}: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            if requests.get(f"{url}/v1/time", headers={PROTOCOL_HEADER: "1"}, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"portal at {url} did not come up")


@contextmanager
def running_portal(db_url: str, port: int | None = None) -> Iterator[RunningPortal]:
    port = port or free_port()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "portal", "serve", "--db", db_url, "--host", "127.0.0.1",
         "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield RunningPortal(url=url, db_url=db_url, process=process, port=port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
