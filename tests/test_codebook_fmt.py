"""`qualcode codebook fmt`: canonical, idempotent and lossless; never drops a comment silently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.cli import cli
from qualcode.codebook.fmt import format_codebook
from qualcode.codebook.load import load_codebook, load_text
from qualcode.codebook.model import Codebook

FIXTURES = Path(__file__).parent / "fixtures" / "codebook"
SHIPPED = Path(__file__).resolve().parents[1] / "codebooks"
VALID = [FIXTURES / "small.yaml", FIXTURES / "messy.yaml"]


def fmt(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["codebook", "fmt", *args])
    return result.exit_code, result.stdout, result.stderr


def shipped_codebooks() -> list[Path]:
    return sorted(SHIPPED.glob("*.yaml")) if SHIPPED.is_dir() else []


def test_messy_file_becomes_the_canonical_one(tmp_path: Path) -> None:
    path = tmp_path / "messy.yaml"
    shutil.copy(FIXTURES / "messy.yaml", path)
    code, stdout, stderr = fmt(str(path))
    assert code == 0
    assert stdout == f"reformatted {path}\n"
    assert "1 file reformatted, 0 unchanged" in stderr
    assert path.read_text(encoding="utf-8") == (FIXTURES / "small.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("source", VALID, ids=lambda p: p.name)
def test_idempotent_and_lossless(tmp_path: Path, source: Path) -> None:
    path = tmp_path / source.name
    shutil.copy(source, path)
    assert fmt(str(path))[0] == 0
    once = path.read_bytes()
    assert load_codebook(path).codebook == load_codebook(source).codebook
    assert fmt("--check", str(path))[0] == 0
    assert fmt(str(path))[0] == 0
    assert path.read_bytes() == once


@pytest.mark.parametrize("source", shipped_codebooks(), ids=lambda p: p.name)
def test_shipped_codebooks_format_idempotently_and_losslessly(tmp_path: Path, source: Path) -> None:
    path = tmp_path / source.name
    shutil.copy(source, path)
    code, _, stderr = fmt("--drop-comments", str(path))
    assert code == 0, stderr
    once = path.read_bytes()
    assert load_codebook(path).codebook == load_codebook(source).codebook
    assert fmt(str(path))[0] == 0
    assert path.read_bytes() == once


def test_check_reports_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "messy.yaml"
    shutil.copy(FIXTURES / "messy.yaml", path)
    before = path.read_bytes()
    code, stdout, _ = fmt("--check", str(path), str(FIXTURES / "small.yaml"))
    assert code == 1
    assert stdout == f"would reformat {path}\n"
    assert path.read_bytes() == before


def test_top_comments_stay_and_inner_comments_are_not_dropped_silently(tmp_path: Path) -> None:
    path = tmp_path / "commented.yaml"
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
    text = text.replace("version: 1\n", "version: 1  # bump on incompatible changes\n")
    path.write_text(text, encoding="utf-8")
    code, _, stderr = fmt(str(path))
    assert code == 1
    assert f"qualcode: {path}:3:13: fmt keeps only the comments at the top of a file" in stderr
    assert path.read_text(encoding="utf-8") == text
    code, _, _ = fmt("--drop-comments", str(path))
    assert code == 0
    formatted = path.read_text(encoding="utf-8")
    assert formatted.startswith("# A small codebook for the tests")
    assert "bump" not in formatted


def test_invalid_codebook_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    shutil.copy(FIXTURES / "lint_schema.yaml", path)
    before = path.read_bytes()
    code, _, stderr = fmt(str(path))
    assert code == 1
    assert f"qualcode: {path}:13:15: error: code users.a: polarity" in stderr
    assert "(and 7 more: run `qualcode codebook lint`)" in stderr
    assert path.read_bytes() == before


def test_file_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "messy.yaml"
    shutil.copy(FIXTURES / "messy.yaml", path)
    path.chmod(0o640)
    assert fmt(str(path))[0] == 0
    assert path.stat().st_mode & 0o777 == 0o640


def test_short_id_lists_flow_and_long_ones_are_blocks() -> None:
    book = load_codebook(FIXTURES / "small.yaml").codebook
    many = [f"users.code_number_{i}" for i in range(8)]
    data = book.model_dump()
    data["codes"][0]["renamed_from"] = many
    text = format_codebook(Codebook.model_validate(data))
    assert "    codes: [users.empowerment, process.power_balance]\n" in text
    assert "    renamed_from:\n      - users.code_number_0\n" in text
    assert "    aliases: [empowerment, 'self-efficacy: more']\n" in text
    assert "      da:\n        - tør mere\n" in text


TRICKY = [
    "yes",
    "no",
    "on",
    "null",
    "~",
    "1.0",
    "0x1F",
    "2020-01-01",
    "#hash",
    "a: b",
    "a #b",
    " leading",
    "trailing ",
    "'single'",
    '"double"',
    "*star",
    "&amp",
    "!bang",
    "%pct",
    "@at",
    "`tick",
    "- dash",
    "? q",
    "[x]",
    "{y}",
    "a, b",
    "tab\there",
    "line\nbreak",
    "line\nbreak\n",
    "ends\n\n",
    "\nstarts",
    "bell\x07",
    "para\u2028sep",
    "nbsp\xa0here",
    "zero\ufeffwidth",
    "emoji 🙂 and ø å æ ö",
    "long " * 60,
]


def _codebook_with(texts: list[str]) -> Codebook:
    return Codebook.model_validate(
        {
            "codebook": "tricky",
            "version": 1,
            "title": {"en": "Tricky"},
            "languages": ["en"],
            "targets": [{"id": "t", "name": {"en": "T"}}],
            "codes": [
                {
                    "id": f"t.c{i}",
                    "target": "t",
                    "polarity": "neutral",
                    "aliases": [text],
                    "name": {"en": text if text.strip() else "x"},
                    "definition": {"en": text if text.strip() else "x"},
                    "terms": {"da": [text]},
                }
                for i, text in enumerate(texts)
            ],
        }
    )


def test_tricky_strings_survive_formatting() -> None:
    book = _codebook_with(TRICKY)
    text = format_codebook(book)
    assert load_text(text, "tricky").codebook == book
    assert format_codebook(load_text(text, "tricky").codebook) == text
    assert max(len(line) for line in text.splitlines()) > 250  # long text is never wrapped


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=1).filter(lambda s: s.strip()), min_size=1, max_size=4))
def test_any_text_survives_formatting(texts: list[str]) -> None:
    book = _codebook_with(texts)
    text = format_codebook(book)
    again = load_text(text, "generated").codebook
    assert again == book
    assert format_codebook(again) == text


def test_the_example_in_the_format_doc_is_clean_and_canonical(tmp_path: Path) -> None:
    doc = Path(__file__).resolve().parents[1] / "docs" / "codebook-format.md"
    text = doc.read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```\n", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    result = CliRunner().invoke(cli, ["codebook", "lint", str(path)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert fmt("--check", str(path))[0] == 0
