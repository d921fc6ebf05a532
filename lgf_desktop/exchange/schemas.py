"""What each part of an exchange file must hold, checked before anything is written.

Every JSON part is parsed by ``container.load_json`` (its nesting depth measured without recursion, so
a file nested 100,000 deep is refused before ``json.loads`` sees it) and then checked here against a
strict pydantic model: types exactly (no "1" for 1, no 1.0 for 1), required keys, no keys
this version does not know, lengths, ranges and choices. The limits are the screens' own, imported
from the services that save the same fields, so an import cannot store what a user could not type.
Revisions are small integers (a return claiming revision 1e300 or 10**9 is refused, not stored).
Checks that need more than one field (a grade listed twice, a scope that does not match the content)
are the models' validators; checks that need the database (a grade on this audit's scale) stay in
the importers. Every refusal is one sentence naming where the file is wrong — never the value, which
may be case text or a terminal escape.

Why pydantic: the format is declared once as typed classes that read like the file, strict mode
refuses the type confusions a hostile file relies on, and its errors say where (``assignments[2] →
grades[0] → evidence``) so the sentence can too.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import UserError
from ..models.audit import VOICE_HEARD
from ..services.audit.grading import MAX_EVIDENCE_CHARS, MAX_SUMMARY_CHARS
from ..services.review.workshop import MAX_RESPONSE_CHARS

MAX_REVISION = 10_000_000  # an auditor saving every second for four months stays below it
MAX_CASES = 100
MAX_QUESTIONS = 500
MAX_NOTES = 500

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _plain_text(value: str) -> str:
    if _SURROGATE.search(value):
        raise ValueError("holds a broken character (a lone surrogate)")
    if "\x00" in value:
        raise ValueError("holds a NUL character")
    return value


def _uuid(value: str) -> str:
    if not _UUID.match(value):
        raise ValueError("is not an id")
    return value


def Text(limit: int) -> Any:  # noqa: N802 - reads as a type in the models below
    return Annotated[str, Field(max_length=limit), AfterValidator(_plain_text)]


Uuid = Annotated[str, AfterValidator(_uuid)]
Revision = Annotated[int, Field(ge=0, le=MAX_REVISION)]
Position = Annotated[int, Field(ge=0, le=100_000)]
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def _unique(values: list[str], what: str) -> None:
    if len(set(values)) != len(values):
        raise ValueError(f"lists {what} twice")


# --- audit package and return -------------------------------------------------------------------

class Organisation(Strict):
    uuid: Uuid
    name: Text(300)
    short_name: Text(100)
    sector: Text(100)


class GradeAnswer(Strict):
    uuid: Uuid
    question_uuid: Uuid
    option_uuid: Uuid | None
    evidence: Text(MAX_EVIDENCE_CHARS)
    coordinator_rev: Revision
    auditor_rev: Revision


class CaseWork(Strict):
    """An auditor's work on one case (``services.audit.exchange.assignment_data``)."""

    uuid: Uuid
    case_uuid: Uuid
    coordinator_rev: Revision
    auditor_rev: Revision
    working_well: Text(MAX_SUMMARY_CHARS)
    needs_improve: Text(MAX_SUMMARY_CHARS)
    voice_heard: Literal["", *VOICE_HEARD]  # type: ignore[valid-type]
    immediate_concern: bool
    concern_text: Text(MAX_SUMMARY_CHARS)
    grades: Annotated[list[GradeAnswer], Field(max_length=MAX_QUESTIONS)]

    @model_validator(mode="after")
    def _one_grade_per_question(self) -> CaseWork:
        _unique([g.uuid for g in self.grades], "a grade")
        _unique([g.question_uuid for g in self.grades], "a grade for the same question")
        if self.immediate_concern and not self.concern_text.strip():
            raise ValueError("raises an immediate concern without saying why")
        return self


class AuditReturn(Strict):
    """``return.json``."""

    audit_uuid: Uuid
    theme: Text(300)
    quarter: Text(40)
    auditor_uuid: Uuid
    assignments: Annotated[list[CaseWork], Field(max_length=MAX_CASES)]

    @model_validator(mode="after")
    def _each_case_once(self) -> AuditReturn:
        _unique([a.uuid for a in self.assignments], "a case")
        _unique([a.case_uuid for a in self.assignments], "a case")
        _unique([g.uuid for a in self.assignments for g in a.grades], "a grade")
        return self


class Question(Strict):
    uuid: Uuid
    text: Text(5_000)
    guidance: Text(20_000)
    position: Position


class Section(Strict):
    uuid: Uuid
    title: Text(300)
    position: Position
    questions: Annotated[list[Question], Field(max_length=MAX_QUESTIONS)]


class GradeOption(Strict):
    uuid: Uuid
    label: Annotated[Text(100), Field(min_length=1)]
    key: Text(1)
    colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$")]
    position: Position
    is_not_applicable: bool


class AuditTool(Strict):
    """``audit.json`` of a package: the audit, its tool and scale."""

    uuid: Uuid
    theme: Text(300)
    quarter: Text(40)
    start_date: IsoDate | None
    end_date: IsoDate | None
    tool_name: Text(200)
    scale_name: Text(200)
    partnership: Text(200)
    sections: Annotated[list[Section], Field(max_length=100)]
    grade_options: Annotated[list[GradeOption], Field(min_length=1, max_length=20)]

    @model_validator(mode="after")
    def _ids_once(self) -> AuditTool:
        _unique([s.uuid for s in self.sections], "a section")
        _unique([q.uuid for s in self.sections for q in s.questions], "a question")
        _unique([o.uuid for o in self.grade_options], "a grade")
        _unique([o.label for o in self.grade_options], "a grade")
        return self


class Person(Strict):
    uuid: Uuid
    name: Annotated[Text(200), Field(min_length=1)]
    role_title: Text(200)
    organisation: Organisation | None


class AuditorPart(Strict):
    """``auditor.json`` of a package."""

    uuid: Uuid
    person: Person


Hex64 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class NameCheck(Strict):
    """``name_check.json`` of a package: the audited children's names as hashes keyed with the
    audit's own name-check key (never the names, never the coordinator's profile secret)."""

    key: Hex64
    digests: list[Hex64] = Field(max_length=2000)


class AssignedCase(Strict):
    uuid: Uuid
    pseudonym: Annotated[Text(40), Field(min_length=1)]
    age_band: Text(40)
    position: Position
    agencies: Annotated[list[Organisation], Field(max_length=50)]
    assignment: CaseWork

    @model_validator(mode="after")
    def _each_agency_once(self) -> AssignedCase:
        _unique([o.uuid for o in self.agencies], "an agency")
        return self


class AssignedCases(Strict):
    """``cases.json`` of a package (a list in the file)."""

    cases: Annotated[list[AssignedCase], Field(min_length=1, max_length=MAX_CASES)]

    @model_validator(mode="after")
    def _each_case_once(self) -> AssignedCases:
        _unique([c.uuid for c in self.cases], "a case")
        _unique([c.pseudonym for c in self.cases], "a case")
        _unique([c.assignment.uuid for c in self.cases], "a case")
        _unique([g.uuid for c in self.cases for g in c.assignment.grades], "a grade")
        return self


# --- panel members' notes -----------------------------------------------------------------------

class Note(Strict):
    note_uuid: Uuid
    question_uuid: Uuid
    theme: Text(300)
    question: Text(5_000)
    text: Text(MAX_RESPONSE_CHARS)
    written_at: Annotated[str, Field(max_length=40)] | None


class ReviewNotes(Strict):
    """``notes.json``."""

    review_uuid: Uuid
    round_uuid: Uuid
    round: Text(40)
    organisation: Text(300)
    notes: Annotated[list[Note], Field(max_length=MAX_NOTES)]

    @model_validator(mode="after")
    def _each_note_once(self) -> ReviewNotes:
        _unique([n.note_uuid for n in self.notes], "a note")
        _unique([n.question_uuid for n in self.notes], "notes for the same question")
        return self


# --- a shared question template -------------------------------------------------------------------

class SharedQuestion(Strict):
    text: Annotated[Text(5_000), Field(min_length=1)]
    sub_prompts: Annotated[list[Text(1_000)], Field(max_length=50)]


class SharedTheme(Strict):
    title: Annotated[Text(200), Field(min_length=1)]
    questions: Annotated[list[SharedQuestion], Field(max_length=MAX_QUESTIONS)]

    @model_validator(mode="after")
    def _each_question_once(self) -> SharedTheme:
        _unique([q.text.strip().casefold() for q in self.questions], "a question")
        return self


class SharedTemplate(Strict):
    """``template.json`` of a template package: the round's themes and questions, in order."""

    round: Annotated[Text(40), Field(min_length=1)]
    round_uuid: Uuid
    partnership: Text(200)
    region: Text(200)
    themes: Annotated[list[SharedTheme], Field(min_length=1, max_length=100)]

    @model_validator(mode="after")
    def _each_theme_once(self) -> SharedTemplate:
        _unique([t.title.strip().casefold() for t in self.themes], "a theme")
        return self


# --- a partnership's round for the regional report -----------------------------------------------

ROUND_FORMAT = 1  # the round part's own layout; a file with a higher one was made by a newer version
MAX_REVIEWS = 200
MAX_RECOMMENDATIONS = 2_000
MAX_REPORT_TEXT = 50_000
OptionalUuid = Uuid | None


class RoundPartnership(Strict):
    uuid: Uuid
    name: Annotated[Text(200), Field(min_length=1)]
    region: Text(200)


class RoundOrganisation(Strict):
    uuid: Uuid
    name: Annotated[Text(300), Field(min_length=1)]
    short_name: Text(100)
    sector: Text(100)
    ods_code: Text(20)


class RoundPerson(Strict):
    uuid: Uuid
    name: Annotated[Text(200), Field(min_length=1)]
    role_title: Text(200)
    organisation_uuid: OptionalUuid


class RoundQuestion(Strict):
    uuid: Uuid
    text: Text(5_000)
    sub_prompts: Annotated[list[Text(2_000)], Field(max_length=50)]
    position: Position


class RoundTheme(Strict):
    uuid: Uuid
    title: Text(200)
    position: Position
    questions: Annotated[list[RoundQuestion], Field(max_length=MAX_QUESTIONS)]


class RoundPanelMember(Strict):
    uuid: Uuid
    person_uuid: Uuid
    role: Literal["chair", "member"]
    position: Position


class RoundRepresentative(Strict):
    uuid: Uuid
    name: Annotated[Text(200), Field(min_length=1)]
    role: Text(200)
    kind: Literal["attended", "apologies"]
    position: Position
    note: Text(MAX_RESPONSE_CHARS)


class RoundContact(Strict):
    uuid: Uuid
    contact_date: IsoDate
    channel: Text(100)
    contact_name: Text(200)
    offered: Text(MAX_RESPONSE_CHARS)
    response: Text(MAX_RESPONSE_CHARS)


class RoundResponse(Strict):
    uuid: Uuid
    question_uuid: OptionalUuid
    question_text: Text(5_000)
    theme_title: Text(200)
    text: Text(MAX_RESPONSE_CHARS)
    answered_above: bool
    not_discussed: bool


class RoundReview(Strict):
    uuid: Uuid
    organisation_uuid: Uuid
    status: Literal["planned", "held", "declined"]
    review_date: IsoDate | None
    duration_minutes: Annotated[int, Field(ge=1, le=8 * 60)]
    position: Position
    overall_comment: Text(MAX_RESPONSE_CHARS)
    # The panel members present, by id (a key ending "uuid": the identifying-data check skips ids,
    # whose digits can look like a phone number).
    present_panel_uuid: Annotated[list[Uuid], Field(max_length=200)]
    representatives: Annotated[list[RoundRepresentative], Field(max_length=200)]
    contacts: Annotated[list[RoundContact], Field(max_length=200)]
    responses: Annotated[list[RoundResponse], Field(max_length=MAX_QUESTIONS)]


class RoundRecommendation(Strict):
    uuid: Uuid
    number: Annotated[Text(10), Field(min_length=1)]
    review_uuid: OptionalUuid
    question_uuid: OptionalUuid
    organisation_uuid: OptionalUuid
    is_partnership: bool
    text: Annotated[Text(MAX_RESPONSE_CHARS), Field(min_length=1)]
    full_text: Text(MAX_RESPONSE_CHARS)
    position: Position
    status: Literal["not started", "in progress", "complete", "closed - not achieved"]
    due_date: IsoDate | None


class RoundAppendix(Strict):
    uuid: Uuid
    kind: Literal["text", "question template"]
    title: Text(200)
    text: Text(MAX_REPORT_TEXT)
    position: Position


class RoundDetails(Strict):
    uuid: Uuid
    label: Annotated[Text(40), Field(min_length=1)]
    cycle_year: Annotated[int, Field(ge=1, le=3)]
    report_month: IsoDate | None
    workshop_minutes: Annotated[int, Field(ge=10, le=600)]
    background_text: Text(MAX_REPORT_TEXT)
    methodology_intro: Text(MAX_REPORT_TEXT)
    conclusion_text: Text(MAX_REPORT_TEXT)
    template_cover_text: Text(MAX_REPORT_TEXT)
    declined_text: Text(MAX_REPORT_TEXT)
    partnership_recommendations_heading: Text(1_000)


class RoundFile(Strict):
    """``round.json``: a peer-review round as its partnership recorded it (``services.region.round_file``)."""

    round_format: Annotated[int, Field(ge=1, le=1_000)]
    partnership: RoundPartnership
    round: RoundDetails
    organisations: Annotated[list[RoundOrganisation], Field(max_length=MAX_REVIEWS)]
    people: Annotated[list[RoundPerson], Field(max_length=1_000)]
    themes: Annotated[list[RoundTheme], Field(max_length=100)]
    appendices: Annotated[list[RoundAppendix], Field(max_length=50)]
    panel: Annotated[list[RoundPanelMember], Field(max_length=200)]
    reviews: Annotated[list[RoundReview], Field(max_length=MAX_REVIEWS)]
    recommendations: Annotated[list[RoundRecommendation], Field(max_length=MAX_RECOMMENDATIONS)]

    @model_validator(mode="after")
    def _links_hold(self) -> RoundFile:
        if self.round_format > ROUND_FORMAT:
            return self  # the importer refuses it as made by a newer version, in its own words
        organisations = {o.uuid for o in self.organisations}
        people = {p.uuid for p in self.people}
        questions = [q.uuid for t in self.themes for q in t.questions]
        panel = {m.uuid for m in self.panel}
        reviews = {r.uuid for r in self.reviews}
        _unique([o.uuid for o in self.organisations], "an organisation")
        _unique([p.uuid for p in self.people], "a person")
        _unique([t.uuid for t in self.themes], "a theme")
        _unique([a.uuid for a in self.appendices], "an appendix")
        _unique(questions, "a question")
        _unique([m.uuid for m in self.panel], "a panel member")
        _unique([m.person_uuid for m in self.panel], "a person on the panel")
        _unique([r.uuid for r in self.reviews], "a review")
        _unique([r.organisation_uuid for r in self.reviews], "a review of the same organisation")
        _unique([x.uuid for r in self.reviews for x in (*r.representatives, *r.contacts, *r.responses)], "a record")
        _unique([r.uuid for r in self.recommendations], "a recommendation")
        _unique([r.number for r in self.recommendations], "a recommendation number")
        known_questions = set(questions)
        if any(p.organisation_uuid not in organisations for p in self.people if p.organisation_uuid):
            raise ValueError("names an organisation it does not hold")
        if any(m.person_uuid not in people for m in self.panel):
            raise ValueError("puts someone on the panel it does not hold")
        for review in self.reviews:
            if review.organisation_uuid not in organisations or any(p not in panel for p in review.present_panel_uuid):
                raise ValueError("has a review naming an organisation or panel member it does not hold")
            _unique(review.present_panel_uuid, "a panel member present twice")
            answered = [r.question_uuid for r in review.responses if r.question_uuid]
            _unique(answered, "two responses to the same question")
            if any(q not in known_questions for q in answered):
                raise ValueError("has a response to a question not in its template")
        for rec in self.recommendations:
            if (rec.review_uuid and rec.review_uuid not in reviews
                    or rec.question_uuid and rec.question_uuid not in known_questions
                    or rec.organisation_uuid and rec.organisation_uuid not in organisations):
                raise ValueError("has a recommendation naming a review, question or organisation it does not hold")
        return self


# --- parsing --------------------------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


_PROBLEMS = {
    "missing": "is missing", "extra_forbidden": "is not part of this format", "string_type": "should be text",
    "int_type": "should be a whole number", "bool_type": "should be true or false", "list_type": "should be a list",
    "model_type": "should be an object", "dict_type": "should be an object", "model_attributes_type": "should be an object",
    "string_too_long": "is too long", "string_too_short": "is empty", "too_long": "has too many entries",
    "too_short": "is empty", "less_than_equal": "is out of range", "greater_than_equal": "is out of range",
    "literal_error": "is not one of the allowed values", "string_pattern_mismatch": "is not in the expected form",
    "none_required": "should be empty", "string_unicode": "holds a broken character (a lone surrogate)",
}


def _where(loc: tuple) -> str:
    parts = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif not item.startswith(("function-after", "list[", "nullable", "literal")) and item not in ("str", "int"):
            shown = item if re.fullmatch(r"[A-Za-z0-9_]{1,40}", item) else "(an unexpected key)"
            parts.append(("." if parts else "") + shown)
    return "".join(parts) or "the part as a whole"


def describe_error(error: ValidationError) -> str:
    """The first problem in words: where, and what is wrong (never the value)."""
    first = error.errors(include_input=False, include_url=False)[0]
    kind = first["type"]
    if kind == "value_error":
        problem = str(first.get("ctx", {}).get("error", "is not valid"))
    else:
        problem = _PROBLEMS.get(kind, "is not valid")
    if kind == "string_too_long":
        problem = f"is longer than the {first.get('ctx', {}).get('max_length', 0):,} characters the app allows"
    return f"{_where(first['loc'])} {problem}"


def validate(model: type[M], value: Any, what: str) -> M:
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise UserError(f"{what} cannot be read by this version of LGF Desktop "
                        f"({describe_error(error)}); nothing was imported.") from None
    except RecursionError:
        raise UserError(f"{what} nests deeper than an LGF exchange file ever does; it was not imported.") from None
