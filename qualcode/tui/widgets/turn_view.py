"""The transcript, turn by turn, drawn lazily: only the lines in view are ever rendered.

A document of thousands of turns opens fast because the view holds plain `TurnInfo`
objects, measures each turn with a fast word wrap, and renders (and caches) the strips of
the few turns on screen. Changing one turn re-measures that turn only.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.coding import CodeInfo, TurnInfo
from qualcode.tui.widgets.chips import Chip, chip_style, turn_chips
from qualcode.tui.widgets.text_layout import truncate, wrap

GUTTER = 2
RIGHT_MARGIN = 1

Line = list[tuple[str, str]]  # (text, component class or "")


@dataclass
class TurnLayout:
    """A turn measured at one width: its wrapped text and chip rows."""

    width: int
    text: list[str]
    chips: list[list[Chip]]

    @property
    def height(self) -> int:
        return 1 + len(self.text) + len(self.chips) + 1


def measure(
    turn: TurnInfo,
    width: int,
    codes: Mapping[str, CodeInfo],
    language: str,
    coder: str,
    show_all: bool,
) -> TurnLayout:
    """Lay a turn out at `width` cells. Pure: a worker may measure a document off the UI."""
    body = max(width - GUTTER - RIGHT_MARGIN, 8)
    rows: list[list[Chip]] = []
    used = 0
    for chip in turn_chips(turn, codes, language, coder, show_all):
        size = len(chip.text)
        if rows and used + 1 + size <= body:
            rows[-1].append(chip)
            used += 1 + size
        else:
            rows.append([chip])
            used = size
    return TurnLayout(width, wrap(turn.text, body), rows)


class TurnView(ScrollView, can_focus=True):
    """A scrolling transcript with a cursor on one turn."""

    COMPONENT_CLASSES = {
        "turn-view--cursor",
        "turn-view--gutter",
        "turn-view--speaker",
        "turn-view--role",
        "turn-view--meta",
        "turn-view--interviewer",
        "turn-view--match",
    }

    BINDINGS = [
        Binding("down,j", "cursor_down", "Next turn", show=False),
        Binding("up,k", "cursor_up", "Previous turn", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home,g", "first", "First turn", show=False),
        Binding("end,G", "last", "Last turn", show=False),
    ]

    cursor: reactive[int] = reactive(0, init=False)
    highlight: reactive[str] = reactive("", init=False)
    placeholder: reactive[str] = reactive("", init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.turns: list[TurnInfo] = []
        self.codes: Mapping[str, CodeInfo] = {}
        self.language = "en"
        self.coder = ""
        self.show_all = False
        self._layouts: list[TurnLayout | None] = []
        self._starts: list[int] = []
        self._total = 0
        self._versions: list[int] = []
        self._strips: LRUCache[tuple[int, int, int, bool, str], list[Strip]] = LRUCache(256)
        self._styles: dict[str, Style] = {}
        self._width = 0

    # -- content ------------------------------------------------------------------------

    def set_turns(
        self,
        turns: Sequence[TurnInfo],
        codes: Mapping[str, CodeInfo],
        language: str,
        coder: str,
        show_all: bool,
        cursor: int = 0,
        layouts: Sequence[TurnLayout] | None = None,
    ) -> None:
        """Show these turns; the cursor goes to `cursor` (clamped).

        `layouts` are the turns measured ahead (by `measure`, in a worker); they are used
        if they were measured at the view's present width.
        """
        self.turns = list(turns)
        self.codes = codes
        self.language = language
        self.coder = coder
        self.show_all = show_all
        self._versions = [0] * len(self.turns)
        self._strips.clear()
        width = self.scrollable_content_region.width
        if layouts is not None and len(layouts) == len(self.turns) and width > 0:
            if all(layout.width == width for layout in layouts):
                self._width = width
                self._layouts = list(layouts)
                self._restart()
            else:
                self._relayout()
        else:
            self._relayout()
        self.set_reactive(TurnView.cursor, self._clamp(cursor))
        self._scroll_to_cursor()
        # Once more when the new virtual size is laid out: until then a scroll is clamped
        # to the old size (an opened document starting at a later turn stayed at the top).
        self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()

    def update_turn(self, index: int) -> None:
        """The turn at `index` changed (codings, memo): measure and draw it again."""
        if not 0 <= index < len(self.turns):
            return
        self._versions[index] += 1
        old = self._layouts[index]
        new = self._measure(self.turns[index], self._width) if self._width else None
        self._layouts[index] = new
        if old is None or new is None or old.height != new.height:
            self._restart()
        self.refresh()

    def index_of(self, turn_id: int) -> int | None:
        for index, turn in enumerate(self.turns):
            if turn.id == turn_id:
                return index
        return None

    @property
    def content_width(self) -> int:
        """The width turns are measured at (0 before the first layout)."""
        return self._width

    @property
    def current(self) -> TurnInfo | None:
        return self.turns[self.cursor] if self.turns else None

    # -- geometry -----------------------------------------------------------------------

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self.turns) - 1)) if self.turns else 0

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        self._width = width
        if width <= 0:
            self._layouts = [None] * len(self.turns)
            self._starts = [0] * len(self.turns)
            self._total = 0
            return
        self._layouts = [self._measure(turn, width) for turn in self.turns]
        self._strips.clear()
        self._restart()

    def _restart(self) -> None:
        """Recompute where each turn starts and the virtual height."""
        starts = []
        total = 0
        for layout in self._layouts:
            starts.append(total)
            total += layout.height if layout else 0
        self._starts = starts
        self._total = total
        self.virtual_size = Size(self._width, total)

    def _measure(self, turn: TurnInfo, width: int) -> TurnLayout:
        return measure(turn, width, self.codes, self.language, self.coder, self.show_all)

    def _index_at(self, line: int) -> int:
        if not self._starts:
            return 0
        return max(0, bisect_right(self._starts, line) - 1)

    def _scroll_to_cursor(self) -> None:
        if not self.turns or not self._layouts or self._layouts[self.cursor] is None:
            return
        layout = self._layouts[self.cursor]
        assert layout is not None
        top = self._starts[self.cursor]
        height = layout.height
        view = self.scrollable_content_region.height
        y = round(self.scroll_y)
        if top >= y and top + height <= y + view:
            return
        # Out of view: bring the turn in with some of what comes before it, for context.
        context = max(0, min(view // 4, view - height))
        self.scroll_to(y=max(top - context, 0), animate=False, immediate=True)

    def on_resize(self, _event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._relayout()
            self._scroll_to_cursor()
            self.refresh()

    # -- cursor -------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return self._clamp(cursor)

    def watch_cursor(self, _old: int, _new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def watch_placeholder(self) -> None:
        self.refresh()

    def watch_highlight(self, _old: str, _new: str) -> None:
        self._strips.clear()
        self.refresh()

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.turns) - 1

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        if not self.turns or not self._starts:
            return
        view = max(self.scrollable_content_region.height - 2, 1)
        target = self._index_at(self._starts[self.cursor] + direction * view)
        if target == self.cursor:
            target += direction
        self.cursor = target

    def on_click(self, event: events.Click) -> None:
        if self.turns and self._starts:
            self.cursor = self._index_at(round(self.scroll_y) + event.y)
            self.focus()

    # -- drawing ------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._styles = {}
        self._strips.clear()
        super().notify_style_update()

    def _base_style(self) -> Style:
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            if name.startswith("chip--"):
                style = chip_style(name)
            else:
                style = self.get_component_rich_style(name, partial=True)
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self._width
        line = round(self.scroll_y) + y
        if not self.turns and self.placeholder and y == 1 and width > 0:
            text = Segment(
                f"  {self.placeholder}", self._base_style() + self._style("turn-view--meta")
            )
            return Strip([text]).crop_extend(0, width, self._base_style())
        if not self.turns or line >= self._total or width <= 0:
            return Strip.blank(max(width, 0), self._base_style())
        index = self._index_at(line)
        strips = self._turn_strips(index)
        offset = line - self._starts[index]
        if offset >= len(strips):
            return Strip.blank(width, self._base_style())
        return strips[offset]

    def _turn_strips(self, index: int) -> list[Strip]:
        focused = index == self.cursor
        key = (index, self._versions[index], self._width, focused, self.highlight)
        strips = self._strips.get(key)
        if strips is None:
            strips = self._render_turn(index, focused)
            self._strips[key] = strips
        return strips

    def _render_turn(self, index: int, focused: bool) -> list[Strip]:
        turn = self.turns[index]
        layout = self._layouts[index]
        if layout is None:
            return []
        width = self._width
        body = max(width - GUTTER - RIGHT_MARGIN, 8)
        base = self._base_style()
        if focused:
            base = base + self._style("turn-view--cursor")
        text_style = "turn-view--interviewer" if turn.role == "interviewer" else ""
        lines: list[Line] = [self._header(turn, body)]
        for text in layout.text:
            lines.append(self._marked(text, text_style))
        for row in layout.chips:
            chip_line: Line = []
            for position, chip in enumerate(row):
                if position:
                    chip_line.append((" ", ""))
                chip_line.append((chip.text, chip.component))
            lines.append(chip_line)
        lines.append([])
        gutter = "▌ " if focused else "  "
        gutter_style = base + self._style("turn-view--gutter") if focused else base
        strips = []
        for number, parts in enumerate(lines):
            segments = [Segment(gutter if number < len(lines) - 1 else "  ", gutter_style)]
            for text, component in parts:
                style = base + self._style(component) if component else base
                segments.append(Segment(text, style))
            strips.append(Strip(segments).crop_extend(0, width, base))
        return strips

    def _header(self, turn: TurnInfo, body: int) -> Line:
        speaker = turn.speaker or "—"
        right = f"#{turn.number}"
        if turn.start_time is not None:
            seconds = int(turn.start_time)
            right = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}  {right}"
        if turn.memo:
            right = f"✎ memo  {right}"
        left_room = max(body - len(right) - 1, 4)
        speaker = truncate(speaker, max(left_room - len(turn.role) - 3, 4))
        role = f" · {turn.role}"
        used = len(speaker) + len(role)
        pad = max(body - used - len(right), 1)
        return [
            (speaker, "turn-view--speaker"),
            (role, "turn-view--role"),
            (" " * pad, ""),
            (right, "turn-view--meta"),
        ]

    def _marked(self, text: str, component: str) -> Line:
        """A text line with the search matches marked."""
        needle = self.highlight.casefold()
        if not needle or needle not in text.casefold():
            return [(text, component)]
        parts: Line = []
        folded = text.casefold()
        position = 0
        if len(folded) != len(text):  # casefold changed the length (ß): mark nothing
            return [(text, component)]
        while True:
            found = folded.find(needle, position)
            if found < 0:
                parts.append((text[position:], component))
                return parts
            parts.append((text[position:found], component))
            parts.append((text[found : found + len(needle)], "turn-view--match"))
            position = found + len(needle)
