"""Who is making a change: the person's name from their own settings and their login on this
machine, both recorded in the change history of every record.

The login tells apart people who never set a name, or share one: on a database file it is the
operating-system account and the machine's name (``kim@laptop-7``); on a database server it is the
server's role for the connection (``current_user``) and the machine (``kim@laptop-7``), since the
server knows the role, not the account.
"""

from __future__ import annotations

import getpass
import os
import socket

from sqlalchemy import Engine, text

from .your_settings import your_name

MAX_LOGIN_CHARS = 200


def os_account() -> str:
    """The operating-system account running the app (the environment's name first, as ``getpass``)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's uid with no name
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def machine() -> str:
    return socket.gethostname().split(".")[0] or "this machine"


def account(engine: Engine) -> str:
    """The account changes are made under: the server role on PostgreSQL, else the OS account."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            role = connection.execute(text("SELECT current_user")).scalar()
        return str(role or os_account())
    return os_account()


def login(engine: Engine) -> str:
    """``account@machine``, recorded beside the name in the change history."""
    return f"{account(engine)}@{machine()}"[:MAX_LOGIN_CHARS]


def display_name(account_name: str) -> str:
    """The name changes are recorded under: "Your name", else the account."""
    return your_name() or account_name
