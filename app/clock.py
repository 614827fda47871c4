"""The one place that reads the device clock, so tests and late entry can pin it."""

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
