"""Data files shipped with the application: fonts, the sample catalog, icons.

A package (rather than a bare folder) so that the files travel inside a wheel
and are found the same way on Windows and Linux.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    return ROOT.joinpath(*parts)
