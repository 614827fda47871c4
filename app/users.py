"""Officer accounts: argon2id password hashes, checked offline."""

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from app import audit, clock
from app.errors import CounterError, FieldProblem, ValidationFailed
from app.permissions import Actor, Permission
from app.textfold import clean_text
from models.enums import Role
from models.tables import User

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_USERNAME = re.compile(r"^[a-z0-9._-]{3,32}$")
MIN_PASSWORD_LENGTH = 6


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def validate_new_user(username: str, full_name: str, password: str) -> list[FieldProblem]:
    problems = []
    if not _USERNAME.match(username):
        problems.append(FieldProblem(
            "username", "Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang."))
    if not clean_text(full_name):
        problems.append(FieldProblem("full_name", "Vui lòng nhập họ và tên cán bộ."))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(FieldProblem("password", f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự."))
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
    user = User(username=username, full_name=clean_text(full_name), password_hash=hash_password(password),
                role=role.value, created_at=clock.now())
    session.add(user)
    session.flush()
    audit.record(session, actor.username, "user.create", "user", username, {"role": role.value})
    return user


def actor_for(user: User) -> Actor:
    assert user.id is not None
    return Actor(user_id=user.id, username=user.username, full_name=user.full_name, role=Role(user.role))


def authenticate(session: Session, username: str, password: str) -> Actor:
    """Check a password offline. Raises CounterError with a message safe to show."""
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    wrong = CounterError("Tên đăng nhập hoặc mật khẩu không đúng.")
    if user is None:
        # Spend the same time as a real check so that timing does not reveal which usernames exist.
        try:
            _hasher.verify(_dummy_hash(), password)
        except VerificationError:
            pass
        raise wrong
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise wrong from None
    if not user.active:
        raise CounterError(f"Tài khoản '{user.username}' đã bị khóa. Liên hệ quản trị viên.")
    return actor_for(user)


def find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username.strip().lower())).first()


def first_admin(session: Session) -> User | None:
    return session.exec(
        select(User).where(User.role == Role.ADMIN.value, User.active == True).order_by(User.id)  # noqa: E712
    ).first()


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not-a-real-password")
