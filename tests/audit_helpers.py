"""Helpers shared by the audit tests: a coordinator's audit with two auditors, and snapshots."""

from __future__ import annotations

from sqlalchemy import select

from lgf_desktop.exchange.senders import set_person_key
from lgf_desktop.keys import this_sitting
from lgf_desktop.models import Assignment, Audit, Auditor, Grade, Organisation, Person
from lgf_desktop.services.audit.cases import add_auditor, assign, create_audit


def make_audit(db, *, cases: int = 4) -> dict[str, int]:
    """An audit with two auditors: Siân (health) on cases A, B, C and Łukasz (police) on C, D."""
    with db.session() as session:
        audit = create_audit(session, "Neglect", "2025-26 Q2", case_count=cases)
        health = Organisation(name="Northvale Health Trust", short_name="Health", sector="Health")
        police = Organisation(name="Westmoor Police", short_name="Police", sector="Police")
        sian = Person(name="Siân Howells", role_title="Named Nurse", organisation=health)
        lukasz = Person(name="Łukasz Nowak", role_title="Detective Sergeant", organisation=police)
        session.add_all([health, police, sian, lukasz])
        session.flush()
        first = add_auditor(session, audit, sian)
        second = add_auditor(session, audit, lukasz)
        for case in audit.cases[:3]:
            assign(session, first, case)
        for case in audit.cases[2:4]:
            assign(session, second, case)
        # One test user plays every part: each auditor's public key is that user's (tests/conftest.py).
        for person in (sian, lukasz):
            set_person_key(session, person, this_sitting().public)
        return {"audit": audit.id, "sian": first.id, "lukasz": second.id}


def the_audit(session) -> Audit:
    return session.scalars(select(Audit)).one()


def auditor_named(session, name: str) -> Auditor:
    return session.scalars(select(Auditor).join(Person).where(Person.name.startswith(name))).one()


def assignment_for(session, name: str, pseudonym: str) -> Assignment:
    auditor = auditor_named(session, name)
    return next(a for a in auditor.assignments if a.case.pseudonym == pseudonym)


def snapshot(db) -> list[tuple]:
    """Every grade and case summary as plain values, to show that nothing changed."""
    with db.session() as session:
        grades = [(g.uuid, g.grade_option_id, g.evidence, g.version, g.coordinator_rev, g.auditor_rev, g.agreed_rev)
                  for g in session.scalars(select(Grade).order_by(Grade.uuid))]
        summaries = [(a.uuid, a.working_well, a.needs_improve, a.voice_heard, a.immediate_concern, a.version,
                      a.coordinator_rev, a.auditor_rev, a.agreed_rev)
                     for a in session.scalars(select(Assignment).order_by(Assignment.uuid))]
    return grades + summaries


def open_audits_page(qtbot, db, tab: str | None = None):
    """The Audits page shown at 1366×768 (on its ``tab``: "details", "scoring", ...)."""
    from lgf_desktop.ui.audit.page import AuditsPage

    page = AuditsPage(db)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    if tab is not None:
        page.tabs.setCurrentWidget(getattr(page, tab))
    return page
