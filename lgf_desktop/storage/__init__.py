"""The storage boundary: where an LGF database lives, and the one backend that knows that kind of place.

A database is opened from a *location* (``--db``, ``$LGF_DB``): a file path — SQLite, the default,
one file on one laptop, optionally encrypted with SQLCipher — or a ``postgresql://`` URL — a shared
database on a server the council's IT department runs, for a partnership team working at once
(``postgresql://user@host/dbname``, or ``postgresql:///dbname?host=/socket/dir`` over a Unix socket;
the password comes from the URL, ``$PGPASSWORD`` or ``~/.pgpass``, as for any libpq program).

``Location.parse`` tells the two apart and ``backend(location)`` is the module serving it:

- ``storage/sqlite/`` — the file: connections (plain or SQLCipher), refusing foreign files by their
  header, creating and migrating all-or-nothing, backups through SQLite's backup API, encryption,
  ``PRAGMA data_version`` for changes made by another program, ``integrity_check``;
- ``storage/postgresql/`` — the server: connections over TCP or a Unix socket, refusing a database of
  another program or of a newer version, migrating in one transaction, change detection, and no
  backups (they are the server's job: the app offers a snapshot to a file instead).

Both offer the same functions (``check_openable``, ``prepare`` — create or migrate —, ``engine``,
``backup``, ``watch_connection``/``data_version``, ``integrity_problems``, ``foreign_key_problems``,
``begin_read_only``/``end_read_only``) and the same Alembic migrations build both. Shared by both: the
one writer (``writer.py``), the one-window lock (``locking.py``, keyed by the location), faults as
sentences (``faults.py``), copying between two locations (``copying.py``). Nothing above ``db.py``
knows which backend it has.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(value: str | os.PathLike[str] | None) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(SERVER_SCHEMES)


@dataclass(frozen=True)
class Location:
    """Where one database lives. ``path`` is the file; for a server it is a stand-in in the user's data
    folder (``servers/<database>@<host>-<hash>``) naming the files this computer keeps for that
    database — the recovery journal and the one-window lock — keyed by the URL without its password."""

    path: Path
    url: str | None = None  # the server's URL, password included: held in memory only, never shown

    @classmethod
    def parse(cls, value: str | os.PathLike[str] | Location) -> Location:
        if isinstance(value, Location):
            return value
        if is_server_url(value):
            url = str(value).strip()
            return cls(_stand_in(_without_password(url)), url)
        return cls(Path(value).expanduser())

    @property
    def is_server(self) -> bool:
        return self.url is not None

    @property
    def display(self) -> str:
        """The location as the person may see it: the path, or the URL without its password."""
        return _without_password(self.url) if self.url else str(self.path)

    @property
    def name(self) -> str:
        """Short, for a window title: the file's name, or the database's name and its server."""
        if not self.url:
            return self.path.name
        parts = urlsplit(self.url)
        database = parts.path.lstrip("/") or "(default database)"
        host = parts.hostname or parse_qs(parts.query).get("host", ["this computer"])[0]
        return f"{database} on {host}"

    def __str__(self) -> str:
        return self.display


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc}" if user else netloc))


def _stand_in(url: str) -> Path:
    import hashlib  # here, not above: the window paints before hashlib is needed

    from ..paths import user_data_dir

    parts = urlsplit(url)
    label = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{parts.path.lstrip('/') or 'db'}@{parts.hostname or 'local'}")[:60]
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
    return user_data_dir() / "servers" / f"{label}-{digest}"


def resolve_location(cli_value: str | os.PathLike[str] | None = None) -> Location:
    """The database's location: ``--db`` first, then ``$LGF_DB``, then the per-user data folder."""
    from ..paths import DB_ENV_VAR, resolve_db_path

    value = cli_value or os.environ.get(DB_ENV_VAR)
    if is_server_url(value):
        return Location.parse(str(value))
    return Location(resolve_db_path(cli_value))


def backend(location: Location):
    """The module serving ``location``: ``storage.postgresql.backend`` or ``storage.sqlite.backend``."""
    if location.is_server:
        from .postgresql import backend as server

        return server
    from .sqlite import backend as file

    return file
