"""Repository functions: read and write project data, returning domain objects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Engine, Table, delete, func, insert, select
from sqlmodel import Session, SQLModel

from qualcode.domain import DocumentSummary, Role
from qualcode.storage import bulk
from qualcode.storage.tables import (
    CodingRow,
    DocumentAttributeRow,
    DocumentRow,
    SegmentRow,
    TurnRow,
    utcnow,
)


def find_document(session: Session, name: str) -> DocumentRow | None:
    return session.execute(select(DocumentRow).where(DocumentRow.name == name)).scalar_one_or_none()


def document_names(session: Session) -> set[str]:
    return set(session.execute(select(DocumentRow.name)).scalars())


def content_hashes(session: Session) -> dict[str, str]:
    """Name -> content hash of every document."""
    return dict(session.execute(select(DocumentRow.name, DocumentRow.content_hash)).all())


def documents_named(session: Session, names: Iterable[str]) -> dict[str, DocumentRow]:
    wanted = sorted(set(names))
    if not wanted:
        return {}
    query = select(DocumentRow).where(DocumentRow.name.in_(wanted))  # type: ignore[attr-defined]
    return {row.name: row for row in session.execute(query).scalars()}


_DOCUMENT_COLUMNS = (
    "name",
    "source_path",
    "content_hash",
    "format",
    "encoding",
    "language",
    "language_source",
    "text",
    "header",
    "metadata",
    "imported_at",
)
# The values of a turn and of a sentence in the order the bulk inserts take them.
TURN_FIELDS = ("number", "speaker", "role", "start", "end", "text", "start_time", "end_time")
SENTENCE_FIELDS = ("number", "start", "end", "text")
TurnValues = tuple[Any, ...]  # in TURN_FIELDS order
SentenceValues = tuple[int, int, int, str]  # in SENTENCE_FIELDS order


def insert_documents(session: Session, documents: Sequence[dict[str, Any]]) -> list[int]:
    """Insert document rows (DocumentRow fields; `metadata_` for the metadata); their ids."""
    now = utcnow()
    rows = [
        (
            d["name"],
            d.get("source_path", ""),
            d["content_hash"],
            d["format"],
            d.get("encoding"),
            d["language"],
            d.get("language_source", "detected"),
            d["text"],
            d.get("header", ""),
            d.get("metadata_", {}),
            now,
        )
        for d in documents
    ]
    return bulk.insert_returning_ids(session, _table(DocumentRow), _DOCUMENT_COLUMNS, rows)


def insert_turns_and_segments(
    session: Session,
    document_id: int,
    turns: list[dict[str, Any]],
    segments_per_turn: list[list[dict[str, Any]]],
) -> dict[int, int]:
    """Bulk-insert a document's turns and their sentences; returns turn number -> turn id."""
    values = [tuple(turn.get(field) for field in TURN_FIELDS) for turn in turns]
    sentences = [
        [tuple(s[field] for field in SENTENCE_FIELDS) for s in segments]
        for segments in segments_per_turn
    ]
    return insert_turns_of_documents(session, [(document_id, values, sentences)])[  # type: ignore[list-item]
        document_id
    ]


def insert_turns_of_documents(
    session: Session,
    documents: Sequence[tuple[int, Sequence[TurnValues], Sequence[Sequence[SentenceValues]]]],
) -> dict[int, dict[int, int]]:
    """Bulk-insert the turns and sentences of documents (document id, turns, sentences per
    turn, as TURN_FIELDS and SENTENCE_FIELDS values); returns document id -> turn number ->
    turn id."""
    bulk.insert_rows(
        session,
        _table(TurnRow),
        ("document_id", *TURN_FIELDS),
        [(document_id, *turn) for document_id, turns, _ in documents for turn in turns],
    )
    ids: dict[int, dict[int, int]] = {document_id: {} for document_id, _, _ in documents}
    found = bulk.select_rows(
        session,
        select(TurnRow.document_id, TurnRow.number, TurnRow.id).where(
            TurnRow.document_id.in_(list(ids))  # type: ignore[attr-defined]
        ),
    )
    for document_id, number, turn_id in found:
        ids[document_id][number] = turn_id
    bulk.insert_rows(
        session,
        _table(SegmentRow),
        ("turn_id", *SENTENCE_FIELDS),
        [
            (ids[document_id][turn[0]], *sentence)
            for document_id, turns, sentences_per_turn in documents
            for turn, sentences in zip(turns, sentences_per_turn)
            for sentence in sentences
        ],
    )
    return ids


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined,no-any-return]


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
