"""One transcript file made ready to store, without the database: read, turns, language,
sentences. Import workers run this; the importing process only writes what it returns."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.domain import Role
from qualcode.errors import ImportFailed
from qualcode.ingest.language import detect_language
from qualcode.ingest.readers import read_source
from qualcode.ingest.rows import sentence_values, turn_values
from qualcode.ingest.source import SourceText
from qualcode.ingest.transcript import ParsedTranscript, ParsedTurn, assign_roles, parse_transcript
from qualcode.storage.repository import SentenceValues, TurnValues


@dataclass(frozen=True)
class PrepareOptions:
    """The import's choices, and what the project already holds (name -> content hash)."""

    language: str = "auto"
    interviewer_labels: tuple[str, ...] = ()
    replace: bool = False
    known: Mapping[str, str] = field(default_factory=dict)


@dataclass
class PreparedFile:
    """A file ready to store, or why it cannot be (`failure`, one line naming the file).

    `document` is None when the project holds this name already and the file is not to be
    stored again (unchanged, or changed without --replace): its sentences were not looked
    for. `complete` adds them should the project have changed in the meantime."""

    path: Path
    name: str
    failure: str | None = None
    content_hash: str = ""
    encoding: str | None = None
    document: dict[str, Any] | None = None
    turns: list[TurnValues] = field(default_factory=list)
    segments: list[list[SentenceValues]] = field(default_factory=list)
    parsed: tuple[SourceText, ParsedTranscript] | None = None


def prepare_file(options: PrepareOptions, task: tuple[Path, str]) -> PreparedFile:
    """Read and parse one file; its turns and sentences unless the project has it already."""
    path, name = task
    try:
        source = read_source(path)
        parsed = _turns_of(source, options.interviewer_labels)
    except ImportFailed as exc:
        return PreparedFile(path, name, failure=str(exc))
    if not parsed.turns:
        return PreparedFile(path, name, failure=f"{path}: no speech found in the file")
    prepared = PreparedFile(
        path,
        name,
        content_hash=hashlib.sha256(source.text.encode("utf-8")).hexdigest(),
        encoding=_encoding_note(source),
        parsed=(source, parsed),
    )
    known = options.known.get(name)
    if known is None or (known != prepared.content_hash and options.replace):
        complete(prepared, options)
    else:
        prepared.parsed = None  # nothing to store: no need to send the parse back
    return prepared


def complete(prepared: PreparedFile, options: PrepareOptions) -> None:
    """Add the document row, turns and sentences to a prepared file (parsing it again if
    its parse was not kept)."""
    if prepared.document is not None:
        return
    if prepared.parsed is None:
        source = read_source(prepared.path)
        parsed = _turns_of(source, options.interviewer_labels)
        prepared.content_hash = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    else:
        source, parsed = prepared.parsed
    language, how = _language_of(parsed.turns, options.language)
    prepared.turns = [
        turn_values(number, turn) for number, turn in enumerate(parsed.turns, start=1)
    ]
    prepared.segments = sentence_values(language, source.text, parsed.turns)
    prepared.document = {
        "name": prepared.name,
        "source_path": str(prepared.path.resolve()),
        "content_hash": prepared.content_hash,
        "format": source.format,
        "encoding": prepared.encoding,
        "language": language,
        "language_source": how,
        "text": source.text,
        "header": parsed.header,
        "metadata_": parsed.metadata,
    }
    prepared.parsed = None


def _turns_of(source: SourceText, interviewer_labels: Sequence[str]) -> ParsedTranscript:
    if source.turns is not None:
        assign_roles(source.turns, interviewer_labels)
        return ParsedTranscript(header="", metadata={}, turns=source.turns, labelled=True)
    assert source.paragraphs is not None
    return parse_transcript(source.text, source.paragraphs, interviewer_labels=interviewer_labels)


def _language_of(turns: Sequence[ParsedTurn], requested: str) -> tuple[str, str]:
    if requested != "auto":
        return requested, "given"
    spoken = [t.text for t in turns if t.role is Role.PARTICIPANT] or [t.text for t in turns]
    return detect_language("\n".join(spoken)).language, "detected"


def _encoding_note(source: SourceText) -> str | None:
    if source.encoding is None:
        return None
    return f"{source.encoding} (guessed)" if source.encoding_guessed else source.encoding


def warm_up(language: str) -> None:
    """Load the sentence pipelines before import workers are forked, so they share them."""
    from qualcode.nlp import pipeline

    for code in ("da", "sv", "nb") if language == "auto" else (language,):
        pipeline(code)
