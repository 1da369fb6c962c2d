"""`qualcode import PROJECT.qdpx`: a REFI-QDA project from NVivo, ATLAS.ti, MAXQDA, QualCoder, qc.

Reading is checked before anything is written: the zip (`archive.ProjectArchive`: no
entry outside the folder, size limits, no zip bomb), `project.qde` parsed with defusedxml
(a DTD or entity is refused with one line), every text source decoded and split into
turns by the normal parser. Then one transaction writes everything; any failure leaves
the project as it was.

- Text sources (`plainTextPath` `internal://…` read from `sources/` in the zip, a bare file
  name too, as qc writes; or inline `PlainTextContent`) become documents named after the
  source. A document of that name with the same text is reused (the file's codings are
  added to it: a colleague's coding of the same transcript); with other text, the source
  is imported as `NAME (2).txt` (then `(3)`, …) and the report says so. Text is UTF-8;
  CRLF becomes LF and positions are mapped to match.
- Codes: see `codes.py` (matched by GUID, restored from qualcode.json, or new in the
  codebook `qdpx-<project name>`).
- Codings: each Coding of a PlainTextSelection, at the selection's start and end
  (characters), on the turn holding the start (else the first turn it overlaps), status
  accepted, source `qdpx`, coder = the name of its creatingUser (else the selection's;
  else the person importing, reported). A coding the project has already is left; one the
  project holds as a suggestion becomes accepted; one it holds as rejected is kept
  rejected and reported.
- Case attributes: VariableValues of a source and of the Cases that refer to it (a case
  whose name is not the source's name also gives the attribute `case`). Values the
  project has already are kept and differences reported.
- Notes: on a source → a document memo; on a selection → a memo on its turn; on a coding
  → the coding's memo; on a code → a code memo.

What cannot be imported is listed in "not imported:" lines: PDF, picture, audio and video
sources (with their codings), text sources without text or speech or whose text is
outside the file, codings of whole sources, selections outside their text, codings on
codes the file does not define, notes attached to nothing imported, sets of sources,
links and graphs.
"""

from __future__ import annotations

import bisect
import json
import re
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from qualcode.codebook.model import LANGUAGES
from qualcode.codebook.qdc_import import import_codebook
from qualcode.domain import Status
from qualcode.errors import StorageError
from qualcode.ingest.readers import SUPPORTED_SUFFIXES
from qualcode.refi.archive import MAX_SOURCE_BYTES, MAX_XML_BYTES, ProjectArchive, unsafe_entry_name
from qualcode.refi.codes import CodeOutcome, bring_in_codes, codebook_id_for
from qualcode.refi.common import (
    PROJECT_ENTRY,
    SIDECAR_ENTRY,
    SIDECAR_FORMAT,
    SOURCES_FOLDER,
    normalise_newlines_mapped,
    plural,
    shorten,
    xml_text,
)
from qualcode.refi.documents import PreparedText, content_hash, prepare_text, store_document
from qualcode.refi.reader import ProjectFile, Selection, TextSource, read_project
from qualcode.storage import repository
from qualcode.storage.tables import (
    CodingRow,
    DocumentAttributeRow,
    MemoRow,
    TurnRow,
    utcnow,
)

MAX_SIDECAR_BYTES = 16 * 1024 * 1024
_FORMATS = {suffix.lstrip(".") for suffix in SUPPORTED_SUFFIXES} - {"markdown"}
_SHORT_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")


@dataclass
class _Source:
    """A text source whose text was read and parsed."""

    source: TextSource
    prepared: PreparedText
    position: Callable[[int], int]
    entry: str


@dataclass
class _Placed:
    """Where a source went in the project."""

    source: _Source
    document_id: int
    name: str
    turns: list[tuple[int, int, int]]  # (start, end, turn id), by start
    new: bool
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [turn[0] for turn in self.turns]


@dataclass
class _Skipped:
    """What was not imported, for the report."""

    other: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    other_codings: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    text: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    text_codings: int = 0
    whole_codings: int = 0
    bad_selections: int = 0
    bad_selection_codings: int = 0
    unknown_codes: set[str] = field(default_factory=set)
    unknown_codings: int = 0
    notes: int = 0
    project_notes: int = 0
    values: int = 0
    case_selections: int = 0
    source_sets: int = 0
    links: int = 0
    graphs: int = 0

    def lines(self) -> list[str]:
        out = []
        for kind in sorted(self.other):
            names = self.other[kind]
            codings = self.other_codings[kind]
            line = f"{plural(len(names), kind + ' source')} ({shorten(names)})"
            if codings:
                line += f", {plural(codings, 'coding')} on them"
            out.append(line)
        for reason in sorted(self.text):
            names = self.text[reason]
            out.append(f"{plural(len(names), 'text source')} {reason} ({shorten(names)})")
        if self.text_codings:
            out.append(f"{plural(self.text_codings, 'coding')} on those text sources")
        if self.whole_codings:
            out.append(f"{plural(self.whole_codings, 'coding')} of whole sources")
        if self.bad_selections:
            out.append(
                f"{plural(self.bad_selections, 'selection')} outside their source's text "
                f"({plural(self.bad_selection_codings, 'coding')})"
            )
        if self.unknown_codings:
            out.append(
                f"{plural(self.unknown_codings, 'coding')} on "
                f"{plural(len(self.unknown_codes), 'code')} the file does not define"
            )
        if self.values:
            out.append(f"{plural(self.values, 'variable value')} of unknown variables")
        if self.case_selections:
            out.append(f"{plural(self.case_selections, 'case link')} to selections")
        if self.notes:
            out.append(f"{plural(self.notes, 'note')} attached to nothing imported")
        if self.project_notes:
            out.append(f"{plural(self.project_notes, 'note')} on the project as a whole")
        for count, singular, many in (
            (self.source_sets, "set of sources or notes", "sets of sources or notes"),
            (self.links, "link", "links"),
            (self.graphs, "graph", "graphs"),
        ):
            if count:
                out.append(plural(count, singular, many))
        return ["not imported: " + line for line in out]


@dataclass
class _Tally:
    """What was written, for the report."""

    added: int = 0
    unchanged: int = 0
    accepted: int = 0
    coders: set[str] = field(default_factory=set)
    conflicts: list[str] = field(default_factory=list)
    duplicates: int = 0
    off_turn: int = 0
    unknown_users: int = 0
    attributes: int = 0
    attribute_documents: set[int] = field(default_factory=set)
    attribute_conflicts: list[str] = field(default_factory=list)
    memos: int = 0
    memo_conflicts: int = 0


def import_qdpx(engine: Engine, path: Path, coder: str) -> list[str]:
    """Import a `.qdpx` project in one transaction; the report lines to print."""
    skipped = _Skipped()
    with ProjectArchive(path) as archive:
        project = read_project(
            archive.read(PROJECT_ENTRY, MAX_XML_BYTES), f"{path}: {PROJECT_ENTRY}"
        )
        sidecar = _read_sidecar(archive)
        sources = _read_sources(archive, project, sidecar, skipped)
    languages = Counter(s.prepared.language for s in sources if s.prepared.language in LANGUAGES)
    lang = languages.most_common(1)[0][0] if languages else "en"
    imported = None
    notes: list[str] = []
    if project.has_codebook:
        result = import_codebook(path, lang, codebook_id_for(project.name, path))
        imported, notes = result.codebook, result.notes
    books = sidecar.get("codebooks") if isinstance(sidecar.get("codebooks"), list) else []
    tally = _Tally()
    try:
        with Session(engine) as session, session.begin():
            codes = bring_in_codes(session, path, imported, books or [])
            lines = [*codes.lines, *(f"codebook note: {note}" for note in notes)]
            placed = _place_sources(session, path, sources, lines)
            _set_attributes(session, project, placed, tally, skipped)
            _add_codings(session, project, placed, codes, coder, tally, skipped)
            _add_memos(session, project, placed, codes, coder, tally, skipped)
    except OperationalError as exc:
        raise StorageError(f"the database refused the import of {path}: {exc.orig}") from None
    return [*lines, *_tally_lines(tally), *skipped.lines(), _summary(path, placed, tally, codes)]


# -- reading ----------------------------------------------------------------------------


def _read_sidecar(archive: ProjectArchive) -> dict[str, Any]:
    """qualcode.json, when the file is qualcode's own export; else {}."""
    if not archive.has(SIDECAR_ENTRY):
        return {}
    try:
        data = json.loads(archive.read(SIDECAR_ENTRY, MAX_SIDECAR_BYTES).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("format") != SIDECAR_FORMAT:
        return {}
    return data


def _read_sources(
    archive: ProjectArchive, project: ProjectFile, sidecar: dict[str, Any], skipped: _Skipped
) -> list[_Source]:
    for other in project.other_sources:
        skipped.other[other.kind].append(other.name)
        skipped.other_codings[other.kind] += other.codings
    skipped.project_notes = len(project.project_notes)
    skipped.case_selections = sum(case.selections for case in project.cases)
    skipped.source_sets = project.source_sets
    skipped.links, skipped.graphs = project.links, project.graphs
    documents = sidecar.get("documents")
    known: dict[str, Any] = documents if isinstance(documents, dict) else {}
    sources = []
    for source in project.text_sources:
        raw, entry, reason = _raw_text(archive, source)
        text, position = normalise_newlines_mapped(raw or "")
        prepared = None
        if raw is not None and text.strip():
            prepared = prepare_text(text, **_hints(known.get(source.guid), text))
            if prepared is None:
                reason = "with no speech found in the text"
        elif raw is not None or source.plain_text_path is None:
            reason = "with no text"
            if source.rich_text_path:
                reason = "with no plain text, only rich text (which is not read)"
        if prepared is None:
            skipped.text[reason].append(source.name)
            skipped.text_codings += sum(len(s.codings) for s in source.selections)
            skipped.text_codings += len(source.whole_codings)
            continue
        sources.append(_Source(source, prepared, position, entry))
    return sources


def _raw_text(archive: ProjectArchive, source: TextSource) -> tuple[str | None, str, str]:
    """(text, where it came from, why there is none)."""
    path = source.plain_text_path
    if path is None:
        if source.inline_text is None:
            return None, "", "without plain text"
        return source.inline_text, "PlainTextContent", ""
    if path.lower().startswith("internal://"):
        tail = path[len("internal://") :]
        candidates = [SOURCES_FOLDER + tail, SOURCES_FOLDER + urllib.parse.unquote(tail)]
    elif "://" in path or unsafe_entry_name(path):
        if source.inline_text is not None:
            return source.inline_text, "PlainTextContent", ""
        return None, "", "whose text is outside the project file"
    else:  # a bare name, as qc writes it: in sources/ (or at the top)
        candidates = [SOURCES_FOLDER + path, path]
    for candidate in candidates:
        if unsafe_entry_name(candidate) or not archive.has(candidate):
            continue
        data = archive.read(candidate, MAX_SOURCE_BYTES)
        text = _decode(data)
        if text is None:
            return None, candidate, "whose text is not UTF-8"
        return text, candidate, ""
    if source.inline_text is not None:
        return source.inline_text, "PlainTextContent", ""
    return None, "", "whose text file is missing from the zip"


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _hints(info: Any, text: str) -> dict[str, Any]:
    """Language, format and interviewers from qualcode.json, when it describes this text."""
    if not isinstance(info, dict) or info.get("sha256") != content_hash(text):
        return {}
    hints: dict[str, Any] = {}
    language = info.get("language")
    if isinstance(language, str) and 0 < len(language) <= 8:
        hints["language"] = language
        source = info.get("language_source")
        hints["language_source"] = source if isinstance(source, str) and source else "given"
    fmt = info.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        hints["fmt"] = fmt
    interviewers = info.get("interviewers")
    if isinstance(interviewers, list) and all(isinstance(i, str) for i in interviewers):
        hints["interviewers"] = interviewers
    times = info.get("turn_times")
    if isinstance(times, list) and all(_turn_times(item) for item in times):
        hints["turn_times"] = times
    return hints


def _turn_times(item: Any) -> bool:
    """[start, end, start time, end time]: two integers, then numbers or nulls."""
    return (
        isinstance(item, list)
        and len(item) == 4
        and all(isinstance(v, int) and not isinstance(v, bool) for v in item[:2])
        and all(
            v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in item[2:]
        )
    )


# -- writing ----------------------------------------------------------------------------


def _place_sources(
    session: Session, path: Path, sources: list[_Source], lines: list[str]
) -> list[_Placed]:
    placed = []
    for source in sources:
        wanted = xml_text(source.source.name).strip() or source.source.guid or "source"
        name, existing = _free_name(session, wanted, source.prepared.content_hash)
        if existing is not None:
            assert existing.id is not None
            turns = [
                (start, end, turn_id)
                for start, end, turn_id in session.execute(
                    select(col(TurnRow.start), col(TurnRow.end), col(TurnRow.id))
                    .where(col(TurnRow.document_id) == existing.id)
                    .order_by(col(TurnRow.start))
                )
            ]
            placed.append(_Placed(source, existing.id, name, turns, new=False))
            lines.append(f"unchanged {name}: already in the project; the file's codings are added")
            continue
        document_id, turns = store_document(
            session, name, source.prepared, f"{path.resolve()}#{source.entry}"
        )
        placed.append(_Placed(source, document_id, name, sorted(turns), new=True))
        details = f"({source.prepared.language}, {plural(len(turns), 'turn')})"
        if name != wanted:
            lines.append(
                f"imported {wanted} as {name} {details}: a document named {wanted} with "
                "other text is in the project"
            )
        else:
            lines.append(f"imported {name} {details}")
    return placed


def _free_name(session: Session, name: str, digest: str) -> tuple[str, Any]:
    """The name to use: this one, or `NAME (2).txt`, … ; and the document to reuse, if any."""
    suffix = PurePosixPath(name).suffix
    if not _SHORT_SUFFIX.fullmatch(suffix) or len(suffix) == len(name):
        suffix = ""
    stem = name[: len(name) - len(suffix)]
    candidate, number = name, 1
    while True:
        row = repository.find_document(session, candidate)
        if row is None or row.content_hash == digest:
            return candidate, row
        number += 1
        candidate = f"{stem} ({number}){suffix}"


def _set_attributes(
    session: Session,
    project: ProjectFile,
    placed: list[_Placed],
    tally: _Tally,
    skipped: _Skipped,
) -> None:
    wanted: dict[str, dict[str, str]] = defaultdict(dict)
    by_guid = {p.source.source.guid: p for p in placed}

    def put(guid: str, key: str, value: str) -> None:
        values = wanted[guid]
        if key not in values:
            values[key] = value
        elif values[key] != value and guid in by_guid:
            tally.attribute_conflicts.append(
                f"{key} of {by_guid[guid].name}: kept {values[key]!r}, not {value!r}"
            )

    for item in placed:
        for variable, value in item.source.source.values:
            if project.variables.get(variable):
                put(item.source.source.guid, project.variables[variable], value)
            else:
                skipped.values += 1
    for case in project.cases:
        for guid in case.sources:
            if guid not in by_guid:
                continue
            for variable, value in case.values:
                if project.variables.get(variable):
                    put(guid, project.variables[variable], value)
                else:
                    skipped.values += 1
            if case.name and case.name not in (
                by_guid[guid].name,
                by_guid[guid].source.source.name,
            ):
                put(guid, "case", case.name)
    for guid, values in wanted.items():
        target = by_guid.get(guid)
        if target is None or not values:
            continue
        current = {
            row.key: row.value
            for row in session.execute(
                select(DocumentAttributeRow).where(
                    col(DocumentAttributeRow.document_id) == target.document_id
                )
            ).scalars()
        }
        merged = dict(current)
        for key, value in values.items():
            if key not in current:
                merged[key] = value
                tally.attributes += 1
            elif current[key] != value:
                tally.attribute_conflicts.append(
                    f"{key} of {target.name}: kept {current[key]!r}, not {value!r}"
                )
        if merged != current:
            repository.set_attributes(session, target.document_id, merged)
            tally.attribute_documents.add(target.document_id)


def _turn_for(item: _Placed, start: int, end: int) -> int | None:
    """The turn holding `start`, else the first one the span overlaps."""
    turns = item.turns
    index = bisect.bisect_right(item.starts, start) - 1
    if index >= 0 and turns[index][0] <= start < turns[index][1]:
        return turns[index][2]
    for turn_start, turn_end, turn_id in turns[max(index, 0) :]:
        if turn_start < end and start < turn_end:
            return turn_id
        if turn_start >= end:
            break
    return None


def _span(item: _Placed, selection: Selection) -> tuple[int, int] | None:
    if selection.start is None or selection.end is None:
        return None
    if not 0 <= selection.start < selection.end:
        return None
    start = item.source.position(selection.start)
    end = item.source.position(selection.end)
    if not 0 <= start < end <= len(item.source.prepared.text):
        return None
    return start, end


def _add_codings(
    session: Session,
    project: ProjectFile,
    placed: list[_Placed],
    codes: CodeOutcome,
    coder: str,
    tally: _Tally,
    skipped: _Skipped,
) -> None:
    planned: dict[tuple[int, int, int, str, str], dict[str, Any]] = {}
    now = utcnow()
    for item in placed:
        skipped.whole_codings += len(item.source.source.whole_codings)
        for selection in item.source.source.selections:
            span = _span(item, selection)
            if span is None:
                if selection.codings:
                    skipped.bad_selections += 1
                    skipped.bad_selection_codings += len(selection.codings)
                continue
            start, end = span
            turn_id = _turn_for(item, start, end)
            for coding in selection.codings:
                code_id = codes.guids.get(coding.code_guid)
                if code_id is None:
                    skipped.unknown_codings += 1
                    skipped.unknown_codes.add(coding.code_guid)
                    continue
                name = project.users.get(coding.user)
                if not name:
                    tally.unknown_users += 1
                    name = coder
                key = (item.document_id, start, end, code_id, name)
                memo = _note_text(project, coding.notes)
                if key in planned:
                    tally.duplicates += 1
                    if memo and memo not in planned[key]["memo"]:
                        planned[key]["memo"] = "\n\n".join(
                            filter(None, [planned[key]["memo"], memo])
                        )
                    continue
                if turn_id is None:
                    tally.off_turn += 1
                created = coding.created or now
                planned[key] = {
                    "document_id": item.document_id,
                    "turn_id": turn_id,
                    "segment_id": None,
                    "start": start,
                    "end": end,
                    "code_id": code_id,
                    "coder": name,
                    "status": Status.ACCEPTED.value,
                    "confidence": None,
                    "source": "qdpx",
                    "explanation": "",
                    "memo": memo,
                    "anchor": "ok",
                    "quote": "",
                    "created_at": created,
                    "updated_at": now,
                }
    reused = [item.document_id for item in placed if not item.new]
    existing: dict[tuple[int, int, int, str, str], CodingRow] = {}
    if reused:
        for row in session.execute(
            select(CodingRow).where(col(CodingRow.document_id).in_(reused))
        ).scalars():
            existing[(row.document_id, row.start, row.end, row.code_id, row.coder)] = row
    names = {item.document_id: item.name for item in placed}
    rows = []
    for key, values in planned.items():
        row = existing.get(key)
        if row is None:
            rows.append(values)
            tally.coders.add(values["coder"])
        elif row.status == Status.ACCEPTED.value:
            tally.unchanged += 1
        elif row.status == Status.SUGGESTED.value:
            row.status = Status.ACCEPTED.value
            row.updated_at = now
            tally.accepted += 1
            tally.coders.add(values["coder"])
        else:
            tally.conflicts.append(
                f"{values['code_id']} by {values['coder']} at {names[key[0]]} "
                f"{values['start']}-{values['end']}"
            )
    if rows:
        session.execute(insert(CodingRow), rows)
    tally.added = len(rows)


def _add_memos(
    session: Session,
    project: ProjectFile,
    placed: list[_Placed],
    codes: CodeOutcome,
    coder: str,
    tally: _Tally,
    skipped: _Skipped,
) -> None:
    used: set[str] = set()
    wanted: dict[tuple[int | None, int | None, str | None, str], list[tuple[str, datetime]]] = (
        defaultdict(list)
    )

    def want(document: int | None, turn: int | None, code: str | None, refs: list[str]) -> None:
        for guid in refs:
            note = project.notes.get(guid)
            if note is None:
                continue
            used.add(guid)
            text = note.text.strip()
            if text:
                name = project.users.get(note.user) or coder
                wanted[(document, turn, code, name)].append((text, note.created or utcnow()))

    for item in placed:
        source = item.source.source
        want(item.document_id, None, None, source.notes)
        for selection in source.selections:
            span = _span(item, selection)
            turn = _turn_for(item, *span) if span is not None else None
            want(item.document_id, turn, None, selection.notes)
            for coding in selection.codings:
                used.update(coding.notes)  # these became the codings' memos
    for code_guid, refs in project.code_notes.items():
        code_id = codes.guids.get(code_guid)
        if code_id is not None:
            want(None, None, code_id, refs)
    for (document, turn, code, name), texts in wanted.items():
        text = "\n\n".join(dict.fromkeys(t for t, _ in texts))
        created = min(c for _, c in texts)
        found = _memos_at(session, document, turn, code, name)
        if any(memo.text == text for memo in found):
            continue
        if turn is not None and found:
            tally.memo_conflicts += 1
            continue
        session.add(
            MemoRow(
                document_id=document,
                turn_id=turn,
                code_id=code,
                coder=name,
                text=text,
                created_at=created,
                updated_at=created,
            )
        )
        tally.memos += 1
    skipped.notes = len(set(project.notes) - used - set(project.project_notes))


def _memos_at(
    session: Session, document: int | None, turn: int | None, code: str | None, coder: str
) -> list[MemoRow]:
    """The coder's memos on this turn, or else on this document or code."""
    query = select(MemoRow).where(col(MemoRow.coder) == coder)
    if turn is not None:
        return list(session.execute(query.where(col(MemoRow.turn_id) == turn)).scalars())
    query = query.where(col(MemoRow.turn_id).is_(None))
    if document is None:
        query = query.where(col(MemoRow.document_id).is_(None))
    else:
        query = query.where(col(MemoRow.document_id) == document)
    if code is None:
        query = query.where(col(MemoRow.code_id).is_(None))
    else:
        query = query.where(col(MemoRow.code_id) == code)
    return list(session.execute(query).scalars())


def _note_text(project: ProjectFile, refs: list[str]) -> str:
    texts = [project.notes[g].text.strip() for g in refs if g in project.notes]
    return "\n\n".join(dict.fromkeys(t for t in texts if t))


# -- the report -------------------------------------------------------------------------


def _tally_lines(tally: _Tally) -> list[str]:
    lines = []
    if tally.added or tally.unchanged or tally.accepted:
        line = f"added {plural(tally.added, 'coding')}"
        if tally.accepted:
            line += f", accepted {tally.accepted} of the project's suggestions the file codes"
        if tally.unchanged:
            line += f", {tally.unchanged} already in the project"
        if tally.coders:
            line += f" (coders: {shorten(sorted(tally.coders))})"
        lines.append(line)
    if tally.duplicates:
        lines.append(
            f"merged {plural(tally.duplicates, 'repeated coding')} (same span, code, coder)"
        )
    if tally.off_turn:
        lines.append(
            f"{plural(tally.off_turn, 'coding')} lie outside every turn (header or labels only); "
            "kept without a turn"
        )
    if tally.unknown_users:
        lines.append(
            f"{plural(tally.unknown_users, 'coding')} named no known user: "
            "given to the importing coder"
        )
    if tally.conflicts:
        lines.append(
            f"kept {plural(len(tally.conflicts), 'rejection')} the file codes: "
            + shorten(tally.conflicts, 3)
        )
    if tally.attributes:
        lines.append(
            f"set {plural(tally.attributes, 'case attribute')} on "
            f"{plural(len(tally.attribute_documents), 'document')}"
        )
    if tally.attribute_conflicts:
        lines.append(
            f"kept {plural(len(tally.attribute_conflicts), 'attribute value')} that differ from "
            "the file's: " + shorten(tally.attribute_conflicts, 3)
        )
    if tally.memos:
        lines.append(f"imported {plural(tally.memos, 'memo')}")
    if tally.memo_conflicts:
        lines.append(
            f"kept {plural(tally.memo_conflicts, 'turn memo')} the project has; the file's "
            "differing ones were not imported"
        )
    return lines


def _summary(path: Path, placed: list[_Placed], tally: _Tally, codes: CodeOutcome) -> str:
    new = sum(1 for item in placed if item.new)
    return (
        f"imported {plural(new, 'document')}, {plural(tally.added, 'coding')} by "
        f"{plural(len(tally.coders), 'coder')}, {plural(codes.added, 'code')} from {path}"
    )
