"""Writing codebook outputs: atomically to a file (keeping its permissions) or to stdout."""

from __future__ import annotations

import sys
from pathlib import Path

from qualcode.errors import CodebookError
from qualcode.output import atomic_file


def write_output(target: str | None, data: bytes) -> None:
    """Write `data` to `target` (`-` or None: standard output) without a partial file."""
    if target in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_atomic(Path(target), data)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` by a fully written temporary file; an existing file keeps its mode."""
    with atomic_file(path, keep_mode=True, error=CodebookError) as out:
        out.write(data)
