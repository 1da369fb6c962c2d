"""Word (.docx) transcripts: body paragraphs and transcript tables, in document order."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from qualcode.errors import ImportFailed
from qualcode.ingest.labels import TIMESTAMP, is_label
from qualcode.ingest.source import SourceText, paragraphs_from_lines
from qualcode.ingest.zipcheck import open_checked_zip

# Header words of transcript tables, by what their column holds.
_TIME_HEADERS = frozenset(
    "tid time tidspunkt timestamp tidskode tidkode tidskod tidkod timespan tidsstempel".split()
)
_SPEAKER_HEADERS = frozenset("speaker taler talare talar talsperson person navn namn name".split())
_TEXT_HEADERS = frozenset(
    "tekst text udsagn utsagn content indhold innehåll innhold transcript ytring".split()
)
_TABLE_HEADER_WORDS = _TIME_HEADERS | _SPEAKER_HEADERS | _TEXT_HEADERS


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
    rows = [_row_values(row) for row in table.rows]  # type: ignore[attr-defined]
    rows = [row for row in rows if any(row)]
    columns = _header_columns(rows[0]) if rows else None
    if columns is not None:  # "Timespan | Content | Speaker" (NVivo), in any order
        return [_mapped_line(row, *columns) for row in rows[1:]]
    lines = []
    for row in rows:
        cells = [value for value in row if value]
        if all(c.casefold().rstrip(":") in _TABLE_HEADER_WORDS for c in cells):
            continue
        lines.append(_row_as_line(cells))
    return lines


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


def _header_columns(row: list[str]) -> tuple[int | None, int, int] | None:
    """(time, speaker, text) column of a header row that names a speaker and a text column."""
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        key = value.casefold().rstrip(":")
        for kind, words in (("time", _TIME_HEADERS), ("speaker", _SPEAKER_HEADERS)):
            if key in words:
                found.setdefault(kind, index)
        if key in _TEXT_HEADERS:
            found.setdefault("text", index)
        elif key and key not in _TABLE_HEADER_WORDS:
            return None  # not a header row
    if "speaker" not in found or "text" not in found:
        return None
    return found.get("time"), found["speaker"], found["text"]


def _mapped_line(row: list[str], time: int | None, speaker: int, text: int) -> str:
    def cell(index: int | None) -> str:
        return row[index] if index is not None and index < len(row) else ""

    stamp = TIMESTAMP.search(cell(time))
    opening = f"[{stamp.group()}] " if stamp else ""
    name = cell(speaker).rstrip(":").strip()
    if name and is_label(name):
        return f"{opening}{name}: {cell(text)}"
    return f"{opening}{cell(text)}"


def _row_as_line(cells: list[str]) -> str:
    stamp = ""
    if len(cells) >= 3 and TIMESTAMP.fullmatch(cells[0].strip("[]()")):
        stamp, cells = f"[{cells[0].strip('[]()')}] ", cells[1:]
    label = cells[0].rstrip(":").strip()
    if len(cells) >= 2 and len(label.split()) <= 4 and is_label(label):
        return f"{stamp}{label}: {' '.join(cells[1:])}"
    return stamp + " ".join(cells)
