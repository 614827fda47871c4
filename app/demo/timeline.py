"""Time for the seed: the office clock, and one dossier's planned life under app.lifecycle's rules.

`OfficeClock` turns working days and office seconds into stored moments; `Timeline`
plans the steps after a receipt (forwarding by the 15:00 rule, supplements that pause
the clock, extensions, payments, refusals, results, returns). Both are pure given the
random stream handed in, so the generator (app.demo.generator) only renders rows.
"""

import json
import time as _time
from calendar import timegm
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from app.worktime import AGENCY_TZ, WorkCalendar
from models.enums import DossierStatus, EventType, ProcessingUnit

from .procedures import Proc

S = DossierStatus
E = EventType

# --- what the steps record ----------------------------------------------------

SUPPLEMENT_REQUESTS = (
    (["Bản sao Giấy khai sinh"], "Thiếu bản sao giấy khai sinh của người yêu cầu."),
    (["Giấy xác nhận cư trú"], "Thông tin nơi cư trú trên tờ khai chưa khớp với dữ liệu dân cư."),
    (["Tờ khai theo mẫu (bản có chữ ký)"], "Tờ khai chưa có chữ ký của người yêu cầu."),
    (["Văn bản ủy quyền có chứng thực"], "Người nộp không phải chủ hồ sơ, thiếu văn bản ủy quyền."),
    (["Sơ đồ thửa đất", "Bản sao giấy tờ về quyền sử dụng đất"], "Hồ sơ đất đai thiếu sơ đồ và giấy tờ gốc."),
)
REFUSAL_REASONS = ("Yêu cầu không thuộc thẩm quyền giải quyết của Ủy ban nhân dân cấp xã.",
                   "Giấy tờ nộp kèm có dấu hiệu bị tẩy xóa, sửa chữa.",
                   "Việc hộ tịch đã được đăng ký trước đây; đề nghị cấp bản sao trích lục.")
WITHDRAWAL_REASONS = ("Công dân xin rút hồ sơ để bổ sung sau.", "Công dân không còn nhu cầu giải quyết.", "")
STOP_REASONS = ("Có đơn tranh chấp liên quan, chờ cơ quan có thẩm quyền giải quyết.",
                "Người yêu cầu đã chết trong thời gian giải quyết hồ sơ.")
PAYMENT_REASONS = ("Nộp lệ phí cấp giấy chứng nhận và phí thẩm định.", "Nộp tiền sử dụng đất theo thông báo thuế.")
EXTENSION_REASONS = ("Cần xác minh thêm thông tin tại nơi cư trú trước đây của người yêu cầu.",
                     "Cơ quan chuyên môn cần thêm thời gian thẩm định hồ sơ.")


# --- time: office seconds ---------------------------------------------------------
#
# Every moment of a dossier's life is planned on an "office clock" T: working day w
# (index into the list of working days) and office seconds o into it, T = w*D + o with
# D the office seconds of a day. On this clock adding N working days is adding N*D,
# exactly as WorkCalendar.add_working_time counts when a working day is the whole
# office day (checked; otherwise the calendar itself is asked). A T maps back to the
# wall clock with o in (0, D], so a due moment that uses up a day ends at 17:00, as the
# calendar says.


# "HH:MM:SS.000000" for every second of a day: one list lookup per stored moment.
_TIMES_OF_DAY = [f"{h:02d}:{m:02d}:{s:02d}.000000" for h in range(24) for m in range(60) for s in range(60)]


class OfficeClock:
    def __init__(self, calendar: WorkCalendar, first: date, last: date):
        self.calendar = calendar
        self.periods = [(s.hour * 3600 + s.minute * 60 + s.second, e.hour * 3600 + e.minute * 60 + e.second)
                        for s, e in calendar.office_hours]
        self.day_seconds = sum(e - s for s, e in self.periods)
        self.exact = calendar.hours_per_day * 3600 == self.day_seconds
        self.boundaries = set()
        acc = 0
        for s, e in self.periods:
            acc += e - s
            self.boundaries.add(acc)
        days: list[date] = []
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        self.days = days
        self.index = {d: i for i, d in enumerate(days)}
        self.midnight = [timegm(d.timetuple()) - int(AGENCY_TZ.utcoffset(datetime.combine(d, time(12))).total_seconds())
                         for d in days]
        self._days: dict[int, str] = {}

    def local_seconds(self, o: int) -> int:
        """Seconds after local midnight of office second o (0 < o <= D)."""
        for s, e in self.periods:
            if o <= e - s:
                return s + o
            o -= e - s
        return self.periods[-1][1]

    def office_offset(self, seconds: int) -> int:
        """Inverse of local_seconds for a moment inside office hours."""
        acc = 0
        for s, e in self.periods:
            if seconds <= e:
                return acc + max(0, seconds - s)
            acc += e - s
        return acc

    def epoch(self, t: int) -> int:
        w = (t - 1) // self.day_seconds
        return self.midnight[w] + self.local_seconds(t - w * self.day_seconds)

    def t_of(self, moment: datetime) -> int:
        local = moment.astimezone(AGENCY_TZ)
        w = self.index[local.date()]
        return w * self.day_seconds + self.office_offset(local.hour * 3600 + local.minute * 60 + local.second)

    def text(self, epoch: int) -> str:
        """How SQLAlchemy stores a UTC datetime in SQLite ("2026-11-20 03:00:05.000000")."""
        day, second = divmod(epoch, 86400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = _time.strftime("%Y-%m-%d ", _time.gmtime(day * 86400))
        return prefix + _TIMES_OF_DAY[second]

    def iso(self, epoch: int) -> str:
        """app.serialize.iso: agency-local ISO 8601."""
        return datetime.fromtimestamp(epoch, AGENCY_TZ).isoformat()


# --- planning one dossier's life ------------------------------------------------------

# Plain values: enum attribute access is measurable at a million dossiers.
RECEIVED, FORWARDED, SUPPLEMENT_REQUESTED, SUPPLEMENTED, REFUSED, PAYMENT_REQUESTED, RESULT_READY, RETURNED, \
    WITHDRAWN, STOPPED, EXTENDED = (t.value for t in (
        E.RECEIVED, E.FORWARDED, E.SUPPLEMENT_REQUESTED, E.SUPPLEMENTED, E.REFUSED, E.PAYMENT_REQUESTED,
        E.RESULT_READY, E.RETURNED, E.WITHDRAWN, E.STOPPED, E.EXTENDED))
ACCEPTED_, REFUSED_, PROCESSING_, SUPPLEMENT_, PAYMENT_, WITHDRAWN_, STOPPED_, READY_, RETURNED_ = (s.value for s in (
    S.ACCEPTED, S.REFUSED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED, S.WITHDRAWN, S.STOPPED,
    S.RESULT_READY, S.RETURNED))


class Timeline:
    """Plans a dossier's steps on the office clock; holds the clock and the steps' fixed details."""

    def __init__(self, clock_: OfficeClock):
        self.clock = clock_
        self.D = clock_.day_seconds
        self.forward_cutoff = clock_.office_offset(15 * 3600)
        self.ready_details = json.dumps({"note": ""})
        self.supplement_details = [json.dumps({"documents": d, "reason": r, "resume_status": PROCESSING_})
                                   for d, r in SUPPLEMENT_REQUESTS]
        self.refusal_details = [json.dumps({"reason": r}) for r in REFUSAL_REASONS]
        self.withdrawal_details = [json.dumps({"reason": r}) for r in WITHDRAWAL_REASONS]
        self.stop_details = [json.dumps({"reason": r, "legal_basis": ""}) for r in STOP_REASONS]
        self.payment_details = [json.dumps({"reason": r}) for r in PAYMENT_REASONS]
        self._forward_details: dict[tuple[int, bool], str] = {}

    def due_t(self, proc: Proc, t0: int, received_epoch: int) -> int | None:
        if proc.value == 0:
            return None
        if proc.unit == ProcessingUnit.WORKING_HOURS and self.clock.exact:
            return t0 + proc.value * 3600
        if proc.unit == ProcessingUnit.WORKING_DAYS and self.clock.exact:
            return t0 + proc.value * self.D
        due = self.clock.calendar.due_at(datetime.fromtimestamp(received_epoch, UTC), proc.value, proc.unit)
        assert due is not None
        return self.clock.t_of(due)

    def forward_details(self, deadline: int, late: bool) -> str:
        key = (deadline, late)
        text = self._forward_details.get(key)
        if text is None:
            text = self._forward_details[key] = json.dumps(
                {"to": "", "deadline": self.clock.iso(self.clock.epoch(deadline)), "late": late})
        return text

    # -- a life

    def plan(self, r: Callable[[], float], proc: Proc, t0: int,
             due: int | None) -> tuple[list[tuple[int, str, int, str]], dict[str, int]]:
        """Steps after the receipt, in time order: (T, event type, status after, details JSON).

        `facts` carries what the caller needs for the steps whose details depend on what
        happened before them: the pause of a supplement, the new date of an extension.
        """
        D = self.D
        steps: list[tuple[int, str, int, str]] = []
        facts: dict[str, int] = {}
        if due is None:
            # Resolved on the spot: result and hand-over within the visit (or refused there).
            if r() < 0.01:
                steps.append((t0 + 300 + int(r() * 1500), REFUSED, REFUSED_,
                              self.refusal_details[int(r() * len(self.refusal_details))]))
                return steps, facts
            ready = t0 + 300 + int(r() * 2100)
            steps.append((ready, RESULT_READY, READY_, self.ready_details))
            steps.append((ready + 60 + int(r() * 540), RETURNED, RETURNED_, ""))
            return steps, facts

        # Forwarded the same day when received before 15:00, else the next working day (app.lifecycle).
        day_end = (t0 - 1) // D * D + D
        if t0 - (day_end - D) < self.forward_cutoff:
            deadline = day_end
            forward = min(t0 + 600 + int(r() * 4800), day_end - 60)
        else:
            deadline = day_end + D
            forward = day_end + 300 + int(r() * 5400)
        if r() < 0.01:
            forward = deadline + 600 + int(r() * D)
        steps.append((forward, FORWARDED, PROCESSING_, self.forward_details(deadline, forward > deadline)))
        span = max(due - forward, 3600)

        u = r()
        kind = "ready"
        if u < 0.012:
            kind, finish = "refuse", forward + int(D * (0.2 + 1.8 * r()))
        elif u < 0.020:
            kind, finish = "withdraw", forward + int(span * (0.1 + 0.9 * r()))
        elif u < 0.023:
            kind, finish = "stop", forward + int(span * (0.2 + 0.8 * r()))
        else:
            v = r()
            if v < 0.62:  # early
                finish = forward + int(span * (0.15 + 0.7 * r()))
            elif v < 0.88:  # on the due day
                finish = forward + int(span * (0.85 + 0.15 * r()))
            elif v < 0.994:  # late by up to six working days
                finish = due + int(D * (0.05 + 6 * r()))
            else:  # stuck for months: overdue and still processing long after
                finish = due + int(D * (20 + 230 * r()))

        # One supplement request (the clock pauses; everything after it moves by the pause).
        if r() < 0.08:
            asked = forward + 600 + int(max(finish - forward - 1200, 600) * (0.05 + 0.45 * r()))
            steps.append((asked, SUPPLEMENT_REQUESTED, SUPPLEMENT_,
                          self.supplement_details[int(r() * len(self.supplement_details))]))
            if r() < 0.08:
                return steps, facts  # never supplemented: waits (status 5) for good
            pause = int(D * (0.3 + 10 * r()))
            facts["pause"] = pause
            steps.append((asked + pause, SUPPLEMENTED, PROCESSING_, ""))  # details from the caller
            due += pause
            finish += pause
            forward = asked + pause

        if kind == "refuse":
            steps.append((finish, REFUSED, REFUSED_, self.refusal_details[int(r() * len(self.refusal_details))]))
            return steps, facts
        if kind == "withdraw":
            steps.append((finish, WITHDRAWN, WITHDRAWN_,
                          self.withdrawal_details[int(r() * len(self.withdrawal_details))]))
            return steps, facts
        if kind == "stop":
            steps.append((finish, STOPPED, STOPPED_, self.stop_details[int(r() * len(self.stop_details))]))
            return steps, facts

        # A late result: half the time the body apologises and sets a new date, a working day ahead.
        final_due = due
        if finish > due and r() < 0.5:
            asked = due - D - int(r() * D // 2)
            if asked > forward + 600:
                final_due = facts["extension"] = max(finish, due + D // 2) + int(D * (0.2 + 2 * r()))
                steps.append((asked, EXTENDED, 0, ""))  # status and details from the caller

        # A financial obligation (land, business, building permits): asked, paid, forwarded again.
        if proc.pays and r() < 0.3:
            asked = max(forward + 900, finish - int(D * (0.3 + 1.5 * r())))
            steps.append((asked, PAYMENT_REQUESTED, PAYMENT_,
                          self.payment_details[int(r() * len(self.payment_details))]))
            paid = asked + int(D * (0.1 + 2.5 * r()))
            steps.append((paid, FORWARDED, PROCESSING_, self.forward_details(deadline, True)))
            finish = max(finish, paid + 1800)

        steps.append((finish, RESULT_READY, READY_, self.ready_details))
        if r() < 0.975:  # a few results are never collected
            g = r()
            gap = int(D * (0.6 * r() if g < 0.7 else 0.6 + 4.4 * r() if g < 0.95 else 5 + 25 * r()))
            start = finish + 300 if finish >= final_due else max(finish + 300, final_due - int(D * 0.5 * r()))
            steps.append((start + gap, RETURNED, RETURNED_, ""))  # details from the caller
        steps.sort(key=lambda step: step[0])
        return steps, facts
