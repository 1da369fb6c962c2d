"""OpenDocument (.odt) transcripts: paragraphs and headings in document order (odfpy)."""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import ImportFailed
from qualcode.ingest.source import SourceText, paragraphs_from_lines
from qualcode.ingest.tables import table_lines
from qualcode.ingest.zipcheck import open_checked_zip

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def read_odt(path: Path) -> SourceText:
    """Read an .odt with odfpy; transcript tables become labelled lines (tables.py)."""
    from odf import teletype
    from odf.opendocument import load

    open_checked_zip(path, "OpenDocument text (.odt)", "content.xml").close()
    try:
        document = load(str(path))
    except Exception as exc:  # odfpy raises many kinds on a damaged package
        raise ImportFailed(f"not a readable OpenDocument text: {exc}", path=str(path)) from None
    lines: list[str] = []

    def walk(node: object) -> None:
        for child in getattr(node, "childNodes", []):
            qname = getattr(child, "qname", None)
            if qname in ((_TEXT_NS, "p"), (_TEXT_NS, "h")):
                lines.append(teletype.extractText(child))
            elif qname == (_TABLE_NS, "table"):
                lines.extend(table_lines(rows(child)))
                lines.append("")
            else:
                walk(child)

    def rows(table: object) -> list[list[str]]:
        found: list[list[str]] = []
        for child in getattr(table, "childNodes", []):
            qname = getattr(child, "qname", None)
            if qname == (_TABLE_NS, "table-row"):
                found.append(
                    [
                        " ".join(teletype.extractText(cell).split())
                        for cell in child.childNodes
                        if getattr(cell, "qname", None) == (_TABLE_NS, "table-cell")
                    ]
                )
            else:  # header rows and row groups hold rows too
                found.extend(rows(child))
        return found

    walk(document.text)
    text, paragraphs = paragraphs_from_lines(lines)
    if not paragraphs:
        raise ImportFailed("the OpenDocument text holds no text", path=str(path))
    return SourceText(text=text, format="odt", paragraphs=paragraphs)
