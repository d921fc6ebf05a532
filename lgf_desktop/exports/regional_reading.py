"""The regional database read for the regional report: each partnership's round of one label as
its own ``ReportData`` (``report_data.read_report``, untouched), in one pass per round.

A regional database holds the lead's own partnership's round (if the lead is one of the
partnerships) and the rounds imported from the others, each under its own partnership. The regional
report renders from the list this returns (``regional_data.regional_report_data``); each
organisation carries its ``identity``, so one reviewed by two partnerships is recognised as one.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..collation import name_key
from ..errors import UserError
from ..models import PanelMember, Partnership, Person, Review, ReviewPanelPresence, Round, Theme
from .report_data import ReportData, read_report


def regional_rounds(session: Session, round_label: str) -> list[Round]:
    """The peer-review rounds labelled ``round_label``, one per partnership, by partnership name."""
    reviews = selectinload(Round.reviews)
    rounds = session.scalars(
        select(Round).join(Partnership, Round.partnership_id == Partnership.id)
        .where(Round.label == round_label, Round.kind == "peer review")
        # Everything the report reads, one query per level for all the rounds, not one per review.
        .options(joinedload(Round.partnership), selectinload(Round.themes).selectinload(Theme.questions),
                 selectinload(Round.panel).joinedload(PanelMember.person).joinedload(Person.organisation),
                 reviews.joinedload(Review.organisation), reviews.selectinload(Review.responses),
                 reviews.selectinload(Review.representatives), reviews.selectinload(Review.contact_attempts),
                 reviews.selectinload(Review.panel_present).joinedload(ReviewPanelPresence.panel_member)
                 .joinedload(PanelMember.person))).unique().all()
    return sorted(rounds, key=lambda r: name_key(r.partnership.name))


def read_regional_report_data(session_or_db, round_label: str) -> list[ReportData]:
    """Each partnership's ``ReportData`` for ``round_label`` (a session, or a ``Database`` read
    in a session of its own); refused with a sentence when there is none."""
    if not isinstance(session_or_db, Session):
        with session_or_db.session() as session:
            return read_regional_report_data(session, round_label)
    rounds = regional_rounds(session_or_db, round_label)
    if not rounds:
        raise UserError(f"There are no partnerships' rounds labelled {round_label} in this database.")
    return [read_report(session_or_db, r, refuse_empty=False) for r in rounds]


def region_name(session: Session, round_label: str) -> str:
    """The region the partnerships of ``round_label`` name most often ("" when none does)."""
    regions = Counter(r.partnership.region for r in regional_rounds(session, round_label) if r.partnership.region)
    return regions.most_common(1)[0][0] if regions else ""
