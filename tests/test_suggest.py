"""Suggestions on crafted sentences: negation, hypotheticals and interviewer turns get none;
compounds and inflected forms do. Through the CLI, on a real project."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.suggest.engine import DEFAULT_THRESHOLD, TermSuggester
from qualcode.suggest.terms import CodeSpec, code_specs
from tests.conftest import Run, jsonl

pytestmark = pytest.mark.backends

MINI = Path(__file__).parent / "fixtures" / "suggest" / "mini.yaml"


@pytest.fixture(scope="module")
def specs() -> list:
    import yaml

    return code_specs(yaml.safe_load(MINI.read_text(encoding="utf-8")))


def codes(specs: list, language: str, text: str) -> set[str]:
    return {s.code for s in TermSuggester(specs, language).suggest(text)}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("da", "Jeg tør ikke mere sige noget til møderne."),
        ("da", "Det er ikke fordi jeg føler mig tryg, når jeg er der."),
        ("da", "Jeg har aldrig haft selvtillid til den slags."),
        ("sv", "Jag vågar inte säga ifrån, inte än."),
        ("sv", "Det var inte så att jag kände mig trygg där."),
        ("nb", "Jeg har ingen selvtillit når det gjelder sånt."),
        ("nn", "Eg har ikkje selvtillit når det gjeld slikt."),
    ],
)
def test_negated_gets_no_suggestion(specs: list, language: str, text: str) -> None:
    assert "users.empowerment" not in codes(specs, language, text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("da", "Hvis de havde lyttet, så havde jeg nok turdet mere og fået selvtillid."),
        ("sv", "Om de hade lyssnat hade jag fått mer självförtroende."),
        ("nb", "Dersom de hadde hørt på oss, ville jeg ha hatt bedre selvtillit."),
        ("da", "Så ville jeg have følt mig mere tryg."),
    ],
)
def test_hypothetical_gets_no_suggestion(specs: list, language: str, text: str) -> None:
    assert "users.empowerment" not in codes(specs, language, text)


@pytest.mark.parametrize(
    ("language", "text", "code"),
    [
        (
            "da",
            "Nu sidder der to brugerrepræsentanter i styregruppen.",
            "process.organisational_involvement",
        ),
        (
            "sv",
            "Brukarrepresentanterna fick en egen punkt på dagordningen.",
            "process.organisational_involvement",
        ),
        (
            "nb",
            "Brukermedvirkningen her har blitt mye bedre.",
            "process.organisational_involvement",
        ),
        (
            "da",
            "Ventetiden er blevet kortere, og man venter kortere på svar.",
            "end_users.waiting_times",
        ),
        ("da", "Jeg har fået en helt anden selvtilliden nu.", "users.empowerment"),
        ("sv", "Jag känner mig tryggare nu än förut.", "users.empowerment"),
        ("nb", "Ventetidene har gått ned.", "end_users.waiting_times"),
    ],
)
def test_compound_and_inflected_forms_are_found(
    specs: list, language: str, text: str, code: str
) -> None:
    assert code in codes(specs, language, text)


def test_not_only_is_not_a_negation(specs: list) -> None:
    assert "users.empowerment" in codes(specs, "da", "Det er ikke bare det, jeg tør mere nu.")


def test_suggestion_has_confidence_source_and_reason(specs: list) -> None:
    [suggestion] = TermSuggester(specs, "da").suggest("Jeg tør mere nu, og jeg har selvtillid.")
    assert suggestion.code == "users.empowerment"
    assert 0.0 < suggestion.confidence < 1.0
    assert suggestion.source == "terms"
    assert '"tør mere"' in suggestion.explanation and "selvtillid" in suggestion.explanation


def test_a_documents_turns_together_get_what_each_gets_alone(specs: list) -> None:
    turns = [
        ("Ja, jeg tør mere nu, og jeg har fået selvtillid.", "Tør du mere nu?"),
        ("Nej, ikke rigtig.", "Har du fået selvtillid?"),
        ("Jeg tør ikke mere sige noget.", None),
        ("Brugerrepræsentanten tør mere nu.", "Hvad med brugerrepræsentanterne?"),
    ]
    alone = [TermSuggester(specs, "da").suggest(text, question) for text, question in turns]
    together = TermSuggester(specs, "da").suggest_many(turns)
    assert together == alone
    assert [len(found) for found in together] != [0] * len(turns)


TRANSCRIPT = (
    "I: Tør du mere nu, og har du fået selvtillid?\n\n"
    "B: Ja, jeg tør mere nu. Og ventetiden er blevet kortere.\n\n"
    "I: Hvad med brugerrepræsentanterne?\n\n"
    "B: Jeg tør ikke mere sige noget, hvis jeg skal være ærlig.\n"
)


@pytest.fixture
def coded_project(tmp_path: Path, run: Run) -> Run:
    path = tmp_path / "da-crafted.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    assert run("codebook", "use", str(MINI)).exit_code == 0
    return run


def test_suggest_through_the_cli(coded_project: Run) -> None:
    run = coded_project
    result = run("suggest")
    assert result.exit_code == 0, result.stderr
    rows = jsonl(run("export", "codings", "--status", "suggested").stdout)
    assert {(r["turn"], r["code"]) for r in rows} == {
        (2, "users.empowerment"),
        (2, "end_users.waiting_times"),
    }
    for row in rows:
        assert row["status"] == "suggested" and row["source"] == "terms"
        assert 0 < row["confidence"] <= 1 and row["explanation"].startswith("matched")


def test_resuggest_keeps_decisions(coded_project: Run, tmp_path: Path) -> None:
    run = coded_project
    assert run("suggest").exit_code == 0
    decision = tmp_path / "decision.jsonl"
    decision.write_text(
        '{"document": "da-crafted.txt", "turn": 2, "code": "users.empowerment", '
        '"status": "rejected"}\n',
        encoding="utf-8",
    )
    coder = jsonl(run("export", "codings").stdout)[0]["coder"]
    assert run("import", "codings", str(decision), "--coder", coder).exit_code == 0
    assert run("suggest").exit_code == 0
    rows = jsonl(run("export", "codings").stdout)
    assert [(r["code"], r["status"]) for r in rows] == [
        ("end_users.waiting_times", "suggested"),
        ("users.empowerment", "rejected"),
    ]


def test_suggest_without_codebook_is_one_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    run("import", str(path))
    result = run("suggest")
    assert result.exit_code == 1 and "codebook use" in result.stderr


def test_suggest_opens_no_socket(coded_project: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the suggest path tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert coded_project("suggest").exit_code == 0


def test_degree_words_do_not_break_a_phrase() -> None:
    """Speakers hedge: "bestemt ganske mye før" is the phrase "bestemt før"."""
    spec = CodeSpec("process.tokenism", "negative", {}, {"nb": ["bestemt før"]})
    suggester = TermSuggester([spec], "nb")
    [tokenism] = suggester.suggest("Det var bestemt ganske mye før vi kom inn.")
    assert '"bestemt ganske mye før" (bestemt før)' in tokenism.explanation
    assert suggester.suggest("Det var bestemt at vi skulle få det før jul.") == []


def test_a_wish_is_a_need_not_a_counterfactual() -> None:
    spec = CodeSpec("users.support_needs", "neutral", {}, {"sv": ["någon att ringa"]})
    suggester = TermSuggester([spec], "sv")
    assert suggester.suggest("Jag skulle vilja ha någon att ringa på kvällarna.")
    assert suggester.suggest("Jag skulle gärna ha haft någon att ringa.")
    assert suggester.suggest("Då skulle jag ha haft någon att ringa.") == []


@pytest.mark.parametrize(
    ("language", "question", "answer"),
    [
        ("da", "Tak. Hvis du selv kunne bestemme, hvad skulle der så ske?", "At jeg tør mere."),
        ("sv", "Om du fick önska, hur skulle det se ut om några år?", "Mer självförtroende."),
        ("nb", "Hva ønsker du deg framover?", "At jeg får mer selvtillit."),
        ("nn", "Viss du kunne endre éin ting, kva skulle det vere?", "Meir selvtillit."),
    ],
)
def test_an_answer_to_a_wish_question_is_held_back(
    specs: list, language: str, question: str, answer: str
) -> None:
    """The closing "magic wand" question asks for wishes, which coders leave uncoded."""
    suggester = TermSuggester(specs, language)
    [plain] = suggester.suggest(answer, "Hvordan er det gået? Hur har det gått?")
    [wish] = suggester.suggest(answer, question)
    assert plain.code == wish.code == "users.empowerment"
    assert plain.confidence >= DEFAULT_THRESHOLD > wish.confidence
    assert "wish" in wish.explanation


def test_only_the_question_asked_last_counts_as_a_wish(specs: list) -> None:
    suggester = TermSuggester(specs, "nb")
    [found] = suggester.suggest(
        "Jeg har fått selvtillit.", "Du sa at du ønsket mer tid. Hvordan gikk det?"
    )
    assert found.confidence >= DEFAULT_THRESHOLD


def test_the_answer_to_a_wish_question_is_held_back_through_the_cli(
    run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "da-wish.txt"
    path.write_text(
        "I: Hvordan er det gået?\n\nB: Jeg tør mere nu.\n\n"
        "I: Hvis du selv kunne bestemme, hvad skulle der så ske?\n\nB: At flere tør mere.\n",
        encoding="utf-8",
    )
    assert run("import", str(path)).exit_code == 0
    assert run("codebook", "use", str(MINI)).exit_code == 0
    assert run("suggest").exit_code == 0
    rows = jsonl(run("export", "codings", "--status", "suggested").stdout)
    assert [(r["turn"], r["code"]) for r in rows] == [(2, "users.empowerment")]
    assert run("suggest", "--threshold", "0.1").exit_code == 0
    rows = jsonl(run("export", "codings", "--status", "suggested").stdout)
    [wish] = [r for r in rows if r["turn"] == 4]
    assert wish["confidence"] <= 0.1 and "wish" in wish["explanation"]
