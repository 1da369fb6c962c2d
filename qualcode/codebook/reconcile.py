"""`codebook use`: load codebook files into a project, reconciling with what is there.

In one transaction: each codebook row is upserted; each code is added, updated or left
alone; a code whose id is in another code's `renamed_from` is renamed (the new row is
made, codings and memos move to it, the old row stays retired so nothing dangles); codes
of the codebook that are no longer in its file are retired, their codings kept. A file
with lint errors is refused before anything is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, exists, func, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from qualcode.codebook.lint import ERROR, lint_files
from qualcode.codebook.load import load_codebook
from qualcode.codebook.model import Code, Codebook, code_data, code_name, text_in, to_data
from qualcode.errors import CodebookError
from qualcode.storage.tables import CodebookRow, CodeRow, CodingRow, MemoRow, utcnow

_SHOWN = 5


@dataclass
class _Report:
    """What `use` did to one codebook."""

    codebook: str
    new: bool = False
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    book_changes: list[str] = field(default_factory=list)

    def line(self) -> str:
        parts = []
        for label, items in (
            ("added", self.added),
            ("updated", self.updated),
            ("renamed", self.renamed),
            ("restored", self.restored),
            ("retired", self.retired),
        ):
            if not items:
                continue
            if label == "added":
                parts.append(f"added {len(items)} code{'s' if len(items) != 1 else ''}")
            else:
                parts.append(f"{label} {len(items)} ({_shorten(items)})")
        if self.book_changes:
            parts.append(f"changed {', '.join(self.book_changes)}")
        what = "loaded codebook" if self.new else "codebook"
        return f"{what} {self.codebook}: " + (", ".join(parts) if parts else "unchanged")


def use_codebooks(engine: Engine, paths: Iterable[Path]) -> list[str]:
    """Load or reconcile codebook files; one report line per codebook."""
    paths = list(paths)
    problems = [p for p in lint_files(paths) if p.severity == ERROR]
    if problems:
        count = len(problems)
        more = f" (and {count - 1} more errors)" if count > 1 else ""
        raise CodebookError(
            f"{problems[0].render()}{more}: nothing loaded; see `qualcode codebook lint`"
        )
    books = [(path, load_codebook(path).codebook) for path in paths]
    with Session(engine) as session, session.begin():
        _check_ownership(session, [book for _, book in books])
        return [_use_one(session, path, book) for path, book in books]


def _check_ownership(session: Session, books: list[Codebook]) -> None:
    mine = {code.id: book.codebook for book in books for code in book.codes}
    rows = session.execute(
        select(col(CodeRow.id), col(CodeRow.codebook_id), col(CodeRow.retired)).where(
            col(CodeRow.id).in_(list(mine))
        )
    ).all()
    for code_id, owner, retired in rows:
        if owner is not None and owner != mine[code_id] and not retired:
            raise CodebookError(
                f"code {code_id} of codebook {mine[code_id]} is already a code of codebook "
                f"{owner} in this project: code ids must be unique across codebooks"
            )


def _use_one(session: Session, path: Path, book: Codebook) -> str:
    report = _Report(book.codebook)
    data = to_data(book)
    raw = path.read_bytes()
    row = session.get(CodebookRow, book.codebook)
    if row is None:
        report.new = True
        row = CodebookRow(id=book.codebook)
        session.add(row)
    else:
        before = {k: v for k, v in row.data.items() if k != "codes"}
        after = {k: v for k, v in data.items() if k != "codes"}
        report.book_changes = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    row.title = text_in(book.title) or book.codebook
    row.source_path = str(path.resolve())
    row.content_hash = hashlib.sha256(raw).hexdigest()
    if row.data != data:
        row.data = data
        row.loaded_at = utcnow()
    session.flush()

    wanted = [c.id for c in book.codes]
    existing = {
        code.id: code
        for code in session.execute(select(CodeRow).where(col(CodeRow.id).in_(wanted))).scalars()
    }
    for position, code in enumerate(book.codes):
        _upsert_code(session, book, code, position, existing.get(code.id), report)
    session.flush()
    for code in book.codes:
        for old_id in code.renamed_from:
            _rename(session, old_id, code.id, book.codebook, report)
    in_file = {code.id for code in book.codes}
    leftovers = session.execute(
        select(CodeRow).where(
            col(CodeRow.codebook_id) == book.codebook, col(CodeRow.retired).is_(False)
        )
    ).scalars()
    for leftover in leftovers:
        if leftover.id not in in_file:
            leftover.retired = True
            kept = _count_codings(session, leftover.id)
            report.retired.append(f"{leftover.id}, {kept} coding{'s' if kept != 1 else ''} kept")
    session.flush()
    return report.line()


def _upsert_code(
    session: Session,
    book: Codebook,
    code: Code,
    position: int,
    row: CodeRow | None,
    report: _Report,
) -> None:
    values: dict[str, Any] = {
        "codebook_id": book.codebook,
        "position": position,
        "parent": code.parent,
        "target": code.target,
        "polarity": code.polarity,
        "name": code_name(code, "en"),
        "colour": code.colour,
        "retired": False,
        "data": code_data(code),
    }
    if row is None:
        session.add(CodeRow(id=code.id, **values))
        report.added.append(code.id)
        return
    changed = _changed_fields(row, values)
    was_retired = row.retired
    for key, value in values.items():
        setattr(row, key, value)
    if was_retired:
        report.restored.append(code.id)
    elif changed:
        report.updated.append(f"{code.id}: {', '.join(changed)}")


def _changed_fields(row: CodeRow, values: dict[str, Any]) -> list[str]:
    old_data: dict[str, Any] = row.data or {}
    new_data: dict[str, Any] = values["data"]
    fields = [k for k in {**old_data, **new_data} if old_data.get(k) != new_data.get(k)]
    if row.position != values["position"]:
        fields.append("position")
    if row.codebook_id != values["codebook_id"]:
        fields.append("codebook")
    return fields


def _rename(session: Session, old_id: str, new_id: str, codebook_id: str, report: _Report) -> None:
    old = session.get(CodeRow, old_id)
    if old is None or old.codebook_id not in (codebook_id, None):
        return
    moved = _move_codings(session, old_id, new_id)
    session.execute(update(MemoRow).where(col(MemoRow.code_id) == old_id).values(code_id=new_id))
    left = _count_codings(session, old_id)
    if old.retired and not moved:
        return
    old.retired = True
    note = f"{old_id} → {new_id}"
    if moved:
        note += f", {moved} coding{'s' if moved != 1 else ''} moved"
    if left:
        note += f", {left} duplicate{'s' if left != 1 else ''} left on the old code"
    report.renamed.append(note)
    if new_id in report.added:
        report.added.remove(new_id)


def _move_codings(session: Session, old_id: str, new_id: str) -> int:
    """Point the old code's codings at the new one, except where that would duplicate one."""
    other = aliased(CodingRow)
    duplicate = exists().where(
        and_(
            col(other.code_id) == new_id,
            col(other.document_id) == col(CodingRow.document_id),
            col(other.start) == col(CodingRow.start),
            col(other.end) == col(CodingRow.end),
            col(other.coder) == col(CodingRow.coder),
        )
    )
    result = session.execute(
        update(CodingRow)
        .where(col(CodingRow.code_id) == old_id, ~duplicate)
        .values(code_id=new_id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _count_codings(session: Session, code_id: str) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(CodingRow).where(col(CodingRow.code_id) == code_id)
        ).scalar_one()
    )


def _shorten(items: list[str]) -> str:
    shown = "; ".join(items[:_SHOWN])
    return shown + (f"; … {len(items) - _SHOWN} more" if len(items) > _SHOWN else "")
