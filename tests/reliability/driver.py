"""The child process of the power-cut suite: a counter working flat out until it is killed.

It runs the same use cases as `motcua receive` / `act` / `pay`, in-process
(a new interpreter per command would spend the whole run importing), and
prints one line to stdout only after a call has returned, that is after its
transaction committed. Those lines are the "reported successes" the checker
holds the database to after the SIGKILL.

The device clock is pinned to a synthetic day per round (round r is day r
after 2026-01-05) running at real speed, so hundreds of rounds never exhaust
one day's 999 dossier numbers and time never runs backwards between rounds.

Lines: `ready`, then `receive <code> <dossier_id>`, `act <code> <seq> <event_id>`,
`pay <code> <payment_id> <amount>`.
"""

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app import clock

BASE_DAY = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội, a Monday


def pin_clock(round_number: int) -> None:
    start = BASE_DAY + timedelta(days=round_number)
    t0 = time.monotonic()
    clock.now = lambda: start + timedelta(seconds=time.monotonic() - t0)  # type: ignore[assignment]


def say(line: str) -> None:
    # One write and a flush per line: the parent only trusts lines that end in a newline.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


NAMES = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Đức", "Phạm Thị Ngọc Ánh", "Hoàng Minh Tuấn",
         "Đặng Thị Hồng Nhung", "Vũ Quốc Việt", "Bùi Thị Thu Hà"]


def person(rng: random.Random) -> "object":
    from app.intake import PersonInput

    # CCCD: Hà Nội (001), born in the 1900s (century digit 0), year 80–99, then six digits.
    year = rng.randint(80, 99)
    id_number = f"0010{year:02d}{rng.randint(0, 999999):06d}"
    return PersonInput(full_name=rng.choice(NAMES), id_number=id_number, phone=f"09{rng.randint(0, 99999999):08d}",
                       address="Thôn Bản Mế, xã Tân Lập")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--round", type=int, required=True)
    args = parser.parse_args(argv)

    from sqlmodel import col, select

    from app import fees
    from app.bootstrap import open_store
    from app.catalog import list_procedures
    from app.errors import CounterError
    from app.intake import IntakeRequest, all_documents, receive
    from app.lifecycle import Action, StepRequest, allowed_actions, perform
    from app.users import actor_for, first_admin
    from models.enums import DossierStatus, PaymentKind
    from models.tables import Dossier

    pin_clock(args.round)
    rng = random.Random(f"{args.seed}:{args.round}")
    store = open_store(args.data_dir)
    with store.read() as session:
        user = first_admin(session)
        assert user is not None, "the parent initialises the counter first"
        actor = actor_for(user)
        specs = list_procedures(session)
    say("ready")

    def open_dossiers() -> list[Dossier]:
        with store.read() as session:
            return list(session.exec(select(Dossier).where(col(Dossier.status).in_([2, 3, 4, 5, 9]))
                                     .order_by(col(Dossier.received_at).desc()).limit(40)).all())

    while True:
        op = rng.choices(["receive", "act", "pay"], weights=[4, 5, 2])[0]
        try:
            if op == "receive":
                spec = rng.choice(specs)
                result = receive(store, actor, IntakeRequest(
                    procedure_code=spec.code, owner=person(rng), documents=all_documents(spec),  # type: ignore[arg-type]
                    accept_missing_required=True, note=rng.choice(["", "Hồ sơ nộp trực tiếp tại quầy."])))
                say(f"receive {result.code} {result.dossier_id}")
            elif op == "act":
                candidates = open_dossiers()
                if not candidates:
                    continue
                dossier = rng.choice(candidates)
                actions = [a for a in allowed_actions(dossier) if a is not Action.EXTEND]
                if not actions:
                    continue
                action = rng.choice(actions)
                record = perform(store, actor, dossier.code, StepRequest(
                    action=action, reason="Thiếu bản sao giấy khai sinh.", documents=["Bản sao giấy khai sinh"],
                    processing_body="Công chức Tư pháp - Hộ tịch", satisfaction=1))
                last = record.events[-1]
                say(f"act {dossier.code} {last.seq} {last.id}")
            else:
                due = [d for d in open_dossiers() if d.fee_total > d.amount_paid
                       and d.status not in (DossierStatus.REFUSED, DossierStatus.WITHDRAWN)]
                if not due:
                    continue
                dossier = rng.choice(due)
                amount = rng.randint(1, dossier.fee_total - dossier.amount_paid)
                payment = fees.record(store, actor, dossier.code, fees.PaymentRequest(
                    kind=PaymentKind.PAYMENT, amount=amount))
                say(f"pay {dossier.code} {payment.id} {amount}")
        except CounterError as error:
            # A step refused for a reason of the domain (supplement asked twice, …): not a success, not a fault.
            say(f"refused {op}: {error}".replace("\n", " "))


if __name__ == "__main__":
    sys.exit(main())
