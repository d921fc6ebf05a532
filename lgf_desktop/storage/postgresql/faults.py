"""A PostgreSQL server's faults in one sentence each: a server that cannot be reached, a login it
refuses, a permission it does not grant, a connection dropped mid-save, a full disk on the server.

Told apart by the SQLSTATE the server sent and, for a connection that never got that far, by libpq's
own words. Never the statement or its parameters (they may hold text someone typed)."""

from __future__ import annotations

_LOST = ("server closed the connection", "consuming input failed", "connection is closed",
         "terminating connection", "connection is lost", "ssl connection has been closed", "eof detected",
         "could not receive data", "could not send data", "connection reset", "broken pipe")
_UNREACHABLE = ("connection refused", "could not translate host name", "no such file or directory",
                "timeout expired", "no route to host", "network is unreachable", "could not connect",
                "connection timed out", "name or service not known")


def is_server_error(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] == "psycopg"


def describe(cause: BaseException, where: str) -> str | None:
    """One sentence for a server fault (``where``: the URL without its password), or None (a bug)."""
    state = getattr(cause, "sqlstate", None) or ""
    text = str(cause).lower()
    if state in ("28P01",) or "password authentication failed" in text or "no password supplied" in text:
        return (f"The server {where} did not accept the password (or the user name) given; nothing was opened "
                "or changed. Check them (in the address, $PGPASSWORD or ~/.pgpass) and try again.")
    if state == "28000" or "no pg_hba.conf entry" in text or "role" in text and "does not exist" in text:
        return (f"The server {where} does not let this user in (no such login, or not from this computer); "
                "nothing was opened or changed. Ask whoever runs the server.")
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return (f"There is no database of that name on the server {where}; nothing was opened or changed. "
                "Ask whoever runs the server to create it (empty), then try again.")
    if state == "42501" or "permission denied" in text or state == "42000":
        return (f"The server {where} does not give this login permission to change the LGF Desktop database, so "
                "nothing was changed. Ask whoever runs the server to grant it.")
    if state == "53100" or "could not extend file" in text or "no space left" in text:
        return f"The server {where} has run out of disk space, so nothing was saved; tell whoever runs it."
    if "cannot contain nul" in text:
        return ("The text holds a NUL character (an invisible control character, usually pasted from another "
                f"program), which the server {where} cannot store, so it was not saved; remove it and try again.")
    if state == "25006":
        return f"The server {where} accepts reading only at the moment (a standby), so nothing was saved."
    if state.startswith("57P") or state.startswith("08") or any(words in text for words in _LOST):
        if "connection failed" in text or any(words in text for words in _UNREACHABLE):
            return _unreachable(where)
        return f"The connection to the server {where} was lost, so the last change was not saved."
    if state in ("40001", "40P01", "55P03", "57014"):
        return (f"The server {where} was busy with another person's change to the same records, so this one "
                "was not saved; try again in a moment.")
    if any(words in text for words in _UNREACHABLE) or "connection failed" in text:
        return _unreachable(where)
    return None


def _unreachable(where: str) -> str:
    return (f"The server {where} cannot be reached (it is not running, or the network is down), so nothing was "
            "changed there; try again when it is back, or work on a snapshot file meanwhile.")
