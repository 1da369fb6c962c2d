"""Every sample transcript imports into exactly the turns, speakers and texts of its gold file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPORA, Run, gold_files, imported_segments, jsonl, transcript_for


def normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    root = tmp_path_factory.mktemp("corpora") / "project"
    return imported_segments(root, [str(CORPORA)])


def test_corpus_has_every_language_and_format() -> None:
    transcripts = [transcript_for(g) for g in gold_files()]
    languages = {t.name.split("-")[0] for t in transcripts}
    assert {"da", "sv", "nb", "nn"} <= languages
    suffixes = {t.suffix for t in transcripts}
    assert {".txt", ".docx", ".odt", ".vtt"} <= suffixes
    for language, minimum in (("da", 3), ("sv", 3), ("nb", 3), ("nn", 1)):
        assert sum(t.name.startswith(language) for t in transcripts) >= minimum


@pytest.mark.parametrize("gold", gold_files(), ids=lambda p: p.name)
def test_turns_match_gold(gold: Path, imported: dict[str, list[dict]]) -> None:
    transcript = transcript_for(gold)
    expected = jsonl(gold.read_text(encoding="utf-8"))
    got = imported[transcript.name]
    assert [(g["turn"], g["speaker"]) for g in expected] == [(s["turn"], s["speaker"]) for s in got]
    for g, s in zip(expected, got):
        assert normalised(s["text"]) == normalised(g["text"]), f"turn {g['turn']}"


@pytest.mark.parametrize("gold", gold_files(), ids=lambda p: p.name)
def test_language_detected(gold: Path, imported: dict[str, list[dict]]) -> None:
    transcript = transcript_for(gold)
    expected_language = transcript.name.split("-")[0]
    assert {s["language"] for s in imported[transcript.name]} == {expected_language}


@pytest.mark.parametrize("gold", gold_files(), ids=lambda p: p.name)
def test_coded_turns_are_participants(gold: Path, imported: dict[str, list[dict]]) -> None:
    """Gold codes only participants' turns, so every coded turn must be a participant's."""
    transcript = transcript_for(gold)
    got = {s["turn"]: s for s in imported[transcript.name]}
    for g in jsonl(gold.read_text(encoding="utf-8")):
        if g["codes"]:
            assert got[g["turn"]]["role"] == "participant", g
    roles = {s["speaker"]: s["role"] for s in imported[transcript.name]}
    assert "interviewer" in roles.values()
    assert "participant" in roles.values()


def test_offsets_point_into_the_document(project: Path, run: Run) -> None:
    """start/end are character offsets: the slice of the stored text is the turn's text."""
    from sqlalchemy import select
    from sqlmodel import Session

    from qualcode.services import Project
    from qualcode.storage.tables import DocumentRow

    assert run("import", str(CORPORA)).exit_code == 0
    opened = Project.open(str(project))
    with Session(opened.engine) as session:
        texts = dict(session.execute(select(DocumentRow.name, DocumentRow.text)).all())
    for unit in ("turn", "sentence"):
        exported = jsonl(run("export", "segments", "--unit", unit).stdout)
        assert exported
        for segment in exported:
            sliced = texts[segment["document"]][segment["start"] : segment["end"]]
            assert normalised(sliced) == normalised(segment["text"]), segment
    opened.close()
