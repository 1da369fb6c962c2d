"""Suggestions learned from the project's own accepted and rejected codings."""

from __future__ import annotations

import math
from pathlib import Path

from qualcode.suggest.learned import Example, NearestTurns
from tests.conftest import Run, jsonl

MINI = Path(__file__).parent / "fixtures" / "suggest" / "mini.yaml"

# Three informants from the same day centre: the same places and episodes come back in
# their own words. Nothing here is a term of the mini codebook.
SITE_TURNS = {
    "a": [
        (
            "Køkkenholdet om tirsdagen, det er os brugere, der laver frokosten til hele huset nu.",
            True,
        ),
        ("Vi skrev selv menuplanen for køkkenholdet og hængte den op ved indgangen.", True),
        ("Til sommerfesten stod køkkenholdet for grillen, det havde vi selv foreslået.", True),
        ("Bussen holder lige ude foran, så det er nemt at komme herud om morgenen.", False),
        ("Min datter bor i Aarhus, hun kommer på besøg til jul.", False),
        ("Vejret har været dårligt hele ugen, det regner bare.", False),
        ("Jeg har boet i byen i snart tyve år, i en lille lejlighed.", False),
    ],
    "b": [
        ("Om tirsdagen står jeg på køkkenholdet, og vi laver frokosten til hele huset.", True),
        ("Menuplanen laver køkkenholdet selv, den hænger ved indgangen.", True),
        ("Grillen til sommerfesten var køkkenholdets eget forslag, og vi stod for den.", True),
        ("Jeg tager bussen, den holder lige foran døren om morgenen.", False),
        ("Min søn bor i København, han ringer hver søndag.", False),
        ("I weekenden ser jeg fodbold på tv, det er det bedste.", False),
        ("Lejligheden er lille, men jeg har en altan mod syd.", False),
    ],
    "c": [
        ("Frokosten til hele huset laver vi brugere nu, på køkkenholdet om tirsdagen.", True),
        ("Jeg var med til at skrive menuplanen for køkkenholdet, den hænger ved indgangen.", True),
        ("Køkkenholdet foreslog selv at stå for grillen til sommerfesten.", True),
        ("Om morgenen tager jeg bussen, den holder lige ude foran.", False),
        ("Min bror bor i Odense, vi ses ikke så tit.", False),
        ("Om aftenen strikker jeg, det falder jeg til ro af.", False),
        ("Jeg har en lille have bag huset med tomater.", False),
    ],
}
CODE = "users.empowerment"


def site_examples() -> list[Example]:
    return [
        Example(f"{name}.txt", number, text, frozenset({CODE}) if coded else frozenset())
        for name, turns in SITE_TURNS.items()
        for number, (text, coded) in enumerate(turns, start=1)
    ]


def test_votes_of_similar_coded_turns_are_calibrated_on_the_project() -> None:
    index = NearestTurns.build(site_examples())
    assert index is not None and index.calibration is not None
    similar, unrelated = index.votes(
        [
            "Køkkenholdet laver frokosten til huset om tirsdagen, det er os brugere.",
            "Min kusine bor i Aalborg, hun kommer på besøg til påske.",
        ]
    )
    vote = next(v for v in similar if v.code == CODE)
    assert vote.probability > 0.5
    assert vote.nearest.document in {"a.txt", "b.txt", "c.txt"} and vote.nearest.turn == 1
    assert all(v.probability < 0.35 for v in unrelated)


def test_votes_stay_low_where_documents_have_nothing_in_common() -> None:
    # The coded turns of one document do not resemble those of the others: the project
    # shows that neighbours do not predict codes, so a vote stays below the threshold.
    examples = [
        Example("a.txt", 1, "Køkkenholdet laver frokosten om tirsdagen.", frozenset({CODE})),
        Example("b.txt", 1, "Jeg fik et nøglekort til værkstedet i kælderen.", frozenset({CODE})),
        Example("c.txt", 1, "Vi plantede kartofler i højbedene bag ved huset.", frozenset({CODE})),
    ] + [
        Example(f"{name}.txt", n, text, frozenset())
        for name in "abc"
        for n, text in enumerate(
            [
                "Køkkenholdet laver frokosten om tirsdagen, men det gider jeg ikke.",
                "Nøglekortet til værkstedet i kælderen virker aldrig.",
                "Højbedene bag ved huset har stået tomme hele året.",
            ],
            start=2,
        )
    ]
    index = NearestTurns.build(examples)
    assert index is not None
    votes = index.votes(["Køkkenholdet laver frokosten om tirsdagen."])[0]
    assert all(v.probability < 0.35 for v in votes)


def test_a_turn_does_not_vote_on_itself() -> None:
    index = NearestTurns.build(site_examples())
    assert index is not None
    text, _ = SITE_TURNS["a"][0]
    vote = next(v for v in index.votes([text], [("a.txt", 1)])[0] if v.code == CODE)
    assert (vote.nearest.document, vote.nearest.turn) != ("a.txt", 1)


def test_rejections_count_against_a_code() -> None:
    accepted = site_examples()
    rejected = [
        Example(e.document, e.turn, e.text, frozenset(), frozenset(e.accepted))
        if e.document == "c.txt"
        else e
        for e in accepted
    ]
    query = ["Køkkenholdet laver frokosten til huset om tirsdagen, det er os brugere."]
    share = {
        name: next(v.share for v in NearestTurns.build(examples).votes(query)[0] if v.code == CODE)  # type: ignore[union-attr]
        for name, examples in (("accepted", accepted), ("rejected", rejected))
    }
    assert share["rejected"] < share["accepted"]


def _write_site(tmp_path: Path) -> list[Path]:
    paths = []
    for name, turns in SITE_TURNS.items():
        lines = []
        for text, _ in turns:
            lines += ["I: Kan du fortælle lidt mere?", "", f"B: {text}", ""]
        path = tmp_path / f"{name}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def test_accepted_codings_teach_suggest_through_the_cli(run: Run, tmp_path: Path) -> None:
    paths = _write_site(tmp_path)
    assert run("import", *map(str, paths)).exit_code == 0
    assert run("codebook", "use", str(MINI)).exit_code == 0
    assert run("suggest").exit_code == 0
    assert not [r for r in jsonl(run("export", "codings").stdout) if r["document"] == "c.txt"]
    decisions = tmp_path / "decisions.jsonl"
    decisions.write_text(
        "".join(
            f'{{"document": "{name}.txt", "turn": {2 * number}, "code": "{CODE}", '
            f'"status": "accepted"}}\n'
            for name in ("a", "b")
            for number, (_, coded) in enumerate(SITE_TURNS[name], start=1)
            if coded
        ),
        encoding="utf-8",
    )
    assert run("import", "codings", str(decisions), "--coder", "ann").exit_code == 0
    before = [r for r in jsonl(run("export", "codings").stdout) if r["status"] == "accepted"]

    result = run("suggest")
    assert result.exit_code == 0, result.stderr
    rows = jsonl(run("export", "codings").stdout)
    learned = [r for r in rows if r["document"] == "c.txt" and r["status"] == "suggested"]
    assert {(r["turn"], r["code"]) for r in learned} == {(2, CODE), (4, CODE), (6, CODE)}
    for row in learned:
        assert row["source"] == "learned"
        assert "similar to a.txt turn" in row["explanation"] or (
            "similar to b.txt turn" in row["explanation"]
        )
    assert [r for r in rows if r["status"] == "accepted"] == before


def test_a_learned_vote_alone_needs_more_where_the_calibration_rests_on_few_votes() -> None:
    import dataclasses

    import yaml

    from qualcode.suggest.engine import DEFAULT_THRESHOLD, TermSuggester
    from qualcode.suggest.terms import code_specs
    from qualcode.suggesting import LEARNED_ALONE_MIN, Learner, TurnInput

    specs = code_specs(yaml.safe_load(MINI.read_text(encoding="utf-8")))
    learner = Learner(TermSuggester(specs, "da"), site_examples(), specs)
    assert learner.nearest is not None and learner.nearest.calibration is not None
    few = learner.nearest.calibration
    assert few.fitted_on < 100 and learner.alone_min == LEARNED_ALONE_MIN
    # A vote between the general threshold and the stricter minimum: shown only once the
    # calibration is fitted on enough of the project's votes.
    bias = -math.log(1 / 0.25 - 1)
    learner.nearest.calibration = dataclasses.replace(few, weights=(bias, 0.0, 0.0))
    turn = [TurnInput(1, "Køkkenholdet laver frokosten til huset om tirsdagen.")]
    assert CODE not in {s.code for s in learner.suggest("d.txt", turn)[0]}
    learner.nearest.calibration = dataclasses.replace(few, weights=(bias, 0.0, 0.0), fitted_on=250)
    assert learner.alone_min == DEFAULT_THRESHOLD
    [learned] = [s for s in learner.suggest("d.txt", turn)[0] if s.code == CODE]
    assert learned.source == "learned" and learned.confidence == 0.25
