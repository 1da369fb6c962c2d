"""A text source as a qualcode document: turns by the normal parser, stored as `import` does.

`prepare_text` is pure (parse, detect the language, split sentences), so it runs before
the import's transaction opens; `store_document` writes the document row, its turns and
their sentences with the same repository functions `qualcode import` uses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from qualcode.domain import Role
from qualcode.ingest.language import detect_language
from qualcode.ingest.rows import sentence_rows, turn_row
from qualcode.ingest.transcript import ParsedTurn, parse_transcript, split_paragraphs
from qualcode.storage import repository
from qualcode.storage.tables import DocumentRow


@dataclass
class PreparedText:
    """A source's text parsed into header and turns, with its language and sentences."""

    text: str
    header: str
    metadata: dict[str, str]
    turns: list[ParsedTurn]
    sentences: list[list[dict[str, Any]]]
    language: str
    language_source: str
    format: str

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """The hash `qualcode import` gives a document's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare_text(
    text: str,
    *,
    interviewers: Sequence[str] = (),
    language: str | None = None,
    language_source: str = "given",
    fmt: str = "txt",
    turn_times: Sequence[Sequence[Any]] = (),
) -> PreparedText | None:
    """Parse a source's plain text (LF newlines); None when no speech is found.

    `turn_times` ([start, end, start time, end time] per turn, from qualcode's own export)
    gives back the exact times of subtitle cues when the parse finds the same turns.
    """
    parsed = parse_transcript(
        text, split_paragraphs(text, markdown=fmt == "md"), interviewer_labels=interviewers
    )
    if not parsed.turns:
        return None
    if len(turn_times) == len(parsed.turns) and all(
        list(times[:2]) == [turn.start, turn.end] for times, turn in zip(turn_times, parsed.turns)
    ):
        for times, turn in zip(turn_times, parsed.turns):
            turn.start_time, turn.end_time = times[2], times[3]
    if language is None:
        spoken = [t.text for t in parsed.turns if t.role is Role.PARTICIPANT] or [
            t.text for t in parsed.turns
        ]
        language, language_source = detect_language("\n".join(spoken)).language, "detected"
    return PreparedText(
        text=text,
        header=parsed.header,
        metadata=parsed.metadata,
        turns=parsed.turns,
        sentences=sentence_rows(language, text, parsed.turns),
        language=language,
        language_source=language_source,
        format=fmt,
    )


def store_document(
    session: Session, name: str, prepared: PreparedText, source_path: str
) -> tuple[int, list[tuple[int, int, int]]]:
    """Insert a new document with its turns; (document id, [(start, end, turn id)])."""
    row = DocumentRow(
        name=name,
        source_path=source_path,
        content_hash=prepared.content_hash,
        format=prepared.format,
        encoding="utf-8",
        language=prepared.language,
        language_source=prepared.language_source,
        text=prepared.text,
        header=prepared.header,
        metadata_=prepared.metadata,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    turns = [turn_row(number, turn) for number, turn in enumerate(prepared.turns, start=1)]
    ids = repository.insert_turns_and_segments(session, row.id, turns, prepared.sentences)
    spans = [(turn["start"], turn["end"], ids[turn["number"]]) for turn in turns]
    return row.id, spans
