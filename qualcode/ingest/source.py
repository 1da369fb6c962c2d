"""What a format reader hands on: the document's plain text and its paragraphs or turns."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.ingest.transcript import Paragraph, ParsedTurn

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024


@dataclass
class SourceText:
    """A transcript file read into plain text.

    Text formats give paragraphs for the turn parser; subtitle formats give their turns
    directly, since cues already carry speakers and times.
    """

    text: str
    format: str
    encoding: str | None = None
    encoding_guessed: bool = False
    paragraphs: list[Paragraph] | None = None
    turns: list[ParsedTurn] | None = None


def paragraphs_from_lines(lines: list[str]) -> tuple[str, list[Paragraph]]:
    """Join paragraph strings with newlines; an empty string marks a block break."""
    pieces: list[str] = []
    paragraphs: list[Paragraph] = []
    offset = 0
    block = 0
    for line in lines:
        line = line.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
        for part in line.split("\n"):
            stripped = part.strip()
            if not stripped:
                block += 1
            else:
                lead = len(part) - len(part.lstrip())
                paragraphs.append(Paragraph(offset + lead, offset + lead + len(stripped), block))
            pieces.append(part)
            offset += len(part) + 1
    return "\n".join(pieces), paragraphs
