"""Opening a returned self-assessment workbook safely, before openpyxl reads a byte of it.

An ``.xlsx`` file is a zip archive: a small file can declare parts that unpack to gigabytes (a
workbook bomb). The zip directory is checked first — how many parts, how large each says it is, how
far each is compressed, and that it is a workbook at all — and each part is read through a reader
that stops one byte past the declared size, so a lying directory cannot unpack more either.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ...errors import UserError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_PARTS = 500
MAX_RATIO = 150  # a real form's XML compresses about 5–20 times; text of one repeated letter, thousands
RATIO_FLOOR = 1024 * 1024  # small parts may compress as far as they like


@dataclass(frozen=True)
class FormFile:
    name: str
    sha256: str
    data: bytes  # the zip rebuilt from the checked parts: what openpyxl reads


def open_form_file(path: str | Path) -> FormFile:
    """The checked bytes of a returned workbook, or ``UserError`` saying why it is refused."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UserError(f"{name} is not a file.")
        if size > MAX_FILE_BYTES:
            raise UserError(f"{name} is refused: it is {size // (1024 * 1024)} MB, far larger than a "
                            "self-assessment form (at most 20 MB).")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{name} was not found.") from None
    except PermissionError:
        raise UserError(f"{name} cannot be read (permission denied).") from None
    except IsADirectoryError:
        raise UserError(f"{name} is a folder, not a workbook.") from None
    not_workbook = UserError(f"{name} is not an Excel workbook (.xlsx): it cannot be a returned self-assessment form.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_workbook from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise not_workbook
    if len(infos) > MAX_PARTS:
        raise UserError(f"{name} is refused: it holds {len(infos)} parts, far more than a workbook needs.")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise UserError(f"{name} is refused: it would unpack to {total // (1024 * 1024)} MB "
                        "(a workbook bomb, or far more than a form holds).")
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UserError(f"{name} is refused: its part {info.filename[:60]} is compressed "
                            f"{info.file_size // max(info.compress_size, 1)} times (a workbook bomb).")
    rebuilt = io.BytesIO()
    try:
        # Stored, not compressed again: it is read at once from memory.
        with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_STORED) as out:
            for info in infos:
                with archive.open(info) as part:
                    data = part.read(info.file_size + 1)
                if len(data) != info.file_size:
                    raise UserError(f"{name} is refused: its part {info.filename[:60]} is larger than it says "
                                    "(a damaged file or a workbook bomb).")
                out.writestr(info.filename, data)
    except (zipfile.BadZipFile, zlib_error(), EOFError, OSError, NotImplementedError, RuntimeError):
        raise UserError(f"{name} is damaged: it cannot be read as a workbook.") from None
    return FormFile(name, hashlib.sha256(raw).hexdigest(), rebuilt.getvalue())


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error
