"""The agreement view: observed agreement, Cohen's kappa and Krippendorff's alpha per code
and overall (as `qualcode agreement` reports them), and the disagreements on the selected
code below; Enter on a disagreement opens its turn on the coding screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, OptionList, Static
from textual.widgets.data_table import CellDoesNotExist
from textual.widgets.option_list import Option

from qualcode.agreement import AgreementReport, CodeAgreement, Disagreement, agreement
from qualcode.errors import QualcodeError
from qualcode.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from qualcode.tui.app import QualcodeApp

OVERALL = "overall"
LIMIT = 2000  # disagreements read (over every code); the CLI lists 20 by default
HEADERS = ("Code", "Units", "Observed\nagreement", "Cohen's\nkappa", "Krippendorff's\nalpha")


def number(value: float | None) -> str:
    """A figure as the CLI writes it (three decimals); a dash when it is undefined."""
    return "–" if value is None else f"{value:.3f}"


class DisagreementList(OptionList):
    """The disagreements on the selected code; Enter opens the turn."""


class AgreementScreen(Screen[None]):
    """Agreement between the coders who have accepted or rejected codings."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("t", "unit", "Turn/segment"),
    ]

    @dataclass
    class Loaded(Message):
        """The agreement was computed (or could not be: `error`)."""

        unit: str
        report: AgreementReport | None
        error: str | None = None

    def __init__(self, unit: str = "turn") -> None:
        super().__init__()
        self.unit = unit
        self.report: AgreementReport | None = None
        self.error: str | None = None
        self.loaded = False
        self.shown: list[Disagreement] = []

    @property
    def qapp(self) -> QualcodeApp:
        return cast("QualcodeApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("computing the agreement…", id="agreement-info")
        yield DataTable(id="agreement", cursor_type="row", header_height=2)
        yield Static("", id="disagreements-title")
        yield DisagreementList(id="disagreements")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Agreement between coders"
        self.sub_title = f"unit {self.unit}"
        self.query_one(DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="agreement")
    def load(self) -> None:
        assert self.qapp.project is not None
        unit = self.unit
        try:
            report = agreement(self.qapp.project.engine, unit=unit, limit=LIMIT)
        except (QualcodeError, SQLAlchemyError) as exc:
            self.post_message(self.Loaded(unit, None, str(exc)))
            return
        self.post_message(self.Loaded(unit, report))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if event.unit != self.unit:
            return  # toggled meanwhile; the newer result is on its way
        self.report, self.error = event.report, event.error
        self._fill()
        self.loaded = True

    def _fill(self) -> None:
        info = self.query_one("#agreement-info", Static)
        table: DataTable[str | Text] = self.query_one(DataTable)
        report = self.report
        for widget in (table, self.query_one(DisagreementList)):
            widget.display = report is not None
        self.query_one("#disagreements-title").display = report is not None
        if report is None:
            info.set_class(True, "error")
            info.update(
                f"{self.error}\n\nImport another coder's codings (qualcode import codings FILE "
                "--coder NAME), or accept and reject codes as two coders. Escape goes back."
            )
            return
        info.set_class(False, "error")
        kappa_note = "" if len(report.coders) == 2 else " (Cohen's kappa needs two coders)"
        info.update(
            f"coders {', '.join(report.coders)} · unit {report.unit} (t toggles) · a code "
            f"applied or not per unit{kappa_note}"
        )
        keep = self._selected_code()
        table.clear(columns=True)
        rows = [*report.per_code, *([report.overall] if report.overall else [])]
        # Fixed widths from the data: the table's auto widths lag behind rows added later.
        code_width = min(max([len(row.code) for row in rows] + [8]), 48)
        widths = (code_width, 5, 9, 7, 14)
        for index, (label, width) in enumerate(zip(HEADERS, widths)):
            justify = "left" if index == 0 else "right"
            table.add_column(Text(label, justify=justify), key=f"h{index}", width=width)
        for row in rows:
            table.add_row(*_cells(row), key=row.code)
        if keep is not None and keep in {row.code for row in rows}:
            table.move_cursor(row=table.get_row_index(keep))
        self._show_disagreements()

    def _selected_code(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None

    def _show_disagreements(self) -> None:
        report = self.report
        if report is None:
            return
        code = self._selected_code() or OVERALL
        self.shown = [d for d in report.disagreements if code == OVERALL or d.code == code]
        listing = self.query_one(DisagreementList)
        listing.clear_options()
        listing.add_options(
            Option(_disagreement_text(d, report.unit, code == OVERALL), id=str(i))
            for i, d in enumerate(self.shown)
        )
        what = "every code" if code == OVERALL else code
        title = Text(f"Disagreements on {what}: {len(self.shown)}", style="bold")
        if self.shown:
            title.append(" · Enter or Tab: to the list", style="dim")
        self.query_one("#disagreements-title", Static).update(title)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        if self.loaded:
            self._show_disagreements()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        listing = self.query_one(DisagreementList)
        if listing.option_count:
            listing.focus()
            listing.highlighted = 0

    @on(OptionList.OptionSelected, "#disagreements")
    def _disagreement_chosen(self, event: OptionList.OptionSelected) -> None:
        item = self.shown[event.option_index]
        self.qapp.open_document(item.document, item.turn)

    def action_unit(self) -> None:
        self.unit = "segment" if self.unit == "turn" else "turn"
        self.sub_title = f"unit {self.unit}"
        self.query_one("#agreement-info", Static).update(f"computing the agreement by {self.unit}…")
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()


def _cells(row: CodeAgreement) -> list[str | Text]:
    style = "bold" if row.code == OVERALL else ""
    return [
        Text(row.code, style=style),
        Text(str(row.units), style=style, justify="right"),
        *(
            Text(number(v), style=style, justify="right")
            for v in (row.observed, row.kappa, row.alpha)
        ),
    ]


def _disagreement_text(item: Disagreement, unit: str, with_code: bool) -> Text:
    where = f"{item.document} · turn {item.turn}"
    if unit == "segment":
        where += f" · sentence {item.segment}"
    text = Text(where, style="bold")
    if with_code:
        text.append(f" · {item.code}")
    text.append(f" · by {', '.join(item.applied_by)}, not by {', '.join(item.not_by)}", style="dim")
    text.append("\n")
    text.append(item.text)
    return text
