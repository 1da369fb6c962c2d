"""REFI-QDA codebook import: a `.qdc`, or the codebook inside a `.qdpx` project, as a codebook.

Accepts what NVivo, ATLAS.ti, QualCoder, qc and qualcode itself write. XML is parsed with
defusedxml with DTDs refused (no entity bombs, no external entities); a `.qdpx` is checked
as a zip before anything in it is read. A non-codable top-level code becomes a target and
its codes are placed under it; codable top-level codes go under one target named after the
tool that wrote the file; nested codes get `parent`. Ids are made from names (ASCII slugs,
a parent's id before a child's, `_2`, `_3` for repeats), so importing the same file again
gives the same ids. GUIDs are kept, so exporting the result gives the same GUIDs back.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from qualcode.codebook.model import GUID_PATTERN, Codebook
from qualcode.codebook.qdc import EXCLUDE_LABEL, INCLUDE_LABEL, NAMESPACE, PROJECT_NAMESPACE
from qualcode.errors import CodebookError, QualcodeError

MAX_XML_BYTES = 64 * 1024 * 1024
_GUID = re.compile(GUID_PATTERN)
_COLOUR = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ß": "ss"})
_NAMESPACES = {NAMESPACE, PROJECT_NAMESPACE, ""}


@dataclass
class Imported:
    """The imported codebook and notes on what did not carry over."""

    codebook: Codebook
    origin: str
    notes: list[str] = field(default_factory=list)


def import_codebook(path: Path, lang: str = "en", codebook_id: str | None = None) -> Imported:
    """Read a `.qdc` or `.qdpx` file into a codebook whose names are in `en` and `lang`."""
    root = parse_xml(read_xml(path), str(path))
    name = _local(root.tag)
    book: ET.Element | None
    if name == "CodeBook":
        book, sets, project_name = root, _child(root, "Sets"), None
    elif name == "Project":
        book, sets, project_name = _child(root, "CodeBook"), _child(root, "Sets"), root.get("name")
    else:
        raise CodebookError(
            f"not a REFI-QDA codebook or project (root element {name})", path=str(path)
        )
    codes = _child(book, "Codes") if book is not None else None
    if codes is None:
        raise CodebookError("the file holds no codebook (no <CodeBook><Codes>)", path=str(path))
    builder = _Builder(lang, origin=root.get("origin") or "")
    for element in _children(codes, "Code"):
        builder.top_level(element)
    if sets is not None:
        for element in _children(sets, "Set"):
            builder.theme(element)
    title = (project_name or path.stem).strip() or "Imported codebook"
    data = {
        "codebook": codebook_id or _slug(path.stem, "imported").replace("_", "-").strip("-"),
        "version": 1,
        "title": builder.texts(title),
        "languages": [lang],
        "targets": builder.targets,
        "themes": builder.themes,
        "codes": builder.codes,
    }
    try:
        codebook = Codebook.model_validate(data)
    except ValueError as exc:
        raise CodebookError(f"cannot make a codebook of it: {exc}", path=str(path)) from None
    return Imported(codebook, builder.origin, builder.notes())


def read_xml(path: Path) -> bytes:
    """The XML of a `.qdc` file, or of `project.qde` in a `.qdpx` zip, size-checked."""
    try:
        if path.stat().st_size > MAX_XML_BYTES:
            raise CodebookError("too large (over 64 MB)", path=str(path))
        is_zip = zipfile.is_zipfile(path)
    except FileNotFoundError:
        raise CodebookError("no such file", path=str(path)) from None
    except OSError as exc:
        raise CodebookError(f"cannot read: {exc.strerror}", path=str(path)) from None
    if not is_zip:
        return path.read_bytes()
    from qualcode.ingest.zipcheck import open_checked_zip

    try:
        archive = open_checked_zip(path, "REFI-QDA project (.qdpx)", "project.qde")
    except QualcodeError as exc:
        raise CodebookError(str(exc).removeprefix(f"{path}: "), path=str(path)) from None
    with archive:
        info = archive.getinfo("project.qde")
        if info.file_size > MAX_XML_BYTES:
            raise CodebookError("project.qde is too large (over 64 MB)", path=str(path))
        with archive.open(info) as member:
            data = member.read(MAX_XML_BYTES + 1)
        if len(data) > MAX_XML_BYTES:
            raise CodebookError("project.qde is too large (over 64 MB)", path=str(path))
        return data


def parse_xml(data: bytes, name: str) -> ET.Element:
    """Parse XML refusing DTDs, entities and external references; one-line errors."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)  # type: ignore[no-any-return]
    except defusedxml.DTDForbidden:
        raise CodebookError(
            "refused: the XML declares a DTD (<!DOCTYPE>), which REFI-QDA files never need "
            "(entity expansion and external entities are not allowed)",
            path=name,
        ) from None
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        raise CodebookError("refused: the XML declares entities", path=name) from None
    except ET.ParseError as exc:
        line, col = exc.position
        raise CodebookError(f"{name}:{line}:{col + 1}: not well-formed XML") from None


class _Builder:
    """Turns the Code tree into targets and codes with unique ids."""

    def __init__(self, lang: str, origin: str) -> None:
        self.lang = lang
        self.origin = origin
        self.targets: list[dict[str, Any]] = []
        self.codes: list[dict[str, Any]] = []
        self.themes: list[dict[str, Any]] = []
        self.ids: set[str] = set()
        self.target_ids: set[str] = set()
        self.guids: dict[str, str] = {}  # normalised guid -> code id
        self.seen_guids: set[str] = set()
        self.default_target: str | None = None
        self.uncodable = 0
        self.dropped_colours = 0
        self.dropped_guids = 0

    def texts(self, text: str) -> dict[str, str]:
        return {"en": text, self.lang: text}

    def top_level(self, element: ET.Element) -> None:
        if _codable(element):
            self.code(element, ("target", self._default_target()), "")
            return
        target_id = _unique(_slug(element.get("name", ""), "target"), self.target_ids)
        target: dict[str, Any] = {"id": target_id, "name": self.texts(_name(element))}
        self._common(target, element)
        description = _description(element)
        if description:
            target["description"] = {self.lang: description}
        self.targets.append(target)
        for child in _children(element, "Code"):
            self.code(child, ("target", target_id), target_id + ".")

    def code(self, element: ET.Element, place: tuple[str, str], prefix: str) -> None:
        if not _codable(element):
            self.uncodable += 1
        code_id = _unique(prefix + _slug(element.get("name", ""), "code"), self.ids)
        code: dict[str, Any] = {"id": code_id, place[0]: place[1], "polarity": "neutral"}
        guid = self._common(code, element)
        if guid:
            self.guids[guid] = code_id
        code["name"] = self.texts(_name(element))
        definition, include, exclude = split_description(_description(element))
        for key, text in (("definition", definition), ("include", include), ("exclude", exclude)):
            if text:
                code[key] = {self.lang: text}
        self.codes.append(code)
        for child in _children(element, "Code"):
            self.code(child, ("parent", code_id), code_id + ".")

    def theme(self, element: ET.Element) -> None:
        members = []
        for member in _children(element, "MemberCode"):
            guid = (member.get("guid") or member.get("targetGUID") or "").strip("{}").lower()
            if guid in self.guids and self.guids[guid] not in members:
                members.append(self.guids[guid])
        if not members:
            return
        theme_id = _unique(_slug(element.get("name", ""), "theme"), {t["id"] for t in self.themes})
        theme: dict[str, Any] = {"id": theme_id, "name": self.texts(_name(element))}
        self._common(theme, element, colour=False)
        description = _description(element)
        if description:
            theme["description"] = {self.lang: description}
        theme["codes"] = members
        self.themes.append(theme)

    def _common(self, item: dict[str, Any], element: ET.Element, colour: bool = True) -> str | None:
        """Colour and guid, when usable; returns the normalised guid."""
        if colour and element.get("color"):
            value = _colour(element.get("color", ""))
            if value:
                item["colour"] = value
            else:
                self.dropped_colours += 1
        guid = (element.get("guid") or "").strip()
        key = guid.strip("{}").lower()
        if guid and _GUID.match(guid) and key not in self.seen_guids:
            self.seen_guids.add(key)
            item["guid"] = guid
            return key
        if guid:
            self.dropped_guids += 1
        return None

    def _default_target(self) -> str:
        if self.default_target is None:
            self.default_target = _unique("imported", self.target_ids)
            label = f"Codes from {self.origin}" if self.origin else "Imported codes"
            self.targets.insert(0, {"id": self.default_target, "name": self.texts(label)})
        return self.default_target

    def notes(self) -> list[str]:
        notes = []
        if self.uncodable:
            notes.append(
                f"{_count(self.uncodable, 'code was', 'codes were')} not codable in the source "
                "(qualcode codes always are)"
            )
        if self.dropped_colours:
            notes.append(f"{_count(self.dropped_colours, 'colour')} not #RRGGBB, left out")
        if self.dropped_guids:
            notes.append(
                f"{_count(self.dropped_guids, 'repeated or malformed GUID')} left out "
                "(export makes a new one)"
            )
        return notes


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def split_description(text: str) -> tuple[str, str, str]:
    """(definition, include, exclude) from a Description written by `description_of`."""
    parts = {"include": "", "exclude": ""}
    for key, label in (("exclude", EXCLUDE_LABEL), ("include", INCLUDE_LABEL)):
        if text.startswith(label):
            text, parts[key] = "", text[len(label) :]
            continue
        marker = "\n\n" + label
        index = text.rfind(marker)
        if index >= 0:
            text, parts[key] = text[:index], text[index + len(marker) :]
    return text, parts["include"], parts["exclude"]


def _slug(name: str, fallback: str) -> str:
    text = unicodedata.normalize("NFKC", name).lower().translate(_TRANSLITERATE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return text[:60].rstrip("_") or fallback


def _unique(candidate: str, used: set[str]) -> str:
    result, number = candidate, 2
    while result in used:
        result, number = f"{candidate}_{number}", number + 1
    used.add(result)
    return result


def _name(element: ET.Element) -> str:
    name = element.get("name", "")
    return name if name.strip() else "(unnamed)"


def _codable(element: ET.Element) -> bool:
    return element.get("isCodable", "true").strip().lower() not in {"false", "0"}


def _colour(value: str) -> str | None:
    value = value.strip()
    if not _COLOUR.match(value):
        return None
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value


def _description(element: ET.Element) -> str:
    found = _child(element, "Description")
    return (found.text or "") if found is not None else ""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [
        child
        for child in element
        if isinstance(child.tag, str)
        and _local(child.tag) == name
        and _namespace(child.tag) in _NAMESPACES
    ]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    found = _children(element, name)
    return found[0] if found else None
