"""Helpers for tests that build damaged or malicious exchange files by hand: the zip inside a sealed
file, and sealing a hand-made zip as the test user (so the zip layer's own refusals are what a test
sees, as they would be for a file from a legitimate but faulty sender)."""

from __future__ import annotations

import io
from pathlib import Path

from lgf_desktop.exchange.sealing import Opening, Sealing, is_sealed, open_sealed
from lgf_desktop.keys import this_sitting


def unsealed(path: Path) -> io.BytesIO:
    """The zip inside a sealed file (opened with the test user's key), as a file object."""
    data = Path(path).read_bytes()
    if is_sealed(data):
        data = open_sealed(data, Path(path).name, Opening(key=this_sitting())).content
    return io.BytesIO(data)


def sealing_as_test_user() -> Sealing:
    """Sealed by and for the test user (who plays every part)."""
    me = this_sitting()
    return Sealing(me, recipients=(me.public,))


def sealed_bytes(raw_zip: bytes, kind: str = "review-notes") -> bytes:
    return sealing_as_test_user().seal(raw_zip, kind)
