"""Officer accounts: argon2id password hashes, managed by administrators, every change audited.

Signing in (wrong-password counting and lockout) lives in `app.login`.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from app import audit, clock
from app.errors import CounterError, FieldProblem, NotFound, ValidationFailed
from app.permissions import Actor, Permission
from app.textfold import clean_text
from models.enums import Role
from models.tables import User

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_USERNAME = re.compile(r"^[a-z0-9._-]{3,32}$")
MIN_PASSWORD_LENGTH = 6


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def spend_a_check(password: str) -> None:
    """As long as a real check, so that timing does not reveal which usernames exist."""
    password_matches(_dummy_hash(), password)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not-a-real-password")


def password_problem(password: str, field: str = "password") -> FieldProblem | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return FieldProblem(field, f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    return None


def validate_new_user(username: str, full_name: str, password: str) -> list[FieldProblem]:
    problems = []
    if not _USERNAME.match(username):
        problems.append(FieldProblem(
            "username", "Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang."))
    if not clean_text(full_name):
        problems.append(FieldProblem("full_name", "Vui lòng nhập họ và tên cán bộ."))
    problem = password_problem(password)
    if problem:
        problems.append(problem)
    return problems


def create_user(session: Session, actor: Actor, username: str, full_name: str, password: str,
                role: Role) -> User:
    actor.require(Permission.MANAGE_USERS)
    username = username.strip().lower()
    problems = validate_new_user(username, full_name, password)
    if session.exec(select(User).where(User.username == username)).first():
        problems.append(FieldProblem("username", f"Tên đăng nhập '{username}' đã có người dùng."))
    if problems:
        raise ValidationFailed(problems)
    now = clock.now()
    user = User(username=username, full_name=clean_text(full_name), password_hash=hash_password(password),
                role=role.value, created_at=now, password_changed_at=now)
    session.add(user)
    session.flush()
    audit.record(session, actor.username, "user.create", "user", username,
                 {"role": role.value, "full_name": user.full_name})
    return user


def actor_for(user: User) -> Actor:
    assert user.id is not None
    return Actor(user_id=user.id, username=user.username, full_name=user.full_name, role=Role(user.role))


def find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username.strip().lower())).first()


def first_admin(session: Session) -> User | None:
    return session.exec(
        select(User).where(User.role == Role.ADMIN.value, User.active == True).order_by(User.id)
    ).first()


def _existing(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"Không có tài khoản '{username.strip().lower()}'.")
    return user


@dataclass(frozen=True)
class UserSummary:
    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: datetime | None  # only while the lock lasts
    must_change_password: bool
    created_at: datetime
    password_changed_at: datetime | None

    @property
    def status_label(self) -> str:
        if not self.active:
            return "Đã vô hiệu hóa"
        if self.locked_until is not None:
            return "Tạm khóa (nhập sai mật khẩu)"
        if self.must_change_password:
            return "Chờ đổi mật khẩu"
        return "Đang hoạt động"


def list_users(session: Session, actor: Actor) -> list[UserSummary]:
    actor.require(Permission.MANAGE_USERS)
    now = clock.now()
    users = session.exec(select(User).order_by(col(User.username))).all()
    return [UserSummary(
        username=u.username, full_name=u.full_name, role=Role(u.role), active=u.active,
        locked_until=u.locked_until if u.locked_until is not None and u.locked_until > now else None,
        must_change_password=u.must_change_password, created_at=u.created_at,
        password_changed_at=u.password_changed_at) for u in users]


def _active_admins(session: Session) -> int:
    return len(session.exec(select(User.id).where(User.role == Role.ADMIN.value, User.active == True)).all())


def set_active(session: Session, actor: Actor, username: str, active: bool) -> User:
    """Disable (nghỉ việc, chuyển công tác) or enable an account; history keeps the username."""
    actor.require(Permission.MANAGE_USERS)
    user = _existing(session, username)
    if user.active == active:
        state = "đang hoạt động" if active else "đã bị vô hiệu hóa"
        raise CounterError(f"Tài khoản '{user.username}' {state} rồi.")
    if not active:
        if user.id == actor.user_id or user.username == actor.username:
            raise CounterError("Không thể tự vô hiệu hóa tài khoản của chính mình.")
        if user.role == Role.ADMIN.value and _active_admins(session) <= 1:
            raise CounterError(f"Không thể vô hiệu hóa '{user.username}': đây là quản trị viên cuối cùng "
                               "còn hoạt động, quầy sẽ không còn ai quản lý tài khoản.")
    user.active = active
    if active:
        # A re-enabled account starts with a clean slate rather than an old lockout.
        user.failed_attempts = 0
        user.locked_until = None
    session.add(user)
    audit.record(session, actor.username, "user.enable" if active else "user.disable", "user", user.username)
    return user


def reset_password(session: Session, actor: Actor, username: str, new_password: str) -> User:
    """An administrator sets a temporary password; the officer must choose their own at the next sign-in."""
    actor.require(Permission.MANAGE_USERS)
    user = _existing(session, username)
    problem = password_problem(new_password)
    if problem:
        raise ValidationFailed([problem])
    user.password_hash = hash_password(new_password)
    user.must_change_password = True
    user.failed_attempts = 0
    user.locked_until = None
    user.password_changed_at = clock.now()
    session.add(user)
    audit.record(session, actor.username, "user.reset_password", "user", user.username)
    return user


def change_own_password(session: Session, actor: Actor, old_password: str, new_password: str) -> None:
    """The signed-in officer replaces their password; the current one proves it is them."""
    user = _existing(session, actor.username)
    if not password_matches(user.password_hash, old_password):
        raise ValidationFailed([FieldProblem("old_password", "Mật khẩu hiện tại không đúng.")])
    problem = password_problem(new_password, "new_password")
    if problem:
        raise ValidationFailed([problem])
    if new_password == old_password:
        raise ValidationFailed([FieldProblem("new_password", "Mật khẩu mới phải khác mật khẩu hiện tại.")])
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.password_changed_at = clock.now()
    session.add(user)
    audit.record(session, actor.username, "user.change_password", "user", user.username)
