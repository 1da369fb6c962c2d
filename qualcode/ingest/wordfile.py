"""Word (.docx) transcripts: body paragraphs and transcript tables, in document order."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from qualcode.errors import ImportFailed
from qualcode.ingest.labels import is_label
from qualcode.ingest.source import SourceText, paragraphs_from_lines
from qualcode.ingest.tables import table_lines
from qualcode.ingest.zipcheck import open_checked_zip


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
    bold_starts: list[tuple[int, str]] = []  # (line, its bold opening words)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
            lines.append("")
        else:
            opening = _bold_opening(block)
            if opening:
                bold_starts.append((len(lines), opening))
            lines.append(block.text)
    _colon_after_bold_names(lines, bold_starts)
    text, paragraphs = paragraphs_from_lines(lines)
    if not paragraphs:
        raise ImportFailed("the Word document holds no text", path=str(path))
    return SourceText(text=text, format="docx", paragraphs=paragraphs)


def _bold_opening(paragraph: object) -> str:
    """The bold words a paragraph opens with, when more text follows them."""
    runs = paragraph.runs  # type: ignore[attr-defined]
    bold = []
    for run in runs:
        if not run.bold:
            break
        bold.append(run.text)
    opening = "".join(bold)
    text = paragraph.text  # type: ignore[attr-defined]
    if not opening.strip() or not text.startswith(opening) or not text[len(opening) :].strip():
        return ""
    return opening


def _colon_after_bold_names(lines: list[str], bold_starts: list[tuple[int, str]]) -> None:
    """A speaker's name in bold opening a paragraph without a colon ("**Birgitte** Ja, det")
    reads as a label ("Birgitte: Ja, det"). Only names that open two paragraphs or more
    count; a word in bold once is emphasis ("**Aldrig** har jeg ...")."""
    counts = Counter(opening.strip() for _, opening in bold_starts)
    for index, opening in bold_starts:
        name = opening.strip()
        if name.endswith(":") or counts[name] < 2 or not is_label(name):
            continue
        lines[index] = f"{name}: {lines[index][len(opening) :].lstrip()}"


def _table_lines(table: object) -> list[str]:
    return table_lines([_row_values(row) for row in table.rows])  # type: ignore[attr-defined]


def _row_values(row: object) -> list[str]:
    """A table row's cell texts in column order (a merged cell once)."""
    values = []
    seen: set[int] = set()
    for cell in row.cells:  # type: ignore[attr-defined]
        if id(cell._tc) in seen:  # merged cells repeat
            continue
        seen.add(id(cell._tc))
        values.append(" ".join(cell.text.split()))
    return values
