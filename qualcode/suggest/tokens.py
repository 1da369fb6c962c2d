"""Fast word tokens with offsets, and the clause each token belongs to.

Suggestion matching runs over millions of words, so it tokenises with one regular
expression (words, with inner hyphens and apostrophes) instead of a spaCy pass; spaCy's
sentences are still what the project stores as segments.
"""

from __future__ import annotations

import re
from itertools import accumulate

_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|[.!?;:,–—()\[\]\"«»“”]")
_SPLIT = re.compile(f"({_TOKEN.pattern})")
_CLAUSE_BREAK = frozenset('.!?;:,–—()[]"«»“”')
_SENTENCE_BREAK = frozenset(".!?")
# Conjunctions that open a new clause: negation and conditions do not reach past them.
_CLAUSE_WORDS = frozenset({"men", "mens", "medan", "fordi", "eftersom", "og", "och", "så"})


class Tokens:
    """The words of a text in parallel lists: lower-cased form, clause and sentence of each,
    and where each word is in the text."""

    __slots__ = ("_ends", "_pieces", "clause", "lower", "sentence")

    def __init__(
        self,
        lower: list[str],
        clause: list[int],
        sentence: list[int],
        pieces: list[int],
        ends: list[int],
    ) -> None:
        self.lower = lower
        self.clause = clause
        self.sentence = sentence
        self._pieces = pieces  # per word, its place among the text's pieces
        self._ends = ends  # where each piece of the split text ends

    def __len__(self) -> int:
        return len(self.lower)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets in the text from the start of word `first` to the end of word `last`."""
        return self._ends[2 * self._pieces[first]], self._ends[2 * self._pieces[last] + 1]


def tokenize(text: str) -> Tokens:
    """Words of a text; punctuation only moves the clause and sentence counters."""
    # Splitting on the tokens keeps what lies between them: [gap, token, gap, token, ...,
    # gap], so running sums of the lengths give every offset without a match object each.
    parts = _SPLIT.split(text)
    ends = list(accumulate(map(len, parts)))
    lower: list[str] = []
    clauses: list[int] = []
    sentences: list[int] = []
    pieces: list[int] = []
    clause = sentence = 0
    word_clause = -1  # the clause of the word before
    for index, piece in enumerate(parts[1::2]):
        if piece in _CLAUSE_BREAK:  # punctuation: single characters, never a word
            clause += 1
            if piece in _SENTENCE_BREAK:
                sentence += 1
            continue
        word = piece.lower()
        if word in _CLAUSE_WORDS and word_clause == clause:
            clause += 1
        lower.append(word)
        clauses.append(clause)
        sentences.append(sentence)
        pieces.append(index)
        word_clause = clause
    return Tokens(lower, clauses, sentences, pieces, ends)
