"""Which turns of a gold file the interviewer speaks, decided as `qualcode import` decides it
(by label, else by who asks the questions), so the bench scripts score the turns the product
would suggest for."""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.domain import Role
from qualcode.ingest.transcript import ParsedTurn, assign_roles


def interviewer_turns(rows: Sequence[dict]) -> list[bool]:
    """Per gold row (with "speaker" and "text"), whether the interviewer speaks it."""
    turns = [ParsedTurn(row["speaker"], 0, 0, row["text"]) for row in rows]
    assign_roles(turns)
    return [turn.role == Role.INTERVIEWER for turn in turns]
