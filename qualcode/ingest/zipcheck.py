"""Safety checks on zip containers (docx, odt, qdpx) before any XML inside is parsed."""

from __future__ import annotations

import zipfile
from pathlib import Path

from qualcode.errors import ImportFailed
from qualcode.ingest.source import MAX_FILE_BYTES, MAX_UNPACKED_BYTES

_MAX_RATIO = 200


def open_checked_zip(path: Path, what: str, required: str) -> zipfile.ZipFile:
    """Open a zip after checking it is one, holds `required`, and is no zip bomb."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFailed(f"too large for a {what} (over 64 MB)", path=str(path))
    if not zipfile.is_zipfile(path):
        raise ImportFailed(f"not a {what}: the file is not a zip container", path=str(path))
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFailed(f"not a valid {what}: {exc}", path=str(path)) from None
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNPACKED_BYTES or (total > 16 * 1024 * 1024 and total / packed > _MAX_RATIO):
        archive.close()
        raise ImportFailed(
            f"refused: unpacks to {total / 1e6:.0f} MB from {packed / 1e6:.1f} MB (a zip bomb?)",
            path=str(path),
        )
    if required not in archive.namelist():
        archive.close()
        raise ImportFailed(f"not a {what}: the zip has no {required}", path=str(path))
    return archive
