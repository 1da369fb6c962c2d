"""The start screen, shown outside a project: make one here, or open the sample corpus."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.project import CONFIG_NAME
from qualcode.tui.screens.task import Report, TaskResult, TaskScreen
from qualcode.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from qualcode.tui.app import QualcodeApp

SAMPLE_FOLDER = "qualcode-sample"


def sample_sources() -> tuple[Path, Path]:
    """The bundled sample corpus and the codebook it is coded with."""
    from qualcode.bundled import bundled_dir

    return bundled_dir("corpora"), bundled_dir("codebooks") / "impact.yaml"


def build_sample(
    root: Path, coder: str, database_url: str | None, report: Report, holder: dict[str, Any]
) -> str:
    """Make the sample project in `root`: import the corpus, load the codebook, suggest.

    The open project is left in `holder["project"]`; returns a one-line summary.
    """
    from qualcode.codebook.reconcile import use_codebooks
    from qualcode.services import ImportOptions, Project
    from qualcode.suggesting import suggest_project

    corpus, codebook = sample_sources()
    project = Project.create(root, database_url)
    holder["project"] = project
    outcomes, _ = project.import_paths(
        [corpus],
        ImportOptions(),
        lambda done, total, name: report(done, total * 2 + 1, f"importing {name}"),
    )
    files = max(len(outcomes), 1)
    report(files, files * 2 + 1, "loading the codebook")
    use_codebooks(project.engine, [codebook])
    suggested = suggest_project(
        project.engine,
        coder,
        progress=lambda done, total, name: report(
            files + 1 + done * files // max(total, 1), files * 2 + 1, f"suggesting {name}"
        ),
    )
    imported = sum(o.status == "imported" for o in outcomes)
    return (
        f"imported {imported} transcripts into {root}; "
        f"{suggested.suggestions} suggestions for {suggested.turns} participant turns"
    )


class StartScreen(Screen[None]):
    """Offers a new project in the current folder, or the bundled sample corpus."""

    def __init__(self, folder: Path, reason: str = "") -> None:
        super().__init__()
        self.folder = folder
        self.reason = reason

    @property
    def qapp(self) -> QualcodeApp:
        return cast("QualcodeApp", self.app)

    @property
    def sample_root(self) -> Path:
        return self.folder / SAMPLE_FOLDER

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start-box"):
            yield Static("Welcome to qualcode", classes="prompt-title")
            yield Static(
                f"There is no qualcode project in {self.folder}.\n"
                "A project is a folder with a qualcode.toml and a database of transcripts "
                "and codings.",
                id="start-text",
            )
            if self.reason:
                yield Static(f"({self.reason})", classes="hint")
            sample = (
                f"Open the sample project in {self.sample_root}"
                if (self.sample_root / CONFIG_NAME).is_file()
                else f"Build the sample corpus in {self.sample_root} (14 interviews, with "
                "suggested codes)"
            )
            yield OptionList(
                Option(f"Create a new project in {self.folder}", id="create"),
                Option(sample, id="sample"),
                Option("Quit", id="quit"),
                id="start-options",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "qualcode"
        self.sub_title = f"coder {self.qapp.coder}"
        self.query_one(OptionList).focus()
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "create":
            self.qapp.create_project(self.folder)
        elif event.option.id == "sample":
            self._sample()
        else:
            self.app.exit()

    def _sample(self) -> None:
        root = self.sample_root
        if (root / CONFIG_NAME).is_file():
            self.qapp.open_project_at(root)
            return
        holder: dict[str, Any] = {}

        def done(result: TaskResult | None) -> None:
            project = holder.get("project")
            if result is None or not result.ok or project is None:
                if project is not None:
                    project.close()
                self.notify(result.summary if result else "stopped", severity="error")
                return
            self.qapp.project_ready(project)

        self.app.push_screen(
            TaskScreen(
                "Building the sample project",
                lambda report: build_sample(
                    root, self.qapp.coder, self.qapp.database_url, report, holder
                ),
            ),
            done,
        )
