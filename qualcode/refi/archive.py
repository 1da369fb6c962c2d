"""Opening a `.qdpx` zip safely: nothing is unpacked to disk, and every entry is checked.

On top of `open_checked_zip` (a zip at all, holds project.qde, no zip bomb), a project is
refused when any entry's name is absolute, has a drive letter or a `..` part (it would
escape the folder it is unpacked into), names the same entry twice, or is encrypted.
Reads are bounded: an entry that unpacks to more than its limit is refused, whatever its
header claims.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from types import TracebackType

from qualcode.errors import ImportFailed
from qualcode.ingest.source import MAX_FILE_BYTES
from qualcode.ingest.zipcheck import open_checked_zip
from qualcode.refi.common import PROJECT_ENTRY

WHAT = "REFI-QDA project (.qdpx)"
MAX_XML_BYTES = 64 * 1024 * 1024
MAX_SOURCE_BYTES = MAX_FILE_BYTES
_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_entry_name(name: str) -> bool:
    """Whether an entry would land outside the folder a zip is unpacked into."""
    unified = name.replace("\\", "/")
    if "\x00" in name or unified.startswith("/") or _DRIVE.match(unified):
        return True
    return any(part == ".." for part in unified.split("/"))


class ProjectArchive:
    """A checked `.qdpx` zip, read entry by entry."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip = open_checked_zip(path, WHAT, PROJECT_ENTRY)
        try:
            self._entries = self._checked_entries()
        except BaseException:
            self._zip.close()
            raise

    def _checked_entries(self) -> dict[str, zipfile.ZipInfo]:
        entries: dict[str, zipfile.ZipInfo] = {}
        for info in self._zip.infolist():
            name = info.filename
            if unsafe_entry_name(name):
                raise ImportFailed(
                    f"refused: the zip entry {name!r} points outside the project folder "
                    "(an absolute path or '..'); nothing imported",
                    path=str(self.path),
                )
            if name in entries:
                raise ImportFailed(
                    f"refused: the zip holds two entries named {name!r}; nothing imported",
                    path=str(self.path),
                )
            entries[name] = info
        return entries

    def __enter__(self) -> ProjectArchive:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def has(self, name: str) -> bool:
        info = self._entries.get(name)
        return info is not None and not info.is_dir()

    def names(self) -> list[str]:
        return sorted(name for name, info in self._entries.items() if not info.is_dir())

    def read(self, name: str, limit: int) -> bytes:
        """An entry's bytes; ImportFailed (one line) when it is too large or unreadable."""
        info = self._entries[name]
        if info.flag_bits & 0x1:
            raise ImportFailed(f"refused: {name} in the zip is encrypted", path=str(self.path))
        too_large = ImportFailed(
            f"refused: {name} in the zip is larger than {limit // (1024 * 1024)} MB",
            path=str(self.path),
        )
        if info.file_size > limit:
            raise too_large
        try:
            with self._zip.open(info) as member:
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, ValueError, EOFError) as exc:
            raise ImportFailed(
                f"cannot read {name} in the zip: {exc}", path=str(self.path)
            ) from None
        if len(data) > limit:
            raise too_large
        return data
