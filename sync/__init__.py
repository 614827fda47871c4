"""Sync with the provincial portal (docs/sync-protocol.md).

protocol     wire models v1, shared by counter and portal
client       HTTP client (requests, gzip, strict acknowledgements)
engine       one round: adaptive batched push, then cursor pull (run_sync_round, SyncResult, SyncProgress)
state        outbox states, sync facts, device token file, sync_status() for the window
apply        applying pulled changes (catalog, calendar, users, status from processing bodies)
enrollment   one-time code → device token
national     mapping to the national exchange fields
portal/      the reference portal server (FastAPI, SQLite or PostgreSQL) and its OpenAPI generator
cli          `motcua sync …` and `motcua portal …`
"""
