"""App-wide messages: what workers tell the UI when they finish."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from qualcode.coding import CodingInfo

if TYPE_CHECKING:
    from qualcode.services import Project


@dataclass
class ProjectOpened(Message):
    """The project is open and its database is up to date."""

    project: Project


@dataclass
class ProjectMissing(Message):
    """There is no project here: the start screen offers to make one."""

    reason: str


@dataclass
class ProjectFailed(Message):
    """The project could not be opened (a broken config, an unreachable database)."""

    error: str


@dataclass
class Saved(Message):
    """A coding action (or an undo) is stored; here is the turn as it is now."""

    document_id: int | None
    turn_id: int | None
    description: str
    codings: list[CodingInfo] = field(default_factory=list)
    memo: str | None = None
    error: str | None = None
    undone: bool = False


@dataclass
class ProjectChanged(Message):
    """Documents, codebooks or suggestions changed (import, suggest): reload what is shown."""

    what: str
