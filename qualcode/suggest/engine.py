"""Suggestions for one speaker turn: matched terms, negation and hypotheticals, a calibrated
confidence, and an explanation a researcher can read."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualcode.suggest.context import is_hypothetical, is_negated
from qualcode.suggest.terms import CodeSpec, Hit, TermMatcher
from qualcode.suggest.tokens import tokenize

# Logistic calibration of the term score, fitted on the development corpus
# (bench/calibrate.py prints the fit; see the README's section on suggestions).
CALIBRATION = (2.2, -2.0)
NEGATED_FACTOR = 0.6
DEFAULT_THRESHOLD = 0.3


@dataclass(frozen=True)
class Suggestion:
    """A code suggested for a turn."""

    code: str
    confidence: float
    source: str
    explanation: str
    score: float = 0.0


def calibrated(score: float) -> float:
    """Confidence in [0, 1] from a raw term score."""
    slope, intercept = CALIBRATION
    return 1.0 / (1.0 + math.exp(-(slope * score + intercept)))


class TermSuggester:
    """Suggests codes from codebook terms for turns in one language."""

    def __init__(self, codes: Iterable[CodeSpec], language: str) -> None:
        self.language = language
        self.codes = {code.id: code for code in codes}
        self.matcher = TermMatcher.build(self.codes.values(), language)

    def suggest(self, text: str) -> list[Suggestion]:
        """Codes for a participant's turn, strongest first (no threshold applied)."""
        tokens = tokenize(text)
        if not tokens:
            return []
        hits = self.matcher.find([t.lower for t in tokens], [t.sentence for t in tokens])
        by_code: dict[str, list[tuple[Hit, str | None]]] = defaultdict(list)
        for hit in hits:
            reason = None
            if is_negated(tokens, hit.first, hit.last, hit.term.word_set):
                reason = "negated"
            elif is_hypothetical(tokens, hit.first):
                reason = "hypothetical"
            by_code[hit.term.code].append((hit, reason))
        suggestions = []
        for code, found in by_code.items():
            suggestion = self._score(code, found, text, tokens)
            if suggestion is not None:
                suggestions.append(suggestion)
        suggestions.sort(key=lambda s: (-s.confidence, s.code))
        return suggestions

    def _score(
        self, code: str, found: Sequence[tuple[Hit, str | None]], text: str, tokens: Sequence
    ) -> Suggestion | None:
        plain = [hit for hit, reason in found if reason is None]
        if not plain:
            return None
        best: dict[str, float] = {}
        for hit in plain:
            weight = hit.term.weight * (0.6 if hit.fuzzy else 1.0)
            best[hit.term.text] = max(best.get(hit.term.text, 0.0), weight)
        weights = sorted(best.values(), reverse=True)
        score = sum(w * (0.5**i) for i, w in enumerate(weights))
        blocked = [(hit, reason) for hit, reason in found if reason is not None]
        if blocked:
            score *= NEGATED_FACTOR
        quoted = []
        for hit in plain:
            words = text[tokens[hit.first].start : tokens[hit.last].end]
            label = (
                f'"{words}"' if words.lower() == hit.term.text else f'"{words}" ({hit.term.text})'
            )
            if hit.fuzzy:
                label += " ~similar spelling"
            if label not in quoted:
                quoted.append(label)
        explanation = "matched " + ", ".join(quoted[:4])
        if blocked:
            notes = sorted(
                {
                    f'{reason}: "{text[tokens[h.first].start : tokens[h.last].end]}"'
                    for h, reason in blocked
                }
            )
            explanation += "; also " + ", ".join(notes[:2])
        return Suggestion(code, round(calibrated(score), 3), "terms", explanation, score)
