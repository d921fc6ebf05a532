"""Importing a partnership's round into a regional database (the importer of kind "round").

Each partnership's round is stored as a normal round under its own partnership, whole and read-only
(``read_only``). Its records get ids of their own in this database, derived from the partnership and
the record's id in the partnership's database, so a newer export of the same round is matched record
by record: what it changed is applied in place (the change history keeps the earlier values) and said
in words — reviews added, responses changed, recommendations renumbered. Refused with one sentence,
leaving the database unchanged: a round of another label than the one this database collates, a file
made by a newer version, a file older than the one already imported, this database's own round, and
a file whose recommendation numbers do not follow from its reviews.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...dates import long_date_time
from ...errors import UserError
from ...exchange import schemas
from ...exchange.container import Package
from ...models import (
    ContactAttempt, Organisation, PanelMember, Partnership, Person, Question, Recommendation, ReportAppendix,
    Representative, Response, Review, ReviewPanelPresence, Round, Setting, SourceKind, Theme, utcnow,
)
from ..review.numbering import report_numbers
from ..tracker.sources import ensure_source_kinds
from .organisations import link_by_ods_code
from .read_only import allow_round_import
from .round_file import PART

REGIONAL_ROUND = "regional-round"  # the setting naming the round label this database collates
_IDS = uuid_module.UUID("3c1f0f8e-2b7d-4f61-9d1e-7a5b2c9e4d21")  # namespace of imported records' ids


def regional_uuid(partnership_uuid: str, source_uuid: str) -> str:
    """The id in this database of a record imported from a partnership's database."""
    return str(uuid_module.uuid5(_IDS, f"{partnership_uuid}|{source_uuid}"))


def regional_round_label(session: Session) -> str | None:
    """The round label this database collates: set by its first imported round."""
    return session.scalar(select(Setting.value).where(Setting.key == REGIONAL_ROUND))


def set_regional_round(session: Session, label: str) -> None:
    """Collate another round label from now on (rounds already imported stay)."""
    label = label.strip()
    if not label:
        raise UserError("The regional round needs a label, such as 2021-22.")
    setting = session.scalar(select(Setting).where(Setting.key == REGIONAL_ROUND))
    if setting is None:
        session.add(Setting(key=REGIONAL_ROUND, value=label))
    else:
        setting.value = label
    session.flush()


@dataclass
class Changes:
    """What a newer export changed, counted for the sentence the import returns."""

    reviews_added: list[str] = field(default_factory=list)
    reviews_removed: list[str] = field(default_factory=list)
    responses_changed: int = 0
    responses_added: int = 0
    recommendations_added: int = 0
    recommendations_removed: int = 0
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    other: int = 0  # any other field of the round, its template, panel or reviews

    def sentence(self) -> str:
        said = []
        if self.reviews_added:
            said.append(f"{len(self.reviews_added)} review(s) added ({', '.join(self.reviews_added)})")
        if self.reviews_removed:
            said.append(f"{len(self.reviews_removed)} review(s) removed ({', '.join(self.reviews_removed)})")
        if self.responses_changed:
            said.append(f"{self.responses_changed} response(s) changed")
        if self.responses_added:
            said.append(f"{self.responses_added} response(s) added")
        if self.recommendations_added:
            said.append(f"{self.recommendations_added} recommendation(s) added")
        if self.recommendations_removed:
            said.append(f"{self.recommendations_removed} recommendation(s) removed")
        if self.renumbered:
            moves = ", ".join(f"{old} → {new}" for old, new in self.renumbered[:8])
            more = f" and {len(self.renumbered) - 8} more" if len(self.renumbered) > 8 else ""
            said.append(f"{len(self.renumbered)} recommendation(s) renumbered ({moves}{more})")
        if self.other:
            said.append(f"{self.other} other detail(s) changed")
        return "; ".join(said)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _made_at(package: Package) -> datetime:
    try:
        return datetime.fromisoformat(package.manifest["created_at"]).replace(tzinfo=None)
    except ValueError:
        raise UserError("This file's manifest has a damaged date; it was not imported.") from None


def _set(obj: Any, values: dict[str, Any], changes: Changes | None) -> bool:
    """Set the fields that differ; True when any did."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    if changed and changes is not None:
        changes.other += 1
    return changed


def import_round(session: Session, package: Package) -> str:
    """The importer for "round": the partnership's round stored whole and read-only, or nothing."""
    raw = package.json(PART)
    # Read before the strict check: a newer layout fails it for its new fields, and the person should
    # hear that the app needs updating rather than which field it did not know.
    claimed = [raw.get("round_format") if isinstance(raw, dict) else None, package.scope.get("round_format")]
    newer = [v for v in claimed if type(v) is int and v > schemas.ROUND_FORMAT]
    if newer:
        raise UserError(f"This round was exported by a newer version of LGF Desktop (round format {max(newer)}); "
                        "update the app to import it. Nothing was imported.")
    body = schemas.validate(schemas.RoundFile, raw, "The round in this file")
    if (package.scope.get("round_uuid") != body.round.uuid or package.scope.get("partnership_uuid") != body.partnership.uuid
            or package.scope.get("round") != body.round.label):
        raise UserError("This file's manifest says it holds another round than it does; it was not imported.")
    who, label = body.partnership.name, body.round.label
    collating = regional_round_label(session)
    if collating is not None and collating != label:
        raise UserError(f"This file holds {who}'s round {label}, but this database collates round {collating} "
                        f"for the regional report; it was not imported.")
    partnership = session.scalar(select(Partnership).where(Partnership.uuid == body.partnership.uuid))
    if partnership is not None and not partnership.imported:
        raise UserError(f"This file holds round {label} of {who}, this database's own partnership: its round is "
                        "already here; nothing was imported.")
    made_at = _made_at(package)
    allow_round_import(session)
    if collating is None:
        set_regional_round(session, label)
    if partnership is None:
        partnership = Partnership(uuid=body.partnership.uuid, name=body.partnership.name,
                                  region=body.partnership.region, imported=True)
        session.add(partnership)
        session.flush()
    else:
        _set(partnership, {"name": body.partnership.name, "region": body.partnership.region}, None)
    round_ = session.scalar(select(Round).where(Round.partnership_id == partnership.id, Round.label == label))
    if round_ is not None and round_.exported_at is not None and made_at < round_.exported_at:
        raise UserError(f"This file holds {who}'s round {label} as exported on {long_date_time(made_at)}, older than "
                        f"the export already imported ({long_date_time(round_.exported_at)}); nothing was imported.")
    earlier = round_ is not None
    before = {r.uuid: n for r, n in _numbers_by_record(session, round_)} if earlier else {}
    changes = Changes()
    round_ = _sync_round(session, partnership, round_, body, changes if earlier else None)
    round_.exported_at, round_.imported_at = made_at, utcnow()
    session.flush()
    session.expire(round_)
    after = dict(_numbers_by_record(session, round_))
    in_file = {regional_uuid(body.partnership.uuid, r.uuid): r.number for r in body.recommendations}
    if {r.uuid: n for r, n in after.items()} != in_file:
        raise UserError(f"The recommendation numbers in {who}'s file do not follow from its reviews (the file is "
                        "damaged or was edited by hand); nothing was imported.")
    link_by_ods_code(session)
    reviews = len(round_.reviews)
    if not earlier:
        held = sum(r.status == "held" for r in round_.reviews)
        return (f"Round {label} of {who} imported for the regional report: {reviews} review(s) ({held} held), "
                f"{len(in_file)} recommendation(s); it is read-only here.")
    changes.renumbered = sorted(((before[u], n) for r, n in after.items() if (u := r.uuid) in before and before[u] != n),
                                key=lambda pair: _number_key(pair[0]))
    said = changes.sentence()
    if not said:
        return f"{who}'s round {label} is the same as the one already imported; nothing changed."
    return f"{who}'s round {label} replaced by their newer export: {said}."


def _number_key(number: str) -> tuple[int, int, str]:
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


def _numbers_by_record(session: Session, round_: Round) -> list[tuple[Recommendation, str]]:
    numbers = report_numbers(session, round_)
    recs = session.scalars(select(Recommendation).where(Recommendation.id.in_(numbers))).all() if numbers else []
    return [(r, numbers[r.id]) for r in recs]


def _sync_round(session: Session, partnership: Partnership, round_: Round | None, body: schemas.RoundFile,
                changes: Changes | None) -> Round:
    source = body.partnership.uuid

    def uid(source_uuid: str) -> str:
        return regional_uuid(source, source_uuid)

    details = body.round
    values = {"cycle_year": details.cycle_year, "report_month": _day(details.report_month),
              "workshop_minutes": details.workshop_minutes, "background_text": details.background_text,
              "methodology_intro": details.methodology_intro, "conclusion_text": details.conclusion_text,
              "template_cover_text": details.template_cover_text, "declined_text": details.declined_text,
              "partnership_recommendations_heading": details.partnership_recommendations_heading}
    if round_ is None:
        round_ = Round(uuid=uid(details.uuid), partnership=partnership, label=details.label, kind="peer review",
                       read_only=True, **values)
        session.add(round_)
    else:
        _set(round_, values, changes)
    organisations = _sync_organisations(session, body, uid)
    people = _sync_people(session, body, uid, organisations)
    questions = _sync_template(session, round_, body, uid, changes)
    _sync_children(round_.appendices, ReportAppendix, uid, changes, [
        (a.uuid, {"kind": a.kind, "title": a.title, "text": a.text, "position": a.position}) for a in body.appendices])
    panel = _sync_panel(session, round_, body, uid, people, changes)
    reviews = _sync_reviews(session, round_, body, uid, organisations, panel, questions, changes)
    _sync_recommendations(session, round_, body, uid, organisations, reviews, questions, changes)
    return round_


def _by_uuid(session: Session, model: type, uuids: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for start in range(0, len(uuids), 500):
        found.update({o.uuid: o for o in session.scalars(select(model).where(model.uuid.in_(uuids[start:start + 500])))})
    return found


def _sync_organisations(session: Session, body: schemas.RoundFile, uid) -> dict[str, Organisation]:
    known = _by_uuid(session, Organisation, [uid(o.uuid) for o in body.organisations])
    result = {}
    for o in body.organisations:
        values = {"name": o.name, "short_name": o.short_name, "sector": o.sector or "Other", "ods_code": o.ods_code.strip()}
        org = known.get(uid(o.uuid))
        if org is None:
            org = Organisation(uuid=uid(o.uuid), **values)
            session.add(org)
        else:
            _set(org, values, None)
        result[o.uuid] = org
    return result


def _sync_people(session: Session, body: schemas.RoundFile, uid, organisations: dict[str, Organisation]) -> dict[str, Person]:
    known = _by_uuid(session, Person, [uid(p.uuid) for p in body.people])
    result = {}
    for p in body.people:
        values = {"name": p.name, "role_title": p.role_title,
                  "organisation": organisations[p.organisation_uuid] if p.organisation_uuid else None}
        person = known.get(uid(p.uuid))
        if person is None:
            person = Person(uuid=uid(p.uuid), **values)
            session.add(person)
        else:
            _set(person, values, None)
        result[p.uuid] = person
    return result


def _sync_template(session: Session, round_: Round, body: schemas.RoundFile, uid, changes: Changes | None) -> dict[str, Question]:
    themes = {t.uuid: t for t in round_.themes}
    wanted_themes = {uid(t.uuid) for t in body.themes}
    for theme in list(round_.themes):
        if theme.uuid not in wanted_themes:
            round_.themes.remove(theme)
            _count(changes)
    questions: dict[str, Question] = {}
    for t in body.themes:
        theme = themes.get(uid(t.uuid))
        if theme is None:
            theme = Theme(uuid=uid(t.uuid), title=t.title, position=t.position)
            round_.themes.append(theme)
            _count(changes)
        else:
            _set(theme, {"title": t.title, "position": t.position}, changes)
        existing = {q.uuid: q for q in theme.questions}
        wanted = {uid(q.uuid) for q in t.questions}
        for question in list(theme.questions):
            if question.uuid not in wanted:
                theme.questions.remove(question)
                _count(changes)
        for q in t.questions:
            question = existing.get(uid(q.uuid))
            if question is None:
                question = Question(uuid=uid(q.uuid), text=q.text, position=q.position)
                question.sub_prompts = list(q.sub_prompts)
                theme.questions.append(question)
                _count(changes)
            else:
                _set(question, {"text": q.text, "position": q.position}, changes)
                if question.sub_prompts != list(q.sub_prompts):
                    question.sub_prompts = list(q.sub_prompts)
                    _count(changes)
            questions[q.uuid] = question
    return questions


def _count(changes: Changes | None) -> None:
    if changes is not None:
        changes.other += 1


def _sync_panel(session: Session, round_: Round, body: schemas.RoundFile, uid, people: dict[str, Person],
                changes: Changes | None) -> dict[str, PanelMember]:
    existing = {m.uuid: m for m in round_.panel}
    wanted = {uid(m.uuid) for m in body.panel}
    for member in list(round_.panel):
        if member.uuid not in wanted:
            round_.panel.remove(member)
            _count(changes)
    session.flush()  # a person leaving the panel and coming back under a new record must not clash
    result = {}
    for m in body.panel:
        member = existing.get(uid(m.uuid))
        values = {"person": people[m.person_uuid], "role": m.role, "position": m.position}
        if member is None:
            member = PanelMember(uuid=uid(m.uuid), **values)
            round_.panel.append(member)
            _count(changes)
        else:
            _set(member, values, changes)
        result[m.uuid] = member
    return result


def _sync_reviews(session: Session, round_: Round, body: schemas.RoundFile, uid, organisations: dict[str, Organisation],
                  panel: dict[str, PanelMember], questions: dict[str, Question], changes: Changes | None) -> dict[str, Review]:
    existing = {r.uuid: r for r in round_.reviews}
    wanted = {uid(r.uuid) for r in body.reviews}
    for review in list(round_.reviews):
        if review.uuid not in wanted:
            if changes is not None:
                changes.reviews_removed.append(review.organisation.display_name)
            round_.reviews.remove(review)
    session.flush()
    result = {}
    for r in body.reviews:
        review = existing.get(uid(r.uuid))
        values = {"organisation": organisations[r.organisation_uuid], "status": r.status,
                  "review_date": _day(r.review_date), "duration_minutes": r.duration_minutes, "position": r.position,
                  "overall_comment": r.overall_comment}
        if review is None:
            review = Review(uuid=uid(r.uuid), round=round_, **values)
            session.add(review)
            if changes is not None:
                changes.reviews_added.append(review.organisation.short_name or review.organisation.name)
            review_changes = None  # a review added is said once, not field by field
        else:
            _set(review, values, changes)
            review_changes = changes
        present = {p.panel_member.uuid: p for p in review.panel_present}
        wanted_present = {panel_uuid for panel_uuid in (uid(u) for u in r.present_panel_uuid)}
        for uuid_, presence in present.items():
            if uuid_ not in wanted_present:
                review.panel_present.remove(presence)
                _count(review_changes)
        for panel_uuid in r.present_panel_uuid:
            if uid(panel_uuid) not in present:
                review.panel_present.append(ReviewPanelPresence(uuid=uid(f"{r.uuid}|{panel_uuid}"),
                                                                panel_member=panel[panel_uuid]))
                _count(review_changes)
        _sync_children(review.representatives, Representative, uid, review_changes, [
            (p.uuid, {"name": p.name, "role": p.role, "kind": p.kind, "position": p.position, "note": p.note})
            for p in r.representatives])
        _sync_children(review.contact_attempts, ContactAttempt, uid, review_changes, [
            (c.uuid, {"contact_date": _day(c.contact_date), "channel": c.channel, "contact_name": c.contact_name,
                      "offered": c.offered, "response": c.response}) for c in r.contacts])
        _sync_responses(session, review, r, uid, questions, review_changes)
        result[r.uuid] = review
    return result


def _sync_children(items: list, model: type, uid, changes: Changes | None, rows: list[tuple[str, dict]]) -> None:
    existing = {item.uuid: item for item in items}
    wanted = {uid(u) for u, _ in rows}
    for item in list(items):
        if item.uuid not in wanted:
            items.remove(item)
            _count(changes)
    for source_uuid, values in rows:
        item = existing.get(uid(source_uuid))
        if item is None:
            items.append(model(uuid=uid(source_uuid), **values))
            _count(changes)
        else:
            _set(item, values, changes)


def _sync_responses(session: Session, review: Review, r: schemas.RoundReview, uid, questions: dict[str, Question],
                    changes: Changes | None) -> None:
    existing = {x.uuid: x for x in review.responses}
    wanted = {uid(x.uuid) for x in r.responses}
    removed = [x for x in review.responses if x.uuid not in wanted]
    for response in removed:
        review.responses.remove(response)
        if changes is not None:
            changes.responses_changed += 1
    if removed:
        session.flush()
    for x in r.responses:
        values = {"question": questions[x.question_uuid] if x.question_uuid else None, "question_text": x.question_text,
                  "theme_title": x.theme_title, "text": x.text, "answered_above": x.answered_above,
                  "not_discussed": x.not_discussed}
        response = existing.get(uid(x.uuid))
        if response is None:
            review.responses.append(Response(uuid=uid(x.uuid), **values))
            if changes is not None:
                changes.responses_added += 1
        elif response.text != x.text:
            _set(response, values, None)
            if changes is not None:
                changes.responses_changed += 1
        else:
            _set(response, values, changes)


def _sync_recommendations(session: Session, round_: Round, body: schemas.RoundFile, uid,
                          organisations: dict[str, Organisation], reviews: dict[str, Review],
                          questions: dict[str, Question], changes: Changes | None) -> None:
    ensure_source_kinds(session)
    section_11 = session.scalar(select(SourceKind).where(SourceKind.name == "Section 11"))
    existing = {r.uuid: r for r in session.scalars(select(Recommendation).where(Recommendation.round_id == round_.id))} \
        if round_.id is not None else {}
    wanted = {uid(r.uuid) for r in body.recommendations}
    for rec in existing.values():
        if rec.uuid not in wanted:
            session.delete(rec)
            if changes is not None:
                changes.recommendations_removed += 1
    for r in body.recommendations:
        review = reviews.get(r.review_uuid) if r.review_uuid else None
        values = {"round": round_, "review": review, "question": questions[r.question_uuid] if r.question_uuid else None,
                  "organisation": organisations[r.organisation_uuid] if r.organisation_uuid else None,
                  "is_partnership": r.is_partnership, "text": r.text, "full_text": r.full_text, "position": r.position,
                  "status": r.status,
                  "due_date": _day(r.due_date)}
        rec = existing.get(uid(r.uuid))
        if rec is None:
            session.add(Recommendation(uuid=uid(r.uuid), source_kind=section_11, **values))
            if changes is not None:
                changes.recommendations_added += 1
        else:
            _set(rec, values, changes)
