"""Repository functions: read and write project data, returning domain objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlmodel import Session

from qualcode.domain import DocumentSummary, Role
from qualcode.storage.tables import (
    CodingRow,
    DocumentAttributeRow,
    DocumentRow,
    SegmentRow,
    TurnRow,
)


def find_document(session: Session, name: str) -> DocumentRow | None:
    return session.execute(select(DocumentRow).where(DocumentRow.name == name)).scalar_one_or_none()


def document_names(session: Session) -> set[str]:
    return set(session.execute(select(DocumentRow.name)).scalars())


def insert_turns_and_segments(
    session: Session,
    document_id: int,
    turns: list[dict[str, Any]],
    segments_per_turn: list[list[dict[str, Any]]],
) -> dict[int, int]:
    """Bulk-insert a document's turns and their sentences; returns turn number -> turn id."""
    if turns:
        session.execute(insert(TurnRow), [{**t, "document_id": document_id} for t in turns])
    ids = dict(
        session.execute(
            select(TurnRow.number, TurnRow.id).where(TurnRow.document_id == document_id)
        ).all()
    )
    rows = [
        {**segment, "turn_id": ids[turn["number"]]}
        for turn, segments in zip(turns, segments_per_turn)
        for segment in segments
    ]
    if rows:
        session.execute(insert(SegmentRow), rows)
    return ids


def set_attributes(session: Session, document_id: int, attributes: dict[str, str]) -> None:
    session.execute(
        delete(DocumentAttributeRow).where(DocumentAttributeRow.document_id == document_id)
    )
    if attributes:
        session.execute(
            insert(DocumentAttributeRow),
            [{"document_id": document_id, "key": k, "value": v} for k, v in attributes.items()],
        )


def document_summaries(engine: Engine) -> list[DocumentSummary]:
    """Every document with its counts, in name order; coded share over participant turns."""
    with Session(engine) as session:
        documents = session.execute(
            select(
                DocumentRow.id, DocumentRow.name, DocumentRow.language, DocumentRow.format
            ).order_by(DocumentRow.name)
        ).all()
        turn_counts = dict(
            session.execute(
                select(TurnRow.document_id, func.count()).group_by(TurnRow.document_id)
            ).all()
        )
        speaker_counts = dict(
            session.execute(
                select(TurnRow.document_id, func.count(func.distinct(TurnRow.speaker))).group_by(
                    TurnRow.document_id
                )
            ).all()
        )
        participant_turns = dict(
            session.execute(
                select(TurnRow.document_id, func.count())
                .where(TurnRow.role == Role.PARTICIPANT.value)
                .group_by(TurnRow.document_id)
            ).all()
        )
        coded_turns = dict(
            session.execute(
                select(CodingRow.document_id, func.count(func.distinct(CodingRow.turn_id)))
                .join(TurnRow, TurnRow.id == CodingRow.turn_id)
                .where(CodingRow.status == "accepted", TurnRow.role == Role.PARTICIPANT.value)
                .group_by(CodingRow.document_id)
            ).all()
        )
        words: dict[int, int] = {}
        for document_id, text in session.execute(select(TurnRow.document_id, TurnRow.text)):
            words[document_id] = words.get(document_id, 0) + len(text.split())
        attributes: dict[int, dict[str, str]] = {}
        for row in session.execute(select(DocumentAttributeRow)).scalars():
            attributes.setdefault(row.document_id, {})[row.key] = row.value
    summaries = []
    for document_id, name, language, fmt in documents:
        participants = participant_turns.get(document_id, 0)
        summaries.append(
            DocumentSummary(
                name=name,
                language=language,
                format=fmt,
                turns=turn_counts.get(document_id, 0),
                speakers=speaker_counts.get(document_id, 0),
                words=words.get(document_id, 0),
                attributes=dict(sorted(attributes.get(document_id, {}).items())),
                coded_share=(coded_turns.get(document_id, 0) / participants)
                if participants
                else 0.0,
            )
        )
    return summaries


def iter_segments(engine: Engine, *, sentences: bool = False) -> Iterator[dict[str, Any]]:
    """Segments in document-name, turn, segment order, as `export segments` writes them.

    With `sentences`, one line per sentence; otherwise one per turn (segment 1).
    """
    with Session(engine) as session:
        documents = session.execute(
            select(DocumentRow.id, DocumentRow.name, DocumentRow.language).order_by(
                DocumentRow.name
            )
        ).all()
        for document_id, name, language in documents:
            turns = (
                session.execute(
                    select(TurnRow)
                    .where(TurnRow.document_id == document_id)
                    .order_by(TurnRow.number)
                )
                .scalars()
                .all()
            )
            by_turn: dict[int, list[SegmentRow]] = {}
            if sentences:
                query = (
                    select(SegmentRow)
                    .join(TurnRow, TurnRow.id == SegmentRow.turn_id)
                    .where(TurnRow.document_id == document_id)
                    .order_by(SegmentRow.turn_id, SegmentRow.number)
                )
                for segment in session.execute(query).scalars():
                    by_turn.setdefault(segment.turn_id, []).append(segment)
            for turn in turns:
                base = {
                    "document": name,
                    "turn": turn.number,
                    "segment": 1,
                    "speaker": turn.speaker,
                    "role": turn.role,
                    "start": turn.start,
                    "end": turn.end,
                    "language": language,
                    "text": turn.text,
                }
                if turn.start_time is not None:
                    base["time"] = round(turn.start_time, 3)
                if not sentences:
                    yield base
                    continue
                for segment in by_turn.get(turn.id or 0, []):
                    yield {
                        **base,
                        "segment": segment.number,
                        "start": segment.start,
                        "end": segment.end,
                        "text": segment.text,
                    }
