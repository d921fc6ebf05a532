"""A self-assessment round's standards and rating scale: set up from the shipped Section 11 standards
(or copied from the previous cycle), edited per round, and the form's version raised on each change."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import (
    Organisation, RatingOption, Round, SelfAssessmentAnswer, SelfAssessmentReturn, SelfAssessmentSetup, Standard,
)
from ..audit.cases import shipped_scales
from ..review.rounds import create_round, shipped_json

STANDARDS_FILE = "s11_standards.json"
KIND = "self-assessment"
# The two lowest ranks of a scale that apply ("Partially met", "Not met") count as weak answers.
WEAK_RANKS = 2


@dataclass(frozen=True)
class Scale:
    """A round's rating scale, in order: labels of the options that apply (best first) and the one
    "Not applicable" label (which needs a reason)."""

    options: tuple[RatingOption, ...]

    @property
    def labels(self) -> list[str]:
        return [o.label for o in self.options]

    @property
    def not_applicable(self) -> str:
        return next((o.label for o in self.options if o.not_applicable), "")

    def rank(self, label: str) -> int | None:
        """1 for the best option; None for blank, not applicable or a label not on the scale."""
        return next((o.rank for o in self.options if o.label == label and not o.not_applicable), None)

    def colour(self, label: str) -> str:
        return next((o.colour for o in self.options if o.label == label), "")

    @property
    def weak(self) -> set[str]:
        ranked = sorted((o for o in self.options if not o.not_applicable), key=lambda o: o.rank)
        return {o.label for o in ranked[-WEAK_RANKS:]}


def setup_of(session: Session, round_: Round) -> SelfAssessmentSetup:
    setup = session.scalar(select(SelfAssessmentSetup).where(SelfAssessmentSetup.round_id == round_.id))
    if setup is None:
        raise UserError(f"The round {round_.label} is not a self-assessment round.")
    return setup


def standards_of(session: Session, round_: Round) -> list[Standard]:
    return list(session.scalars(select(Standard).where(Standard.round_id == round_.id)
                                .order_by(Standard.position, Standard.id)))


def scale_of(session: Session, round_: Round) -> Scale:
    return Scale(tuple(session.scalars(select(RatingOption).where(RatingOption.round_id == round_.id)
                                       .order_by(RatingOption.position, RatingOption.id))))


def self_assessment_rounds(session: Session) -> list[Round]:
    return list(session.scalars(select(Round).where(Round.kind == KIND).order_by(Round.label)))


def previous_round(session: Session, round_: Round) -> Round | None:
    """The self-assessment round of the cycle before (the latest one labelled before this one)."""
    earlier = [r for r in self_assessment_rounds(session) if r.label < round_.label and r.id != round_.id]
    return earlier[-1] if earlier else None


def create_self_assessment_round(session: Session, label: str, *, scale_name: str | None = None,
                                 copy_from: Round | None = None) -> Round:
    """A new year-one round with the standards copied from ``copy_from`` (a self-assessment round) or
    the shipped Section 11 standards, the scale, and every organisation in the directory asked."""
    round_ = create_round(session, label, cycle_year=1, kind=KIND, use_default_template=False)
    setup_self_assessment(session, round_, scale_name=scale_name, copy_from=copy_from)
    return round_


def setup_self_assessment(session: Session, round_: Round, *, scale_name: str | None = None,
                          copy_from: Round | None = None) -> SelfAssessmentSetup:
    existing = session.scalar(select(SelfAssessmentSetup).where(SelfAssessmentSetup.round_id == round_.id))
    if existing is not None:
        return existing
    shipped = shipped_json(STANDARDS_FILE)
    if copy_from is not None and session.scalar(
            select(SelfAssessmentSetup).where(SelfAssessmentSetup.round_id == copy_from.id)) is None:
        copy_from = None  # a round with nothing to copy: the shipped standards
    if copy_from is not None:
        source = [{"key": s.key, "title": s.title, "wording": s.wording, "guidance": s.guidance}
                  for s in standards_of(session, copy_from)]
        scale_name = scale_name or setup_of(session, copy_from).scale_name
    else:
        source = shipped["standards"]
    scale_name = scale_name or shipped["scale"]
    scales = shipped_scales()
    if scale_name not in scales:
        raise UserError(f"There is no rating scale called {scale_name}; choose one of {', '.join(scales)}.")
    setup = SelfAssessmentSetup(round_id=round_.id, scale_name=scale_name, form_version=1)
    session.add(setup)
    for position, s in enumerate(source):
        session.add(Standard(round_id=round_.id, key=s["key"], title=s["title"], wording=s["wording"],
                             guidance=s.get("guidance", ""), position=position))
    _add_scale(session, round_, scales[scale_name])
    for org in session.scalars(select(Organisation).order_by(Organisation.name)):
        if org.name == round_.partnership.name:
            continue  # the partnership's own staff are in the directory; it does not assess itself
        session.add(SelfAssessmentReturn(round_id=round_.id, organisation_id=org.id))
    session.flush()
    return setup


def ask_organisation(session: Session, round_: Round, organisation: Organisation) -> SelfAssessmentReturn:
    """Add an organisation to those asked to self-assess (nothing when it is asked already)."""
    found = session.scalar(select(SelfAssessmentReturn).where(SelfAssessmentReturn.round_id == round_.id,
                                                              SelfAssessmentReturn.organisation_id == organisation.id))
    if found is None:
        found = SelfAssessmentReturn(round_id=round_.id, organisation_id=organisation.id)
        session.add(found)
        session.flush()
    return found


def set_scale(session: Session, round_: Round, scale_name: str) -> None:
    """Rate the round on another shipped scale; refused while answers use a rating the new scale lacks.
    Forms sent out before the change are then an older version."""
    setup = setup_of(session, round_)
    if scale_name == setup.scale_name:
        return
    scales = shipped_scales()
    if scale_name not in scales:
        raise UserError(f"There is no rating scale called {scale_name}; choose one of {', '.join(scales)}.")
    new_labels = {o["label"] for o in scales[scale_name]}
    used = set(session.scalars(
        select(SelfAssessmentAnswer.rating).join(SelfAssessmentReturn)
        .where(SelfAssessmentReturn.round_id == round_.id, SelfAssessmentAnswer.rating != ""))) | set(session.scalars(
        select(SelfAssessmentAnswer.moderated_rating).join(SelfAssessmentReturn)
        .where(SelfAssessmentReturn.round_id == round_.id, SelfAssessmentAnswer.moderated_rating != "")))
    missing = sorted(used - new_labels)
    if missing:
        raise UserError(f"Answers already use {', '.join(missing)}, which the scale {scale_name} does not have; "
                        "the scale cannot change now.")
    for option in session.scalars(select(RatingOption).where(RatingOption.round_id == round_.id)):
        session.delete(option)
    session.flush()
    _add_scale(session, round_, scales[scale_name])
    setup.scale_name = scale_name
    new_form_version(session, setup)
    session.flush()


def _add_scale(session: Session, round_: Round, options: list[dict]) -> None:
    ranked = [o for o in options if not o.get("not_applicable")]
    for position, option in enumerate(options):
        na = bool(option.get("not_applicable"))
        session.add(RatingOption(round_id=round_.id, label=option["label"], colour=option["colour"],
                                 rank=0 if na else ranked.index(option) + 1, not_applicable=na, position=position))


def edit_standard(session: Session, standard: Standard, *, title: str | None = None, wording: str | None = None,
                  guidance: str | None = None) -> None:
    """Change a standard's text; forms sent out before the change are then an older version."""
    changed = False
    for name, value in (("title", title), ("wording", wording), ("guidance", guidance)):
        if value is not None and value.strip() != getattr(standard, name):
            if name != "guidance" and not value.strip():
                raise UserError(f"A standard needs a {name}.")
            setattr(standard, name, value.strip())
            changed = True
    if changed:
        new_form_version(session, setup_of(session, standard.round))
        session.flush()


def new_form_version(session: Session, setup: SelfAssessmentSetup) -> None:
    """Raise the form's version once per user action (several standards changed in one save make
    one new version)."""
    key = ("form version raised", setup.id)
    if not session.info.get(key):
        setup.form_version += 1
        session.info[key] = True
