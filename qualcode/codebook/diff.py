"""`codebook diff`: the semantic difference between two codebooks, by id.

Codes are matched by id; a code whose `renamed_from` names a removed id is a rename, and
a removed and an added code that look alike (names, definitions, terms) are reported as a
likely rename. Changed codes are listed field by field (`definition.da changed`,
`terms.sv: +"vågar" -"modig"`). The output is deterministic: the new file's order, then
what was removed in the old file's order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from qualcode.codebook.model import LANGUAGES, Codebook, text_in, to_data

LIKELY_RENAME_SCORE = 80.0
_SECTIONS = ("targets", "themes", "codes")
_SHORT_TEXT = ("name", "title")
_LONG_TEXT = ("definition", "include", "exclude", "description")
_ID_LISTS = ("renamed_from", "codes", "languages")


@dataclass
class Diff:
    """The lines of a diff and how many things of each kind changed."""

    lines: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.lines

    def count(self, section: str, kind: str) -> None:
        bucket = self.counts.setdefault(section, {})
        bucket[kind] = bucket.get(kind, 0) + 1

    def summary(self) -> str:
        if self.empty:
            return "no differences"
        parts = []
        for section in ("codebook", *_SECTIONS):
            kinds = self.counts.get(section)
            if kinds:
                inner = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
                parts.append(f"{section}: {inner}")
        return "; ".join(parts)


def diff_codebooks(old: Codebook, new: Codebook) -> Diff:
    """What changed from `old` to `new`."""
    old_data, new_data = to_data(old), to_data(new)
    diff = Diff()
    head_old = {k: v for k, v in old_data.items() if k not in _SECTIONS}
    head_new = {k: v for k, v in new_data.items() if k not in _SECTIONS}
    for change in field_changes(head_old, head_new):
        diff.lines.append(f"codebook: {change}")
        diff.count("codebook", "changed")
    _section(diff, "targets", "target", old_data.get("targets", []), new_data.get("targets", []))
    _section(diff, "themes", "theme", old_data.get("themes", []), new_data.get("themes", []))
    _codes(diff, old_data.get("codes", []), new_data.get("codes", []))
    return diff


def flatten(item: dict[str, Any]) -> dict[str, Any]:
    """An item's fields with language maps spread out: `definition.da`, `terms.sv`."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key == "id":
            continue
        if isinstance(value, dict):
            for lang, sub in value.items():
                out[f"{key}.{lang}"] = sub
        else:
            out[key] = value
    return out


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """One line per changed field of two items, in canonical field order."""
    before, after = flatten(old), flatten(new)
    keys = list(after) + [key for key in before if key not in after]
    keys.sort(key=lambda k: _field_rank(k, old, new))
    return [
        _describe(key, before.get(key), after.get(key))
        for key in keys
        if before.get(key) != after.get(key)
    ]


def _field_rank(key: str, old: dict[str, Any], new: dict[str, Any]) -> tuple[int, int]:
    base, _, lang = key.partition(".")
    order = list(new) + [k for k in old if k not in new]
    return (
        order.index(base) if base in order else len(order),
        LANGUAGES.index(lang) if lang in LANGUAGES else 0,
    )


def _describe(key: str, old: Any, new: Any) -> str:
    base = key.partition(".")[0]
    if isinstance(old, list) or isinstance(new, list):
        return f"{key}: {_list_change(base, old or [], new or [])}"
    if base in _LONG_TEXT:
        if old is None:
            return f"{key} added"
        return f"{key} removed" if new is None else f"{key} changed"
    if base in _SHORT_TEXT:
        return f"{key}: {_quote(old)} -> {_quote(new)}"
    return f"{key}: {_bare(old)} -> {_bare(new)}"


def _list_change(base: str, old: list[Any], new: list[Any]) -> str:
    show = _bare if base in _ID_LISTS else _quote
    added = [f"+{show(item)}" for item in new if item not in old]
    removed = [f"-{show(item)}" for item in old if item not in new]
    return " ".join(added + removed) or "order changed"


def _quote(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def _bare(value: Any) -> str:
    return "(none)" if value is None else str(value)


def _section(
    diff: Diff, section: str, noun: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> None:
    old_by_id = {item["id"]: item for item in old}
    new_ids = {item["id"] for item in new}
    for item in new:
        before = old_by_id.get(item["id"])
        if before is None:
            diff.lines.append(f"{noun} added: {item['id']} ({_label(item)})")
            diff.count(section, "added")
            continue
        changes = field_changes(before, item)
        for change in changes:
            diff.lines.append(f"{noun} {item['id']}: {change}")
        if changes:
            diff.count(section, "changed")
    for item in old:
        if item["id"] not in new_ids:
            diff.lines.append(f"{noun} removed: {item['id']} ({_label(item)})")
            diff.count(section, "removed")
    _order(diff, section, [i["id"] for i in old], [i["id"] for i in new], {})


def _codes(diff: Diff, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
    old_by_id = {code["id"]: code for code in old}
    new_by_id = {code["id"]: code for code in new}
    removed = [code["id"] for code in old if code["id"] not in new_by_id]
    added = [code["id"] for code in new if code["id"] not in old_by_id]
    renames: dict[str, tuple[str, str]] = {}  # new id -> (old id, reason)
    for new_id in added:
        for old_id in new_by_id[new_id].get("renamed_from", []):
            if old_id in removed and old_id not in {o for o, _ in renames.values()}:
                renames[new_id] = (old_id, "")
                break
    taken_old = {o for o, _ in renames.values()}
    candidates = [
        (score, old_index, new_index, old_id, new_id, reason)
        for old_index, old_id in enumerate(removed)
        if old_id not in taken_old
        for new_index, new_id in enumerate(added)
        if new_id not in renames
        for score, reason in [similarity(old_by_id[old_id], new_by_id[new_id])]
        if score >= LIKELY_RENAME_SCORE
    ]
    for score, _, _, old_id, new_id, reason in sorted(
        candidates, key=lambda c: (-c[0], c[1], c[2])
    ):
        if old_id in taken_old or new_id in renames:
            continue
        renames[new_id] = (old_id, f"{reason} {score:.0f}% alike")
        taken_old.add(old_id)
    for code in new:
        code_id = code["id"]
        if code_id in renames:
            old_id, reason = renames[code_id]
            kind = "likely renamed" if reason else "renamed"
            note = f" ({reason})" if reason else ""
            diff.lines.append(f"code {kind}: {old_id} -> {code_id}{note}")
            diff.count("codes", kind)
            before = {k: v for k, v in old_by_id[old_id].items() if k != "renamed_from"}
            after = {k: v for k, v in code.items() if k != "renamed_from"}
            for change in field_changes(before, after):
                diff.lines.append(f"code {code_id}: {change}")
        elif code_id not in old_by_id:
            diff.lines.append(f"code added: {code_id} ({_code_label(code)})")
            diff.count("codes", "added")
        else:
            changes = field_changes(old_by_id[code_id], code)
            for change in changes:
                diff.lines.append(f"code {code_id}: {change}")
            if changes:
                diff.count("codes", "changed")
    for old_id in removed:
        if old_id not in taken_old:
            diff.lines.append(f"code removed: {old_id} ({_code_label(old_by_id[old_id])})")
            diff.count("codes", "removed")
    same = {old_id: new_id for new_id, (old_id, _) in renames.items()}
    _order(diff, "codes", [c["id"] for c in old], [c["id"] for c in new], same)


def _order(
    diff: Diff, section: str, old_ids: list[str], new_ids: list[str], renamed: dict[str, str]
) -> None:
    """One line when the items both files hold are in a different order."""
    mapped = [renamed.get(item, item) for item in old_ids]
    kept = set(mapped) & set(new_ids)
    if [i for i in mapped if i in kept] != [i for i in new_ids if i in kept]:
        diff.lines.append(f"{section}: order changed")
        diff.count(section, "reordered")


def similarity(old: dict[str, Any], new: dict[str, Any]) -> tuple[float, str]:
    """How alike two codes are (0-100) and by what: names, definitions, terms or ids."""
    scores: list[tuple[float, str]] = []
    old_name, new_name = text_in(old.get("name", {})), text_in(new.get("name", {}))
    if old_name and new_name:
        scores.append((fuzz.token_sort_ratio(old_name.lower(), new_name.lower()), "names"))
    old_def, new_def = text_in(old.get("definition", {})), text_in(new.get("definition", {}))
    if old_def and new_def:
        scores.append((fuzz.token_sort_ratio(old_def.lower(), new_def.lower()), "definitions"))
    old_terms, new_terms = _terms(old), _terms(new)
    if old_terms and new_terms:
        overlap = len(old_terms & new_terms) / len(old_terms | new_terms)
        scores.append((100.0 * overlap, "terms"))
    scores.append((fuzz.ratio(old["id"], new["id"]) * 0.95, "ids"))
    return max(scores, key=lambda s: s[0])


def _terms(code: dict[str, Any]) -> set[tuple[str, str]]:
    return {(lang, term.lower()) for lang, terms in code.get("terms", {}).items() for term in terms}


def _label(item: dict[str, Any]) -> str:
    return json.dumps(text_in(item.get("name", {})) or "", ensure_ascii=False)


def _code_label(code: dict[str, Any]) -> str:
    place = f"target {code['target']}" if "target" in code else f"parent {code.get('parent')}"
    return f"{_label(code)}, {place}, {code['polarity']}"
