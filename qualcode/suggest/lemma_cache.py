"""Lemma tables kept on disk: form -> lemma in an SQLite file in the user's cache folder.

A whole table (over half a million forms) takes a third of a second and some 80 MB to load,
per language and process, while a project's transcripts use a few thousand of its forms.
So each table is built once (from spacy-lookups-data, rebuilt when qualcode's version
changes) into `$XDG_CACHE_HOME/qualcode` (default `~/.cache/qualcode`), and a word is looked
up there the first time it is met (a document's new words in one query) and remembered after.
Where the cache folder cannot be written, or the file is unreadable, the table is built and
kept in memory instead.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

CACHE_VERSION = 2
_PREFETCH_CHUNK = 500  # forms per query, well under SQLite's limit on parameters


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qualcode"


def cache_path(language: str) -> Path:
    from qualcode import __version__

    return cache_dir() / f"lemmas-{language}-{CACHE_VERSION}-{__version__}.sqlite3"


class LemmaLookup:
    """Form -> lemma for one language, read from the cache file or held in memory."""

    def __init__(self, path: Path | None, table: dict[str, str] | None = None) -> None:
        assert path is not None or table is not None
        self.path = path
        self._table = table
        self._known: dict[str, str | None] = {}
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        _OPEN.add(self)

    def get(self, form: str, default: str | None = None) -> str | None:
        try:
            found = self._known[form]
        except KeyError:
            found = self._known[form] = self._read(form)
        return default if found is None else found

    def prefetch(self, forms: Iterable[str]) -> None:
        """Read the lemmas of many forms at once: one query instead of one per form."""
        wanted = [form for form in set(forms) if form not in self._known]
        if not wanted:
            return
        if self._table is not None:
            for form in wanted:
                self._known[form] = self._table.get(form)
            return
        for start in range(0, len(wanted), _PREFETCH_CHUNK):
            chunk = wanted[start : start + _PREFETCH_CHUNK]
            marks = ",".join("?" * len(chunk))
            with self._lock:
                rows = (
                    self._open()
                    .execute(f"SELECT form, lemma FROM lemmas WHERE form IN ({marks})", chunk)
                    .fetchall()
                )
            found = dict(rows)
            for form in chunk:
                self._known[form] = found.get(form)

    def __contains__(self, form: object) -> bool:
        return isinstance(form, str) and self.get(form) is not None

    def items(self) -> Iterator[tuple[str, str]]:
        """Every (form, lemma) pair of the table."""
        if self._table is not None:
            yield from self._table.items()
            return
        with self._lock:
            rows = self._open().execute("SELECT form, lemma FROM lemmas").fetchall()
        yield from rows

    def _read(self, form: str) -> str | None:
        if self._table is not None:
            return self._table.get(form)
        with self._lock:
            row = self._open().execute("SELECT lemma FROM lemmas WHERE form = ?", (form,))
            found = row.fetchone()
        return found[0] if found else None

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            assert self.path is not None
            self._connection = _connect(self.path)
        return self._connection

    def _forget_connection(self) -> None:
        if self._connection is not None:
            _INHERITED.append(self._connection)
        self._connection = None
        self._lock = threading.Lock()


# A connection never crosses a fork: a forked worker opens its own, and keeps the parent's
# one referenced, neither used nor closed.
_OPEN: weakref.WeakSet[LemmaLookup] = weakref.WeakSet()
_INHERITED: list[sqlite3.Connection] = []


def _after_fork() -> None:
    for lookup in list(_OPEN):
        lookup._forget_connection()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def open_lookup(language: str, build: Callable[[], dict[str, str]]) -> LemmaLookup:
    """The cached table of a language, building (and caching) it on first use."""
    path = cache_path(language)
    try:
        _connect(path).close()
        return LemmaLookup(path)
    except sqlite3.Error:
        pass
    table = build()
    try:
        _write(path, table)
    except (OSError, sqlite3.Error):
        return LemmaLookup(None, table)  # an unwritable cache folder: work without it
    return LemmaLookup(path)


def _connect(path: Path) -> sqlite3.Connection:
    """A read-only connection that fails unless the file holds a finished table."""
    # The file is only ever replaced whole (os.replace), never changed: immutable.
    connection = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
    )
    try:
        connection.execute("SELECT lemma FROM lemmas WHERE form = ''").fetchall()
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def _write(path: Path, table: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with sqlite3.connect(temporary) as connection:
            connection.execute(
                "CREATE TABLE lemmas (form TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID"
            )
            connection.executemany("INSERT INTO lemmas VALUES (?, ?)", sorted(table.items()))
        connection.close()
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
