"""The coding service the workbench uses: accept, reject, add, accept-above, memo, undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.coding import CodingService
from qualcode.domain import Status
from qualcode.services import Project
from tests.conftest import Run, jsonl
from tests.test_suggest import MINI, TRANSCRIPT

pytestmark = pytest.mark.backends


@pytest.fixture
def service(tmp_path: Path, run: Run, project: Path) -> CodingService:
    path = tmp_path / "da-crafted.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    assert run("codebook", "use", str(MINI)).exit_code == 0
    assert run("--coder", "anna", "suggest").exit_code == 0
    return CodingService(Project.open(str(project)).engine, "anna")


def test_accept_reject_add_and_undo(service: CodingService, run: Run) -> None:
    document = service.open_document("da-crafted.txt")
    turn = document.turns[1]
    suggestions = turn.open_suggestions("anna")
    assert [s.code for s in suggestions] == ["users.empowerment", "end_users.waiting_times"]
    first = service.set_status(suggestions[0].id, Status.ACCEPTED)
    second = service.set_status(suggestions[1].id, Status.REJECTED)
    added = service.add(turn, document.id, "process.organisational_involvement")
    rows = {(r["code"], r["status"]) for r in jsonl(run("export", "codings").stdout)}
    assert rows == {
        ("users.empowerment", "accepted"),
        ("end_users.waiting_times", "rejected"),
        ("process.organisational_involvement", "accepted"),
    }
    for record in (added, second, first):
        service.undo(record)
    rows = {(r["code"], r["status"]) for r in jsonl(run("export", "codings").stdout)}
    assert rows == {("users.empowerment", "suggested"), ("end_users.waiting_times", "suggested")}


def test_accept_above_threshold_and_memo(service: CodingService, run: Run) -> None:
    document = service.open_document("da-crafted.txt")
    turn = document.turns[1]
    record = service.accept_above(turn, 0.5)
    accepted = [r for r in jsonl(run("export", "codings").stdout) if r["status"] == "accepted"]
    assert len(accepted) == len(
        [s for s in turn.open_suggestions("anna") if (s.confidence or 0) >= 0.5]
    )
    service.undo(record)
    memo = service.set_memo(document.id, turn, "Tydeligt eksempel på mod.")
    assert service.open_document("da-crafted.txt").turns[1].memo == "Tydeligt eksempel på mod."
    service.undo(memo)
    assert service.open_document("da-crafted.txt").turns[1].memo == ""


def test_code_search_in_any_language(service: CodingService) -> None:
    assert service.search_codes("vente")[0].id == "end_users.waiting_times"
    assert service.search_codes("egenmakt")[0].id == "users.empowerment"
    assert service.search_codes("brukarrepr")[0].id == "process.organisational_involvement"
    assert service.search_codes("")  # everything when nothing is typed
