"""Collating a self-assessment round for the business manager: organisations × standards with the
agreed rating of each answer (moderated where the panel agreed one), who has returned, partly or not
yet (with the dates chased), counts per standard, and each answer beside the organisation's answer
to the same standard in the previous cycle (better / worse / same).

``collate`` builds one plain value in a few queries; the grid, the CLI and the report all read it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Organisation, Round, SelfAssessmentAnswer, SelfAssessmentReturn, Standard
from .standards import Scale, previous_round, scale_of, standards_of

BETTER, WORSE, SAME = "better", "worse", "same"


@dataclass(frozen=True)
class StandardColumn:
    id: int
    key: str
    number: int
    title: str
    wording: str


@dataclass
class Cell:
    answer_id: int
    rating: str  # as the organisation gave it
    moderated: str
    not_applicable_reason: str
    evidence: str
    works_well: str
    to_improve: str
    actions: str
    action_owner: str
    action_due: date | None
    carried_from: str
    confirmed_unchanged: bool
    challenge: str
    version: int
    previous: str = ""  # the agreed rating last cycle
    comparison: str = ""  # better / worse / same, when both cycles rated it on a ranked option

    @property
    def agreed(self) -> str:
        return self.moderated or self.rating


@dataclass
class OrganisationRow:
    return_id: int
    organisation_id: int
    organisation: str
    state: str
    returned_on: date | None
    chased: list[date]
    cells: dict[int, Cell] = field(default_factory=dict)  # standard id → answer

    def count(self, label: str) -> int:
        return sum(1 for c in self.cells.values() if c.agreed == label)


@dataclass
class Collation:
    round_id: int
    round_label: str
    previous_label: str
    scale: Scale
    standards: list[StandardColumn]
    rows: list[OrganisationRow]

    def per_standard(self) -> dict[int, Counter]:
        """Standard id → Counter of agreed ratings over the organisations that answered it."""
        counts: dict[int, Counter] = {s.id: Counter() for s in self.standards}
        for row in self.rows:
            for standard_id, cell in row.cells.items():
                if cell.agreed:
                    counts[standard_id][cell.agreed] += 1
        return counts

    def states(self) -> Counter:
        return Counter(row.state for row in self.rows)

    def weak_organisations(self, standard_id: int) -> list[str]:
        weak = self.scale.weak
        return [row.organisation for row in self.rows
                if (cell := row.cells.get(standard_id)) is not None and cell.agreed in weak]


ANSWER_COLUMNS = (SelfAssessmentAnswer.id, SelfAssessmentAnswer.standard_id, SelfAssessmentAnswer.rating,
                  SelfAssessmentAnswer.moderated_rating, SelfAssessmentAnswer.not_applicable_reason,
                  SelfAssessmentAnswer.evidence, SelfAssessmentAnswer.works_well, SelfAssessmentAnswer.to_improve,
                  SelfAssessmentAnswer.actions, SelfAssessmentAnswer.action_owner, SelfAssessmentAnswer.action_due,
                  SelfAssessmentAnswer.carried_from, SelfAssessmentAnswer.confirmed_unchanged,
                  SelfAssessmentAnswer.challenge, SelfAssessmentAnswer.version)


def _answers(session: Session, round_: Round) -> list[tuple]:
    """(organisation id, answer columns…) of every answer of a round: plain rows, no ORM objects
    (a large partnership has thousands)."""
    return list(session.execute(
        select(SelfAssessmentReturn.organisation_id, *ANSWER_COLUMNS)
        .join(SelfAssessmentAnswer, SelfAssessmentAnswer.return_id == SelfAssessmentReturn.id)
        .where(SelfAssessmentReturn.round_id == round_.id)).all())


def collate(session: Session, round_: Round) -> Collation:
    scale = scale_of(session, round_)
    standards = standards_of(session, round_)
    columns = [StandardColumn(s.id, s.key, n, s.title, s.wording) for n, s in enumerate(standards, start=1)]
    previous = previous_round(session, round_)
    earlier: dict[tuple[int, str], str] = {}
    if previous is not None:
        keys = {s.id: s.key for s in session.scalars(select(Standard).where(Standard.round_id == previous.id))}
        for org_id, _, standard_id, rating, moderated, *_ in _answers(session, previous):
            earlier[(org_id, keys[standard_id])] = moderated or rating
    returns = session.execute(
        select(SelfAssessmentReturn, Organisation.name)
        .join(Organisation, SelfAssessmentReturn.organisation_id == Organisation.id)
        .where(SelfAssessmentReturn.round_id == round_.id).order_by(Organisation.name)).all()
    rows = {ret.organisation_id: OrganisationRow(ret.id, ret.organisation_id, name, ret.state, ret.returned_on,
                                                 [date.fromisoformat(d) for d in json.loads(ret.chased_json or "[]")])
            for ret, name in returns}
    key_of = {s.id: s.key for s in standards}
    for org_id, answer_id, standard_id, *values in _answers(session, round_):
        cell = Cell(answer_id, *values)
        cell.previous = earlier.get((org_id, key_of[standard_id]), "")
        now, then = scale.rank(cell.agreed), scale.rank(cell.previous)
        if now is not None and then is not None:
            cell.comparison = SAME if now == then else BETTER if now < then else WORSE
        rows[org_id].cells[standard_id] = cell
    return Collation(round_.id, round_.label, previous.label if previous else "", scale, columns, list(rows.values()))
