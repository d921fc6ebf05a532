"""Writing an output file atomically: into a temporary file beside it, then renamed into place,
so a failed export never leaves a half-written file where the old one was."""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import traceback
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
        fsync_file(temp)
        os.replace(temp, target)
    except OSError as exc:
        _drop_half_written(exc)
        from .storage.faults import describe_fault

        # Named by the target: the temporary file's name means nothing to the person.
        plain = OSError(exc.errno, exc.strerror)
        raise UserError(describe_fault(plain, target) or f"{target} could not be written: {exc.strerror or exc}.") from exc
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    return target


def fsync_file(path: Path) -> None:
    """Flush a file's bytes to the disk (before it is renamed into place)."""
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its renames are durable enough
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _drop_half_written(exc: BaseException) -> None:
    """Close, now and quietly, whatever the failed writer still holds open on the temporary file.

    A writer that fails half-way (python-docx on a full disk) leaves its ``ZipFile`` open, kept
    alive by the traceback; when it was collected later, ``ZipFile.__del__`` tried to finish the
    file and printed a second traceback after the one-sentence error. The file is deleted anyway.
    """
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook
