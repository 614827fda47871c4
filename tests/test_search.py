"""Finding dossiers: exact code, identity / phone digits, folded name prefixes, nasty input."""

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

import main
from app.bootstrap import open_store
from app.db import Store
from app.intake import IntakeRequest, PersonInput, receive
from app.migrate import current_revision, head_revision, migrate_to
from app.permissions import Actor
from app.search import match_expression, rebuild_index, reindex_dossier, search_dossiers, search_terms
from app.textfold import fold
from models.tables import Dossier

BIRTH = "1.001193"  # on the spot, no documents needed for the test

PEOPLE = [
    # name, CCCD (province, century/sex, year), date of birth, phone
    ("Nguyễn Văn Đức", "001085012345", date(1985, 3, 15), "0912 345 678"),
    ("Đặng Thị Hoa", "015190004321", date(1990, 7, 1), "0987654321"),
    ("Trần Minh Khôi", "010201000777", date(2001, 1, 9), ""),
    ("Lò Văn Páo", "010078123456", date(1978, 5, 5), "0356123456"),
    ("Nguyễn Thị Dung", "015192000111", date(1992, 2, 2), "0912999000"),
]


def _receive(store: Store, admin: Actor, name: str, id_number: str, dob: date | None = None, phone: str = "") -> str:
    return receive(store, admin, IntakeRequest(
        procedure_code=BIRTH, owner=PersonInput(full_name=name, id_number=id_number, dob=dob, phone=phone),
        accept_missing_required=True)).code


@pytest.fixture
def codes(store: Store, admin: Actor) -> dict[str, str]:
    return {name: _receive(store, admin, name, id_number, dob, phone) for name, id_number, dob, phone in PEOPLE}


def names(store: Store, query: str, **options: object) -> list[str]:
    with store.read() as session:
        return [d.owner_name for d in search_dossiers(session, query, **options)]  # type: ignore[arg-type]


def test_exact_code_goes_straight_to_the_dossier(store: Store, codes: dict[str, str]) -> None:
    code = codes["Đặng Thị Hoa"]
    assert names(store, code) == ["Đặng Thị Hoa"]
    assert names(store, f"  {code.lower()} ") == ["Đặng Thị Hoa"]


def test_part_of_a_code_is_a_prefix_search(store: Store, codes: dict[str, str]) -> None:
    code = codes["Lò Văn Páo"]
    tail = code.split("-", 1)[1]  # "261122-0004"
    assert "Lò Văn Páo" in names(store, tail)
    assert names(store, code[:-1] + "9") == []  # a well-formed code nobody has: nothing, no error


@pytest.mark.parametrize("query, expected", [
    ("nguyen van d", ["Nguyễn Văn Đức"]),
    ("Nguyễn Văn Đức", ["Nguyễn Văn Đức"]),
    ("NGUYEN VAN DUC", ["Nguyễn Văn Đức"]),
    ("duc nguyen", ["Nguyễn Văn Đức"]),  # any order
    ("dang", ["Đặng Thị Hoa"]),
    ("đặng", ["Đặng Thị Hoa"]),
    ("Đ", ["Nguyễn Thị Dung", "Đặng Thị Hoa", "Nguyễn Văn Đức"]),  # đ = d, newest first
    ("lo van pao", ["Lò Văn Páo"]),
    ("ng th", ["Nguyễn Thị Dung"]),
    ("khoi tran", ["Trần Minh Khôi"]),
    ("nguyen thi duc", []),
    ("uc", []),  # terms match from the start of a word only
])
def test_names_without_diacritics_case_or_order(store: Store, codes: dict[str, str], query: str,
                                                expected: list[str]) -> None:
    assert names(store, query) == expected


@pytest.mark.parametrize("query, expected", [
    ("001085012345", ["Nguyễn Văn Đức"]),
    ("001085", ["Nguyễn Văn Đức"]),
    ("0151", ["Nguyễn Thị Dung", "Đặng Thị Hoa"]),  # short digit runs go through the word index
    ("015 190 004 321", ["Đặng Thị Hoa"]),
    ("0912345678", ["Nguyễn Văn Đức"]),
    ("0912 345 678", ["Nguyễn Văn Đức"]),
    ("0912.345.678", ["Nguyễn Văn Đức"]),
    ("+84 912 345 678", ["Nguyễn Văn Đức"]),
    ("091234", ["Nguyễn Văn Đức"]),
    ("091299", ["Nguyễn Thị Dung"]),
    ("0912", ["Nguyễn Thị Dung", "Nguyễn Văn Đức"]),
    ("035612", ["Lò Văn Páo"]),
    ("999999", []),
])
def test_identity_and_phone_numbers(store: Store, codes: dict[str, str], query: str, expected: list[str]) -> None:
    assert names(store, query) == expected


def test_status_filter_and_limit(store: Store, admin: Actor, codes: dict[str, str]) -> None:
    with store.write() as session:
        session.exec(text("UPDATE dossier SET status = 10 WHERE code = :c").bindparams(  # type: ignore[call-overload]
            c=codes["Nguyễn Văn Đức"]))
    assert names(store, "nguyen", status=10) == ["Nguyễn Văn Đức"]
    assert names(store, "nguyen", status=2) == ["Nguyễn Thị Dung"]
    assert names(store, "nguyen", status=[2, 10]) == ["Nguyễn Thị Dung", "Nguyễn Văn Đức"]
    assert names(store, "nguyen", status=[3]) == []
    assert names(store, codes["Nguyễn Văn Đức"], status=2) == []  # exact code, other status
    assert names(store, "001085", status=10) == ["Nguyễn Văn Đức"]
    assert names(store, "001085", status=2) == []

    for i in range(6):
        _receive(store, admin, f"Phạm Văn Tư {i}", "001085000000")
    assert names(store, "pham van tu", limit=3) == ["Phạm Văn Tư 5", "Phạm Văn Tư 4", "Phạm Văn Tư 3"]
    assert len(names(store, "001085", limit=4)) == 4
    assert len(names(store, "pham", limit=0)) == 1  # at least one
    assert len(names(store, "n", limit=10_000)) == 2 + 0  # Nguyễn × 2; limit capped, never an error


NASTY = ['"', "'", "*", "**", "AND", "OR", "NOT", "NEAR", "NEAR(a b)", "(", ")", "()", "^", ":", "-", "+",
         '"nguyen', 'nguyen"', "*nguyen", "nguyen*", "nguyen AND", "AND nguyen", "nguyen OR van", "col:nguyen",
         "search_text:nguyen", "{search_text}: d", "'; DROP TABLE dossier; --", "%", "_", "\\", "\x00", "\t\n",
         "😀", "🇻🇳 Đức", "Đức😀", "ｎｇｕｙｅｎ", "a" * 10_000, "nguyễn " * 2_000, "0" * 10_000, "+84" + "9" * 5000,
         "H15.50.05.13-", "-261122-0001", "…", "‐", "\u202e", "ǅ", "ß", "İ", "Ⅻ", "٣٤٥٦٧٨"]


@pytest.mark.parametrize("query", NASTY, ids=[repr(q[:20]) for q in NASTY])
def test_nasty_input_never_raises(store: Store, codes: dict[str, str], query: str) -> None:
    with store.read() as session:
        result = search_dossiers(session, query)
        search_dossiers(session, query, status=[2, 4], limit=3)
    assert isinstance(result, list)


def test_nasty_input_still_finds_what_it_names(store: Store, codes: dict[str, str]) -> None:
    assert names(store, '"nguyen" (van) d*') == ["Nguyễn Văn Đức"]
    assert names(store, 'nguyen AND van') == []  # AND is a word to look for, not an operator
    assert names(store, "🇻🇳 Đức") == ["Nguyễn Văn Đức"]
    assert names(store, "") == [] and names(store, "   ") == []


def test_terms_are_quoted_letters_and_digits() -> None:
    assert search_terms('Nguyễn "Văn" Đ*') == ["nguyen", "van", "d"]
    assert match_expression(search_terms("nguyen van d")) == '"nguyen"* "van"* "d"*'
    assert search_terms("a b a") == ["a", "b"]
    assert len(search_terms(" ".join(f"w{i}" for i in range(100)))) == 12


def test_every_intake_is_indexed_in_its_own_transaction(store: Store, codes: dict[str, str]) -> None:
    with store.read() as session:
        stored = session.exec(text("SELECT search_text FROM dossier ORDER BY rowid")).all()  # type: ignore[call-overload]
        indexed = session.exec(text(  # type: ignore[call-overload]
            "SELECT count(*) FROM dossier_fts WHERE dossier_fts MATCH '\"h15\"*'")).one()[0]
    assert indexed == len(PEOPLE)
    assert [row[0] for row in stored] == [fold(f"{codes[n]} {n} {i} {p.replace(' ', '')}") for n, i, _d, p in PEOPLE]


def test_reindex_after_a_correction_and_rebuild(store: Store, codes: dict[str, str]) -> None:
    code = codes["Trần Minh Khôi"]
    with store.write() as session:
        dossier = session.exec(text("SELECT id FROM dossier WHERE code = :c").bindparams(c=code)).one()  # type: ignore[call-overload]
        row = session.get(Dossier, dossier[0])
        assert row is not None
        previous = row.search_text
        row.owner_name = "Trần Minh Khải"
        reindex_dossier(session, row, previous)
    assert names(store, "khai") == ["Trần Minh Khải"]
    assert names(store, "khoi") == []

    # A change behind the index's back: the stray hit is dropped, and a rebuild heals the index.
    with store.write() as session:
        session.exec(text(  # type: ignore[call-overload]
            "UPDATE dossier SET owner_name = 'Lò Thị Mai', search_text = 'lo thi mai' WHERE code = :c").bindparams(
            c=codes["Lò Văn Páo"]))
    assert names(store, "pao") == []
    assert names(store, "mai") == []
    with store.write() as session:
        rebuild_index(session)
    assert names(store, "lo thi mai") == ["Lò Thị Mai"]


def test_migration_0003_indexes_existing_dossiers(data_dir: Path, store: Store, admin: Actor) -> None:
    code = _receive(store, admin, "Hoàng Thị Ánh", "015190004321", date(1990, 7, 1), "0987000111")
    migrate_to(store, "0002", downgrade=True)
    with store.write() as session:  # as an older version might have left it
        session.exec(text("UPDATE dossier SET search_text = ''"))  # type: ignore[call-overload]
    store.dispose()
    reopened = open_store(data_dir)
    try:
        assert current_revision(reopened) == head_revision()
        assert names(reopened, "hoang thi a") == ["Hoàng Thị Ánh"]
        assert names(reopened, "0987000") == ["Hoàng Thị Ánh"]
        assert names(reopened, code) == ["Hoàng Thị Ánh"]
    finally:
        reopened.dispose()


def test_search_command_prints_json(store: Store, codes: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["search", "nguyen van d", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [row["owner_name"] for row in printed] == ["Nguyễn Văn Đức"]
    assert set(printed[0]) == {"code", "status", "received_at", "due_at", "owner_name", "procedure_code"}
    assert printed[0]["code"] == codes["Nguyễn Văn Đức"]
    assert printed[0]["status"] == 2 and printed[0]["procedure_code"] == BIRTH
    assert main.main(["search", "nguyen", "--status", "9", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main.main(["search", "nguyen", "--limit", "1"]) == 0
    assert "Nguyễn Thị Dung" in capsys.readouterr().out
