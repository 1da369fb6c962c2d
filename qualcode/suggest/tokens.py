"""Fast word tokens with offsets, and the clause each token belongs to.

Suggestion matching runs over millions of words, so it tokenises with one regular
expression (words, with inner hyphens and apostrophes) instead of a spaCy pass; spaCy's
sentences are still what the project stores as segments.

Only matching needs to know a word's clause, its sentence or where it is in the text, and
not for every text: those are worked out the first time they are asked for.
"""

from __future__ import annotations

import re
from itertools import accumulate

_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|[.!?;:,–—()\[\]\"«»“”]")
_SPLIT = re.compile(f"({_TOKEN.pattern})")
# The same tokens for a text without underscores: \w is quicker to match than [^\W_].
_SPLIT_LOWER = re.compile(r"(\w+(?:[-'’]\w+)*|[.!?;:,–—()\[\]\"«»“”])")
_CLAUSE_BREAK = frozenset('.!?;:,–—()[]"«»“”')
_SENTENCE_BREAK = frozenset(".!?")
# Conjunctions that open a new clause: negation and conditions do not reach past them.
_CLAUSE_WORDS = frozenset({"men", "mens", "medan", "fordi", "eftersom", "og", "och", "så"})
# A transcriber's note in brackets: "(ler)", "[uklart]", "(skrattar)", "[pause]". Its words
# are not the speaker's, so they match no term; the brackets still end a clause.
_NOTE = re.compile(r"(?<=[(\[])[^()\[\]]{1,40}(?=[)\]])")
_NOTE_WORDS = 3
# Joins a text's tokens so that they are lower-cased in one call; no token contains it.
_JOIN = "\x00"


class Tokens:
    """The words of a text: the lower-cased form of each, and, worked out when first asked
    for, the clause and sentence of each and where each is in the text."""

    __slots__ = ("_ends", "_numbers", "_parts", "_tokens", "lower")

    def __init__(self, parts: list[str], tokens: list[str], lower: list[str]) -> None:
        self.lower = lower
        self._parts = parts  # the split text, as long as the text: [gap, token, ..., gap]
        self._tokens = tokens  # every token lower-cased, punctuation included
        # Per word: clause, sentence, and place among the tokens (see _number).
        self._numbers: tuple[list[int], list[int], list[int]] | None = None
        self._ends: list[int] | None = None  # where each part of the split text ends

    def __len__(self) -> int:
        return len(self.lower)

    @property
    def clause(self) -> list[int]:
        return self._number()[0]

    @property
    def sentence(self) -> list[int]:
        return self._number()[1]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets in the text from the start of word `first` to the end of word `last`."""
        pieces = self._number()[2]
        if self._ends is None:
            self._ends = list(accumulate(map(len, self._parts)))
        return self._ends[2 * pieces[first]], self._ends[2 * pieces[last] + 1]

    def _number(self) -> tuple[list[int], list[int], list[int]]:
        """Clause, sentence and token position of every word, worked out once; punctuation
        only moves the clause and sentence counters, and so does a conjunction right after a
        word."""
        if self._numbers is not None:
            return self._numbers
        clauses: list[int] = []
        sentences: list[int] = []
        pieces: list[int] = []
        clause = sentence = 0
        word_clause = -1  # the clause of the word before
        for index, token in enumerate(self._tokens):
            if token in _CLAUSE_BREAK:  # punctuation: single characters, never a word
                clause += 1
                if token in _SENTENCE_BREAK:
                    sentence += 1
                continue
            if token in _CLAUSE_WORDS and word_clause == clause:
                clause += 1
            clauses.append(clause)
            sentences.append(sentence)
            pieces.append(index)
            word_clause = clause
        self._numbers = (clauses, sentences, pieces)
        return self._numbers


def _blank_note(note: re.Match[str]) -> str:
    """Spaces for a short note (so offsets stay those of the text); a longer aside stays."""
    words = note.group()
    return " " * len(words) if len(words.split()) <= _NOTE_WORDS else words


def tokenize(text: str) -> Tokens:
    """Words of a text, lower-cased."""
    # Splitting on the tokens keeps what lies between them, so running sums of the parts'
    # lengths give every offset without a match object each.
    if "(" in text or "[" in text:
        text = _NOTE.sub(_blank_note, text)
    lowered = text.lower()
    if len(lowered) == len(text) and "_" not in text and "Σ" not in text:
        # Lower-casing never shortens a character, so equal lengths mean every character
        # became one: the lowered text splits into the same tokens at the same offsets (no
        # character changes between word and non-word by case), and \w is [^\W_] here. The
        # one mapping that looks at its neighbours, Greek final sigma, could read a token's
        # end differently in the whole text ("ΣΟΦΟΣ:Jeg"), so Σ takes the other way.
        parts = _SPLIT_LOWER.split(lowered)
        tokens = parts[1::2]
        return Tokens(parts, tokens, [t for t in tokens if t not in _CLAUSE_BREAK])
    parts = _SPLIT.split(text)
    tokens = parts[1::2]
    if not tokens:
        return Tokens(parts, [], [])
    # str.lower of the joined tokens is the tokens lowered one by one (the separator is
    # neither a letter nor ignored by case rules), in one call instead of thousands.
    lowered_tokens = _JOIN.join(tokens).lower().split(_JOIN)
    return Tokens(parts, lowered_tokens, [t for t in lowered_tokens if t not in _CLAUSE_BREAK])
