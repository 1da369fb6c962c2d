"""The suggest workflow: codebook terms plus what the project's codings teach, per turn."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from qualcode.errors import QualcodeError
from qualcode.storage import codings_repo
from qualcode.suggest.engine import DEFAULT_THRESHOLD, Suggestion, TermRecord, TermSuggester
from qualcode.suggest.learned import Example, NearestTurns
from qualcode.suggest.terms import CodeSpec, code_specs

# A document counts as worked through once this share of its participant turns has a
# decision; its other participant turns then teach "none of these codes".
CODED_DOCUMENT_SHARE = 0.3
# A code suggested by the nearest coded turns alone, with no term of it in the turn: while
# its probability is fitted on a few dozen of the project's own votes it is least sure at
# the low end, so it has to reach LEARNED_ALONE_MIN, above the general threshold, before it
# is shown. Fitted on WELL_FITTED votes or more (the sample corpus and the project sets give
# 186-439 per language and half), the general threshold is enough.
LEARNED_ALONE_MIN = 0.3
WELL_FITTED = 100


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


@dataclass(frozen=True)
class TurnInput:
    """A participant's turn to suggest codes for, with the question asked just before it."""

    number: int
    text: str
    question: str | None = None


class Learner:
    """Suggestions for one language: codebook terms, weighted by how the project's decisions
    went, plus the nearest coded turns."""

    def __init__(
        self, suggester: TermSuggester, examples: Sequence[Example], specs: Sequence[CodeSpec]
    ) -> None:
        self.suggester = suggester
        self.language = suggester.language
        same_language = [e for e in examples if e.language in ("", self.language)]
        suggester.reliability = term_reliability(suggester, same_language)
        self.nearest = NearestTurns.build(same_language)
        self.known = {spec.id for spec in specs}
        self.examples = len(same_language)

    @property
    def alone_min(self) -> float:
        """What a code suggested by the nearest coded turns alone has to reach."""
        calibration = self.nearest.calibration if self.nearest else None
        if calibration is not None and calibration.fitted_on >= WELL_FITTED:
            return DEFAULT_THRESHOLD
        return LEARNED_ALONE_MIN

    def suggest(self, document: str, turns: Sequence[TurnInput]) -> list[list[Suggestion]]:
        """Per turn, the suggestions strongest first (no threshold applied)."""
        learned = (
            self.nearest.votes([t.text for t in turns], [(document, t.number) for t in turns])
            if self.nearest
            else []
        )
        alone_min = self.alone_min
        from_terms = self.suggester.suggest_many([(t.text, t.question) for t in turns])
        results = []
        for position, terms_found in enumerate(from_terms):
            by_code = {s.code: s for s in terms_found}
            votes = {vote.code: vote for vote in learned[position]} if learned else {}
            found = []
            for code in sorted(set(by_code) | set(votes)):
                if code not in self.known:
                    continue
                vote = votes.get(code)
                if code not in by_code and (vote is None or vote.probability < alone_min):
                    continue
                note = (
                    f"similar to {vote.nearest.document} turn {vote.nearest.turn} "
                    f"({vote.similarity:.2f}), coded {code}"
                    if vote
                    else ""
                )
                found.append(
                    combine(by_code.get(code), vote.probability if vote else 0.0, note, code)
                )
            found.sort(key=lambda s: (-s.confidence, s.code))
            results.append(found)
        return results


def suggest_project(
    engine: Engine,
    coder: str,
    documents: Sequence[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[int, int, str], None] | None = None,
) -> SuggestReport:
    """Write suggestions for the participants' turns; accepted and rejected codings stay.

    One Learner per language is built here, then the documents are worked through in
    batches (suggest_run.py), in worker processes where it pays."""
    from qualcode import suggest_run

    if not 0.0 <= threshold <= 1.0:
        raise QualcodeError(f"--threshold {threshold}: give a number between 0 and 1")
    with Session(engine) as session:
        codes = codings_repo.active_codes(session)
        if not codes:
            raise QualcodeError(
                "the project has no codebook: run `qualcode codebook use codebooks/impact.yaml`"
            )
        chosen = codings_repo.document_refs(session, documents)
        if documents:
            missing = sorted(set(documents) - set(chosen))
            if missing:
                raise QualcodeError(f"--document {missing[0]}: no such document in the project")
        examples = _examples(session)
    specs = code_specs({"codes": codes})
    learners = {
        language: Learner(TermSuggester(specs, language), examples, specs)
        for language in sorted({language for _, language in chosen.values()})
    }
    totals = suggest_run.run(
        engine,
        coder,
        [(document_id, name, language) for name, (document_id, language) in chosen.items()],
        learners,
        threshold,
        progress,
    )
    if progress:
        progress(len(chosen), len(chosen), "")
    return SuggestReport(
        len(chosen), totals.turns, totals.suggestions, totals.skipped_decided, len(examples)
    )


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


def _examples(session: Session) -> list[Example]:
    """Decided turns of every language, for the learned suggestions."""
    accepted: dict[int, set[str]] = defaultdict(set)
    rejected: dict[int, set[str]] = defaultdict(set)
    for turn_id, code, status in codings_repo.decisions(session):
        (accepted if status == "accepted" else rejected)[turn_id].add(code)
    decided_turns = set(accepted) | set(rejected)
    if not decided_turns:
        return []
    turns = codings_repo.participant_turns_of_documents(session, codings_repo.document_ids(session))
    per_document: dict[int, list] = defaultdict(list)
    for turn in turns:
        per_document[turn.document_id].append(turn)
    examples: list[Example] = []
    for document_turns in per_document.values():
        coded_here = sum(t.id in accepted for t in document_turns)
        worked_through = coded_here >= max(3, CODED_DOCUMENT_SHARE * len(document_turns))
        for turn in document_turns:
            if turn.id in decided_turns or worked_through:
                examples.append(
                    Example(
                        turn.document,
                        turn.number,
                        turn.text,
                        frozenset(accepted.get(turn.id, ())),
                        frozenset(rejected.get(turn.id, ())),
                        complete=worked_through or turn.id in accepted,
                        language=turn.language,
                    )
                )
    return examples
