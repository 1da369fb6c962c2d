"""Which turns of a gold file the interviewer speaks, decided as `qualcode import` decides it
(by label, else by who asks the questions), so the bench scripts score the turns the product
would suggest for."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from qualcode.domain import Role
from qualcode.ingest.transcript import ParsedTurn, assign_roles


def interviewer_turns(rows: Sequence[dict]) -> list[bool]:
    """Per gold row (with "speaker" and "text"), whether the interviewer speaks it."""
    turns = [ParsedTurn(row["speaker"], 0, 0, row["text"]) for row in rows]
    assign_roles(turns)
    return [turn.role == Role.INTERVIEWER for turn in turns]


def read_gold(path: Path) -> list[dict]:
    """The rows of a gold file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def answers(rows: Sequence[dict]) -> Iterator[tuple[dict, str | None]]:
    """Each participant's row, with the interviewer's turn right before it (or None)."""
    question = None
    for row, asked in zip(rows, interviewer_turns(rows), strict=True):
        if asked:
            question = row["text"]
            continue
        yield row, question
        question = None
