"""Answering the app's questions in GUI tests: a conflict (theirs or mine) is answered with a fixed
choice and recorded, and closing with unsaved text never waits on a dialog (a broken save then
fails its test instead of leaving a modal dialog open)."""

from __future__ import annotations

from lgf_desktop.ui import autosave, conflict


def answer_conflicts(monkeypatch, choice: str) -> list[tuple[str, str]]:
    """Every conflict asked about, as (theirs, mine), answered with ``choice``."""
    questions: list[tuple[str, str]] = []
    monkeypatch.setattr(conflict.ConflictDialog, "ask", classmethod(
        lambda cls, parent, message, theirs, mine, what="answer": questions.append((theirs, mine)) or choice))
    monkeypatch.setattr(autosave.UnsavedText, "ask", classmethod(lambda cls, parent, problem: True))
    return questions
