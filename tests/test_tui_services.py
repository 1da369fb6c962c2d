"""What the coding service adds for the workbench: lean reads that match the full ones."""

from __future__ import annotations

from pathlib import Path

from qualcode.coding import CodingService
from qualcode.domain import Status
from qualcode.services import Project
from tests import test_tui_support as support
from tests.test_tui_support import CODER, invoke

template_project = support.template_project  # fixtures shared by the TUI tests
tui_project = support.tui_project


def test_read_document_is_open_document(tui_project: Path) -> None:
    service = CodingService(Project.open(str(tui_project)).engine, CODER)
    document = service.open_document("da-crafted.txt")
    service.set_memo(document.id, document.turns[1], "et memo")
    invoke(tui_project, "--coder", "bob", "suggest")
    for coders in (None, "all", "bob"):
        lean = service.read_document("da-crafted.txt", coders)
        full = service.open_document("da-crafted.txt", coders)
        assert (lean.id, lean.name, lean.language) == (full.id, full.name, full.language)
        for a, b in zip(lean.turns, full.turns, strict=True):
            assert sorted(a.codings, key=lambda c: c.id) == sorted(b.codings, key=lambda c: c.id)
            assert (a.id, a.number, a.speaker, a.role, a.text, a.memo) == (
                b.id,
                b.number,
                b.speaker,
                b.role,
                b.text,
                b.memo,
            )


def test_documents_overview_is_documents_without_words(tui_project: Path) -> None:
    project = Project.open(str(tui_project))
    service = CodingService(project.engine, CODER)
    document = service.open_document("da-crafted.txt")
    suggestion = document.turns[1].open_suggestions(CODER)[0]
    service.set_status(suggestion.id, Status.ACCEPTED)
    overview = [
        (d.name, d.language, d.turns, d.speakers, d.attributes, d.coded_share)
        for d in service.documents_overview()
    ]
    full = [
        (d.name, d.language, d.turns, d.speakers, d.attributes, d.coded_share)
        for d in project.documents()
    ]
    assert overview == full
    assert overview[0][5] == 1 / 3  # one of three participant turns coded


def test_codebooks_and_coders(tui_project: Path) -> None:
    service = CodingService(Project.open(str(tui_project)).engine, CODER)
    [book] = service.codebooks()
    assert book.id == "mini" and book.title["da"] == "En lille kodebog"
    assert book.languages == ["en", "da", "sv", "nb"]
    assert [target for target, _ in book.targets] == ["users", "end_users", "process"]
    assert dict(book.targets)["users"]["sv"] == "Brukare"
    assert service.coders() == [CODER]
    invoke(tui_project, "--coder", "bob", "suggest")
    assert service.coders() == [CODER, "bob"]
