"""The lazy transcript view, its word wrap, and the lean document read it is fed with."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App, ComposeResult

from qualcode.coding import CodingInfo, TurnInfo
from qualcode.tui.widgets.text_layout import truncate, wrap
from qualcode.tui.widgets.turn_view import TurnView
from tests import test_tui_support as support
from tests.test_tui_support import (
    CODER,
)

template_project = support.template_project  # fixtures shared by the TUI tests
tui_project = support.tui_project


def test_wrap_respects_the_width_and_keeps_paragraphs() -> None:
    text = "Jeg tør mere nu, og ventetiden er blevet kortere.\nNy linje her."
    lines = wrap(text, 20)
    assert all(cell_len(line) <= 20 for line in lines)
    assert " ".join(lines[:-1]).startswith("Jeg tør mere nu,")
    assert lines[-1] == "Ny linje her."
    assert wrap("brugerrepræsentanterne", 8) == ["brugerre", "præsenta", "nterne"]
    assert wrap("", 10) == [""]
    assert wrap("漢字漢字漢字", 4) == ["漢字", "漢字", "漢字"]  # double-width cells
    assert truncate("Organisatorisk inddragelse", 10) == "Organisat…"


def big_turns(count: int) -> list[TurnInfo]:
    sentence = "Og så begyndte de at spørge os om alt muligt, hvad vi ville have at spise. "
    turns = []
    for number in range(1, count + 1):
        role = "interviewer" if number % 2 else "participant"
        text = sentence * (1 + number % 5)
        turns.append(TurnInfo(number, number, "B", role, text, 0, len(text), None))
    return turns


class ViewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TurnView()


async def test_only_the_visible_turns_are_rendered() -> None:
    app = ViewApp()
    rendered: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TurnView)
        original = view._render_turn

        def counting(index: int, focused: bool):  # type: ignore[no-untyped-def]
            rendered.append(index)
            return original(index, focused)

        view._render_turn = counting  # type: ignore[method-assign]
        view.set_turns(big_turns(2000), {}, "da", CODER, False)
        view.focus()
        await pilot.pause()
        assert view.virtual_size.height > 2000 * 3
        assert set(rendered) <= set(range(10))  # a screenful, not 2,000 turns
        rendered.clear()
        await pilot.press("end")
        assert view.cursor == 1999
        assert max(rendered) == 1999 and min(rendered) > 1980
        top = round(view.scroll_y)
        assert view._starts[1999] >= top  # the cursor's turn is in view


async def test_changing_a_turn_measures_only_that_turn() -> None:
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TurnView)
        view.set_turns(big_turns(2000), {}, "da", CODER, False)
        await pilot.pause()
        measured: list[int] = []
        original = view._measure

        def counting(turn: TurnInfo, width: int):  # type: ignore[no-untyped-def]
            measured.append(turn.number)
            return original(turn, width)

        view._measure = counting  # type: ignore[method-assign]
        height = view.virtual_size.height
        view.turns[4].codings = [CodingInfo(1, "x.y", "accepted", CODER, None, "manual", "", 0, 1)]
        view.update_turn(4)
        await pilot.pause()
        assert measured == [5]
        assert view.virtual_size.height == height + 1  # one chip row more
