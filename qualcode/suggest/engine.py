"""Suggestions for one speaker turn: matched terms, negation and hypotheticals, a calibrated
confidence, and an explanation a researcher can read."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualcode.suggest.context import NEGATIONS, asks_for_a_wish, is_hypothetical, is_negated
from qualcode.suggest.terms import CodeSpec, Hit, TermMatcher
from qualcode.suggest.tokens import Tokens, tokenize

# Logistic calibration of the term score, fitted on what transcripts nobody had tuned the
# terms on got: the untuned held-out files of corpora/ (da-06, sv-02/04/06, nb-02/04/06,
# nn-02) and the blind sets bench/unseen2, unseen3 and unseen4 with the codebook each was
# first measured with; 697 suggestions, 37 % right (bench/calibrate.py prints the fit; see
# the README's section on suggestions).
CALIBRATION = (1.42, -1.91)
NEGATED_FACTOR = 0.6
# Suggest a code once it is right about one time in five: a missed code costs the
# researcher more than a rejected suggestion. (The lowest score suggested, 0.4, is the
# same as under the earlier calibration, whose threshold was 0.3.)
DEFAULT_THRESHOLD = 0.2


@dataclass(frozen=True)
class Suggestion:
    """A code suggested for a turn."""

    code: str
    confidence: float
    source: str
    explanation: str
    score: float = 0.0


QUESTION_WEIGHT = 0.5
_TURNING_DOWN = frozenset({"nej", "nei", "nä", "näe", "nää", "nope", "næ", "nja", "nææ"})


def _turns_down(tokens: Tokens) -> bool:
    """An answer that opens with "nej" or negates in its first words turns the question down."""
    opening = tokens.lower[:4]
    return bool(opening) and (
        opening[0] in _TURNING_DOWN or any(w in NEGATIONS for w in opening[1:4])
    )


def _passage(text: str, tokens: Tokens, hit: Hit) -> str:
    """The words of the text a hit covers, as written."""
    start, end = tokens.span(hit.first, hit.last)
    return text[start:end]


# An answer to a question that asked for a wish ("Hvis du selv kunne bestemme, hvad skulle
# der så ske?") voices wishes and plans, which coders leave uncoded: its suggestions stay
# below the default threshold, shown only to a researcher who asks for everything.
WISH_CONFIDENCE = 0.1


def _as_wish(suggestion: Suggestion) -> Suggestion:
    """A suggestion for an answer to a question that asked for a wish: held back, and says so."""
    return Suggestion(
        suggestion.code,
        min(suggestion.confidence, WISH_CONFIDENCE),
        suggestion.source,
        f"{suggestion.explanation}; but the question asked what should be, so this is a wish",
        suggestion.score,
    )


def calibrated(score: float) -> float:
    """Confidence in [0, 1] from a raw term score."""
    slope, intercept = CALIBRATION
    return 1.0 / (1.0 + math.exp(-(slope * score + intercept)))


RELIABILITY_PRIOR = 0.4
RELIABILITY_WEIGHT = 1.0


@dataclass(frozen=True)
class TermRecord:
    """How often a code's term matched a decided turn that did (or did not) get the code."""

    accepted: int = 0
    other: int = 0

    def factor(self) -> float:
        """Multiplier for the confidence: above 1 when the project keeps accepting this
        term's suggestions, below 1 when it keeps leaving them (Beta prior at 0.4)."""
        precision = (self.accepted + RELIABILITY_PRIOR * RELIABILITY_WEIGHT) / (
            self.accepted + self.other + RELIABILITY_WEIGHT
        )
        return precision / RELIABILITY_PRIOR


class TermSuggester:
    """Suggests codes from codebook terms for turns in one language."""

    def __init__(
        self,
        codes: Iterable[CodeSpec],
        language: str,
        reliability: dict[tuple[str, str], TermRecord] | None = None,
    ) -> None:
        self.language = language
        self.codes = {code.id: code for code in codes}
        self.matcher = TermMatcher.build(self.codes.values(), language)
        self.reliability = reliability or {}

    def matched_terms(self, text: str) -> dict[str, set[str]]:
        """Code -> texts of its terms found in `text`, not negated or hypothetical."""
        tokens = tokenize(text)
        found: dict[str, set[str]] = defaultdict(set)
        if not tokens:
            return found
        for hit in self.matcher.find(tokens):
            if is_negated(tokens, hit.first, hit.last, hit.term.word_set):
                continue
            if is_hypothetical(tokens, hit.first, self.language):
                continue
            found[hit.term.code].add(hit.term.text)
        return found

    def suggest(self, text: str, question: str | None = None) -> list[Suggestion]:
        """Codes for a participant's turn, strongest first (no threshold applied).

        `question` is the interviewer's turn just before: researchers read an answer in the
        light of what was asked, so a code the question names carries over, weakened, to an
        answer that does not turn it down ("Nej, ikke rigtig").
        """
        return self.suggest_many([(text, question)])[0]

    def suggest_many(self, turns: Sequence[tuple[str, str | None]]) -> list[list[Suggestion]]:
        """`suggest` for many (text, question) pairs, such as a document's turns: their new
        words are looked up together."""
        tokenized = [
            (tokenize(text), tokenize(question) if question else None) for text, question in turns
        ]
        self.matcher.prepare(tokens for pair in tokenized for tokens in pair if tokens is not None)
        return [
            self._suggest(text, tokens, question, asked_tokens)
            for (text, question), (tokens, asked_tokens) in zip(turns, tokenized)
        ]

    def _suggest(
        self, text: str, tokens: Tokens, question: str | None, asked_tokens: Tokens | None
    ) -> list[Suggestion]:
        if not tokens:
            return []
        by_code = self._hits(tokens)
        suggestions = {}
        for code, found in by_code.items():
            suggestion = self._score(code, found, text, tokens)
            if suggestion is not None:
                suggestions[code] = suggestion
        if asked_tokens is not None and asks_for_a_wish(asked_tokens):
            return sorted(
                (_as_wish(s) for s in suggestions.values()), key=lambda s: (-s.confidence, s.code)
            )
        if question and asked_tokens is not None and not _turns_down(tokens):
            for code, found in self._hits(asked_tokens).items():
                asked = self._score(code, found, question, asked_tokens)
                if asked is None:
                    continue
                score = asked.score * QUESTION_WEIGHT
                if code in suggestions:
                    own = suggestions[code]
                    score += own.score
                    suggestions[code] = Suggestion(
                        code,
                        round(calibrated(score), 3),
                        own.source,
                        f"{own.explanation}; the question asked about it too",
                        score,
                    )
                else:
                    asked_about = asked.explanation.removeprefix("matched ")
                    suggestions[code] = Suggestion(
                        code,
                        round(calibrated(score), 3),
                        "terms",
                        f"answer to a question about {asked_about}",
                        score,
                    )
        ordered = sorted(suggestions.values(), key=lambda s: (-s.confidence, s.code))
        return ordered

    def _hits(self, tokens: Tokens) -> dict[str, list[tuple[Hit, str | None]]]:
        hits = self.matcher.find(tokens)
        by_code: dict[str, list[tuple[Hit, str | None]]] = defaultdict(list)
        for hit in hits:
            reason = None
            if is_negated(tokens, hit.first, hit.last, hit.term.word_set):
                reason = "negated"
            elif is_hypothetical(tokens, hit.first, self.language):
                reason = "hypothetical"
            by_code[hit.term.code].append((hit, reason))
        return by_code

    def _score(
        self, code: str, found: Sequence[tuple[Hit, str | None]], text: str, tokens: Tokens
    ) -> Suggestion | None:
        plain = [hit for hit, reason in found if reason is None]
        if not plain:
            return None
        best: dict[str, float] = {}
        for hit in plain:
            weight = hit.term.weight * (0.6 if hit.fuzzy else 1.0)
            best[hit.term.text] = max(best.get(hit.term.text, 0.0), weight)
        weights = sorted(best.values(), reverse=True)
        score = sum([w * (0.5**i) for i, w in enumerate(weights)])
        blocked = [(hit, reason) for hit, reason in found if reason is not None]
        if blocked:
            score *= NEGATED_FACTOR
        quoted = []
        for hit in plain:
            words = _passage(text, tokens, hit)
            label = (
                f'"{words}"' if words.lower() == hit.term.text else f'"{words}" ({hit.term.text})'
            )
            if hit.fuzzy:
                label += " ~similar spelling"
            if label not in quoted:
                quoted.append(label)
        explanation = "matched " + ", ".join(quoted[:4])
        if blocked:
            notes = sorted({f'{reason}: "{_passage(text, tokens, h)}"' for h, reason in blocked})
            explanation += "; also " + ", ".join(notes[:2])
        confidence = calibrated(score)
        records = [(self.reliability[(code, t)], t) for t in best if (code, t) in self.reliability]
        if records:
            record, term = max(records, key=lambda pair: pair[0].factor())
            confidence = min(0.99, confidence * record.factor())
            explanation += (
                f'; in this project "{term}" led to {code} {record.accepted} of '
                f"{record.accepted + record.other} times"
            )
        return Suggestion(code, round(confidence, 3), "terms", explanation, score)
