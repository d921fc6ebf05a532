"""One organisation across partnerships: the police, an ICB or probation work across several
partnerships and may be reviewed by more than one of them.

Each partnership's own record of an organisation stays as that partnership wrote it; ``same_as_id``
says which organisation it is. It is set when two records carry the same ODS code (on import), or
when the regional lead confirms that two names are the same organisation (the app suggests records
whose names match once case, accents and punctuation are set aside). Lists then show the
organisation once, with each partnership's review; planning warns when an organisation is about to be
asked twice in the same regional round.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...collation import by_name
from ...errors import UserError
from ...models import Organisation, Partnership, Review, Round

_ODS = re.compile(r"^[A-Z0-9]{3,10}$")
_NOISE = frozenset({"the", "nhs", "trust", "foundation", "ltd", "limited", "and", "of"})


def clean_ods_code(text: str) -> str:
    """An ODS code as stored (upper case, no spaces); "" for none; refused when it cannot be one."""
    code = re.sub(r"\s+", "", text or "").upper()
    if code and not _ODS.match(code):
        raise UserError("An ODS code is 3 to 10 letters and digits, such as RVJ or 15C.")
    return code


def _one(session: Session, org: Organisation) -> Organisation:
    """The organisation ``org`` is (following one link: links always point at an unlinked record)."""
    return session.get(Organisation, org.same_as_id) if org.same_as_id else org


def link_by_ods_code(session: Session) -> int:
    """Link every record to the first record with its ODS code; returns how many were linked."""
    linked = 0
    first: dict[str, Organisation] = {}
    for org in session.scalars(select(Organisation).where(Organisation.ods_code != "").order_by(Organisation.id)):
        code = org.ods_code.upper()
        if code not in first:
            first[code] = _one(session, org)
        elif org.same_as_id is None and org.id != first[code].id:
            org.same_as_id = first[code].id
            linked += 1
    session.flush()
    return linked


def confirm_same(session: Session, organisation_id: int, same_as_id: int) -> Organisation:
    """The regional lead confirms two records are one organisation."""
    org, other = session.get(Organisation, organisation_id), session.get(Organisation, same_as_id)
    if org is None or other is None:
        raise UserError("That organisation no longer exists.")
    target = _one(session, other)
    if target.id == _one(session, org).id:
        return target
    for linked in session.scalars(select(Organisation).where(Organisation.same_as_id == org.id)):
        linked.same_as_id = target.id
    org.same_as_id = target.id
    session.flush()
    return target


def separate(session: Session, organisation_id: int) -> None:
    """Undo a confirmation: the record is its own organisation again."""
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise UserError("That organisation no longer exists.")
    org.same_as_id = None
    session.flush()


def _name_key(name: str) -> str:
    """A name compared across partnerships: case, accents, punctuation and words such as "the",
    "NHS" or "Trust" set aside."""
    plain = unicodedata.normalize("NFKD", name or "").casefold()
    words = re.findall(r"[a-z0-9]+", "".join(c for c in plain if not unicodedata.combining(c)).replace("&", " and "))
    return " ".join(w for w in words if w not in _NOISE)


@dataclass(frozen=True)
class ReviewPlace:
    partnership: str
    round_label: str
    review_id: int
    status: str
    imported: bool


@dataclass(frozen=True)
class OneOrganisation:
    """An organisation as the region sees it: one name, and each partnership's review of it."""

    id: int
    name: str
    ods_code: str
    record_ids: tuple[int, ...]
    reviews: tuple[ReviewPlace, ...]

    @property
    def partnerships(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.partnership for r in self.reviews))


def organisations_across(session: Session, round_label: str | None = None) -> list[OneOrganisation]:
    """Every organisation reviewed (in ``round_label``, or any round) listed once, with each
    partnership's review of it, by name."""
    query = (select(Review.id, Review.status, Organisation, Round.label, Partnership.name, Partnership.imported)
             .join(Organisation, Review.organisation_id == Organisation.id).join(Round, Review.round_id == Round.id)
             .join(Partnership, Round.partnership_id == Partnership.id).where(Round.kind == "peer review"))
    if round_label is not None:
        query = query.where(Round.label == round_label)
    groups: dict[int, list] = {}
    for review_id, status, org, label, partnership, imported in session.execute(query.order_by(Partnership.id, Review.position)):
        groups.setdefault(org.one_id, []).append((org, ReviewPlace(partnership, label, review_id, status, imported)))
    result = []
    for one_id, rows in groups.items():
        one = session.get(Organisation, one_id)
        ods = one.ods_code or next((o.ods_code for o, _ in rows if o.ods_code), "")
        result.append(OneOrganisation(one_id, one.name, ods, tuple(dict.fromkeys(o.id for o, _ in rows)),
                                      tuple(place for _, place in rows)))
    return by_name(result, lambda o: o.name)


@dataclass(frozen=True)
class LikelySame:
    """Two organisations whose names match once case, accents and punctuation are set aside."""

    organisation_id: int
    name: str
    same_as_id: int
    same_as_name: str


def likely_same(session: Session) -> list[LikelySame]:
    """Pairs the regional lead may confirm as one organisation (not yet linked)."""
    seen: dict[str, Organisation] = {}
    pairs = []
    for org in session.scalars(select(Organisation).where(Organisation.same_as_id.is_(None)).order_by(Organisation.id)):
        key = _name_key(org.name)
        if not key:
            continue
        if key in seen:
            first = seen[key]
            pairs.append(LikelySame(org.id, org.name, first.id, first.name))
        else:
            seen[key] = org
    return pairs


def _others_in_label(session: Session, round_: Round) -> list[tuple[Organisation, str, str]]:
    """(organisation, partnership, review status) for every review of another partnership's round of
    the same label and kind: one query."""
    return list(session.execute(
        select(Organisation, Partnership.name, Review.status)
        .join(Review, Review.organisation_id == Organisation.id).join(Round, Review.round_id == Round.id)
        .join(Partnership, Round.partnership_id == Partnership.id)
        .where(Round.label == round_.label, Round.partnership_id != round_.partnership_id, Round.kind == round_.kind)
        .order_by(Partnership.name)).all())


def _same(session: Session, org: Organisation, other: Organisation) -> bool:
    """The same organisation: linked, the same ODS code, or the same name (case, accents and
    punctuation aside)."""
    one = _one(session, org)
    code = (org.ods_code or one.ods_code or "").upper()
    key = _name_key(org.name)
    return bool(other.one_id == one.id or code and (other.ods_code or "").upper() == code
                or key and _name_key(other.name) == key)


def _sentence(org: Organisation, partnership: str, label: str, status: str) -> str:
    return (f"{org.name} is already asked by {partnership} in round {label} ({status}); the partnerships "
            "agreed no organisation is asked to take part more than once.")


def asked_elsewhere(session: Session, round_id: int, organisation_id: int) -> list[str]:
    """Sentences naming the other partnerships that review ``organisation_id`` in the same round
    label (the same organisation by its link, its ODS code or its name); [] when none do."""
    round_ = session.get(Round, round_id)
    org = session.get(Organisation, organisation_id)
    if round_ is None or org is None:
        return []
    return [_sentence(org, partnership, round_.label, status)
            for other, partnership, status in _others_in_label(session, round_) if _same(session, org, other)]


def round_warnings(session: Session, round_id: int) -> list[str]:
    """For a round's planning: each of its organisations also asked by another partnership (three
    queries however many reviews the round has)."""
    round_ = session.get(Round, round_id)
    if round_ is None or round_.read_only:
        return []
    others = _others_in_label(session, round_)
    if not others:
        return []
    mine = session.scalars(select(Organisation).join(Review, Review.organisation_id == Organisation.id)
                           .where(Review.round_id == round_id).order_by(Review.position, Review.id)).all()
    return [_sentence(org, partnership, round_.label, status)
            for org in mine for other, partnership, status in others if _same(session, org, other)]
