"""The regional lead's groups of recurring recommendations, stored in the regional database per round
label (``models.regional``). Until the lead has reviewed them, the report uses the app's
suggestions (``recurring.suggest_groups``) and says so; once saved — even as no groups at all — the
saved groups are the report's."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import RecurringGroup, RecurringGroupMember, Setting

REVIEWED = "recurring-groups-reviewed:"  # + round label: the lead has saved this round's groups
MAX_TITLE = 300


def stored_groups(session: Session, round_label: str) -> list[tuple[str, tuple[str, ...]]] | None:
    """The saved groups as (title, recommendation keys); None when the lead has not reviewed any yet."""
    reviewed = session.scalar(select(Setting.id).where(Setting.key == f"{REVIEWED}{round_label}"))
    if reviewed is None:
        return None
    groups = session.scalars(select(RecurringGroup).where(RecurringGroup.round_label == round_label)
                             .order_by(RecurringGroup.position, RecurringGroup.id)).all()
    return [(g.title, tuple(m.recommendation_uuid for m in g.members)) for g in groups]


def save_groups(session: Session, round_label: str, groups: Sequence[tuple[str, Sequence[str]]]) -> int:
    """Replace the round's groups with ``groups`` (in order); returns how many were saved. A group
    needs a title and two recommendations; a recommendation belongs to one group at most."""
    seen: set[str] = set()
    cleaned = []
    for title, keys in groups:
        title = " ".join(title.split())
        if not title:
            raise UserError("Each group of recurring recommendations needs a name.")
        if len(title) > MAX_TITLE:
            raise UserError(f"A group's name can be at most {MAX_TITLE} characters.")
        keys = list(dict.fromkeys(keys))
        if len(keys) < 2:
            raise UserError(f"The group ‘{title[:60]}’ has fewer than two recommendations: a recurring "
                            "recommendation recurs across organisations.")
        twice = next((k for k in keys if k in seen), None)
        if twice is not None:
            raise UserError(f"A recommendation is in two groups (the second is ‘{title[:60]}’); keep it in one.")
        seen.update(keys)
        cleaned.append((title, keys))
    ids = select(RecurringGroup.id).where(RecurringGroup.round_label == round_label)
    session.execute(delete(RecurringGroupMember).where(RecurringGroupMember.group_id.in_(ids)))
    session.execute(delete(RecurringGroup).where(RecurringGroup.round_label == round_label))
    for position, (title, keys) in enumerate(cleaned):
        session.add(RecurringGroup(round_label=round_label, title=title, position=position, members=[
            RecurringGroupMember(recommendation_uuid=k, position=i) for i, k in enumerate(keys)]))
    key = f"{REVIEWED}{round_label}"
    if session.scalar(select(Setting).where(Setting.key == key)) is None:
        session.add(Setting(key=key, value="1"))
    session.flush()
    return len(cleaned)


__all__ = ["save_groups", "stored_groups"]
