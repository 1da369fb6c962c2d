"""Writing command output: to standard output or atomically to a file."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from qualcode.errors import QualcodeError


@contextlib.contextmanager
def open_output(
    target: str | None, *, bom: bool = False, newline: str | None = None
) -> Iterator[TextIO]:
    """A text stream for `-o FILE` (written to a temporary file, then renamed) or stdout."""
    if target in (None, "-"):
        if bom:
            sys.stdout.write("\ufeff")
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(target)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise QualcodeError("the folder to write into does not exist", path=str(path))
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline=newline) as out:
            yield out
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def jsonl_line(record: object) -> str:
    """One JSON Lines line: UTF-8 kept readable, but the Unicode line separators that
    many readers split lines on (U+2028, U+2029, NEL) escaped, so a record is one line."""
    line = json.dumps(record, ensure_ascii=False)
    for raw, escaped in _LINE_BREAKS.items():
        line = line.replace(raw, escaped)
    return line + "\n"
