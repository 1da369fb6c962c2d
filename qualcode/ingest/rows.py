"""Parsed turns as the rows storage keeps: turns, and the sentences inside each turn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qualcode.ingest.transcript import ParsedTurn


def turn_row(number: int, turn: ParsedTurn) -> dict[str, Any]:
    """The values of one turn row (numbered from 1 in the document)."""
    return {
        "number": number,
        "speaker": turn.speaker,
        "role": turn.role.value,
        "start": turn.start,
        "end": turn.end,
        "text": turn.text,
        "start_time": turn.start_time,
        "end_time": turn.end_time,
    }


def sentence_rows(
    language: str, text: str, turns: Sequence[ParsedTurn]
) -> list[list[dict[str, Any]]]:
    """Sentences of each turn (spaCy's rule-based sentencizer), offsets into the text."""
    from qualcode.nlp import sentence_spans

    spans = (text[t.start : t.end].replace("\n", " ") for t in turns)
    rows = []
    for turn, sentences in zip(turns, sentence_spans(language, spans)):
        rows.append(
            [
                {
                    "number": number,
                    "start": turn.start + start,
                    "end": turn.start + end,
                    "text": " ".join(text[turn.start + start : turn.start + end].split()),
                }
                for number, (start, end) in enumerate(sentences, start=1)
            ]
        )
    return rows
