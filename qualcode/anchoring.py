"""Re-anchoring codings when a transcript's text changes: find each coded passage again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz

_SAME_TURN_SCORE = 80.0

Placement = tuple[int, int, int] | None  # (turn number, start, end) in the new text


def place_codings(
    old_text: str,
    new_text: str,
    codings: Sequence[tuple[int, int, str]],
    new_turns: Sequence[dict[str, Any]],
) -> list[Placement]:
    """Where each old coding (start, end, text of its old turn) belongs in the new text.

    The coded passage itself is looked for first (the occurrence nearest its old place);
    failing that, the new turn most like the old one takes the coding as a whole turn.
    None means the passage is gone: the caller keeps the coding and flags it.
    """
    placements: list[Placement] = []
    for start, end, old_turn_text in codings:
        quote = old_text[start:end].strip()
        placement = _exact(quote, start, new_text, new_turns) if quote else None
        if placement is None:
            placement = _similar_turn(old_turn_text or quote, new_turns)
        placements.append(placement)
    return placements


def _turn_containing(position: int, length: int, turns: Sequence[dict[str, Any]]) -> int | None:
    for turn in turns:
        if turn["start"] <= position and position + length <= turn["end"]:
            return int(turn["number"])
    return None


def _exact(quote: str, old_start: int, new_text: str, turns: Sequence[dict[str, Any]]) -> Placement:
    best: tuple[int, int] | None = None
    position = new_text.find(quote)
    while position != -1:
        number = _turn_containing(position, len(quote), turns)
        if number is not None:
            distance = abs(position - old_start)
            if best is None or distance < best[0]:
                best = (distance, position)
        position = new_text.find(quote, position + 1)
    if best is None:
        return None
    position = best[1]
    number = _turn_containing(position, len(quote), turns)
    assert number is not None
    return (number, position, position + len(quote))


def _similar_turn(text: str, turns: Sequence[dict[str, Any]]) -> Placement:
    wanted = " ".join(text.split())
    if not wanted:
        return None
    scored = [(fuzz.ratio(wanted, " ".join(t["text"].split())), t) for t in turns]
    if not scored:
        return None
    score, turn = max(scored, key=lambda pair: pair[0])
    if score < _SAME_TURN_SCORE:
        return None
    return (int(turn["number"]), int(turn["start"]), int(turn["end"]))
