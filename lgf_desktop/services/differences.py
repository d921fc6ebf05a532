"""Two versions of a text compared word by word, as HTML for a read-only text view (no Qt): the
earlier-versions view (what a version lacks and what was added since) and the conflict dialog (what
each side has that the other does not)."""

from __future__ import annotations

import difflib
from html import escape

_REMOVED = "background:#fde0e0;color:#8b0000;text-decoration:line-through"
_ADDED = "background:#dff3df;color:#1b5e20;text-decoration:underline"
_ONLY_HERE = "background:#ffe08a;color:#111"


def _words(text: str) -> list[str]:
    return text.split(" ")


def _page(parts: list[str]) -> str:
    return "<div style='white-space:pre-wrap'>" + " ".join(parts).replace("\n", "<br>") + "</div>"


def compare_html(earlier: str, current: str) -> str:
    """The earlier text with what the current text lacks struck through in red and what it added
    underlined in green."""
    old_words, new_words = _words(earlier), _words(current)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            out.append(f"<span style='{_REMOVED}'>{escape(' '.join(old_words[a1:a2]))}</span>")
        if b2 > b1:
            out.append(f"<span style='{_ADDED}'>{escape(' '.join(new_words[b1:b2]))}</span>")
    return _page(out)


def only_here_html(text: str, other: str) -> tuple[str, int | None]:
    """``text`` with the words ``other`` does not have highlighted, and the character position of
    the first of them (None: nothing differs), so a long text can be shown from there."""
    words, other_words = _words(text), _words(other)
    out: list[str] = []
    first: int | None = None
    matcher = difflib.SequenceMatcher(a=words, b=other_words, autojunk=False)
    for op, a1, a2, _b1, _b2 in matcher.get_opcodes():
        if a2 == a1:
            continue  # only in the other text: nothing to show on this side
        part = escape(" ".join(words[a1:a2]))
        if op == "equal":
            out.append(part)
            continue
        if first is None:
            first = len(" ".join(words[:a1])) + (1 if a1 else 0)
        out.append(f"<span style='{_ONLY_HERE}'>{part}</span>")
    return _page(out), first
