"""Plain domain objects shared by every layer; standard library only."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Role(str, Enum):
    """Who is speaking in a turn."""

    INTERVIEWER = "interviewer"
    PARTICIPANT = "participant"


class Status(str, Enum):
    """Where a coding stands in the researcher's review."""

    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Polarity(str, Enum):
    """Whether a code is a positive impact, a negative impact, or not an impact."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Span:
    """A half-open range of character offsets into a document's text."""

    start: int
    end: int


@dataclass
class Turn:
    """One speaker turn: the unit of coding."""

    number: int
    speaker: str | None
    role: Role
    start: int
    end: int
    text: str
    start_time: float | None = None
    end_time: float | None = None


@dataclass
class Segment:
    """A sentence inside a turn, numbered from 1 within the turn."""

    turn: int
    number: int
    start: int
    end: int
    text: str


@dataclass
class Document:
    """A transcript as stored in a project."""

    name: str
    text: str
    language: str
    format: str
    source_path: str = ""
    content_hash: str = ""
    encoding: str | None = None
    header: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentSummary:
    """What `qualcode documents` lists for one document."""

    name: str
    language: str
    format: str
    turns: int
    speakers: int
    words: int
    attributes: dict[str, str]
    coded_share: float
