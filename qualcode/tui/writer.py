"""Every coding action is written at once, in order, off the UI thread, and can be undone.

The writer keeps a queue of jobs and drains it in one Textual thread worker at a time, so
actions reach the database in the order the keys were pressed, and the undo stack (which
only the writer touches) always pops the action stored last.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from textual.app import App

from qualcode.coding import CodingService, TurnInfo, Undo
from qualcode.errors import QualcodeError
from qualcode.tui.messages import Saved

WRITER_GROUP = "writer"


@dataclass(frozen=True)
class UndoEntry:
    """An undo record and the turn it belongs to."""

    record: Undo
    document_id: int
    turn_id: int
    label: str


@dataclass(frozen=True)
class Job:
    """One action: what to run and which turn to read back afterwards.

    `action` is None for an undo of the last stored action.
    """

    document_id: int | None
    turn_id: int | None
    action: Callable[[CodingService], Undo] | None
    label: str = ""  # what the researcher did, in words, for the undo message
    memo: str | None = None  # the turn's memo once the action ran (memo actions)


class Writer:
    """Runs coding jobs one after another and posts `Saved` to the app after each."""

    def __init__(
        self, app: App[Any], service: CodingService, coders: Callable[[], str | None]
    ) -> None:
        self._app = app
        self._service = service
        self._coders = coders
        self._jobs: deque[Job] = deque()
        self._lock = threading.Lock()
        self._running = False
        self._undo: list[UndoEntry] = []

    @property
    def undo_depth(self) -> int:
        with self._lock:
            return len(self._undo)

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._running or bool(self._jobs)

    def submit(self, job: Job) -> None:
        """Queue a job; call from the UI thread."""
        with self._lock:
            self._jobs.append(job)
            start = not self._running
            self._running = True
        if start:
            self._app.run_worker(
                self._drain, thread=True, group=WRITER_GROUP, name="writer", exit_on_error=False
            )

    def undo(self) -> None:
        """Queue an undo of the last stored action (of this session)."""
        self.submit(Job(None, None, None))

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._running = False
                    return
                job = self._jobs.popleft()
            self._app.post_message(self._run(job))

    def _run(self, job: Job) -> Saved:
        if job.action is None:
            return self._run_undo()
        assert job.document_id is not None and job.turn_id is not None
        try:
            record = job.action(self._service)
        except (QualcodeError, SQLAlchemyError) as exc:
            return self._saved(job.document_id, job.turn_id, "not saved", error=str(exc))
        label = job.label or record.description
        with self._lock:
            self._undo.append(UndoEntry(record, job.document_id, job.turn_id, label))
        return self._saved(job.document_id, job.turn_id, label, memo=job.memo)

    def _run_undo(self) -> Saved:
        with self._lock:
            entry = self._undo.pop() if self._undo else None
        if entry is None:
            return Saved(None, None, "nothing to undo")
        try:
            self._service.undo(entry.record)
        except (QualcodeError, SQLAlchemyError) as exc:
            return self._saved(entry.document_id, entry.turn_id, "undo failed", error=str(exc))
        memo = entry.record.memo[2] if entry.record.memo is not None else None
        return self._saved(
            entry.document_id,
            entry.turn_id,
            f"undid: {entry.label}",
            memo=memo,
            undone=True,
        )

    def _saved(
        self,
        document_id: int,
        turn_id: int,
        description: str,
        *,
        memo: str | None = None,
        error: str | None = None,
        undone: bool = False,
    ) -> Saved:
        probe = TurnInfo(turn_id, 0, None, "", "", 0, 0, None)
        try:
            codings = self._service.refresh_turn(probe, self._coders()).codings
        except SQLAlchemyError as exc:
            return Saved(document_id, turn_id, description, error=error or str(exc))
        return Saved(document_id, turn_id, description, codings, memo, error, undone)
