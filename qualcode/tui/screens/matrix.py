"""The matrix screen: the positive or negative impact matrix as a heatmap; Enter on a cell
lists the quotes behind it, Enter on a quote opens its turn on the coding screen.

The matrix is computed in the database (`qualcode.aggregate.matrix`, as `qualcode matrix`
does) in a thread worker; a result for choices that have changed since is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast

from rich.style import Style
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.aggregate import (
    BUILT_IN_COLUMNS,
    ROW_DIMENSIONS,
    TOTAL,
    Matrix,
    MatrixSpec,
    Quote,
    column_dimensions,
    matrix,
    quotes,
)
from qualcode.errors import QualcodeError
from qualcode.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from qualcode.tui.app import QualcodeApp

# Cell backgrounds from the smallest (low) to the largest (high) value, in the polarity's hue.
HEAT = {
    "positive": (Color.parse("#1b4d20"), Color.parse("#66bb6a")),
    "negative": (Color.parse("#5a1a1a"), Color.parse("#ef5350")),
}
SHADES = "░▒▓█"  # without colour: a shade after the number, darker for larger values
COUNTS = ("segments", "documents")


def heat_cell(value: int, largest: int, polarity: str, no_color: bool) -> Text:
    """A matrix cell: its number on a background as intense as the value is large (relative
    to the largest cell), green for positive and red for negative; without colour, the
    number in bold with a shade character."""
    if value <= 0 or largest <= 0:
        return Text(f" {value} " if not no_color else f" {value}  ", style="dim", justify="right")
    fraction = value / largest
    if no_color:
        shade = SHADES[min(len(SHADES) - 1, int(fraction * len(SHADES) - 1e-9))]
        return Text(f" {value} {shade}", style=Style(bold=True), justify="right")
    low, high = HEAT.get(polarity, HEAT["positive"])
    background = low.blend(high, fraction)
    style = Style(
        bgcolor=background.rich_color,
        color=background.get_contrast_text().rich_color,
        bold=fraction >= 0.5,
    )
    return Text(f" {value} ", style=style, justify="right")


def cell_number(cell: object) -> int:
    """The number shown in a matrix cell (without its shade character)."""
    return int(str(cell).split()[0])


class QuotesScreen(ModalScreen[Quote | None]):
    """The quotes behind a cell; Enter opens the highlighted one's turn, Escape closes."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, title: str, found: list[Quote]) -> None:
        super().__init__(classes="prompt")
        self.title_text = title
        self.quotes = found

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box quotes-box"):
            yield Label(self.title_text, classes="prompt-title")
            options = OptionList(
                *(Option(_quote_text(q), id=str(i)) for i, q in enumerate(self.quotes)),
                id="quotes",
            )
            yield options
            yield Static(
                "Enter opens the turn on the coding screen · Escape closes"
                if self.quotes
                else "No quotes in this cell · Escape closes",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.quotes[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)


def _quote_text(quote: Quote) -> Text:
    where = f"{quote.document} · turn {quote.turn}" if quote.turn else quote.document
    text = Text(where, style="bold")
    text.append(f" · {quote.speaker or '?'} · ", style="dim")
    text.append(quote.code)
    text.append(f" ({quote.coder})", style="dim")
    text.append("\n")
    text.append(quote.text)
    return text


class MatrixScreen(Screen[None]):
    """Shows one impact matrix; keys change its polarity, rows, columns and count."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("p", "polarity", "+/−"),
        Binding("r", "rows", "Rows"),
        Binding("o", "columns", "Columns"),
        Binding("t", "count", "Count"),
    ]

    @dataclass
    class Loaded(Message):
        """A matrix was computed (and the column choices read)."""

        matrix: Matrix
        columns: list[str]

    @dataclass
    class QuotesRead(Message):
        """The quotes of a cell were read."""

        title: str
        quotes: list[Quote]

    @dataclass
    class Failed(Message):
        """The matrix or its quotes could not be read."""

        error: str

    def __init__(self, spec: MatrixSpec | None = None) -> None:
        super().__init__()
        self.spec = spec or MatrixSpec()
        self.matrix: Matrix | None = None
        self.dimensions: list[str] = list(BUILT_IN_COLUMNS)
        self.loaded = False

    @property
    def qapp(self) -> QualcodeApp:
        return cast("QualcodeApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="matrix-spec")
        yield DataTable(
            id="matrix",
            cursor_type="cell",
            fixed_columns=1,
            cursor_background_priority="css",
        )
        yield Static("computing the matrix…", id="matrix-summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Impact matrix"
        self.query_one(DataTable).focus()
        self._describe()
        self.load()

    # -- computing ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="matrix")
    def load(self) -> None:
        assert self.qapp.project is not None
        engine = self.qapp.project.engine
        spec = self.spec
        try:
            columns = column_dimensions(engine)
            result = matrix(engine, spec)
        except (QualcodeError, SQLAlchemyError) as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Loaded(result, columns))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.dimensions = event.columns
        if event.matrix.spec != self.spec:
            return  # the choices changed meanwhile; their own result is on its way
        self.matrix = event.matrix
        self._fill()
        self.loaded = True

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.query_one("#matrix-summary", Static).update(Text(event.error, style="bold red"))
        self.notify(event.error, severity="error")

    def _fill(self) -> None:
        result = self.matrix
        assert result is not None
        table: DataTable[Text] = self.query_one(DataTable)
        keep = table.cursor_coordinate if self.loaded else Coordinate(0, 1)
        table.clear(columns=True)
        lines = result.table()
        header, *body = lines
        no_color = bool(self.app.no_color)
        # Fixed widths (the table's auto widths lag behind its rows): the header, or the
        # widest number with its padding (and shade character without colour).
        pad = 3 if no_color else 2
        widths = [max(len(str(line[0])) for line in lines)] + [
            max([len(str(header[i]))] + [len(str(line[i])) + pad for line in body])
            for i in range(1, len(header))
        ]
        table.add_column(Text(str(header[0]), style="bold"), key="row", width=widths[0])
        for index, name in enumerate(header[1:-1], start=1):
            table.add_column(
                Text(str(name), justify="right"), key=f"c{index - 1}", width=widths[index]
            )
        table.add_column(Text(TOTAL, style="bold", justify="right"), key="total", width=widths[-1])
        largest = max(result.cells.values(), default=0)
        for index, line in enumerate(body):
            label, *values, total = line
            is_total = index == len(body) - 1
            if is_total:
                cells = [Text(f" {v} ", style="bold", justify="right") for v in values]
            else:
                cells = [heat_cell(int(v), largest, self.spec.polarity, no_color) for v in values]
            table.add_row(
                Text(str(label), style="bold" if is_total else ""),
                *cells,
                Text(f" {total} ", style="bold", justify="right"),
                key="total" if is_total else f"r{index}",
            )
        if table.row_count:
            table.cursor_coordinate = keep if table.is_valid_coordinate(keep) else Coordinate(0, 0)
        self._summary()

    def _describe(self) -> None:
        spec = self.spec
        sign = "+" if spec.polarity == "positive" else "−"
        self.sub_title = f"{sign} {spec.polarity} · {spec.rows} × {spec.cols} · {spec.count}"
        colour = HEAT[spec.polarity][0].hex
        line = Text()
        line.append(
            f" {sign} {spec.polarity.capitalize()} impact ", style=f"bold white on {colour}"
        )
        line.append(f"  rows {spec.rows} · columns {spec.cols} · {spec.count}")
        line.append(f" · {spec.status}", style="dim")
        self.query_one("#matrix-spec", Static).update(line)

    def _summary(self) -> None:
        result = self.matrix
        summary = self.query_one("#matrix-summary", Static)
        if result is None:
            summary.update("computing the matrix…")
        elif not result.rows:
            summary.update(f"No {self.spec.polarity} codes in the codebook.")
        elif not result.total:
            summary.update(f"No {self.spec.status} {self.spec.polarity} codings yet.")
        else:
            summary.update(
                f"{result.total} {self.spec.count} ({self.spec.status}, every coder) · "
                "Enter: the quotes of a cell · ? help"
            )

    def _change(self, **changes: str) -> None:
        self.spec = replace(self.spec, **changes)
        self._describe()
        self.query_one("#matrix-summary", Static).update("computing the matrix…")
        self.load()

    # -- keys ---------------------------------------------------------------------------

    def action_polarity(self) -> None:
        self._change(polarity="negative" if self.spec.polarity == "positive" else "positive")

    def action_rows(self) -> None:
        self._change(rows=_next(ROW_DIMENSIONS, self.spec.rows))

    def action_columns(self) -> None:
        self._change(cols=_next(self.dimensions, self.spec.cols))

    def action_count(self) -> None:
        self._change(count=_next(COUNTS, self.spec.count))

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(DataTable.CellSelected)
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        self.open_cell(event.coordinate.row, event.coordinate.column)

    def open_cell(self, row_index: int, column_index: int) -> None:
        """List the quotes of a cell (a Total or the row label: the whole row or column)."""
        result = self.matrix
        if result is None or not self.loaded:
            return
        row = result.rows[row_index] if row_index < len(result.rows) else None
        column_at = column_index - 1
        column = result.columns[column_at] if 0 <= column_at < len(result.columns) else None
        self.read_quotes(result.spec, row, column)

    @work(thread=True, exclusive=True, group="matrix-quotes")
    def read_quotes(self, spec: MatrixSpec, row: str | None, column: str | None) -> None:
        assert self.qapp.project is not None
        try:
            found = quotes(self.qapp.project.engine, spec, row, column)
        except (QualcodeError, SQLAlchemyError) as exc:
            self.post_message(self.Failed(str(exc)))
            return
        where = " × ".join(
            [row or f"every {spec.rows}", column or f"every {spec.cols}"],
        )
        self.post_message(self.QuotesRead(f"{spec.polarity}: {where} ({len(found)})", found))

    @on(QuotesRead)
    def _quotes_read(self, event: QuotesRead) -> None:
        self.app.push_screen(QuotesScreen(event.title, event.quotes), self._quote_chosen)

    def _quote_chosen(self, quote: Quote | None) -> None:
        if quote is not None:
            self.qapp.open_document(quote.document, quote.turn)


def _next(choices: tuple[str, ...] | list[str], current: str) -> str:
    choices = list(choices)
    if current not in choices:
        return choices[0]
    return choices[(choices.index(current) + 1) % len(choices)]
