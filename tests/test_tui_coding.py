"""The coding screen through the pilot: every key of the contract, checked on what is stored."""

from __future__ import annotations

from pathlib import Path

from qualcode.coding import CodingService
from qualcode.services import Project
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.documents import DocumentsScreen
from tests import test_tui_support as support
from tests.test_tui_support import (
    CODER,
    SIZE,
    codings,
    invoke,
    make_app,
    press,
    settle,
    type_text,
)

template_project = support.template_project  # fixtures shared by the TUI tests
tui_project = support.tui_project

EMPOWERMENT = (2, "users.empowerment")
WAITING = (2, "end_users.waiting_times")


async def open_danish(pilot) -> CodingScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    assert isinstance(pilot.app.screen, DocumentsScreen)
    await press(pilot, "enter")
    screen = pilot.app.screen
    assert isinstance(screen, CodingScreen) and screen.document_name == "da-crafted.txt"
    return screen


async def test_moves_between_turns_with_arrows_and_jk(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_danish(pilot)
        view = screen.view
        assert len(view.turns) == 6 and view.cursor == 0
        await press(pilot, "down")
        assert view.cursor == 1
        await press(pilot, "j", "j")
        assert view.cursor == 3
        await press(pilot, "k")
        assert view.cursor == 2
        await press(pilot, "up", "up", "up")
        assert view.cursor == 0
        await press(pilot, "G")
        assert view.cursor == 5
        await press(pilot, "g")
        assert view.cursor == 0
        assert "coder anna" in screen.sub_title


async def test_accept_and_reject_are_stored_and_undo_reverts_them(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_danish(pilot)
        await press(pilot, "j")
        assert screen.panel.current is not None
        assert screen.panel.current.coding.code == "users.empowerment"
        await press(pilot, "a")
        assert (*EMPOWERMENT, "accepted", CODER) in codings(tui_project)
        chips = [c.status for c in screen.view.current.codings if c.code == EMPOWERMENT[1]]
        assert chips == ["accepted"]
        await press(pilot, "u")
        assert (*EMPOWERMENT, "suggested", CODER) in codings(tui_project)
        await press(pilot, "x")
        assert (*EMPOWERMENT, "rejected", CODER) in codings(tui_project)
        await press(pilot, "u")
        assert (*EMPOWERMENT, "suggested", CODER) in codings(tui_project)


async def test_tab_and_brackets_move_between_suggestions(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_danish(pilot)
        await press(pilot, "j")
        panel = screen.panel
        assert panel.current is not None and panel.current.coding.code == EMPOWERMENT[1]
        await press(pilot, "tab")
        assert panel.current is not None and panel.current.coding.code == WAITING[1]
        await press(pilot, "shift+tab")
        assert panel.current is not None and panel.current.coding.code == EMPOWERMENT[1]
        await press(pilot, "right_square_bracket")
        assert panel.current is not None and panel.current.coding.code == WAITING[1]
        await press(pilot, "left_square_bracket", "right_square_bracket", "a")
        stored = codings(tui_project)
        assert (*WAITING, "accepted", CODER) in stored
        assert (*EMPOWERMENT, "suggested", CODER) in stored


async def test_code_picker_filters_in_any_language_and_adds(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_danish(pilot)
        await press(pilot, "G")  # the last turn, 6: nothing suggested
        assert screen.view.current is not None and screen.view.current.number == 6
        await press(pilot, "c")
        assert type(app.screen).__name__ == "CodePicker"
        await type_text(pilot, "egenm")  # the Swedish name of users.empowerment: Egenmakt
        await press(pilot, "enter")
        assert isinstance(app.screen, CodingScreen)
        assert (6, "users.empowerment", "accepted", CODER) in codings(tui_project)
        await press(pilot, "c")
        await type_text(pilot, "vent")
        await press(pilot, "enter")
        assert (6, "end_users.waiting_times", "accepted", CODER) in codings(tui_project)
        await press(pilot, "c", "escape")  # Escape leaves the picker without a change
        assert isinstance(app.screen, CodingScreen)
        await press(pilot, "u", "u")
        assert not {c for c in codings(tui_project) if c[0] == 6}


async def test_next_open_suggestion_and_accept_all_above(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_danish(pilot)
        await press(pilot, "n")
        assert screen.view.current is not None and screen.view.current.number == 2
        await press(pilot, "n")
        assert screen.view.current is not None and screen.view.current.number == 4
        await press(pilot, "N")
        assert screen.view.current is not None and screen.view.current.number == 2
        turn = screen.view.current
        expected = {c.code for c in turn.open_suggestions(CODER) if (c.confidence or 0) >= 0.5}
        assert expected
        await press(pilot, "A")
        assert type(app.screen).__name__ == "ThresholdScreen"
        await press(pilot, "enter")  # the default threshold, 0.50
        accepted = {c[1] for c in codings(tui_project) if c[0] == 2 and c[2] == "accepted"}
        assert accepted == expected
        await press(pilot, "u")
        assert not {c for c in codings(tui_project) if c[2] == "accepted"}


async def test_memo_is_saved_and_undone(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_danish(pilot)
        await press(pilot, "j", "m")
        assert type(app.screen).__name__ == "MemoScreen"
        await type_text(pilot, "Mod!")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CodingScreen)
        service = CodingService(Project.open(str(tui_project)).engine, CODER)
        assert service.open_document("da-crafted.txt").turns[1].memo == "Mod!"
        assert screen.view.turns[1].memo == "Mod!"
        await press(pilot, "u")
        assert service.open_document("da-crafted.txt").turns[1].memo == ""
        assert screen.view.turns[1].memo == ""


async def test_search_in_the_document(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_danish(pilot)
        await press(pilot, "slash")
        await type_text(pilot, "styre")  # styregruppen, in turn 4
        assert screen.view.current is not None and screen.view.current.number == 4
        assert screen.view.highlight == "styre"
        await press(pilot, "escape")
        assert screen.view.has_focus and screen.view.highlight == ""
        await press(pilot, "slash")
        await pilot.press(*"tør")
        await settle(pilot)
        await press(pilot, "enter")
        first = screen.view.cursor
        await press(pilot, "enter")
        assert screen.view.cursor != first  # Enter goes to the next match
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, DocumentsScreen)


async def test_escape_goes_back_and_the_list_shows_the_coded_share(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_danish(pilot)
        await press(pilot, "j", "a", "escape")
        assert isinstance(app.screen, DocumentsScreen)
        coded = {d.name: d.coded_share for d in app.screen.documents}
        assert coded["da-crafted.txt"] > 0


async def test_undo_steps_back_through_several_actions(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_danish(pilot)
        before = codings(tui_project)
        await pilot.press("j", "a", "a", "j", "j", "x")  # no waiting between the keys
        await settle(pilot)
        stored = codings(tui_project)
        assert (*EMPOWERMENT, "accepted", CODER) in stored
        assert (*WAITING, "accepted", CODER) in stored
        assert (4, "process.organisational_involvement", "rejected", CODER) in stored
        await pilot.press("u", "u", "u")
        await settle(pilot)
        assert codings(tui_project) == before
        await press(pilot, "u")  # nothing left: a message, no change
        assert codings(tui_project) == before


async def test_ctrl_q_quits_after_storing_pending_actions(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_danish(pilot)
        await pilot.press("j", "a", "ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert (*EMPOWERMENT, "accepted", CODER) in codings(tui_project)


async def test_toggle_coders_shows_and_adopts_another_coders_codes(
    tui_project: Path, tmp_path: Path
) -> None:
    decision = tmp_path / "bob.jsonl"
    decision.write_text(
        '{"document": "da-crafted.txt", "turn": 4, "code": "end_users.waiting_times", '
        '"status": "accepted"}\n',
        encoding="utf-8",
    )
    invoke(tui_project, "import", "codings", str(decision), "--coder", "bob")
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_danish(pilot)
        await press(pilot, "j", "j", "j")
        assert all(c.coder == CODER for c in screen.view.current.codings)
        await press(pilot, "v")
        assert app.show_all_coders and "every coder" in screen.sub_title
        turn = screen.view.current
        assert any(c.coder == "bob" for c in turn.codings)
        kinds = [item.kind for item in screen.panel.items if item is not None]
        assert "other" in kinds
        while screen.panel.current is not None and screen.panel.current.kind != "other":
            await press(pilot, "tab")
        await press(pilot, "a")
        assert (4, "end_users.waiting_times", "accepted", CODER) in codings(tui_project)
        await press(pilot, "v")
        assert not app.show_all_coders
        assert all(c.coder == CODER for c in screen.view.current.codings)
