"""Generating dossiers: each day's rows from its own random stream, ready for the writer.

`Generator` draws a procedure, a person (app.demo.people) and a life
(app.demo.timeline) per dossier and renders the dossier and event rows; `generate`
runs it over a chunk of planned days. Everything it needs arrives in a picklable
`Config`, so the same code runs here or in a forked worker (app.demo.writer).
"""

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from app.codes import NUMBERS_PER_SLOT
from app.worktime import AGENCY_TZ, DayOverride, WorkCalendar

from .people import People
from .procedures import FIELD_WEIGHTS, OTHER_WEIGHT, PROCEDURE_WEIGHTS, Proc
from .timeline import (ACCEPTED_, EXTENDED, EXTENSION_REASONS, RECEIVED, RESULT_READY, RETURNED, SUPPLEMENT_REQUESTED,
                       SUPPLEMENTED, OfficeClock, Timeline)
from .weighted import Weighted

# The UUID version 7 variant nibble for each hex digit drawn (two random bits kept).
_VARIANT = {h: "89ab"[int(h, 16) & 3] for h in "0123456789abcdef"}


@dataclass(frozen=True)
class Config:
    """Everything a generating process needs (picklable: it crosses to a worker process)."""

    seed: int
    now_epoch: int
    first_day: date
    last_day: date
    overrides: tuple[DayOverride, ...]
    office_hours: tuple[tuple[time, time], ...]
    hours_per_day: int
    procedures: tuple[Proc, ...]
    officers: tuple[tuple[int, str], ...]
    commune: str
    province: str
    agency: str


@dataclass(frozen=True)
class DayTask:
    w: int  # index of the day in the clock's working days
    day: date
    count: int
    limit: int  # office seconds of the day open for receipts (less than a day for today)
    slots: tuple[tuple[int, int], ...]  # (slot, numbers it had already issued that day)
    registers: tuple[tuple[int, int], ...]  # (counter, register numbers it had already used that year)


@dataclass
class Batch:
    dossiers: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    sequences: dict[tuple[str, str], int] = field(default_factory=dict)


class Generator:
    """Renders dossiers; holds the tables, the clock, the timeline and the random generator."""

    def __init__(self, config: Config):
        calendar = WorkCalendar(config.overrides, office_hours=config.office_hours,
                                hours_per_day=config.hours_per_day)
        clock_ = OfficeClock(calendar, config.first_day, config.last_day)
        self.seed = config.seed
        self.reseed(date(2000, 1, 1))
        self.clock = clock_
        self.timeline = Timeline(clock_)
        self.now_epoch = config.now_epoch
        self.procedures = Weighted([(p, PROCEDURE_WEIGHTS.get(p.code, FIELD_WEIGHTS.get(p.field_code, OTHER_WEIGHT)))
                                    for p in config.procedures])
        self.people = People(config.commune, config.province,
                             datetime.fromtimestamp(config.now_epoch, AGENCY_TZ).year)
        self.officers = list(config.officers)
        self.received_details = json.dumps({"late_entry": False, "missing_required": []})
        self._return_details: dict[tuple[str, int | None], str] = {}
        self.statuses: Counter[int] = Counter()
        self.events = 0

    def reseed(self, day: date) -> None:
        """One random stream per day: the same seed gives the same dossiers however the work is split."""
        self.rnd = random.Random(f"{self.seed}/{day.isoformat()}")
        self.r = self.rnd.random
        self.bits = self.rnd.getrandbits

    def dossier(self, batch: Batch, t0: int, code: str, counter: int, register_book: str, register: int) -> None:
        r = self.r
        clock_ = self.clock
        text_of = clock_.text
        epoch_of = clock_.epoch
        proc: Proc = self.procedures.pick(r())
        name, name_folded, id_number, dob, phone, address = self.people.person(r)
        received = epoch_of(t0)
        received_text = text_of(received)
        officer_id, officer_name = self.officers[int(r() * len(self.officers))]
        stamp = f"{received * 1000 + int(r() * 1000):012x}"
        tail = f"{self.bits(76):019x}"
        dossier_id = f"{stamp[:8]}-{stamp[8:]}-7{tail[:3]}-{_VARIANT[tail[3]]}{tail[4:7]}-{tail[7:]}"
        event_prefix = dossier_id[:24]
        bits = self.bits

        due = self.timeline.due_t(proc, t0, received)
        steps, facts = self.timeline.plan(r, proc, t0, due)
        events = batch.events
        events.append((f"{event_prefix}{bits(48):012x}", dossier_id, 1, RECEIVED, received_text, received_text,
                       officer_id, counter, ACCEPTED_, self.received_details))
        status = ACCEPTED_
        paused_at = finished_at = returned_at = None
        extended = 0
        satisfaction = None
        previous = t0
        seq = 1
        now_epoch = self.now_epoch
        for t, kind, after, details in steps:
            if t < previous + 60:
                t = previous + 60
            moment = epoch_of(t)
            if moment > now_epoch:
                break
            previous = t
            text = text_of(moment)
            if kind is SUPPLEMENT_REQUESTED:
                paused_at = text
            elif kind is SUPPLEMENTED:
                assert due is not None
                pause = facts["pause"]
                details = json.dumps({"paused_working_minutes": pause // 60,
                                      "old_due_at": clock_.iso(epoch_of(due)),
                                      "new_due_at": clock_.iso(epoch_of(due + pause)), "note": ""})
                due += pause
                paused_at = None
            elif kind is EXTENDED:
                assert due is not None
                new = facts["extension"]
                details = json.dumps({"reason": EXTENSION_REASONS[int(r() * len(EXTENSION_REASONS))],
                                      "old_due_at": clock_.iso(epoch_of(due)), "new_due_at": clock_.iso(epoch_of(new))})
                due = new
                extended = 1
                after = status  # an extension leaves the status as it was
            elif kind is RESULT_READY:
                finished_at = text
            elif kind is RETURNED:
                returned_at = text
                g = r()
                satisfaction = None if g < 0.4 else 1 if g < 0.93 else 2 if g < 0.985 else 3
                key = (name, satisfaction)
                details = self._return_details.get(key) or self._return_details.setdefault(
                    key, json.dumps({"receiver_name": name, "receiver_id": "", "satisfaction": satisfaction}))
            seq += 1
            status = after
            events.append((f"{event_prefix}{bits(48):012x}", dossier_id, seq, kind, text, text, officer_id, counter,
                           status, details))
        self.events += seq
        self.statuses[status] += 1

        channel_draw = r()
        channel = "counter" if channel_draw < 0.86 else "online" if channel_draw < 0.97 else "postal"
        by_post = proc.postal and r() < 0.04
        search_text = f"{code.lower()} {name_folded} {id_number} {phone}" if phone else \
            f"{code.lower()} {name_folded} {id_number}"
        batch.dossiers.append((
            dossier_id, code, proc.id, proc.code, proc.name, proc.field_code, channel, status,
            name, id_number, dob, phone, "", address, 1,
            "", "", "", 1, "post" if by_post else "counter", address if by_post else "",
            "", received_text, received_text, 0, text_of(epoch_of(due)) if due is not None else None,
            proc.value, proc.unit, proc.fee_total, register_book, register, officer_id, officer_name, counter,
            search_text, paused_at, finished_at, returned_at, extended, satisfaction, 0))


def slot_sequence(count: int, slots: tuple[tuple[int, int], ...]) -> list[int]:
    """Which slot issues each of the day's dossiers: round robin, skipping slots that are full."""
    issued = {slot: used for slot, used in slots}
    cycle = [slot for slot, _used in slots]
    order = []
    k = 0
    for _ in range(count):
        slot = cycle[k % len(cycle)]
        while issued[slot] >= NUMBERS_PER_SLOT:
            k += 1
            slot = cycle[k % len(cycle)]
        k += 1
        issued[slot] += 1
        order.append(slot)
    return order


def generate(generator: Generator, agency: str, tasks: list[DayTask]) -> Batch:
    batch = Batch()
    clock_ = generator.clock
    D = clock_.day_seconds
    for task in tasks:
        generator.reseed(task.day)
        rnd = generator.rnd
        offsets = sorted(1 + int(rnd.random() * (task.limit - 2)) for _ in range(task.count))
        numbers = dict(task.slots)
        registers = dict(task.registers)
        prefix = f"{agency}-{task.day:%y%m%d}-"
        year = task.day.year
        base = task.w * D
        for o, slot in zip(offsets, slot_sequence(task.count, task.slots)):
            if o in clock_.boundaries:
                o += 1  # never exactly at 11:30 or 17:00: those moments are outside office hours
            number = numbers[slot] = numbers[slot] + 1
            counter = slot + 1
            register = registers[counter] = registers.get(counter, 0) + 1
            generator.dossier(batch, base + o, f"{prefix}{slot * 1000 + number:04d}", counter,
                              f"{counter:02d}/{year}", register)
    return batch
