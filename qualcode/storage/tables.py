"""The database tables. Domain code never sees these: repository functions convert."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class DocumentRow(SQLModel, table=True):
    """A transcript: its name, text, language and where it came from."""

    __tablename__ = "documents"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    source_path: str = ""
    content_hash: str = Field(index=True)
    format: str
    encoding: str | None = None
    language: str
    language_source: str = "detected"
    text: str = Field(sa_column=Column(Text, nullable=False))
    header: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    metadata_: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column("metadata", JSON, nullable=False)
    )
    imported_at: datetime = Field(default_factory=utcnow)


class DocumentAttributeRow(SQLModel, table=True):
    """A case attribute of a document (site, country, participant role, ...)."""

    __tablename__ = "document_attributes"

    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    )
    key: str = Field(primary_key=True)
    value: str


class TurnRow(SQLModel, table=True):
    """A speaker turn, the unit of coding."""

    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    number: int
    speaker: str | None = None
    role: str
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    start_time: float | None = None
    end_time: float | None = None


class SegmentRow(SQLModel, table=True):
    """A sentence inside a turn."""

    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("turn_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    turn_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("turns.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    number: int
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))


class CodebookRow(SQLModel, table=True):
    """A codebook loaded into the project with `codebook use`."""

    __tablename__ = "codebooks"

    id: str = Field(primary_key=True)
    title: str = ""
    source_path: str = ""
    content_hash: str = ""
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    loaded_at: datetime = Field(default_factory=utcnow)


class CodeRow(SQLModel, table=True):
    """A code. Retired codes stay, with their codings, and are hidden from suggestions."""

    __tablename__ = "codes"

    id: str = Field(primary_key=True)
    codebook_id: str | None = Field(default=None, foreign_key="codebooks.id", index=True)
    position: int = 0
    parent: str | None = None
    target: str | None = Field(default=None, index=True)
    polarity: str = "neutral"
    name: str = ""
    colour: str | None = None
    retired: bool = False
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CodingRow(SQLModel, table=True):
    """A code applied to a span of a document by a coder, or suggested to them."""

    __tablename__ = "codings"
    __table_args__ = (
        UniqueConstraint("document_id", "start", "end", "code_id", "coder"),
        Index("ix_codings_code_status", "code_id", "status"),
        # Covers the matrix and agreement queries, so they read the index, not the table.
        Index(
            "ix_codings_aggregate",
            "status",
            "code_id",
            "document_id",
            "turn_id",
            "segment_id",
            "coder",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    turn_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("turns.id", ondelete="SET NULL"), index=True),
    )
    segment_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("segments.id", ondelete="SET NULL"), index=True),
    )
    start: int
    end: int
    code_id: str = Field(foreign_key="codes.id")
    coder: str
    status: str
    confidence: float | None = None
    source: str = "manual"
    explanation: str = ""
    memo: str = ""
    anchor: str = "ok"  # ok | moved | lost: how a re-import placed it
    quote: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class MemoRow(SQLModel, table=True):
    """A researcher's memo on a document, a turn or a code."""

    __tablename__ = "memos"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("documents.id", ondelete="CASCADE"), index=True),
    )
    turn_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("turns.id", ondelete="SET NULL")),
    )
    code_id: str | None = Field(default=None, foreign_key="codes.id")
    coder: str
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
