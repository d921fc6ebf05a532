"""The order names are listed in: as an English reader expects, whatever the machine's locale.

"Łukasz" sorts under L, "Émile" under E, "O'Brien" beside "Obi", "van der Berg" under V, and case
never decides. Qt-free and locale-free on purpose: ``locale.strxfrm`` depends on which locales the
machine has installed (a C locale sorts every accented name after Z), and ``QCollator`` cannot be
used by services or exports. Unicode decomposition takes the accents off most letters; the table
below spells out the letters that do not decompose (Ł, Ø, Đ, ß, Æ…).
"""

from __future__ import annotations

import unicodedata

# Letters with no Unicode decomposition, as an English index would file them.
_SPELLED = str.maketrans({
    "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ħ": "H", "ħ": "h",
    "ı": "i", "Ŀ": "L", "ŀ": "l", "Ŧ": "T", "ŧ": "t", "ß": "ss", "ẞ": "SS", "Æ": "AE", "æ": "ae",
    "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ſ": "s",
})
_IGNORED = str.maketrans("", "", "'’‘-‐‑ .·")  # O'Brien by Obrien, Smith-Jones by Smithjones


def name_key(name: str | None) -> tuple[str, str]:
    """Sort key for a person's or organisation's name (or any text shown in a list)."""
    text = (name or "").strip()
    plain = unicodedata.normalize("NFKD", text.translate(_SPELLED))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    # The second part keeps the order stable and total: "Lukasz" before "Łukasz".
    return plain.translate(_IGNORED).casefold(), text.casefold()


def by_name(items, name=lambda item: item):
    """``items`` sorted by ``name(item)`` with ``name_key``."""
    return sorted(items, key=lambda item: name_key(name(item)))
