"""The matrix screen through the pilot, checked against `qualcode matrix` and `qualcode quotes`.

The project is the shared crafted one plus two coders' accepted codings imported with
`qualcode import codings FILE --coder NAME`: bo accepts every suggestion anna got, cy codes
turn 2 of the Danish document differently.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.documents import DocumentsScreen
from qualcode.tui.screens.help import KEYS, HelpScreen
from qualcode.tui.screens.matrix import MatrixScreen, QuotesScreen, cell_number, heat_cell
from tests import test_tui_support as support
from tests.conftest import jsonl
from tests.test_tui_support import SIZE, invoke, make_app, press, settle

template_project = support.template_project  # fixtures shared by the TUI tests
tui_project = support.tui_project


def import_two_coders(project: Path) -> None:
    """Accepted codings by bo (every suggestion anna got) and cy (turn 2 of the Danish
    document, with Organisational involvement instead of Shorter waiting times)."""
    rows = jsonl(invoke(project, "export", "codings"))
    bo = [{**r, "status": "accepted"} for r in rows]
    cy = [
        {
            **r,
            "status": "accepted",
            "code": "process.organisational_involvement"
            if r["code"] == "end_users.waiting_times"
            else r["code"],
        }
        for r in rows
        if r["document"] == "da-crafted.txt" and r["turn"] == 2
    ]
    for coder, lines in (("bo", bo), ("cy", cy)):
        path = project.parent / f"{coder}.jsonl"
        path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        invoke(project, "import", "codings", str(path), "--coder", coder)


@pytest.fixture
def coded_project(tui_project: Path) -> Path:
    import_two_coders(tui_project)
    return tui_project


def cli_csv(project: Path, *args: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(invoke(project, *args, "--format", "csv"))))


def shown(screen: MatrixScreen) -> list[list[str]]:
    """The matrix as the screen shows it: header, rows and Total, numbers without shading."""
    table = screen.query_one(DataTable)
    lines = [[str(column.label).strip() for column in table.columns.values()]]
    for index in range(table.row_count):
        label, *cells = table.get_row_at(index)
        lines.append([str(label), *(str(cell_number(cell)) for cell in cells)])
    return lines


async def open_matrix(pilot: Pilot[None]) -> MatrixScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, DocumentsScreen)
    await press(pilot, "M")
    screen = pilot.app.screen
    assert isinstance(screen, MatrixScreen) and screen.loaded
    return screen


async def test_cells_equal_the_cli_matrix_for_each_choice(coded_project: Path) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_matrix(pilot)
        expected = cli_csv(coded_project, "matrix")
        assert expected[1] == ["users", "1", "1", "2"]  # the project is what the test thinks
        assert shown(screen) == expected
        await press(pilot, "o", "o", "o")  # document → language → speaker → site
        assert screen.spec.cols == "site"
        assert shown(screen) == cli_csv(coded_project, "matrix", "--cols", "site")
        await press(pilot, "t", "r")  # count documents; rows by code
        args = ("--cols", "site", "--count", "documents", "--rows", "code")
        assert (screen.spec.count, screen.spec.rows) == ("documents", "code")
        assert shown(screen) == cli_csv(coded_project, "matrix", *args)
        spec = str(screen.query_one("#matrix-spec", Static).render())
        assert "rows code · columns site · documents" in spec


async def test_p_toggles_the_polarity(coded_project: Path) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_matrix(pilot)
        assert "Positive impact" in str(screen.query_one("#matrix-spec", Static).render())
        await press(pilot, "p")
        assert screen.spec.polarity == "negative"
        assert "Negative impact" in str(screen.query_one("#matrix-spec", Static).render())
        assert shown(screen) == cli_csv(coded_project, "matrix", "--polarity", "negative")
        summary = str(screen.query_one("#matrix-summary", Static).render())
        assert "No negative codes" in summary  # the mini codebook has only positive codes
        await press(pilot, "p")
        assert screen.spec.polarity == "positive"
        assert shown(screen) == cli_csv(coded_project, "matrix")


async def test_enter_lists_the_quotes_of_a_cell_and_opens_a_turn(coded_project: Path) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_matrix(pilot)
        assert screen.matrix is not None
        for row, column, turn in (("users", "da-crafted.txt", 2), ("process", "da-crafted.txt", 4)):
            table = screen.query_one(DataTable)
            table.cursor_coordinate = (  # type: ignore[assignment]
                screen.matrix.rows.index(row),
                screen.matrix.columns.index(column) + 1,
            )
            await press(pilot, "enter")
            modal = app.screen
            assert isinstance(modal, QuotesScreen)
            _header, *lines = cli_csv(coded_project, "quotes", "--row", row, "--col", column)
            assert lines, "the cell has quotes"
            assert [
                [q.document, str(q.turn), q.speaker, q.code, q.coder, q.row, q.text]
                for q in modal.quotes
            ] == lines
            options = modal.query_one(OptionList)
            assert options.option_count == len(lines)
            for index, line in enumerate(lines):
                prompt = str(options.get_option_at_index(index).prompt)
                assert line[0] in prompt and f"turn {line[1]}" in prompt and line[6] in prompt
            position = [int(line[1]) for line in lines].index(turn)
            await press(pilot, *["down"] * position, "enter")
            coding = app.screen
            assert isinstance(coding, CodingScreen) and coding.opened
            assert coding.document_name == column
            assert coding.view.current is not None and coding.view.current.number == turn
            await press(pilot, "escape")
            assert app.screen is screen


async def test_palette_entry_and_help_list_the_matrix(coded_project: Path) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Impact matrix"].callback()
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        titles = [str(s.render()) for s in app.screen.query(".help-title")]
        assert "Matrix" in titles
        keys = dict(KEYS)["Matrix"]
        assert {"p", "r", "o", "t", "Enter"} <= {key for key, _ in keys}
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, DocumentsScreen)


def test_cells_stand_out_without_colour() -> None:
    largest = heat_cell(8, 8, "positive", no_color=True)
    small = heat_cell(1, 8, "positive", no_color=True)
    zero = heat_cell(0, 8, "positive", no_color=True)
    assert largest.plain.split() == ["8", "█"] and largest.style.bold  # type: ignore[union-attr]
    assert small.plain.split() == ["1", "░"]
    assert cell_number(zero) == 0 and "█" not in zero.plain
    coloured = [heat_cell(n, 8, "negative", no_color=False) for n in (1, 8)]
    assert [cell_number(c) for c in coloured] == [1, 8]
    backgrounds = [c.style.bgcolor for c in coloured]  # type: ignore[union-attr]
    assert backgrounds[0] != backgrounds[1]  # shaded by value


def test_matrix_screen(snap_compare, coded_project: Path) -> None:  # type: ignore[no-untyped-def]
    """The positive impact matrix at 80×24: a green "+ Positive impact" label and "rows
    target · columns document · segments · accepted" on one line; the table with rows users
    (1, 1, Total 2), end_users (1, 0, 1), process (2, 0, 2) and a bold Total row (2, 1, 3)
    under the columns da-crafted.txt, sv-crafted.txt and Total; non-zero cells on green
    backgrounds, darkest for 1 and brightest for 2 (the cursor on users × da-crafted.txt),
    zeros dim; "3 segments (accepted, every coder) · Enter: the quotes of a cell · ? help"
    below; the footer with esc p r o t ?."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press(pilot, "M")

    assert snap_compare(make_app(coded_project), terminal_size=SIZE, run_before=run_before)
