"""Further demo content from feature modules (e.g. the demo audit), named here as
``"module:function"`` so ``lgf demo`` needs no import of its own for each.

Each hook takes a session, adds its demo records if they are not there yet, and returns a list of
what it added (empty when nothing was needed), so ``lgf demo`` stays idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module

from sqlalchemy.orm import Session

HOOK_NAMES: list[str] = [
    "lgf_desktop.services.audit_demo:add_demo_audit",
]


def hooks() -> Iterator[Callable[[Session], list[str]]]:
    for name in HOOK_NAMES:
        module, function = name.split(":")
        yield getattr(import_module(module), function)
