"""Writing command output: to standard output or atomically to a file."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from qualcode.errors import QualcodeError


@contextlib.contextmanager
def atomic_file(
    path: Path,
    *,
    keep_mode: bool = False,
    error: type[QualcodeError] = QualcodeError,
) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces `path` only once it is fully written.

    The file is created readable by its owner only (exports hold interview data); with
    `keep_mode` an existing file keeps its permissions (codebooks under git). A failure
    leaves no partial file and becomes a one-line `error` naming the path.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise error("the folder to write into does not exist", path=str(path))
    mode = None
    if keep_mode:
        with contextlib.suppress(FileNotFoundError):
            mode = path.stat().st_mode & 0o7777
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise error(f"cannot write here: {exc.strerror}", path=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise error(f"cannot write: {exc.strerror or exc}", path=str(path)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def open_output(
    target: str | None, *, bom: bool = False, newline: str | None = None
) -> Iterator[TextIO]:
    """A text stream for `-o FILE` (written atomically, owner-only) or standard output."""
    if target in (None, "-"):
        if bom:
            sys.stdout.write("\ufeff")
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_file(Path(target)) as handle:
        encoding = "utf-8-sig" if bom else "utf-8"
        out = io.TextIOWrapper(handle, encoding=encoding, newline=newline)
        try:
            yield out
            out.flush()
        finally:
            out.detach()


_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def jsonl_line(record: object) -> str:
    """One JSON Lines line: UTF-8 kept readable, but the Unicode line separators that
    many readers split lines on (U+2028, U+2029, NEL) escaped, so a record is one line."""
    line = json.dumps(record, ensure_ascii=False)
    for raw, escaped in _LINE_BREAKS.items():
        line = line.replace(raw, escaped)
    return line + "\n"
