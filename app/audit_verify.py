"""Checking the audit chain: the first broken row and what was done to it.

The walk goes in `mono` order and recomputes every hash. A break is
classified by looking at where the row's `prev_hash` points:

- own hash wrong, link right                → the row was edited;
- link points nowhere and `mono` jumps      → rows were deleted before it;
- link points nowhere, `mono` in sequence   → the previous row was edited and
  its hash recomputed (the forger could not fix this row's `prev_hash`
  without breaking its hash in turn);
- link points further back                   → the rows in between were inserted;
- link points to a later row / duplicate or out-of-order `mono` → reordered
  or inserted.

Deleting the newest rows leaves a chain that is consistent in itself; only a
head recorded elsewhere catches it. Each backup records the head (`mono` and
hash of the newest row) in `audit-head.json` in the data directory, and the
backup file itself holds the chain up to that head. A tail cut after the last
backup is therefore not detectable; anything older is.
"""

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.audit import CLOCK_BACKWARDS, GENESIS_HASH, entry_hash

HEAD_FILENAME = "audit-head.json"

KIND_LABELS = {
    "edited": "nội dung dòng này đã bị sửa",
    "rehashed": "dòng này đã bị sửa rồi tính lại mã băm (dòng kế tiếp không còn khớp)",
    "deleted": "đã bị xoá dòng nằm trước dòng này",
    "inserted": "dòng này được chèn thêm vào chuỗi",
    "reordered": "thứ tự các dòng đã bị đảo",
    "truncated": "các dòng cuối chuỗi đã bị xoá (so với đầu chuỗi ghi khi sao lưu)",
    "rewritten": "chuỗi đã bị viết lại (đầu chuỗi ghi khi sao lưu không còn khớp)",
}


@dataclass(frozen=True)
class Head:
    mono: int
    hash: str
    at: str = ""


@dataclass(frozen=True)
class BrokenRow:
    kind: str
    mono: int
    at: str
    action: str
    actor: str
    explanation: str


@dataclass
class ChainReport:
    rows: int = 0
    head: Head | None = None
    broken: BrokenRow | None = None
    clock_flags: int = 0
    checked_against: Head | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken is None

    def summary(self) -> str:
        if self.broken is not None:
            b = self.broken
            return (f"Chuỗi nhật ký BỊ PHÁ VỠ tại dòng số {b.mono} ({b.at}, {b.action}, {b.actor}): "
                    f"{b.explanation}.")
        head = f"đầu chuỗi #{self.head.mono} {self.head.hash[:16]}…" if self.head else "chuỗi rỗng"
        text_ = f"Chuỗi nhật ký toàn vẹn: {self.rows} dòng, {head}"
        if self.clock_flags:
            text_ += f"; {self.clock_flags} lần đồng hồ máy bị lùi"
        return text_ + "."

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "rows": self.rows, "head": asdict(self.head) if self.head else None,
                "broken": asdict(self.broken) if self.broken else None, "clock_flags": self.clock_flags,
                "checked_against": asdict(self.checked_against) if self.checked_against else None,
                "summary": self.summary()}


@dataclass
class _Row:
    id: int
    mono: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    details: Any
    prev_hash: str
    hash: str

    def own_ok(self) -> bool:
        return entry_hash(self.mono, self.at, self.actor, self.action, self.entity, self.entity_id,
                          self.details, self.prev_hash) == self.hash


_SELECT = "SELECT id, mono, at, actor, action, entity, entity_id, details, prev_hash, hash FROM audit_entry"


def _row(raw: Any) -> _Row:
    from datetime import UTC

    at = raw[2] if isinstance(raw[2], datetime) else datetime.fromisoformat(str(raw[2]))
    details = json.loads(raw[7]) if isinstance(raw[7], str) else raw[7]
    return _Row(raw[0], raw[1], at.replace(tzinfo=UTC), raw[3], raw[4], raw[5] or "", raw[6] or "", details,
                raw[8], raw[9])


def _broken(kind: str, row: _Row, extra: str = "") -> BrokenRow:
    from app.worktime import AGENCY_TZ

    at = row.at.astimezone(AGENCY_TZ).strftime("%H:%M:%S %d/%m/%Y")
    return BrokenRow(kind, row.mono, at, row.action, row.actor, KIND_LABELS[kind] + extra)


def _find_by_hash(session: Session, digest: str) -> _Row | None:
    raw = session.connection().execute(text(_SELECT + " WHERE hash = :h ORDER BY mono LIMIT 1"), {"h": digest}).first()
    return None if raw is None else _row(raw)


def _first_after(session: Session, mono: int) -> _Row | None:
    raw = session.connection().execute(text(_SELECT + " WHERE mono > :m ORDER BY mono, id LIMIT 1"), {"m": mono}).first()
    return None if raw is None else _row(raw)


def _classify(session: Session, prev: _Row | None, row: _Row) -> BrokenRow | None:
    """None when `row` follows `prev` correctly; otherwise the first bad row and what happened."""
    prev_mono = 0 if prev is None else prev.mono
    prev_hash = GENESIS_HASH if prev is None else prev.hash
    own_ok = row.own_ok()
    if prev is not None and row.mono == prev.mono:
        # Two rows claim one place; the forged one is the one that does not hash or came later.
        culprit = row if (not own_ok or prev.own_ok()) else prev
        return _broken("inserted", culprit, f" (trùng số thứ tự {row.mono})")
    if prev is not None and row.id < prev.id and row.prev_hash != prev_hash:
        # Rows are written in id order; an earlier-written row sitting later in the chain was moved.
        target = _find_by_hash(session, row.prev_hash) if row.prev_hash != GENESIS_HASH else None
        if target is None or target.mono >= row.mono:
            return _broken("reordered", row)
    if own_ok and row.prev_hash == prev_hash and row.mono == prev_mono + 1:
        return None
    if row.prev_hash == prev_hash:
        following = _first_after(session, row.mono)
        if following is not None and following.prev_hash == prev_hash:
            # The next row still links past this one to its predecessor: this one was slipped in.
            return _broken("inserted", row)
        return _broken("edited", row)
    target = None if row.prev_hash == GENESIS_HASH else _find_by_hash(session, row.prev_hash)
    if row.prev_hash == GENESIS_HASH and prev is not None:
        return _broken("inserted", prev)
    if target is not None and target.mono > prev_mono:
        return _broken("reordered", row)
    if target is not None:
        # The row used to follow `target`: what now sits between them was put there.
        inserted = _first_after(session, target.mono)
        assert inserted is not None
        return _broken("inserted", inserted)
    if row.mono > prev_mono + 1:
        gap = (f" (mất dòng số {prev_mono + 1})" if row.mono == prev_mono + 2
               else f" (mất các dòng số {prev_mono + 1}–{row.mono - 1})")
        return _broken("deleted", row, gap)
    if own_ok and prev is not None:
        return _broken("rehashed", prev)
    return _broken("edited", row)


def verify_chain(session: Session, expected_head: Head | None = None) -> ChainReport:
    """Walk the whole chain in order; stop at the first broken row."""
    report = ChainReport(checked_against=expected_head)
    prev: _Row | None = None
    max_id = 0
    result = session.connection().execute(text(_SELECT + " ORDER BY mono, id"))
    for raw in result:
        row = _row(raw)
        broken = _classify(session, prev, row)
        if broken is None and row.id < max_id:
            # Content and links intact but written out of order: ids were swapped.
            broken = _broken("reordered", row)
        if broken is not None:
            report.broken = broken
            result.close()
            return report
        max_id = max(max_id, row.id)
        report.rows += 1
        if row.action == CLOCK_BACKWARDS:
            report.clock_flags += 1
        prev = row
    if prev is not None:
        report.head = Head(prev.mono, prev.hash, prev.at.isoformat())
    if expected_head is not None:
        _check_head(session, report, expected_head, prev)
    return report


def _check_head(session: Session, report: ChainReport, expected: Head, last: _Row | None) -> None:
    last_mono = 0 if last is None else last.mono
    if last_mono < expected.mono:
        missing = (f"số {expected.mono}" if last_mono + 1 == expected.mono
                   else f"số {last_mono + 1}–{expected.mono}")
        report.broken = BrokenRow("truncated", last_mono + 1, "", "(đã mất)", "",
                                  KIND_LABELS["truncated"] + f"; mất các dòng {missing}")
        return
    raw = session.connection().execute(text(_SELECT + " WHERE mono = :m"), {"m": expected.mono}).first()
    assert raw is not None
    row = _row(raw)
    if row.hash != expected.hash:
        report.broken = _broken("rewritten", row)


def head_file(data_dir: Path) -> Path:
    return data_dir / HEAD_FILENAME


def load_head(data_dir: Path) -> Head | None:
    path = head_file(data_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Head(int(data["mono"]), str(data["hash"]), str(data.get("at", "")))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        # A garbled head file must not hide the rest of the check; the chain itself is still walked.
        return None


def save_head(data_dir: Path, head: Head, backup: str = "") -> None:
    """Written after each backup: the head that backup holds, and where it went."""
    path = head_file(data_dir)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump({**asdict(head), "backup": backup}, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def last_backup_path(data_dir: Path) -> Path | None:
    try:
        recorded = json.loads(head_file(data_dir).read_text(encoding="utf-8")).get("backup", "")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(recorded) if recorded else None


def current_head(session: Session) -> Head | None:
    raw = session.connection().execute(text(_SELECT + " ORDER BY mono DESC LIMIT 1")).first()
    if raw is None:
        return None
    row = _row(raw)
    return Head(row.mono, row.hash, row.at.isoformat())


def verify_store(store: Any) -> ChainReport:
    """The chain of this data directory, checked against the head recorded at the last backup."""
    with store.read() as session:
        return verify_chain(session, load_head(store.data_dir))
