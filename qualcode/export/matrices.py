"""Writing matrices: CSV (inert for spreadsheets), Markdown, XLSX with both polarities,
an SVG heatmap, and framework matrices whose cells hold the quotes behind the counts."""

from __future__ import annotations

import csv
import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from qualcode.aggregate import Matrix, Quote
from qualcode.export.csvsafe import safe_cell


def write_csv(rows: Sequence[Sequence[Any]], out: TextIO, delimiter: str = ",") -> None:
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for row in rows:
        writer.writerow([safe_cell(str(value)) for value in row])


def _md_cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", "<br>")


def write_markdown(rows: Sequence[Sequence[Any]], out: TextIO) -> None:
    header, *body = rows
    out.write("| " + " | ".join(_md_cell(v) for v in header) + " |\n")
    out.write("|" + "|".join(" --- " for _ in header) + "|\n")
    for row in body:
        out.write("| " + " | ".join(_md_cell(v) for v in row) + " |\n")


def framework_rows(matrix: Matrix, quotes: Sequence[Quote]) -> list[list[str]]:
    """The matrix with each cell holding its quotes: `document turn N (speaker): text`."""
    by_cell: dict[tuple[str, str], list[str]] = {}
    for quote in quotes:
        where = f"{quote.document} turn {quote.turn}" if quote.turn else quote.document
        who = f" ({quote.speaker})" if quote.speaker else ""
        entry = f"{where}{who}, {quote.code}: \u201c{quote.text}\u201d"
        cell = by_cell.setdefault((quote.row, quote.column), [])
        if entry not in cell:
            cell.append(entry)
    rows = [[matrix.spec.rows, *matrix.columns]]
    for row in matrix.rows:
        rows.append([row, *("\n".join(by_cell.get((row, c), [])) for c in matrix.columns)])
    return rows


def write_xlsx(matrices: Sequence[Matrix], path: Path) -> None:
    """One sheet per matrix (positive, negative), cells shaded by value."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    workbook.remove(workbook.active)
    for matrix in matrices:
        sheet = workbook.create_sheet(title=matrix.spec.polarity[:31])
        table = matrix.table()
        peak = max([matrix.value(r, c) for r in matrix.rows for c in matrix.columns] or [0])
        for row_index, row in enumerate(table, start=1):
            for col_index, value in enumerate(row, start=1):
                if isinstance(value, str):
                    value = safe_cell(value)
                cell = sheet.cell(row=row_index, column=col_index, value=value)
                if row_index == 1 or col_index == 1:
                    cell.font = Font(bold=True)
                elif (
                    isinstance(value, int)
                    and peak
                    and row_index < len(table)
                    and (col_index < len(row))
                ):
                    cell.fill = PatternFill(
                        "solid", fgColor=_shade(value / peak, matrix.spec.polarity)
                    )
        sheet.freeze_panes = "B2"
    workbook.save(str(path))


def _shade(share: float, polarity: str) -> str:
    """A colour from white to green (positive) or red (negative)."""
    base = (46, 125, 50) if polarity == "positive" else (198, 40, 40)
    mixed = [round(255 - (255 - c) * share) for c in base]
    return "".join(f"{c:02X}" for c in mixed)


def write_svg(matrix: Matrix, out: TextIO) -> None:
    """A heatmap of the matrix as a standalone SVG (no plotting library needed)."""
    cell_w, cell_h, label_w, head_h = 64, 28, 260, 150
    columns, rows = matrix.columns, matrix.rows
    width = label_w + cell_w * (len(columns) + 1) + 20
    height = head_h + cell_h * (len(rows) + 1) + 20
    peak = max([matrix.value(r, c) for r in rows for c in columns] or [0])
    title = f"{matrix.spec.polarity} impact: {matrix.spec.rows} x {matrix.spec.cols}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<text x="10" y="20" font-size="15" font-weight="bold">{html.escape(title)}</text>',
    ]
    for j, column in enumerate([*columns, "Total"]):
        x = label_w + j * cell_w + cell_w / 2
        parts.append(
            f'<text transform="translate({x},{head_h - 6}) rotate(-50)">'
            f"{html.escape(column)}</text>"
        )
    for i, row in enumerate([*rows, "Total"]):
        y = head_h + i * cell_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + cell_h * 0.65}" text-anchor="end">'
            f"{html.escape(row)}</text>"
        )
        for j, column in enumerate([*columns, "Total"]):
            if row == "Total":
                value = matrix.total if column == "Total" else matrix.column_totals.get(column, 0)
            elif column == "Total":
                value = matrix.row_totals.get(row, 0)
            else:
                value = matrix.value(row, column)
            total_cell = row == "Total" or column == "Total"
            fill = (
                "#eeeeee"
                if total_cell
                else "#" + _shade(value / peak if peak else 0, matrix.spec.polarity)
            )
            x = label_w + j * cell_w
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}"/>'
            )
            dark = not total_cell and peak and value / peak > 0.6
            parts.append(
                f'<text x="{x + cell_w / 2}" y="{y + cell_h * 0.65}" '
                f'text-anchor="middle" fill="{"#ffffff" if dark else "#000000"}">'
                f"{value}</text>"
            )
    parts.append("</svg>")
    out.write("\n".join(parts) + "\n")
