"""Parsed turns as the rows storage keeps: turns, and the sentences inside each turn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qualcode.ingest.transcript import ParsedTurn
from qualcode.storage.repository import (
    SENTENCE_FIELDS,
    TURN_FIELDS,
    SentenceValues,
    TurnValues,
)


def turn_values(number: int, turn: ParsedTurn) -> TurnValues:
    """One turn's values (numbered from 1 in the document), in TURN_FIELDS order."""
    return (
        number,
        turn.speaker,
        turn.role.value,
        turn.start,
        turn.end,
        turn.text,
        turn.start_time,
        turn.end_time,
    )


def turn_row(number: int, turn: ParsedTurn) -> dict[str, Any]:
    """The values of one turn row (numbered from 1 in the document)."""
    return dict(zip(TURN_FIELDS, turn_values(number, turn)))


def sentence_values(
    language: str, text: str, turns: Sequence[ParsedTurn]
) -> list[list[SentenceValues]]:
    """Sentences of each turn (spaCy's rule-based sentencizer) in SENTENCE_FIELDS order,
    offsets into the text."""
    from qualcode.nlp import sentence_spans

    spans = (text[t.start : t.end].replace("\n", " ") for t in turns)
    rows = []
    for turn, sentences in zip(turns, sentence_spans(language, spans)):
        base = turn.start
        rows.append(
            [
                (number, base + start, base + end, _plain(text[base + start : base + end]))
                for number, (start, end) in enumerate(sentences, start=1)
            ]
        )
    return rows


def sentence_rows(
    language: str, text: str, turns: Sequence[ParsedTurn]
) -> list[list[dict[str, Any]]]:
    """Sentences of each turn (spaCy's rule-based sentencizer), offsets into the text."""
    return [
        [dict(zip(SENTENCE_FIELDS, values)) for values in sentences]
        for sentences in sentence_values(language, text, turns)
    ]


def _plain(passage: str) -> str:
    """A sentence's text on one line, runs of white space made one space."""
    # Most sentences are that already: no white space but single spaces inside (every
    # other white space character is unprintable).
    if passage.isprintable() and "  " not in passage and passage[:1] != " " != passage[-1:]:
        return passage
    return " ".join(passage.split())
