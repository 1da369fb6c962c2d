"""The side panel of the coding screen: the focused turn's suggestions, codes and memo.

A fixed-size widget that draws its own lines: moving to another turn repaints it in the
same frame as the transcript, without a new layout of the screen (an option list, whose
height follows its content, costs a layout and a frame more on every move).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from qualcode.coding import CodeInfo, CodingInfo, TurnInfo
from qualcode.domain import Status
from qualcode.tui.widgets.chips import chip_for, chip_style
from qualcode.tui.widgets.text_layout import wrap


@dataclass(frozen=True)
class PanelItem:
    """A coding the researcher can act on from the panel."""

    coding: CodingInfo
    kind: str  # suggestion | accepted | rejected | other


@dataclass(frozen=True)
class _Block:
    """What the panel shows, in order: a heading or note (item None), or an item."""

    text: str
    style: str  # a chip style name, "bold", "dim" or "note"
    note: str = ""  # a second paragraph in the note style (a suggestion's explanation)
    item: PanelItem | None = None


class TurnPanel(Widget, can_focus=False):
    """Suggestions (name in the document's language, confidence, why), codes and memo.

    The coding screen moves the cursor among the items (tab, [ and ]); a click moves it too.
    """

    COMPONENT_CLASSES = {"turn-panel--cursor"}

    highlighted: reactive[int | None] = reactive(None, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[PanelItem | None] = []  # one per block; None: not selectable
        self._blocks: list[_Block] = []
        self._lines: list[tuple[int, str, str, str]] = []  # (block, margin, text, style)
        self._width = 0
        self._offset = 0  # the first line shown

    # -- content ------------------------------------------------------------------------

    def show(
        self,
        turn: TurnInfo | None,
        codes: Mapping[str, CodeInfo],
        language: str,
        coder: str,
        show_all: bool,
        keep: int | None = None,
    ) -> None:
        """Show `turn`; the cursor goes to item `keep` (or the one before) if given."""
        blocks = [] if turn is None else _blocks(turn, codes, language, coder, show_all)
        self._blocks = blocks
        self.items = [block.item for block in blocks]
        self._width = 0  # lay out again at the next paint
        self._offset = 0
        enabled = [i for i, item in enumerate(self.items) if item is not None]
        before = [i for i in enabled if keep is not None and i <= keep]
        self.set_reactive(
            TurnPanel.highlighted, before[-1] if before else (enabled[0] if enabled else None)
        )
        self.refresh()

    @property
    def current(self) -> PanelItem | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.items):
            return None
        return self.items[index]

    def move(self, step: int) -> None:
        """Move the cursor to the next (+1) or previous (-1) item, wrapping around."""
        enabled = [i for i, item in enumerate(self.items) if item is not None]
        if not enabled:
            return
        if self.highlighted not in enabled:
            self.highlighted = enabled[0]
            return
        position = enabled.index(self.highlighted)
        self.highlighted = enabled[(position + step) % len(enabled)]

    def watch_highlighted(self) -> None:
        self.refresh()

    # -- drawing ------------------------------------------------------------------------

    def _layout(self, width: int) -> None:
        lines: list[tuple[int, str, str, str]] = []
        for index, block in enumerate(self._blocks):
            if block.item is None:
                lines += [(index, "", text, block.style) for text in wrap(block.text, width)]
                continue
            # An item: a margin for the cursor mark, its chip (padded, as in the transcript)
            for text in wrap(block.text, max(width - 3, 4)):
                lines.append((index, " ", f" {text} ", block.style))
            for text in wrap(block.note, max(width - 3, 4)) if block.note else []:
                lines.append((index, "   ", text, "note"))
        self._lines = lines
        self._width = width

    def _window(self, height: int) -> int:
        """The first line to show, so that the item under the cursor is in view."""
        rows = [n for n, line in enumerate(self._lines) if line[0] == self.highlighted]
        if rows:
            if rows[0] < self._offset:
                self._offset = rows[0]
            elif rows[-1] >= self._offset + height:
                self._offset = min(rows[0], rows[-1] - height + 1)
        self._offset = max(0, min(self._offset, len(self._lines) - height))
        return self._offset

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if width != self._width:
            self._layout(width)
        number = self._window(self.size.height) + y
        if not 0 <= number < len(self._lines):
            return Strip.blank(width, base)
        block, margin, text, style = self._lines[number]
        if block == self.highlighted:
            base = base + self.get_component_rich_style("turn-panel--cursor", partial=True)
            if margin == " " and (number == 0 or self._lines[number - 1][0] != block):
                margin = "▸"  # the cursor, visible without colour too
        segments = [Segment(margin, base), Segment(text, base + _style(style))]
        return Strip(segments).crop_extend(0, width, base)

    def on_click(self, event: events.Click) -> None:
        number = self._offset + event.y
        if 0 <= number < len(self._lines):
            block = self._lines[number][0]
            if self.items[block] is not None:
                self.highlighted = block

    def on_mouse_scroll_down(self, _event: events.MouseScrollDown) -> None:
        self.move(1)

    def on_mouse_scroll_up(self, _event: events.MouseScrollUp) -> None:
        self.move(-1)


def _style(name: str) -> Style:
    if name in ("bold", "dim"):
        return Style.parse(name)
    return chip_style(name)


def _blocks(
    turn: TurnInfo, codes: Mapping[str, CodeInfo], language: str, coder: str, show_all: bool
) -> list[_Block]:
    """The panel's content for a turn, top to bottom."""
    blocks = [
        _Block(f"Turn {turn.number} · {turn.speaker or '—'} · {turn.role}", "bold"),
        _Block("", "dim"),
    ]

    def add(coding: CodingInfo, kind: str, note: str = "", who: str | None = None) -> None:
        chip = chip_for(coding, codes, language, coder=who, width=200)
        blocks.append(_Block(chip.text.strip(), chip.component, note, PanelItem(coding, kind)))

    mine = [c for c in turn.codings if c.coder == coder]
    suggested = turn.open_suggestions(coder)
    accepted = sorted((c for c in mine if c.status == Status.ACCEPTED.value), key=lambda c: c.code)
    rejected = sorted((c for c in mine if c.status == Status.REJECTED.value), key=lambda c: c.code)
    if turn.role == "interviewer" and not mine:
        blocks += [_Block("Interviewer turn", "bold"), _Block("c adds a code", "dim")]
    if suggested:
        blocks.append(_Block(f"Suggestions ({len(suggested)})", "bold"))
        for coding in suggested:
            add(coding, "suggestion", coding.explanation)
    if accepted:
        blocks.append(_Block(f"Coded ({len(accepted)})", "bold"))
        for coding in accepted:
            add(coding, "accepted", "by hand" if coding.source == "manual" else "")
    if show_all:
        mine_accepted = {c.code for c in accepted}
        others = [
            c
            for c in turn.codings
            if c.coder != coder and c.status == Status.ACCEPTED.value
            if c.code not in mine_accepted
        ]
        if others:
            blocks.append(_Block("Other coders (a adopts)", "bold"))
            for coding in sorted(others, key=lambda c: (c.coder, c.code)):
                add(coding, "other", who=coding.coder)
    if rejected:
        blocks.append(_Block(f"Rejected ({len(rejected)})", "bold"))
        for coding in rejected:
            add(coding, "rejected")
    if len(blocks) == 2 and turn.role != "interviewer":
        blocks += [_Block("No codes yet", "bold"), _Block("c adds a code", "dim")]
    if turn.memo:
        blocks += [_Block("", "dim"), _Block(f"✎ memo: {turn.memo}", "note")]
    return blocks
