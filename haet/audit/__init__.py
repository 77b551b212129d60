"""One audit log for every write (issue 15): see haet.audit.registry (what is
logged), haet.audit.context (who, under which request, doing what) and
haet.audit.chain (the hash chain). What most callers need is here:

    from haet import audit
    with audit.action("decision.released"):
        ...
    audit.record("retention.file_purged", row, before=..., after=...)  # bulk writes
"""

from typing import TYPE_CHECKING, Any

from haet.audit.context import acting, action, disabled

if TYPE_CHECKING:
    from django.db import models

__all__ = ["acting", "action", "disabled", "record"]


def record(action: str, obj: "models.Model | None" = None, **kwargs: Any) -> None:
    """An entry for a write no signal sees (a bulk update or create): see
    haet.audit.registry.record. (Imported late: this package loads before the
    models are ready.)"""
    from haet.audit.registry import record as record_entry

    record_entry(action, obj, **kwargs)
