"""The portal's set-based batch ingestion (sync.portal.ingest): each item judged in order, stored once."""

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sync.portal.service import Device, Portal
from sync.portal.store import make_engine
from sync.protocol import EnrollRequest, PushItem, PushRequest

AGENCY = "H15.50.05.13"
T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _portal(tmp_path: Path) -> tuple[Portal, Device]:
    portal = Portal(make_engine(str(tmp_path / "portal.sqlite3")))
    code = portal.issue_code(AGENCY, 1)
    answer = portal.enroll(EnrollRequest(code=code, agency_code=AGENCY, counter_number=1, device_id="may-1"))
    return portal, portal.authenticate(answer.device_token)


def _dossier(code: str, dossier_id: str | None = None) -> PushItem:
    dossier_id = dossier_id or str(uuid.uuid4())
    payload = {"id": dossier_id, "code": code, "status": 2, "received_at": T0.isoformat(), "procedure_code": "X",
               "events": [{"id": str(uuid.uuid4()), "type": "received", "at": T0.isoformat(), "status_after": 2}]}
    return PushItem(id=dossier_id, kind="dossier.received", entity_id=dossier_id, payload=payload, created_at=T0)


def _event(dossier: PushItem, status: int, minutes: int, kind: str = "assigned") -> PushItem:
    event = {"id": str(uuid.uuid4()), "type": kind, "at": (T0 + timedelta(minutes=minutes)).isoformat(),
             "status_after": status}
    return PushItem(id=event["id"], kind=f"dossier.{kind}", entity_id=dossier.entity_id,
                    payload={"code": dossier.payload["code"], "event": event}, created_at=T0)


def _fee(code: str) -> PushItem:
    payment_id = str(uuid.uuid4())
    payload: dict[str, Any] = {"id": payment_id, "code": code, "amount": 50000}
    return PushItem(id=payment_id, kind="fee.paid", entity_id=payment_id, payload=payload, created_at=T0)


def _push(portal: Portal, dev: Device, *items: PushItem) -> list[str]:
    answer = portal.push(dev, PushRequest(batch_id=str(uuid.uuid4()), items=list(items)))
    return [r.status for r in answer.results]


def test_a_batch_is_judged_in_order_with_its_own_earlier_items(tmp_path: Path) -> None:
    portal, dev = _portal(tmp_path)
    first = _dossier(f"{AGENCY}-261123-0001")
    late = _event(first, 4, 30)
    early = _event(first, 3, 10)
    orphan = _event(_dossier(f"{AGENCY}-261123-0009"), 3, 5)
    assert _push(portal, dev, late, first, late, early, first, orphan, _fee(first.payload["code"]),
                 _fee(f"{AGENCY}-261123-0404")) == [
        "rejected",   # its dossier comes later in the batch
        "accepted", "accepted",
        "accepted",   # an older step: stored, but the status stays the newer one
        "duplicate", "rejected", "accepted", "rejected"]
    row = portal.dossier(first.payload["code"])
    assert row is not None and row.status == 4
    assert portal.counts() == {"items": 4, "dossiers": 1, "events": 3, "changes": 0, "devices": 1}


def test_a_later_batch_moves_a_stored_dossier_and_a_resend_changes_nothing(tmp_path: Path) -> None:
    portal, dev = _portal(tmp_path)
    dossier = _dossier(f"{AGENCY}-261123-0001")
    assert _push(portal, dev, dossier) == ["accepted"]
    step = _event(dossier, 9, 60, "result_ready")
    assert _push(portal, dev, dossier, step) == ["duplicate", "accepted"]
    assert _push(portal, dev, dossier, step) == ["duplicate", "duplicate"]
    row = portal.dossier(dossier.payload["code"])
    assert row is not None and row.status == 9
    assert portal.counts()["events"] == 2 and portal.counts()["items"] == 2


def test_a_reused_code_an_id_of_another_kind_and_a_foreign_code_are_rejected_loudly(tmp_path: Path) -> None:
    portal, dev = _portal(tmp_path)
    code = f"{AGENCY}-261123-0001"
    owner = _dossier(code)
    assert _push(portal, dev, owner) == ["accepted"]
    clash = _dossier(code)
    same_batch = [_dossier(f"{AGENCY}-261123-0002"), _dossier(f"{AGENCY}-261123-0002")]
    foreign = _dossier("H99.01-261123-0001")
    other_kind = PushItem(id=owner.id, kind="fee.paid", entity_id=owner.id, payload={"code": code}, created_at=T0)
    answer = portal.push(dev, PushRequest(batch_id="b", items=[clash, *same_batch, foreign, other_kind]))
    assert [r.status for r in answer.results] == ["rejected", "accepted", "rejected", "rejected", "rejected"]
    assert f"đã được dùng cho hồ sơ khác (mã định danh {owner.id}, quầy số 1)" in answer.results[0].reason
    assert "đã được dùng cho hồ sơ khác" in answer.results[2].reason
    assert "không thuộc cơ quan" in answer.results[3].reason
    assert "đã được dùng cho một mục khác (dossier.received)" in answer.results[4].reason
    assert sorted(portal.dossier_codes()) == [code, f"{AGENCY}-261123-0002"]
