"""Import and suggest from the TUI (workers, progress bar) and the start screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, ProgressBar

from qualcode.errors import ProjectNotFound
from qualcode.project import CONFIG_NAME
from qualcode.services import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens import start
from qualcode.tui.screens.documents import DocumentsScreen
from qualcode.tui.screens.start import StartScreen
from qualcode.tui.screens.task import TaskScreen
from tests import test_tui_support as support
from tests.conftest import jsonl
from tests.test_tui_support import (
    CODER,
    DANISH,
    MINI,
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


async def test_import_a_folder_with_a_progress_bar(tui_project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "nb-new.txt").write_text(
        "I: Hvordan går det?\n\nB: Jeg har fått bedre selvtillit nå.\n", encoding="utf-8"
    )
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "i")
        assert type(app.screen).__name__ == "ImportPathScreen"
        path_input = app.screen.query_one(Input)
        path_input.value = str(tmp_path / "nowhere")
        await press(pilot, "enter")  # refused: the prompt stays, with the reason
        assert type(app.screen).__name__ == "ImportPathScreen"
        assert "no such file or folder" in str(app.screen.query_one("#import-error").content)
        path_input.value = f"{tmp_path}/m"
        path_input.cursor_position = len(path_input.value)
        await type_text(pilot, "ore")
        await press(pilot, "enter")
        assert isinstance(app.screen, TaskScreen)
        assert app.screen.result is not None and app.screen.result.ok
        assert "1 imported" in app.screen.result.summary
        bar = app.screen.query_one(ProgressBar)
        assert bar.progress == bar.total
        await press(pilot, "enter")
        assert isinstance(app.screen, DocumentsScreen)
        names = [str(app.screen.query_one(DataTable).get_row_at(i)[0]) for i in range(3)]
        assert "nb-new.txt" in names
    assert "nb-new.txt" in invoke(tui_project, "documents", "--format", "csv")


async def test_suggest_from_the_tui_after_a_confirmation(tui_project: Path) -> None:
    app = make_app(tui_project, coder="bob")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "s", "n")  # declined: nothing runs
        assert isinstance(app.screen, DocumentsScreen)
        assert not {c for c in codings(tui_project) if c[3] == "bob"}
        await press(pilot, "s")
        assert type(app.screen).__name__ == "ConfirmScreen"
        await press(pilot, "y")
        assert isinstance(app.screen, TaskScreen)
        assert app.screen.result is not None and app.screen.result.ok
        assert "suggestions" in app.screen.result.summary
        await press(pilot, "escape")
        assert isinstance(app.screen, DocumentsScreen)
    mine = {c for c in codings(tui_project) if c[3] == "bob"}
    assert (2, "users.empowerment", "suggested", "bob") in mine


def not_found() -> Project:
    raise ProjectNotFound("no qualcode project here")


async def test_start_screen_creates_a_project_here(tmp_path: Path) -> None:
    app = QualcodeApp(CODER, not_found, folder=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(0).id == "create"
        await press(pilot, "enter")
        assert isinstance(app.screen, DocumentsScreen)
        assert (tmp_path / CONFIG_NAME).is_file()
        assert "No documents yet" in str(app.screen.query_one("#documents-summary").content)


async def test_start_screen_builds_the_sample_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "da-sample.txt").write_text(DANISH, encoding="utf-8")
    monkeypatch.setattr(start, "sample_sources", lambda: (corpus, MINI))
    app = QualcodeApp(CODER, not_found, folder=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "down", "enter")
        assert isinstance(app.screen, TaskScreen)
        assert app.screen.result is not None and app.screen.result.ok, app.screen.result
        await press(pilot, "enter")
        assert isinstance(app.screen, DocumentsScreen)
        assert [d.name for d in app.documents] == ["da-sample.txt"]
    sample = tmp_path / start.SAMPLE_FOLDER
    rows = jsonl(invoke(sample, "export", "codings"))
    assert {(r["turn"], r["code"], r["status"]) for r in rows} >= {
        (2, "users.empowerment", "suggested")
    }
    app = QualcodeApp(CODER, not_found, folder=tmp_path)  # a second time it opens the sample
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "down", "enter")
        assert isinstance(app.screen, DocumentsScreen)
