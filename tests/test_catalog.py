"""Tests for app.catalog: import (all-or-nothing, update by code), search, round trip.

The sample catalog (resources/catalog/sample-commune-catalog.json) holds 44
procedures in 12 fields; the Yên Bái 2014 catalog (../shared/data) holds
113 procedures in 6 fields (DT, KT, LD, TC, TN, TP), none sharing a code with
the sample.
"""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

import main
from app import catalog
from app.bootstrap import SAMPLE_CATALOG, initialise_counter, open_store
from app.catalog import CatalogError, apply_catalog, get_procedure, list_procedures, read_catalog_file
from app.db import Store
from app.errors import PermissionDenied
from app.permissions import Actor
from app.profile import SAMPLE_SETUP
from app.users import actor_for, create_user
from models.enums import Role

# CI clones the repository with ../shared beside it.
YENBAI = Path(__file__).resolve().parents[2] / "shared" / "data" / "yenbai-2014-catalog.json"
SAMPLE_COUNT = 44
SAMPLE_FIELDS = 12


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                for t in ("procedure", "procedure_field", "procedure_fee", "procedure_document")}


def import_file(store: Store, actor: Actor, path: Path) -> catalog.ImportReport:
    specs = read_catalog_file(path)
    with store.write() as session:
        return apply_catalog(session, actor, specs, source=path.name)


def sample_data() -> dict[str, Any]:
    return json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def search_codes(store: Store, query: str) -> set[str]:
    with store.read() as session:
        return {hit.code for hit in catalog.search_procedures(session, query)}


# --- the sample catalog -------------------------------------------------------


def test_sample_catalog_is_loaded_at_first_start(store: Store) -> None:
    c = counts(store)
    assert c["procedure"] == SAMPLE_COUNT >= 30
    assert c["procedure_field"] == SAMPLE_FIELDS >= 6
    with store.read() as session:
        procedure, spec = get_procedure(session, "1.004873")
    assert spec.name == "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân"
    assert spec.field_code == "HT" and spec.field_name == "Hộ tịch"
    assert spec.processing_value == 3 and spec.processing_unit.value == "working_days"
    assert [(f.kind.value, f.amount) for f in spec.fees] == [("le_phi", 10000)]
    assert spec.fee_total == 10000
    assert len(spec.documents) == 4
    assert [d.required for d in spec.documents] == [True, False, False, False]
    assert spec.postal_return is True
    # search column: folded code + name
    assert procedure.search_text == "1.004873 thu tuc cap giay xac nhan tinh trang hon nhan"


def test_sample_catalog_import_is_audited(store: Store) -> None:
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT actor, entity_id, details FROM audit_entry WHERE action = 'catalog.import'")).all()
    assert len(rows) == 1
    assert rows[0].actor == "quantri"
    assert rows[0].entity_id == "sample-commune-catalog.json"
    assert json.loads(rows[0].details) == {"created": SAMPLE_COUNT, "updated": 0}


# --- importing ----------------------------------------------------------------


def test_import_yenbai_catalog_creates_113_procedures(store: Store, admin: Actor) -> None:
    report = import_file(store, admin, YENBAI)
    assert (report.created, report.updated) == (113, 0)
    assert len(report.codes) == 113
    c = counts(store)
    assert c["procedure"] == SAMPLE_COUNT + 113
    assert c["procedure_field"] == SAMPLE_FIELDS + 6
    with store.read() as session:
        _, first = get_procedure(session, "YB.DT01")
        _, last = get_procedure(session, "YB.TP11")
    assert first.name == "Cấp giấy phép xây dựng nhà ở riêng lẻ đô thị"
    assert first.field_name == "Quản lý đô thị"
    assert first.level.value == "district"
    assert (first.processing_value, first.processing_unit.value) == (5, "working_days")
    assert first.fees == () and first.documents == ()
    assert last.name == "Bổ sung hộ tịch, điều chỉnh hộ tịch"
    assert last.field_name == "Tư pháp"


def test_reimport_updates_by_code(store: Store, admin: Actor) -> None:
    import_file(store, admin, YENBAI)
    before = counts(store)
    report = import_file(store, admin, YENBAI)
    assert (report.created, report.updated) == (0, 113)
    assert counts(store) == before


def test_reimport_replaces_fees_and_documents(store: Store, admin: Actor, tmp_path: Path) -> None:
    before = counts(store)
    data = sample_data()
    changed = copy.deepcopy(data)
    target = next(p for p in changed["procedures"] if p["code"] == "1.004873")
    target["name"] = "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân (sửa đổi)"
    target["fees"][0]["amount"] = 15000
    target["documents"] = target["documents"][:2]  # 4 documents → 2
    report = import_file(store, admin, write_json(tmp_path / "changed.json", changed))

    assert (report.created, report.updated) == (0, SAMPLE_COUNT)
    after = counts(store)
    assert after["procedure"] == before["procedure"]
    assert after["procedure_field"] == before["procedure_field"]
    # one fee changed amount, none duplicated; two documents fewer in total
    assert after["procedure_fee"] == before["procedure_fee"]
    assert after["procedure_document"] == before["procedure_document"] - 2
    with store.read() as session:
        procedure, spec = get_procedure(session, "1.004873")
    assert spec.name == "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân (sửa đổi)"
    assert [f.amount for f in spec.fees] == [15000]
    assert [d.name for d in spec.documents] == [
        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu",
        "Giấy tờ chứng minh đã ly hôn hoặc vợ/chồng đã chết (trường hợp đã có vợ/chồng)",
    ]
    assert procedure.search_text.endswith("(sua doi)")
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT COUNT(*) FROM procedure_fee WHERE procedure_id = :id"), {"id": procedure.id}).scalar_one()
    assert rows == 1


def test_reimport_updates_field_name(store: Store, admin: Actor, tmp_path: Path) -> None:
    data = sample_data()
    for p in data["procedures"]:
        if p["field_code"] == "CT":
            p["field_name"] = "Chứng thực (cấp xã)"
    import_file(store, admin, write_json(tmp_path / "fields.json", data))
    with store.read() as session:
        _, spec = get_procedure(session, "2.000815")
    assert spec.field_name == "Chứng thực (cấp xã)"
    assert counts(store)["procedure_field"] == SAMPLE_FIELDS


# --- refusing a bad file whole ------------------------------------------------


def _bad_unit(data: dict[str, Any]) -> None:
    data["procedures"][1]["processing"]["unit"] = "weeks"


def _missing_name(data: dict[str, Any]) -> None:
    del data["procedures"][1]["name"]


def _duplicate_code(data: dict[str, Any]) -> None:
    data["procedures"][2]["code"] = data["procedures"][0]["code"]


@pytest.mark.parametrize(
    ("mutate", "expected_parts"),
    [
        # record 2 of the sample is 1.000656 (đăng ký khai tử)
        (_bad_unit, ["Thủ tục thứ 2", "1.000656", "processing", "'unit'", "'weeks'"]),
        (_missing_name, ["Thủ tục thứ 2", "1.000656", "'name'"]),
        # record 3 (1.000894) made a copy of record 1's code 1.001193
        (_duplicate_code, ["Thủ tục thứ 3", "1.001193", "mã trùng với thủ tục thứ 1"]),
    ],
    ids=["unit-weeks", "missing-name", "duplicate-code"],
)
def test_bad_record_refuses_the_whole_file(store: Store, admin: Actor, tmp_path: Path, mutate: Any,
                                           expected_parts: list[str]) -> None:
    before = counts(store)
    data = sample_data()
    # The first record would rename an existing procedure and a new one is appended at the end:
    # neither may be written when another record is bad.
    data["procedures"][0]["name"] = "TÊN ĐÃ BỊ SỬA"
    data["procedures"].append({**copy.deepcopy(data["procedures"][3]), "code": "9.999999"})
    mutate(data)
    path = write_json(tmp_path / "bad.json", data)

    with pytest.raises(CatalogError) as caught:
        import_file(store, admin, path)
    message = str(caught.value)
    for part in expected_parts:
        assert part in message
    assert "Không có thủ tục nào được nhập" in message

    assert counts(store) == before
    with store.read() as session:
        _, spec = get_procedure(session, "1.001193")
        assert spec.name == "Thủ tục đăng ký khai sinh"
        with pytest.raises(CatalogError):
            get_procedure(session, "9.999999")


def test_not_json_is_refused(store: Store, admin: Actor, tmp_path: Path) -> None:
    before = counts(store)
    path = tmp_path / "broken.json"
    path.write_text('{"procedures": [\n  {"code": "1.001193",\n', encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        import_file(store, admin, path)
    assert "broken.json" in str(caught.value)
    assert "không phải JSON hợp lệ" in str(caught.value)
    assert "dòng" in str(caught.value)
    assert counts(store) == before


def test_not_utf8_is_refused(store: Store, admin: Actor, tmp_path: Path) -> None:
    before = counts(store)
    data = sample_data()
    data["procedures"][0]["name"] = "TÊN ĐÃ BỊ SỬA"
    path = tmp_path / "cp1258.json"
    # Vietnamese Windows code page: valid text, but not UTF-8.
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode("cp1258", errors="replace"))
    with pytest.raises(CatalogError) as caught:
        import_file(store, admin, path)
    assert "không phải văn bản UTF-8" in str(caught.value)
    assert counts(store) == before
    with store.read() as session:
        assert get_procedure(session, "1.001193")[1].name == "Thủ tục đăng ký khai sinh"


def test_utf8_with_bom_is_accepted(store: Store, admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(sample_data(), ensure_ascii=False).encode("utf-8"))
    report = import_file(store, admin, path)
    assert (report.created, report.updated) == (0, SAMPLE_COUNT)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "khóa \"procedures\""),
        ({"procedures": "abc"}, "khóa \"procedures\""),
        ({"procedures": []}, "không có thủ tục nào"),
        ({"procedures": [42]}, "Thủ tục thứ 1"),
    ],
)
def test_wrong_shape_is_refused(tmp_path: Path, data: Any, expected: str) -> None:
    with pytest.raises(CatalogError) as caught:
        read_catalog_file(write_json(tmp_path / "shape.json", data))
    assert expected in str(caught.value)


def test_bad_nested_fee_and_document_are_named(tmp_path: Path) -> None:
    data = sample_data()
    data["procedures"][3]["fees"][0]["amount"] = -5
    with pytest.raises(CatalogError) as caught:
        read_catalog_file(write_json(tmp_path / "fee.json", data))
    assert "Thủ tục thứ 4 (mã 1.004873)" in str(caught.value)
    assert "khoản phí thứ 1" in str(caught.value) and "'amount'" in str(caught.value)

    data = sample_data()
    data["procedures"][3]["documents"][2]["required"] = "yes"
    with pytest.raises(CatalogError) as caught:
        read_catalog_file(write_json(tmp_path / "doc.json", data))
    assert "giấy tờ thứ 3" in str(caught.value) and "'required'" in str(caught.value)


def test_missing_file_is_a_counter_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        read_catalog_file(tmp_path / "khong-co.json")
    assert "Không đọc được tệp danh mục" in str(caught.value)


def test_officer_cannot_import(store: Store, admin: Actor) -> None:
    with store.write() as session:
        officer = actor_for(create_user(session, admin, "canbo", "Trần Văn Bình", "matkhau1", Role.OFFICER))
    before = counts(store)
    with pytest.raises(PermissionDenied) as caught:
        import_file(store, officer, YENBAI)
    assert "cập nhật danh mục thủ tục" in str(caught.value)
    assert counts(store) == before


# --- search -------------------------------------------------------------------


def test_search_ignores_case_diacritics_and_d(store: Store) -> None:
    # Only "Thủ tục đăng ký kết hôn" has all of dang, ky, ket, hon.
    assert search_codes(store, "DANG KY KET HON") == {"1.000894"}
    assert search_codes(store, "đăng ký kết hôn") == {"1.000894"}
    assert search_codes(store, "ĐĂNG KÝ KẾT HÔN") == {"1.000894"}
    assert search_codes(store, "xac nhan tinh trang hon nhan") == {"1.004873"}


def test_search_dang_ky_khai_tu(store: Store) -> None:
    # Terms are substrings of the folded name, so "tu" also matches "tuc" of "Thủ tục":
    # every "Thủ tục đăng ký … khai …" name matches. By hand over the sample catalog:
    # khai tử (1.000656), lại khai tử (1.005461), khai sinh (1.001193),
    # lại khai sinh (1.004884), khai sinh kết hợp nhận cha, mẹ, con (1.000689).
    assert search_codes(store, "dang ky khai tu") == {"1.000656", "1.005461", "1.001193", "1.004884", "1.000689"}
    # A longer word narrows it to the two death registrations … but "tu" is all the officer typed.
    assert search_codes(store, "khai tu dang ky") == search_codes(store, "dang ky khai tu")
    # … so the two where "tu" starts a word ("tử") come first in the list the officer sees.
    with store.read() as session:
        hits = catalog.search_procedures(session, "dang ky khai tu")
    assert {hit.code for hit in hits[:2]} == {"1.000656", "1.005461"}


def test_search_chung_thuc(store: Store) -> None:
    # The CT names containing "chứng thực"; 2.000927 (sửa lỗi sai sót) and 2.000908
    # (bản sao từ sổ gốc) do not, and no other field's name has both words.
    assert search_codes(store, "chung thuc") == {
        "2.000815", "2.000884", "2.001008", "2.001035", "2.001019", "2.001406", "2.000913", "2.000942"}
    assert search_codes(store, "Chứng Thực") == search_codes(store, "chung thuc")


def test_search_terms_are_anded_in_any_order(store: Store) -> None:
    # only "Thủ tục đăng ký lại khai sinh" has khai + sinh + lai
    assert search_codes(store, "khai sinh lai") == {"1.004884"}
    assert search_codes(store, "lại sinh khai") == {"1.004884"}
    assert search_codes(store, "khai sinh") == {"1.001193", "1.004884", "1.000689"}


def test_search_by_code_prefix(store: Store) -> None:
    assert search_codes(store, "1.0011") == {"1.001193"}
    assert search_codes(store, "2.0009") == {"2.000913", "2.000927", "2.000942", "2.000908"}


def test_search_like_wildcards_are_literal(store: Store) -> None:
    assert search_codes(store, "%") == set()
    assert search_codes(store, "_") == set()
    assert search_codes(store, "khai%sinh") == set()


def test_search_hit_content_and_order(store: Store) -> None:
    with store.read() as session:
        hits = catalog.search_procedures(session, "khai sinh")
    assert [h.code for h in hits] == ["1.000689", "1.001193", "1.004884"]  # field, then code
    assert hits[1].name == "Thủ tục đăng ký khai sinh"
    assert hits[1].field_name == "Hộ tịch"
    assert (hits[1].processing_value, hits[1].processing_unit) == (0, "working_days")


def test_search_limit(store: Store) -> None:
    with store.read() as session:
        assert len(catalog.search_procedures(session, "", limit=50)) == SAMPLE_COUNT
        assert len(catalog.search_procedures(session, "thu tuc", limit=5)) == 5


def test_search_finds_imported_yenbai(store: Store, admin: Actor) -> None:
    import_file(store, admin, YENBAI)
    assert search_codes(store, "bo sung ho tich dieu chinh") == {"YB.TP11"}
    assert "YB.DT01" in search_codes(store, "giay phep xay dung nha o rieng le do thi")


# --- list --json round trip ---------------------------------------------------


def test_catalog_list_json_round_trip(store: Store, admin: Actor, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["catalog", "list", "--json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert len(exported["procedures"]) == SAMPLE_COUNT
    path = write_json(tmp_path / "exported.json", exported)

    # into a fresh counter that has no catalog at all
    other = open_store(tmp_path / "other")
    try:
        other_admin = initialise_counter(other, SAMPLE_SETUP, catalog_file=None)
        assert counts(other)["procedure"] == 0
        assert main.main(["--data-dir", str(other.data_dir), "catalog", "import", str(path)]) == 0
        assert "44 thủ tục: 44 mới, 0 cập nhật" in capsys.readouterr().out
        with store.read() as s1, other.read() as s2:
            assert list_procedures(s2) == list_procedures(s1)
        # and back into the original counter: nothing new, everything updated, nothing changed
        report = import_file(store, admin, path)
        assert (report.created, report.updated) == (0, SAMPLE_COUNT)
        with store.read() as s1, other.read() as s2:
            assert list_procedures(s1) == list_procedures(s2)
        assert other_admin.username == "quantri"
    finally:
        other.dispose()


# --- malformed numbers and lists ------------------------------------------------


@pytest.mark.parametrize("bad", [{"fees": 5}, {"documents": True}], ids=["fees-number", "documents-bool"])
def test_fees_or_documents_that_are_not_lists_are_named(tmp_path: Path, bad: dict[str, Any]) -> None:
    data = sample_data()
    data["procedures"][1].update(bad)
    with pytest.raises(CatalogError) as caught:
        read_catalog_file(write_json(tmp_path / "not-list.json", data))
    assert "Thủ tục thứ 2 (mã 1.000656)" in str(caught.value)
    assert next(iter(bad)) in str(caught.value)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda p: p["fees"][0].update(amount=10**30),
        lambda p: p.update(processing={"value": 10**7, "unit": "calendar_days"}),
    ],
    ids=["fee-amount", "processing-value"],
)
def test_absurd_numbers_are_refused_at_import(tmp_path: Path, mutate: Any) -> None:
    data = sample_data()
    mutate(data["procedures"][3])  # 1.004873
    with pytest.raises(CatalogError) as caught:
        read_catalog_file(write_json(tmp_path / "huge.json", data))
    assert "Thủ tục thứ 4 (mã 1.004873)" in str(caught.value)
