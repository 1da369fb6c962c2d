"""The documents screen, help, the command palette, quitting and NO_COLOR, via the pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.filter import Monochrome, NoColor
from textual.widgets import DataTable

from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.documents import DocumentsScreen
from qualcode.tui.screens.help import HelpScreen
from tests import test_tui_support as support
from tests.test_tui_support import (
    SIZE,
    make_app,
    press,
    settle,
    type_text,
)

template_project = support.template_project  # fixtures shared by the TUI tests
tui_project = support.tui_project


def rows(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_lists_documents_with_their_counts(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        table = screen.query_one(DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert labels == ["Document", "Lang", "Speakers", "Turns", "Coded", "Attributes"]
        assert rows(table) == [
            ["da-crafted.txt", "da", "2", "6", "0%", ""],
            ["sv-crafted.txt", "sv", "2", "2", "0%", "site=x"],
        ]
        assert "coder anna" in screen.sub_title
        assert "project" in screen.title


async def test_filter_as_you_type_then_enter_opens(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        await press(pilot, "slash")
        await type_text(pilot, "site=")
        assert [r[0] for r in rows(table)] == ["sv-crafted.txt"]
        await press(pilot, "escape")  # clears the filter, back to the table
        assert table.row_count == 2 and table.has_focus
        await press(pilot, "slash")
        await type_text(pilot, "sv")
        await press(pilot, "enter")
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.document_name == "sv-crafted.txt"
        assert app.screen.view.turns[1].text.startswith("Jag känner mig tryggare")
        await press(pilot, "escape", "slash", "escape")  # back; the filter cleared
        assert table.row_count == 2 and table.has_focus
        await press(pilot, "up", "enter")  # Enter in the table opens the row
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.document_name == "da-crafted.txt"


async def test_help_screen_opens_and_closes(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, DocumentsScreen)
        await press(pilot, "enter", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, CodingScreen)


async def test_command_palette_opens_a_document(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Documents", "Codebook", "Import a folder", "Run suggest", "Toggle coders"):
            assert title in titles
        await press(pilot, "ctrl+p")
        await type_text(pilot, "sv-c")
        await pilot.pause(0.3)  # the palette searches asynchronously
        await press(pilot, "enter")
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.document_name == "sv-crafted.txt"
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Run suggest on this document" in titles


async def test_a_broken_project_ends_with_its_error(tmp_path: Path) -> None:
    (tmp_path / "qualcode.toml").write_text("this is [not toml", encoding="utf-8")
    from qualcode.services import Project

    app = QualcodeApp("anna", lambda: Project.open(str(tmp_path)), folder=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.error is not None and "not valid TOML" in app.error
    assert app.return_code == 1


def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch, tui_project: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tui_project)
    assert app.no_color
    assert any(isinstance(f, (Monochrome, NoColor)) for f in app._filters)
    monkeypatch.delenv("NO_COLOR")
    assert not any(isinstance(f, (Monochrome, NoColor)) for f in make_app(tui_project)._filters)


async def test_a_document_that_cannot_be_read_leaves_a_message(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_document("no-such-document.txt")
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
        assert any("no-such-document.txt" in n.message for n in app._notifications)
