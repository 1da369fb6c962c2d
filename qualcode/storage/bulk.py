"""Inserting many rows at once, in the session's transaction.

On SQLite the rows go straight to the driver's `executemany` (SQLAlchemy's per-row
bookkeeping costs more than SQLite's insert itself); any other database gets SQLAlchemy's
own executemany, which batches the rows for it (PostgreSQL: multi-row VALUES).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Float, Select, Table, insert
from sqlalchemy.engine import Dialect
from sqlmodel import Session


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert rows (values in the order of `columns`) into a table."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        connection.execute(insert(table), [dict(zip(columns, row)) for row in rows])
        return
    sql, processors = _sqlite_insert(table, tuple(columns), dialect)
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.executemany(sql, _converted(rows, processors))


def _converted(rows: Sequence[Sequence[Any]], processors: list) -> Sequence[Sequence[Any]]:
    """The rows with each column's SQLAlchemy converter applied (once per distinct value)."""
    converters = [(i, _Memo(p)) for i, p in enumerate(processors) if p is not None]
    if not converters:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for index, convert in converters:
            values[index] = convert(values[index])
        converted.append(values)
    return converted


class _Memo:
    """A column's value converter, run once per distinct value: a batch's rows mostly share
    their timestamps, and SQLAlchemy's date conversion is slow."""

    def __init__(self, convert: Any) -> None:
        self.convert = convert
        self.done: dict[tuple[type, Any], Any] = {}

    def __call__(self, value: Any) -> Any:
        key = (type(value), value)
        try:
            return self.done[key]
        except KeyError:
            found = self.done[key] = self.convert(value)
            return found
        except TypeError:  # unhashable (a JSON dict): convert every time
            return self.convert(value)


def insert_returning_ids(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert rows and return their new primary keys, in the rows' order."""
    if not rows:
        return []
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        result = connection.execute(statement, [dict(zip(columns, row)) for row in rows])
        return [row[0] for row in result]
    sql, processors = _sqlite_insert(table, tuple(columns), dialect)
    driver = connection.connection.driver_connection
    assert driver is not None
    ids = []
    cursor = driver.cursor()
    try:
        for row in _converted(rows, processors):
            cursor.execute(sql, row)
            assert cursor.lastrowid is not None
            ids.append(cursor.lastrowid)
    finally:
        cursor.close()
    return ids


def select_rows(session: Session, statement: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of a SELECT of plain values (numbers, text) in the session's transaction;
    on SQLite straight from the driver, without SQLAlchemy's per-row result processing."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return [tuple(row) for row in connection.execute(statement)]
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    values = compiled.construct_params()
    assert compiled.positiontup is not None
    driver = connection.connection.driver_connection
    assert driver is not None
    rows = driver.execute(str(compiled), [values[name] for name in compiled.positiontup])
    return rows.fetchall()  # type: ignore[no-any-return]


@lru_cache(maxsize=32)
def _sqlite_insert(table: Table, columns: tuple[str, ...], dialect: Dialect) -> tuple[str, list]:
    """The INSERT statement with positional parameters in the order of `columns`, and each
    column's value converter (dates, JSON) exactly as SQLAlchemy would apply it."""
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(table.c[name].name) for name in columns)
    marks = ", ".join("?" for _ in columns)
    processors = [
        None
        # A float (or None) goes to SQLite as it is: the converter only turns Decimals.
        if isinstance(table.c[name].type, Float)
        else table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        for name in columns
    ]
    return f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", processors
