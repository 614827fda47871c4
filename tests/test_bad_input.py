"""Bad input (issue #7): every public input either gets a clear Vietnamese refusal or is stored and printed exactly.

Property-based (hypothesis, strategies in tests/reliability/inputs.py): intake
fields, catalog files, calendar entries, and form 01 read back from the PDF.
After a refusal nothing is written (row counts and sequences unchanged);
after an acceptance the stored text is the input after NFC and whitespace
clean-up, and the printed slip shows exactly that. The command line is in
tests/test_bad_input_cli.py.
"""

import itertools
import json
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from app import catalog, clock
from app.bootstrap import initialise_counter, open_store
from app.calendar_store import add_override
from app.errors import CounterError, ValidationFailed
from app.intake import IntakeRequest, PersonInput, receive
from app.permissions import Actor
from app.profile import SAMPLE_SETUP
from app.textfold import clean_text
from app.validation import MAX_NAME, check_text
from models.enums import DayKind, SubjectType
from models.tables import CalendarOverride, Dossier
from printing.receipts import render_receipt_for
from tests.reliability.inputs import (
    examples,
    hostile_text,
    is_vietnamese_message,
    vietnamese,
)

PROCEDURE = "1.001193"
TABLES = ("dossier", "dossier_document", "dossier_event", "audit_entry", "outbox", "payment", "procedure",
          "procedure_document", "procedure_fee", "calendar_override")


class Counter:
    """One counter for the whole module: hypothesis runs many examples per test, each on the same store."""

    def __init__(self, root: Path):
        self.store = open_store(root / "data")
        self.admin: Actor = initialise_counter(self.store, SAMPLE_SETUP)
        self._ticks = itertools.count()
        # A minute per example from a fixed Monday 08:00: never 999 dossiers in one day, never backwards.
        self.start = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)

    def tick(self) -> datetime:
        moment = self.start + timedelta(minutes=next(self._ticks))
        clock.now = lambda: moment  # type: ignore[assignment]
        return moment

    def snapshot(self) -> dict[str, Any]:
        with self.store.read() as session:
            conn = session.connection()
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}
            counts["sequence"] = conn.execute(text("SELECT group_concat(name || scope || last) FROM sequence")).scalar()
        return counts


@pytest.fixture(scope="module")
def counter() -> Iterator[Counter]:
    original = clock.now
    with tempfile.TemporaryDirectory(prefix="motcua-badinput-") as tmp:
        c = Counter(Path(tmp))
        yield c
        c.store.dispose()
    clock.now = original  # type: ignore[assignment]


def assert_clear_refusal(error: CounterError) -> None:
    assert is_vietnamese_message(str(error)), f"not a clear Vietnamese message: {str(error)!r}"
    if isinstance(error, ValidationFailed):
        assert error.problems
        for problem in error.problems:
            assert is_vietnamese_message(problem.message), problem


def pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        # -raw: the default mode joins a line ending in '-' with the next one, eating the hyphen.
        out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", handle.name, "-"], check=True,
                             capture_output=True)
    return out.stdout.decode("utf-8")


def squeeze(value: str) -> str:
    """Whitespace removed: a long value wraps over lines wherever the layout breaks it."""
    return "".join(value.split())


# --- intake -----------------------------------------------------------------

dates = st.one_of(st.none(), st.dates(), st.dates(min_value=date(1899, 12, 25), max_value=date(2030, 1, 1)))
id_numbers = st.one_of(hostile_text, st.sampled_from(["001085123456", "079203001234", "B1234567", "123456789"]),
                       st.text(alphabet="0123456789 .", max_size=14))
phones = st.one_of(hostile_text, st.sampled_from(["0912345678", "+84 912 345 678", "024.3825.1234"]))
emails = st.one_of(hostile_text, st.sampled_from(["ten@gmail.com", "a@b.vn", "@", "x@y"]))
moments = st.one_of(st.none(), st.datetimes(timezones=st.none()),
                    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                                 timezones=st.just(UTC)))


@st.composite
def intake_requests(draw: st.DrawFn) -> IntakeRequest:
    owner = PersonInput(full_name=draw(hostile_text), id_number=draw(id_numbers), dob=draw(dates),
                        phone=draw(phones), email=draw(emails), address=draw(hostile_text))
    submitter = draw(st.one_of(st.none(), st.builds(PersonInput, full_name=hostile_text, id_number=id_numbers)))
    return IntakeRequest(
        procedure_code=draw(st.one_of(st.just(PROCEDURE), hostile_text)), owner=owner, submitter=submitter,
        subject_type=draw(st.sampled_from(SubjectType)), sets=draw(st.integers(-5, 200)),
        note=draw(hostile_text), received_at=draw(moments), accept_missing_required=draw(st.booleans()))


@st.composite
def plausible_requests(draw: st.DrawFn) -> IntakeRequest:
    """Valid identity, hostile free text: the inputs that are stored, to be printed back exactly."""
    name = draw(st.one_of(vietnamese, hostile_text.filter(lambda s: any(c.isalpha() for c in s))))
    return IntakeRequest(
        procedure_code=PROCEDURE, accept_missing_required=True,
        owner=PersonInput(full_name=name, id_number="001085123456", address=draw(hostile_text),
                          phone=draw(st.sampled_from(["", "0912345678"]))),
        note=draw(hostile_text))


def _receive_or_refuse(counter: Counter, request: IntakeRequest) -> Any:
    counter.tick()
    before = counter.snapshot()
    try:
        return receive(counter.store, counter.admin, request)
    except CounterError as error:
        assert_clear_refusal(error)
        assert counter.snapshot() == before, "a refused intake wrote something"
        return None


@settings(max_examples=examples(150))
@given(request=intake_requests())
def test_intake_refuses_clearly_or_stores_exactly(counter: Counter, request: IntakeRequest) -> None:
    result = _receive_or_refuse(counter, request)
    if result is None:
        return
    with counter.store.read() as session:
        stored = session.get(Dossier, result.dossier_id)
    assert stored is not None
    assert stored.owner_name == clean_text(request.owner.full_name)
    assert stored.owner_address == clean_text(request.owner.address)
    assert stored.note == clean_text(request.note)


@settings(max_examples=examples(25))
@given(request=plausible_requests())
def test_stored_dossier_prints_exactly(counter: Counter, request: IntakeRequest) -> None:
    result = _receive_or_refuse(counter, request)
    if result is None:
        return
    with counter.store.read() as session:
        printed = squeeze(pdf_text(render_receipt_for(session, result.code)))
    for value in (request.owner.full_name, request.owner.address, request.note):
        assert squeeze(clean_text(value)) in printed, f"{clean_text(value)!r} not printed exactly"


# --- catalog files ----------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=12), children, max_size=4)),
    max_leaves=20)
RECORD_KEYS = ["code", "name", "field_code", "field_name", "level", "processing", "fees", "documents",
               "online_level", "postal_return"]


def _sample_record() -> dict[str, Any]:
    from app.bootstrap import SAMPLE_CATALOG

    return dict(json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))["procedures"][0])


@st.composite
def catalog_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["garbage", "json", "mutated", "nested", "huge"]))
    if kind == "garbage":
        return draw(st.binary(max_size=200))
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    if kind == "nested":
        depth = draw(st.integers(10, 200_000))
        return draw(st.sampled_from([b"[" * depth, b'{"procedures": ' + b"[" * depth + b"]" * depth + b"}"]))
    record = _sample_record()
    if kind == "huge":
        record["name"] = draw(st.sampled_from(["x" * 10_000, "Đăng ký " * 100_000]))
    else:
        for key in draw(st.lists(st.sampled_from(RECORD_KEYS), min_size=1, max_size=3, unique=True)):
            record[key] = draw(json_values)
    return json.dumps({"procedures": [record]}, ensure_ascii=draw(st.booleans())).encode("utf-8")


@settings(max_examples=examples(120))
@given(content=catalog_files())
def test_catalog_file_refused_clearly_or_imported_whole(counter: Counter, content: bytes, tmp_path_factory:
                                                        pytest.TempPathFactory) -> None:
    counter.tick()
    path = tmp_path_factory.mktemp("catalog") / "danh-muc.json"
    path.write_bytes(content)
    before = counter.snapshot()
    try:
        specs = catalog.read_catalog_file(path)
        with counter.store.write() as session:
            catalog.apply_catalog(session, counter.admin, specs, source=path.name)
    except CounterError as error:
        assert_clear_refusal(error)
        assert counter.snapshot() == before
        return
    with counter.store.read() as session:
        for spec in specs:
            _, stored = catalog.get_procedure(session, spec.code)
            assert stored == spec


# --- calendar entries -------------------------------------------------------

@settings(max_examples=examples(80))
@given(day=st.dates(), kind=st.sampled_from(DayKind), name=hostile_text)
def test_calendar_entry_refused_clearly_or_stored_exactly(counter: Counter, day: date, kind: DayKind,
                                                          name: str) -> None:
    counter.tick()
    before = counter.snapshot()
    try:
        with counter.store.write() as session:
            add_override(session, counter.admin, day, kind, name)
    except CounterError as error:
        assert_clear_refusal(error)
        assert counter.snapshot() == before
        return
    with counter.store.read() as session:
        row = session.get(CalendarOverride, day)
    assert row is not None and row.name == clean_text(name) and row.kind == kind.value
    # Stored only if it is text an officer could have typed: no controls, printable, not huge.
    assert check_text("name", row.name, "Tên", MAX_NAME, required=True)[1] is None


# --- what validation lets through, the printed forms can draw ---------------

@pytest.mark.parametrize("face", ["Regular", "Bold", "Italic", "BoldItalic"])
def test_every_accepted_character_is_in_the_form_font(face: str) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    import resources
    from app.validation import printable_on_forms

    cmap = TTFont(f"check-{face}", str(resources.path("fonts", f"LiberationSerif-{face}.ttf"))).face.charToGlyph
    accepted = [chr(c) for c in range(0x20, 0x3000) if printable_on_forms(chr(c))]
    assert len(accepted) > 700  # Latin, every Vietnamese letter, marks, punctuation
    assert [f"U+{ord(ch):04X}" for ch in accepted if ord(ch) not in cmap] == []
