"""Alembic environment: always run in-process on a connection the app hands over."""

from alembic import context
from sqlmodel import SQLModel

import models  # noqa: F401  (fills SQLModel.metadata)
# The FTS5 search index (migration 0003) and its shadow tables are not SQLModel tables.
from app.search import include_object

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    render_as_batch=True,
    # SQLite does roll back DDL; one transaction per upgrade means a power cut
    # mid-migration leaves the old schema intact.
    transactional_ddl=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
