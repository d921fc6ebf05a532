"""One shared template for a region: the lead exports a round's question template as an exchange
file (kind "template"); each partnership imports it as its own round's template.

The importing round keeps its own copy (editing it later changes nothing anywhere else). Importing
into a round that already has a template first says what would change — themes and questions added,
removed, reworded or moved, sub-prompts changed — so the CLI and the app can show it and ask before
applying (``template_changes``). Applying keeps every theme and question that stays (matched by
title and by wording), so responses and recommendations already recorded stay linked; a question
or theme that has responses or recommendations is never removed by a package (refused, one
sentence, nothing changed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...exchange import schemas
from ...exchange.container import Package, write_package
from ...exchange.senders import template_sealing
from ...keys import MyKey, PublicKey
from ...models import Question, Recommendation, Response, Round, Theme
from ..privacy.leaving import guard, json_pieces
from .rounds import create_round, the_partnership

KIND = "template"
PART = "template.json"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class TemplateChanges:
    """What importing a template package into this database would do."""

    round_label: str
    new_round: bool = False
    lines: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new_round or bool(self.lines)

    def text(self) -> str:
        if self.new_round:
            return f"Round {self.round_label} will be created with this template."
        if not self.lines:
            return f"Round {self.round_label} already has this template; nothing would change."
        return "\n".join([f"Importing this template changes round {self.round_label}'s template:",
                          *(f"- {line}" for line in self.lines)])


# --- exporting ---------------------------------------------------------------------------------------


def template_body(round_: Round) -> dict:
    return {
        "round": round_.label, "round_uuid": round_.uuid, "partnership": round_.partnership.name,
        "region": round_.partnership.region or "",
        "themes": [{"title": t.title, "questions": [{"text": q.text, "sub_prompts": q.sub_prompts}
                                                    for q in t.questions]} for t in round_.themes],
    }


def export_template_package(session: Session, round_: Round, path: str | Path, *, author: str,
                            sender: MyKey | None = None, passphrase: str | None = None,
                            to: tuple[PublicKey, ...] = ()) -> Path:
    """Write ``round_``'s question template as an exchange file, sealed for the partnerships' keys
    in this database's key book (or ``to``), or with a passphrase."""
    if not round_.themes:
        raise UserError(f"Round {round_.label} has no themes yet: there is no template to share.")
    body = template_body(round_)
    schemas.validate(schemas.SharedTemplate, body, "This round's template")  # what an importer will check
    parts = {PART: json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")}
    checked = guard(session, f"The question template of round {round_.label}", json_pieces(parts), override=False,
                    record_uuid=round_.uuid)
    questions = sum(len(t.questions) for t in round_.themes)
    return write_package(
        path, kind=KIND, author=author,
        description=(f"The question template of round {round_.label} ({len(round_.themes)} themes, {questions} "
                     f"questions) from {round_.partnership.name}, to use as your round's template. {checked}"),
        scope={"round": round_.label, "round_uuid": round_.uuid},
        parts=parts, sealing=template_sealing(session, sender=sender, passphrase=passphrase, to=to),
    )


# --- what an import would change ----------------------------------------------------------------------


def _body(package: Package) -> schemas.SharedTemplate:
    body = schemas.validate(schemas.SharedTemplate, package.json(PART), "The template in this file")
    if package.scope.get("round") != body.round:
        raise UserError("This file's manifest names another round than its template does; it was not imported.")
    return body


def _target(session: Session, label: str) -> Round | None:
    partnership = the_partnership(session)
    if partnership is None:
        raise UserError("Set up the partnership before importing a template.")
    return session.scalar(select(Round).where(Round.partnership_id == partnership.id, Round.label == label))


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


def _match(mine: list[Question], incoming: list) -> tuple[list[tuple[object, Question | None]], list[Question]]:
    """Each incoming question with the question of this round it continues (same wording; else, in
    order, one whose wording left: a rewording, which keeps its responses), and the questions dropped."""
    have = {_key(q.text): q for q in mine}
    wanted = {_key(q.text) for q in incoming}
    left = [q for q in mine if _key(q.text) not in wanted]
    pairs: list[tuple[object, Question | None]] = []
    for q in incoming:
        pairs.append((q, have.get(_key(q.text)) or (left.pop(0) if left else None)))
    return pairs, left


def _diff(round_: Round, body: schemas.SharedTemplate) -> list[str]:
    lines: list[str] = []
    current = {_key(t.title): t for t in round_.themes}
    incoming = {_key(t.title): t for t in body.themes}
    for key, theme in incoming.items():
        if key not in current:
            lines.append(f"New theme ‘{theme.title}’ with {len(theme.questions)} question(s).")
            continue
        mine = current[key]
        if mine.title != theme.title:
            lines.append(f"Theme ‘{mine.title}’ is renamed ‘{theme.title}’.")
        pairs, dropped = _match(list(mine.questions), theme.questions)
        for q, existing in pairs:
            if existing is None:
                lines.append(f"Under ‘{theme.title}’: question added {_short(q.text)}.")
            elif _key(existing.text) != _key(q.text):
                lines.append(f"Under ‘{theme.title}’: question {_short(existing.text)} is reworded {_short(q.text)}.")
            elif existing.sub_prompts != list(q.sub_prompts):
                lines.append(f"Under ‘{theme.title}’: the prompts of {_short(q.text)} change.")
        for q in dropped:
            lines.append(f"Under ‘{theme.title}’: question removed {_short(q.text)}.")
        order = [existing.id for _, existing in pairs if existing is not None]
        if order != [q.id for q in mine.questions if q.id in order]:
            lines.append(f"Under ‘{theme.title}’: the questions are put in a new order.")
    for key, theme in current.items():
        if key not in incoming:
            lines.append(f"Theme ‘{theme.title}’ removed with its {len(theme.questions)} question(s).")
    kept = [k for k in incoming if k in current]
    if kept != [k for k in current if k in incoming]:
        lines.append("The themes are put in a new order.")
    return lines


def template_changes(session: Session, package: Package) -> TemplateChanges:
    """What importing ``package`` here would change (reads only)."""
    body = _body(package)
    round_ = _target(session, body.round)
    if round_ is None:
        return TemplateChanges(body.round, new_round=True)
    return TemplateChanges(body.round, lines=_diff(round_, body))


# --- applying ----------------------------------------------------------------------------------------------


def _in_use(session: Session, question_ids: list[int]) -> bool:
    if not question_ids:
        return False
    responses = session.scalar(select(func.count(Response.id)).where(Response.question_id.in_(question_ids)))
    recs = session.scalar(select(func.count(Recommendation.id)).where(Recommendation.question_id.in_(question_ids)))
    return bool(responses or recs)


def _apply(session: Session, round_: Round, body: schemas.SharedTemplate) -> None:
    current = {_key(t.title): t for t in round_.themes}
    wanted_titles = {_key(t.title) for t in body.themes}
    themes: list[Theme] = []
    for t_index, incoming in enumerate(body.themes):
        theme = current.get(_key(incoming.title)) or Theme(title=incoming.title)
        theme.title, theme.position = incoming.title, t_index
        pairs, dropped = _match(list(theme.questions), incoming.questions)
        if _in_use(session, [q.id for q in dropped if q.id is not None]):
            first = next(q for q in dropped if q.id is not None and _in_use(session, [q.id]))
            raise UserError(f"The template would remove the question {_short(first.text)}, which already has responses "
                            "or recommendations in this round; nothing was changed.")
        questions = []
        for q_index, (q, existing) in enumerate(pairs):
            # A reworded question keeps its row, so responses already typed stay with it (each response
            # keeps the wording it was asked with).
            question = existing or Question(text=q.text)
            question.text, question.position = q.text, q_index
            if question.sub_prompts != list(q.sub_prompts):
                question.sub_prompts = list(q.sub_prompts)
            questions.append(question)
        theme.questions[:] = questions
        themes.append(theme)
    for key, theme in current.items():
        if key not in wanted_titles and _in_use(session, [q.id for q in theme.questions]):
            raise UserError(f"The template would remove the theme ‘{theme.title}’, whose questions already have "
                            "responses or recommendations in this round; nothing was changed.")
    round_.themes[:] = themes
    session.flush()


def import_template_package(session: Session, package: Package) -> str:
    """The importer for "template": the round of the same label takes the template (created when
    this database has no such round); the caller has shown ``template_changes`` first."""
    body = _body(package)
    round_ = _target(session, body.round)
    if round_ is None:
        round_ = create_round(session, body.round, use_default_template=False)
        lines = ["created"]
    else:
        if round_.kind != "peer review":
            raise UserError(f"Round {round_.label} is a {round_.kind} round; a question template is for a peer-review "
                            "round. Nothing was changed.")
        lines = _diff(round_, body)
    _apply(session, round_, body)
    source = f" from {body.partnership}" if body.partnership else ""
    if not lines:
        return f"Round {round_.label} already had this template{source}; nothing changed."
    questions = sum(len(t.questions) for t in body.themes)
    verb = "Created round" if lines == ["created"] else "Round"
    return (f"{verb} {round_.label} {'with' if lines == ['created'] else 'now has'} the shared template{source}: "
            f"{len(body.themes)} themes, {questions} questions.")


__all__ = ["TemplateChanges", "export_template_package", "import_template_package", "template_changes"]
