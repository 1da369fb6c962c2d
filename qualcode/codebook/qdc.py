"""REFI-QDA codebook export (`.qdc`, namespace urn:QDA-XML:codebook:1.0).

Each target becomes a non-codable top-level Code with its codes inside; a code with a
parent sits inside its parent. Names are in one language (with the usual fallback); the
Description is the definition, then `Include: ...` and `Exclude: ...` paragraphs. Themes
become Sets. GUIDs are the `guid` kept from an import, else a uuid5 of a fixed namespace
and the id, so a re-export is byte-identical and diffs cleanly.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from typing import Any

from qualcode.codebook.model import Code, Codebook, Target, Theme, code_name, text_in

NAMESPACE = "urn:QDA-XML:codebook:1.0"
PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
GUID_NAMESPACE = uuid.UUID("6f1c4f3e-2b7a-5d2e-9c41-7a3e0c5b9d10")
ORIGIN = "qualcode"
INCLUDE_LABEL = "Include: "
EXCLUDE_LABEL = "Exclude: "
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def code_guid(code: Code) -> str:
    return code.guid or str(uuid.uuid5(GUID_NAMESPACE, f"code:{code.id}"))


def target_guid(codebook: Codebook, target: Target) -> str:
    return target.guid or str(uuid.uuid5(GUID_NAMESPACE, f"target:{codebook.codebook}:{target.id}"))


def theme_guid(codebook: Codebook, theme: Theme) -> str:
    return theme.guid or str(uuid.uuid5(GUID_NAMESPACE, f"theme:{codebook.codebook}:{theme.id}"))


def description_of(code: Code, lang: str) -> str:
    """The Description text: definition, then include and exclude notes as paragraphs."""
    parts = []
    definition = text_in(code.definition, lang)
    if definition:
        parts.append(definition)
    for label, texts in ((INCLUDE_LABEL, code.include), (EXCLUDE_LABEL, code.exclude)):
        note = text_in(texts, lang)
        if note:
            parts.append(label + note)
    return "\n\n".join(parts)


def export_qdc(codebook: Codebook, lang: str = "en") -> bytes:
    """The codebook as REFI-QDA XML, valid against Codebook.xsd; deterministic."""
    root = ET.Element("CodeBook", {"xmlns": NAMESPACE, "origin": ORIGIN})
    codes_element = ET.SubElement(root, "Codes")
    children: dict[str, list[Code]] = {}
    by_target: dict[str, list[Code]] = {}
    for code in codebook.codes:
        if code.parent is not None:
            children.setdefault(code.parent, []).append(code)
        else:
            by_target.setdefault(str(code.target), []).append(code)

    def add_code(parent: ET.Element, code: Code) -> None:
        element = _code_element(parent, code_guid(code), code_name(code, lang), True, code.colour)
        _description(element, description_of(code, lang))
        for child in children.get(code.id, []):
            add_code(element, child)

    for target in codebook.targets:
        element = _code_element(
            codes_element,
            target_guid(codebook, target),
            code_name(target, lang),
            False,
            target.colour,
        )
        _description(element, text_in(target.description, lang) or "")
        for code in by_target.get(target.id, []):
            add_code(element, code)
    if codebook.themes:
        codes = {code.id: code for code in codebook.codes}
        sets = ET.SubElement(root, "Sets")
        for theme in codebook.themes:
            element = ET.SubElement(
                sets,
                "Set",
                {"guid": theme_guid(codebook, theme), "name": _clean(code_name(theme, lang))},
            )
            _description(element, text_in(theme.description, lang) or "")
            for member in theme.codes:
                if member in codes:
                    ET.SubElement(element, "MemberCode", {"guid": code_guid(codes[member])})
    ET.indent(root, space="  ")
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
    return (text + "\n").encode("utf-8")


def _code_element(
    parent: ET.Element, guid: str, name: str, codable: bool, colour: str | None
) -> ET.Element:
    attributes: dict[str, Any] = {
        "guid": guid,
        "name": _clean(name),
        "isCodable": "true" if codable else "false",
    }
    if colour:
        attributes["color"] = colour
    return ET.SubElement(parent, "Code", attributes)


def _description(element: ET.Element, text: str) -> None:
    if text:
        ET.SubElement(element, "Description").text = _clean(text)


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters; they are dropped."""
    return _NOT_XML.sub("", text)
