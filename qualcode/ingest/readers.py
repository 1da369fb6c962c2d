"""Which reader handles which file, and collecting transcript files from folders."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from qualcode.errors import ImportFailed
from qualcode.ingest.source import SourceText

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".odt", ".vtt", ".srt")


def reader_for(path: Path) -> Callable[[Path], SourceText]:
    """The function that reads this file's format (by its suffix)."""
    suffix = path.suffix.lower()
    if suffix in {".txt", ".md", ".markdown"}:
        from qualcode.ingest.plaintext import read_plaintext

        return read_plaintext
    if suffix == ".docx":
        from qualcode.ingest.wordfile import read_docx

        return read_docx
    if suffix == ".odt":
        from qualcode.ingest.odtfile import read_odt

        return read_odt
    if suffix in {".vtt", ".srt"}:
        from qualcode.ingest.subtitles import read_subtitles

        return read_subtitles
    if suffix == ".doc":
        raise ImportFailed("old Word .doc files are not supported: save as .docx", path=str(path))
    raise ImportFailed(
        f"unsupported file type {suffix or '(no suffix)'}: use "
        + ", ".join(s.lstrip(".") for s in SUPPORTED_SUFFIXES[:-1] if s != ".markdown")
        + " or srt",
        path=str(path),
    )


def read_source(path: Path) -> SourceText:
    """Read one transcript file; ImportFailed names the file and the problem."""
    reader = reader_for(path)
    try:
        return reader(path)
    except ImportFailed:
        raise
    except (OSError, ValueError, KeyError, UnicodeError) as exc:
        raise ImportFailed(f"cannot be read: {exc}", path=str(path)) from None


# Files a folder of transcripts often holds beside them, never an interview (by stem, upper
# case); named directly on the command line they are still imported.
_NOT_TRANSCRIPTS = frozenset({"README", "LICENSE", "LICENCE", "CHANGELOG", "NOTICE"})


def _beside_transcripts(path: Path) -> bool:
    """A README or the like, which a folder of transcripts holds beside them."""
    return path.stem.upper() in _NOT_TRANSCRIPTS


def skip_reason(path: Path) -> str:
    """Why a file in a folder was not imported."""
    if _beside_transcripts(path):
        return f"a {path.stem}, not a transcript (name the file to import it)"
    return "not a transcript format"


def collect_files(paths: Iterable[Path]) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """Files to import, each with the root it was found under, and files skipped in folders.

    Folders are searched recursively; hidden files, unsupported types and READMEs inside
    folders are skipped (and listed), while a file named directly is always tried.
    """
    files: list[tuple[Path, Path]] = []
    skipped: list[Path] = []
    for path in paths:
        if not path.exists():
            raise ImportFailed("no such file or folder", path=str(path))
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if not found.is_file():
                    continue
                relative = found.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if _beside_transcripts(found):
                    skipped.append(found)  # a folder's README is about the interviews
                elif found.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append((found, path))
                elif not found.name.endswith(".gold.jsonl"):
                    skipped.append(found)
        else:
            files.append((path, path.parent))
    return files, skipped
