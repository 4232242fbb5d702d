"""The store every service process shares: SQLite in `AMENDS_DATA_DIR` by default, PostgreSQL
when `AMENDS_DATABASE_URL` names one. Schema in `schema.py`, migrations in `migrations/`."""

from service.store.engine import RawJSON
from service.store.store import (
    AUDIT_FIELDS,
    KEY_ROLES,
    ApiKey,
    AuditRecord,
    IdempotencyRecord,
    KeyExists,
    Review,
    ReviewConflict,
    Store,
    StoreUnavailable,
    migrate,
    new_id,
    utcnow,
)

__all__ = [
    "AUDIT_FIELDS",
    "KEY_ROLES",
    "ApiKey",
    "AuditRecord",
    "IdempotencyRecord",
    "KeyExists",
    "RawJSON",
    "Review",
    "ReviewConflict",
    "Store",
    "StoreUnavailable",
    "migrate",
    "new_id",
    "utcnow",
]
