"""Nothing lost, nobody let in: crash safety, privacy, pseudonymisation, backups, bad input."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CORPORA, Run, jsonl
from tests.test_suggest import MINI

REPO = Path(__file__).resolve().parents[1]


def make_corpus(folder: Path, files: int = 120) -> None:
    """Transcripts built from the sample corpus's turns (enough work to be killed midway)."""
    rng = random.Random(5)
    turns = []
    for gold in sorted((CORPORA / "da").glob("*.gold.jsonl")):
        turns += [json.loads(line) for line in gold.read_text("utf-8").splitlines()]
    folder.mkdir()
    for index in range(files):
        chosen = rng.sample(turns, 30)
        text = "\n\n".join(
            f"{'I' if n % 2 == 0 else 'B'}: {t['text']}" for n, t in enumerate(chosen)
        )
        (folder / f"da-{index:03d}.txt").write_text(text + "\n", encoding="utf-8")


def consistent(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        empty = connection.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM turns t WHERE t.document_id = d.id)"
        ).fetchone()[0]
        assert empty == 0, "a document without turns: an import was half stored"
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "turns", "segments", "codings")
        }


def count(database: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as connection:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def run_and_kill(args: list[str], database: Path, table: str, delay: float) -> int | None:
    """Run qualcode, and kill it `delay` seconds after its first rows of `table` are in
    (the work is fast: a fixed delay would mostly miss it)."""
    before = count(database, table)
    process = subprocess.Popen(
        [sys.executable, "-m", "qualcode", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if count(database, table) != before:
            break
        time.sleep(0.005)
    time.sleep(delay)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return process.returncode


@pytest.mark.slow
def test_import_and_suggest_killed_at_random_points(tmp_path: Path) -> None:
    project = tmp_path / "project"
    subprocess.run(
        [sys.executable, "-m", "qualcode", "init", str(project)], check=True, capture_output=True
    )
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    database = project / "qualcode.db"
    base = ["--project", str(project)]
    rng = random.Random(11)
    killed = 0
    for _ in range(3):
        delay = rng.uniform(0, 0.3)
        if run_and_kill([*base, "import", str(corpus)], database, "turns", delay) == -9:
            killed += 1
        consistent(database)
    finished = subprocess.run(
        [sys.executable, "-m", "qualcode", *base, "import", str(corpus)],
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stderr
    counts = consistent(database)
    assert counts["documents"] == 120
    subprocess.run(
        [sys.executable, "-m", "qualcode", *base, "codebook", "use", str(MINI)],
        check=True,
        capture_output=True,
    )
    for _ in range(2):
        if run_and_kill([*base, "suggest"], database, "codings", rng.uniform(0, 0.3)) == -9:
            killed += 1
        consistent(database)
    subprocess.run(
        [sys.executable, "-m", "qualcode", *base, "suggest"], check=True, capture_output=True
    )
    after_kills = consistent(database)
    clean = tmp_path / "clean"
    subprocess.run(
        [sys.executable, "-m", "qualcode", "init", str(clean)], check=True, capture_output=True
    )
    for args in (["import", str(corpus)], ["codebook", "use", str(MINI)], ["suggest"]):
        subprocess.run(
            [sys.executable, "-m", "qualcode", "--project", str(clean), *args],
            check=True,
            capture_output=True,
        )
    assert after_kills == consistent(clean / "qualcode.db")
    assert killed >= 1, "no run was killed midway: the test proved nothing"


def test_project_files_are_private(project: Path, run: Run, tmp_path: Path) -> None:
    assert stat.S_IMODE((project / "qualcode.db").stat().st_mode) == 0o600
    out = tmp_path / "codings.jsonl"
    assert run("export", "segments", "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_backup_is_a_consistent_copy(project: Path, run: Run, tmp_path: Path) -> None:
    assert run("import", str(CORPORA / "da")).exit_code == 0
    target = tmp_path / "copy.db"
    result = run("backup", str(target))
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(target) as connection:
        documents = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert documents == len(list((CORPORA / "da").glob("*.gold.jsonl")))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_pseudonymise_keeps_codings_in_place(run: Run, tmp_path: Path) -> None:
    assert run("import", str(CORPORA / "da" / "da-04-medarbejdere.txt")).exit_code == 0
    assert run("codebook", "use", str(REPO / "codebooks" / "impact.yaml")).exit_code == 0
    gold = CORPORA / "da" / "da-04-medarbejdere.gold.jsonl"
    assert run("import", "codings", str(gold), "--coder", "gold").exit_code == 0
    before = jsonl(run("export", "codings").stdout)
    key = tmp_path / "outside" / "key.json"
    result = run("pseudonymise", "--key", str(key), "--name", "Hanne")
    assert result.exit_code == 0, result.stderr
    mapping = json.loads(key.read_text("utf-8"))
    assert mapping["Mette"].startswith("P") and mapping["Hanne"] == "[NAME-01]"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    after = jsonl(run("export", "codings").stdout)
    assert [(r["turn"], r["code"]) for r in after] == [(r["turn"], r["code"]) for r in before]
    segments = jsonl(run("export", "segments").stdout)
    text = " ".join(s["text"] for s in segments)
    assert "Mette" not in text and "Hanne" not in text
    assert {s["speaker"] for s in segments} >= {mapping["Mette"], "INT"}
    for row in after:  # every coding still covers exactly its turn's (new) text
        turn = next(s for s in segments if s["turn"] == row["turn"])
        assert (row["start"], row["end"]) == (turn["start"], turn["end"])
    # a second run with the same key changes nothing more
    again = run("pseudonymise", "--key", str(key), "--name", "Hanne")
    assert "0 replacements, 0 new names" in again.stdout


def test_huge_text_file_refused_without_reading(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # 200 MB, sparse: nothing is written
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "too large" in result.stderr and str(path) in result.stderr


def test_mixed_line_endings_and_no_labels_import_cleanly(run: Run, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(b"I: Hvordan?\r\n\r\nB: Godt.\rOg fint.\n\nI: Tak.\r\n")
    assert run("import", str(mixed)).exit_code == 0
    plain = tmp_path / "plain.txt"
    plain.write_text("Vi blev hørt.\n\nDet hjalp.\n", encoding="utf-8")
    assert run("import", str(plain)).exit_code == 0
    segments = jsonl(run("export", "segments").stdout)
    assert [s["text"] for s in segments if s["document"] == "mixed.txt"] == [
        "Hvordan?",
        "Godt. Og fint.",
        "Tak.",
    ]
    assert [s["speaker"] for s in segments if s["document"] == "plain.txt"] == [None, None]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"document": "nope.txt", "turn": 2, "code": "users.empowerment"}', "unknown document"),
        ('{"document": "da-crafted.txt", "turn": 2, "code": "users.nope"}', "unknown code"),
        ('{"document": "da-crafted.txt", "turn": 99, "code": "users.empowerment"}', "no turn"),
        (
            '{"document": "da-crafted.txt", "turn": 2, "code": "users.empowerment", '
            '"status": "maybe"}',
            "status",
        ),
        ("not json at all", "not JSON"),
    ],
)
def test_bad_codings_file_changes_nothing(
    run: Run, tmp_path: Path, line: str, problem: str
) -> None:
    from tests.test_suggest import TRANSCRIPT

    path = tmp_path / "da-crafted.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    run("import", str(path))
    run("codebook", "use", str(MINI))
    good = '{"document": "da-crafted.txt", "turn": 2, "code": "end_users.waiting_times"}'
    codings = tmp_path / "codings.jsonl"
    codings.write_text(good + "\n" + line + "\n", encoding="utf-8")
    before = run("export", "codings").stdout
    result = run("import", "codings", str(codings))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert problem in result.stderr and "line 2" in result.stderr
    assert run("export", "codings").stdout == before


def test_a_role_label_with_a_name_in_it_is_still_a_persons() -> None:
    from qualcode.pseudonymise import is_personal_label

    assert is_personal_label("Moderator (Anna)")  # the interviewer's role, and her name
    assert not is_personal_label("Moderator")
    assert not is_personal_label("Interviewer")
