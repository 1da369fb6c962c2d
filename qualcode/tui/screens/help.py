"""The help screen (`?`): every key of every screen."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Everywhere",
        [
            ("?", "this help"),
            ("ctrl+p", "command palette: open a document, codebook, import, suggest, coders"),
            ("u", "undo the last coding action of this session"),
            ("Escape", "back"),
            ("ctrl+q", "quit (everything is saved already)"),
        ],
    ),
    (
        "Documents",
        [
            ("Enter", "open the document for coding"),
            ("/", "filter the list as you type (Escape clears)"),
            ("b", "the codebook"),
            ("i", "import a folder of transcripts"),
            ("s", "run suggest on every document"),
            ("M", "the impact matrix"),
            ("K", "agreement between coders"),
        ],
    ),
    (
        "Coding",
        [
            ("↓ ↑  j k", "next / previous turn"),
            ("PgDn PgUp  g G", "a page down / up, first / last turn"),
            ("tab shift+tab  ] [", "next / previous code in the side panel"),
            ("a", "accept the code under the panel cursor (adopts another coder's)"),
            ("x", "reject it"),
            ("c", "add a code to the turn: type to filter in any language, Enter adds"),
            ("A", "accept every suggestion on the turn at or above a threshold"),
            ("n  N", "next / previous turn with open suggestions"),
            ("m", "memo on the turn"),
            ("/", "search the document (Enter: next match, Escape closes)"),
            ("v", "show my codings / every coder's"),
            ("S", "run suggest on this document"),
        ],
    ),
    (
        "Codebook",
        [
            ("↓ ↑ Enter", "move in the tree, open or fold a target"),
            ("l", "next language"),
        ],
    ),
    (
        "Matrix",
        [
            ("← → ↑ ↓", "move between cells (shaded by value: the darker, the more)"),
            ("Enter", "the quotes of the cell (a Total: of the whole row or column)"),
            ("Enter on a quote", "open its turn on the coding screen"),
            ("p", "positive / negative impact"),
            ("r", "rows: target, code, theme"),
            ("o", "columns: document, language, speaker, each case attribute"),
            ("t", "count segments / documents"),
        ],
    ),
    (
        "Agreement",
        [
            ("↓ ↑", "choose a code (or overall): its disagreements are listed below"),
            ("Enter  tab", "to the disagreements"),
            ("Enter on one", "open its turn on the coding screen"),
            ("t", "compare turns / sentences (segments)"),
        ],
    ),
]

CHIPS = (
    "Chips: ✓ accepted, ? suggested (with its confidence), ✗ rejected; "
    "+ positive (green), − negative (red), · neutral (blue-grey)."
)


class HelpScreen(ModalScreen[None]):
    """Lists the keys; any of Escape, ? or q closes it."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box help-box"):
            yield Label("qualcode keys", classes="prompt-title")
            with VerticalScroll(id="help-body"):
                for title, keys in KEYS:
                    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
                    table.add_column(style="bold", no_wrap=True, width=18)
                    table.add_column(ratio=1)
                    for key, does in keys:
                        table.add_row(key, does)
                    yield Static(Text(title, style="bold underline"), classes="help-title")
                    yield Static(table)
                yield Static(CHIPS, classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
