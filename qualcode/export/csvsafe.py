"""CSV cells that a spreadsheet will not run as formulas."""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Prefix a cell that a spreadsheet would read as a formula with an apostrophe.

    Every such cell, numbers like "+45" included, as the CLI contract says. A lone carriage
    return inside a cell becomes a line feed: CSV readers quote and read line feeds, while
    a bare CR breaks the row.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
