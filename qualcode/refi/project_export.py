"""`qualcode export qdpx`: the whole project as a REFI-QDA project (.qdpx).

The zip holds `project.qde` (namespace urn:QDA-XML:project:1.0, valid against Project.xsd),
one `sources/<guid>.txt` per document (its text, UTF-8, referenced as
`internal://<guid>.txt`) and `qualcode.json`: what REFI-QDA has no place for (code ids,
polarity, terms and every language of the codebooks, retired codes; each document's
language, format, interviewer labels and subtitle times), so that importing the file into
qualcode gives the project back. Other tools ignore the entry.

- Users: every coder with an exported coding or a memo.
- CodeBook: every codebook as `codebook export --format qdc` writes it (targets as
  non-codable codes, codes nested under them, same GUIDs), merged; retired codes only
  when they carry exported codings. Themes become Sets.
- Sources: each document's accepted codings (hand-added ones are accepted too) as
  PlainTextSelections, one per span and coder, positions in characters of the text.
  Suggestions and rejections are not exported: in other tools every coding is a decision
  someone made, and a rejection has no REFI-QDA form. Codings whose text was lost in a
  re-import are left out too; the report counts what was left out.
- Variables and Cases: the documents' case attributes, one Case per document (named after
  it, with a SourceRef), as NVivo's case classifications read them; all values are Text.
- Notes: memos on documents, turns (a selection over the turn), codes and codings.

Output is deterministic: GUIDs are uuid5 of names (`common.guid_for`), everything is
sorted, dates are the codings' and memos' own `created_at` (to the second), and the zip
entries carry a fixed date, so two exports of the same project are byte-identical.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from qualcode import __version__
from qualcode.codebook.model import Code, Codebook, Target, to_data
from qualcode.codebook.qdc import PROJECT_NAMESPACE, code_guid, export_qdc
from qualcode.domain import Role, Status
from qualcode.output import atomic_file
from qualcode.refi.common import (
    PROJECT_ENTRY,
    SIDECAR_ENTRY,
    SIDECAR_FORMAT,
    SIDECAR_VERSION,
    SOURCES_FOLDER,
    format_datetime,
    guid_for,
    plural,
    xml_text,
)
from qualcode.storage.tables import (
    CodebookRow,
    CodeRow,
    CodingRow,
    DocumentAttributeRow,
    DocumentRow,
    MemoRow,
    TurnRow,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ORIGIN = f"qualcode {__version__}"
UNPLACED_TARGET = "_unplaced"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class _Document:
    id: int
    name: str
    text: str
    language: str
    language_source: str
    format: str
    attributes: dict[str, str] = field(default_factory=dict)
    interviewers: list[str] = field(default_factory=list)
    turns: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # id -> number, span
    times: list[tuple[int, int, int, float | None, float | None]] = field(default_factory=list)

    def turn_times(self) -> list[list[float | int | None]] | None:
        """[start, end, start_time, end_time] per turn when times came from subtitles."""
        if all(end_time is None for *_, end_time in self.times):
            return None
        return [list(item[1:]) for item in sorted(self.times)]

    @property
    def guid(self) -> str:
        return guid_for("source", self.name)


@dataclass(frozen=True)
class _Coding:
    document_id: int
    start: int
    end: int
    code_id: str
    coder: str
    created: datetime
    memo: str


@dataclass(frozen=True)
class _Memo:
    document_id: int | None
    turn_id: int | None
    code_id: str | None
    coder: str
    text: str
    created: datetime


@dataclass
class _Snapshot:
    """What the export reads from the database, in one session."""

    documents: list[_Document]
    codings: list[_Coding]
    left_out: dict[str, int]
    codebooks: list[CodebookRow]
    codes: list[CodeRow]
    memos: list[_Memo]


@dataclass
class _Selection:
    start: int
    end: int
    coder: str
    codings: list[_Coding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    created: list[datetime] = field(default_factory=list)


@dataclass
class _Notes:
    """Notes to write, keyed so each gets a stable GUID."""

    elements: list[ET.Element] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, key: str, name: str, coder: str, created: datetime, text: str) -> str:
        self.counts[key] += 1
        guid = guid_for("note", key, self.counts[key])
        note = ET.Element(
            "Note",
            {
                "guid": guid,
                "name": xml_text(name),
                "creatingUser": guid_for("user", coder),
                "creationDateTime": format_datetime(created),
            },
        )
        ET.SubElement(note, "PlainTextContent").text = xml_text(text)
        self.elements.append(note)
        return guid


def export_qdpx(engine: Engine, output: Path, lang: str = "en") -> list[str]:
    """Write the project to `output` (atomically); the report lines to print."""
    with Session(engine) as session:
        snapshot = _read(session)
    root, sidecar, stats = _build(snapshot, _project_name(engine), lang)
    ET.indent(root, space="  ")
    xml = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
    entries = [(PROJECT_ENTRY, (xml + "\n").encode("utf-8"))]
    for document in snapshot.documents:
        entries.append((f"{SOURCES_FOLDER}{document.guid}.txt", document.text.encode("utf-8")))
    sidecar_text = json.dumps(sidecar, ensure_ascii=False, indent=1) + "\n"
    entries.append((SIDECAR_ENTRY, sidecar_text.encode("utf-8")))
    _write_zip(output, entries)
    lines = [
        f"exported {plural(len(snapshot.documents), 'document')}, "
        f"{plural(stats['codings'], 'coding')} by {plural(stats['coders'], 'coder')}, "
        f"{plural(stats['codes'], 'code')} to {output}"
    ]
    notes = []
    decided = [
        (snapshot.left_out.get(status, 0), status)
        for status in (Status.SUGGESTED.value, Status.REJECTED.value)
    ]
    if any(count for count, _ in decided):
        total = sum(count for count, _ in decided)
        notes.append(
            " and ".join(f"{count} {status}" for count, status in decided if count)
            + (" coding" if total == 1 else " codings")
            + " (only accepted codings are exported; other tools have no suggestions)"
        )
    if snapshot.left_out.get("lost"):
        notes.append(
            f"{plural(snapshot.left_out['lost'], 'coding')} whose text was lost in a re-import"
        )
    if stats["unplaceable"]:
        notes.append(
            f"{plural(stats['unplaceable'], 'coding')} that could not be placed (outside the "
            "document's text, or on a code missing from the codebook tree)"
        )
    if notes:
        lines.append("left out: " + "; ".join(notes))
    return lines


# -- reading ----------------------------------------------------------------------------


def _read(session: Session) -> _Snapshot:
    documents = {
        row.id: _Document(
            id=row.id,
            name=row.name,
            text=row.text,
            language=row.language,
            language_source=row.language_source,
            format=row.format,
        )
        for row in session.execute(select(DocumentRow).order_by(col(DocumentRow.name))).scalars()
        if row.id is not None
    }
    for attribute in session.execute(select(DocumentAttributeRow)).scalars():
        if attribute.document_id in documents:
            documents[attribute.document_id].attributes[attribute.key] = attribute.value
    interviewers: dict[int, set[str]] = defaultdict(set)
    for turn_id, document_id, number, start, end, role, speaker, begins, ends in session.execute(
        select(
            col(TurnRow.id),
            col(TurnRow.document_id),
            col(TurnRow.number),
            col(TurnRow.start),
            col(TurnRow.end),
            col(TurnRow.role),
            col(TurnRow.speaker),
            col(TurnRow.start_time),
            col(TurnRow.end_time),
        )
    ):
        if document_id in documents:
            documents[document_id].turns[turn_id] = (number, start, end)
            documents[document_id].times.append((number, start, end, begins, ends))
            if role == Role.INTERVIEWER.value and speaker:
                interviewers[document_id].add(speaker)
    for document_id, speakers in interviewers.items():
        documents[document_id].interviewers = sorted(speakers)
    codings: list[_Coding] = []
    left_out: dict[str, int] = defaultdict(int)
    for row in session.execute(select(CodingRow)).scalars():
        if row.status != Status.ACCEPTED.value:
            left_out[row.status] += 1
        elif row.anchor == "lost":
            left_out["lost"] += 1
        else:
            codings.append(
                _Coding(
                    row.document_id,
                    row.start,
                    row.end,
                    row.code_id,
                    row.coder,
                    row.created_at,
                    row.memo,
                )
            )
    memos = [
        _Memo(row.document_id, row.turn_id, row.code_id, row.coder, row.text, row.created_at)
        for row in session.execute(select(MemoRow)).scalars()
        if row.text.strip()
    ]
    codebooks = list(session.execute(select(CodebookRow).order_by(col(CodebookRow.id))).scalars())
    codes = list(
        session.execute(select(CodeRow).order_by(col(CodeRow.position), col(CodeRow.id))).scalars()
    )
    return _Snapshot(list(documents.values()), codings, left_out, codebooks, codes, memos)


def _project_name(engine: Engine) -> str:
    """The name in qualcode.toml beside an SQLite database, else its folder's name."""
    url = engine.url
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return database or "qualcode project"
    folder = Path(database).resolve().parent
    with contextlib.suppress(OSError, tomllib.TOMLDecodeError, AttributeError):
        data = tomllib.loads((folder / "qualcode.toml").read_text(encoding="utf-8"))
        name = data.get("project", {}).get("name")
        if isinstance(name, str) and name.strip():
            return name.strip()
    return folder.name or "qualcode project"


# -- building ---------------------------------------------------------------------------


def _build(
    snapshot: _Snapshot, project_name: str, lang: str
) -> tuple[ET.Element, dict[str, Any], dict[str, int]]:
    """project.qde's root element, qualcode.json's content, and counts for the report."""
    coded = {coding.code_id for coding in snapshot.codings}
    book_codes, sets, code_guids, codable, sidecar_books = _codebook(snapshot, coded, lang)
    documents = {document.id: document for document in snapshot.documents}
    notes = _Notes()
    by_document, project_memos = _attach_code_memos(snapshot, book_codes, code_guids, notes)
    codings_by_document: dict[int, list[_Coding]] = defaultdict(list)
    unplaceable = 0
    for coding in snapshot.codings:
        document = documents.get(coding.document_id)
        if (
            document is None
            or not 0 <= coding.start < coding.end <= len(document.text)
            or coding.code_id not in code_guids
        ):
            unplaceable += 1
        else:
            codings_by_document[coding.document_id].append(coding)
    sources = [
        _source(
            document, codings_by_document[document.id], by_document[document.id], code_guids, notes
        )
        for document in snapshot.documents
    ]
    project_refs = [
        notes.add(
            f"project:{memo.coder}", f"Memo by {memo.coder}", memo.coder, memo.created, memo.text
        )
        for memo in project_memos
    ]
    coders = {coding.coder for codings in codings_by_document.values() for coding in codings}

    root = ET.Element(
        "Project", {"xmlns": PROJECT_NAMESPACE, "name": xml_text(project_name), "origin": ORIGIN}
    )
    users = sorted(coders | {memo.coder for memo in snapshot.memos})
    if users:
        element = ET.SubElement(root, "Users")
        for user in users:
            ET.SubElement(element, "User", {"guid": guid_for("user", user), "name": xml_text(user)})
    if book_codes:
        ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes").extend(book_codes)
    _variables_and_cases(root, snapshot.documents)
    if sources:
        ET.SubElement(root, "Sources").extend(sources)
    if notes.elements:
        ET.SubElement(root, "Notes").extend(notes.elements)
    if sets:  # an empty <Sets/> is invalid
        ET.SubElement(root, "Sets").extend(sets)
    for guid in project_refs:
        ET.SubElement(root, "NoteRef", {"targetGUID": guid})
    sidecar = {
        "format": SIDECAR_FORMAT,
        "version": SIDECAR_VERSION,
        "codebooks": sidecar_books,
        "documents": {
            document.guid: {
                "name": document.name,
                "sha256": hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
                "language": document.language,
                "language_source": document.language_source,
                "format": document.format,
                "interviewers": document.interviewers,
                **({"turn_times": times} if (times := document.turn_times()) else {}),
            }
            for document in snapshot.documents
        },
    }
    stats = {
        "codings": sum(len(c) for c in codings_by_document.values()),
        "coders": len(coders),
        "codes": codable,
        "unplaceable": unplaceable,
    }
    return root, sidecar, stats


def _attach_code_memos(
    snapshot: _Snapshot, book_codes: list[ET.Element], code_guids: dict[str, str], notes: _Notes
) -> tuple[dict[int, list[_Memo]], list[_Memo]]:
    """Code memos become NoteRefs in their Code; document and turn memos are returned by
    document for `_source`, and the rest (on nothing exported) for the project itself."""
    codes_by_guid = {
        element.get("guid"): element for top in book_codes for element in top.iter("Code")
    }
    by_document: dict[int, list[_Memo]] = defaultdict(list)
    project_memos: list[_Memo] = []
    known = {document.id for document in snapshot.documents}
    for memo in sorted(snapshot.memos, key=_memo_order(snapshot)):
        if memo.document_id is not None and memo.document_id in known:
            by_document[memo.document_id].append(memo)
        elif memo.code_id is not None and code_guids.get(memo.code_id) in codes_by_guid:
            element = codes_by_guid[code_guids[memo.code_id]]
            guid = notes.add(
                f"code:{memo.code_id}:{memo.coder}",
                f"Memo by {memo.coder} on code {memo.code_id}",
                memo.coder,
                memo.created,
                memo.text,
            )
            position = 1 if element.find("Description") is not None else 0
            while position < len(element) and element[position].tag == "NoteRef":
                position += 1
            element.insert(position, ET.Element("NoteRef", {"targetGUID": guid}))
        else:
            project_memos.append(memo)
    return by_document, project_memos


def _variables_and_cases(root: ET.Element, documents: list[_Document]) -> None:
    """Each attribute key a Text Variable; each document with attributes a Case."""
    keys = sorted({key for document in documents for key in document.attributes})
    if not keys:
        return
    variables = ET.SubElement(root, "Variables")
    for key in keys:
        ET.SubElement(
            variables,
            "Variable",
            {"guid": guid_for("variable", key), "name": xml_text(key), "typeOfVariable": "Text"},
        )
    cases = ET.SubElement(root, "Cases")
    for document in documents:
        if document.attributes:
            cases.append(_case(document))


def _memo_order(snapshot: _Snapshot) -> Any:
    names = {document.id: document.name for document in snapshot.documents}
    numbers = {
        turn_id: span[0]
        for document in snapshot.documents
        for turn_id, span in document.turns.items()
    }

    def key(memo: _Memo) -> tuple[str, int, str, str, str, str]:
        return (
            names.get(memo.document_id, "") if memo.document_id is not None else "",
            numbers.get(memo.turn_id, 0) if memo.turn_id is not None else 0,
            memo.code_id or "",
            memo.coder,
            format_datetime(memo.created),
            memo.text,
        )

    return key


def _source(
    document: _Document,
    codings: list[_Coding],
    memos: list[_Memo],
    code_guids: dict[str, str],
    notes: _Notes,
) -> ET.Element:
    """A TextSource with one PlainTextSelection per span and coder."""
    selections: dict[tuple[int, int, str], _Selection] = {}
    for coding in codings:
        key = (coding.start, coding.end, coding.coder)
        selection = selections.setdefault(key, _Selection(*key))
        selection.codings.append(coding)
        selection.created.append(coding.created)
    document_notes = []
    for memo in memos:
        turn = document.turns.get(memo.turn_id) if memo.turn_id is not None else None
        if turn is not None and turn[2] > turn[1]:
            number, start, end = turn
            key = (start, end, memo.coder)
            selection = selections.setdefault(key, _Selection(*key))
            selection.notes.append(
                notes.add(
                    f"turn:{document.name}:{number}:{memo.coder}",
                    f"Memo by {memo.coder} on {document.name}, turn {number}",
                    memo.coder,
                    memo.created,
                    memo.text,
                )
            )
            selection.created.append(memo.created)
        else:
            document_notes.append(
                notes.add(
                    f"document:{document.name}:{memo.coder}",
                    f"Memo by {memo.coder} on {document.name}",
                    memo.coder,
                    memo.created,
                    memo.text,
                )
            )
    element = ET.Element(
        "TextSource",
        {
            "guid": document.guid,
            "name": xml_text(document.name),
            "plainTextPath": f"internal://{document.guid}.txt",
        },
    )
    for key in sorted(selections):
        selection = selections[key]
        start, end, coder = key
        user = guid_for("user", coder)
        child = ET.SubElement(
            element,
            "PlainTextSelection",
            {
                "guid": guid_for("selection", document.name, start, end, coder),
                "startPosition": str(start),
                "endPosition": str(end),
                "creatingUser": user,
                "creationDateTime": min(format_datetime(d) for d in selection.created),
            },
        )
        for coding in sorted(selection.codings, key=lambda c: c.code_id):
            tag = ET.SubElement(
                child,
                "Coding",
                {
                    "guid": guid_for("coding", document.name, start, end, coding.code_id, coder),
                    "creatingUser": user,
                    "creationDateTime": format_datetime(coding.created),
                },
            )
            ET.SubElement(tag, "CodeRef", {"targetGUID": code_guids[coding.code_id]})
            if coding.memo.strip():
                guid = notes.add(
                    f"coding:{document.name}:{start}:{end}:{coding.code_id}:{coder}",
                    f"Memo by {coder} on coding {coding.code_id} in {document.name}",
                    coder,
                    coding.created,
                    coding.memo,
                )
                ET.SubElement(tag, "NoteRef", {"targetGUID": guid})
        for guid in selection.notes:
            ET.SubElement(child, "NoteRef", {"targetGUID": guid})
    for guid in document_notes:
        ET.SubElement(element, "NoteRef", {"targetGUID": guid})
    return element


def _case(document: _Document) -> ET.Element:
    """One Case per document with attributes: its values and a SourceRef to it."""
    case = ET.Element(
        "Case", {"guid": guid_for("case", document.name), "name": xml_text(document.name)}
    )
    for key in sorted(document.attributes):
        value = ET.SubElement(case, "VariableValue")
        ET.SubElement(value, "VariableRef", {"targetGUID": guid_for("variable", key)})
        ET.SubElement(value, "TextValue").text = xml_text(document.attributes[key])
    ET.SubElement(case, "SourceRef", {"targetGUID": document.guid})
    return case


# -- the codebook -----------------------------------------------------------------------


def _codebook(
    snapshot: _Snapshot, coded: set[str], lang: str
) -> tuple[list[ET.Element], list[ET.Element], dict[str, str], int, list[dict[str, Any]]]:
    """Code elements, Set elements, code id -> GUID, codable codes, qualcode.json's part."""
    rows_by_id = {row.id: row for row in snapshot.codes}
    by_book: dict[str | None, list[CodeRow]] = defaultdict(list)
    for code_row in snapshot.codes:
        by_book[code_row.codebook_id].append(code_row)
    top: list[ET.Element] = []
    sets: list[ET.Element] = []
    guids: dict[str, str] = {}
    codable = 0
    sidecar: list[dict[str, Any]] = []
    books: list[tuple[Codebook, list[Code]]] = []
    for row in snapshot.codebooks:
        book = _book_of(row)
        rows = by_book.pop(row.id, [])
        active = [_code_of(r) for r in rows if not r.retired]
        retired = [r for r in rows if r.retired and r.id in coded]
        sidecar.append(
            {
                "codebook": to_data(book.model_copy(update={"codes": active})),
                "retired": [{"id": r.id, "position": r.position, "data": r.data} for r in retired],
            }
        )
        books.append((book, active + [_code_of(r) for r in retired]))
    loose = [
        _code_of(row)
        for rows in by_book.values()
        for row in rows
        if not row.retired or row.id in coded
    ]
    if loose:
        book = Codebook.model_construct(
            codebook="", version=1, title={"en": "Codes without a codebook"}, languages=["en"]
        )
        books.append((book, loose))
    for book, codes in books:
        elements, book_sets, book_guids, count = _qdc_parts(_placed(book, codes, rows_by_id), lang)
        top.extend(elements)
        sets.extend(book_sets)
        guids.update(book_guids)
        codable += count
    return top, sets, guids, codable, sidecar


def _book_of(row: CodebookRow) -> Codebook:
    try:
        return Codebook.model_validate(row.data)
    except ValidationError:
        return Codebook.model_construct(
            codebook=row.id, version=1, title={"en": row.title or row.id}, languages=["en"]
        )


def _code_of(row: CodeRow) -> Code:
    data = row.data or {}
    try:
        return Code.model_validate({**data, "id": row.id})
    except ValidationError:
        return Code.model_construct(
            id=row.id,
            target=row.target if row.parent is None else None,
            parent=row.parent,
            polarity=row.polarity,
            name={"en": row.name or row.id},
        )


def _placed(book: Codebook, codes: list[Code], rows_by_id: dict[str, CodeRow]) -> Codebook:
    """The book with these codes, each one reachable from a target.

    A code whose parent is not exported goes under its parent's target; one whose target
    is not in its codebook goes under a non-codable code for such codes.
    """
    ids = {code.id for code in codes}
    targets = list(book.targets)
    target_ids = {target.id for target in targets}
    placed = []
    for code in codes:
        if code.parent is not None and code.parent not in ids:
            root = _root_target(code.parent, rows_by_id)
            target = root if root in target_ids else UNPLACED_TARGET
            code = code.model_copy(update={"parent": None, "target": target})
        elif code.parent is None and code.target not in target_ids:
            code = code.model_copy(update={"target": UNPLACED_TARGET})
        placed.append(code)
    if any(code.target == UNPLACED_TARGET for code in placed):
        targets.append(
            Target.model_construct(
                id=UNPLACED_TARGET, name={"en": "Codes outside the codebook's targets"}
            )
        )
    return book.model_copy(update={"codes": placed, "targets": targets})


def _root_target(code_id: str | None, rows_by_id: dict[str, CodeRow]) -> str | None:
    seen: set[str] = set()
    while code_id is not None and code_id not in seen:
        seen.add(code_id)
        row = rows_by_id.get(code_id)
        if row is None:
            return None
        if row.parent is None:
            return row.target
        code_id = row.parent
    return None


def _qdc_parts(
    book: Codebook, lang: str
) -> tuple[list[ET.Element], list[ET.Element], dict[str, str], int]:
    """The codebook as `export_qdc` writes it, moved into the project's elements."""
    parsed = SafeET.fromstring(export_qdc(book, lang))
    for element in parsed.iter():
        element.tag = element.tag.rpartition("}")[2]
    codes = parsed.find("Codes")
    top = list(codes) if codes is not None else []
    emitted = {element.get("guid") for code in top for element in code.iter("Code")}
    guids = {code.id: code_guid(code) for code in book.codes}
    count = sum(
        1 for code in top for element in code.iter("Code") if element.get("isCodable") == "true"
    )
    sets = []
    found = parsed.find("Sets")
    for element in found if found is not None else []:
        for member in element.findall("MemberCode"):
            member.attrib = {"targetGUID": member.get("guid", "")}
        sets.append(element)
    return top, sets, {k: v for k, v in guids.items() if v in emitted}, count


def _write_zip(output: Path, entries: Iterable[tuple[str, bytes]]) -> None:
    """Write the zip beside `output`, then rename it into place; fixed dates and modes."""
    with atomic_file(output) as handle, zipfile.ZipFile(handle, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
