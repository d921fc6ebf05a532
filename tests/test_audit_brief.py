"""The one-page learning brief (PDF) and the audit commands of ``lgf``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from lgf_desktop.cli import main
from lgf_desktop.errors import UserError
from lgf_desktop.exports.brief_pdf import write_brief
from lgf_desktop.models import Audit, Partnership
from lgf_desktop.services.audit.findings import set_findings


def run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


@pytest.fixture
def lgf(capsys):
    """Run ``lgf`` in this process (the same ``main`` as the command); returns (status, stdout, stderr)."""
    def call(*args: str) -> subprocess.CompletedProcess[str]:
        status = main(list(args))
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, status, out.out, out.err)
    return call


def demo_audit(session) -> Audit:
    return session.scalars(select(Audit)).one()


def test_brief_is_one_a4_page_with_theme_learning_points_and_links(demo_db, tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    with demo_db.session() as session:
        audit = demo_audit(session)
        session.scalars(select(Partnership)).one().name = "Łódź & Siân's Children's Partnership"
        write_brief(session, audit, out)
    info = run("pdfinfo", str(out))
    assert "Pages:           1" in info and "(A4)" in info
    text = run("pdftotext", "-layout", str(out), "-")
    assert "Neglect: recognising and responding to" in text and "2025-26 Q2" in text
    assert "Łódź & Siân's Children's Partnership" in text
    flat = " ".join(text.split())
    assert "A plan must say what will be different for the child, by when, and who checks." in flat
    assert "audited ten children's cases" in flat and "Four auditors from four agencies" in flat
    assert "Neglect practice guidance and screening tool" in flat
    assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0
    fonts = run("pdffonts", str(out))
    assert "DejaVuSans" in fonts and "Helvetica" not in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    raw = out.read_bytes()
    assert b"/URI (https://example.org/westmoor/neglect-toolkit)" in raw  # clickable


def test_brief_that_does_not_fit_is_refused_with_what_to_shorten(demo_db, tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"the previous brief")
    with demo_db.session() as session:
        audit = demo_audit(session)
        set_findings(audit, key_learning="\n".join(f"Learning point number {n} about practice with children." for n in range(60)))
        with pytest.raises(UserError, match="does not fit on one A4 page: shorten the learning points"):
            write_brief(session, audit, out)
        session.rollback()
    assert out.read_bytes() == b"the previous brief"  # nothing half-written in its place


def test_cli_lists_audits_and_exports_the_brief(lgf, db_path: Path, tmp_path: Path) -> None:
    assert lgf("--db", str(db_path), "audits").stdout.strip() == "No audits yet."
    assert lgf("--db", str(db_path), "demo").returncode == 0
    listing = lgf("--db", str(db_path), "audits").stdout
    line = [l for l in listing.splitlines() if "Neglect" in l][0]
    assert line.split()[:6] == ["1", "2025-26", "Q2", "10", "4", "300/300"]
    assert "IMMEDIATE CONCERN: 1 open" in line
    ok = lgf("--db", str(db_path), "export", "brief", "--audit", "1", "--out", str(tmp_path / "b.pdf"))
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    missing = lgf("--db", str(db_path), "export", "brief", "--audit", "9", "--out", str(tmp_path / "c.pdf"))
    assert missing.returncode == 2 and missing.stderr.strip() == "lgf: There is no audit 9 (audits: 1)."
    assert not (tmp_path / "c.pdf").exists()


def test_cli_offline_round_trip(lgf, db_path: Path, tmp_path: Path, my_key) -> None:
    mine = tmp_path / "mine.sqlite3"
    lgf("--db", str(db_path), "demo")
    # Claire sent her public key (the test user plays every part) and the fingerprints were compared.
    (tmp_path / "claire.lgfkey").write_text(my_key.public.text())
    assert lgf("--db", str(db_path), "keys", "import", str(tmp_path / "claire.lgfkey"), "--person", "Claire").returncode == 0
    package = tmp_path / "claire.lgfx"
    made = lgf("--db", str(db_path), "export", "package", "--audit", "1", "--auditor", "Claire", "--out", str(package))
    assert made.returncode == 0, made.stderr
    opened = lgf("--db", str(mine), "import", str(package))
    assert "Opened the audit" in opened.stdout, opened.stderr
    assert "auditor's copy" in lgf("--db", str(mine), "audits").stdout
    ret = lgf("--db", str(mine), "export", "return", "--audit", "1", "--out", str(tmp_path / "r.lgfx"))
    assert ret.returncode == 0, ret.stderr
    merged = lgf("--db", str(db_path), "import", str(tmp_path / "r.lgfx"))
    assert "Return from Claire Dunmore" in merged.stdout
    wrong = lgf("--db", str(db_path), "export", "return", "--audit", "1", "--out", str(tmp_path / "x.lgfx"))
    assert wrong.returncode == 2 and "auditor's copy" in wrong.stderr
