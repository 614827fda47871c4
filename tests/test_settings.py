"""Settings: typed, validated before they are stored, changed by administrators only, audited."""

import pytest

from app import settings
from app.db import Store
from app.errors import CounterError, PermissionDenied
from app.permissions import Actor
from app.users import actor_for, create_user
from models.enums import Role


def test_defaults_and_change(store: Store, admin: Actor) -> None:
    with store.read() as session:
        assert settings.PAPER_SIZE.get(session) == "A4"
    with store.write() as session:
        assert settings.change(session, admin, "receipt.paper_size", "A5") == "A5"
        assert settings.change(session, admin, "receipt.copies", "1") == 1
    with store.read() as session:
        assert (settings.PAPER_SIZE.get(session), settings.RECEIPT_COPIES.get(session)) == ("A5", 1)


@pytest.mark.parametrize(("key", "value"), [("receipt.copies", "3"), ("receipt.copies", "hai"),
                                            ("calendar.office_hours", "7-11"), ("calendar.hours_per_day", "30"),
                                            ("khong.co", "1")])
def test_bad_values_are_refused_and_nothing_changes(store: Store, admin: Actor, key: str, value: str) -> None:
    with pytest.raises(CounterError), store.write() as session:
        settings.change(session, admin, key, value)
    with store.read() as session:
        assert settings.RECEIPT_COPIES.get(session) == 2
        assert settings.OFFICE_HOURS.get(session) == "07:00-11:30,13:30-17:00"


def test_only_administrators_change_settings(store: Store, admin: Actor) -> None:
    with store.write() as session:
        officer = actor_for(create_user(session, admin, "canbo1", "Trần Văn Bình", "matkhau1", Role.OFFICER))
    with pytest.raises(PermissionDenied), store.write() as session:
        settings.change(session, officer, "receipt.copies", "1")
