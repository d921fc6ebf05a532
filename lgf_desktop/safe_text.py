"""Text from files and the database made safe to show on a terminal: every control character visible.

An exchange file, or a database someone else filled, can hold text with terminal escape sequences
(ESC [ … that recolour, retitle or rewrite the screen), other C0/C1 controls, a line break that forges
a line of output, bidirectional overrides that show text in another order than it is stored (the
"Trojan Source" trick), or a lone surrogate that cannot be printed at all. ``visible`` shows each as an
escape (``\\x1b``, ``\\n``, ``\\u202e``) so what is printed is exactly what is stored, on one line.
Everything the ``lgf`` command prints that did not come from the program itself goes through it.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks, zero-width characters, the
# line/paragraph separators, the BOM, and lone surrogates.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """``text`` as a string with every control, bidi override and unprintable character escaped."""
    return _HIDDEN.sub(_escape, str(text))
