"""`qualcode codebook use`: load codebooks into a project and reconcile after edits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlmodel import Session

from qualcode.storage.tables import CodebookRow, CodeRow, CodingRow, DocumentRow
from tests.conftest import Run

pytestmark = pytest.mark.backends

FIXTURES = Path(__file__).parent / "fixtures" / "codebook"
SHIPPED = Path(__file__).resolve().parents[1] / "codebooks"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    shutil.copy(FIXTURES / "small.yaml", path)
    return path


def session_for(project: Path) -> Session:
    from qualcode.project import load_config

    return Session(create_engine(load_config(project).database_url))


def codes(project: Path) -> dict[str, CodeRow]:
    with session_for(project) as session:
        return {row.id: row for row in session.execute(select(CodeRow)).scalars()}


def codings(project: Path) -> list[tuple[str, str]]:
    with session_for(project) as session:
        rows = session.execute(select(CodingRow.code_id, CodingRow.coder)).all()
        return sorted((code_id, coder) for code_id, coder in rows)


def add_codings(project: Path, *code_ids: str) -> None:
    with session_for(project) as session:
        document = DocumentRow(
            name="da-01.txt", content_hash="x", format="txt", language="da", text="Jeg tør mere."
        )
        session.add(document)
        session.flush()
        for code_id in code_ids:
            session.add(
                CodingRow(
                    document_id=document.id,
                    start=0,
                    end=13,
                    code_id=code_id,
                    coder="anna",
                    status="accepted",
                )
            )
        session.commit()


def edit(path: Path, *replacements: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_first_use_loads_codes(run: Run, project: Path, book: Path) -> None:
    result = run("codebook", "use", str(book))
    assert result.exit_code == 0, result.output
    assert result.stdout == "loaded codebook small: added 4 codes\n"
    rows = codes(project)
    assert list(rows) == [
        "users.empowerment",
        "users.insecurity",
        "process.power_balance",
        "process.power_balance.decisions",
    ]
    empowerment = rows["users.empowerment"]
    assert (empowerment.codebook_id, empowerment.position, empowerment.target) == (
        "small",
        0,
        "users",
    )
    assert (empowerment.polarity, empowerment.name, empowerment.colour) == (
        "positive",
        "Empowerment",
        "#2E7D32",
    )
    assert empowerment.data["terms"]["da"][0] == "tør mere"
    assert rows["process.power_balance.decisions"].parent == "process.power_balance"
    assert rows["process.power_balance.decisions"].target is None
    with session_for(project) as session:
        codebook = session.get(CodebookRow, "small")
        assert codebook is not None
        assert codebook.title == "Small test codebook"
        assert codebook.data["themes"][0]["id"] == "voice"
    assert run("codebook", "use", str(book)).stdout == "codebook small: unchanged\n"


def test_reconcile_after_edit_rename_and_removal(run: Run, project: Path, book: Path) -> None:
    assert run("codebook", "use", str(book)).exit_code == 0
    add_codings(project, "users.insecurity", "process.power_balance.decisions")
    text = book.read_text(encoding="utf-8")
    start = text.index("\n  - id: process.power_balance.decisions\n")
    book.write_text(text[:start] + "\n", encoding="utf-8")
    edit(
        book,
        (
            "      en: The user feels more able to act and speak up.\n",
            "      en: The user feels able to act, speak up and be heard.\n",
        ),
        (
            "  - id: users.insecurity\n",
            "  - id: users.unsure\n    renamed_from: [users.insecurity]\n",
        ),
    )
    result = run("codebook", "use", str(book))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "codebook small: updated 1 (users.empowerment: definition), "
        "renamed 1 (users.insecurity → users.unsure, 1 coding moved), "
        "retired 1 (process.power_balance.decisions, 1 coding kept)\n"
    )
    rows = codes(project)
    assert rows["users.insecurity"].retired
    assert not rows["users.unsure"].retired
    assert rows["users.unsure"].position == 1
    assert rows["process.power_balance.decisions"].retired
    assert rows["users.empowerment"].data["definition"]["en"].endswith("be heard.")
    assert codings(project) == [
        ("process.power_balance.decisions", "anna"),
        ("users.unsure", "anna"),
    ]
    assert run("codebook", "use", str(book)).stdout == "codebook small: unchanged\n"


def test_a_removed_code_comes_back(run: Run, project: Path, book: Path) -> None:
    original = book.read_text(encoding="utf-8")
    assert run("codebook", "use", str(book)).exit_code == 0
    start = original.index("\n  - id: process.power_balance.decisions\n")
    book.write_text(original[:start] + "\n", encoding="utf-8")
    assert "retired 1 (process.power_balance.decisions, 0 codings kept)" in (
        run("codebook", "use", str(book)).stdout
    )
    book.write_text(original, encoding="utf-8")
    result = run("codebook", "use", str(book))
    assert result.stdout == "codebook small: restored 1 (process.power_balance.decisions)\n"
    assert not codes(project)["process.power_balance.decisions"].retired


def test_a_codebook_with_errors_is_refused_and_nothing_written(run: Run, project: Path) -> None:
    result = run("codebook", "use", str(FIXTURES / "lint_refs.yaml"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"qualcode: {FIXTURES / 'lint_refs.yaml'}:10:9: error: ")
    assert "nothing loaded" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert codes(project) == {}


def test_code_ids_are_unique_across_codebooks(
    run: Run, project: Path, book: Path, tmp_path: Path
) -> None:
    assert run("codebook", "use", str(book)).exit_code == 0
    other = tmp_path / "other.yaml"
    shutil.copy(book, other)
    edit(other, ("codebook: small", "codebook: other"))
    result = run("codebook", "use", str(other))
    assert result.exit_code == 1
    assert "already a code of codebook small" in result.stderr
    with session_for(project) as session:
        assert session.get(CodebookRow, "other") is None


def test_shipped_codebooks_load(run: Run, project: Path) -> None:
    books = sorted(SHIPPED.glob("*.yaml")) if SHIPPED.is_dir() else []
    if not books:
        pytest.skip("no shipped codebooks")
    result = run("codebook", "use", *map(str, books))
    assert result.exit_code == 0, result.output
    assert all(line.startswith("loaded codebook ") for line in result.stdout.splitlines())


def test_a_rename_never_duplicates_a_coding(run: Run, project: Path, book: Path) -> None:
    assert run("codebook", "use", str(book)).exit_code == 0
    add_codings(project, "users.insecurity", "users.empowerment")
    text = book.read_text(encoding="utf-8")
    start = text.index("  - id: users.insecurity\n")
    end = text.index("  - id: process.power_balance\n")
    book.write_text(text[:start] + text[end:], encoding="utf-8")
    edit(
        book,
        (
            "    colour: '#2E7D32'\n",
            "    colour: '#2E7D32'\n    renamed_from: [users.insecurity]\n",
        ),
    )
    result = run("codebook", "use", str(book))
    assert result.exit_code == 0, result.output
    assert "renamed 1 (users.insecurity → users.empowerment, 1 duplicate left on the old code)" in (
        result.stdout
    )
    assert codings(project) == [("users.empowerment", "anna"), ("users.insecurity", "anna")]
