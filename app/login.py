"""Signing in, checked offline: wrong passwords are counted and lock the account for a while.

Every attempt leaves an audit row (the username typed, never the password). The
argon2 check runs outside the write transaction so that the counter's write lock
is held only for the short bookkeeping afterwards; the count is re-read inside
that transaction, so attempts from two windows at once are all counted.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from app import audit, clock
from app.db import Store
from app.errors import CounterError
from app.permissions import Actor
from app.users import actor_for, find_user, password_matches, spend_a_check
from app.worktime import format_vn_moment
from models.tables import User

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


class AccountLocked(CounterError):
    pass


@dataclass(frozen=True)
class SignIn:
    actor: Actor
    # Set after an administrator's reset: the officer chooses a new password before working.
    must_change_password: bool


def locked_message(user: User) -> str:
    assert user.locked_until is not None
    return (f"Tài khoản '{user.username}' đang tạm khóa vì nhập sai mật khẩu {MAX_FAILED_ATTEMPTS} lần liên tiếp, "
            f"đến {format_vn_moment(user.locked_until)}. Hãy thử lại sau thời điểm đó "
            "hoặc nhờ quản trị viên đặt lại mật khẩu.")


def _is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > clock.now()


def sign_in(store: Store, username: str, password: str, via: str = "login") -> SignIn:
    """Check a password and record the attempt. Raises CounterError with a message safe to show.

    `via` says where the attempt came from (login window, screen unlock, command line) in the audit row.
    """
    typed = username.strip().lower()
    with store.read() as session:
        user = find_user(session, typed)
        locked = user is not None and _is_locked(user)
        password_hash = user.password_hash if user is not None else None
    if locked:
        matched = False  # no check while locked: the lock message is the answer either way
    elif password_hash is None:
        spend_a_check(password)
        matched = False
    else:
        matched = password_matches(password_hash, password)

    with store.write() as session:
        outcome = _record_attempt(session, typed, matched, via)
    if isinstance(outcome, CounterError):
        raise outcome
    return outcome


def authenticate(store: Store, username: str, password: str, via: str = "login") -> Actor:
    return sign_in(store, username, password, via).actor


def _record_attempt(session: Session, typed: str, matched: bool, via: str) -> SignIn | CounterError:
    """The bookkeeping of one attempt; returns the error instead of raising so that it is committed."""
    details = {"via": via}
    user = find_user(session, typed)
    if user is None:
        audit.record(session, typed, "user.login_failed", "user", typed, {**details, "reason": "unknown_user"})
        return CounterError(WRONG)
    if _is_locked(user):
        audit.record(session, typed, "user.login_failed", "user", typed, {**details, "reason": "locked"})
        return AccountLocked(locked_message(user))
    if not matched:
        user.failed_attempts += 1
        session.add(user)
        audit.record(session, typed, "user.login_failed", "user", typed,
                     {**details, "reason": "wrong_password", "attempt": user.failed_attempts})
        if user.failed_attempts < MAX_FAILED_ATTEMPTS:
            # Same words as for an unknown username: the answer does not reveal which accounts exist.
            return CounterError(WRONG)
        user.locked_until = clock.now() + LOCKOUT
        # The next period starts afresh once the lock has run out.
        user.failed_attempts = 0
        audit.record(session, "system", "user.lockout", "user", typed,
                     {"until": user.locked_until.isoformat(), "attempts": MAX_FAILED_ATTEMPTS})
        return AccountLocked(locked_message(user))
    if not user.active:
        audit.record(session, typed, "user.login_failed", "user", typed, {**details, "reason": "disabled"})
        return CounterError(f"Tài khoản '{user.username}' đã bị vô hiệu hóa. Liên hệ quản trị viên.")
    user.failed_attempts = 0
    user.locked_until = None
    session.add(user)
    audit.record(session, user.username, "user.login", "user", user.username, details)
    return SignIn(actor_for(user), user.must_change_password)
