"""Running the Alembic migrations (the same files for both backends) on a connection already inside the
transaction that must hold the whole upgrade. Alembic is imported only when a migration runs: it is
slow to import."""

from __future__ import annotations

from sqlalchemy import Connection

from ..paths import MIGRATIONS


def alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """Alembic's own head (``revisions.schema_head()`` gives the same without importing Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Upgrade the database behind ``connection`` to ``revision`` inside its current transaction."""
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
