"""The coding screen: the transcript turn by turn beside the focused turn's codes.

Keys act on the turn under the cursor and the code under the side panel's cursor; each
action goes to the app's writer (stored at once, in order, undoable) and the turn is
redrawn from what the database holds afterwards.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast

from sqlalchemy.exc import SQLAlchemyError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, Input
from textual.worker import get_current_worker

from qualcode.coding import CodingInfo, DocumentInfo, TurnInfo
from qualcode.domain import Status
from qualcode.errors import QualcodeError
from qualcode.tui.messages import Saved
from qualcode.tui.screens.picker import CodePicker
from qualcode.tui.screens.prompts import MemoScreen, ThresholdScreen
from qualcode.tui.widgets.footer import KeyFooter
from qualcode.tui.widgets.turn_panel import TurnPanel
from qualcode.tui.widgets.turn_view import TurnLayout, TurnView, measure
from qualcode.tui.writer import Job

if TYPE_CHECKING:
    from qualcode.tui.app import QualcodeApp


class SearchBar(Input):
    """Search in the document: matches are marked as you type; Enter jumps to the next."""

    BINDINGS = [Binding("escape", "close", "Close search")]

    def action_close(self) -> None:
        screen = cast("CodingScreen", self.screen)
        screen.close_search()


class CodingScreen(Screen[None]):
    """Codes one document."""

    BINDINGS = [
        Binding("escape", "back", "Back", show=False),
        Binding("a", "accept", "Accept"),
        Binding("x", "reject", "Reject"),
        Binding("c", "add_code", "Code"),
        Binding("u", "app.undo", "Undo"),
        Binding("n", "next_open", "Next"),
        Binding("N", "previous_open", "Previous open", show=False),
        Binding("A", "accept_above", "Accept all ≥", show=False),
        Binding("m", "memo", "Memo"),
        Binding("slash", "search", "Find"),
        Binding("v", "app.toggle_coders", "Mine/all", show=False),
        Binding("S", "app.suggest_document", "Suggest doc", show=False),
        Binding("tab,right_square_bracket", "panel(1)", "Next code", show=False),
        Binding("shift+tab,left_square_bracket", "panel(-1)", "Previous code", show=False),
    ]

    opened: reactive[bool] = reactive(False)

    @dataclass
    class Opened(Message):
        """The document was read from the database."""

        document: DocumentInfo
        cursor: int
        layouts: list[TurnLayout] | None = None

    @dataclass
    class Failed(Message):
        """The document could not be read."""

        error: str

    def __init__(self, document: str, cursor: int = 0, turn: int | None = None) -> None:
        """Open `document` with the cursor on the turn at index `cursor`, or on the turn
        numbered `turn` when given (from a matrix quote or a disagreement)."""
        super().__init__()
        self.document_name = document
        self.document: DocumentInfo | None = None
        self.start_cursor = cursor
        self.start_turn = turn
        self.pending: dict[int, int] = {}  # turn id -> actions sent, not yet stored
        self._view = TurnView(id="turns")  # held, so the reading worker needs no DOM query

    @property
    def qapp(self) -> QualcodeApp:
        return cast("QualcodeApp", self.app)

    @property
    def view(self) -> TurnView:
        return self._view

    @property
    def panel(self) -> TurnPanel:
        return self.query_one(TurnPanel)

    def compose(self) -> ComposeResult:
        self.load(self.start_cursor, self.start_turn)  # start reading while building the screen
        yield Header()
        with Horizontal(id="coding-body"):
            yield self._view
            yield TurnPanel(id="panel")
        yield KeyFooter()  # the search bar is mounted above it on the first `/`

    def on_mount(self) -> None:
        self.title = self.document_name
        self._subtitle()
        if self.document is None:
            self.view.placeholder = f"reading {self.document_name}…"
        self.view.focus()
        self.watch(self.view, "cursor", self._cursor_moved, init=False)

    def _subtitle(self) -> None:
        language = self.document.language if self.document else "…"
        coders = "every coder" if self.qapp.show_all_coders else "mine"
        self.sub_title = f"{language} · coder {self.qapp.coder} · showing {coders}"

    # -- loading ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="open-document")
    def load(self, cursor: int = 0, turn: int | None = None) -> None:
        """Read the document (and warm the code cache) off the UI thread; the cursor goes
        to index `cursor`, or to the turn numbered `turn` if there is one."""
        service = self.qapp.service
        show_all = self.qapp.show_all_coders
        try:
            codes = service.codes()
            document = service.read_document(self.document_name, "all" if show_all else None)
        except (QualcodeError, SQLAlchemyError) as exc:
            self.post_message(self.Failed(str(exc)))
            return
        if turn is not None:
            numbers = [t.number for t in document.turns]
            cursor = numbers.index(turn) if turn in numbers else cursor
        # Measure the turns here too, off the UI thread, once the view has its width (the
        # screen is laid out meanwhile); the view measures them itself if this is too late.
        worker = get_current_worker()
        deadline = time.monotonic() + 0.5
        while not self.view.content_width and time.monotonic() < deadline:
            if worker.is_cancelled:
                return
            time.sleep(0.005)
        width = self.view.content_width
        layouts = None
        if width:
            layouts = [
                measure(turn, width, codes, document.language, self.qapp.coder, show_all)
                for turn in document.turns
            ]
        self.post_message(self.Opened(document, cursor, layouts))

    @on(Opened)
    def _opened(self, event: Opened) -> None:
        self.document = event.document
        self.pending.clear()
        view = self.view
        view.placeholder = ""
        view.set_turns(
            event.document.turns,
            self.qapp.service.codes(),
            event.document.language,
            self.qapp.coder,
            self.qapp.show_all_coders,
            event.cursor,
            event.layouts,
        )
        self._show_panel()
        self._subtitle()
        self.opened = True

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.notify(f"cannot open {self.document_name}: {event.error}", severity="error")
        if self.document is None and self.is_current:
            self.app.pop_screen()

    def reload(self) -> None:
        """Read the document again, keeping the cursor (after suggest or a coder toggle)."""
        self._subtitle()
        self.load(self.view.cursor)

    def _cursor_moved(self) -> None:
        # A watcher, not a message: the panel is redrawn in the same frame as the transcript.
        self._show_panel()

    def _show_panel(self, keep: int | None = None) -> None:
        if self.document is None:
            return
        self.panel.show(
            self.view.current,
            self.qapp.service.codes(),
            self.document.language,
            self.qapp.coder,
            self.qapp.show_all_coders,
            keep,
        )

    # -- what the writer stored ---------------------------------------------------------

    def apply_saved(self, event: Saved) -> None:
        """A stored action's result for a turn of this document: redraw that turn."""
        if self.document is None or event.turn_id is None:
            return
        index = self.view.index_of(event.turn_id)
        if index is None:
            return
        if not event.undone:
            left = self.pending.get(event.turn_id, 1) - 1
            if left > 0:
                self.pending[event.turn_id] = left
                return
            self.pending.pop(event.turn_id, None)
        turn = self.view.turns[index]
        turn.codings = list(event.codings)
        if event.memo is not None:
            turn.memo = event.memo
        self.view.update_turn(index)
        if event.undone and index != self.view.cursor:
            self.view.cursor = index
        elif index == self.view.cursor:
            self._show_panel(keep=self.panel.highlighted)

    def _submit(self, turn: TurnInfo, job: Job) -> None:
        self.pending[turn.id] = self.pending.get(turn.id, 0) + 1
        self.qapp.writer.submit(job)

    def _optimistic(self, turn: TurnInfo, coding: CodingInfo, status: Status) -> None:
        """Show the decision before the database confirms it (it replaces this view)."""
        mine = coding.coder == self.qapp.coder
        changed = [
            replace(c, status=status.value) if mine and c.id == coding.id else c
            for c in turn.codings
        ]
        if not mine:
            changed.append(replace(coding, coder=self.qapp.coder, status=status.value))
        turn.codings = changed
        keep = self.panel.highlighted
        self.view.update_turn(self.view.cursor)
        self._show_panel(keep=keep)

    # -- actions ------------------------------------------------------------------------

    def _code_name(self, code: str) -> str:
        info = self.qapp.service.codes().get(code)
        language = self.document.language if self.document else "en"
        return f"“{info.name_in(language) if info else code}”"

    def _target(self) -> tuple[DocumentInfo, TurnInfo] | None:
        if self.document is None or self.view.current is None:
            self.app.bell()
            return None
        return self.document, self.view.current

    def _decide(self, status: Status) -> None:
        target = self._target()
        if target is None:
            return
        document, turn = target
        item = self.panel.current
        if item is None or (item.coding.status == status.value and item.kind != "other"):
            verb = "accept" if status is Status.ACCEPTED else "reject"
            self.notify(f"no code under the panel cursor to {verb}", timeout=2)
            return
        coding_id = item.coding.id
        label = f"{status.value} {self._code_name(item.coding.code)} on turn {turn.number}"
        self._submit(
            turn,
            Job(document.id, turn.id, lambda service: service.set_status(coding_id, status), label),
        )
        self._optimistic(turn, item.coding, status)

    def action_accept(self) -> None:
        self._decide(Status.ACCEPTED)

    def action_reject(self) -> None:
        self._decide(Status.REJECTED)

    def action_panel(self, step: int) -> None:
        self.panel.move(step)

    def action_add_code(self) -> None:
        target = self._target()
        if target is None:
            return
        document, turn = target
        service = self.qapp.service
        already = frozenset(c.code for c in turn.accepted(self.qapp.coder))

        def chosen(code: str | None) -> None:
            if code is None:
                return
            label = f"added {self._code_name(code)} to turn {turn.number}"
            self._submit(
                turn, Job(document.id, turn.id, lambda s: s.add(turn, document.id, code), label)
            )

        self.app.push_screen(
            CodePicker(
                f"Add a code to turn {turn.number} ({turn.speaker or '—'})",
                lambda query: service.search_codes(query, document.language, limit=40),
                document.language,
                already,
            ),
            chosen,
        )

    def action_accept_above(self) -> None:
        target = self._target()
        if target is None:
            return
        document, turn = target
        open_count = len(turn.open_suggestions(self.qapp.coder))
        if not open_count:
            self.notify("no open suggestions on this turn", timeout=2)
            return

        def chosen(threshold: float | None) -> None:
            if threshold is None:
                return
            self.qapp.threshold = threshold
            snapshot = replace(turn, codings=list(turn.codings))
            label = f"accepted the suggestions ≥ {threshold:.2f} on turn {turn.number}"
            self._submit(
                turn,
                Job(document.id, turn.id, lambda s: s.accept_above(snapshot, threshold), label),
            )

        self.app.push_screen(ThresholdScreen(turn.number, self.qapp.threshold, open_count), chosen)

    def action_memo(self) -> None:
        target = self._target()
        if target is None:
            return
        document, turn = target

        def written(text: str | None) -> None:
            if text is None or text == turn.memo:
                return
            snapshot = replace(turn, codings=[])
            self._submit(
                turn,
                Job(
                    document.id,
                    turn.id,
                    lambda s: s.set_memo(document.id, snapshot, text),
                    f"memo on turn {turn.number}",
                    text,
                ),
            )

        self.app.push_screen(
            MemoScreen(f"Memo on turn {turn.number} ({turn.speaker or '—'})", turn.memo), written
        )

    def _jump_open(self, step: int) -> None:
        turns = self.view.turns
        if not turns:
            return
        coder = self.qapp.coder
        count = len(turns)
        for offset in range(1, count + 1):
            index = (self.view.cursor + step * offset) % count
            if turns[index].open_suggestions(coder):
                self.view.cursor = index
                return
        self.notify("no open suggestions left in this document", timeout=3)

    def action_next_open(self) -> None:
        self._jump_open(1)

    def action_previous_open(self) -> None:
        self._jump_open(-1)

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- search -------------------------------------------------------------------------

    async def action_search(self) -> None:
        bars = self.query(SearchBar)
        if bars:
            bar = bars.first()
        else:
            bar = SearchBar(
                placeholder="search this document · Enter: next match · Escape closes",
                id="search",
                compact=True,
            )
            await self.mount(bar, before=self.query_one(KeyFooter))
        bar.display = True
        bar.focus()
        self.view.highlight = bar.value

    def close_search(self) -> None:
        bar = self.query_one(SearchBar)
        bar.display = False
        self.view.highlight = ""
        self.view.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.view.highlight = event.value
        self._find(event.value, start=0)

    @on(Input.Submitted, "#search")
    def _search_next(self, event: Input.Submitted) -> None:
        self._find(event.value, start=1)

    def _find(self, query: str, start: int) -> None:
        needle = query.strip().casefold()
        turns = self.view.turns
        if not needle or not turns:
            return
        count = len(turns)
        for offset in range(start, count + start):
            index = (self.view.cursor + offset) % count
            turn = turns[index]
            if needle in turn.text.casefold() or needle in (turn.speaker or "").casefold():
                self.view.cursor = index
                return
        self.notify(f"“{query}” is not in this document", timeout=2)
