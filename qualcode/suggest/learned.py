"""Suggestions learned from the project's own decisions: nearest coded turns.

Accepted codings are positive examples of their code, rejected ones negative examples;
a turn in a document its coders have worked through, but left without a code, is a negative
example of every code. A new turn is compared with the decided turns of its language
(TF-IDF over character n-grams inside words, which copes with inflection and compounds
without a tagger); its nearest neighbours vote, weighted by similarity. The explanation
names the most similar coded turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

NEIGHBOURS = 7
MIN_SIMILARITY = 0.12
# Below this, a neighbour is named in the explanation but does not raise the confidence:
# on small projects, loosely similar turns vote more noise than signal.
VOTING_SIMILARITY = 0.3


@dataclass(frozen=True)
class Example:
    """A decided turn: where it is, its text, and the codes accepted and rejected on it."""

    document: str
    turn: int
    text: str
    accepted: frozenset[str]
    rejected: frozenset[str] = frozenset()
    complete: bool = True  # the coder worked through this turn: unlisted codes do not apply


@dataclass(frozen=True)
class LearnedVote:
    """How strongly the nearest decided turns support a code, and the closest of them."""

    code: str
    probability: float
    nearest: Example
    similarity: float


@dataclass
class NearestTurns:
    """A kNN index over the decided turns of one language."""

    examples: Sequence[Example]
    _vectorizer: object = field(default=None, repr=False)
    _matrix: object = field(default=None, repr=False)

    @classmethod
    def build(cls, examples: Sequence[Example]) -> NearestTurns | None:
        if len(examples) < 2 or not any(e.accepted for e in examples):
            return None
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            sublinear_tf=True,
            lowercase=True,
            min_df=1,
            max_df=0.5 if len(examples) > 20 else 1.0,
        )
        matrix = vectorizer.fit_transform([e.text for e in examples])
        return cls(examples, vectorizer, matrix)

    def votes(self, texts: Sequence[str]) -> list[list[LearnedVote]]:
        """For each text, the codes its nearest decided turns support, strongest first."""
        if not texts:
            return []
        queries = self._vectorizer.transform(texts)  # type: ignore[attr-defined]
        similarities = (queries @ self._matrix.T).toarray()  # type: ignore[attr-defined]
        results: list[list[LearnedVote]] = []
        for row in similarities:
            order = row.argsort()[::-1][:NEIGHBOURS]
            neighbours = [
                (float(row[i]), self.examples[i]) for i in order if row[i] >= MIN_SIMILARITY
            ]
            results.append(_vote(neighbours))
        return results


def _vote(neighbours: list[tuple[float, Example]]) -> list[LearnedVote]:
    if not neighbours:
        return []
    total = sum(similarity for similarity, _ in neighbours)
    support: dict[str, float] = {}
    best: dict[str, tuple[float, Example]] = {}
    for similarity, example in neighbours:
        for code in example.accepted:
            support[code] = support.get(code, 0.0) + similarity
            if code not in best or similarity > best[code][0]:
                best[code] = (similarity, example)
        for code in example.rejected:
            support[code] = support.get(code, 0.0) - similarity
    votes = []
    for code, weight in support.items():
        if code not in best:
            continue
        weight = max(weight, 0.0)
        closeness = 1.0 if best[code][0] >= VOTING_SIMILARITY else 0.0
        probability = (weight / total) * closeness
        votes.append(LearnedVote(code, probability, best[code][1], best[code][0]))
    votes.sort(key=lambda v: (-v.probability, v.code))
    return votes
