"""Bad files: one line naming the file and the problem, exit 1, nothing left behind."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import CORPORA, Run, jsonl

pytestmark = pytest.mark.backends

GOOD = "I: Hvordan gik det?\nB: Det gik godt, vi blev hørt.\n"


def make_bad(tmp_path: Path, kind: str) -> Path:
    if kind == "empty":
        path = tmp_path / "empty.txt"
        path.write_bytes(b"")
    elif kind == "whitespace":
        path = tmp_path / "blank.txt"
        path.write_bytes(b"\n \n\t\n")
    elif kind == "binary":
        path = tmp_path / "binary.txt"
        path.write_bytes(bytes(range(256)) * 20)
    elif kind == "pdf":
        path = tmp_path / "report.txt"
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    elif kind == "invalid-utf8":
        path = tmp_path / "broken.txt"
        path.write_bytes("B: Vi blev hørt på mødet, og æblerne".encode() + b" \xc3\x28 \xff\xfe")
    elif kind == "zip-not-docx":
        path = tmp_path / "notes.docx"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a word document")
        path.write_bytes(buffer.getvalue())
    elif kind == "text-as-docx":
        path = tmp_path / "plain.docx"
        path.write_text(GOOD, encoding="utf-8")
    elif kind == "text-as-odt":
        path = tmp_path / "plain.odt"
        path.write_text(GOOD, encoding="utf-8")
    elif kind == "vtt-without-header":
        path = tmp_path / "cues.vtt"
        path.write_text("00:00:01.000 --> 00:00:02.000\nHej\n", encoding="utf-8")
    elif kind == "srt-without-cues":
        path = tmp_path / "nothing.srt"
        path.write_text("just some words\n", encoding="utf-8")
    elif kind == "unsupported":
        path = tmp_path / "interview.pdf"
        path.write_bytes(b"%PDF-1.4")
    else:
        raise AssertionError(kind)
    return path


KINDS = [
    "empty",
    "whitespace",
    "binary",
    "pdf",
    "invalid-utf8",
    "zip-not-docx",
    "text-as-docx",
    "text-as-odt",
    "vtt-without-header",
    "srt-without-cues",
    "unsupported",
]


@pytest.mark.parametrize("kind", KINDS)
def test_bad_file_one_line_exit_1_nothing_stored(tmp_path: Path, run: Run, kind: str) -> None:
    assert run("import", str(CORPORA / "da" / "da-01-bosted.txt")).exit_code == 0
    before = run("export", "segments").stdout
    bad = make_bad(tmp_path, kind)
    result = run("import", str(bad))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, result.stderr
    assert str(bad) in errors[0]
    assert "Traceback" not in result.output
    assert run("export", "segments").stdout == before


def test_other_files_still_import(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "zz.txt").write_bytes(bytes(range(256)) * 4)
    result = run("import", str(folder))
    assert result.exit_code == 1
    assert "imported good.txt" in result.stdout
    assert "1 imported, 2 failed" in result.stdout
    assert len(result.stderr.strip().splitlines()) == 2
    documents = jsonl(run("documents", "--format", "jsonl").stdout)
    assert [d["name"] for d in documents] == ["good.txt"]


def test_missing_path(run: Run, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    assert "nope.txt: no such file or folder" in result.stderr


def test_docx_zip_bomb_refused(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "zip bomb" in result.stderr


def test_bad_attribute_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(GOOD, encoding="utf-8")
    result = run("import", str(path), "--attr", "novalue")
    assert result.exit_code == 2
    assert run("documents", "--format", "jsonl").stdout == ""
