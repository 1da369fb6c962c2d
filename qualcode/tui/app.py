"""The qualcode workbench app: project state, the writer and undo, app-wide actions.

The app opens the project in a worker (or shows the start screen when there is none),
owns the `CodingService` of the session's coder and the `Writer` that stores every
action at once, and offers the actions every screen shares: help, undo, codebook,
import, suggest, the coder toggle, and their command palette entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, LoadingIndicator, Static

from qualcode.coding import CodingService, DocumentOverview
from qualcode.errors import ProjectNotFound, QualcodeError
from qualcode.tui.commands import DocumentCommands
from qualcode.tui.messages import (
    ProjectChanged,
    ProjectFailed,
    ProjectMissing,
    ProjectOpened,
    Saved,
)
from qualcode.tui.screens.agreement import AgreementScreen
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.documents import DocumentsScreen
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.matrix import MatrixScreen
from qualcode.tui.screens.prompts import ConfirmScreen, ImportPathScreen
from qualcode.tui.screens.start import StartScreen
from qualcode.tui.screens.task import Report, TaskResult, TaskScreen
from qualcode.tui.widgets.footer import KeyFooter
from qualcode.tui.writer import WRITER_GROUP, Writer

if TYPE_CHECKING:
    from qualcode.services import Project

Opener = Callable[[], "Project"]


class QualcodeApp(App[None]):
    """The coding workbench."""

    CSS_PATH = "qualcode.tcss"
    TITLE = "qualcode"
    COMMANDS = App.COMMANDS | {DocumentCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("u", "undo", "Undo", show=False),
    ]

    show_all_coders: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        coder: str,
        opener: Opener | None,
        *,
        folder: Path | None = None,
        database_url: str | None = None,
    ) -> None:
        super().__init__()
        self.coder = coder
        self.opener = opener
        self.folder = folder or Path.cwd()
        self.database_url = database_url
        self.project: Project | None = None
        self._service: CodingService | None = None
        self._writer: Writer | None = None
        self._owned: list[Project] = []
        self.documents: list[DocumentOverview] = []
        self.threshold = 0.5
        self.error: str | None = None

    # -- state --------------------------------------------------------------------------

    @property
    def service(self) -> CodingService:
        assert self._service is not None, "no project is open"
        return self._service

    @property
    def writer(self) -> Writer:
        assert self._writer is not None, "no project is open"
        return self._writer

    @property
    def document_names(self) -> list[str]:
        return [document.name for document in self.documents]

    @property
    def project_title(self) -> str:
        if self.project is None:
            return "qualcode"
        return f"qualcode · {self.project.config.root.name}"

    def compose(self) -> ComposeResult:
        yield Header()
        with Middle(), Center():
            yield Static("Opening the project…", id="splash")
            yield LoadingIndicator()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"coder {self.coder}"
        if self.opener is None:
            self.push_screen(StartScreen(self.folder))
        else:
            self._open(self.opener)

    @work(thread=True, exclusive=True, group="project")
    def _open(self, opener: Opener) -> None:
        try:
            project = opener()
        except ProjectNotFound as exc:
            self.post_message(ProjectMissing(str(exc)))
        except QualcodeError as exc:
            self.post_message(ProjectFailed(str(exc)))
        else:
            self.post_message(ProjectOpened(project))

    @on(ProjectOpened)
    def _opened(self, event: ProjectOpened) -> None:
        self.project_ready(event.project, owned=False)

    @on(ProjectMissing)
    def _missing(self, event: ProjectMissing) -> None:
        self.push_screen(StartScreen(self.folder, event.reason))

    @on(ProjectFailed)
    def _failed(self, event: ProjectFailed) -> None:
        self.error = event.error
        self.exit(return_code=1)

    def project_ready(self, project: Project, owned: bool = True) -> None:
        """Use `project` from now on and show its documents."""
        if owned:
            self._owned.append(project)
        self.project = project
        self._service = CodingService(project.engine, self.coder)
        self._writer = Writer(self, self._service, self._coders_mode)
        self.title = self.project_title
        if isinstance(self.screen, StartScreen):
            self.switch_screen(DocumentsScreen())
        else:
            self.push_screen(DocumentsScreen())

    def create_project(self, folder: Path) -> None:
        """Make a new project in `folder` (from the start screen) and open it."""
        from qualcode.services import Project

        try:
            project = Project.create(folder, self.database_url)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"created a qualcode project in {folder}")
        self.project_ready(project)

    def open_project_at(self, folder: Path) -> None:
        from qualcode.services import Project

        try:
            project = Project.open(str(folder), self.database_url)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.project_ready(project)

    def _coders_mode(self) -> str | None:
        return "all" if self.show_all_coders else None

    # -- navigation ---------------------------------------------------------------------

    def open_document(self, name: str, turn: int | None = None) -> None:
        """Open a document on the coding screen (replacing another open one), at the turn
        numbered `turn` if given."""
        if self.project is None:
            return
        screen = CodingScreen(name, turn=turn)
        if isinstance(self.screen, CodingScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _screens(self, kind: type[Screen[Any]]) -> list[Any]:
        return [screen for screen in self.screen_stack if isinstance(screen, kind)]

    def action_documents(self) -> None:
        while len(self.screen_stack) > 2 and not isinstance(self.screen, DocumentsScreen):
            self.pop_screen()

    def action_codebook(self) -> None:
        if self.project is None or isinstance(self.screen, CodebookScreen):
            return
        language = "en"
        if isinstance(self.screen, CodingScreen) and self.screen.document is not None:
            language = self.screen.document.language
        elif self.documents:
            languages = [document.language for document in self.documents]
            language = max(sorted(set(languages)), key=languages.count)
        self.push_screen(CodebookScreen("nb" if language == "nn" else language))

    def action_matrix(self) -> None:
        if self.project is not None and not isinstance(self.screen, MatrixScreen):
            self.push_screen(MatrixScreen())

    def action_agreement(self) -> None:
        if self.project is not None and not isinstance(self.screen, AgreementScreen):
            self.push_screen(AgreementScreen())

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- undo, coders -------------------------------------------------------------------

    def action_undo(self) -> None:
        if self._writer is None:
            self.bell()
            return
        if not self._writer.undo_depth and not self._writer.busy:
            self.notify("nothing to undo in this session", timeout=2)
            return
        self._writer.undo()

    def action_toggle_coders(self) -> None:
        self.show_all_coders = not self.show_all_coders
        shown = "every coder's codings" if self.show_all_coders else f"{self.coder}'s codings"
        self.notify(f"showing {shown}", timeout=2)
        for screen in self._screens(CodingScreen):
            screen.reload()

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        if event.error:
            self.notify(f"{event.description}: {event.error}", severity="error", timeout=6)
        elif event.undone or event.turn_id is None:
            self.notify(event.description, timeout=2)
        for screen in self._screens(CodingScreen):
            if screen.document is not None and screen.document.id == event.document_id:
                screen.apply_saved(event)

    @on(ProjectChanged)
    def _changed(self, _event: ProjectChanged) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, DocumentsScreen) and screen.loaded:
                screen.load()
            elif isinstance(screen, CodingScreen) and screen.opened:
                screen.reload()
            elif isinstance(screen, CodebookScreen) and screen.loaded:
                screen.load()

    # -- import and suggest -------------------------------------------------------------

    def action_import_folder(self) -> None:
        if self.project is None:
            return
        self.push_screen(ImportPathScreen(self.folder), self._import)

    def _import(self, path: Path | None) -> None:
        if path is None:
            return
        from qualcode.services import ImportOptions

        project = self.project
        assert project is not None

        def task(report: Report) -> str:
            outcomes, skipped = project.import_paths(
                [path],
                ImportOptions(),
                lambda done, total, name: report(done, total, f"importing {name}"),
            )
            counts: dict[str, int] = {}
            for outcome in outcomes:
                counts[outcome.status] = counts.get(outcome.status, 0) + 1
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            failed = [o.message for o in outcomes if o.status == "failed"]
            lines = [summary or "nothing to import", *failed[:5]]
            if skipped:
                lines.append(f"{len(skipped)} files skipped: READMEs or not transcripts")
            return "\n".join(lines)

        self.push_screen(TaskScreen(f"Importing {path}", task), self._task_done)

    def action_suggest(self) -> None:
        if self.project is None:
            return
        count = len(self.document_names)
        self.push_screen(
            ConfirmScreen(
                f"Suggest codes for all {count} documents as {self.coder}?\n"
                "Accepted and rejected codings stay; open suggestions are renewed.",
                yes="Suggest",
            ),
            lambda yes: self._suggest(None) if yes else None,
        )

    def action_suggest_document(self) -> None:
        if isinstance(self.screen, CodingScreen):
            self._suggest([self.screen.document_name])

    def _suggest(self, documents: list[str] | None) -> None:
        from qualcode.suggesting import suggest_project

        assert self.project is not None
        engine = self.project.engine
        coder = self.coder

        def task(report: Report) -> str:
            result = suggest_project(
                engine,
                coder,
                documents,
                progress=lambda done, total, name: report(done, total, f"suggesting {name}"),
            )
            return (
                f"{result.suggestions} suggestions for {result.turns} participant turns in "
                f"{result.documents} documents (learned from {result.learned_examples} "
                f"decided turns)"
            )

        what = documents[0] if documents else "every document"
        self.push_screen(TaskScreen(f"Suggesting codes for {what}", task), self._task_done)

    def _task_done(self, result: TaskResult | None) -> None:
        if result is not None and not result.ok:
            self.notify(result.summary, severity="error")
        self.post_message(ProjectChanged("task"))

    # -- command palette ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if self.project is not None:
            yield SystemCommand("Documents", "the list of documents", self.action_documents)
            yield SystemCommand(
                "Codebook", "codes by target, with definitions", self.action_codebook
            )
            yield SystemCommand(
                "Impact matrix",
                "positive / negative impact by target, code or theme × case",
                self.action_matrix,
            )
            yield SystemCommand(
                "Agreement between coders",
                "observed agreement, Cohen's kappa, Krippendorff's alpha per code",
                self.action_agreement,
            )
            yield SystemCommand(
                "Import a folder", "import transcripts from a folder", self.action_import_folder
            )
            yield SystemCommand(
                "Run suggest", "suggest codes for every document", self.action_suggest
            )
            if isinstance(screen, CodingScreen):
                yield SystemCommand(
                    "Run suggest on this document",
                    "suggest codes for the open document",
                    self.action_suggest_document,
                )
            yield SystemCommand(
                "Toggle coders", "show my codings or every coder's", self.action_toggle_coders
            )
            yield SystemCommand("Undo", "undo the last coding action", self.action_undo)
        yield SystemCommand("Help: keys", "every key of every screen", self.action_help)
        yield from super().get_system_commands(screen)

    # -- leaving ------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit once every action sent to the database is stored."""
        await self.wait_for_writes()
        self.exit()

    async def wait_for_writes(self) -> None:
        writers = [w for w in self.workers if w.group == WRITER_GROUP]
        if writers:
            await self.workers.wait_for_complete(writers)

    async def on_unmount(self) -> None:
        for project in self._owned:
            project.close()
