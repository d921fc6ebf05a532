"""Who sends what to whom: the public keys a database knows, the seal each kind of file gets, and
the check that an imported file was signed by the person it should come from.

- A coordinator issues a package to the auditor's public key (known in this database's key book);
  the key is recorded as the one that package was issued to.
- Opening the package, the auditor's database records the coordinator's key (the package's signer);
  the auditor's return is encrypted to it.
- The coordinator accepts a return only if it is signed by the key the package was issued to (or,
  for a package sent with a passphrase, the auditor's key in the key book).
- A panel member's notes are encrypted to the chair's key; the chair accepts notes signed by a key in
  the key book (or their own), and the import says whose. A partnership's round for the regional
  report is sealed for the regional lead and accepted on the same terms.

The key book lives in the database's settings (public keys only: nothing secret). Files sent with a
passphrase are still signed by the sender's key.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..keys import MyKey, PublicKey, my_public_key, this_sitting
from ..models import Audit, Auditor, Person, Review, Setting
from .container import Package
from .sealing import Sealing

PERSON_KEY = "public-key:"            # + person uuid
ISSUED_KEY = "issued-key:"            # + auditor uuid: the key that auditor's package was sealed for
COORDINATOR_KEY = "coordinator-key:"  # + audit uuid (in an auditor's database): who issued the package


def _get(session: Session, key: str) -> PublicKey | None:
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return PublicKey.parse(value) if value else None


def _put(session: Session, key: str, public: PublicKey) -> None:
    setting = session.scalar(select(Setting).where(Setting.key == key))
    if setting is None:
        session.add(Setting(key=key, value=public.text()))
    else:
        setting.value = public.text()
    session.flush()


def set_person_key(session: Session, person: Person, public: PublicKey) -> None:
    """Record ``person``'s public key (after comparing its fingerprint with them)."""
    _put(session, f"{PERSON_KEY}{person.uuid}", public)


def person_key(session: Session, person: Person) -> PublicKey | None:
    return _get(session, f"{PERSON_KEY}{person.uuid}")


def known_keys(session: Session) -> list[tuple[Person, PublicKey]]:
    rows = session.execute(select(Setting.key, Setting.value).where(Setting.key.startswith(PERSON_KEY))).all()
    found = []
    for key, value in rows:
        person = session.scalar(select(Person).where(Person.uuid == key.removeprefix(PERSON_KEY)))
        if person is not None:
            found.append((person, PublicKey.parse(value)))
    return sorted(found, key=lambda pair: pair[0].name.casefold())


def chair_key(session: Session, review: Review) -> PublicKey | None:
    """The key a panel member's notes for ``review`` are sealed for: the round's chair's."""
    chair = review.round.chair
    return person_key(session, chair.person) if chair else None


def coordinator_key(session: Session, audit: Audit) -> PublicKey | None:
    """In an auditor's database: the key of the coordinator who issued the audit's package."""
    return _get(session, f"{COORDINATOR_KEY}{audit.uuid}")


def _who_holds(session: Session, public: PublicKey) -> Person | None:
    return next((person for person, key in known_keys(session) if key.same_key(public)), None)


def _sender(sender: MyKey | None) -> MyKey:
    return sender or this_sitting()


# --- sealing what leaves ------------------------------------------------------------------------

def package_sealing(session: Session, auditor: Auditor, *, sender: MyKey | None = None,
                    passphrase: str | None = None) -> Sealing:
    """The seal of ``auditor``'s package: their key (recorded as the one it was issued to), or a passphrase."""
    sender = _sender(sender)
    if passphrase:
        return Sealing(sender, passphrase=passphrase)
    public = person_key(session, auditor.person)
    if public is None:
        raise UserError(f"{auditor.person.name} has no public key in this database: import theirs first "
                        "(File → My key… → Import a key, or lgf keys import), or send the package with a passphrase.")
    _put(session, f"{ISSUED_KEY}{auditor.uuid}", public)
    return Sealing(sender, recipients=(public,))


def return_sealing(session: Session, audit: Audit, *, sender: MyKey | None = None,
                   passphrase: str | None = None) -> Sealing:
    """The seal of an auditor's return: the coordinator's key, from the package they sent."""
    sender = _sender(sender)
    if passphrase:
        return Sealing(sender, passphrase=passphrase)
    public = _get(session, f"{COORDINATOR_KEY}{audit.uuid}")
    if public is None:
        raise UserError("The coordinator's key is not known here (the package was opened without one); "
                        "send the return with a passphrase agreed with the coordinator.")
    return Sealing(sender, recipients=(public,))


def notes_sealing(session: Session, review: Review, *, sender: MyKey | None = None, passphrase: str | None = None,
                  to: PublicKey | None = None) -> Sealing:
    """The seal of a panel member's notes: the chair's key (or ``to``), or a passphrase."""
    sender = _sender(sender)
    if passphrase:
        return Sealing(sender, passphrase=passphrase)
    if to is None:
        to = chair_key(session, review)
        if to is None:
            chair = review.round.chair
            who = chair.person.name if chair else "the chair (this round's panel has none ticked)"
            raise UserError(f"No public key is known for {who}: import the chair's key first, or send your notes "
                            "with a passphrase.")
    return Sealing(sender, recipients=(to,))


def template_sealing(session: Session, *, sender: MyKey | None = None, passphrase: str | None = None,
                     to: tuple[PublicKey, ...] = ()) -> Sealing:
    """The seal of a shared question template: the partnerships' keys (``to``, else every key in this
    database's key book: the regional lead records each partnership's business manager's), or a passphrase."""
    sender = _sender(sender)
    if passphrase:
        return Sealing(sender, passphrase=passphrase)
    recipients = tuple(to) or tuple(key for _, key in known_keys(session))
    if not recipients:
        raise UserError("No partnership's public key is known in this database: import their keys first "
                        "(File → My key… → Import a key, or lgf keys import), or send the template with a passphrase.")
    return Sealing(sender, recipients=recipients)


# --- checking who sent what comes in ------------------------------------------------------------

def check_sender(session: Session, package: Package) -> str:
    """Refuse a file not signed by the person it must come from; returns a sentence naming them."""
    signer: PublicKey | None = package.signer
    if signer is None:
        raise UserError("This exchange file is not sealed (not encrypted and signed), so who made it cannot be "
                        "checked; it was not imported. Ask the sender to export it again.")
    scope = package.scope
    if package.kind == "audit-return":
        auditor = session.scalar(select(Auditor).where(Auditor.uuid == str(scope.get("auditor_uuid", ""))))
        if auditor is None:
            return ""  # the importer refuses a return for an auditor it does not know, in its own words
        expected = _get(session, f"{ISSUED_KEY}{auditor.uuid}") or person_key(session, auditor.person)
        name = auditor.person.name
        if expected is None:
            raise UserError(f"No key is known for {name}, so their return cannot be checked: import their public key "
                            "(and compare its fingerprint with them) first; nothing was imported.")
        if not expected.same_key(signer):
            raise UserError(f"This return is signed by the key {signer.fingerprint}, not by the key of {name} that "
                            f"the package was issued to ({expected.fingerprint}); it was not imported.")
        return f"Signed by {name}'s key ({signer.fingerprint})."
    if package.kind == "audit-package":
        audit_uuid = str(scope.get("audit_uuid", ""))
        known = _get(session, f"{COORDINATOR_KEY}{audit_uuid}")
        if known is not None and not known.same_key(signer):
            raise UserError(f"This package is signed by the key {signer.fingerprint}, not by the coordinator who "
                            f"issued this audit's first package ({known.fingerprint}); it was not imported.")
        _put(session, f"{COORDINATOR_KEY}{audit_uuid}", signer)
        return (f"Issued by the key {signer.fingerprint}"
                + (f" ({signer.name})" if signer.name else "") + ": compare it with your coordinator's.")
    if package.kind in ("review-notes", "round", "template"):
        mine = my_public_key()
        if mine is not None and mine.same_key(signer):
            return f"Signed by your own key ({signer.fingerprint})."
        person = _who_holds(session, signer)
        if person is None:
            what, whose = {"review-notes": ("These notes are", "the panel member's"),
                           "round": ("This round is", "the partnership business manager's"),
                           "template": ("This template is", "the regional lead's")}[package.kind]
            raise UserError(f"{what} signed by a key this database does not know ({signer.fingerprint}); "
                            f"import {whose} public key first; nothing was imported.")
        return f"Signed by {person.name}'s key ({signer.fingerprint})."
    return ""
