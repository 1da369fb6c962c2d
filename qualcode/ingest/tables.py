"""Transcript tables (Word, OpenDocument): rows of time, speaker and text as labelled lines.

A header row that names the columns ("Tid | Taler | Tekst", NVivo's "Timespan | Content |
Speaker") places them in any order; without one, an opening time and then the speaker are
read from the first cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.ingest.labels import TIMESTAMP, is_label

# Header words of transcript tables, by what their column holds.
_TIME_HEADERS = frozenset(
    "tid time tidspunkt timestamp tidskode tidkode tidskod tidkod timespan tidsstempel".split()
)
_SPEAKER_HEADERS = frozenset("speaker taler talare talar talsperson person navn namn name".split())
_TEXT_HEADERS = frozenset(
    "tekst text udsagn utsagn content indhold innehåll innhold transcript ytring".split()
)
_TABLE_HEADER_WORDS = _TIME_HEADERS | _SPEAKER_HEADERS | _TEXT_HEADERS
_COLUMN_KINDS = (("time", _TIME_HEADERS), ("speaker", _SPEAKER_HEADERS), ("text", _TEXT_HEADERS))


def table_lines(rows: Sequence[Sequence[str]]) -> list[str]:
    """Lines of text for a table's rows (each a list of cell texts in column order)."""
    rows = [row for row in rows if any(row)]
    columns = _header_columns(rows[0]) if rows else None
    if columns is not None:
        return [_mapped_line(row, *columns) for row in rows[1:]]
    lines = []
    for row in rows:
        cells = [value for value in row if value]
        if all(c.casefold().rstrip(":") in _TABLE_HEADER_WORDS for c in cells):
            continue
        lines.append(_row_as_line(cells))
    return lines


def _header_columns(row: Sequence[str]) -> tuple[int | None, int, int] | None:
    """(time, speaker, text) column of a header row that names a speaker and a text column."""
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        key = value.casefold().rstrip(":")
        if not key:
            continue
        kind = next((kind for kind, words in _COLUMN_KINDS if key in words), None)
        if kind is None:
            return None  # not a header row
        found.setdefault(kind, index)
    if "speaker" not in found or "text" not in found:
        return None
    return found.get("time"), found["speaker"], found["text"]


def _mapped_line(row: Sequence[str], time: int | None, speaker: int, text: int) -> str:
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
