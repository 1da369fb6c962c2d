"""`codebook merge`: a three-way merge of codebooks by id and field, usable as a git driver.

Each target, theme and code is matched by id, then merged field by field (each language of
a text is its own field). List fields (terms, examples, aliases, a theme's codes, ...) merge
as sets: additions from both sides are kept, deletions from either side applied. A conflict
is one field changed differently on both sides, or an item deleted on one side and changed
on the other; the result then holds OURS's value, so the file stays a valid codebook, and
the conflict is reported. Order: ours', with theirs' additions after their predecessor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qualcode.codebook.model import Codebook, to_data

_SECTIONS = ("targets", "themes", "codes")
_NOUNS = {"targets": "target ", "themes": "theme ", "codes": ""}
_PLACEMENT = "placement"  # a code's target or parent: one field, so never both are set


@dataclass(frozen=True)
class Conflict:
    """One field (or item) that both sides changed differently."""

    where: str
    ours: str
    theirs: str

    def render(self) -> str:
        return f"conflict: {self.where}: ours {self.ours} / theirs {self.theirs}"


@dataclass
class MergeResult:
    """The merged codebook (always valid) and what could not be merged."""

    codebook: Codebook
    conflicts: list[Conflict] = field(default_factory=list)


def merge_codebooks(base: Codebook | None, ours: Codebook, theirs: Codebook) -> MergeResult:
    """Merge THEIRS into OURS against BASE (None when the two files have no ancestor)."""
    base_data = to_data(base) if base is not None else {}
    ours_data, theirs_data = to_data(ours), to_data(theirs)
    conflicts: list[Conflict] = []
    head = _merge_fields(
        _head(base_data), _head(ours_data), _head(theirs_data), "codebook ", conflicts
    )
    merged: dict[str, Any] = dict(head)
    for section in _SECTIONS:
        merged[section] = _merge_items(
            base_data.get(section, []),
            ours_data.get(section, []),
            theirs_data.get(section, []),
            _NOUNS[section],
            conflicts,
        )
    try:
        codebook = Codebook.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "codebook"
        conflicts.append(Conflict(where, "(kept)", f"(cannot be combined: {first['msg']})"))
        return MergeResult(ours, conflicts)
    return MergeResult(codebook, conflicts)


@dataclass
class MergedFile:
    """The text to write, the conflict lines to report, and how many comments were lost."""

    text: str
    report: list[str]
    dropped_comments: int


def merge_files(base: Path, ours: Path, theirs: Path, name: str) -> MergedFile:
    """Merge three codebook files (an empty BASE means no common ancestor).

    The text is canonical, with OURS' top comments, and checked to load back; `report`
    holds a line per conflict, and per lint error the merge made that neither side had.
    Raises CodebookError, before anything is written, when an input is not a codebook.
    """
    from qualcode.codebook.fmt import check_lossless, format_codebook
    from qualcode.codebook.lint import ERROR, lint_text
    from qualcode.codebook.load import load_text, read_text

    base_text = read_text(base)
    base_book = load_text(base_text, str(base)).codebook if base_text.strip() else None
    ours_text, theirs_text = read_text(ours), read_text(theirs)
    ours_loaded = load_text(ours_text, str(ours))
    theirs_loaded = load_text(theirs_text, str(theirs))
    result = merge_codebooks(base_book, ours_loaded.codebook, theirs_loaded.codebook)
    text = format_codebook(result.codebook, ours_loaded.parsed.header)
    check_lossless(result.codebook, text, name)
    known = {
        problem.message
        for side, side_name in ((ours_text, str(ours)), (theirs_text, str(theirs)))
        for problem in lint_text(side, side_name)[0]
    }
    report = [conflict.render() for conflict in result.conflicts]
    report += [
        f"conflict: the merge makes an error: {problem.render()}"
        for problem in lint_text(text, name)[0]
        if problem.severity == ERROR and problem.message not in known
    ]
    return MergedFile(text, report, len(ours_loaded.parsed.inner_comments))


def _head(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in _SECTIONS}


def _merge_items(
    base: list[dict[str, Any]],
    ours: list[dict[str, Any]],
    theirs: list[dict[str, Any]],
    noun: str,
    conflicts: list[Conflict],
) -> list[dict[str, Any]]:
    by_base = {item["id"]: item for item in base}
    by_ours = {item["id"]: item for item in ours}
    by_theirs = {item["id"]: item for item in theirs}
    result: dict[str, dict[str, Any]] = {}
    for item_id in {**by_base, **by_ours, **by_theirs}:
        b, o, t = by_base.get(item_id), by_ours.get(item_id), by_theirs.get(item_id)
        merged = _merge_item(item_id, b, o, t, noun, conflicts)
        if merged is not None:
            result[item_id] = merged
    order = [i for i in merge_order(list(by_base), list(by_ours), list(by_theirs)) if i in result]
    for item_id in by_ours:  # kept by a conflict: changed in ours, deleted in theirs
        if item_id in result and item_id not in order:
            _insert_after_predecessor(order, item_id, list(by_ours))
    return [result[i] for i in order]


def _merge_item(
    item_id: str,
    b: dict[str, Any] | None,
    o: dict[str, Any] | None,
    t: dict[str, Any] | None,
    noun: str,
    conflicts: list[Conflict],
) -> dict[str, Any] | None:
    if o == t:
        return o
    if b is None:
        if o is None or t is None:
            return o if t is None else t
        return _merge_fields({}, o, t, f"{noun}{item_id} ", conflicts)
    if o is None:
        if t != b:
            conflicts.append(Conflict(f"{noun}{item_id}", "deleted it", _changed(b, t)))
        return None
    if t is None:
        if o != b:
            conflicts.append(Conflict(f"{noun}{item_id}", _changed(b, o), "deleted it"))
            return o
        return None
    return _merge_fields(b, o, t, f"{noun}{item_id} ", conflicts)


def _changed(before: dict[str, Any], after: dict[str, Any] | None) -> str:
    old, new = _flatten(before), _flatten(after or {})
    keys = [k for k in {**old, **new} if old.get(k) != new.get(k)]
    return "changed " + ", ".join(keys) if keys else "changed it"


def _merge_fields(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    where: str,
    conflicts: list[Conflict],
) -> dict[str, Any]:
    b, o, t = _flatten(base), _flatten(ours), _flatten(theirs)
    merged: dict[str, Any] = {}
    for key in [*o, *(k for k in t if k not in o), *(k for k in b if k not in o and k not in t)]:
        bv, ov, tv = b.get(key), o.get(key), t.get(key)
        if ov == tv:
            value = ov
        elif ov == bv:
            value = tv
        elif tv == bv:
            value = ov
        elif isinstance(ov, list) or isinstance(tv, list):
            value = merge_order(bv or [], ov or [], tv or [])
        else:
            conflicts.append(Conflict(f"{where.rstrip()} {key}".strip(), _show(ov), _show(tv)))
            value = ov
        if value is not None:
            merged[key] = value
    return _unflatten(merged)


def merge_order(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """A set-merge of lists: ours' order without theirs' deletions, with theirs' additions
    (and nothing ours deleted) placed after their predecessor in theirs."""
    result = [x for x in ours if not (x in base and x not in theirs)]
    for item in theirs:
        if item not in result and item not in base:
            _insert_after_predecessor(result, item, theirs)
    return result


def _insert_after_predecessor(result: list[Any], item: Any, reference: list[Any]) -> None:
    """Insert `item` after the nearest item before it in `reference` that `result` holds."""
    position = 0
    for previous in reversed(reference[: reference.index(item)]):
        if previous in result:
            position = result.index(previous) + 1
            break
    result.insert(position, item)


def _flatten(item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key in ("target", "parent"):
            out[_PLACEMENT] = (key, value)
        elif isinstance(value, dict):
            for lang, sub in value.items():
                out[f"{key}.{lang}"] = sub
        else:
            out[key] = value
    return out


def _unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if key == _PLACEMENT:
            out[value[0]] = value[1]
        elif "." in key:
            base, _, lang = key.partition(".")
            out.setdefault(base, {})[lang] = value
        else:
            out[key] = value
    return out


def _show(value: Any, limit: int = 70) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return f"{value[0]} {value[1]}"
    if isinstance(value, list):
        text = "[" + ", ".join(str(v) for v in value) + "]"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 2] + "…" + text[-1]
