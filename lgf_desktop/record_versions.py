"""Record versions, raised once in the data layer.

A ``before_flush`` listener raises ``version`` by one on every record of a versioned table
(``VersionedMixin``) whose recorded columns changed (those the change history records: clock ticks
and other bookkeeping do not count), unless the change set the version itself. So every path that
changes a record through a session — the forms, the CLI, imports and merges — moves its version, and
a screen that loaded an older one is told instead of overwriting (``services.stale``). The few hot
paths that write with plain SQL raise it in their own statement (``services.review.workshop.save_response``).
Grades and case summaries keep the audit merge's own versioning (``services.audit.grading.bump``).
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session


def changed_columns(obj: object) -> list[str]:
    """The recorded columns of a loaded record with a pending change."""
    state = inspect(obj)
    ignore = type(obj).__history_ignore__
    changed = []
    for column in state.mapper.column_attrs:
        if column.key in ignore:
            continue
        history = state.attrs[column.key].history
        if history.has_changes() and (history.deleted or [None])[0] != (history.added or [None])[0]:
            changed.append(column.key)
    return changed


@event.listens_for(Session, "before_flush")
def _raise_versions(session: Session, flush_context: object, instances: object) -> None:
    for obj in session.dirty:
        if not getattr(obj, "__versioned__", False) or not session.is_modified(obj):
            continue
        if inspect(obj).attrs.version.history.has_changes():
            continue  # the caller set the version (a restore or a merge)
        if changed_columns(obj):
            obj.version = (obj.version or 0) + 1
