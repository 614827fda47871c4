"""Finding one dossier among a million: by code, by identity or phone number, by name.

What the officer types is tried in this order:

1. an exact dossier code (`H15.50.05.13-261122-0001`, any case): the unique index;
2. six or more digits (spaces, dots, dashes and a leading +84 ignored): a prefix of
   the owner's identity number or phone, on their own indexes;
3. anything else (or a number nothing matched): the FTS5 index `dossier_fts`
   (migration 0003) over `dossier.search_text`, the folded code, owner name,
   identity number and phone. Every typed term must start a word, so
   "nguyen van d" finds "Nguyễn Văn Đức" and "dang" finds "Đặng".

Results come newest first (highest rowid: the order dossiers were written),
and the FTS query is `ORDER BY rowid DESC LIMIT n`, so SQLite stops as soon as
it has n rows however common the terms are. Terms are reduced to letters and
digits and quoted before they reach FTS5, so no input can be read as FTS
syntax; should SQLite still refuse a query, the search logs it and finds
nothing rather than raise.

The index has `detail=none` (rows only, no positions) and prefix indexes of 1
to 6 characters; see the migration for why, and for what a later migration
that rebuilds the dossier table must do (`rebuild_index`).
"""

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, column, func, literal_column, or_, table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement, TextClause
from sqlmodel import Session, col, select

from app.textfold import fold
from app.validation import normalise_phone
from models.tables import Dossier

log = logging.getLogger("motcua.search")

FTS_TABLE = "dossier_fts"
DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
# Bounds on what a pasted essay can cost: characters read, terms kept, characters per term.
MAX_QUERY_CHARS = 1000
MAX_TERMS = 12
MAX_TERM_CHARS = 64
MIN_NUMBER_DIGITS = 6
# With a status filter: how many of the newest matches are checked before the status's own index is
# used, and how many dossiers of that status are read that way before the word index drives instead.
CANDIDATE_STEPS = (300, 5000)
CANDIDATES = CANDIDATE_STEPS[-1]
STATUS_SCAN = 30_000

# `{agency}-{yyMMdd}-{NNNN}`; the agency part is checked loosely (any code the counter ever issued).
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9.]{0,20}-\d{6}-\d{4}$")
# What FTS5's unicode61 tokenizer keeps in a token: letters and digits (no underscore).
_TOKEN = re.compile(r"[^\W_]+")
_NUMBER_NOISE = re.compile(r"[\s.\-()]")

_fts = table(FTS_TABLE, column("rowid"))
_DOSSIER_ROWID = literal_column("dossier.rowid")


def is_search_index_table(name: str | None) -> bool:
    """The FTS5 table and its shadow tables: not SQLModel tables, invisible to autogenerate."""
    return bool(name) and (name == FTS_TABLE or str(name).startswith(FTS_TABLE + "_"))


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's include_object hook: leave the search index's tables out of autogenerate comparisons."""
    return not (type_ == "table" and is_search_index_table(name))


def search_text_for(code: str, owner_name: str, owner_id_number: str, owner_phone: str) -> str:
    """What `dossier.search_text` holds and the index covers."""
    return fold(f"{code} {owner_name} {owner_id_number} {owner_phone}")


def search_terms(query: str) -> list[str]:
    """Folded letter-and-digit runs of the query, each once, in order, bounded in number and length."""
    terms: list[str] = []
    for token in _TOKEN.findall(fold(query[:MAX_QUERY_CHARS])):
        token = token[:MAX_TERM_CHARS]
        if token not in terms:
            terms.append(token)
            if len(terms) == MAX_TERMS:
                break
    return terms


def match_expression(terms: Sequence[str]) -> str:
    """`"nguyen"* "van"* "d"*`: every term a quoted prefix; FTS5 ANDs them."""
    return " ".join('"' + term.replace('"', '""') + '"*' for term in terms)


def matches(search_text: str, terms: Sequence[str]) -> bool:
    """The same test in Python: every term starts some word of the folded text."""
    words = _TOKEN.findall(search_text)
    return all(any(word.startswith(term) for word in words) for term in terms)


def number_prefix(query: str) -> str | None:
    """The digits of an identity number or phone being typed, if that is what the query is."""
    digits = _NUMBER_NOISE.sub("", query.strip())
    if digits.startswith("+"):
        digits = normalise_phone(digits)
    if len(digits) >= MIN_NUMBER_DIGITS and digits.isascii() and digits.isdigit():
        return digits
    return None


def exact_code(query: str) -> str | None:
    code = query.strip().upper()
    return code if _CODE.match(code) else None


def statuses_of(status: int | Iterable[int] | None) -> tuple[int, ...] | None:
    if status is None:
        return None
    if isinstance(status, int):
        return (int(status),)
    return tuple(sorted({int(s) for s in status}))


def _prefix_range(column_: Any, prefix: str) -> ColumnElement[bool]:
    """`column LIKE 'prefix%'` as a range the column's index can serve (LIKE cannot: it ignores case)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column_ >= prefix, column_ < upper)


def number_condition(number: str) -> ColumnElement[bool]:
    phone = normalise_phone(number)
    return or_(_prefix_range(col(Dossier.owner_id_number), number),
               _prefix_range(col(Dossier.owner_phone), phone))


def fts_condition(terms: Sequence[str]) -> TextClause:
    """The dossiers whose folded text has every term as a word prefix, as a WHERE condition."""
    return text(f"dossier.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts_match)"
                ).bindparams(fts_match=match_expression(terms))


def search_dossiers(session: Session, text_: str, *, status: int | Iterable[int] | None = None,
                    limit: int = DEFAULT_LIMIT) -> list[Dossier]:
    """Dossiers matching what was typed, newest first; never raises on odd input."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    statuses = statuses_of(status)
    query = (text_ or "")[:MAX_QUERY_CHARS].strip()
    if not query:
        return []

    code = exact_code(query)
    if code is not None:
        found = session.exec(select(Dossier).where(Dossier.code == code)).first()
        if found is not None:
            return [found] if statuses is None or found.status in statuses else []

    number = number_prefix(query)
    if number is not None:
        statement = select(Dossier).where(number_condition(number))
        if statuses is not None:
            statement = statement.where(col(Dossier.status).in_(statuses))
        rows = list(session.exec(statement.order_by(_DOSSIER_ROWID.desc()).limit(limit)).all())
        if rows:
            return rows

    terms = search_terms(query)
    if not terms:
        return []
    try:
        rows = _by_terms(session, terms, statuses, limit)
    except DBAPIError as error:  # a search box must never crash the counter
        log.warning("dossier search refused by SQLite for %r: %s", match_expression(terms), error.orig)
        return []
    kept = [row for row in rows if matches(row.search_text, terms)]
    if len(kept) != len(rows):
        # Only a stale index can do this (a dossier's text changed without reindex_dossier, or the
        # table was rebuilt and rowids moved); the stray rows are dropped, and rebuild_index heals it.
        log.warning("search index out of step with %d dossier(s); run rebuild_index", len(rows) - len(kept))
    return kept


def _by_terms(session: Session, terms: Sequence[str], statuses: tuple[int, ...] | None, limit: int
              ) -> list[Dossier]:
    match = match_expression(terms)
    if statuses is None:
        # The index walks its matches newest first and stops after `limit`.
        return list(session.exec(
            select(Dossier).join(_fts, _fts.c.rowid == _DOSSIER_ROWID)
            .where(text(f"{FTS_TABLE} MATCH :fts_match").bindparams(fts_match=match))
            .order_by(_fts.c.rowid.desc()).limit(limit)).all())
    # With a status, the newest matches may hold too few of that status ("nguyen" among the
    # dossiers received today). First the newest CANDIDATES matches; then, only if that was
    # not enough, the older dossiers of that status, through the status's own index.
    connection = session.connection()
    # "+": the status is a filter here, not the way in (a common status would read most of the table).
    status_filter = literal_column("+dossier.status").in_(statuses)
    for step in CANDIDATE_STEPS:
        candidates = [row[0] for row in connection.execute(
            text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :m ORDER BY rowid DESC LIMIT :k"),
            {"m": match, "k": step + 1})]
        rows = list(session.exec(
            select(Dossier).where(_DOSSIER_ROWID.in_(candidates[:step]), status_filter)
            .order_by(_DOSSIER_ROWID.desc()).limit(limit)).all()) if candidates else []
        if len(rows) == limit or len(candidates) <= step:
            return rows
    oldest = text("+dossier.rowid < :oldest").bindparams(oldest=candidates[step - 1])
    of_status = connection.execute(
        select(func.count()).select_from(Dossier).where(col(Dossier.status).in_(statuses))).scalar_one()
    if of_status > STATUS_SCAN:  # a common status after all: the word index drives
        return rows + list(session.exec(
            select(Dossier).where(
                status_filter, oldest,
                text(f"+dossier.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts_match)"
                     ).bindparams(fts_match=match))
            .order_by(_DOSSIER_ROWID.desc()).limit(limit - len(rows))).all())
    # A rare status: read its dossiers through its index, SQLite keeping those whose text holds
    # every term somewhere, this module keeping those where each term starts a word.
    statement = select(_DOSSIER_ROWID, col(Dossier.search_text)).where(col(Dossier.status).in_(statuses), oldest)
    for term in terms:
        statement = statement.where(col(Dossier.search_text).contains(term, autoescape=True))
    older = sorted((rowid for rowid, search_text in connection.execute(statement) if matches(search_text, terms)),
                   reverse=True)[:limit - len(rows)]
    if older:
        rows += session.exec(select(Dossier).where(_DOSSIER_ROWID.in_(older)).order_by(_DOSSIER_ROWID.desc())).all()
    return rows


# --- keeping the index in step ----------------------------------------------


def index_dossier(session: Session, dossier: Dossier) -> None:
    """Add a newly written dossier to the index; call inside its write transaction."""
    expected = search_text_for(dossier.code, dossier.owner_name, dossier.owner_id_number, dossier.owner_phone)
    if dossier.search_text != expected:
        dossier.search_text = expected
        session.add(dossier)
    session.flush()
    session.connection().execute(
        text(f"INSERT INTO {FTS_TABLE}(rowid, search_text) SELECT rowid, search_text FROM dossier WHERE id = :id"),
        {"id": dossier.id})


def reindex_dossier(session: Session, dossier: Dossier, previous_text: str) -> None:
    """After a correction of the owner's name, id or phone: `previous_text` is the search_text before it.

    An external-content FTS5 index forgets a row only when told exactly what it indexed.
    """
    connection = session.connection()
    connection.execute(
        text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
             "SELECT 'delete', rowid, :old FROM dossier WHERE id = :id"),
        {"old": previous_text, "id": dossier.id})
    index_dossier(session, dossier)


def rebuild_index(session: Session) -> None:
    """Re-read every dossier's search_text into the index (after a rebuild of the dossier table)."""
    session.connection().execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('rebuild')"))


def index_rows_after(dbapi_connection: Any, rowid: int) -> int:
    """Bulk path (demo seed, imports): index every dossier with a rowid above `rowid`, in SQL."""
    cursor = dbapi_connection.execute(
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) SELECT rowid, search_text FROM dossier WHERE rowid > ?",
        (rowid,))
    return int(cursor.rowcount)


def optimize_index(dbapi_connection: Any) -> None:
    """Merge the index's segments into one (after a bulk load): fewer pages per query."""
    dbapi_connection.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('optimize')")
