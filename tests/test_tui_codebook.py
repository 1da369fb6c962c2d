"""The codebook screen: the tree by target, a code's entry in the chosen language, counts."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual.widgets import Static

from qualcode.tui.screens.codebook import CodebookScreen, CodebookTree
from qualcode.tui.screens.documents import DocumentsScreen
from tests import test_tui_support as support
from tests.test_tui_support import (
    SIZE,
    make_app,
    press,
    settle,
)

template_project = support.template_project  # fixtures shared by the TUI tests
tui_project = support.tui_project


def detail_text(screen: CodebookScreen) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(screen.query_one("#code-text", Static).content)
    return console.export_text()


async def test_tree_by_target_with_definition_and_counts(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "j", "a", "escape")  # accept one code on turn 2
        await press(pilot, "b")
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        tree = screen.query_one(CodebookTree)
        targets = [str(node.label) for node in tree.root.children]
        assert targets == ["Brugere (1)", "Slutbrugere", "Proces"]  # Danish, like the documents
        codes = {child.data for node in tree.root.children for child in node.children}
        assert codes == {
            "users.empowerment",
            "end_users.waiting_times",
            "process.organisational_involvement",
        }
        assert tree.cursor_node is not None and tree.cursor_node.data == "users.empowerment"
        text = detail_text(screen)
        assert "Empowerment" in text and "Tør mere." in text  # the Danish definition
        assert "Jeg tør mere nu." in text  # a Danish example
        assert "1 accepted codings" in text
        await press(pilot, "down")  # the next target
        assert "Slutbrugere" in detail_text(screen) and "1 codes: 1 positive" in detail_text(screen)
        await press(pilot, "down")
        assert "Kortere ventetid" in detail_text(screen)
        await press(pilot, "escape")
        assert isinstance(app.screen, DocumentsScreen)


async def test_language_key_changes_the_language(tui_project: Path) -> None:
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        assert screen.language == "da"
        await press(pilot, "l")
        assert screen.language == "sv"
        assert "Egenmakt" in detail_text(screen) and "Vågar mer." in detail_text(screen)
        await press(pilot, "l")
        assert screen.language == "nb" and "Myndiggjøring" in detail_text(screen)
        await press(pilot, "l")
        assert screen.language == "en" and "Dares more." in detail_text(screen)
