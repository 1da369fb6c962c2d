"""Plain text and Markdown transcripts in any of the encodings researchers' editors write."""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import ImportFailed
from qualcode.ingest.decode import decode_text
from qualcode.ingest.source import MAX_FILE_BYTES, SourceText
from qualcode.ingest.subtitles import looks_like_subtitles, subtitle_source
from qualcode.ingest.transcript import split_paragraphs


def read_plaintext(path: Path) -> SourceText:
    """Decode a .txt or .md file and split it into paragraphs (non-empty lines)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportFailed(
            f"{size / 1e6:.0f} MB is too large for a transcript (limit "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB); split it into interviews",
            path=str(path),
        )
    decoded = decode_text(path.read_bytes(), str(path))
    if looks_like_subtitles(decoded.text):  # subtitles saved as .txt: read as subtitles
        return subtitle_source(decoded, "txt", path)
    markdown = path.suffix.lower() in {".md", ".markdown"}
    return SourceText(
        text=decoded.text,
        format="md" if markdown else "txt",
        encoding=decoded.encoding,
        encoding_guessed=decoded.guessed,
        paragraphs=split_paragraphs(decoded.text, markdown=markdown),
    )
