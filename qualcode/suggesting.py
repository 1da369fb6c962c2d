"""The suggest workflow: codebook terms plus what the project's codings teach, per turn."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from sqlalchemy import Engine
from sqlmodel import Session

from qualcode.errors import QualcodeError
from qualcode.storage import codings_repo
from qualcode.suggest.engine import DEFAULT_THRESHOLD, Suggestion, TermRecord, TermSuggester
from qualcode.suggest.learned import Example, NearestTurns
from qualcode.suggest.terms import code_specs

# A document counts as worked through once this share of its participant turns has a
# decision; its other participant turns then teach "none of these codes".
CODED_DOCUMENT_SHARE = 0.3


@dataclass(frozen=True)
class SuggestReport:
    """What `qualcode suggest` did."""

    documents: int
    turns: int
    suggestions: int
    skipped_decided: int
    learned_examples: int


def combine(
    term: Suggestion | None, learned_probability: float, learned_note: str, code: str
) -> Suggestion:
    """One suggestion from the term evidence and the nearest coded turns."""
    term_confidence = term.confidence if term else 0.0
    confidence = 1.0 - (1.0 - term_confidence) * (1.0 - learned_probability)
    if term and learned_probability > 0.05:
        return Suggestion(
            code,
            round(confidence, 3),
            "terms+learned",
            f"{term.explanation}; {learned_note}",
            term.score,
        )
    if term:
        return term
    return Suggestion(code, round(confidence, 3), "learned", learned_note)


def suggest_project(
    engine: Engine,
    coder: str,
    documents: Sequence[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[int, int, str], None] | None = None,
) -> SuggestReport:
    """Write suggestions for the participants' turns; accepted and rejected codings stay."""
    if not 0.0 <= threshold <= 1.0:
        raise QualcodeError(f"--threshold {threshold}: give a number between 0 and 1")
    with Session(engine) as session:
        codes = codings_repo.active_codes(session)
        if not codes:
            raise QualcodeError(
                "the project has no codebook: run `qualcode codebook use codebooks/impact.yaml`"
            )
        chosen = codings_repo.documents_by_name(session, documents)
        if documents:
            missing = sorted(set(documents) - set(chosen))
            if missing:
                raise QualcodeError(f"--document {missing[0]}: no such document in the project")
        examples = _examples(session)
    specs = code_specs({"codes": codes})
    polarity_known = {spec.id for spec in specs}
    suggesters: dict[str, TermSuggester] = {}
    nearest: dict[str, NearestTurns | None] = {}
    total_turns = total_suggestions = skipped = 0
    for index, (name, document) in enumerate(chosen.items()):
        if progress:
            progress(index, len(chosen), name)
        assert document.id is not None
        language = document.language
        suggester = suggesters.get(language)
        if suggester is None:
            suggester = suggesters[language] = TermSuggester(specs, language)
            suggester.reliability = term_reliability(suggester, examples.get(language, []))
        if language not in nearest:
            nearest[language] = NearestTurns.build(examples.get(language, []))
        with Session(engine) as session, session.begin():
            every_turn = codings_repo.turns_of(session, [document.id])
            questions = _questions(every_turn)
            turns = [t for t in every_turn if t.role == "participant"]
            decided = codings_repo.decided_pairs(session, [document.id], coder)
            index_for = nearest[language]
            learned = index_for.votes([t.text for t in turns]) if index_for else []
            rows = []
            for position, turn in enumerate(turns):
                by_code = {s.code: s for s in suggester.suggest(turn.text, questions.get(turn.id))}
                votes = {}
                if learned:
                    for vote in learned[position]:
                        if vote.nearest.document == name and vote.nearest.turn == turn.number:
                            continue  # a turn does not teach itself
                        votes.setdefault(vote.code, vote)
                for code in sorted(set(by_code) | set(votes)):
                    if code not in polarity_known:
                        continue
                    vote = votes.get(code)
                    note = (
                        f"similar to {vote.nearest.document} turn {vote.nearest.turn} "
                        f"({vote.similarity:.2f}), coded {code}"
                        if vote
                        else ""
                    )
                    suggestion = combine(
                        by_code.get(code), vote.probability if vote else 0.0, note, code
                    )
                    if suggestion.confidence < threshold:
                        continue
                    if (turn.id, code) in decided:
                        skipped += 1
                        continue
                    rows.append(
                        {
                            "turn_id": turn.id,
                            "start": turn.start,
                            "end": turn.end,
                            "code_id": code,
                            "confidence": suggestion.confidence,
                            "source": suggestion.source,
                            "explanation": suggestion.explanation,
                        }
                    )
            codings_repo.replace_suggestions(session, document.id, coder, rows)
        total_turns += len(turns)
        total_suggestions += len(rows)
    if progress:
        progress(len(chosen), len(chosen), "")
    return SuggestReport(
        len(chosen), total_turns, total_suggestions, skipped, sum(len(v) for v in examples.values())
    )


def _questions(turns: Sequence[codings_repo.TurnRef]) -> dict[int, str]:
    """Participant turn id -> the interviewer's turn right before it, if there is one."""
    questions: dict[int, str] = {}
    for before, turn in pairwise(turns):
        if before.role == "interviewer" and turn.role == "participant":
            questions[turn.id] = before.text
    return questions


def term_reliability(
    suggester: TermSuggester, examples: Sequence[Example]
) -> dict[tuple[str, str], TermRecord]:
    """How each term's matches fared on the decided turns: accepted, or left / rejected."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for example in examples:
        for code, terms in suggester.matched_terms(example.text).items():
            if (
                code not in example.accepted
                and code not in example.rejected
                and (not example.complete)
            ):
                continue
            for term in terms:
                counts[(code, term)][0 if code in example.accepted else 1] += 1
    return {key: TermRecord(a, o) for key, (a, o) in counts.items()}


def _examples(session: Session) -> dict[str, list[Example]]:
    """Decided turns per language, for the learned suggestions."""
    accepted: dict[int, set[str]] = defaultdict(set)
    rejected: dict[int, set[str]] = defaultdict(set)
    for turn_id, code, status in codings_repo.decisions(session):
        (accepted if status == "accepted" else rejected)[turn_id].add(code)
    decided_turns = set(accepted) | set(rejected)
    if not decided_turns:
        return {}
    turns = codings_repo.participant_turns_of_documents(session, codings_repo.document_ids(session))
    per_document: dict[int, list] = defaultdict(list)
    for turn in turns:
        per_document[turn.document_id].append(turn)
    examples: dict[str, list[Example]] = defaultdict(list)
    for document_turns in per_document.values():
        coded_here = sum(t.id in accepted for t in document_turns)
        worked_through = coded_here >= max(3, CODED_DOCUMENT_SHARE * len(document_turns))
        for turn in document_turns:
            if turn.id in decided_turns or worked_through:
                examples[turn.language].append(
                    Example(
                        turn.document,
                        turn.number,
                        turn.text,
                        frozenset(accepted.get(turn.id, ())),
                        frozenset(rejected.get(turn.id, ())),
                        complete=worked_through or turn.id in accepted,
                    )
                )
    return examples
