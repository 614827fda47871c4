"""Power-cut suite: kill a working counter with SIGKILL at random moments, then check it.

    python -m tests.reliability.powercut --kills 500 --seed 7 [--data-dir DIR] [--max-delay 1.5]

Each round starts `tests.reliability.driver` on the same data directory,
lets it receive dossiers, carry out steps and take payments, and kills it
(SIGKILL, no chance to clean up) at a seeded random moment: mostly while it
works, sometimes while it is still opening the database. After every kill
the checker (`tests.reliability.checker`) must find the database intact and
every reported success on disk. Exit status 0 only when every kill was
survived.

A SIGKILL loses what the process had not handed to the kernel; a real power
cut also loses what the kernel had not written to the disk. With
`synchronous=FULL` SQLite fsyncs the WAL on every commit, so the two differ
only if the disk lies about its cache; the suite proves the first and the
pragma covers the second.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability.checker import PortalView, Reported, check_store

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Outcome:
    kills: int = 0
    survived: int = 0
    killed_during_startup: int = 0
    reported: Reported = field(default_factory=Reported)
    # Changes on disk that the killed process never reported: kills that fell between commit and print.
    unreported_commits: int = 0
    failures: list[tuple[int, list[str]]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        r = self.reported
        return (f"{self.survived}/{self.kills} kills survived ({self.killed_during_startup} while opening); "
                f"reported successes checked: {len(r.dossiers)} intakes, {len(r.events)} steps, "
                f"{len(r.payments)} payments; {self.unreported_commits} committed but unreported; "
                f"{self.seconds:.0f} s")


def initialise(data_dir: Path) -> None:
    from app.bootstrap import initialise_counter, open_store
    from app.profile import SAMPLE_SETUP

    store = open_store(data_dir)
    try:
        initialise_counter(store, SAMPLE_SETUP)
    finally:
        store.dispose()


def _start(data_dir: Path, seed: int, round_number: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.driver", str(data_dir), "--seed", str(seed),
         "--round", str(round_number)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def one_round(data_dir: Path, seed: int, round_number: int, rng: random.Random, max_delay: float,
              reported: Reported) -> tuple[bool, str]:
    """Run and kill the driver once; returns (killed while still opening, stderr if it died on its own)."""
    child = _start(data_dir, seed, round_number)
    ready = threading.Event()
    lines: list[str] = []

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            # Only whole lines count: a line cut by the kill was never fully reported.
            if not line.endswith("\n"):
                break
            if line == "ready\n":
                ready.set()
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    during_startup = rng.random() < 0.1
    if during_startup:
        time.sleep(rng.uniform(0.0, 0.6))
    else:
        ready.wait(60)
        time.sleep(rng.uniform(0.0, max_delay))
    died_early = child.poll() is not None
    if not died_early:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    reader.join(10)
    stderr = child.stderr.read() if child.stderr else ""
    for line in lines:
        reported.add_line(line)
    return during_startup and not ready.is_set(), stderr if died_early else ""


def run(kills: int, seed: int, data_dir: Path, max_delay: float = 1.0, portal: PortalView | None = None,
        progress: bool = False) -> Outcome:
    outcome = Outcome()
    started = time.monotonic()
    initialise(data_dir)
    rng = random.Random(seed)
    for round_number in range(kills):
        in_startup, crashed = one_round(data_dir, seed, round_number, rng, max_delay, outcome.reported)
        outcome.kills += 1
        outcome.killed_during_startup += in_startup
        problems = check_store(data_dir, outcome.reported, portal)
        if crashed:
            problems.append(f"the driver died on its own: {crashed[-2000:]}")
        if problems:
            outcome.failures.append((round_number, problems))
        else:
            outcome.survived += 1
        if progress and (round_number + 1) % 25 == 0:
            print(f"  {round_number + 1} kills: {outcome.survived} survived, "
                  f"{outcome.reported.total} successes on record", file=sys.stderr, flush=True)
    outcome.seconds = time.monotonic() - started
    with sqlite3.connect(data_dir / "motcua.sqlite3") as conn:
        on_disk = conn.execute("SELECT count(*) FROM outbox WHERE kind LIKE 'dossier.%' OR kind LIKE 'fee.%'"
                               ).fetchone()[0]
    outcome.unreported_commits = on_disk - outcome.reported.total
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=1.0, help="seconds of work before a kill, at most")
    parser.add_argument("--data-dir", type=Path, help="keep the database here (default: a temporary directory)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="motcua-powercut-") as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        outcome = run(args.kills, args.seed, data_dir, args.max_delay, progress=True)
    print(outcome.summary())
    for round_number, problems in outcome.failures[:20]:
        print(f"round {round_number}:", *problems, sep="\n  ")
    return 0 if outcome.survived == outcome.kills else 1


if __name__ == "__main__":
    sys.exit(main())
