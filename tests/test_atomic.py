"""Atomic output files: a failed write leaves the old file and no temporary file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from lgf_desktop.atomic import atomic_write
from lgf_desktop.errors import UserError


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"old report")

    def fail(temp: Path) -> None:
        temp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(UserError, match="disk holding .* is full"):
        atomic_write(target, fail)
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


def test_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        atomic_write(tmp_path / "nowhere" / "x.csv", lambda p: p.write_text("x"))


def test_folder_that_refuses_new_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(UserError, match="folder .* cannot be written to"):
        atomic_write(tmp_path / "x.csv", lambda p: p.write_text("x"))
