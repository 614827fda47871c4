"""Our dossier payload → the national exchange fields (domain brief, "National exchange fields").

A province's adapter calls `national_dossier` on what the reference portal
stores and posts the result to its own system; the table in
docs/sync-protocol.md lists each field. Dates go out as `yyyyMMddHHmmss` in
the agency's time (Asia/Ho_Chi_Minh). Field names follow the national
portal's published examples; the code lists marked *verify* in the doc must
be checked against the province's own integration guide.
"""

from datetime import datetime
from typing import Any

from app.worktime import AGENCY_TZ

# KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính (verify against the province's guide).
CHANNEL_CODES = {"counter": 1, "online": 2, "postal": 3}
# Our event types → the national "TrangThai" of a progress record (QuaTrinhXuLy).
EVENT_LABELS = {
    "received": "Tiếp nhận hồ sơ", "forwarded": "Chuyển xử lý", "supplement_requested": "Yêu cầu bổ sung",
    "supplemented": "Nhận bổ sung", "refused": "Từ chối tiếp nhận", "payment_requested": "Yêu cầu nghĩa vụ tài chính",
    "result_ready": "Có kết quả", "returned": "Trả kết quả", "withdrawn": "Công dân rút hồ sơ",
    "stopped": "Dừng xử lý", "extended": "Gia hạn",
}


def national_time(value: str | datetime | None) -> str | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(AGENCY_TZ).strftime("%Y%m%d%H%M%S")


def _finished(events: list[dict[str, Any]], types: tuple[str, ...]) -> str | None:
    moments = [e["at"] for e in events if e.get("type") in types]
    return national_time(moments[-1]) if moments else None


def national_dossier(payload: dict[str, Any], status: int | None = None,
                     events: list[dict[str, Any]] | None = None, agency_name: str = "") -> dict[str, Any]:
    """One dossier as the national exchange expects it; `status`/`events` override the intake snapshot."""
    owner = payload.get("owner") or {}
    events = events if events is not None else list(payload.get("events") or [])
    documents = payload.get("documents") or []
    return {
        "MaHoSo": payload["code"],
        "MaTTHC": payload.get("procedure_code"),
        "TenTTHC": payload.get("procedure_name"),
        "MaLinhVuc": payload.get("field_code"),
        "KenhThucHien": CHANNEL_CODES.get(str(payload.get("channel")), 1),
        "ChuHoSo": owner.get("name"),
        "SoGiayToChuHoSo": owner.get("id_number"),
        "LoaiDoiTuong": owner.get("subject_type", 1),
        "SoDienThoai": owner.get("phone") or None,
        "Email": owner.get("email") or None,
        "DiaChi": owner.get("address") or None,
        "TrichYeuHoSo": f"{payload.get('procedure_name', '')} — {owner.get('name', '')}".strip(" —"),
        "NgayTiepNhan": national_time(payload.get("received_at")),
        "NgayHenTra": national_time(payload.get("due_at")),
        "NgayKetThucXuLy": _finished(events, ("result_ready", "refused", "stopped", "withdrawn")),
        "NgayTra": _finished(events, ("returned",)),
        "TrangThaiHoSo": status if status is not None else payload.get("status"),
        "DonViXuLy": agency_name or None,
        "HoSoCoThanhPhanSoHoa": 0,
        "DanhSachGiayToNop": [{"TenGiayTo": d.get("name"), "SoBanChinh": d.get("originals", 0),
                               "SoBanSao": d.get("certified_copies", 0) + d.get("copies", 0),
                               "DaNop": bool(d.get("submitted"))} for d in documents],
        "DanhSachLePhi": [],
        "QuaTrinhXuLy": [{"NguoiXuLy": e.get("officer", ""), "ChucDanh": "",
                          "ThoiDiemXuLy": national_time(e.get("at")), "PhongBanXuLy": "",
                          "NoiDungXuLy": EVENT_LABELS.get(str(e.get("type")), str(e.get("type"))),
                          "TrangThai": e.get("status_after")} for e in events],
    }
