"""Fast word tokens with offsets, and the clause each token belongs to.

Suggestion matching runs over millions of words, so it tokenises with one regular
expression (words, with inner hyphens and apostrophes) instead of a spaCy pass; spaCy's
sentences are still what the project stores as segments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|[.!?;:,–—()\[\]\"«»“”]")
_CLAUSE_BREAK = frozenset('.!?;:,–—()[]"«»“”')
_SENTENCE_BREAK = frozenset(".!?")
# Conjunctions that open a new clause: negation and conditions do not reach past them.
_CLAUSE_WORDS = frozenset({"men", "mens", "medan", "fordi", "eftersom", "og", "och", "så"})


@dataclass(frozen=True)
class Token:
    """A word with its offsets in the turn's text, lower-cased form, clause and sentence."""

    start: int
    end: int
    lower: str
    clause: int
    sentence: int


def tokenize(text: str) -> list[Token]:
    """Words of a text; punctuation only moves the clause and sentence counters."""
    tokens: list[Token] = []
    clause = sentence = 0
    for found in _TOKEN.finditer(text):
        piece = found.group(0)
        if len(piece) == 1 and piece in _CLAUSE_BREAK:
            clause += 1
            if piece in _SENTENCE_BREAK:
                sentence += 1
            continue
        lower = piece.lower()
        if lower in _CLAUSE_WORDS and tokens and tokens[-1].clause == clause:
            clause += 1
        tokens.append(Token(found.start(), found.end(), lower, clause, sentence))
    return tokens
