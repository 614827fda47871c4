"""Where the counter keeps its files: one data directory, portable across OSes."""

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "QuayMotCua"
DATA_DIR_ENV = "MOTCUA_DATA_DIR"
DATABASE_FILENAME = "motcua.sqlite3"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir wins, then MOTCUA_DATA_DIR, then the per-user data folder."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return user_data_path(APP_NAME, appauthor=False)


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_FILENAME


def backup_dir(data_dir: Path) -> Path:
    return data_dir / "backups"
