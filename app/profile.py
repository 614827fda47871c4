"""The counter's identity: which agency, which counter, who administers it."""

import re
import uuid
from dataclasses import dataclass

from sqlmodel import Session

from app import audit, clock
from app.errors import FieldProblem, NotInitialised, ValidationFailed
from app.permissions import SYSTEM, Actor
from app.textfold import clean_text
from app.users import actor_for, create_user, validate_new_user
from models.enums import AgencyLevel, Role
from models.tables import CounterProfile

# QCVN 102:2016/BTTTT agency identifiers: "000.00.27.H41", "H15.50.05.13" (at most 13 characters).
AGENCY_CODE = re.compile(r"^[A-Z0-9]{3}\.[A-Z0-9]{2}\.[A-Z0-9]{2}\.[A-Z0-9]{2,3}$")
MAX_OFFLINE_COUNTERS = 10


@dataclass
class CounterSetup:
    agency_code: str
    agency_name: str
    parent_name: str
    level: AgencyLevel
    counter_number: int
    admin_username: str
    admin_full_name: str
    admin_password: str
    agency_address: str = ""


# What the first-start dialog is pre-filled with, so a newcomer can click straight through.
SAMPLE_SETUP = CounterSetup(
    agency_code="H15.50.05.13",
    agency_name="Ủy ban nhân dân xã Tân Lập",
    parent_name="Ủy ban nhân dân tỉnh Lào Cai",
    level=AgencyLevel.COMMUNE,
    counter_number=1,
    admin_username="quantri",
    admin_full_name="Nguyễn Thị Mai",
    admin_password="motcua2026",
    agency_address="Trụ sở UBND xã Tân Lập, tỉnh Lào Cai",
)


def code_slot_for(counter_number: int) -> int:
    """Counter N issues dossier numbers (N-1)001 … (N-1)999 each day; see README, "Mã hồ sơ"."""
    return counter_number - 1


def validate_setup(setup: CounterSetup) -> list[FieldProblem]:
    problems = []
    if not AGENCY_CODE.match(setup.agency_code.strip().upper()):
        problems.append(FieldProblem(
            "agency_code", "Mã định danh cơ quan không hợp lệ (theo QCVN 102:2016, ví dụ 000.00.27.H41 hoặc H15.50.05.13)."))
    if not clean_text(setup.agency_name):
        problems.append(FieldProblem("agency_name", "Vui lòng nhập tên cơ quan."))
    if not clean_text(setup.parent_name):
        problems.append(FieldProblem("parent_name", "Vui lòng nhập tên cơ quan cấp trên (dòng đầu tiêu đề mẫu in)."))
    if not 1 <= setup.counter_number <= MAX_OFFLINE_COUNTERS:
        problems.append(FieldProblem(
            "counter_number", f"Số quầy phải từ 1 đến {MAX_OFFLINE_COUNTERS} (mỗi quầy có dải số hồ sơ riêng)."))
    problems += [FieldProblem(f"admin_{p.field}", p.message)
                 for p in validate_new_user(setup.admin_username.strip().lower(), setup.admin_full_name,
                                            setup.admin_password)]
    return problems


def load_profile(session: Session) -> CounterProfile:
    profile = session.get(CounterProfile, 1)
    if profile is None:
        raise NotInitialised()
    return profile


def is_initialised(session: Session) -> bool:
    return session.get(CounterProfile, 1) is not None


def initialise(session: Session, setup: CounterSetup) -> Actor:
    """Write the profile and the first administrator. Call inside one write transaction."""
    problems = validate_setup(setup)
    if is_initialised(session):
        problems.append(FieldProblem("agency_code", "Quầy này đã được thiết lập trước đó."))
    if problems:
        raise ValidationFailed(problems)
    profile = CounterProfile(
        agency_code=setup.agency_code.strip().upper(), agency_name=clean_text(setup.agency_name),
        parent_name=clean_text(setup.parent_name), level=setup.level.value,
        counter_number=setup.counter_number, code_slot=code_slot_for(setup.counter_number),
        agency_address=clean_text(setup.agency_address), device_id=str(uuid.uuid4()), created_at=clock.now(),
    )
    session.add(profile)
    audit.record(session, SYSTEM.username, "counter.init", "counter_profile", profile.agency_code,
                 {"counter": profile.counter_number, "level": profile.level})
    admin = create_user(session, SYSTEM, setup.admin_username, setup.admin_full_name, setup.admin_password,
                        Role.ADMIN)
    return actor_for(admin)
