"""Code chips: a code on a turn as a short label, coloured by polarity, readable without colour.

A chip carries a status mark (✓ accepted, ? suggested, ✗ rejected) and a polarity sign
(+ positive, − negative, · neutral), so NO_COLOR terminals lose nothing but the colour.
The colours are fixed Rich styles rather than CSS component classes: chips are drawn in
several widgets, and component classes make every style update of a widget slower.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.style import Style

from qualcode.coding import CodeInfo, CodingInfo, TurnInfo
from qualcode.domain import Status
from qualcode.tui.widgets.text_layout import truncate

POLARITY_SIGN = {"positive": "+", "negative": "−", "neutral": "·"}
STATUS_MARK = {"accepted": "✓", "suggested": "?", "rejected": "✗"}
POLARITIES = ("positive", "negative", "neutral")

# Accepted codes are filled chips; open suggestions only coloured text.
_FILL = {"positive": "#2e7d32", "negative": "#c62828", "neutral": "#455a64"}
_TEXT = {"positive": "#43a047", "negative": "#e53935", "neutral": "#78909c"}
CHIP_STYLES: dict[str, Style] = {
    **{
        f"chip--accepted-{p}": Style(color="#ffffff", bgcolor=_FILL[p], bold=True)
        for p in POLARITIES
    },
    **{f"chip--suggested-{p}": Style(color=_TEXT[p], bold=True) for p in POLARITIES},
    "chip--rejected": Style(dim=True, strike=True),
    "chip--other": Style(bold=True, underline=True),
    "note": Style(dim=True, italic=True),
}


def chip_style(name: str) -> Style:
    """The style of a chip (or of a note under one), by its name."""
    return CHIP_STYLES.get(name, Style())


NAME_WIDTH = 26


@dataclass(frozen=True)
class Chip:
    """One chip: its text and the component class that styles it."""

    text: str
    component: str


def polarity_of(code: CodeInfo | None) -> str:
    polarity = code.polarity if code else "neutral"
    return polarity if polarity in POLARITY_SIGN else "neutral"


def code_label(code: CodeInfo | None, code_id: str, language: str) -> str:
    """The code's name in the document's language (its id when it is unknown)."""
    return code.name_in(language) if code else code_id


def chip_for(
    coding: CodingInfo,
    codes: Mapping[str, CodeInfo],
    language: str,
    *,
    coder: str | None = None,
    confidence: bool = True,
    width: int = NAME_WIDTH,
) -> Chip:
    """The chip of one coding; `coder` set means it is another coder's."""
    code = codes.get(coding.code)
    polarity = polarity_of(code)
    name = truncate(code_label(code, coding.code, language), width)
    mark = STATUS_MARK.get(coding.status, "?")
    sign = POLARITY_SIGN[polarity]
    text = f"{mark}{sign} {name}"
    if coding.status == Status.SUGGESTED.value and confidence and coding.confidence is not None:
        text += f" {coding.confidence:.2f}"
    if coder:
        return Chip(f" {coder}: {text} ", "chip--other")
    if coding.status == Status.REJECTED.value:
        return Chip(f" {text} ", "chip--rejected")
    kind = "accepted" if coding.status == Status.ACCEPTED.value else "suggested"
    return Chip(f" {text} ", f"chip--{kind}-{polarity}")


def turn_chips(
    turn: TurnInfo, codes: Mapping[str, CodeInfo], language: str, coder: str, show_all: bool
) -> list[Chip]:
    """The chips shown under a turn: accepted, then open suggestions, then other coders'."""
    mine = [c for c in turn.codings if c.coder == coder]
    accepted = [c for c in mine if c.status == Status.ACCEPTED.value]
    suggested = sorted(
        (c for c in mine if c.status == Status.SUGGESTED.value),
        key=lambda c: (-(c.confidence or 0.0), c.code),
    )
    chips = [chip_for(c, codes, language) for c in sorted(accepted, key=lambda c: c.code)]
    chips += [chip_for(c, codes, language) for c in suggested]
    if show_all:
        others = sorted(
            (c for c in turn.codings if c.coder != coder and c.status == Status.ACCEPTED.value),
            key=lambda c: (c.coder, c.code),
        )
        chips += [chip_for(c, codes, language, coder=c.coder) for c in others]
    return chips
