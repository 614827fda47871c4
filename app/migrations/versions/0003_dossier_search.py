"""dossier search index and list indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Written by hand: autogenerate knows nothing of FTS5.

`dossier_fts` is an external-content FTS5 index over `dossier.search_text` (the
folded code, owner name, identity number and phone: no diacritics, đ→d, lower
case; see app.search). Its rowid is the dossier table's rowid. `detail=none`
keeps only which rows hold a token (no positions: searches never ask for
phrases) and prefix indexes of 1 to 6 characters let every typed term be
matched as a prefix without merging thousands of doclists at query time.

The dossier table has no INTEGER PRIMARY KEY, so its rowids survive INSERT and
UPDATE but not VACUUM or a copy-and-rename rebuild (batch mode with
recreate). Any later migration that rebuilds `dossier` must end with
`INSERT INTO dossier_fts(dossier_fts) VALUES('rebuild')`.

The autogenerate comparison skips the index's tables (app.search.is_search_index_table,
used as include_object in env.py).
"""

from alembic import op

from app.textfold import fold

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

LIST_INDEXES = (
    ('ix_dossier_status_received', ['status', 'received_at']),
    ('ix_dossier_field_received', ['field_code', 'received_at']),
    ('ix_dossier_procedure_received', ['procedure_code', 'received_at']),
    ('ix_dossier_procedure_name', ['procedure_name', 'received_at']),
    ('ix_dossier_due_at', ['due_at']),
    ('ix_dossier_owner_name', ['owner_name']),
)

CREATE_FTS = (
    "CREATE VIRTUAL TABLE dossier_fts USING fts5("
    "search_text, content='dossier', content_rowid='rowid', "
    "tokenize='unicode61', prefix='1 2 3 4 5 6', detail=none)"
)


def upgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        for name, columns in LIST_INDEXES:
            batch_op.create_index(name, columns, unique=False)
    op.execute(CREATE_FTS)
    _backfill()


def _backfill() -> None:
    """Make every stored search_text the folded code, name, id and phone, then index all rows."""
    bind = op.get_bind()
    rows = bind.exec_driver_sql(
        "SELECT rowid, code, owner_name, owner_id_number, owner_phone, search_text FROM dossier").fetchall()
    changes = []
    for rowid, code, name, id_number, phone, stored in rows:
        folded = fold(f"{code} {name} {id_number} {phone}")
        if folded != stored:
            changes.append((folded, rowid))
    if changes:
        bind.exec_driver_sql("UPDATE dossier SET search_text = ? WHERE rowid = ?", changes)
    op.execute("INSERT INTO dossier_fts(dossier_fts) VALUES('rebuild')")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS dossier_fts")
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        for name, _columns in reversed(LIST_INDEXES):
            batch_op.drop_index(name)
