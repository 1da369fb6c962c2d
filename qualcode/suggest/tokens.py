"""Fast word tokens with offsets, and the clause each token belongs to.

Suggestion matching runs over millions of words, so it tokenises with one regular
expression (words, with inner hyphens and apostrophes) instead of a spaCy pass; spaCy's
sentences are still what the project stores as segments.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|[.!?;:,–—()\[\]\"«»“”]")
_CLAUSE_BREAK = frozenset('.!?;:,–—()[]"«»“”')
_SENTENCE_BREAK = frozenset(".!?")
# Conjunctions that open a new clause: negation and conditions do not reach past them.
_CLAUSE_WORDS = frozenset({"men", "mens", "medan", "fordi", "eftersom", "og", "och", "så"})


class Token(NamedTuple):
    """A word with its offsets in the turn's text, lower-cased form, clause and sentence.

    A tuple, not a dataclass: suggest makes one per word of every turn."""

    start: int
    end: int
    lower: str
    clause: int
    sentence: int


def tokenize(text: str) -> list[Token]:
    """Words of a text; punctuation only moves the clause and sentence counters."""
    tokens: list[Token] = []
    append = tokens.append
    make = tuple.__new__  # Token's own __new__ is a Python function: this skips the call
    clause = sentence = 0
    word_clause = -1  # the clause of the word before
    for found in _TOKEN.finditer(text):
        piece = found.group()
        if piece in _CLAUSE_BREAK:  # punctuation: single characters, never a word
            clause += 1
            if piece in _SENTENCE_BREAK:
                sentence += 1
            continue
        lower = piece.lower()
        if lower in _CLAUSE_WORDS and word_clause == clause:
            clause += 1
        start, end = found.span()
        append(make(Token, (start, end, lower, clause, sentence)))
        word_clause = clause
    return tokens
