"""What export and import share: names inside the zip, stable GUIDs, dates, text positions.

Every GUID qualcode writes is a uuid5 of the namespace `qdc.py` uses and a key made of
names (document name, coder, code id, offsets), never of database ids, so two exports of
the same project, or of a project rebuilt from an export, carry the same GUIDs.
"""

from __future__ import annotations

import bisect
import re
import uuid
from collections.abc import Callable
from datetime import datetime, timezone

from qualcode.codebook.qdc import GUID_NAMESPACE

PROJECT_ENTRY = "project.qde"
SOURCES_FOLDER = "sources/"
SIDECAR_ENTRY = "qualcode.json"
"""qualcode's own notes in the zip (code ids, polarity, languages); other tools ignore it."""
SIDECAR_FORMAT = "qualcode-qdpx"
SIDECAR_VERSION = 1
_SHOWN = 5


def guid_for(kind: str, *parts: object) -> str:
    """A stable GUID for a user, source, selection, coding, note, case or variable."""
    key = ":".join([kind, *(str(part) for part in parts)])
    return str(uuid.uuid5(GUID_NAMESPACE, key))


def normalise_guid(value: str | None) -> str:
    """GUIDs compare without braces and case: `{ABC-...}` and `abc-...` are the same."""
    return (value or "").strip().strip("{}").lower()


def format_datetime(value: datetime) -> str:
    """xsd:dateTime in UTC to the second; a naive value (SQLite gives those) is UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: str | None) -> datetime | None:
    """An xsd:dateTime as an aware UTC datetime, or None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if "." in text:  # Python 3.10 reads at most 6 fraction digits
        head, _, tail = text.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())
        text = head + "." + (digits[:6] or "0") + tail[len(digits) :]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def normalise_newlines_mapped(raw: str) -> tuple[str, Callable[[int], int]]:
    """The text with CRLF and CR as LF, and a map from positions in `raw` to the new text.

    REFI-QDA positions count the characters of the plain text as written, so a CRLF counts
    two; qualcode keeps LF only. A position between CR and LF maps onto the LF.
    """
    if "\r" not in raw:
        return raw, lambda position: position
    dropped = [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"]
    text = raw.replace("\r\n", "\n").replace("\r", "\n")

    def mapped(position: int) -> int:
        return position - bisect.bisect_left(dropped, position)

    return text, mapped


def shorten(items: list[str], shown: int = _SHOWN) -> str:
    """A list for a report line: the first few, then how many more."""
    text = ", ".join(items[:shown])
    return text + (f", … {len(items) - shown} more" if len(items) > shown else "")


def plural(number: int, singular: str, plural_form: str | None = None) -> str:
    """`1 coding`, `2 codings`."""
    return f"{number} {singular if number == 1 else (plural_form or singular + 's')}"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: the control characters it cannot are dropped."""
    return _NOT_XML.sub("", text)
