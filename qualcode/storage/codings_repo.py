"""Repository functions for codes and codings: what suggest, export, import and evaluate use."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, select
from sqlmodel import Session

from qualcode.domain import Role, Status
from qualcode.storage import bulk
from qualcode.storage.tables import CodeRow, CodingRow, DocumentRow, SegmentRow, TurnRow, utcnow


@dataclass(frozen=True)
class TurnRef:
    """A turn as the suggester and evaluator see it."""

    id: int
    document_id: int
    document: str
    language: str
    number: int
    role: str
    start: int
    end: int
    text: str


def active_codes(session: Session) -> list[dict[str, Any]]:
    """The full code dicts of every code not retired, in codebook order."""
    rows = session.execute(
        select(CodeRow.data, CodeRow.id)
        .where(CodeRow.retired.is_(False))
        .order_by(CodeRow.codebook_id, CodeRow.position, CodeRow.id)
    ).all()
    return [dict(data or {}, id=code_id) for data, code_id in rows]


def known_code_ids(session: Session) -> set[str]:
    return set(session.execute(select(CodeRow.id)).scalars())


def documents_by_name(
    session: Session, names: Iterable[str] | None = None
) -> dict[str, DocumentRow]:
    query = select(DocumentRow).order_by(DocumentRow.name)
    if names is not None:
        query = query.where(DocumentRow.name.in_(list(names)))  # type: ignore[attr-defined]
    return {row.name: row for row in session.execute(query).scalars()}


def document_refs(
    session: Session, names: Iterable[str] | None = None
) -> dict[str, tuple[int, str]]:
    """Name -> (id, language) of the named documents (default all), in name order."""
    query = select(DocumentRow.name, DocumentRow.id, DocumentRow.language).order_by(
        DocumentRow.name
    )
    if names is not None:
        query = query.where(DocumentRow.name.in_(list(names)))  # type: ignore[attr-defined]
    return {name: (document_id, language) for name, document_id, language in session.execute(query)}


def document_ids(session: Session) -> list[int]:
    return list(session.execute(select(DocumentRow.id)).scalars())


def turns_of(session: Session, document_ids: Iterable[int]) -> list[TurnRef]:
    ids = list(document_ids)
    if not ids:
        return []
    rows = bulk.select_rows(
        session,
        select(
            TurnRow.id,
            TurnRow.document_id,
            DocumentRow.name,
            DocumentRow.language,
            TurnRow.number,
            TurnRow.role,
            TurnRow.start,
            TurnRow.end,
            TurnRow.text,
        )
        .join(DocumentRow, DocumentRow.id == TurnRow.document_id)
        .where(TurnRow.document_id.in_(ids))  # type: ignore[attr-defined]
        .order_by(DocumentRow.name, TurnRow.number),
    )
    return [TurnRef(*row) for row in rows]


def turn_values(
    session: Session, document_ids: Sequence[int]
) -> list[tuple[int, int, int, str, int, int, str]]:
    """(id, document id, number, role, start, end, text) of the documents' turns, in
    document and turn order: plain tuples, for suggest to read fast."""
    if not document_ids:
        return []
    return bulk.select_rows(
        session,
        select(
            TurnRow.id,
            TurnRow.document_id,
            TurnRow.number,
            TurnRow.role,
            TurnRow.start,
            TurnRow.end,
            TurnRow.text,
        )
        .where(TurnRow.document_id.in_(list(document_ids)))  # type: ignore[attr-defined]
        .order_by(TurnRow.document_id, TurnRow.number),
    )


def decided_pairs(
    session: Session, document_ids: Iterable[int], coder: str
) -> set[tuple[int, str]]:
    """(turn id, code) pairs this coder has accepted or rejected."""
    ids = list(document_ids)
    rows = session.execute(
        select(CodingRow.turn_id, CodingRow.code_id).where(
            CodingRow.document_id.in_(ids),  # type: ignore[attr-defined]
            CodingRow.coder == coder,
            CodingRow.status != Status.SUGGESTED.value,
        )
    ).all()
    return {(turn_id, code) for turn_id, code in rows if turn_id is not None}


def decisions(session: Session) -> Iterator[tuple[int, str, str]]:
    """(turn id, code, status) of every accepted or rejected coding placed on a turn."""
    rows = session.execute(
        select(CodingRow.turn_id, CodingRow.code_id, CodingRow.status).where(
            CodingRow.status != Status.SUGGESTED.value, CodingRow.turn_id.is_not(None)
        )
    )
    yield from rows  # type: ignore[misc]


def participant_turns_of_documents(session: Session, document_ids: Iterable[int]) -> list[TurnRef]:
    return [t for t in turns_of(session, document_ids) if t.role == Role.PARTICIPANT.value]


# A suggestion to store: (document id, turn id, start, end, code, confidence, source,
# explanation). A plain tuple: suggest builds one per suggestion of every turn.
SuggestionRow = tuple[int, "int | None", int, int, str, "float | None", str, str]


_CODING_COLUMNS = (
    "document_id",
    "turn_id",
    "start",
    "end",
    "code_id",
    "confidence",
    "source",
    "explanation",
    "coder",
    "status",
    "memo",
    "anchor",
    "quote",
    "created_at",
    "updated_at",
)


def replace_suggestions_of_documents(
    session: Session, document_ids: Sequence[int], coder: str, rows: Sequence[SuggestionRow]
) -> None:
    """Swap this coder's open suggestions in these documents for new ones: one delete for
    them all, one bulk insert (accepted and rejected codings stay)."""
    if not document_ids:
        return
    session.execute(
        delete(CodingRow).where(
            and_(
                CodingRow.document_id.in_(list(document_ids)),  # type: ignore[attr-defined]
                CodingRow.coder == coder,
                CodingRow.status == Status.SUGGESTED.value,
            )
        )
    )
    now = utcnow()
    rest = (coder, Status.SUGGESTED.value, "", "ok", "", now, now)
    bulk.insert_rows(
        session,
        CodingRow.__table__,  # type: ignore[attr-defined]
        _CODING_COLUMNS,
        [row + rest for row in rows],
    )


def coding_rows(
    session: Session, statuses: Iterable[str] | None = None, coder: str | None = None
) -> list[dict[str, Any]]:
    """Codings with their document, turn, segment and speaker, for export and evaluation."""
    query = (
        select(
            CodingRow.document_id,
            TurnRow.number,
            TurnRow.speaker,
            SegmentRow.number,
            CodingRow,
        )
        .outerjoin(TurnRow, TurnRow.id == CodingRow.turn_id)
        .outerjoin(SegmentRow, SegmentRow.id == CodingRow.segment_id)
    )
    if statuses is not None:
        query = query.where(CodingRow.status.in_(list(statuses)))  # type: ignore[attr-defined]
    if coder is not None:
        query = query.where(CodingRow.coder == coder)
    found = session.execute(query).all()
    # Each document's text is read once, not once per coding.
    documents = (
        {
            document_id: (name, text, language)
            for document_id, name, text, language in session.execute(
                select(
                    DocumentRow.id, DocumentRow.name, DocumentRow.text, DocumentRow.language
                ).where(DocumentRow.id.in_({row[0] for row in found}))  # type: ignore[union-attr]
            )
        }
        if found
        else {}
    )
    results = []
    for document_id, turn, speaker, segment, coding in found:
        name, text, language = documents[document_id]
        if segment is None:
            segment = 1 if turn is not None else None
        passage = text[coding.start : coding.end] if coding.anchor != "lost" else coding.quote
        results.append(
            {
                "document": name,
                "turn": turn,
                "segment": segment,
                "start": coding.start,
                "end": coding.end,
                "speaker": speaker,
                "code": coding.code_id,
                "status": coding.status,
                "coder": coding.coder,
                "confidence": coding.confidence,
                "source": coding.source,
                "explanation": coding.explanation,
                "memo": coding.memo,
                "anchor": coding.anchor,
                "text": " ".join(passage.split()),
                "language": language,
            }
        )
    results.sort(
        key=lambda r: (
            r["document"],
            r["turn"] or 0,
            r["segment"] or 0,
            r["code"],
            r["coder"],
            r["start"],
        )
    )
    return results


def find_coding(
    session: Session, document_id: int, start: int, end: int, code: str, coder: str
) -> CodingRow | None:
    """The coding with this identity (document, span, code, coder), if there is one."""
    return session.execute(
        select(CodingRow).where(
            CodingRow.document_id == document_id,
            CodingRow.start == start,
            CodingRow.end == end,
            CodingRow.code_id == code,
            CodingRow.coder == coder,
        )
    ).scalar_one_or_none()


def count_codings(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(CodingRow)).scalar_one())
