"""Synthetic dossiers for demonstrations and benchmarks (`motcua demo seed`).

`seed(store, dossiers, days)` fills an initialised data directory with
realistic dossiers received over the last `days` days, fast enough for a
million on a 2-core machine:

- Owners (app.demo.people): Vietnamese names with realistic family-name
  frequencies (Nguyễn about 38 %, then Trần, Lê, Phạm, …) and the Hmong, Tày
  and Thái names of a mountain commune (Lò, Vàng, Giàng, Sùng, Hà, Lường); CCCD
  numbers whose province prefix, century/sex digit and year digits agree with
  the date of birth; mobile numbers on real network prefixes; villages of the
  agency's commune and its neighbours.
- Procedures from the local catalog (app.demo.procedures), weighted like a
  commune counter's year (chứng thực and hộ tịch far ahead of the rest).
- Received within office hours of working days (app.worktime calendar, with
  this counter's corrections), due dates from the same calendar, codes in the
  scheme of app.codes (app.demo.seeding). A day may not exceed 999 dossiers per
  counter slot, so a day that needs more spreads its dossiers over further
  slots, as if the agency had up to ten counters whose dossiers reach this
  device (counter number = slot + 1; this counter's own slot is filled first).
  More than 9,990 on one working day is refused: ask for more days. The
  `sequence` table is advanced in the same transactions, so later real intakes
  (and a second seed) continue after the seeded numbers.
- Each dossier's life is planned with the rules of app.lifecycle
  (app.demo.timeline: forwarding by the 15:00 rule, one supplement request
  pausing the clock and moving the due date, payment requests, one extension at
  least a working day before the due date, refusals, withdrawals, stops, results
  early / on time / late, returns with a satisfaction rating) and cut at "now"
  (app.demo.generator): one `dossier_event` row per step that has happened, and
  `status`, `due_at`, `paused_at`, `finished_at`, `returned_at`, `extended`,
  `satisfaction` as app.lifecycle would have left them. Old dossiers are mostly
  returned; recent ones are in progress; some are overdue and still processing,
  some wait for a supplement.
- Left out to keep it fast: the dossiers' document checklists, payments,
  per-dossier audit rows (one `demo.seed` audit row records the run) and
  outbox entries (demo data must never reach the portal).

Speed: the plan (days, slots, numbers) is made up front; dossiers are then
generated in chunks of days, each with its own random stream (so a seed gives
the same dossiers however the work is split), and written by app.demo.writer
(one transaction per chunk, forked generators and `INSERT … SELECT` for large
seeds, seed-time pragmas). The log is checkpointed and truncated at the end.
IDs are time-ordered UUIDs (version 7) so the primary-key indexes grow at their
end, like the codes and dates do. On this 2-core machine: a million dossiers
(3.4 million events) in 80-95 s, a 2.7 GB database.

Modules, each importing only those before it: weighted, people, procedures,
timeline, generator, writer, seeding. This package only re-exports the API.
"""

from .seeding import DEFAULT_BATCH, MAX_DAYS, MAX_DOSSIERS, SeedReport, seed
from .writer import default_workers

__all__ = ["DEFAULT_BATCH", "MAX_DAYS", "MAX_DOSSIERS", "SeedReport", "default_workers", "seed"]
