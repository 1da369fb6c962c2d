"""Word (.docx) transcripts: body paragraphs and transcript tables, in document order."""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import ImportFailed
from qualcode.ingest.labels import TIMESTAMP, is_label
from qualcode.ingest.source import SourceText, paragraphs_from_lines
from qualcode.ingest.zipcheck import open_checked_zip

_TABLE_HEADER_WORDS = frozenset(
    "speaker taler talare talar talsperson person tekst text tid time tidspunkt timestamp "
    "tidskode tidkode tidskod tidkod navn namn name udsagn utsagn".split()
)


def read_docx(path: Path) -> SourceText:
    """Read a .docx with python-docx; tables of (time,) speaker, text become labelled lines."""
    import docx  # python-docx; imported here because it is slow to load
    from docx.table import Table

    open_checked_zip(path, "Word document (.docx)", "word/document.xml").close()
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise ImportFailed(f"not a readable Word document: {exc}", path=str(path)) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
            lines.append("")
        else:
            lines.append(block.text)
    text, paragraphs = paragraphs_from_lines(lines)
    if not paragraphs:
        raise ImportFailed("the Word document holds no text", path=str(path))
    return SourceText(text=text, format="docx", paragraphs=paragraphs)


def _table_lines(table: object) -> list[str]:
    lines = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # merged cells repeat
                continue
            seen.add(id(cell._tc))
            value = " ".join(cell.text.split())
            if value:
                cells.append(value)
        if not cells:
            continue
        if all(c.casefold().rstrip(":") in _TABLE_HEADER_WORDS for c in cells):
            continue
        lines.append(_row_as_line(cells))
    return lines


def _row_as_line(cells: list[str]) -> str:
    stamp = ""
    if len(cells) >= 3 and TIMESTAMP.fullmatch(cells[0].strip("[]()")):
        stamp, cells = f"[{cells[0].strip('[]()')}] ", cells[1:]
    label = cells[0].rstrip(":").strip()
    if len(cells) >= 2 and len(label.split()) <= 4 and is_label(label):
        return f"{stamp}{label}: {' '.join(cells[1:])}"
    return stamp + " ".join(cells)
