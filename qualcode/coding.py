"""Coding a document: what the workbench (TUI) and scripts do to codings, with undo.

Every action is written at once and returns an `Undo` record that puts back exactly what
the action changed, so a session can step back through its own actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Engine, case, delete, func, select, update
from sqlmodel import Session, col

from qualcode.domain import Role, Status
from qualcode.errors import QualcodeError
from qualcode.storage import codings_repo
from qualcode.storage.tables import (
    CodebookRow,
    CodeRow,
    CodingRow,
    DocumentAttributeRow,
    DocumentRow,
    MemoRow,
    TurnRow,
    utcnow,
)


@dataclass(frozen=True)
class CodeInfo:
    """A code as the workbench shows it."""

    id: str
    name: str
    polarity: str
    target: str | None
    colour: str | None
    names: dict[str, str]
    definition: dict[str, str]
    include: dict[str, str]
    exclude: dict[str, str]
    examples: dict[str, list[str]]
    terms: dict[str, list[str]]
    codebook: str | None
    retired: bool = False

    def name_in(self, language: str) -> str:
        for key in (language, "nb" if language == "nn" else language, "en"):
            if self.names.get(key):
                return self.names[key]
        return self.name or self.id


@dataclass(frozen=True)
class DocumentOverview:
    """A document as the workbench lists it: `qualcode documents` without the word count."""

    name: str
    language: str
    turns: int
    speakers: int
    attributes: dict[str, str]
    coded_share: float  # participant turns with an accepted code (any coder), as a share


@dataclass(frozen=True)
class CodebookInfo:
    """A codebook as the workbench shows it: its title, languages and targets in order."""

    id: str
    title: dict[str, str]
    languages: list[str]
    targets: list[tuple[str, dict[str, str]]]  # (target id, name per language)


@dataclass(frozen=True)
class CodingInfo:
    """A coding on a turn."""

    id: int
    code: str
    status: str
    coder: str
    confidence: float | None
    source: str
    explanation: str
    start: int
    end: int


@dataclass
class TurnInfo:
    """A turn with its codings, as the coding screen shows it."""

    id: int
    number: int
    speaker: str | None
    role: str
    text: str
    start: int
    end: int
    start_time: float | None
    codings: list[CodingInfo] = field(default_factory=list)
    memo: str = ""

    def open_suggestions(self, coder: str) -> list[CodingInfo]:
        return sorted(
            (c for c in self.codings if c.status == Status.SUGGESTED.value and c.coder == coder),
            key=lambda c: -(c.confidence or 0.0),
        )

    def accepted(self, coder: str | None = None) -> list[CodingInfo]:
        return [
            c
            for c in self.codings
            if c.status == Status.ACCEPTED.value and (coder is None or c.coder == coder)
        ]


@dataclass(frozen=True)
class DocumentInfo:
    """A document opened for coding."""

    id: int
    name: str
    language: str
    turns: list[TurnInfo]


@dataclass(frozen=True)
class Undo:
    """What to restore to undo one action: coding rows as they were (None: did not exist)."""

    description: str
    before: list[tuple[int | None, dict[str, Any] | None]]  # (coding id, row values)
    created: list[int] = field(default_factory=list)
    memo: tuple[int, int, str] | None = None  # (document id, turn id, previous text)


_CODING_FIELDS = (
    "document_id",
    "turn_id",
    "segment_id",
    "start",
    "end",
    "code_id",
    "coder",
    "status",
    "confidence",
    "source",
    "explanation",
    "memo",
    "anchor",
    "quote",
)


class CodingService:
    """Reads and changes codings for one coder."""

    def __init__(self, engine: Engine, coder: str) -> None:
        self.engine = engine
        self.coder = coder
        self._codes: dict[str, CodeInfo] | None = None
        self._index: tuple[dict[int, str], list[CodeInfo]] | None = None

    # -- codes -------------------------------------------------------------------------

    def codes(self) -> dict[str, CodeInfo]:
        """Every code (retired ones too), in codebook order."""
        if self._codes is None:
            with Session(self.engine) as session:
                rows = (
                    session.execute(
                        select(CodeRow).order_by(CodeRow.codebook_id, CodeRow.position, CodeRow.id)
                    )
                    .scalars()
                    .all()
                )
            self._codes = {row.id: _code_info(row) for row in rows}
        return self._codes

    def search_codes(self, query: str, language: str = "en", limit: int = 20) -> list[CodeInfo]:
        """Codes whose id, names (any language) or terms match `query`, best first."""
        active = [c for c in self.codes().values() if not c.retired]
        query = query.strip().lower()
        if not query:
            return active[:limit]
        choices, owners = self._search_index(active)
        found = process.extract(
            query, choices, scorer=fuzz.WRatio, limit=limit * 6, score_cutoff=60
        )
        ranked: dict[str, tuple[float, CodeInfo]] = {}
        for _, score, index in found:
            code = owners[index]
            text = choices[index]
            if text.startswith(query) or code.id.startswith(query):
                score += 15
            if code.id not in ranked or score > ranked[code.id][0]:
                ranked[code.id] = (score, code)
        ordered = sorted(ranked.values(), key=lambda pair: (-pair[0], pair[1].id))
        return [code for _, code in ordered[:limit]]

    def codebooks(self) -> list[CodebookInfo]:
        """The project's codebooks, in id order, with their targets."""
        with Session(self.engine) as session:
            rows = session.execute(select(CodebookRow).order_by(CodebookRow.id)).scalars().all()
        books = []
        for row in rows:
            data = row.data or {}
            targets = [
                (str(t["id"]), dict(t.get("name") or {}))
                for t in data.get("targets") or []
                if isinstance(t, dict) and t.get("id")
            ]
            title = data.get("title")
            books.append(
                CodebookInfo(
                    row.id,
                    dict(title) if isinstance(title, dict) else {"en": row.title or row.id},
                    [str(lang) for lang in data.get("languages") or []],
                    targets,
                )
            )
        return books

    def coders(self) -> list[str]:
        """Everyone who has codings in the project, sorted."""
        with Session(self.engine) as session:
            return sorted(session.execute(select(col(CodingRow.coder)).distinct()).scalars())

    def _search_index(self, active: list[CodeInfo]) -> tuple[dict[int, str], list[CodeInfo]]:
        """Every searchable key (id, names, terms) and its code; built once per service,
        since the code picker searches on every keystroke."""
        if self._index is None:
            choices: dict[int, str] = {}
            owners: list[CodeInfo] = []
            for code in active:
                terms = (t for ts in code.terms.values() for t in ts)
                for key in (code.id, *code.names.values(), *terms):
                    choices[len(owners)] = key.lower().replace("*", "")
                    owners.append(code)
            self._index = (choices, owners)
        return self._index

    def accepted_counts(self) -> dict[str, int]:
        with Session(self.engine) as session:
            rows = session.execute(
                select(CodingRow.code_id).where(CodingRow.status == Status.ACCEPTED.value)
            ).scalars()
            counts: dict[str, int] = {}
            for code in rows:
                counts[code] = counts.get(code, 0) + 1
        return counts

    # -- documents ---------------------------------------------------------------------

    def documents_overview(self) -> list[DocumentOverview]:
        """Every document in name order, counted in SQL (no turn text is read).

        The same counts as `Project.documents()` but for the words, which need every turn's
        text in Python: on 100,000 turns this takes a tenth of the time.
        """
        participant = case((col(TurnRow.role) == Role.PARTICIPANT.value, 1), else_=0)
        with Session(self.engine) as session:
            documents = session.execute(
                select(
                    col(DocumentRow.id), col(DocumentRow.name), col(DocumentRow.language)
                ).order_by(col(DocumentRow.name))
            ).all()
            counts = {
                document_id: (turns, speakers, participants or 0)
                for document_id, turns, speakers, participants in session.execute(
                    select(
                        col(TurnRow.document_id),
                        func.count(),
                        func.count(func.distinct(col(TurnRow.speaker))),
                        func.sum(participant),
                    ).group_by(col(TurnRow.document_id))
                )
            }
            coded: dict[int, int] = dict(
                session.execute(
                    select(
                        col(CodingRow.document_id),
                        func.count(func.distinct(col(CodingRow.turn_id))),
                    )
                    .join(TurnRow, col(TurnRow.id) == col(CodingRow.turn_id))
                    .where(
                        col(CodingRow.status) == Status.ACCEPTED.value,
                        col(TurnRow.role) == Role.PARTICIPANT.value,
                    )
                    .group_by(col(CodingRow.document_id))
                ).all()
            )
            attributes: dict[int, dict[str, str]] = {}
            for document_id, key, value in session.execute(
                select(
                    col(DocumentAttributeRow.document_id),
                    col(DocumentAttributeRow.key),
                    col(DocumentAttributeRow.value),
                )
            ):
                attributes.setdefault(document_id, {})[key] = value
        overview = []
        for document_id, name, language in documents:
            turns, speakers, participants = counts.get(document_id, (0, 0, 0))
            overview.append(
                DocumentOverview(
                    name,
                    language,
                    turns,
                    speakers,
                    dict(sorted(attributes.get(document_id, {}).items())),
                    coded.get(document_id, 0) / participants if participants else 0.0,
                )
            )
        return overview

    def open_document(self, name: str, coders: str | None = None) -> DocumentInfo:
        """A document's turns with their codings (this coder's, or everyone's with "all")."""
        with Session(self.engine) as session:
            document = session.execute(
                select(DocumentRow).where(DocumentRow.name == name)
            ).scalar_one_or_none()
            if document is None or document.id is None:
                raise QualcodeError(f"no document named {name!r}")
            turns = (
                session.execute(
                    select(TurnRow)
                    .where(TurnRow.document_id == document.id)
                    .order_by(TurnRow.number)
                )
                .scalars()
                .all()
            )
            by_turn = {
                t.id: TurnInfo(
                    t.id or 0, t.number, t.speaker, t.role, t.text, t.start, t.end, t.start_time
                )
                for t in turns
            }
            query = select(CodingRow).where(CodingRow.document_id == document.id)
            if coders != "all":
                query = query.where(CodingRow.coder == (coders or self.coder))
            for coding in session.execute(query).scalars():
                if coding.turn_id in by_turn:
                    by_turn[coding.turn_id].codings.append(_coding_info(coding))
            memos = session.execute(
                select(MemoRow).where(
                    MemoRow.document_id == document.id, MemoRow.coder == self.coder
                )
            ).scalars()
            for memo in memos:
                if memo.turn_id in by_turn:
                    by_turn[memo.turn_id].memo = memo.text
            return DocumentInfo(
                document.id, document.name, document.language, list(by_turn.values())
            )

    def read_document(self, name: str, coders: str | None = None) -> DocumentInfo:
        """What `open_document` returns, read as plain columns rather than ORM objects.

        Several times faster on long documents, and lighter on the interpreter while the
        workbench draws its screen on another thread (a 2,000-turn document must open in
        well under half a second).
        """
        with Session(self.engine) as session:
            document = session.execute(
                select(col(DocumentRow.id), col(DocumentRow.name), col(DocumentRow.language)).where(
                    col(DocumentRow.name) == name
                )
            ).one_or_none()
            if document is None:
                raise QualcodeError(f"no document named {name!r}")
            document_id, document_name, language = document
            by_turn = {
                row[0]: TurnInfo(*row)
                for row in session.execute(
                    select(
                        col(TurnRow.id),
                        col(TurnRow.number),
                        col(TurnRow.speaker),
                        col(TurnRow.role),
                        col(TurnRow.text),
                        col(TurnRow.start),
                        col(TurnRow.end),
                        col(TurnRow.start_time),
                    )
                    .where(col(TurnRow.document_id) == document_id)
                    .order_by(col(TurnRow.number))
                )
            }
            query = select(
                col(CodingRow.turn_id),
                col(CodingRow.id),
                col(CodingRow.code_id),
                col(CodingRow.status),
                col(CodingRow.coder),
                col(CodingRow.confidence),
                col(CodingRow.source),
                col(CodingRow.explanation),
                col(CodingRow.start),
                col(CodingRow.end),
            ).where(col(CodingRow.document_id) == document_id)
            if coders != "all":
                query = query.where(col(CodingRow.coder) == (coders or self.coder))
            for turn_id, *values in session.execute(query.order_by(col(CodingRow.id))):
                if turn_id in by_turn:
                    by_turn[turn_id].codings.append(CodingInfo(*values))
            memos = session.execute(
                select(col(MemoRow.turn_id), col(MemoRow.text)).where(
                    col(MemoRow.document_id) == document_id, col(MemoRow.coder) == self.coder
                )
            )
            for turn_id, text in memos:
                if turn_id in by_turn:
                    by_turn[turn_id].memo = text
        return DocumentInfo(document_id, document_name, language, list(by_turn.values()))

    def refresh_turn(self, turn: TurnInfo, coders: str | None = None) -> TurnInfo:
        """The turn's codings as stored now."""
        with Session(self.engine) as session:
            query = select(CodingRow).where(CodingRow.turn_id == turn.id)
            if coders != "all":
                query = query.where(CodingRow.coder == (coders or self.coder))
            turn.codings = [_coding_info(c) for c in session.execute(query).scalars()]
        return turn

    # -- actions -----------------------------------------------------------------------

    def set_status(self, coding_id: int, status: Status) -> Undo:
        """Accept or reject a coding (a suggestion, or another coder's coding as one's own)."""
        with Session(self.engine) as session, session.begin():
            coding = session.get(CodingRow, coding_id)
            if coding is None:
                raise QualcodeError("that coding no longer exists")
            before = _row_values(coding)
            if coding.coder == self.coder:
                coding.status = status.value
                coding.updated_at = utcnow()
                return Undo(f"{status.value} {coding.code_id}", [(coding_id, before)])
            created = self._upsert(
                session, {**before, "coder": self.coder, "status": status.value, "source": "manual"}
            )
            return created

    def add(
        self, turn: TurnInfo, document_id: int, code: str, status: Status = Status.ACCEPTED
    ) -> Undo:
        """Code a whole turn by hand."""
        if code not in self.codes():
            raise QualcodeError(f"unknown code {code!r}")
        with Session(self.engine) as session, session.begin():
            return self._upsert(
                session,
                {
                    "document_id": document_id,
                    "turn_id": turn.id,
                    "segment_id": None,
                    "start": turn.start,
                    "end": turn.end,
                    "code_id": code,
                    "coder": self.coder,
                    "status": status.value,
                    "confidence": None,
                    "source": "manual",
                    "explanation": "",
                    "memo": "",
                    "anchor": "ok",
                    "quote": "",
                },
            )

    def accept_above(self, turn: TurnInfo, threshold: float) -> Undo:
        """Accept every open suggestion of this coder on the turn at or above `threshold`."""
        chosen = [
            c for c in turn.open_suggestions(self.coder) if (c.confidence or 0.0) >= threshold
        ]
        befores = []
        with Session(self.engine) as session, session.begin():
            for info in chosen:
                coding = session.get(CodingRow, info.id)
                if coding is not None:
                    befores.append((info.id, _row_values(coding)))
                    coding.status = Status.ACCEPTED.value
                    coding.updated_at = utcnow()
        return Undo(f"accepted {len(befores)} suggestions", befores)

    def set_memo(self, document_id: int, turn: TurnInfo, text: str) -> Undo:
        with Session(self.engine) as session, session.begin():
            memo = session.execute(
                select(MemoRow).where(MemoRow.turn_id == turn.id, MemoRow.coder == self.coder)
            ).scalar_one_or_none()
            previous = memo.text if memo else ""
            if memo is None:
                session.add(
                    MemoRow(document_id=document_id, turn_id=turn.id, coder=self.coder, text=text)
                )
            else:
                memo.text = text
                memo.updated_at = utcnow()
        turn.memo = text
        return Undo("memo", [], memo=(document_id, turn.id, previous))

    def undo(self, record: Undo) -> None:
        """Put back what an action changed."""
        with Session(self.engine) as session, session.begin():
            for coding_id in record.created:
                session.execute(delete(CodingRow).where(CodingRow.id == coding_id))
            for coding_id, values in record.before:
                if values is None or coding_id is None:
                    continue
                existing = session.get(CodingRow, coding_id)
                if existing is None:
                    session.add(CodingRow(id=coding_id, **values))
                else:
                    session.execute(
                        update(CodingRow)
                        .where(CodingRow.id == coding_id)
                        .values(**values, updated_at=utcnow())
                    )
            if record.memo is not None:
                _document_id, turn_id, previous = record.memo
                memo = session.execute(
                    select(MemoRow).where(MemoRow.turn_id == turn_id, MemoRow.coder == self.coder)
                ).scalar_one_or_none()
                if memo is not None:
                    if previous:
                        memo.text = previous
                    else:
                        session.delete(memo)

    def _upsert(self, session: Session, values: dict[str, Any]) -> Undo:
        existing = codings_repo.find_coding(
            session,
            values["document_id"],
            values["start"],
            values["end"],
            values["code_id"],
            values["coder"],
        )
        if existing is not None:
            before = _row_values(existing)
            existing.status = values["status"]
            existing.updated_at = utcnow()
            return Undo(f"{values['status']} {values['code_id']}", [(existing.id, before)])
        row = CodingRow(**{k: values[k] for k in _CODING_FIELDS if k in values})
        session.add(row)
        session.flush()
        assert row.id is not None
        return Undo(f"{values['status']} {values['code_id']}", [], created=[row.id])


def _row_values(coding: CodingRow) -> dict[str, Any]:
    return {name: getattr(coding, name) for name in _CODING_FIELDS}


def _coding_info(coding: CodingRow) -> CodingInfo:
    assert coding.id is not None
    return CodingInfo(
        coding.id,
        coding.code_id,
        coding.status,
        coding.coder,
        coding.confidence,
        coding.source,
        coding.explanation,
        coding.start,
        coding.end,
    )


def _code_info(row: CodeRow) -> CodeInfo:
    data = row.data or {}
    return CodeInfo(
        id=row.id,
        name=row.name,
        polarity=row.polarity,
        target=row.target,
        colour=row.colour,
        names=dict(data.get("name") or {}),
        definition=dict(data.get("definition") or {}),
        include=dict(data.get("include") or {}),
        exclude=dict(data.get("exclude") or {}),
        examples={k: list(v) for k, v in (data.get("examples") or {}).items()},
        terms={k: list(v) for k, v in (data.get("terms") or {}).items()},
        codebook=row.codebook_id,
        retired=row.retired,
    )
