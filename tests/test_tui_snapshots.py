"""Snapshots of the main screens at 80×24 on the small crafted project (coder anna).

Regenerate after a deliberate change of the look with `pytest --snapshot-update`, and
look at the report (snapshot_report.html) before accepting.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from tests import test_tui_support as support
from tests.test_tui_support import (
    make_app,
    press,
    settle,
    type_text,
)

template_project = support.template_project  # fixtures shared by the TUI tests
tui_project = support.tui_project

SIZE = (80, 24)


def test_documents_screen(snap_compare, tui_project: Path) -> None:  # type: ignore[no-untyped-def]
    """The documents table: da-crafted.txt (da, 2 speakers, 6 turns, 0%) and sv-crafted.txt
    (sv, 2 speakers, 2 turns, site=x); the filter box above it, "2 of 2 documents · 8 turns"
    below; the header says "qualcode · project — coder anna"; the footer / b i s ? keys."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert snap_compare(make_app(tui_project), terminal_size=SIZE, run_before=run_before)


def test_coding_screen(snap_compare, tui_project: Path) -> None:  # type: ignore[no-untyped-def]
    """The Danish document with the cursor (▌ gutter) on turn 2 (B · participant): its text,
    then a filled green chip "✓+ Empowerment" (accepted) and a green "?+ Kortere ventetid 0.51"
    suggestion; interviewer turns 1 and 3 in dim italics. The side panel: "Turn 2 · B ·
    participant", Suggestions (1) with the explanation "matched "ventetiden" (ventetid)",
    Coded (1) with Empowerment. Header: da-crafted.txt — da · coder anna · showing mine."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press(pilot, "enter", "j", "a")

    assert snap_compare(make_app(tui_project), terminal_size=SIZE, run_before=run_before)


def test_code_picker(snap_compare, tui_project: Path) -> None:  # type: ignore[no-untyped-def]
    """The code picker over the coding screen, for turn 6: "vente" typed, and the first code
    listed and highlighted is Kortere ventetid (end_users.waiting_times) with a green +
    polarity chip, its id dim under the name."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press(pilot, "enter", "G", "c")
        await type_text(pilot, "vente")
        pilot.app.screen.query_one(Input).cursor_blink = False

    assert snap_compare(make_app(tui_project), terminal_size=SIZE, run_before=run_before)


def test_codebook_screen(snap_compare, tui_project: Path) -> None:  # type: ignore[no-untyped-def]
    """The codebook in Danish: a tree with the targets Brugere, Slutbrugere and Proces, each
    with its code and a green + chip; Empowerment highlighted and, on the right, its entry:
    "+ positive  Empowerment", the id and target, Definition "Tør mere.", Include, Exclude,
    Examples "Jeg tør mere nu.", Terms, and its names in the other languages."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press(pilot, "b")

    assert snap_compare(make_app(tui_project), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, tui_project: Path) -> None:  # type: ignore[no-untyped-def]
    """The help over the documents screen: "qualcode keys", then the keys for Everywhere
    (?, ctrl+p, u, Escape, ctrl+q) and Documents (Enter, /, b, i, s), the rest scrolled."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press(pilot, "question_mark")

    assert snap_compare(make_app(tui_project), terminal_size=SIZE, run_before=run_before)
