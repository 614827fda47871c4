"""Running the `motcua` command line in a child process, as an officer's script would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# The sample administrator (app.profile.SAMPLE_SETUP): commands act as someone, proven by a password.
SAMPLE_ADMIN = ("quantri", "motcua2026")


def motcua(data_dir: Path, *args: str, user: str = SAMPLE_ADMIN[0], password: str | None = SAMPLE_ADMIN[1]
           ) -> subprocess.CompletedProcess[str]:
    """Acts as `user` with `password` (None: no password given, as a script that forgot it)."""
    env = {**os.environ, "MOTCUA_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen", "MOTCUA_USER": user}
    env.pop("MOTCUA_PASSWORD", None)
    if password is not None:
        env["MOTCUA_PASSWORD"] = password
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, check=False)
