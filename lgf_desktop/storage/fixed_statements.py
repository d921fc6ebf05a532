"""A fixed statement that runs on every keystroke-save: plain SQL with named parameters, executed on
the session's own connection (the one writer's), inside its transaction.

Why not simply ``connection.execute(text(...))``: SQLAlchemy spends about 60 µs of Python per
execution (execution context, result object, events) whatever the statement, three times the cost of
running one of these small statements on SQLite. The workshop's autosave runs three of them per save
and is held to a few times a bare ``sqlite3`` commit (``python -m benchmarks autosave``), so on a
SQLite file they run on the driver's cursor: the same connection and transaction, parameters and
columns converted by SQLAlchemy's own type processors (so a date is stored exactly as the ORM stores
it), errors raised as the driver's, which ``storage.faults`` reads either way. The commit still goes
through the session (its checks, the change feed). On a server the statement runs through
SQLAlchemy as usual: there the network round trip, not Python, is the cost, and the server's change
notification listens to SQLAlchemy's cursor events.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, TextClause, bindparam, column, text
from sqlalchemy.types import TypeEngine


class Result:
    """What a fixed statement gave: its rows (as tuples, processed) and how many rows it changed."""

    def __init__(self, rows: list[tuple], rowcount: int) -> None:
        self.rows = rows
        self.rowcount = rowcount

    def first(self) -> tuple | None:
        return self.rows[0] if self.rows else None


class FixedStatement:
    """``sql`` with ``:name`` parameters; ``types`` names the parameters that need converting (dates),
    ``columns`` the result's columns in order with their types."""

    def __init__(self, sql: str, *, types: Mapping[str, TypeEngine | type[TypeEngine]] | None = None,
                 columns: Sequence[tuple[str, TypeEngine | type[TypeEngine]]] = ()) -> None:
        self.sql = sql
        clause: Any = text(sql).bindparams(*(bindparam(name, type_=kind) for name, kind in (types or {}).items()))
        if columns:  # given in order: matched by position
            clause = clause.columns(*(column(name, kind) for name, kind in columns))
        self.clause: TextClause = clause
        self._types = {name: _instance(kind) for name, kind in (types or {}).items()}
        self._columns = [_instance(kind) for _name, kind in columns]
        self._processors: dict[str, tuple[dict[str, Callable], list[Callable | None]]] = {}

    def run(self, connection: Connection, params: dict[str, Any]) -> Result:
        if connection.dialect.name != "sqlite":
            result = connection.execute(self.clause, params)
            rows = [tuple(row) for row in result] if result.returns_rows else []
            return Result(rows, result.rowcount)
        binds, results = self._processors_for(connection)
        for name, process in binds.items():
            if name in params:
                params = {**params, name: process(params[name])}
        cursor = connection.connection.driver_connection.cursor()
        try:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall() if cursor.description else []
            rowcount = cursor.rowcount
        finally:
            cursor.close()
        if rows and any(results):
            rows = [tuple(value if process is None else process(value) for value, process in zip(row, results))
                    for row in rows]
        return Result(rows, rowcount)

    def _processors_for(self, connection: Connection) -> tuple[dict[str, Callable], list[Callable | None]]:
        dialect = connection.dialect
        found = self._processors.get(dialect.name)
        if found is None:
            # The dialect's own type (SQLite's DATETIME stores a date as text in one fixed format).
            binds = {name: process for name, kind in self._types.items()
                     if (process := kind.dialect_impl(dialect).bind_processor(dialect)) is not None}
            results = [kind.dialect_impl(dialect).result_processor(dialect, None) for kind in self._columns]
            found = self._processors[dialect.name] = (binds, results)
        return found


def _instance(kind: TypeEngine | type[TypeEngine]) -> TypeEngine:
    return kind() if isinstance(kind, type) else kind
