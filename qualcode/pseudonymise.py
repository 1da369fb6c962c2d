"""Pseudonymisation: speaker names and listed names become stable placeholders.

The same name gets the same placeholder in every document (`Mette` -> `P01`, a listed
name such as `Hanne` -> `[NAME-01]`). The key (name -> placeholder) is written to a file
the researcher keeps apart from the project, and is read back on later runs so placeholders
stay stable. Every offset (turns, sentences, codings) is moved with the text, so no coding
is lost or displaced.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlmodel import Session

from qualcode.errors import QualcodeError
from qualcode.ingest.labels import is_interviewer_label, normalise_label
from qualcode.storage.tables import CodingRow, DocumentRow, SegmentRow, TurnRow, utcnow

# Labels that name a role, not a person: they stay.
_ROLE_WORDS = frozenset(
    "informant deltager deltagare deltaker deltakar deltagere deltakere participant person "
    "pårørende pårørande anhörig anhørig leder ledare medarbejder medarbetare tilsett ansatt "
    "bruger brukare bruker brukar patient pasient speaker talare taler respondent ip".split()
)
_CODE_LIKE = re.compile(r"^[A-ZÆØÅÄÖ]{1,3}\d*$|^\w+\s*\d+$|^\[?speaker_\d+\]?$", re.IGNORECASE)


@dataclass(frozen=True)
class PseudonymReport:
    documents: int
    replacements: int
    new_names: int
    key_file: Path


def is_personal_label(label: str | None) -> bool:
    """Whether a speaker label is a person's name (Mette, Per Hansen), not a role (I, D2)."""
    if not label:
        return False
    key = normalise_label(label)
    if is_interviewer_label(label, whole=True) or key in _ROLE_WORDS:
        return False
    if _CODE_LIKE.match(label.strip()):
        return False
    return label.strip()[:1].isupper()


def load_key(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise QualcodeError(f"not a pseudonym key file: {exc}", path=str(path)) from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise QualcodeError("not a pseudonym key file (expected name: placeholder)", path=str(path))
    return dict(data)


def _placeholder(key: dict[str, str], name: str, speaker: bool) -> str:
    if name in key:
        return key[name]
    prefix = "P" if speaker else "[NAME-"
    taken = [v for v in key.values() if v.startswith(prefix)]
    number = len(taken) + 1
    key[name] = f"P{number:02d}" if speaker else f"[NAME-{number:02d}]"
    return key[name]


def pseudonymise(
    engine: Engine,
    key_file: Path,
    names: Sequence[str] = (),
    documents: Sequence[str] = (),
    project_root: Path | None = None,
) -> PseudonymReport:
    """Replace speaker names and `names` in the chosen documents (all by default)."""
    if project_root is not None and key_file.resolve().is_relative_to(project_root.resolve()):
        raise QualcodeError("keep the key file outside the project folder", path=str(key_file))
    key = load_key(key_file)
    before = len(key)
    total = 0
    with Session(engine) as session, session.begin():
        query = select(DocumentRow).order_by(DocumentRow.name)
        if documents:
            query = query.where(DocumentRow.name.in_(list(documents)))  # type: ignore[attr-defined]
        rows = session.execute(query).scalars().all()
        if documents and len(rows) != len(set(documents)):
            found = {r.name for r in rows}
            raise QualcodeError(f"no document named {sorted(set(documents) - found)[0]!r}")
        speakers = sorted(
            {
                t.speaker
                for t in session.execute(select(TurnRow)).scalars()
                if is_personal_label(t.speaker)
            }
        )
        for speaker in speakers:
            _placeholder(key, speaker, speaker=True)
        for name in names:
            if name.strip():
                _placeholder(key, name.strip(), speaker=False)
        pattern = _pattern(key)
        for document in rows:
            total += _rewrite(session, document, pattern, key)
    _write_key(key_file, key)
    return PseudonymReport(len(rows), total, len(key) - before, key_file)


def _pattern(key: dict[str, str]) -> re.Pattern[str] | None:
    names = sorted(key, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def _rewrite(
    session: Session, document: DocumentRow, pattern: re.Pattern[str] | None, key: dict[str, str]
) -> int:
    if pattern is None:
        return 0
    old = document.text
    pieces: list[str] = []
    old_starts: list[int] = []  # where each replaced span starts in the old text
    shifts: list[int] = []  # cumulative length change after that span
    position = shift = count = 0
    for found in pattern.finditer(old):
        replacement = key[found.group(1)]
        pieces.append(old[position : found.start()])
        pieces.append(replacement)
        shift += len(replacement) - (found.end() - found.start())
        old_starts.append(found.end())
        shifts.append(shift)
        position = found.end()
        count += 1
    if not count:
        return 0
    pieces.append(old[position:])
    new = "".join(pieces)

    def moved(offset: int) -> int:
        index = bisect.bisect_right(old_starts, offset) - 1
        return offset + (shifts[index] if index >= 0 else 0)

    def swap(text: str | None) -> str | None:
        return pattern.sub(lambda m: key[m.group(1)], text) if text else text

    import hashlib

    document.text = new
    document.header = swap(document.header) or ""
    document.metadata_ = {k: swap(str(v)) for k, v in (document.metadata_ or {}).items()}
    document.content_hash = hashlib.sha256(new.encode("utf-8")).hexdigest()
    document.imported_at = utcnow()
    for turn in session.execute(
        select(TurnRow).where(TurnRow.document_id == document.id)
    ).scalars():
        turn.start, turn.end = moved(turn.start), moved(turn.end)
        turn.text = swap(turn.text) or ""
        turn.speaker = swap(turn.speaker)
        for segment in session.execute(
            select(SegmentRow).where(SegmentRow.turn_id == turn.id)
        ).scalars():
            segment.start, segment.end = moved(segment.start), moved(segment.end)
            segment.text = swap(segment.text) or ""
    for coding in session.execute(
        select(CodingRow).where(CodingRow.document_id == document.id)
    ).scalars():
        coding.start, coding.end = moved(coding.start), moved(coding.end)
        coding.quote = swap(coding.quote) or ""
        coding.explanation = swap(coding.explanation) or ""
    return count


def _write_key(path: Path, key: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(dict(sorted(key.items())), out, ensure_ascii=False, indent=2)
        out.write("\n")
    os.replace(temporary, path)
