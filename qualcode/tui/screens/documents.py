"""The documents screen: every transcript with its counts; filter as you type, Enter opens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static
from textual.widgets.data_table import CellDoesNotExist

from qualcode.coding import DocumentOverview
from qualcode.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from qualcode.tui.app import QualcodeApp


class DocumentFilter(Input):
    """The filter box; Escape clears it, ↓ goes to the table."""

    BINDINGS = [
        Binding("escape", "leave(True)", "Clear filter", show=False),
        Binding("down", "leave(False)", "To the list", show=False),
    ]

    def action_leave(self, clear: bool) -> None:
        if clear:
            self.value = ""
        self.screen.query_one(DataTable).focus()


class DocumentsScreen(Screen[None]):
    """Lists the project's documents."""

    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
        Binding("slash", "filter", "Filter"),
        Binding("b", "app.codebook", "Codebook"),
        Binding("i", "app.import_folder", "Import"),
        Binding("s", "app.suggest", "Suggest"),
        Binding("M", "app.matrix", "Matrix", show=False),
        Binding("K", "app.agreement", "Agreement", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    loaded: reactive[bool] = reactive(False)

    @dataclass
    class Loaded(Message):
        """The documents were read."""

        documents: list[DocumentOverview]

    def __init__(self) -> None:
        super().__init__()
        self.documents: list[DocumentOverview] = []

    @property
    def qapp(self) -> QualcodeApp:
        return cast("QualcodeApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield DocumentFilter(
            placeholder="/ filter: name, language, attribute…", id="filter", compact=True
        )
        table: DataTable[str | Text] = DataTable(
            id="documents", cursor_type="row", zebra_stripes=True
        )
        _add_columns(table, [])
        yield table
        yield Static("reading the documents…", id="documents-summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = self.qapp.project_title
        self.sub_title = f"coder {self.qapp.coder}"
        self.query_one(DataTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.load()

    @work(thread=True, exclusive=True, group="documents")
    def load(self) -> None:
        service = self.qapp.service
        documents = service.documents_overview()
        service.codes()  # warm the code cache the coding screen needs
        self.post_message(self.Loaded(documents))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.documents = event.documents
        self.qapp.documents = event.documents
        self._fill(self.query_one(DocumentFilter).value)
        self.loaded = True

    def _fill(self, query: str) -> None:
        table = self.query_one(DataTable)
        keep = None
        if table.row_count and table.cursor_row >= 0:
            try:
                keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            except CellDoesNotExist:
                keep = None
        needle = query.strip().casefold()
        shown = [d for d in self.documents if not needle or needle in _haystack(d)]
        table.clear(columns=True)
        _add_columns(table, self.documents)
        for document in shown:
            attributes = ", ".join(f"{k}={v}" for k, v in document.attributes.items())
            table.add_row(
                document.name,
                document.language,
                Text(str(document.speakers), justify="right"),
                Text(str(document.turns), justify="right"),
                Text(f"{document.coded_share:.0%}", justify="right"),
                attributes,
                key=document.name,
            )
        if keep is not None and keep in {d.name for d in shown}:
            table.move_cursor(row=table.get_row_index(keep))
        summary = self.query_one("#documents-summary", Static)
        if not self.documents:
            summary.update("No documents yet: press i to import a folder of transcripts.")
        else:
            turns = sum(d.turns for d in shown)
            summary.update(
                f"{len(shown)} of {len(self.documents)} documents · {turns} turns · "
                "Enter opens · M matrix · K agreement · ? help"
            )

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        table = self.query_one(DataTable)
        table.focus()
        if table.row_count:
            self.action_open()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.qapp.open_document(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.qapp.open_document(key)

    def action_filter(self) -> None:
        self.query_one(DocumentFilter).focus()

    def action_clear_filter(self) -> None:
        self.query_one(DocumentFilter).value = ""


def _add_columns(table: DataTable[str | Text], documents: list[DocumentOverview]) -> None:
    # Fixed widths from the data: the table's auto widths lag behind rows added later.
    name = max([len(d.name) for d in documents] + [8])
    table.add_column("Document", key="name", width=min(name, 48))
    table.add_column("Lang", key="language", width=4)
    table.add_column("Speakers", key="speakers", width=8)
    table.add_column("Turns", key="turns", width=6)
    table.add_column("Coded", key="coded", width=5)
    table.add_column("Attributes", key="attributes")


def _haystack(document: DocumentOverview) -> str:
    attributes = " ".join(f"{k}={v}" for k, v in document.attributes.items())
    return f"{document.name} {document.language} {attributes}".casefold()
