"""One report dataclass → a JSON-ready dict: the same object the PDF and the workbook are made from."""

import dataclasses
from datetime import date, datetime
from typing import Any

from app.worktime import AGENCY_TZ


def jsonable(value: Any) -> Any:
    """Dataclasses to dicts (properties named in a class's JSON_EXTRA too), moments in agency time ISO 8601."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in getattr(value, "JSON_EXTRA", ()):
            out[name] = jsonable(getattr(value, name))
        return out
    if isinstance(value, datetime):
        return value.astimezone(AGENCY_TZ).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value
