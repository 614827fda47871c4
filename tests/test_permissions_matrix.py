"""Every use case that takes an actor, for every role: allowed ones succeed, forbidden ones are refused
with PermissionDenied and leave every table exactly as it was.

The cases are those found with `grep -rn '\\.require(' app/ printing/`; a new use case with a permission
check belongs in CASES.
"""

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import main
from app import catalog, fees, settings
from app.bootstrap import SAMPLE_CATALOG
from app.calendar_store import add_override
from app.db import Store
from app.errors import PermissionDenied
from app.intake import IntakeRequest, PersonInput, all_documents, receive
from app.lifecycle import Action, StepRequest, perform
from app.permissions import ROLE_PERMISSIONS, Actor, Permission
from app.printlog import record_print
from app.users import (
    actor_for,
    create_user,
    find_user,
    list_users,
    reset_password,
    set_active,
)
from app.worktime import AGENCY_TZ
from models.enums import DayKind, PaymentKind, Role
from tests.gui_dossiers import MARRIAGE_STATUS, new_dossier

START = datetime(2026, 11, 23, 9, 0, tzinfo=AGENCY_TZ)  # Monday, office hours
CERTIFY_SIGNATURE = "2.000884"  # has a fee


@dataclass
class World:
    """What the administrator prepared before the role under test acts."""

    store: Store
    admin: Actor
    fresh: str  # status 2, nothing paid
    paid: str  # fee paid in full (so a refund is possible)
    late: str  # received two hours ago (a late entry by the administrator)
    tmp: Path


def _request(code: str = MARRIAGE_STATUS, received_at: datetime | None = None) -> IntakeRequest:
    return IntakeRequest(procedure_code=code, owner=PersonInput(full_name="Lê Văn Tám", id_number="015185000321"),
                         accept_missing_required=True, received_at=received_at)


def _write(world: World, fn: Callable[..., object]) -> Callable[[Actor], object]:
    def run(actor: Actor) -> object:
        with world.store.write() as session:
            return fn(session, actor)
    return run


def _read(world: World, fn: Callable[..., object]) -> Callable[[Actor], object]:
    def run(actor: Actor) -> object:
        with world.store.read() as session:
            return fn(session, actor)
    return run


def _cli(world: World, actor: Actor, password: str, *args: str) -> int:
    import os

    os.environ["MOTCUA_USER"], os.environ["MOTCUA_PASSWORD"] = actor.username, password
    return main.main(["--data-dir", str(world.store.data_dir), *args])


CaseFn = Callable[[World], Callable[[Actor], object]]


def _cases() -> dict[str, tuple[Permission, CaseFn]]:
    specs = catalog.read_catalog_file(SAMPLE_CATALOG)[:1]
    return {
        "intake.receive": (Permission.RECEIVE, lambda w: lambda a: receive(w.store, a, _request())),
        "intake.receive late entry": (Permission.LATE_ENTRY, lambda w: lambda a: receive(
            w.store, a, _request(received_at=START - timedelta(hours=1)))),
        "lifecycle.perform": (Permission.PROCESS, lambda w: lambda a: perform(
            w.store, a, w.fresh, StepRequest(Action.FORWARD, processing_body="Công chức Tư pháp - Hộ tịch"))),
        "lifecycle.perform backdated": (Permission.LATE_ENTRY, lambda w: lambda a: perform(
            w.store, a, w.late, StepRequest(Action.FORWARD, at=START - timedelta(hours=1)))),
        "fees.record payment": (Permission.PROCESS, lambda w: lambda a: fees.record(
            w.store, a, w.fresh, fees.PaymentRequest(PaymentKind.PAYMENT, 1000))),
        "fees.record exemption": (Permission.FEE_OVERRIDE, lambda w: lambda a: fees.record(
            w.store, a, w.fresh, fees.PaymentRequest(PaymentKind.EXEMPTION, 1000, note="Hộ nghèo"))),
        "fees.record refund": (Permission.FEE_OVERRIDE, lambda w: lambda a: fees.record(
            w.store, a, w.paid, fees.PaymentRequest(PaymentKind.REFUND, 1000, note="Thu thừa"))),
        "calendar_store.add_override": (Permission.MANAGE_CALENDAR, lambda w: _write(w, lambda s, a: add_override(
            s, a, date(2026, 12, 31), DayKind.HOLIDAY, "Nghỉ bù"))),
        "catalog.apply_catalog": (Permission.MANAGE_CATALOG, lambda w: _write(w, lambda s, a: catalog.apply_catalog(
            s, a, specs, source="mau.json"))),
        "settings.change": (Permission.MANAGE_SETTINGS, lambda w: _write(w, lambda s, a: settings.change(
            s, a, "receipt.paper_size", "A5"))),
        "users.create_user": (Permission.MANAGE_USERS, lambda w: _write(w, lambda s, a: create_user(
            s, a, "moi.tao", "Đỗ Thị Lan", "matkhau9", Role.OFFICER))),
        "users.set_active": (Permission.MANAGE_USERS, lambda w: _write(w, lambda s, a: set_active(
            s, a, "nguoi.khac", False))),
        "users.reset_password": (Permission.MANAGE_USERS, lambda w: _write(w, lambda s, a: reset_password(
            s, a, "nguoi.khac", "tam-thoi-9"))),
        "users.list_users": (Permission.MANAGE_USERS, lambda w: _read(w, list_users)),
        "printlog.record_print": (Permission.PRINT, lambda w: lambda a: record_print(
            w.store, a, w.fresh, "receipt", "máy in")),
        # Command-line handlers that check the permission themselves; they return the exit status.
        "cli print receipt": (Permission.PRINT, lambda w: lambda a: _cli(
            w, a, PASSWORDS[a.role], "print", "receipt", w.fresh, "--out", str(w.tmp / f"{a.role}.pdf"))),
        "cli print register": (Permission.PRINT, lambda w: lambda a: _cli(
            w, a, PASSWORDS[a.role], "print", "register", "--from", "2026-11-01", "--to", "2026-11-30",
            "--out", str(w.tmp / f"so-{a.role}.pdf"))),
        "cli demo seed": (Permission.MANAGE_SETTINGS, lambda w: lambda a: _cli(
            w, a, PASSWORDS[a.role], "demo", "seed", "--dossiers", "3", "--days", "2")),
    }


PASSWORDS = {Role.OFFICER: "matkhau-cb", Role.SUPERVISOR: "matkhau-gs", Role.ADMIN: "motcua2026"}
CASES = _cases()


def table_rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: a refused action must leave all of them as they were."""
    with sqlite3.connect(store.db_path) as conn:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}


@dataclass(frozen=True)
class Template:
    """A counter prepared once per module and copied for each test (preparing it costs seconds)."""

    data_dir: Path
    fresh: str
    paid: str
    late: str


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    from app import clock
    from app.bootstrap import initialise_counter, open_store
    from app.profile import SAMPLE_SETUP

    data_dir = tmp_path_factory.mktemp("matrix") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: START)
        store = open_store(data_dir)
        admin = initialise_counter(store, SAMPLE_SETUP)
        with store.write() as session:
            create_user(session, admin, "nguoi.khac", "Vũ Văn Nam", "matkhau8", Role.OFFICER)
            for role in (Role.OFFICER, Role.SUPERVISOR):
                create_user(session, admin, f"vai.{role.value}", "Trần Văn Bình", PASSWORDS[role], role)
        fresh = receive(store, admin, IntakeRequest(
            procedure_code=CERTIFY_SIGNATURE, owner=PersonInput(full_name="Phạm Thị Duyên", id_number="001190001234"),
            documents=all_documents(catalog_spec(store, CERTIFY_SIGNATURE)))).code
        paid = new_dossier(store, admin, procedure=CERTIFY_SIGNATURE, name="Hà Thị Mai", id_number="001190004321")
        fees.record(store, admin, paid, fees.PaymentRequest(PaymentKind.PAYMENT, 2000))
        late = receive(store, admin, _request(received_at=START - timedelta(hours=2))).code
        store.dispose()  # all connections closed before the directory is copied
    return Template(data_dir, fresh, paid, late)


@pytest.fixture
def world(template: Template, set_now, tmp_path: Path) -> Iterator[World]:  # type: ignore[no-untyped-def]
    from app.bootstrap import open_store

    set_now(START)
    data_dir = tmp_path / "data"
    shutil.copytree(template.data_dir, data_dir)
    store = open_store(data_dir)
    with store.read() as session:
        admin = actor_for(find_user(session, "quantri"))  # type: ignore[arg-type]
    yield World(store, admin, template.fresh, template.paid, template.late, tmp_path)
    store.dispose()


def catalog_spec(store: Store, code: str):  # type: ignore[no-untyped-def]
    with store.read() as session:
        return catalog.get_procedure(session, code)[1]


def actor_with_role(world: World, role: Role) -> Actor:
    with world.store.read() as session:
        user = find_user(session, "quantri" if role is Role.ADMIN else f"vai.{role.value}")
        assert user is not None
        return actor_for(user)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("case", list(CASES))
def test_every_use_case_for_every_role(world: World, role: Role, case: str, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MOTCUA_USER", "")  # _cli sets them; monkeypatch puts them back afterwards
    monkeypatch.setenv("MOTCUA_PASSWORD", "")
    permission, make = CASES[case]
    actor = actor_with_role(world, role)
    action = make(world)
    cli = case.startswith("cli ")
    if permission in ROLE_PERMISSIONS[role]:
        result = action(actor)
        if cli:
            assert result == 0, capsys.readouterr().err
        return
    before = table_rows(world.store)
    if cli:
        assert action(actor) == 1
        error = capsys.readouterr().err
        assert error.startswith("Lỗi: ") and actor.username in error and "không có quyền" in error
    else:
        with pytest.raises(PermissionDenied) as refused:
            action(actor)
        assert actor.username in str(refused.value) and "không có quyền" in str(refused.value)
    after = table_rows(world.store)
    # Signing in on the command line is itself recorded (audit, attempt counter); nothing else changes.
    if cli:
        for name in ("audit_entry", "user_account"):
            before.pop(name, None)
            after.pop(name, None)
    assert after == before


def test_role_ladder() -> None:
    officer, supervisor, admin = (ROLE_PERMISSIONS[r] for r in (Role.OFFICER, Role.SUPERVISOR, Role.ADMIN))
    assert officer == {Permission.RECEIVE, Permission.PROCESS, Permission.PRINT}
    assert supervisor - officer == {Permission.VIEW_REPORTS, Permission.VIEW_AUDIT, Permission.LATE_ENTRY,
                                    Permission.FEE_OVERRIDE, Permission.MANAGE_CALENDAR}
    assert admin - supervisor == {Permission.MANAGE_USERS, Permission.MANAGE_SETTINGS, Permission.RESTORE,
                                  Permission.MANAGE_CATALOG}
