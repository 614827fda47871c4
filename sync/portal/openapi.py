"""Writes docs/sync-openapi.json from the reference portal's FastAPI app.

Run `python -m sync.portal.openapi` after changing the protocol; a test fails
while the committed file differs from what the app describes.
"""

import json
import sys
from pathlib import Path
from typing import Any

OPENAPI_FILE = Path(__file__).resolve().parents[2] / "docs" / "sync-openapi.json"


def openapi_document() -> dict[str, Any]:
    from sync.portal.app import create_app

    document: dict[str, Any] = create_app("sqlite://").openapi()
    return document


def render() -> str:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> int:
    OPENAPI_FILE.write_text(render(), encoding="utf-8")
    print(f"wrote {OPENAPI_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
