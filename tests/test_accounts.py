"""Accounts: sign-in lockout, password changes and resets, disabling, all audited."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import col, select

from app.db import Store
from app.errors import CounterError, PermissionDenied, ValidationFailed
from app.login import LOCKOUT, MAX_FAILED_ATTEMPTS, AccountLocked, authenticate, sign_in
from app.permissions import Actor
from app.profile import SAMPLE_SETUP
from app.users import (
    actor_for,
    change_own_password,
    create_user,
    find_user,
    list_users,
    reset_password,
    set_active,
)
from app.worktime import AGENCY_TZ
from models.enums import Role
from models.tables import AuditEntry, User

START = datetime(2026, 11, 23, 8, 0, tzinfo=AGENCY_TZ)  # Monday morning
ADMIN_PASSWORD = SAMPLE_SETUP.admin_password


def audit_rows(store: Store, after: int = 0) -> list[AuditEntry]:
    with store.read() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.mono > after).order_by(col(AuditEntry.mono))))


def last_mono(store: Store) -> int:
    rows = audit_rows(store)
    return rows[-1].mono if rows else 0


def make_user(store: Store, admin: Actor, username: str = "canbo1", role: Role = Role.OFFICER,
              password: str = "matkhau1") -> Actor:
    with store.write() as session:
        return actor_for(create_user(session, admin, username, "Trần Văn Bình", password, role))


def user_row(store: Store, username: str) -> User:
    with store.read() as session:
        user = find_user(session, username)
        assert user is not None
        return user


def test_login_is_audited_without_the_password(store: Store, set_now) -> None:  # type: ignore[no-untyped-def]
    set_now(START)
    before = last_mono(store)
    actor = authenticate(store, "QuanTri ", ADMIN_PASSWORD)
    assert actor.username == "quantri"
    with pytest.raises(CounterError, match="không đúng"):
        authenticate(store, "quantri", "sai-mat-khau")
    with pytest.raises(CounterError, match="không đúng"):
        authenticate(store, "khongco", "bi-mat-123")
    rows = audit_rows(store, before)
    assert [(r.action, r.entity_id, r.details.get("reason")) for r in rows] == [
        ("user.login", "quantri", None),
        ("user.login_failed", "quantri", "wrong_password"),
        ("user.login_failed", "khongco", "unknown_user"),
    ]
    for row in rows:
        text = repr((row.actor, row.entity_id, row.details))
        assert ADMIN_PASSWORD not in text and "sai-mat-khau" not in text and "bi-mat-123" not in text


def test_lockout_at_exactly_five_wrong_passwords_then_unlock_after_fifteen_minutes(
        store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    make_user(store, admin)
    set_now(START)
    before = last_mono(store)
    for attempt in range(1, MAX_FAILED_ATTEMPTS):
        with pytest.raises(CounterError) as refused:
            authenticate(store, "canbo1", f"sai-{attempt}")
        assert not isinstance(refused.value, AccountLocked)
        assert user_row(store, "canbo1").failed_attempts == attempt
    # The fourth wrong attempt did not lock: the right password still works and resets the count.
    assert authenticate(store, "canbo1", "matkhau1").username == "canbo1"
    assert user_row(store, "canbo1").failed_attempts == 0

    for attempt in range(1, MAX_FAILED_ATTEMPTS + 1):
        set_now(START + timedelta(minutes=1, seconds=attempt))
        with pytest.raises(CounterError) as refused:
            authenticate(store, "canbo1", "sai")
    assert isinstance(refused.value, AccountLocked)  # the fifth
    locked_at = START + timedelta(minutes=1, seconds=MAX_FAILED_ATTEMPTS)
    assert user_row(store, "canbo1").locked_until == locked_at + LOCKOUT
    # The message says until when, in agency time.
    assert "08 giờ 16 phút, ngày 23/11/2026" in str(refused.value)
    assert "tạm khóa" in str(refused.value)

    # Locked: even the right password is refused, and so it stays until the quarter hour is over.
    set_now(locked_at + LOCKOUT - timedelta(seconds=1))
    with pytest.raises(AccountLocked):
        authenticate(store, "canbo1", "matkhau1")
    set_now(locked_at + LOCKOUT + timedelta(seconds=1))
    assert authenticate(store, "canbo1", "matkhau1").username == "canbo1"
    after = user_row(store, "canbo1")
    assert after.failed_attempts == 0 and after.locked_until is None

    actions = [(r.action, r.details.get("reason")) for r in audit_rows(store, before)]
    assert actions.count(("user.login_failed", "wrong_password")) == 2 * MAX_FAILED_ATTEMPTS - 1
    assert actions.count(("user.lockout", None)) == 1
    assert ("user.login_failed", "locked") in actions
    assert actions[-1] == ("user.login", None)
    lockout = next(r for r in audit_rows(store, before) if r.action == "user.lockout")
    assert lockout.entity_id == "canbo1"
    assert datetime.fromisoformat(lockout.details["until"]) == locked_at + LOCKOUT


def test_a_success_in_between_resets_the_count(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    make_user(store, admin)
    set_now(START)
    for _ in range(3):
        with pytest.raises(CounterError):
            authenticate(store, "canbo1", "sai")
    authenticate(store, "canbo1", "matkhau1")
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(CounterError) as refused:
            authenticate(store, "canbo1", "sai")
        assert not isinstance(refused.value, AccountLocked)
    assert user_row(store, "canbo1").locked_until is None


def test_reset_password_forces_a_change_and_unlocks(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    officer = make_user(store, admin)
    set_now(START)
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(CounterError):
            authenticate(store, "canbo1", "sai")
    before = last_mono(store)
    with store.write() as session:
        reset_password(session, admin, "canbo1", "tam-thoi-1")
    row = user_row(store, "canbo1")
    assert row.must_change_password and row.locked_until is None and row.failed_attempts == 0
    with pytest.raises(CounterError):
        authenticate(store, "canbo1", "matkhau1")  # the old password is gone
    signed = sign_in(store, "canbo1", "tam-thoi-1")
    assert signed.must_change_password and signed.actor == officer

    with pytest.raises(ValidationFailed) as same, store.write() as session:
        change_own_password(session, officer, "tam-thoi-1", "tam-thoi-1")
    assert same.value.for_field("new_password") == "Mật khẩu mới phải khác mật khẩu hiện tại."
    with pytest.raises(ValidationFailed) as short, store.write() as session:
        change_own_password(session, officer, "tam-thoi-1", "ngan")
    assert "ít nhất 6 ký tự" in str(short.value)
    with pytest.raises(ValidationFailed) as wrong_old, store.write() as session:
        change_own_password(session, officer, "khong-phai", "mat-khau-moi")
    assert wrong_old.value.for_field("old_password") == "Mật khẩu hiện tại không đúng."
    assert user_row(store, "canbo1").must_change_password  # nothing changed yet

    set_now(START + timedelta(minutes=5))
    with store.write() as session:
        change_own_password(session, officer, "tam-thoi-1", "mat-khau-moi")
    row = user_row(store, "canbo1")
    assert not row.must_change_password
    assert row.password_changed_at == (START + timedelta(minutes=5)).astimezone(row.password_changed_at.tzinfo)
    assert not sign_in(store, "canbo1", "mat-khau-moi").must_change_password
    actions = [(r.actor, r.action, r.entity_id) for r in audit_rows(store, before)]
    assert ("quantri", "user.reset_password", "canbo1") in actions
    assert ("canbo1", "user.change_password", "canbo1") in actions


def test_disable_and_enable(store: Store, admin: Actor) -> None:
    make_user(store, admin)
    with store.write() as session:
        set_active(session, admin, "canbo1", False)
    with pytest.raises(CounterError, match="vô hiệu hóa"):
        authenticate(store, "canbo1", "matkhau1")
    with pytest.raises(CounterError, match="đã bị vô hiệu hóa rồi"), store.write() as session:
        set_active(session, admin, "canbo1", False)
    with store.write() as session:
        set_active(session, admin, "canbo1", True)
    assert authenticate(store, "canbo1", "matkhau1").username == "canbo1"
    actions = [r.action for r in audit_rows(store) if r.entity_id == "canbo1"]
    assert "user.disable" in actions and "user.enable" in actions


def test_admin_cannot_disable_themself_or_the_last_admin(store: Store, admin: Actor) -> None:
    before = last_mono(store)
    with pytest.raises(CounterError, match="chính mình"), store.write() as session:
        set_active(session, admin, "quantri", False)
    second = make_user(store, admin, "quantri2", Role.ADMIN)
    # With a second admin active, the first may be disabled...
    with store.write() as session:
        set_active(session, second, "quantri", False)
    # ...but then quantri2 is the last active admin; nobody may disable it (here through the
    # first admin's still-open session, which is exactly the case the rule is for).
    with pytest.raises(CounterError, match="quản trị viên cuối cùng"), store.write() as session:
        set_active(session, admin, "quantri2", False)
    assert {u.username: u.active for u in list_users_as(store, second)} == {"quantri": False, "quantri2": True}
    assert [r.action for r in audit_rows(store, before)] == ["user.create", "user.disable"]


def list_users_as(store: Store, actor: Actor):  # type: ignore[no-untyped-def]
    with store.read() as session:
        return list_users(session, actor)


def test_only_admins_manage_users(store: Store, admin: Actor) -> None:
    supervisor = make_user(store, admin, "giamsat", Role.SUPERVISOR)
    before = last_mono(store)
    with pytest.raises(PermissionDenied, match="không có quyền quản lý tài khoản"), store.write() as session:
        create_user(session, supervisor, "canbo9", "Lê Thị Hoa", "matkhau9", Role.OFFICER)
    with pytest.raises(PermissionDenied), store.write() as session:
        reset_password(session, supervisor, "quantri", "chiem-quyen")
    with pytest.raises(PermissionDenied):
        list_users_as(store, supervisor)
    assert audit_rows(store, before) == []
    assert authenticate(store, "quantri", ADMIN_PASSWORD)


def test_lockout_counts_attempts_from_two_places_at_once(store: Store, admin: Actor, set_now) -> None:  # type: ignore[no-untyped-def]
    """Attempts are counted inside the write transaction, so concurrent ones are not lost."""
    from concurrent.futures import ThreadPoolExecutor

    make_user(store, admin)
    set_now(START)

    def attempt(_: int) -> str:
        try:
            authenticate(store, "canbo1", "sai")
        except AccountLocked:
            return "locked"
        except CounterError:
            return "wrong"
        return "ok"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(MAX_FAILED_ATTEMPTS)))
    assert outcomes.count("wrong") == MAX_FAILED_ATTEMPTS - 1 and outcomes.count("locked") == 1
    assert user_row(store, "canbo1").locked_until is not None
