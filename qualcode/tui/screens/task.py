"""A long task (import, suggest, building the sample) in a worker, with a progress bar.

The task is a function of one argument, a `report(done, total, label)` callable, run in
a thread worker; it returns a one-line summary. The UI stays responsive while it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar, Static

from qualcode.errors import QualcodeError

Report = Callable[[int, int, str], None]
Task = Callable[[Report], str]


@dataclass(frozen=True)
class TaskResult:
    """How a task ended: its summary, or the error that stopped it."""

    summary: str
    ok: bool


class TaskScreen(ModalScreen[TaskResult]):
    """Runs a task with a progress bar; Enter or Escape closes it once it is done."""

    BINDINGS = [
        Binding("escape,enter", "close", "Close"),
    ]

    @dataclass
    class Progress(Message):
        """The task moved on."""

        done: int
        total: int
        label: str

    @dataclass
    class Finished(Message):
        """The task ended."""

        result: TaskResult

    def __init__(self, title: str, task: Task) -> None:
        super().__init__(classes="prompt")
        self.title_text = title
        self.work_fn = task
        self.result: TaskResult | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box task-box"):
            yield Label(self.title_text, classes="prompt-title")
            yield ProgressBar(id="task-progress", show_eta=False)
            yield Static("starting…", id="task-label")
            yield Static("", id="task-result")

    def on_mount(self) -> None:
        self.run_task()

    @work(thread=True, exclusive=True, group="task")
    def run_task(self) -> None:
        def report(done: int, total: int, label: str) -> None:
            self.post_message(self.Progress(done, total, label))

        try:
            result = TaskResult(self.work_fn(report), True)
        except (QualcodeError, SQLAlchemyError, OSError) as exc:
            result = TaskResult(str(exc), False)
        self.post_message(self.Finished(result))

    @on(Progress)
    def _progress(self, event: Progress) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=max(event.total, 1), progress=event.done)
        self.query_one("#task-label", Static).update(event.label)

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        self.result = event.result
        bar = self.query_one(ProgressBar)
        bar.update(total=bar.total or 1, progress=bar.total or 1)
        self.query_one("#task-label", Static).update(
            "done · Enter closes" if event.result.ok else "stopped · Enter closes"
        )
        result = self.query_one("#task-result", Static)
        result.update(event.result.summary)
        result.set_class(not event.result.ok, "error")

    def action_close(self) -> None:
        if self.result is None:
            self.notify("still working: the task will finish on its own", timeout=2)
            return
        self.dismiss(self.result)
