"""A partnership's round as an exchange file of kind "round", for the regional lead to collate.

The file holds what the partnership's Section 11 report is made from: the partnership, the round's
texts, question template and appendices, its panel, each review with attendance, contacts and responses, and the
recommendations with the numbers the report gives them. Every record travels with its uuid, so a
newer export of the same round is recognised record by record (``round_import``).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...exchange.container import write_package
from ...exchange.schemas import ROUND_FORMAT
from ...exchange.sealing import Sealing
from ...keys import MyKey, PublicKey, this_sitting
from ...models import Organisation, Person, Recommendation, Round
from ..privacy.leaving import guard, json_pieces
from ..review.numbering import report_numbers
from ..review.rounds import find_round

KIND = "round"
PART = "round.json"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def round_body(session: Session, round_: Round) -> dict:
    """The round as the file's ``round.json`` holds it (``exchange.schemas.RoundFile``)."""
    numbers = report_numbers(session, round_)
    recs = session.scalars(select(Recommendation).where(Recommendation.round_id == round_.id)
                           .order_by(Recommendation.id)).all()
    recs = [r for r in recs if r.id in numbers]  # numbered in the report: the organisations' and the partnership's own
    reviews = sorted(round_.reviews, key=lambda r: (r.position, r.id))
    organisations: dict[int, Organisation] = {r.organisation.id: r.organisation for r in reviews}
    people: dict[int, Person] = {m.person.id: m.person for m in round_.panel}
    for person in people.values():
        if person.organisation is not None:
            organisations.setdefault(person.organisation.id, person.organisation)
    for rec in recs:
        if rec.organisation is not None:
            organisations.setdefault(rec.organisation.id, rec.organisation)
    partnership = round_.partnership
    return {
        "round_format": ROUND_FORMAT,
        "partnership": {"uuid": partnership.uuid, "name": partnership.name, "region": partnership.region or ""},
        "round": {
            "uuid": round_.uuid, "label": round_.label, "cycle_year": round_.cycle_year,
            "report_month": _day(round_.report_month), "workshop_minutes": round_.workshop_minutes or 90,
            "background_text": round_.background_text or "", "methodology_intro": round_.methodology_intro or "",
            "conclusion_text": round_.conclusion_text or "", "template_cover_text": round_.template_cover_text or "",
            "declined_text": round_.declined_text or "",
            "partnership_recommendations_heading": round_.partnership_recommendations_heading or "",
        },
        "organisations": [{"uuid": o.uuid, "name": o.name, "short_name": o.short_name or "", "sector": o.sector or "",
                           "ods_code": o.ods_code or ""} for o in organisations.values()],
        "people": [{"uuid": p.uuid, "name": p.name, "role_title": p.role_title or "",
                    "organisation_uuid": p.organisation.uuid if p.organisation else None} for p in people.values()],
        "themes": [{"uuid": t.uuid, "title": t.title, "position": t.position,
                    "questions": [{"uuid": q.uuid, "text": q.text, "sub_prompts": q.sub_prompts, "position": q.position}
                                  for q in t.questions]} for t in round_.themes],
        "appendices": [{"uuid": a.uuid, "kind": a.kind, "title": a.title or "", "text": a.text or "",
                        "position": a.position} for a in round_.appendices],
        "panel": [{"uuid": m.uuid, "person_uuid": m.person.uuid, "role": m.role, "position": m.position}
                  for m in round_.panel],
        "reviews": [{
            "uuid": r.uuid, "organisation_uuid": r.organisation.uuid, "status": r.status,
            "review_date": _day(r.review_date), "duration_minutes": r.duration_minutes or 90, "position": r.position,
            "overall_comment": r.overall_comment or "",
            "present_panel_uuid": sorted(p.panel_member.uuid for p in r.panel_present),
            "representatives": [{"uuid": p.uuid, "name": p.name, "role": p.role or "", "kind": p.kind,
                                 "position": p.position, "note": p.note or ""} for p in r.representatives],
            "contacts": [{"uuid": c.uuid, "contact_date": c.contact_date.isoformat(), "channel": c.channel or "",
                          "contact_name": c.contact_name or "", "offered": c.offered or "", "response": c.response or ""}
                         for c in r.contact_attempts],
            "responses": [{"uuid": x.uuid, "question_uuid": x.question.uuid if x.question else None,
                           "question_text": x.question_text or "", "theme_title": x.theme_title or "", "text": x.text,
                           "answered_above": bool(x.answered_above), "not_discussed": bool(x.not_discussed)}
                          for x in sorted(r.responses, key=lambda x: x.id)],
        } for r in reviews],
        "recommendations": [{
            "uuid": r.uuid, "number": numbers[r.id], "review_uuid": r.review.uuid if r.review else None,
            "question_uuid": r.question.uuid if r.question else None,
            "organisation_uuid": r.organisation.uuid if r.organisation else None,
            "is_partnership": bool(r.is_partnership), "text": r.text, "full_text": r.full_text or "",
            "position": r.position, "status": r.status,
            "due_date": _day(r.due_date),
        } for r in recs],
    }


def round_sealing(*, sender: MyKey | None = None, passphrase: str | None = None,
                  to: PublicKey | None = None) -> Sealing:
    """The seal of a round for the regional lead: their public key, or a passphrase agreed with them."""
    sender = sender or this_sitting()
    if passphrase:
        return Sealing(sender, passphrase=passphrase)
    if to is None:
        raise UserError("Say who the round is for: the regional lead's public key (in your key book), "
                        "or a passphrase agreed with them.")
    return Sealing(sender, recipients=(to,))


def export_round(session: Session, label: str, path: str | Path, *, author: str = "",
                 override_identifying: bool = False, sender: MyKey | None = None, passphrase: str | None = None,
                 to: PublicKey | None = None) -> tuple[Path, str]:
    """Write this partnership's round ``label`` as a "round" exchange file; returns (path, what it holds)."""
    round_ = find_round(session, label)
    if round_.read_only:
        raise UserError(f"Round {label} here was imported from {round_.partnership.name}; only a partnership's "
                        "own rounds can be exported for the regional report.")
    if round_.kind != "peer review":
        raise UserError(f"Round {label} is a {round_.kind} round; the regional report collates peer-review rounds.")
    body = round_body(session, round_)
    parts = {PART: json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")}
    partnership = round_.partnership.name
    checked = guard(session, f"round {label} for the regional report", json_pieces(parts),
                    override=override_identifying, record_uuid=round_.uuid)
    held = sum(r["status"] == "held" for r in body["reviews"])
    declined = sum(r["status"] == "declined" for r in body["reviews"])
    what = (f"{partnership}'s Section 11 round {label}: {len(body['reviews'])} review(s) ({held} held, "
            f"{declined} declined), {len(body['recommendations'])} recommendation(s), the panel, the question "
            f"template and the report's texts.")
    written = write_package(
        path, kind=KIND, author=author or partnership, description=f"{what} {checked}".strip(),
        scope={"partnership_uuid": round_.partnership.uuid, "partnership": partnership, "round_uuid": round_.uuid,
               "round": label, "round_format": ROUND_FORMAT},
        parts=parts, sealing=round_sealing(sender=sender, passphrase=passphrase, to=to),
    )
    return written, what
