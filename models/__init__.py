"""SQLModel tables, enums and value types. Imports nothing else of ours."""

from models import tables as _tables  # noqa: F401  (registers every table on SQLModel.metadata)
