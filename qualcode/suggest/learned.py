"""Suggestions learned from the project's own decisions: the nearest coded turns.

Accepted codings are positive examples of their code, rejected ones negative examples; a
turn in a document its coders have worked through, but left without a code, is a negative
example of every code. A new turn is compared with the decided turns of its language
(TF-IDF over character n-grams inside words, which copes with inflection and compounds
without a tagger); its nearest neighbours vote for their codes, weighted by similarity.

How much a vote is worth is not assumed but measured on the project itself: each worked-
through document's turns are voted on by the other documents' turns, and a logistic model
maps (share of the vote, closeness of the nearest such turn) to how often the code was
really there. Where the project's documents have little in common, that model keeps the
votes low, and the codebook's terms decide alone. The explanation names the most similar
coded turn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

NEIGHBOURS = 7
MIN_SIMILARITY = 0.12
# Calibration needs this many worked-through documents and positive votes to be fitted;
# below that the learned votes are shown in explanations but do not raise a confidence.
MIN_DOCUMENTS = 2
MIN_POSITIVES = 5
# Prior pseudo-votes, outweighed as the project's own votes accumulate: votes of barely
# similar turns tell nothing, the full vote of (nearly) the same turn is right. They also keep
# the fit defined when every vote of a small project was right.
ANCHORS = (
    ((0.0, MIN_SIMILARITY), 0),
    ((0.5, MIN_SIMILARITY), 0),
    ((1.0, MIN_SIMILARITY), 0),
    ((0.5, 0.25), 0),
    ((1.0, 0.8), 1),
    ((1.0, 1.0), 1),
)


@dataclass(frozen=True)
class Example:
    """A decided turn: where it is, its text, and the codes accepted and rejected on it."""

    document: str
    turn: int
    text: str
    accepted: frozenset[str]
    rejected: frozenset[str] = frozenset()
    complete: bool = True  # the coder worked through this turn: unlisted codes do not apply
    language: str = ""


@dataclass(frozen=True)
class LearnedVote:
    """How strongly the nearest decided turns support a code, and the closest of them."""

    code: str
    probability: float
    nearest: Example
    similarity: float
    share: float = 0.0


@dataclass(frozen=True)
class VoteCalibration:
    """Logistic map from (vote share, similarity of the nearest turn) to a probability."""

    weights: tuple[float, float, float]
    fitted_on: int  # (turn, code) votes it was fitted on

    def probability(self, share: float, similarity: float) -> float:
        bias, w_share, w_similarity = self.weights
        return 1.0 / (1.0 + math.exp(-(bias + w_share * share + w_similarity * similarity)))


@dataclass
class NearestTurns:
    """A kNN index over the decided turns of one language."""

    examples: Sequence[Example]
    _vectorizer: object = field(default=None, repr=False)
    _matrix: object = field(default=None, repr=False)
    calibration: VoteCalibration | None = None

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
        index = cls(examples, vectorizer, matrix)
        index.calibration = index._calibrate()
        return index

    def votes(
        self, texts: Sequence[str], skip: Sequence[tuple[str, int] | None] | None = None
    ) -> list[list[LearnedVote]]:
        """For each text, the codes its nearest decided turns support, strongest first.

        `skip[i]` names the (document, turn) text i itself is, so that it does not vote on
        itself."""
        if not texts:
            return []
        similarities = self._similarities(texts)
        results: list[list[LearnedVote]] = []
        for position, row in enumerate(similarities):
            itself = skip[position] if skip else None
            if itself is not None:
                for i, example in enumerate(self.examples):
                    if (example.document, example.turn) == itself:
                        row[i] = 0.0
            results.append(self._vote(row))
        return results

    def _similarities(self, texts: Sequence[str]) -> np.ndarray:
        queries = self._vectorizer.transform(texts)  # type: ignore[attr-defined]
        return (queries @ self._matrix.T).toarray()  # type: ignore[attr-defined]

    def _vote(self, row: np.ndarray) -> list[LearnedVote]:
        order = row.argsort()[::-1][:NEIGHBOURS]
        neighbours = [(float(row[i]), self.examples[i]) for i in order if row[i] >= MIN_SIMILARITY]
        votes = []
        for code, share, (similarity, example) in _support(neighbours):
            probability = (
                self.calibration.probability(share, similarity) if self.calibration else 0.0
            )
            votes.append(LearnedVote(code, probability, example, similarity, share))
        votes.sort(key=lambda v: (-v.probability, -v.share, v.code))
        return votes

    def _calibrate(self) -> VoteCalibration | None:
        """Fit the vote calibration by letting each worked-through document be voted on by
        the others (leave one document out)."""
        documents = sorted({e.document for e in self.examples if e.complete})
        if len(documents) < MIN_DOCUMENTS:
            return None
        names = np.array([e.document for e in self.examples])
        similarities = self._matrix @ self._matrix.T  # type: ignore[attr-defined]
        similarities = similarities.toarray()
        features: list[tuple[float, float]] = []
        labels: list[int] = []
        for position, example in enumerate(self.examples):
            row = similarities[position].copy()
            row[names == example.document] = 0.0
            order = row.argsort()[::-1][:NEIGHBOURS]
            neighbours = [
                (float(row[i]), self.examples[i]) for i in order if row[i] >= MIN_SIMILARITY
            ]
            for code, share, (similarity, _) in _support(neighbours):
                if not example.complete and code not in example.rejected | example.accepted:
                    continue
                features.append((share, similarity))
                labels.append(int(code in example.accepted))
        if sum(labels) < MIN_POSITIVES:
            return None
        for point, label in ANCHORS:
            features.append(point)
            labels.append(label)
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=10.0).fit(np.array(features), np.array(labels))
        weights = (float(model.intercept_[0]), *(float(w) for w in model.coef_[0]))
        return VoteCalibration(weights, len(labels) - len(ANCHORS))  # type: ignore[arg-type]


def _support(
    neighbours: list[tuple[float, Example]],
) -> list[tuple[str, float, tuple[float, Example]]]:
    """Per code its neighbours accepted: the similarity-weighted share of the vote (rejections
    count against it) and the nearest neighbour that accepted it."""
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
    return [
        (code, max(weight, 0.0) / total, best[code])
        for code, weight in sorted(support.items())
        if code in best
    ]
