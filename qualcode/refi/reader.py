"""Reading `project.qde` into plain objects: users, sources, selections, codings, notes, cases.

Only reads; deciding what becomes of each part is `project_import`'s job. The XML is
parsed by `qdc_import.parse_xml` (defusedxml, DTDs and entities refused). Elements are
matched by local name in the project namespace (or none), so files from tools that get
the namespace slightly wrong still read. Integers that are not integers make a selection
unusable rather than failing the import.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime

from qualcode.codebook.qdc import PROJECT_NAMESPACE
from qualcode.codebook.qdc_import import parse_xml
from qualcode.errors import ImportFailed
from qualcode.refi.common import normalise_guid, parse_datetime

_NAMESPACES = {PROJECT_NAMESPACE, ""}
MAX_CODE_DEPTH = 200
OTHER_SOURCE_KINDS = {
    "PDFSource": "PDF",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}


@dataclass
class Coding:
    """A code applied to a selection."""

    guid: str
    code_guid: str
    user: str
    created: datetime | None
    notes: list[str] = field(default_factory=list)


@dataclass
class Selection:
    """A PlainTextSelection: a span of a text source, its codings and notes."""

    guid: str
    start: int | None
    end: int | None
    user: str
    created: datetime | None
    codings: list[Coding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class TextSource:
    """A TextSource: where its plain text is, and what is attached to it."""

    guid: str
    name: str
    plain_text_path: str | None
    inline_text: str | None
    rich_text_path: str | None = None
    selections: list[Selection] = field(default_factory=list)
    whole_codings: list[Coding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)  # (variable guid, value)


@dataclass
class OtherSource:
    """A PDF, picture, audio or video source: listed, not imported."""

    kind: str
    name: str
    codings: int


@dataclass
class Note:
    """A Note (memo): its text and author."""

    guid: str
    name: str
    text: str
    user: str
    created: datetime | None


@dataclass
class Case:
    """A Case: its variable values and the sources it covers."""

    guid: str
    name: str
    values: list[tuple[str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    selections: int = 0


@dataclass
class ProjectFile:
    """Everything project_import uses from `project.qde`."""

    name: str
    origin: str
    users: dict[str, str] = field(default_factory=dict)  # guid -> name
    has_codebook: bool = False
    code_notes: dict[str, list[str]] = field(default_factory=dict)  # code guid -> note guids
    variables: dict[str, str] = field(default_factory=dict)  # guid -> name
    cases: list[Case] = field(default_factory=list)
    text_sources: list[TextSource] = field(default_factory=list)
    other_sources: list[OtherSource] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    project_notes: list[str] = field(default_factory=list)
    source_sets: int = 0
    graphs: int = 0
    links: int = 0


def read_project(data: bytes, name: str) -> ProjectFile:
    """Parse `project.qde`; one-line errors for refused or malformed XML."""
    root = parse_xml(data, name)
    if _local(root.tag) != "Project" or _namespace(root.tag) not in _NAMESPACES:
        raise ImportFailed(f"not a REFI-QDA project (root element {_local(root.tag)})", path=name)
    project = ProjectFile(name=(root.get("name") or "").strip(), origin=root.get("origin") or "")
    users = _child(root, "Users")
    for user in _children(users, "User"):
        guid = normalise_guid(user.get("guid"))
        label = (user.get("name") or user.get("id") or "").strip()
        if guid:
            project.users[guid] = label or guid
    book = _child(root, "CodeBook")
    codes = _child(book, "Codes")
    if codes is not None and _children(codes, "Code"):
        project.has_codebook = True
        if _depth(codes) > MAX_CODE_DEPTH:
            raise ImportFailed(
                f"refused: codes nested more than {MAX_CODE_DEPTH} deep in the codebook", path=name
            )
        for code in codes.iter():
            if isinstance(code.tag, str) and _local(code.tag) == "Code":
                refs = _note_refs(code)
                if refs:
                    project.code_notes.setdefault(normalise_guid(code.get("guid")), []).extend(refs)
    for variable in _children(_child(root, "Variables"), "Variable"):
        project.variables[normalise_guid(variable.get("guid"))] = (
            variable.get("name") or ""
        ).strip()
    for case in _children(_child(root, "Cases"), "Case"):
        project.cases.append(
            Case(
                guid=normalise_guid(case.get("guid")),
                name=(case.get("name") or "").strip(),
                values=_values(case),
                sources=[
                    normalise_guid(ref.get("targetGUID")) for ref in _children(case, "SourceRef")
                ],
                selections=len(_children(case, "SelectionRef")),
            )
        )
    sources = _child(root, "Sources")
    for source in sources if sources is not None else []:
        if not isinstance(source.tag, str) or _namespace(source.tag) not in _NAMESPACES:
            continue
        kind = _local(source.tag)
        if kind == "TextSource":
            project.text_sources.append(_text_source(source))
        elif kind in OTHER_SOURCE_KINDS:
            project.other_sources.append(
                OtherSource(
                    OTHER_SOURCE_KINDS[kind],
                    _source_name(source, source.get("path") or source.get("currentPath")),
                    sum(1 for e in source.iter() if _is(e, "Coding")),
                )
            )
    for note in _children(_child(root, "Notes"), "Note"):
        guid = normalise_guid(note.get("guid"))
        content = _child(note, "PlainTextContent")
        project.notes[guid] = Note(
            guid=guid,
            name=(note.get("name") or "").strip(),
            text=(content.text or "") if content is not None else "",
            user=normalise_guid(note.get("creatingUser")),
            created=parse_datetime(note.get("creationDateTime")),
        )
    project.project_notes = _note_refs(root)
    for one_set in _children(_child(root, "Sets"), "Set"):
        if _children(one_set, "MemberSource") or _children(one_set, "MemberNote"):
            project.source_sets += 1
    project.graphs = len(_children(_child(root, "Graphs"), "Graph"))
    project.links = len(_children(_child(root, "Links"), "Link"))
    return project


def _text_source(element: ET.Element) -> TextSource:
    content = _child(element, "PlainTextContent")
    path = (element.get("plainTextPath") or "").strip() or None
    source = TextSource(
        guid=normalise_guid(element.get("guid")),
        name=_source_name(element, path),
        plain_text_path=path,
        rich_text_path=(element.get("richTextPath") or "").strip() or None,
        inline_text=(content.text or "") if content is not None else None,
        notes=_note_refs(element),
        values=_values(element),
    )
    for selection in _children(element, "PlainTextSelection"):
        user = normalise_guid(selection.get("creatingUser"))
        created = parse_datetime(selection.get("creationDateTime"))
        source.selections.append(
            Selection(
                guid=normalise_guid(selection.get("guid")),
                start=_integer(selection.get("startPosition")),
                end=_integer(selection.get("endPosition")),
                user=user,
                created=created,
                codings=[_coding(c, user, created) for c in _children(selection, "Coding")],
                notes=_note_refs(selection),
            )
        )
    source.whole_codings = [_coding(c, "", None) for c in _children(element, "Coding")]
    return source


def _coding(element: ET.Element, user: str, created: datetime | None) -> Coding:
    ref = _child(element, "CodeRef")
    return Coding(
        guid=normalise_guid(element.get("guid")),
        code_guid=normalise_guid(ref.get("targetGUID") if ref is not None else None),
        user=normalise_guid(element.get("creatingUser")) or user,
        created=parse_datetime(element.get("creationDateTime")) or created,
        notes=_note_refs(element),
    )


def _source_name(element: ET.Element, path: str | None) -> str:
    name = (element.get("name") or "").strip()
    if name:
        return name
    if path:
        return path.replace("\\", "/").rstrip("/").rpartition("/")[2].removeprefix("internal:")
    return normalise_guid(element.get("guid")) or "(unnamed source)"


def _values(element: ET.Element) -> list[tuple[str, str]]:
    values = []
    for value in _children(element, "VariableValue"):
        ref = _child(value, "VariableRef")
        if ref is None:
            continue
        for child in value:
            if isinstance(child.tag, str) and _local(child.tag).endswith("Value"):
                values.append((normalise_guid(ref.get("targetGUID")), (child.text or "").strip()))
                break
    return values


def _depth(element: ET.Element) -> int:
    """How deep Code elements nest under `element` (without recursion)."""
    deepest = 0
    stack = [(child, 1) for child in _children(element, "Code")]
    while stack:
        code, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in _children(code, "Code"))
    return deepest


def _note_refs(element: ET.Element) -> list[str]:
    return [normalise_guid(ref.get("targetGUID")) for ref in _children(element, "NoteRef")]


def _integer(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def _is(element: ET.Element, name: str) -> bool:
    return (
        isinstance(element.tag, str)
        and _local(element.tag) == name
        and _namespace(element.tag) in _NAMESPACES
    )


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    if element is None:
        return []
    return [child for child in element if _is(child, name)]


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    found = _children(element, name)
    return found[0] if found else None
