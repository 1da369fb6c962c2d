"""The workflows both front ends use: open or create a project, import, list, export."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from qualcode.domain import DocumentSummary, Role
from qualcode.errors import ImportFailed, QualcodeError, StorageError
from qualcode.ingest.language import SUPPORTED, detect_language
from qualcode.ingest.readers import collect_files, read_source
from qualcode.ingest.rows import sentence_rows, turn_row
from qualcode.ingest.source import SourceText
from qualcode.ingest.transcript import ParsedTranscript, ParsedTurn, assign_roles, parse_transcript
from qualcode.project import ProjectConfig, find_project_root, load_config, write_config
from qualcode.storage import repository
from qualcode.storage.engine import make_engine
from qualcode.storage.migrate import upgrade
from qualcode.storage.tables import CodingRow, DocumentRow, TurnRow, utcnow

LANGUAGE_CHOICES = ("auto", *SUPPORTED)
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file in an import."""

    path: Path
    name: str
    status: str  # imported | replaced | unchanged | changed | failed
    message: str
    language: str | None = None
    turns: int = 0
    encoding: str | None = None


@dataclass
class ImportOptions:
    """The choices of `qualcode import`."""

    language: str = "auto"
    attributes: dict[str, str] | None = None
    interviewer_labels: Sequence[str] = ()
    replace: bool = False


class Project:
    """An open project: its folder, its configuration and its database engine."""

    def __init__(self, config: ProjectConfig, engine: Engine) -> None:
        self.config = config
        self.engine = engine

    @classmethod
    def open(cls, project_dir: str | None = None, database_url: str | None = None) -> Project:
        """Find the project (see cli-contract.md) and bring its schema up to date."""
        root = find_project_root(project_dir)
        config = load_config(root, database_url)
        return cls(config, _migrated_engine(config.database_url))

    @classmethod
    def create(cls, root: Path, database_url: str | None = None) -> Project:
        """Make a new project in `root` with its database."""
        engine = None
        config = write_config(root, database_url)
        try:
            engine = _migrated_engine(config.database_url)
        except Exception:
            config.config_path.unlink(missing_ok=True)
            raise
        return cls(config, engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- import -------------------------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[Path],
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> tuple[list[ImportOutcome], list[Path]]:
        """Import files and folders; each file commits on its own, a failure leaves nothing."""
        options = options or ImportOptions()
        if options.language not in LANGUAGE_CHOICES:
            raise QualcodeError(
                f"--lang {options.language}: choose one of {', '.join(LANGUAGE_CHOICES)}"
            )
        files, skipped = collect_files(list(paths))
        outcomes: list[ImportOutcome] = []
        taken: dict[str, Path] = {}
        for index, (path, root) in enumerate(files):
            if progress:
                progress(index, len(files), path.name)
            name = path.name
            if name in taken and taken[name] != path:
                name = path.relative_to(root).as_posix()
            taken[name] = path
            outcomes.append(self._import_one(path, name, options))
        if progress:
            progress(len(files), len(files), "")
        return outcomes, skipped

    def _import_one(self, path: Path, name: str, options: ImportOptions) -> ImportOutcome:
        try:
            source = read_source(path)
            parsed = _turns_of(source, options.interviewer_labels)
        except ImportFailed as exc:
            return ImportOutcome(path, name, "failed", str(exc))
        if not parsed.turns:
            return ImportOutcome(path, name, "failed", f"{path}: no speech found in the file")
        content_hash = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        with Session(self.engine) as session:
            existing = repository.find_document(session, name)
            if existing is not None and existing.content_hash == content_hash:
                return ImportOutcome(
                    path,
                    name,
                    "unchanged",
                    "already imported, unchanged: nothing to do",
                    existing.language,
                    0,
                )
            if existing is not None and not options.replace:
                return ImportOutcome(
                    path,
                    name,
                    "changed",
                    "changed since it was imported: left alone (use --replace to re-import it; "
                    "its codings are kept and re-anchored)",
                    existing.language,
                )
        language, how = _language_of(parsed.turns, options.language)
        turns = [turn_row(number, turn) for number, turn in enumerate(parsed.turns, start=1)]
        segments = sentence_rows(language, source.text, parsed.turns)
        document = {
            "name": name,
            "source_path": str(path.resolve()),
            "content_hash": content_hash,
            "format": source.format,
            "encoding": _encoding_note(source),
            "language": language,
            "language_source": how,
            "text": source.text,
            "header": parsed.header,
            "metadata_": parsed.metadata,
        }
        try:
            with Session(self.engine) as session, session.begin():
                existing = repository.find_document(session, name)
                if existing is not None:
                    moved, lost = _replace_document(session, existing, document, turns, segments)
                    status = "replaced"
                    message = f"re-imported; {moved} codings re-anchored, {lost} kept but flagged"
                    document_id = existing.id
                else:
                    row = DocumentRow(**document)
                    session.add(row)
                    session.flush()
                    assert row.id is not None
                    document_id = row.id
                    repository.insert_turns_and_segments(session, document_id, turns, segments)
                    status, message = "imported", "imported"
                if options.attributes is not None and options.attributes:
                    assert document_id is not None
                    repository.set_attributes(session, document_id, options.attributes)
        except OperationalError as exc:
            raise StorageError(f"the database refused the import of {path}: {exc.orig}") from None
        return ImportOutcome(
            path, name, status, message, language, len(turns), _encoding_note(source)
        )

    # -- reading ------------------------------------------------------------------------

    def documents(self) -> list[DocumentSummary]:
        return repository.document_summaries(self.engine)

    def segments(self, *, sentences: bool = False) -> Iterator[dict[str, Any]]:
        return repository.iter_segments(self.engine, sentences=sentences)


def _migrated_engine(url: str) -> Engine:
    engine = make_engine(url)
    try:
        upgrade(engine)
    except OperationalError as exc:
        engine.dispose()
        raise StorageError(f"cannot open the database {url}: {exc.orig}") from None
    return engine


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


def _replace_document(
    session: Session,
    existing: DocumentRow,
    document: dict[str, Any],
    turns: list[dict[str, Any]],
    segments: list[list[dict[str, Any]]],
) -> tuple[int, int]:
    """Swap a document's text and turns, re-anchoring its codings; none is dropped."""
    from qualcode.anchoring import place_codings

    assert existing.id is not None
    old_turns = {
        row.id: row
        for row in session.execute(
            select(TurnRow).where(TurnRow.document_id == existing.id)
        ).scalars()
    }
    codings = (
        session.execute(select(CodingRow).where(CodingRow.document_id == existing.id))
        .scalars()
        .all()
    )
    old_text = existing.text
    for key, value in document.items():
        setattr(existing, key, value)
    existing.imported_at = utcnow()
    session.execute(
        TurnRow.__table__.delete().where(TurnRow.document_id == existing.id)  # type: ignore[attr-defined]
    )
    ids = repository.insert_turns_and_segments(session, existing.id, turns, segments)
    placements = place_codings(
        old_text,
        document["text"],
        [
            (c.start, c.end, old_turns[c.turn_id].text if c.turn_id in old_turns else c.quote)
            for c in codings
        ],
        turns,
    )
    moved = lost = 0
    taken: set[tuple[int, int, str, str]] = set()
    for coding, placement in zip(codings, placements):
        values: dict[str, Any] = {"updated_at": utcnow()}
        if (
            placement is not None
            and (placement[1], placement[2], coding.code_id, coding.coder) in taken
        ):
            placement = (
                None  # the same code by the same coder is there already: keep this one apart
            )
        if placement is not None:
            taken.add((placement[1], placement[2], coding.code_id, coding.coder))
        if placement is None:
            values.update(turn_id=None, segment_id=None, anchor="lost")
            lost += 1
        else:
            number, start, end = placement
            values.update(
                turn_id=ids[number],
                segment_id=None,
                start=start,
                end=end,
                anchor="ok" if (start, end) == (coding.start, coding.end) else "moved",
            )
            moved += 1
        if not coding.quote:
            values["quote"] = old_text[coding.start : coding.end]
        session.execute(update(CodingRow).where(CodingRow.id == coding.id).values(**values))
    return moved, lost
