"""Recurring recommendations across organisations: the app suggests likely groups by wording; the
regional lead accepts, splits or renames them.

The measure is plain on purpose: each recommendation becomes a set of normalised words (lower case,
punctuation dropped, common words left out, a light suffix trim so "policies"/"policy" and
"training"/"trained" meet), and two recommendations are alike when their sets overlap enough
(Jaccard: shared words over all words). Alike pairs are joined into groups transitively
(union-find), and only groups spanning two organisations or more are suggested — a recurring
recommendation is one made to more than one organisation. The standard library is enough: the texts are one or two
sentences, a region holds a few hundred of them, and a lead must be able to see why two were put
together (the shared words), which a plain word overlap explains and an embedding would not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

SIMILAR_AT = 0.4  # shared words over all words; 0.4 joins rewordings, not mere same-topic lines
_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset("""
a about above after all also an and any are as at be been being both but by can could do does for from
further has have having how in into is it its it's more most must need needs of on or other our out over
own should so such than that the their them then there these they this those through to under up upon
was we were what when where which while who will with within would your all ensure ensures ensuring
consider considers organisation organisations partnership partnerships
""".split())
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s")


@dataclass(frozen=True)
class Item:
    """One recommendation as the suggestion sees it."""

    key: str  # the recommendation's stable identity (its uuid; or "partnership:number")
    organisation: str  # whose recommendation it is; two of the same organisation never make a group
    text: str


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


def words(text: str) -> frozenset[str]:
    """The words that carry a recommendation's meaning, normalised."""
    return frozenset(stem(w) for w in _WORD.findall(text.lower().replace("'", "")) if w not in STOPWORDS
                     and len(w) > 1)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def suggest_groups(items: Sequence[Item], threshold: float = SIMILAR_AT) -> list[tuple[str, ...]]:
    """Likely groups of recurring recommendations: each a tuple of keys (in the items' order) spanning
    at least two organisations; groups in the order of their first member."""
    bags = [words(i.text) for i in items]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only pairs sharing a word can reach the threshold: compare within each word's list, so a
    # region of a few hundred recommendations is not a full square of comparisons.
    by_word: dict[str, list[int]] = {}
    for index, bag in enumerate(bags):
        for word in bag:
            by_word.setdefault(word, []).append(index)
    seen: set[tuple[int, int]] = set()
    for indices in by_word.values():
        for x, i in enumerate(indices):
            for j in indices[x + 1:]:
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                if similarity(bags[i], bags[j]) >= threshold:
                    parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for index in range(len(items)):
        groups.setdefault(root(index), []).append(index)
    found = [members for members in groups.values()
             if len({items[i].organisation for i in members}) > 1]
    found.sort(key=lambda members: members[0])
    return [tuple(items[i].key for i in members) for members in found]


def suggested_title(texts: Sequence[str], limit: int = 6) -> str:
    """A working name for a group: the words most of its recommendations share, in the order the
    first one uses them ("Escalation policy training staff"); the lead renames it."""
    counts = Counter(w for t in texts for w in words(t))
    common = {w for w, n in counts.items() if n >= max(2, (len(texts) + 1) // 2)}
    ordered: list[str] = []
    used: set[str] = set()
    for raw in re.findall(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?", texts[0]) if texts else []:
        key = stem(re.sub(r"['’]", "", raw.lower()))
        if key in common and key not in used:
            ordered.append(raw if raw.isupper() else raw.lower())
            used.add(key)
    title = " ".join(ordered[:limit])
    return (title[:1].upper() + title[1:]) if title else (texts[0][:60] if texts else "")


__all__ = ["Item", "SIMILAR_AT", "similarity", "suggest_groups", "suggested_title", "words"]
