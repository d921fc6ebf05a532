"""Panel members' notes: export, import (once), merge — and bad files refused with the database unchanged."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.exchange.container import write_package
from lgf_desktop.importing import import_file
from sealing_support import sealed_bytes, sealing_as_test_user, unsealed
from lgf_desktop.history import history_of
from lgf_desktop.models import ExchangeImport, NoteContribution, Response, Review
from lgf_desktop.services.review import notes_exchange as notes
from lgf_desktop.services.review import workshop as ws
from workshop_support import _demo_template, planned_review_id, snapshot, workshop_db  # noqa: F401


@pytest.fixture
def member_db(workshop_db: Database, tmp_path: Path):
    """A panel member's laptop: a copy of the chair's database, where they typed their own notes."""
    workshop_db.engine.dispose()
    path = tmp_path / "member" / "lgf.sqlite3"
    path.parent.mkdir()
    shutil.copy(workshop_db.path, path)
    for suffix in ("-wal", "-shm"):
        if Path(f"{workshop_db.path}{suffix}").exists():
            shutil.copy(f"{workshop_db.path}{suffix}", f"{path}{suffix}")
    member = Database.open(path)
    member.set_user("Priya Member")
    yield member
    member.close()


def member_notes(member_db: Database, review_id: int, tmp_path: Path) -> tuple[Path, list[int]]:
    with member_db.session() as s:
        questions = [q.id for q in s.get(Review, review_id).round.questions]
        ws.save_response(s, review_id, questions[0], "Member: induction within 3 months.\n• level 3 for all")
        ws.save_response(s, review_id, questions[3], "Member: supervision monthly 🙂 — مرحبا")
    with member_db.session() as s:
        path, count = notes.export_notes(s, review_id, member_db.user, tmp_path / "priya.lgfx")
    assert count == 2
    return path, questions


def test_round_trip_export_import_merge(workshop_db, member_db, tmp_path):
    review_id = planned_review_id(workshop_db)
    path, questions = member_notes(member_db, review_id, tmp_path)
    with workshop_db.session() as s:
        ws.save_response(s, review_id, questions[0], "Chair: they described induction.")
    summary = import_file(workshop_db, path)
    assert "2 note(s) from Priya Member" in summary
    with workshop_db.session() as s:
        pending = notes.pending_notes(s, review_id)
        assert [(n.question_id, n.author) for n in pending] == [(questions[0], "Priya Member"), (questions[3], "Priya Member")]
        record = s.scalars(select(ExchangeImport)).one()
        assert record.kind == "review-notes" and record.author == "Priya Member" and pending[0].import_id == record.id
    # Append keeps the chair's text and adds the member's after it.
    with workshop_db.session() as s:
        text = notes.merge_append(s, pending[0].id)
    assert text == "Chair: they described induction.\nMember: induction within 3 months.\n• level 3 for all"
    # Pick and edit: the member's notes, as the chair edited them, become the response.
    with workshop_db.session() as s:
        notes.merge_pick(s, pending[1].id, "Supervision is monthly 🙂 — مرحبا (checked)")
    with workshop_db.session() as s:
        responses = {r.question_id: r.text for r in s.scalars(select(Response).where(Response.review_id == review_id))}
        assert responses[questions[0]] == text
        assert responses[questions[3]] == "Supervision is monthly 🙂 — مرحبا (checked)"
        assert notes.pending_notes(s, review_id) == []
        assert notes.merged_authors(s, review_id, questions[0]) == ["Priya Member"]
        statuses = {n.status for n in s.scalars(select(NoteContribution))}
        assert statuses == {"merged"}
        # The merge is in the change history, under the chair's name.
        response = s.scalar(select(Response).where(Response.question_id == questions[3], Response.review_id == review_id))
        assert history_of(s, response)[0].who == workshop_db.user
        with pytest.raises(UserError, match="already merged"):
            notes.merge_append(s, pending[0].id)


def test_importing_the_same_file_twice_changes_nothing(workshop_db, member_db, tmp_path):
    review_id = planned_review_id(workshop_db)
    path, _ = member_notes(member_db, review_id, tmp_path)
    import_file(workshop_db, path)
    before = snapshot(workshop_db)
    again = import_file(workshop_db, path)
    assert again.startswith("This file was already imported on") and again.endswith("nothing changed.")
    assert snapshot(workshop_db) == before


def _notes_here(db: Database) -> list[tuple]:
    with db.session() as s:
        return [(n.id, n.note_uuid, n.question_id, n.author, n.text, n.status, n.written_at)
                for n in s.scalars(select(NoteContribution).order_by(NoteContribution.id))]


def _rewrap(source: Path, target: Path) -> Path:
    """The same notes in another file: unpacked and zipped again (so the file's checksum differs)."""
    with zipfile.ZipFile(unsealed(source)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in reversed(list(members)):
            archive.writestr(name, members[name])
    target.write_bytes(sealed_bytes(buffer.getvalue()))
    return target


def test_the_same_notes_rezipped_or_exported_again_add_nothing(workshop_db, member_db, tmp_path):
    review_id = planned_review_id(workshop_db)
    path, _ = member_notes(member_db, review_id, tmp_path)
    import_file(workshop_db, path)
    before = _notes_here(workshop_db)
    assert "already here; nothing changed" in import_file(workshop_db, _rewrap(path, tmp_path / "rezipped.lgfx"))
    with member_db.session() as s:
        again, _ = notes.export_notes(s, review_id, member_db.user, tmp_path / "again.lgfx")
    assert "already here; nothing changed" in import_file(workshop_db, again)
    assert _notes_here(workshop_db) == before  # (each file is recorded as seen; the notes are not added again)
    with workshop_db.session() as s:
        assert len(notes.pending_notes(s, review_id)) == 2


def test_a_later_export_updates_the_members_pending_notes(workshop_db, member_db, tmp_path):
    review_id = planned_review_id(workshop_db)
    path, questions = member_notes(member_db, review_id, tmp_path)
    import_file(workshop_db, path)
    with member_db.session() as s:
        ws.save_response(s, review_id, questions[0], "Member: induction within 3 months; level 3 for all, checked.")
    with member_db.session() as s:
        later, _ = notes.export_notes(s, review_id, member_db.user, tmp_path / "later.lgfx")
    assert "0 note(s) and 1 updated" in import_file(workshop_db, later)
    with workshop_db.session() as s:
        pending = notes.pending_notes(s, review_id)
        assert [n.text for n in pending] == ["Member: induction within 3 months; level 3 for all, checked.",
                                             "Member: supervision monthly 🙂 — مرحبا"]
    # the earlier file, imported after the later one, does not bring the old text back
    assert "nothing changed" in import_file(workshop_db, _rewrap(path, tmp_path / "earlier.lgfx"))
    # once the chair merged a note, the member's next change to it comes in as a new note
    with workshop_db.session() as s:
        notes.merge_append(s, notes.pending_notes(s, review_id)[0].id)
    with member_db.session() as s:
        ws.save_response(s, review_id, questions[0], "Member: and the induction pack is online.")
    with member_db.session() as s:
        latest, _ = notes.export_notes(s, review_id, member_db.user, tmp_path / "latest.lgfx")
    assert "1 note(s) from Priya Member" in import_file(workshop_db, latest)
    with workshop_db.session() as s:
        assert [n.text for n in notes.pending_notes(s, review_id)][-1] == "Member: and the induction pack is online."
        assert len(notes.pending_notes(s, review_id)) == 2


def test_dismiss(workshop_db, member_db, tmp_path):
    review_id = planned_review_id(workshop_db)
    path, _ = member_notes(member_db, review_id, tmp_path)
    import_file(workshop_db, path)
    with workshop_db.session() as s:
        first = notes.pending_notes(s, review_id)[0]
        notes.dismiss(s, first.id)
    with workshop_db.session() as s:
        assert len(notes.pending_notes(s, review_id)) == 1


def test_export_needs_notes_and_a_name(workshop_db, tmp_path):
    review_id = planned_review_id(workshop_db)
    with workshop_db.session() as s, pytest.raises(UserError, match="no notes"):
        notes.export_notes(s, review_id, "Chair", tmp_path / "x.lgfx")
    with workshop_db.session() as s, pytest.raises(UserError, match="name"):
        notes.export_notes(s, review_id, "  ", tmp_path / "x.lgfx")
    assert not (tmp_path / "x.lgfx").exists()


# --- bad files: each refused with one sentence and the database unchanged ------------------------

def _rezip(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(unsealed(source)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    change(members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    target.write_bytes(sealed_bytes(buffer.getvalue()))
    return target


def _bomb(target: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", b"{}")
        with archive.open("notes.json", "w", force_zip64=True) as fh:
            for _ in range(40):
                fh.write(bytes(1024 * 1024))
    target.write_bytes(sealed_bytes(buffer.getvalue()))
    return target


def _notes_file(target: Path, body: dict) -> Path:
    """Notes with a manifest that matches them (as a careful forger would write it)."""
    return write_package(target, kind="review-notes", author="Priya Member",
                         description=f"Notes on {len(body['notes'])} question(s)",
                         scope={"review_uuid": body["review_uuid"], "round_uuid": body["round_uuid"]},
                         parts={"notes.json": json.dumps(body).encode()}, sealing=sealing_as_test_user())


def _wrong_review(good: Path, target: Path) -> Path:
    body = json.loads(zipfile.ZipFile(unsealed(good)).read("notes.json"))
    body["review_uuid"] = "00000000-0000-4000-8000-000000000000"
    return _notes_file(target, body)


def _unknown_question(good: Path, target: Path) -> Path:
    body = json.loads(zipfile.ZipFile(unsealed(good)).read("notes.json"))
    body["notes"].append({"note_uuid": "00000000-0000-4000-8000-000000000001", "question_uuid": "00000000-0000-4000-8000-000000000002",
                          "theme": "", "question": "Something else", "text": "x", "written_at": None})
    return _notes_file(target, body)


def _tamper(members):
    members["notes.json"] = members["notes.json"].replace(b"Member:", b"MEMBER:")


BAD = {
    "malformed": (lambda good, t: (t.write_bytes(b"\x00garbage" * 50), t)[1], "not a zip"),
    "truncated": (lambda good, t: (t.write_bytes(good.read_bytes()[:300]), t)[1], "damaged or incomplete"),
    "foreign zip": (lambda good, t: _rezip(good, t, lambda m: m.pop("manifest.json")), "no manifest"),
    "tampered": (lambda good, t: _rezip(good, t, _tamper), "checksum"),
    "path traversal": (lambda good, t: _rezip(good, t, lambda m: m.update({"../../evil.sh": b"rm"})), "leave its folder"),
    "zip bomb": (lambda good, t: _bomb(t), "far more than"),
    "wrong round": (_wrong_review, "not in this database"),
    "unknown question": (_unknown_question, "not in this round's template"),
    "bad json": (lambda good, t: write_package(t, kind="review-notes", author="x", description="x", scope={},
                                               parts={"notes.json": b"{not json"}, sealing=sealing_as_test_user()),
                   "not valid JSON"),
    "audit kind": (lambda good, t: write_package(t, kind="audit-return", author="x", description="x", scope={},
                                                 parts={"grades.json": b"{}"}, sealing=sealing_as_test_user()),
                   "no part called return.json"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_exchange_files_leave_the_database_unchanged(workshop_db, member_db, tmp_path, case):
    review_id = planned_review_id(workshop_db)
    good, _ = member_notes(member_db, review_id, tmp_path)
    make, words = BAD[case]
    bad = make(good, tmp_path / f"bad-{case.replace(' ', '-')}.lgfx")
    with workshop_db.session() as s:
        s.scalars(select(Review)).all()  # the pool holds a connection, as in the running app
    before = snapshot(workshop_db)
    with pytest.raises(UserError) as info:
        import_file(workshop_db, bad)
    message = str(info.value)
    assert words in message and "\n" not in message and "Traceback" not in message
    assert snapshot(workshop_db) == before
    assert not (tmp_path.parent / "evil.sh").exists()
