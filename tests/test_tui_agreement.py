"""The agreement view through the pilot, checked against `qualcode agreement`.

Two coders' codings are imported with `qualcode import codings FILE --coder NAME` (see
`import_two_coders`): bo and cy agree on Empowerment, disagree on the other two codes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from qualcode.tui.screens.agreement import AgreementScreen, DisagreementList
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.documents import DocumentsScreen
from tests import test_tui_support as support
from tests.test_tui_matrix import import_two_coders
from tests.test_tui_support import SIZE, invoke, make_app, press, settle

template_project = support.template_project  # fixtures shared by the TUI tests
tui_project = support.tui_project

INVOLVEMENT = "process.organisational_involvement"


@pytest.fixture
def coded_project(tui_project: Path) -> Path:
    import_two_coders(tui_project)
    return tui_project


def cli_rows(project: Path, *args: str) -> list[list[str]]:
    """`qualcode agreement --format csv` without its header, undefined figures as "–"."""
    text = invoke(project, "agreement", "--format", "csv", *args)
    _, *rows = csv.reader(io.StringIO(text))
    return [[cell or "–" for cell in row] for row in rows]


def shown(screen: AgreementScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_agreement(pilot: Pilot[None]) -> AgreementScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, DocumentsScreen)
    await press(pilot, "K")
    screen = pilot.app.screen
    assert isinstance(screen, AgreementScreen) and screen.loaded
    return screen


async def test_the_table_shows_the_cli_figures_by_turn_and_by_segment(
    coded_project: Path,
) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        table = screen.query_one(DataTable)
        labels = [" ".join(str(c.label).split()) for c in table.columns.values()]
        assert labels == [
            "Code",
            "Units",
            "Observed agreement",
            "Cohen's kappa",
            "Krippendorff's alpha",
        ]
        expected = cli_rows(coded_project)
        assert expected[-1][0] == "overall" and len(expected) == 4
        assert shown(screen) == expected
        info = str(screen.query_one("#agreement-info", Static).render())
        assert "coders bo, cy" in info and "unit turn" in info
        await press(pilot, "t")
        assert screen.unit == "segment"
        assert shown(screen) == cli_rows(coded_project, "--unit", "segment")
        await press(pilot, "t")
        assert shown(screen) == expected


async def test_disagreements_of_the_selected_code_and_enter_opens_the_turn(
    coded_project: Path,
) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        assert screen.report is not None
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(INVOLVEMENT))
        await settle(pilot)
        assert [(d.turn, d.applied_by, d.not_by) for d in screen.shown] == [
            (2, ("cy",), ("bo",)),
            (4, ("bo",), ("cy",)),
        ]
        listing = screen.query_one(DisagreementList)
        assert listing.option_count == 2
        assert "turn 4" in str(listing.get_option_at_index(1).prompt)
        title = str(screen.query_one("#disagreements-title", Static).render())
        assert f"Disagreements on {INVOLVEMENT}: 2" in title
        table.move_cursor(row=table.get_row_index("overall"))
        await settle(pilot)
        assert len(screen.shown) == len(screen.report.disagreements) == 3
        table.move_cursor(row=table.get_row_index(INVOLVEMENT))
        await press(pilot, "enter")  # to the list
        assert listing.has_focus and listing.highlighted == 0
        await press(pilot, "down", "enter")
        coding = app.screen
        assert isinstance(coding, CodingScreen) and coding.opened
        assert coding.document_name == "da-crafted.txt"
        assert coding.view.current is not None and coding.view.current.number == 4
        await press(pilot, "escape")
        assert app.screen is screen
        await press(pilot, "escape")
        assert isinstance(app.screen, DocumentsScreen)


async def test_fewer_than_two_coders_shows_the_reason(tui_project: Path) -> None:
    app = make_app(tui_project)  # only anna's suggestions: no coder has decided anything
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        assert screen.report is None
        info = str(screen.query_one("#agreement-info", Static).render())
        assert "agreement needs at least two coders with codings" in info
        assert not screen.query_one(DataTable).display
        commands = [c.title for c in app.get_system_commands(screen)]
        assert "Agreement between coders" in commands


def test_agreement_screen(snap_compare, coded_project: Path) -> None:  # type: ignore[no-untyped-def]
    """The agreement view at 80×24: "coders bo, cy · unit turn (t toggles)"; a table with
    two-line headers Code, Units, Observed agreement, Cohen's kappa, Krippendorff's alpha and
    the rows end_users.waiting_times (3, 0.667, 0.000, 0.000), process.organisational_
    involvement (3, 0.333, -0.500, -0.250), users.empowerment (3, 1.000 ×3) and a bold
    overall (9, 0.667, 0.182, 0.215); the first row selected, and below "Disagreements on
    end_users.waiting_times: 1" with da-crafted.txt · turn 2 · by bo, not by cy and its text;
    the footer with esc t ?."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press(pilot, "K")

    assert snap_compare(make_app(coded_project), terminal_size=SIZE, run_before=run_before)
