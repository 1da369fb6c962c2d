"""Writing codebook outputs: atomically to a file (keeping its permissions) or to stdout."""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from pathlib import Path

from qualcode.errors import CodebookError


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
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CodebookError("the folder to write into does not exist", path=str(path))
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    temporary = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise CodebookError(f"cannot write: {exc.strerror}", path=str(path)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
