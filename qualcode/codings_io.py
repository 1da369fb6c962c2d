"""Codings as text: export to JSON Lines / CSV, import back (also from gold files)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from qualcode.domain import Status
from qualcode.errors import DataError
from qualcode.export.csvsafe import safe_cell
from qualcode.output import jsonl_line
from qualcode.storage import codings_repo
from qualcode.storage.tables import CodingRow, SegmentRow, TurnRow, utcnow

COLUMNS = (
    "document",
    "turn",
    "segment",
    "start",
    "end",
    "speaker",
    "code",
    "status",
    "coder",
    "confidence",
    "source",
    "explanation",
    "text",
)
STATUS_CHOICES = ("suggested", "accepted", "rejected", "all")


def export_rows(
    engine: Engine, status: str = "all", coder: str | None = None
) -> list[dict[str, Any]]:
    """Codings in the contract's order and columns (no volatile fields)."""
    statuses = None if status == "all" else [status]
    with Session(engine) as session:
        rows = codings_repo.coding_rows(session, statuses, coder)
    exported = []
    for row in rows:
        line = {key: row[key] for key in COLUMNS}
        if row["memo"]:
            line["memo"] = row["memo"]
        if row["anchor"] != "ok":
            line["anchor"] = row["anchor"]
        exported.append(line)
    return exported


def write_jsonl(rows: Iterable[dict[str, Any]], out: io.TextIOBase | Any) -> None:
    for row in rows:
        out.write(jsonl_line(row))


def write_csv(
    rows: Iterable[dict[str, Any]], out: io.TextIOBase | Any, delimiter: str = ","
) -> None:
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row[c] is None else safe_cell(str(row[c])) for c in COLUMNS])


@dataclass
class ImportReport:
    """What `import codings` did, and the conflicts it left for people to settle."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)


def read_codings_file(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, record) pairs from JSON Lines, CSV, or a gold file (one turn a line)."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot be read: {exc}", path=str(path)) from None
    records: list[tuple[int, dict[str, Any]]] = []
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(raw))
        for number, row in enumerate(reader, start=2):
            records.append((number, {k: v for k, v in row.items() if v not in (None, "")}))
        return records
    for number, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"line {number}: not JSON ({exc.msg})", path=str(path)) from None
        if not isinstance(record, dict):
            raise DataError(f"line {number}: expected a JSON object", path=str(path))
        records.append((number, record))
    if path.name.endswith(".gold.jsonl") or (records and "codes" in records[0][1]):
        document = path.name[: -len(".gold.jsonl")] if path.name.endswith(".gold.jsonl") else None
        expanded = []
        for number, record in records:
            for code in record.get("codes", []):
                expanded.append(
                    (
                        number,
                        {
                            "document": record.get("document", document),
                            "turn": record.get("turn"),
                            "code": code,
                            "_gold": True,
                        },
                    )
                )
        return expanded
    return records


def import_codings(
    engine: Engine, path: Path, coder: str | None, acting_coder: str
) -> ImportReport:
    """Place each coding by document and turn (and segment) or start/end; all or nothing."""
    records = read_codings_file(path)
    report = ImportReport()
    with Session(engine) as session, session.begin():
        documents = codings_repo.documents_by_name(session)
        stems = {Path(name).stem: row for name, row in documents.items()}
        codes = codings_repo.known_code_ids(session)
        turn_cache: dict[int, dict[int, TurnRow]] = {}
        planned: list[dict[str, Any]] = []
        for number, record in records:
            where = f"{path}: line {number}"
            name = record.get("document")
            document = documents.get(name) if name else None
            if document is None and record.get("_gold") and name:
                document = stems.get(name)
            if document is None:
                raise DataError(f"{where}: unknown document {name!r}")
            code = record.get("code")
            if code not in codes:
                raise DataError(f"{where}: unknown code {code!r} (load its codebook first)")
            status = record.get("status", Status.ACCEPTED.value)
            if status not in {s.value for s in Status}:
                raise DataError(f"{where}: status {status!r} is not suggested/accepted/rejected")
            assert document.id is not None
            turns = turn_cache.setdefault(
                document.id,
                {
                    t.number: t
                    for t in session.execute(
                        select(TurnRow).where(TurnRow.document_id == document.id)
                    ).scalars()
                },
            )
            placement = _place(session, record, turns, len(document.text), where)
            planned.append(
                {
                    "document_id": document.id,
                    **placement,
                    "code_id": code,
                    "coder": coder or record.get("coder") or acting_coder,
                    "status": status,
                    "confidence": _number(record.get("confidence"), where),
                    "source": record.get("source") or ("gold" if record.get("_gold") else "import"),
                    "explanation": record.get("explanation") or "",
                    "memo": record.get("memo") or "",
                }
            )
        for values in planned:
            _upsert(session, values, report)
    return report


def _number(value: Any, where: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise DataError(f"{where}: confidence {value!r} is not a number") from None


def _place(
    session: Session, record: dict[str, Any], turns: dict[int, TurnRow], length: int, where: str
) -> dict[str, Any]:
    turn_number = record.get("turn")
    if turn_number not in (None, ""):
        try:
            turn = turns[int(turn_number)]
        except (KeyError, ValueError, TypeError):
            raise DataError(f"{where}: the document has no turn {turn_number!r}") from None
        segment_number = record.get("segment")
        start, end = record.get("start"), record.get("end")
        if start not in (None, "") and end not in (None, ""):
            start, end = int(start), int(end)
            if not (turn.start <= start < end <= turn.end):
                raise DataError(f"{where}: start/end {start}-{end} lie outside turn {turn.number}")
            segment_id = None
            if segment_number not in (None, "", 1, "1"):
                segment_id = _segment_id(session, turn, int(segment_number), where)
            return {"turn_id": turn.id, "segment_id": segment_id, "start": start, "end": end}
        if segment_number in (None, "", 1, "1"):
            return {"turn_id": turn.id, "segment_id": None, "start": turn.start, "end": turn.end}
        segment = session.execute(
            select(SegmentRow).where(
                SegmentRow.turn_id == turn.id, SegmentRow.number == int(segment_number)
            )
        ).scalar_one_or_none()
        if segment is None:
            raise DataError(f"{where}: turn {turn.number} has no segment {segment_number!r}")
        return {
            "turn_id": turn.id,
            "segment_id": segment.id,
            "start": segment.start,
            "end": segment.end,
        }
    start, end = record.get("start"), record.get("end")
    if start in (None, "") or end in (None, ""):
        raise DataError(f"{where}: give turn (and segment) or start and end")
    start, end = int(start), int(end)
    if not 0 <= start < end <= length:
        raise DataError(f"{where}: start/end {start}-{end} lie outside the document")
    inside = [t for t in turns.values() if t.start <= start and end <= t.end]
    return {
        "turn_id": inside[0].id if inside else None,
        "segment_id": None,
        "start": start,
        "end": end,
    }


def _segment_id(session: Session, turn: TurnRow, number: int, where: str) -> int:
    segment = session.execute(
        select(SegmentRow.id).where(SegmentRow.turn_id == turn.id, SegmentRow.number == number)
    ).scalar_one_or_none()
    if segment is None:
        raise DataError(f"{where}: turn {turn.number} has no segment {number}")
    return int(segment)


def _upsert(session: Session, values: dict[str, Any], report: ImportReport) -> None:
    existing = codings_repo.find_coding(
        session,
        values["document_id"],
        values["start"],
        values["end"],
        values["code_id"],
        values["coder"],
    )
    if existing is None:
        try:
            with session.begin_nested():
                session.add(CodingRow(**values))
        except IntegrityError as exc:
            raise DataError(f"cannot store a coding: {exc.orig}") from None
        report.added += 1
        return
    if existing.status == values["status"]:
        report.unchanged += 1
        return
    if existing.status == Status.SUGGESTED.value:
        existing.status = values["status"]
        existing.updated_at = utcnow()
        report.updated += 1
        return
    report.conflicts.append(
        f"{values['code_id']} by {values['coder']} at {values['start']}-{values['end']}: "
        f"the project has {existing.status}, the file says {values['status']} (kept "
        f"{existing.status})"
    )
