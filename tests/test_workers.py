"""Worker processes: the same rows in the project whether import and suggest run in-process
or in forked workers; errors stay one line; decisions survive a parallel re-suggest."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode import workers
from qualcode.cli import cli
from qualcode.errors import QualcodeError
from tests.conftest import CORPORA, database_url, jsonl

pytestmark = pytest.mark.backends

FORK = workers.can_fork()


def _pid_and_square(offset: int, item: int) -> tuple[int, int]:
    return os.getpid(), item * item + offset


def _fail_on_seven(_: None, item: int) -> int:
    if item == 7:
        raise ValueError("seven")
    return item


def _die_on_seven(_: None, item: int) -> int:
    if item == 7:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    return item


def test_worker_count_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(workers.ENVIRONMENT, raising=False)
    assert workers.worker_count() == (os.cpu_count() or 1)
    monkeypatch.setenv(workers.ENVIRONMENT, "3")
    assert workers.worker_count() == 3
    for bad in ("0", "many", "-2"):
        monkeypatch.setenv(workers.ENVIRONMENT, bad)
        with pytest.raises(QualcodeError, match=workers.ENVIRONMENT):
            workers.worker_count()


@pytest.mark.skipif(not FORK, reason="no fork here: always in-process")
def test_ordered_map_in_workers_and_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    items = list(range(40))
    monkeypatch.setenv(workers.ENVIRONMENT, "2")
    forked = list(workers.ordered_map(_pid_and_square, 1, iter(items), len(items)))
    monkeypatch.setenv(workers.ENVIRONMENT, "1")
    serial = list(workers.ordered_map(_pid_and_square, 1, iter(items), len(items)))
    assert [r for _, r in forked] == [r for _, r in serial] == [i * i + 1 for i in items]
    assert {pid for pid, _ in serial} == {os.getpid()}
    assert os.getpid() not in {pid for pid, _ in forked}
    monkeypatch.setenv(workers.ENVIRONMENT, "2")
    few = list(workers.ordered_map(_pid_and_square, 0, range(5), 5))
    assert {pid for pid, _ in few} == {os.getpid()}, "a handful of items stays in-process"
    with pytest.raises(ValueError, match="seven"):
        list(workers.ordered_map(_fail_on_seven, None, range(20), 20))
    with pytest.raises(QualcodeError, match="worker process died"):
        list(workers.ordered_map(_die_on_seven, None, range(20), 20))


def make_corpus(folder: Path, files: int = 12) -> None:
    """Danish, Swedish and Norwegian transcripts from the sample corpus's turns, and one
    file that cannot be imported."""
    rng = random.Random(3)
    folder.mkdir()
    for index in range(files):
        language = ("da", "sv", "nb")[index % 3]
        turns = [
            json.loads(line)
            for gold in sorted(CORPORA.rglob(f"{language}-*.gold.jsonl"))
            for line in gold.read_text("utf-8").splitlines()
        ]
        chosen = rng.sample(turns, 24)
        text = "\n\n".join(
            f"{'I' if n % 2 == 0 else 'B'}: {t['text']}" for n, t in enumerate(chosen)
        )
        (folder / f"{language}-{index:02d}.txt").write_text(text + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    make_corpus(folder)
    return folder


def _project(tmp_path: Path, name: str, backend: str, runner: CliRunner) -> Iterator[list[str]]:
    with database_url(backend) as url:
        root = tmp_path / name
        args = ["--db", url] if url else []
        assert runner.invoke(cli, [*args, "init", str(root)]).exit_code == 0
        yield ["--project", str(root), "--coder", "anna"]


def _everything(runner: CliRunner, base: list[str]) -> dict[str, object]:
    def out(*args: str) -> str:
        result = runner.invoke(cli, [*base, *args])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    return {
        "documents": out("documents", "--format", "jsonl"),
        "sentences": jsonl(out("export", "segments", "--unit", "sentence")),
        "codings": jsonl(out("export", "codings")),
    }


def test_import_and_suggest_give_the_same_rows_in_workers_and_in_process(
    tmp_path: Path, corpus: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    codebook = Path(__file__).parents[1] / "codebooks" / "impact.yaml"
    seen = {}
    for count in ("1", "2"):
        monkeypatch.setenv(workers.ENVIRONMENT, count)
        for base in _project(tmp_path, f"project-{count}", backend, runner):
            imported = runner.invoke(cli, [*base, "import", str(corpus)])
            assert imported.exit_code == 1  # the empty file
            assert imported.stderr.strip().splitlines() == [
                f"qualcode: {corpus / 'empty.txt'}: the file is empty"
            ]
            assert "12 imported, 1 failed" in imported.stdout
            assert runner.invoke(cli, [*base, "codebook", "use", str(codebook)]).exit_code == 0
            suggested = runner.invoke(cli, [*base, "suggest"])
            assert suggested.exit_code == 0, suggested.stderr
            seen[count] = (imported.stdout, suggested.stdout, _everything(runner, base))
    assert seen["1"] == seen["2"]
    assert seen["1"][2]["codings"], "the corpus should get suggestions"


def test_parallel_resuggest_keeps_decisions_and_renews_the_rest(
    tmp_path: Path, corpus: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import update
    from sqlmodel import Session

    from qualcode.services import Project
    from qualcode.storage.tables import CodingRow

    runner = CliRunner()
    codebook = Path(__file__).parents[1] / "codebooks" / "impact.yaml"
    monkeypatch.setenv(workers.ENVIRONMENT, "2")
    for base in _project(tmp_path, "project", backend, runner):
        runner.invoke(cli, [*base, "import", str(corpus)])
        runner.invoke(cli, [*base, "codebook", "use", str(codebook)])
        assert runner.invoke(cli, [*base, "suggest"]).exit_code == 0
        first = jsonl(runner.invoke(cli, [*base, "export", "codings"]).stdout)
        assert len(first) >= 12
        decisions = tmp_path / "decisions.jsonl"
        decided = {}
        with decisions.open("w", encoding="utf-8") as handle:
            for index, row in enumerate(first[:10]):
                status = "accepted" if index % 2 else "rejected"
                decided[(row["document"], row["turn"], row["code"])] = status
                line = {k: row[k] for k in ("document", "turn", "code")} | {"status": status}
                handle.write(json.dumps(line) + "\n")
        loaded = runner.invoke(cli, [*base, "import", "codings", str(decisions)])
        assert loaded.exit_code == 0, loaded.stderr
        project = Project.open(base[1])
        with Session(project.engine) as session, session.begin():
            session.execute(
                update(CodingRow).where(CodingRow.status == "suggested").values(explanation="stale")
            )
        project.close()
        again = runner.invoke(cli, [*base, "suggest"])
        assert again.exit_code == 0 and "already decided" in again.stdout
        after = jsonl(runner.invoke(cli, [*base, "export", "codings"]).stdout)
        by_key: dict[tuple, list[str]] = {}
        for row in after:
            key = (row["document"], row["turn"], row["code"])
            by_key.setdefault(key, []).append(row["status"])
            assert row["explanation"] != "stale", "an old suggestion was left in place"
        for key, status in decided.items():
            assert by_key[key] == [status], "a decision was touched or suggested again"
        assert all(len(statuses) == 1 for statuses in by_key.values())
        monkeypatch.setenv(workers.ENVIRONMENT, "1")
        assert runner.invoke(cli, [*base, "suggest"]).stdout == again.stdout
        in_process = jsonl(runner.invoke(cli, [*base, "export", "codings"]).stdout)
        assert in_process == after


ORPHAN_SCRIPT = """
import os, sys, time
os.environ["QUALCODE_WORKERS"] = "2"
from qualcode import workers

def task(folder, item):
    open(os.path.join(folder, f"{os.getpid()}"), "w").close()
    time.sleep(60)

list(workers.ordered_map(task, sys.argv[1], range(16), 16))
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended


@pytest.mark.skipif(not FORK or not Path("/proc").is_dir(), reason="needs fork and /proc")
def test_workers_end_when_the_calling_process_is_killed(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-c", ORPHAN_SCRIPT, str(tmp_path)])
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = [int(path.name) for path in tmp_path.iterdir()]
    assert len(pids) == 2, "the workers did not start"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in pids if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "workers outlived the process that started them"
