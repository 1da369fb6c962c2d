"""A document is its name plus its text: re-imports are no-ops, changes need --replace."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, jsonl

pytestmark = pytest.mark.backends

FIRST = (
    "I: Hvordan var det i brugerrådet?\n\n"
    "B: Vi fik lov at bestemme åbningstiderne. Det var godt.\n\n"
    "I: Og personalet?\n\n"
    "B: De lyttede mere end før.\n"
)


def test_same_file_twice_does_nothing(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "da-09.txt"
    path.write_text(FIRST, encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    before = run("export", "segments").stdout
    again = run("import", str(path))
    assert again.exit_code == 0
    assert "unchanged da-09.txt" in again.stdout
    assert "1 unchanged" in again.stdout
    assert run("export", "segments").stdout == before


def test_same_text_under_another_name_is_another_document(tmp_path: Path, run: Run) -> None:
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b.txt").write_text(FIRST, encoding="utf-8")
    assert run("import", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")).exit_code == 0
    names = [d["name"] for d in jsonl(run("documents", "--format", "jsonl").stdout)]
    assert names == ["a.txt", "b.txt"]


def test_changed_file_left_alone_then_replaced_keeping_codings(
    tmp_path: Path, run: Run, project: Path
) -> None:
    from sqlalchemy import select
    from sqlmodel import Session

    from qualcode.services import Project
    from qualcode.storage.tables import CodeRow, CodingRow, DocumentRow, TurnRow

    path = tmp_path / "da-09.txt"
    path.write_text(FIRST, encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    opened = Project.open(str(project))
    with Session(opened.engine) as session, session.begin():
        session.add(CodeRow(id="users.ownership", polarity="positive", name="ownership"))
        session.add(CodeRow(id="users.empowerment", polarity="positive", name="empowerment"))
        document = session.execute(select(DocumentRow)).scalar_one()
        turns = session.execute(select(TurnRow).order_by(TurnRow.number)).scalars().all()
        second, fourth = turns[1], turns[3]
        session.add(
            CodingRow(
                document_id=document.id,
                turn_id=second.id,
                start=second.start,
                end=second.end,
                code_id="users.ownership",
                coder="anna",
                status="accepted",
            )
        )
        session.add(
            CodingRow(
                document_id=document.id,
                turn_id=fourth.id,
                start=fourth.start,
                end=fourth.end,
                code_id="users.empowerment",
                coder="anna",
                status="accepted",
            )
        )
    edited = FIRST.replace("I: Og personalet?", "I: Og hvad med personalet?").replace(
        "De lyttede mere end før.", "Det husker jeg ikke."
    )
    path.write_text("Interview 9\nDato: 1. maj\n\n" + edited, encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0
    assert "changed da-09.txt" in result.stdout and "--replace" in result.stdout
    assert "De lyttede" in run("export", "segments").stdout

    replaced = run("import", str(path), "--replace")
    assert replaced.exit_code == 0, replaced.stderr
    assert "replaced da-09.txt" in replaced.stdout
    assert "1 codings re-anchored, 1 kept but flagged" in replaced.stdout
    with Session(opened.engine) as session:
        document = session.execute(select(DocumentRow)).scalar_one()
        codings = {c.code_id: c for c in session.execute(select(CodingRow)).scalars().all()}
        assert len(codings) == 2
        moved = codings["users.ownership"]
        assert moved.anchor == "moved"
        assert document.text[moved.start : moved.end].startswith("Vi fik lov")
        lost = codings["users.empowerment"]
        assert lost.anchor == "lost" and lost.turn_id is None
        assert lost.quote == "De lyttede mere end før."
    opened.close()
