"""Writing an output file atomically: into a temporary file beside it, then renamed into place,
so a failed export never leaves a half-written file where the old one was."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import UserError


def atomic_write(target: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(temp_path)`` and move the result to ``target``; raises UserError with a plain
    sentence when the folder is missing or not writable."""
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise UserError(f"The folder {folder} does not exist.")
    if not os.access(folder, os.W_OK):
        raise UserError(f"The folder {folder} cannot be written to.")
    temp: Path | None = None
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        temp = Path(temp_name)
        write(temp)
        with temp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except OSError as exc:
        raise UserError(f"{target} could not be written: {exc.strerror or exc}.") from exc
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    return target
