"""Small modal prompts: a yes/no confirmation, a memo, a threshold, a folder to import."""

from __future__ import annotations

import os
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Static, TextArea


class ConfirmScreen(ModalScreen[bool]):
    """Asks a yes/no question; Enter or y confirms, Escape or n declines."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "No"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__(classes="prompt")
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Static(self.question, classes="prompt-text")
            with Horizontal(classes="prompt-buttons"):
                yield Button(self.yes, variant="primary", id="yes")
                yield Button("Cancel", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class MemoScreen(ModalScreen[str | None]):
    """Edits the memo on a turn; ctrl+s saves, Escape leaves it as it was."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save memo"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__(classes="prompt")
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box memo-box"):
            yield Label(self.title_text, classes="prompt-title")
            yield TextArea(self.text, id="memo-text", soft_wrap=True, show_line_numbers=False)
            yield Static("ctrl+s saves · Escape cancels · an empty memo removes it", classes="hint")
            with Horizontal(classes="prompt-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ThresholdScreen(ModalScreen[float | None]):
    """Asks for the lowest confidence to accept in one turn (Enter accepts)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, turn_number: int, threshold: float, count: int) -> None:
        super().__init__(classes="prompt")
        self.turn_number = turn_number
        self.threshold = threshold
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Label(
                f"Accept the suggestions on turn {self.turn_number} with confidence at least:",
                classes="prompt-title",
            )
            yield Input(f"{self.threshold:.2f}", id="threshold", type="number")
            yield Static(f"{self.count} open suggestions on this turn", classes="hint")
            yield Static("", id="threshold-error", classes="error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            value = float(event.value.replace(",", "."))
        except ValueError:
            value = -1.0
        if not 0.0 <= value <= 1.0:
            self.query_one("#threshold-error", Static).update("give a number between 0 and 1")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FolderSuggester(Suggester):
    """Completes folder and file paths as they are typed."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        path = Path(os.path.expanduser(value))
        folder, prefix = (path, "") if value.endswith(os.sep) else (path.parent, path.name)
        try:
            names = sorted(
                entry.name for entry in os.scandir(folder) if entry.name.startswith(prefix)
            )
        except OSError:
            return None
        if not names or names[0] == prefix:
            return None
        return value + names[0][len(prefix) :]


class ImportPathScreen(ModalScreen[Path | None]):
    """Asks for a folder (or file) of transcripts to import."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, start: Path) -> None:
        super().__init__(classes="prompt")
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Label("Import transcripts from a folder or file:", classes="prompt-title")
            yield Input(
                str(self.start) + os.sep,
                id="import-path",
                placeholder="path to a folder of .txt, .docx, .odt, .vtt, .srt files",
                suggester=FolderSuggester(),
            )
            yield Static(
                "→ completes the path · Enter imports (folders recursively) · Escape cancels",
                classes="hint",
            )
            yield Static("", id="import-error", classes="error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        path = Path(os.path.expanduser(event.value.strip()))
        if not event.value.strip() or not path.exists():
            self.query_one("#import-error", Static).update(f"{path}: no such file or folder")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
