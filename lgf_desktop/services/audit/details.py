"""An audit's own details after it is created: theme, quarter, start and end dates, and the training
and resource links printed (clickable) on the learning brief. Each change is checked first and bad
input is refused with one sentence, leaving the audit as it was."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import Audit, AuditLink

UNCHANGED = object()  # "leave this field alone" (None means "clear the date")
QUARTER_MAX = 40  # the column's length


def clean_theme(theme: str) -> str:
    theme = theme.strip()
    if not theme:
        raise UserError("An audit needs a theme, such as 'Neglect' or 'Children missing education'.")
    return theme


def clean_quarter(quarter: str) -> str:
    quarter = quarter.strip()
    if len(quarter) > QUARTER_MAX:
        raise UserError(f"Keep the quarter short, such as '2025-26 Q3' (at most {QUARTER_MAX} characters).")
    return quarter


def check_dates(start_date: date | None, end_date: date | None) -> None:
    if start_date and end_date and end_date < start_date:
        raise UserError("The end date is before the start date.")


def set_audit_details(audit: Audit, *, theme: str | object = UNCHANGED, quarter: str | object = UNCHANGED,
                      start_date: date | None | object = UNCHANGED, end_date: date | None | object = UNCHANGED) -> None:
    """Change any of the audit's details; everything is checked before anything is changed."""
    new_theme = clean_theme(theme) if theme is not UNCHANGED else audit.theme  # type: ignore[arg-type]
    new_quarter = clean_quarter(quarter) if quarter is not UNCHANGED else audit.quarter  # type: ignore[arg-type]
    new_start = audit.start_date if start_date is UNCHANGED else start_date
    new_end = audit.end_date if end_date is UNCHANGED else end_date
    check_dates(new_start, new_end)  # type: ignore[arg-type]
    audit.theme, audit.quarter = new_theme, new_quarter
    audit.start_date, audit.end_date = new_start, new_end  # type: ignore[assignment]


def clean_link(title: str, url: str) -> tuple[str, str]:
    """A link's title and address, stripped, or a sentence saying what is wrong with them."""
    title, url = title.strip(), url.strip()
    if not title:
        raise UserError("A link needs a title to show on the brief.")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        ok = bool(parts.hostname) and " " not in url  # an intranet name without dots is fine
    elif scheme == "mailto":
        ok = "@" in parts.path and " " not in url
    else:
        ok = False
    if not ok:
        raise UserError("A link must be a web address starting with https:// or http://, or an email address "
                        "starting with mailto:.")
    return title, url


def add_link(audit: Audit, title: str, url: str) -> AuditLink:
    title, url = clean_link(title, url)
    link = AuditLink(title=title, url=url, position=max((link.position for link in audit.links), default=-1) + 1)
    audit.links.append(link)
    return link


def edit_link(session: Session, link_id: int, *, title: str | None = None, url: str | None = None) -> AuditLink:
    link = session.get(AuditLink, link_id)
    if link is None:
        raise UserError("That link no longer exists.")
    link.title, link.url = clean_link(link.title if title is None else title, link.url if url is None else url)
    return link


def move_link(session: Session, link_id: int, step: int) -> None:
    """Move a link up (-1) or down (+1) in the brief's list."""
    link = session.get(AuditLink, link_id)
    if link is None:
        raise UserError("That link no longer exists.")
    links = list(link.audit.links)
    here = links.index(link)
    there = max(0, min(len(links) - 1, here + step))
    links.insert(there, links.pop(here))
    for position, item in enumerate(links):
        item.position = position
