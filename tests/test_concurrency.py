"""Two coders writing to one project at the same time lose nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import Run, jsonl
from tests.test_suggest import MINI

pytestmark = pytest.mark.backends

TURNS = 40
WORKER = textwrap.dedent(
    """
    import sys
    from qualcode.coding import CodingService
    from qualcode.services import Project

    project_dir, coder, code = sys.argv[1:4]
    project = Project.open(project_dir)
    service = CodingService(project.engine, coder)
    document = service.open_document("da-many.txt")
    for turn in document.turns:
        if turn.role == "participant":
            service.add(turn, document.id, code)      # one transaction per action, as the TUI
    project.close()
    """
)


def test_two_processes_coding_at_once(run: Run, project: Path, tmp_path: Path) -> None:
    path = tmp_path / "da-many.txt"
    path.write_text(
        "".join(f"I: Spørgsmål {n}?\n\nB: Svar {n}, og det var godt.\n\n" for n in range(TURNS)),
        encoding="utf-8",
    )
    assert run("import", str(path)).exit_code == 0
    assert run("codebook", "use", str(MINI)).exit_code == 0
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(project), coder, code],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for coder, code in (("anna", "users.empowerment"), ("bo", "end_users.waiting_times"))
    ]
    suggest = run("--coder", "cai", "suggest")  # a third writer in this process meanwhile
    assert suggest.exit_code == 0, suggest.stderr
    for worker in workers:
        _, error = worker.communicate(timeout=300)
        assert worker.returncode == 0, error
    rows = jsonl(run("export", "codings", "--status", "accepted").stdout)
    per_coder = {coder: sum(r["coder"] == coder for r in rows) for coder in ("anna", "bo")}
    assert per_coder == {"anna": TURNS, "bo": TURNS}
    assert {r["code"] for r in rows if r["coder"] == "anna"} == {"users.empowerment"}
