"""Shared pieces of the TUI tests: a small coded project, the app on it, waiting for workers.

The project is built once per session through the CLI (two crafted transcripts, the mini
codebook, `suggest` as coder anna) and copied into each test's tmp_path, so every test
starts from the same fresh database.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerState

from qualcode.cli import cli
from qualcode.services import Project
from qualcode.tui.app import QualcodeApp
from tests.conftest import jsonl

MINI = Path(__file__).parent / "fixtures" / "suggest" / "mini.yaml"
CODER = "anna"
SIZE = (80, 24)

DANISH = (
    "I: Tør du mere nu, og har du fået selvtillid?\n\n"
    "B: Ja, jeg tør mere nu. Og ventetiden er blevet kortere.\n\n"
    "I: Hvad med brugerrepræsentanterne?\n\n"
    "B: Nu sidder der to brugerrepræsentanter i styregruppen.\n\n"
    "I: Og møderne?\n\n"
    "B: Jeg tør ikke mere sige noget, hvis jeg skal være ærlig.\n"
)
SWEDISH = "I: Hur har det gått för dig?\n\nB: Jag känner mig tryggare nu än förut.\n"


def invoke(project: Path, *args: str) -> str:
    """Run `qualcode --project PROJECT ARGS...` in-process; its standard output."""
    result = CliRunner().invoke(cli, ["--project", str(project), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def codings(project: Path, *args: str) -> set[tuple[int, str, str, str]]:
    """(turn, code, status, coder) of every stored coding of the Danish document."""
    rows = jsonl(invoke(project, "export", "codings", *args))
    return {
        (r["turn"], r["code"], r["status"], r["coder"])
        for r in rows
        if r["document"] == "da-crafted.txt"
    }


@pytest.fixture(scope="session")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tui-template")
    project = root / "project"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(project)]).exit_code == 0
    sources = root / "sources"
    sources.mkdir()
    (sources / "da-crafted.txt").write_text(DANISH, encoding="utf-8")
    (sources / "sv-crafted.txt").write_text(SWEDISH, encoding="utf-8")
    invoke(project, "import", str(sources / "da-crafted.txt"), "--lang", "da")
    invoke(project, "import", str(sources / "sv-crafted.txt"), "--lang", "sv", "--attr", "site=x")
    invoke(project, "codebook", "use", str(MINI))
    invoke(project, "--coder", CODER, "suggest")
    return project


@pytest.fixture
def tui_project(template_project: Path, tmp_path: Path) -> Path:
    """A fresh copy of the coded project, in this test's tmp_path."""
    project = tmp_path / "project"
    shutil.copytree(template_project, project)
    return project


def make_app(project: Path, coder: str = CODER) -> QualcodeApp:
    return QualcodeApp(coder, lambda: Project.open(str(project)), folder=project.parent)


async def settle(pilot: Pilot[object]) -> None:
    """Wait until no worker runs and the messages they posted are handled."""
    app = pilot.app
    checked = False
    for _ in range(400):
        running = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if running:
            try:
                await app.workers.wait_for_complete(running)
            except WorkerCancelled:
                return  # the app is closing (an error ended it) and cancelled its work
            await pilot.pause()  # handle what the workers posted (it may start more work)
            checked = False
        elif checked:
            return
        else:
            checked = True
            await pilot.pause(0)  # one more round of messages: they may start a worker
    raise AssertionError("the app did not settle")


async def press(pilot: Pilot[object], *keys: str) -> None:
    """Press keys one by one, letting the work each one starts finish."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def type_text(pilot: Pilot[object], text: str) -> None:
    await pilot.press(*text)
    await settle(pilot)


def screen_named(app: QualcodeApp) -> str:
    return type(app.screen).__name__
