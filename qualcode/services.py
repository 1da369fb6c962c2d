"""The workflows both front ends use: open or create a project, import, list, export."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from qualcode import workers
from qualcode.domain import DocumentSummary
from qualcode.errors import ImportFailed, QualcodeError, StorageError
from qualcode.ingest.language import SUPPORTED
from qualcode.ingest.prepare import PreparedFile, PrepareOptions, complete, prepare_file, warm_up
from qualcode.ingest.readers import collect_files
from qualcode.project import ProjectConfig, find_project_root, load_config, write_config
from qualcode.storage import repository
from qualcode.storage.engine import make_engine
from qualcode.storage.migrate import upgrade
from qualcode.storage.tables import CodingRow, DocumentRow, TurnRow, utcnow

LANGUAGE_CHOICES = ("auto", *SUPPORTED)
IMPORT_BATCH = 16  # files stored per transaction
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
        """Import files and folders; a file that fails leaves nothing behind.

        Worker processes read and parse the files (workers.py); this process stores them,
        up to IMPORT_BATCH files a transaction."""
        options = options or ImportOptions()
        if options.language not in LANGUAGE_CHOICES:
            raise QualcodeError(
                f"--lang {options.language}: choose one of {', '.join(LANGUAGE_CHOICES)}"
            )
        files, skipped = collect_files(list(paths))
        tasks: list[tuple[Path, str]] = []
        taken: dict[str, Path] = {}
        for path, root in files:
            name = path.name
            if name in taken and taken[name] != path:
                name = path.relative_to(root).as_posix()
            taken[name] = path
            tasks.append((path, name))
        with Session(self.engine) as session:
            known = repository.content_hashes(session)
        prepare = PrepareOptions(
            options.language, tuple(options.interviewer_labels), options.replace, known
        )
        if workers.parallel(len(tasks)) > 1:
            warm_up(options.language)
        outcomes: list[ImportOutcome | None] = []
        batch: list[tuple[int, PreparedFile]] = []
        for index, prepared in enumerate(
            workers.ordered_map(prepare_file, prepare, tasks, len(tasks))
        ):
            if progress:
                progress(index, len(tasks), prepared.name)
            if prepared.failure is not None:
                outcomes.append(
                    ImportOutcome(prepared.path, prepared.name, "failed", prepared.failure)
                )
                continue
            if any(other.name == prepared.name for _, other in batch):
                self._store(batch, outcomes, prepare, options)
                batch = []
            batch.append((len(outcomes), prepared))
            outcomes.append(None)
            if len(batch) >= IMPORT_BATCH:
                self._store(batch, outcomes, prepare, options)
                batch = []
        self._store(batch, outcomes, prepare, options)
        if progress:
            progress(len(tasks), len(tasks), "")
        assert all(outcome is not None for outcome in outcomes)
        return [outcome for outcome in outcomes if outcome is not None], skipped

    def _store(
        self,
        batch: list[tuple[int, PreparedFile]],
        outcomes: list[ImportOutcome | None],
        prepare: PrepareOptions,
        options: ImportOptions,
    ) -> None:
        """Store prepared files in one transaction; their outcomes go to their slots."""
        if not batch:
            return
        current = batch[0][1].path
        try:
            with Session(self.engine) as session, session.begin():
                existing = repository.documents_named(session, [p.name for _, p in batch])
                new: list[tuple[int, PreparedFile]] = []
                stored: list[int] = []
                for slot, prepared in batch:
                    current = prepared.path
                    outcome, document_id = self._store_one(session, existing, prepared, prepare)
                    if outcome is None:
                        new.append((slot, prepared))
                        continue
                    outcomes[slot] = outcome
                    if document_id is not None:
                        stored.append(document_id)
                ids = repository.insert_documents(
                    session, [p.document for _, p in new if p.document is not None]
                )
                repository.insert_turns_of_documents(
                    session,
                    [(i, p.turns, p.segments) for i, (_, p) in zip(ids, new, strict=True)],
                )
                for (slot, prepared), _ in zip(new, ids, strict=True):
                    assert prepared.document is not None
                    outcomes[slot] = ImportOutcome(
                        prepared.path,
                        prepared.name,
                        "imported",
                        "imported",
                        prepared.document["language"],
                        len(prepared.turns),
                        prepared.encoding,
                    )
                if options.attributes:
                    for document_id in [*stored, *ids]:
                        repository.set_attributes(session, document_id, options.attributes)
        except OperationalError as exc:
            raise StorageError(
                f"the database refused the import of {current}: {exc.orig}"
            ) from None

    @staticmethod
    def _store_one(
        session: Session,
        existing: dict[str, DocumentRow],
        prepared: PreparedFile,
        prepare: PrepareOptions,
    ) -> tuple[ImportOutcome | None, int | None]:
        """The outcome of a file the project holds already (and the id of the document it
        replaced), or (None, None) for a new document, to be inserted with the others."""
        path, name = prepared.path, prepared.name
        found = existing.get(name)
        if found is not None and found.content_hash == prepared.content_hash:
            message = "already imported, unchanged: nothing to do"
            return ImportOutcome(path, name, "unchanged", message, found.language, 0), None
        if found is not None and not prepare.replace:
            message = (
                "changed since it was imported: left alone (use --replace to re-import it; "
                "its codings are kept and re-anchored)"
            )
            return ImportOutcome(path, name, "changed", message, found.language), None
        try:
            complete(prepared, prepare)
        except ImportFailed as exc:
            return ImportOutcome(path, name, "failed", str(exc)), None
        assert prepared.document is not None
        if found is None:
            return None, None
        moved, lost = _replace_document(
            session,
            found,
            prepared.document,
            [dict(zip(repository.TURN_FIELDS, turn)) for turn in prepared.turns],
            [
                [dict(zip(repository.SENTENCE_FIELDS, s)) for s in sentences]
                for sentences in prepared.segments
            ],
        )
        return ImportOutcome(
            path,
            name,
            "replaced",
            f"re-imported; {moved} codings re-anchored, {lost} kept but flagged",
            prepared.document["language"],
            len(prepared.turns),
            prepared.encoding,
        ), found.id

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
