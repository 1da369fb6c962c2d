"""Word wrapping fast enough to lay out thousands of turns when a document opens."""

from __future__ import annotations

from rich.cells import cell_len


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap of `text` to `width` cells; paragraphs (newlines) are kept.

    Runs of spaces collapse to one; a word longer than the width is cut into pieces.
    Always returns at least one line.
    """
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            if lines and lines[-1] != "":
                lines.append("")
            continue
        current: list[str] = []
        used = 0
        for word in words:
            size = len(word) if word.isascii() else cell_len(word)
            if size > width:
                if current:
                    lines.append(" ".join(current))
                    current, used = [], 0
                pieces = _cut(word, width)
                lines.extend(pieces[:-1])
                word = pieces[-1]
                size = cell_len(word)
            if current and used + 1 + size > width:
                lines.append(" ".join(current))
                current, used = [], 0
            current.append(word)
            used += size if used == 0 else size + 1
        if current:
            lines.append(" ".join(current))
    while lines and lines[-1] == "":
        lines.pop()
    return lines or [""]


def _cut(word: str, width: int) -> list[str]:
    pieces: list[str] = []
    piece = ""
    for char in word:
        if cell_len(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    pieces.append(piece)
    return pieces


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` cells with an ellipsis when it is longer."""
    if cell_len(text) <= width:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) >= width:
            break
        out += char
    return out + "…"
