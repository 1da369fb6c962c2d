"""The blind sets (bench/unseen ... unseen5) and the project sets (bench/project_da, _sv, _nb,
_nn, bench/project2_*, bench/project3_* and bench/project4_*) import into exactly their gold turns.

Their figures are only worth reporting if qualcode reads those transcripts as their gold files
say, and every gold code is one of the shipped codebook's."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, imported_segments, jsonl, transcript_for

SET_NAMES = ("unseen", "unseen2", "unseen3", "unseen4", "unseen5")
SET_NAMES += tuple(
    f"{project}_{language}"
    for project in ("project", "project2", "project3", "project4")
    for language in ("da", "sv", "nb", "nn")
)
BLIND_SETS = tuple(REPO / "bench" / name for name in SET_NAMES)
GOLD = sorted(gold for folder in BLIND_SETS for gold in folder.glob("*.gold.jsonl"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    root = tmp_path_factory.mktemp("unseen") / "project"
    return imported_segments(root, [str(transcript_for(g)) for g in GOLD])


def test_the_blind_sets_are_there() -> None:
    for folder in BLIND_SETS:
        assert len(list(folder.glob("*.gold.jsonl"))) >= 5
    assert {g.name[:2] for g in GOLD} >= {"da", "sv", "nb", "nn"}


@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.name)
def test_turns_match_gold(gold: Path, imported: dict[str, list[dict]]) -> None:
    expected = jsonl(gold.read_text(encoding="utf-8"))
    got = imported[transcript_for(gold).name]
    assert [(g["turn"], g["speaker"]) for g in expected] == [(s["turn"], s["speaker"]) for s in got]
    for g, s in zip(expected, got, strict=True):
        assert " ".join(s["text"].split()) == " ".join(g["text"].split()), g["turn"]
        if g["codes"]:
            assert s["role"] == "participant", g["turn"]
    assert {s["language"] for s in got} == {gold.name[:2]}


def test_gold_codes_are_codebook_ids() -> None:
    codebook = yaml.safe_load((REPO / "codebooks" / "impact.yaml").read_text(encoding="utf-8"))
    ids = {code["id"] for code in codebook["codes"]}
    for gold in GOLD:
        for row in jsonl(gold.read_text(encoding="utf-8")):
            assert set(row["codes"]) <= ids, (gold.name, row["turn"])
