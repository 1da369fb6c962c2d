"""The code picker: type to filter codes by id, name in any language or term; Enter picks."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.coding import CodeInfo
from qualcode.tui.widgets.chips import POLARITY_SIGN, chip_style, polarity_of

Search = Callable[[str], Sequence[CodeInfo]]


class CodeOptions(OptionList):
    """The picker's list of codes, coloured by polarity."""


class CodePicker(ModalScreen[str | None]):
    """Returns the id of the chosen code, or None on Escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(8)", show=False),
        Binding("pageup", "move(-8)", show=False),
    ]

    def __init__(
        self, title: str, search: Search, language: str, already: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(classes="prompt")
        self.title_text = title
        self.search = search
        self.language = language
        self.already = already
        self.shown: list[CodeInfo] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box picker-box"):
            yield Label(self.title_text, classes="prompt-title")
            yield Input(placeholder="type a name, id or term (any language)", id="picker-query")
            yield CodeOptions(id="picker-codes")
            yield Static("↑↓ choose · Enter adds as accepted · Escape cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._fill("")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        options = self.query_one(CodeOptions)
        self.shown = list(self.search(query))
        prompts = []
        for code in self.shown:
            polarity = polarity_of(code)
            prompt = Text()
            prompt.append(
                f" {POLARITY_SIGN[polarity]} ",
                style=chip_style(f"chip--accepted-{polarity}"),
            )
            prompt.append(f" {code.name_in(self.language)}")
            if code.id in self.already:
                prompt.append("  ✓ on this turn", style="bold")
            prompt.append(f"\n   {code.id}", style=chip_style("note"))
            prompts.append(Option(prompt, id=code.id))
        options.clear_options()
        options.add_options(prompts)
        options.highlighted = 0 if prompts else None

    def action_move(self, step: int) -> None:
        options = self.query_one(CodeOptions)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(current + step, options.option_count - 1))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        options = self.query_one(CodeOptions)
        if options.highlighted is None:
            self.app.bell()
            return
        self.dismiss(self.shown[options.highlighted].id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
