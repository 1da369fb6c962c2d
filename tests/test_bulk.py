"""Bulk inserts store exactly what SQLAlchemy's own inserts store, on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlmodel import Session

from qualcode.services import Project
from qualcode.storage import bulk, repository
from qualcode.storage.tables import CodeRow, CodingRow, DocumentRow, SegmentRow, TurnRow
from tests.conftest import database_url

pytestmark = pytest.mark.backends

WHEN = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=timezone.utc)


@pytest.fixture
def project(tmp_path: Path, backend: str) -> Iterator[Project]:
    with database_url(backend) as url:
        opened = Project.create(tmp_path / "p", url)
        try:
            yield opened
        finally:
            opened.close()


def _document(name: str) -> dict:
    return {
        "name": name,
        "source_path": f"/x/{name}",
        "content_hash": f"hash-{name}",
        "format": "txt",
        "encoding": "utf-8",
        "language": "da",
        "language_source": "given",
        "text": "I: Hvorfor?\n\nB: Fordi. Og så «citat» – ja 'æøå'.",
        "header": "",
        "metadata_": {"Dato": "1. maj", "Sted": "Lindely ø"},
    }


def test_documents_turns_and_sentences(project: Project) -> None:
    turns = [
        {
            "number": 1,
            "speaker": "I",
            "role": "interviewer",
            "start": 3,
            "end": 11,
            "text": "Hvorfor?",
            "start_time": None,
            "end_time": None,
        },
        {
            "number": 2,
            "speaker": "B",
            "role": "participant",
            "start": 16,
            "end": 51,
            "text": "Fordi. Og så «citat» – ja 'æøå'.",
            "start_time": 12.5,
            "end_time": 14.25,
        },
    ]
    sentences = [
        [{"number": 1, "start": 3, "end": 11, "text": "Hvorfor?"}],
        [
            {"number": 1, "start": 16, "end": 22, "text": "Fordi."},
            {"number": 2, "start": 23, "end": 51, "text": "Og så «citat» – ja 'æøå'."},
        ],
    ]
    with Session(project.engine) as session, session.begin():
        ids = repository.insert_documents(session, [_document("a.txt"), _document("b.txt")])
        values = [tuple(t[f] for f in repository.TURN_FIELDS) for t in turns]
        sentence_values = [
            [tuple(s[f] for f in repository.SENTENCE_FIELDS) for s in per_turn]
            for per_turn in sentences
        ]
        turn_ids = repository.insert_turns_of_documents(
            session, [(ids[0], values, sentence_values)]
        )
        turn_ids |= {
            ids[1]: repository.insert_turns_and_segments(session, ids[1], turns[:1], sentences[:1])
        }
    with Session(project.engine) as session:
        rows = {r.name: r for r in session.execute(select(DocumentRow)).scalars()}
        assert [rows["a.txt"].id, rows["b.txt"].id] == ids
        for name in ("a.txt", "b.txt"):
            expected = _document(name)
            stored = rows[name]
            for key, value in expected.items():
                assert getattr(stored, key) == value, key
            assert isinstance(stored.imported_at, datetime)
        stored_turns = session.execute(
            select(TurnRow).where(TurnRow.document_id == ids[0]).order_by(TurnRow.number)
        ).scalars()
        for stored_turn, turn in zip(stored_turns, turns, strict=True):
            assert stored_turn.id == turn_ids[ids[0]][turn["number"]]
            for key, value in turn.items():
                assert getattr(stored_turn, key) == value, key
        stored_sentences = session.execute(
            select(SegmentRow.turn_id, SegmentRow.number, SegmentRow.start, SegmentRow.text)
            .join(TurnRow, TurnRow.id == SegmentRow.turn_id)
            .where(TurnRow.document_id == ids[0])
            .order_by(SegmentRow.turn_id, SegmentRow.number)
        ).all()
        assert [tuple(r) for r in stored_sentences] == [
            (turn_ids[ids[0]][number], s["number"], s["start"], s["text"])
            for number, per_turn in ((1, sentences[0]), (2, sentences[1]))
            for s in per_turn
        ]
        assert set(turn_ids[ids[1]]) == {1}


def test_codings_as_sqlalchemy_would_store_them(project: Project) -> None:
    columns = ("document_id", "start", "end", "code_id", "coder", "status", "confidence")
    columns += ("source", "explanation", "memo", "anchor", "quote", "created_at", "updated_at")
    with Session(project.engine) as session, session.begin():
        session.execute(insert(CodeRow), [{"id": "c.one", "data": {}}])
        [document_id] = repository.insert_documents(session, [_document("a.txt")])
        values = (document_id, 0, 5, "c.one", "anna", "suggested", 0.5)
        values += ("terms", 'matched "æøå"', "", "ok", "", WHEN, WHEN)
        bulk.insert_rows(session, CodingRow.__table__, columns, [values])  # type: ignore[attr-defined]
        other = dict(zip(columns, values)) | {"start": 6, "end": 9}
        session.execute(insert(CodingRow), [other])
    with Session(project.engine) as session:
        bulky, plain = session.execute(select(CodingRow).order_by(CodingRow.start)).scalars()
        for column in columns:
            if column not in {"start", "end"}:
                assert getattr(bulky, column) == getattr(plain, column), column
        assert bulky.confidence == 0.5 and bulky.explanation == 'matched "æøå"'
