"""Which project code each Code of an imported `.qdpx` is: matched, restored or new.

In this order, inside the import's transaction:

1. A Code whose GUID is an existing code's GUID (its kept `guid`, else the uuid5 of its id
   that `qdc.code_guid` gives) is that code; nothing about the code changes.
2. A codebook in `qualcode.json` (qualcode's own export) is restored as it was (ids,
   polarity, every language, terms, retired codes) when the project has neither that
   codebook nor any of its code ids or GUIDs: a qualcode -> qdpx -> qualcode round trip
   gives the same code ids even in an empty project.
3. Every other Code comes from `qdc_import.import_codebook` (slug ids, GUIDs kept) into the
   codebook `qdpx-<slug of the project name>`, loaded as `codebook use` loads one
   (`reconcile._use_one`); ids already taken get `_2`, `_3`; a new code under a matched
   code goes directly under its target; a target whose GUID is a project target's takes
   that target's id. Importing the same file again adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session, col

from qualcode.codebook.model import Code, Codebook, Target, code_data, code_name, to_data
from qualcode.codebook.qdc import code_guid, target_guid
from qualcode.codebook.qdc_import import _slug, _unique
from qualcode.codebook.reconcile import _use_one
from qualcode.errors import CodebookError
from qualcode.refi.common import SIDECAR_ENTRY, normalise_guid, plural
from qualcode.storage.tables import CodebookRow, CodeRow


@dataclass
class CodeOutcome:
    """GUID -> code id for every code codings may name, and what was done."""

    guids: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    added: int = 0
    matched: int = 0


def codebook_id_for(project_name: str, path: Path) -> str:
    """`qdpx-` and a slug of the project's name (else the file's name)."""
    slug = _slug(project_name, "") or _slug(path.stem, "project")
    return "qdpx-" + slug.replace("_", "-").strip("-")


def bring_in_codes(
    session: Session,
    path: Path,
    imported: Codebook | None,
    sidecar_books: Iterable[Any],
) -> CodeOutcome:
    """Match, restore or add the file's codes; see the module docstring."""
    outcome = CodeOutcome()
    rows = session.execute(select(col(CodeRow.id), col(CodeRow.data))).all()
    taken = {code_id for code_id, _ in rows}
    for code_id, data in rows:
        guid = normalise_guid(_guid_of(code_id, data))
        outcome.guids.setdefault(guid, code_id)
    existing = dict(outcome.guids)
    targets = _project_targets(session)
    for entry in sidecar_books:
        restored = _restorable(session, entry, taken, existing)
        if restored is None:
            continue
        book, retired = restored
        line = _use_one(session, path, book)
        for code, position in retired:
            session.add(
                CodeRow(
                    id=code.id,
                    codebook_id=book.codebook,
                    position=position,
                    parent=code.parent,
                    target=code.target,
                    polarity=code.polarity,
                    name=code_name(code, "en"),
                    colour=code.colour,
                    retired=True,
                    data=code_data(code),
                )
            )
        session.flush()
        for code in [*book.codes, *(code for code, _ in retired)]:
            outcome.guids[normalise_guid(code_guid(code))] = code.id
            taken.add(code.id)
        for target in book.targets:
            targets.setdefault(normalise_guid(target_guid(book, target)), target.id)
        outcome.added += len(book.codes) + len(retired)
        outcome.lines.append(f"{line} (code ids and polarity as in {SIDECAR_ENTRY})")
    if imported is None:
        return outcome
    matched = [c for c in imported.codes if c.guid and normalise_guid(c.guid) in outcome.guids]
    outcome.matched = sum(1 for c in matched if normalise_guid(c.guid) in existing)
    if outcome.matched:
        outcome.lines.append(
            f"matched {plural(outcome.matched, 'code')} to the project's codes by GUID"
        )
    own = set(
        session.execute(
            select(col(CodeRow.id)).where(col(CodeRow.codebook_id) == imported.codebook)
        ).scalars()
    )
    new_book = _new_codes(imported, outcome.guids, taken, targets, own)
    if new_book is None:
        return outcome
    book = _merged(session, new_book)
    outcome.lines.append(_use_one(session, path, book))
    session.flush()
    for code in new_book.codes:
        if code.guid:
            outcome.guids.setdefault(normalise_guid(code.guid), code.id)
    outcome.added += len(new_book.codes)
    return outcome


def _guid_of(code_id: str, data: dict[str, Any] | None) -> str:
    guid = (data or {}).get("guid")
    return code_guid(Code.model_construct(id=code_id, guid=guid if isinstance(guid, str) else None))


def _project_targets(session: Session) -> dict[str, str]:
    """GUID -> target id for the targets of the project's codebooks."""
    found: dict[str, str] = {}
    for row in session.execute(select(CodebookRow)).scalars():
        book = Codebook.model_construct(codebook=row.id)
        for item in (row.data or {}).get("targets") or []:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            guid = item.get("guid") if isinstance(item.get("guid"), str) else None
            target = Target.model_construct(id=item["id"], guid=guid)
            found.setdefault(normalise_guid(target_guid(book, target)), item["id"])
    return found


def _restorable(
    session: Session, entry: Any, taken: set[str], existing: dict[str, str]
) -> tuple[Codebook, list[tuple[Code, int]]] | None:
    """A codebook from qualcode.json, when it can come back exactly as it was."""
    try:
        book = Codebook.model_validate(entry["codebook"])
        retired = [
            (Code.model_validate({**item["data"], "id": item["id"]}), int(item["position"]))
            for item in entry.get("retired") or []
        ]
    except (ValidationError, KeyError, TypeError, ValueError, AttributeError):
        return None
    if session.get(CodebookRow, book.codebook) is not None:
        return None
    codes = [*book.codes, *(code for code, _ in retired)]
    ids = [code.id for code in codes]
    if len(set(ids)) != len(ids) or any(code_id in taken for code_id in ids):
        return None
    if any(normalise_guid(code_guid(code)) in existing for code in codes):
        return None
    return book, retired


def _new_codes(
    imported: Codebook,
    known: dict[str, str],
    taken: set[str],
    targets: dict[str, str],
    own: set[str],
) -> Codebook | None:
    """The imported codebook cut down to the codes the project does not have yet.

    A code without a usable GUID is known when an earlier import of this project made it.
    """
    by_id = {code.id: code for code in imported.codes}
    kept = [
        c
        for c in imported.codes
        if not (normalise_guid(c.guid) in known if c.guid else c.id in own)
    ]
    if not kept:
        return None
    renamed: dict[str, str] = {}
    for code in kept:
        renamed[code.id] = _unique(code.id, taken)
    codes = []
    for code in kept:
        update: dict[str, Any] = {"id": renamed[code.id]}
        if code.parent is not None:
            parent = by_id.get(code.parent)
            if code.parent in renamed:
                update["parent"] = renamed[code.parent]
            elif parent is not None and _project_id(parent, known, own) in own:
                update["parent"] = _project_id(parent, known, own)
            else:  # its parent is a code of another codebook: place it under the target
                update["parent"] = None
                update["target"] = _root_target(code, by_id)
        codes.append(code.model_copy(update=update))
    wanted = {code.target for code in codes if code.target is not None}
    new_targets = []
    target_ids = {target.id for target in imported.targets}
    for target in imported.targets:
        if target.id not in wanted:
            continue
        same = targets.get(normalise_guid(target.guid)) if target.guid else None
        if same is not None and same != target.id and same not in target_ids:
            codes = [
                c.model_copy(update={"target": same}) if c.target == target.id else c for c in codes
            ]
            target = target.model_copy(update={"id": same})
        new_targets.append(target)
    themes = []
    for theme in imported.themes:
        members = [renamed[member] for member in theme.codes if member in renamed]
        if members:
            themes.append(theme.model_copy(update={"codes": members}))
    return imported.model_copy(update={"codes": codes, "targets": new_targets, "themes": themes})


def _project_id(code: Code, known: dict[str, str], own: set[str]) -> str | None:
    if code.guid:
        return known.get(normalise_guid(code.guid))
    return code.id if code.id in own else None


def _root_target(code: Code, by_id: dict[str, Code]) -> str | None:
    seen: set[str] = set()
    current: Code | None = code
    while current is not None and current.id not in seen:
        seen.add(current.id)
        if current.parent is None:
            return current.target
        current = by_id.get(current.parent)
    return None


def _merged(session: Session, new: Codebook) -> Codebook:
    """The new codes added to the codebook of an earlier import of this project, if any."""
    row = session.get(CodebookRow, new.codebook)
    book = new
    if row is not None:
        try:
            old = Codebook.model_validate(row.data)
        except ValidationError:
            raise CodebookError(
                f"codebook {new.codebook} in the project does not validate; nothing imported"
            ) from None
        old_targets = {target.id for target in old.targets}
        old_themes = {theme.id for theme in old.themes}
        book = old.model_copy(
            update={
                "targets": [*old.targets, *(t for t in new.targets if t.id not in old_targets)],
                "themes": [
                    *old.themes,
                    *(t.model_copy(update={"id": _unique(t.id, old_themes)}) for t in new.themes),
                ],
                "codes": [*old.codes, *new.codes],
            }
        )
    try:
        return Codebook.model_validate(to_data(book))
    except ValidationError as exc:
        raise CodebookError(
            f"the imported codebook is not valid ({exc.error_count()} problems); nothing imported"
        ) from None
