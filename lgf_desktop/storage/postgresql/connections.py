"""Driver-level connections to an LGF database on a PostgreSQL server (psycopg 3, its own libpq).

The URL is handed to libpq as it is, so everything libpq understands works: ``host``/``port``/``user``
in the URL, ``?host=/socket/dir`` for a Unix socket, ``sslmode``, and the password from the URL,
``$PGPASSWORD`` or ``~/.pgpass``. A connection gives up after ``CONNECT_TIMEOUT_S`` rather than
leaving the window waiting on a server that does not answer.
"""

from __future__ import annotations

import psycopg

CONNECT_TIMEOUT_S = 5
APPLICATION_NAME = "LGF Desktop"

ERRORS: tuple[type[Exception], ...] = (psycopg.Error,)


def _libpq_url(url: str) -> str:
    # SQLAlchemy's spelling (postgresql+psycopg://) is not libpq's.
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme.lower().startswith("postgres") else url


def connect(url: str, *, autocommit: bool = False) -> psycopg.Connection:
    return psycopg.connect(_libpq_url(url), autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT_S,
                           application_name=APPLICATION_NAME)


def rows(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of one read-only query (a connection of its own, closed after)."""
    with connect(url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()
