"""`codebook lint`: every problem in a codebook as `FILE:LINE:COL: severity: message`.

Checks run on the parsed data, not only on a valid model, so that one run reports schema
errors and the problems between codes together. Errors make `lint` exit 1; warnings
(shared terms, short stems, missing terms or examples) do not.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from rapidfuzz import process

from qualcode.codebook.load import Parsed, YamlPath, parse_yaml, read_text, validate
from qualcode.codebook.model import (
    CODEBOOK_ID_PATTERN,
    COLOUR_PATTERN,
    GUID_PATTERN,
    ID_PATTERN,
    LANGUAGES,
    Code,
    Codebook,
    Target,
    Theme,
)
from qualcode.errors import CodebookError

ERROR = "error"
WARNING = "warning"
MIN_STEM_LETTERS = 5
_CHECKED_LANGUAGES = ("da", "sv", "nb")  # transcripts come in these; nn falls back to nb


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, at a 1-based line and column."""

    file: str
    line: int
    col: int
    severity: str
    message: str

    def render(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}"


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def lint_files(paths: Iterable[Path], names: Iterable[str] | None = None) -> list[Problem]:
    """Problems in each file, then between files (a code id defined twice)."""
    paths = list(paths)
    shown = list(names) if names is not None else [str(p) for p in paths]
    problems: list[Problem] = []
    parses: list[Parsed] = []
    for path, name in zip(paths, shown):
        try:
            text = read_text(path, name)
        except CodebookError as exc:
            problems.append(_problem_from_error(name, exc))
            continue
        found, parsed = lint_text(text, name)
        problems.extend(found)
        if parsed is not None:
            parses.append(parsed)
    problems.extend(_between_files(parses))
    return problems


def lint_text(text: str, name: str) -> tuple[list[Problem], Parsed | None]:
    """Problems in one codebook's text, sorted by position; the parse if it was YAML."""
    try:
        parsed = parse_yaml(text, name)
    except CodebookError as exc:
        return [_problem_from_error(name, exc)], None
    return lint_parsed(parsed), parsed


def lint_parsed(parsed: Parsed) -> list[Problem]:
    problems = [
        Problem(parsed.name, *pos, ERROR, f"key `{path[-1]}` appears twice")
        for path, pos in parsed.duplicate_keys
    ]
    try:
        validate(parsed)
    except ValidationError as exc:
        problems.extend(schema_problems(parsed, exc))
    problems.extend(_Checks(parsed).run())
    return sorted(set(problems))


def _problem_from_error(name: str, exc: CodebookError) -> Problem:
    text = str(exc)
    prefix = f"{name}:"
    if text.startswith(prefix):
        line, col, message = [*text[len(prefix) :].split(":", 2), "", ""][:3]
        if line.isdigit() and col.isdigit():
            return Problem(name, int(line), int(col), ERROR, message.strip())
        return Problem(name, 1, 1, ERROR, text[len(prefix) :].strip())
    return Problem(name, 1, 1, ERROR, text)


# -- schema errors ---------------------------------------------------------------------

_PATTERN_HINTS = {
    ID_PATTERN: "is not an id (lowercase letters, digits and _, parts joined by dots)",
    CODEBOOK_ID_PATTERN: "is not a codebook id (lowercase letters, digits, _ . -)",
    COLOUR_PATTERN: "is not a colour: write '#RRGGBB' (quoted)",
    GUID_PATTERN: "is not a GUID (8-4-4-4-12 hexadecimal digits)",
}
_SECTIONS: dict[str, tuple[str, type[BaseModel]]] = {
    "codes": ("code", Code),
    "targets": ("target", Target),
    "themes": ("theme", Theme),
}


def schema_problems(parsed: Parsed, exc: ValidationError) -> list[Problem]:
    """pydantic's errors as problems at the line and column of the offending value."""
    problems = []
    for error in exc.errors(include_url=False):
        loc: YamlPath = tuple(error["loc"])
        on_key = error["type"] == "extra_forbidden"
        if loc and loc[-1] == "[key]":
            loc, on_key = loc[:-1], True
        if error["type"] == "missing":
            position = parsed.position(loc[:-1])
        else:
            position = parsed.position(loc, key=on_key)
        message = _schema_message(parsed.data, loc, error, on_key)
        problems.append(Problem(parsed.name, *position, ERROR, message))
    return sorted(set(problems))


def _schema_message(data: Any, loc: YamlPath, error: Any, on_key: bool) -> str:
    kind = error["type"]
    value = error.get("input")
    where, field = _describe(data, loc)
    prefix = f"{where}: " if where else ""
    if kind == "missing":
        return f"{prefix}missing `{field}`"
    if kind == "extra_forbidden":
        return f"{prefix}unknown key `{field}`{_did_you_mean(loc)}"
    if on_key and kind == "literal_error":
        parent, _, lang = field.rpartition(".")
        label = f"{prefix}{parent}: " if parent else prefix
        return f"{label}unknown language `{lang}` (use {', '.join(LANGUAGES)})"
    label = f"{prefix}{field}: " if field else prefix
    if kind == "literal_error":
        return f"{label}{value!r} is not one of {error['ctx']['expected']}"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(error["ctx"]["pattern"], "has the wrong form")
        return f"{label}{value!r} {hint}"
    if kind in {"string_type", "int_type"}:
        wanted = "text" if kind == "string_type" else "a whole number"
        return f"{label}expected {wanted}, got {_what(value)}"
    if kind == "list_type":
        return f"{label}expected a list, got {_what(value)}"
    if kind in {"dict_type", "model_type"}:
        return f"{label}expected a mapping (key: value lines), got {_what(value)}"
    if kind == "too_short":
        return f"{label}must not be empty"
    if kind == "value_error":
        return f"{label}{error['msg'].removeprefix('Value error, ')}"
    return f"{label}{error['msg']}"


def _describe(data: Any, loc: YamlPath) -> tuple[str, str]:
    """(`code users.x`, `definition.da`) for a location, from the data around it."""
    rest = loc
    where = ""
    if len(loc) >= 2 and loc[0] in _SECTIONS and isinstance(loc[1], int):
        noun = _SECTIONS[str(loc[0])][0]
        item = _get(data, loc[:2])
        item_id = item.get("id") if isinstance(item, dict) else None
        where = f"{noun} {item_id}" if isinstance(item_id, str) else f"{noun} #{loc[1] + 1}"
        rest = loc[2:]
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest).lstrip(".")
    return where, field


def _did_you_mean(loc: YamlPath) -> str:
    if len(loc) >= 3 and loc[0] in _SECTIONS and isinstance(loc[1], int):
        model: type[BaseModel] = _SECTIONS[str(loc[0])][1]
        key = loc[2]
    elif len(loc) == 1:
        model, key = Codebook, loc[0]
    else:
        return ""
    match = process.extractOne(str(key), list(model.model_fields), score_cutoff=70)
    return f" (did you mean `{match[0]}`?)" if match else ""


def _what(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"a yes/no value ({str(value).lower()}): quote it if it is text"
    if isinstance(value, (int, float)):
        return f"a number ({value}): quote it if it is text"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"a date ({value}): quote it"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _get(data: Any, path: YamlPath) -> Any:
    for part in path:
        in_dict = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_dict or in_list):
            return None
        data = data[part]
    return data


# -- problems between codes ------------------------------------------------------------


class _Checks:
    """The consistency checks, on plain data that may be only partly valid."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.data: dict[Any, Any] = parsed.data
        self.problems: list[Problem] = []
        raw_languages = self.data.get("languages")
        self.languages = [
            lang
            for lang in (raw_languages if isinstance(raw_languages, list) else [])
            if isinstance(lang, str) and lang in LANGUAGES
        ]

    def run(self) -> list[Problem]:
        self._languages()
        target_ids = self._ids("targets", "target")
        self._ids("themes", "theme")
        code_ids = self._ids("codes", "code")
        self._placement(target_ids, code_ids)
        self._themes(code_ids)
        self._renames(code_ids)
        self._texts()
        self._terms()
        self._guids()
        return self.problems

    def _add(self, path: YamlPath, severity: str, message: str, *, key: bool = False) -> None:
        position = self.parsed.position(path, key=key)
        self.problems.append(Problem(self.parsed.name, *position, severity, message))

    def _items(self, section: str) -> Iterator[tuple[int, dict[Any, Any]]]:
        items = self.data.get(section)
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    yield index, item

    def _languages(self) -> None:
        raw = self.data.get("languages")
        if not isinstance(raw, list):
            return
        seen: set[Any] = set()
        for index, lang in enumerate(raw):
            if isinstance(lang, str) and lang in seen:
                self._add(("languages", index), ERROR, f"language `{lang}` is listed twice")
            seen.add(lang)

    def _ids(self, section: str, noun: str) -> dict[str, int]:
        first: dict[str, int] = {}
        for index, item in self._items(section):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in first:
                self._add(
                    (section, index, "id"),
                    ERROR,
                    f"duplicate {noun} id `{item_id}` (also {noun} #{first[item_id] + 1})",
                )
            else:
                first[item_id] = index
        return first

    def _placement(self, target_ids: dict[str, int], code_ids: dict[str, int]) -> None:
        parents: dict[str, str] = {}
        for index, code in self._items("codes"):
            code_id, target, parent = code.get("id"), code.get("target"), code.get("parent")
            if isinstance(target, str) and target not in target_ids:
                known = ", ".join(target_ids) or "none defined"
                self._add(
                    ("codes", index, "target"),
                    ERROR,
                    f"code {code_id}: unknown target `{target}` (targets: {known})",
                )
            if isinstance(parent, str):
                if parent == code_id:
                    self._add(
                        ("codes", index, "parent"), ERROR, f"code {code_id} is its own parent"
                    )
                elif parent not in code_ids:
                    self._add(
                        ("codes", index, "parent"),
                        ERROR,
                        f"code {code_id}: unknown parent code `{parent}`",
                    )
                elif isinstance(code_id, str):
                    parents[code_id] = parent
        reported: set[str] = set()
        for start in parents:
            seen = [start]
            current = start
            while current in parents:
                current = parents[current]
                if current in seen:
                    cycle = seen[seen.index(current) :]
                    if not reported & set(cycle):
                        reported.update(cycle)
                        self._add(
                            ("codes", code_ids[current], "parent"),
                            ERROR,
                            f"parent codes form a cycle: {' -> '.join([*cycle, current])}",
                        )
                    break
                seen.append(current)

    def _themes(self, code_ids: dict[str, int]) -> None:
        for index, theme in self._items("themes"):
            members = theme.get("codes")
            if not isinstance(members, list):
                continue
            if not members:
                self._add(("themes", index, "codes"), WARNING, f"theme {theme.get('id')}: no codes")
            seen: set[str] = set()
            for position, member in enumerate(members):
                if not isinstance(member, str):
                    continue
                if member not in code_ids:
                    self._add(
                        ("themes", index, "codes", position),
                        ERROR,
                        f"theme {theme.get('id')}: unknown code `{member}`",
                    )
                elif member in seen:
                    self._add(
                        ("themes", index, "codes", position),
                        WARNING,
                        f"theme {theme.get('id')}: code `{member}` is listed twice",
                    )
                seen.add(member)

    def _renames(self, code_ids: dict[str, int]) -> None:
        claimed: dict[str, Any] = {}
        for index, code in self._items("codes"):
            olds = code.get("renamed_from")
            if not isinstance(olds, list):
                continue
            for position, old in enumerate(olds):
                if not isinstance(old, str):
                    continue
                path = ("codes", index, "renamed_from", position)
                if old in code_ids:
                    self._add(
                        path,
                        ERROR,
                        f"code {code.get('id')}: renamed_from `{old}`, which is still a code "
                        "here (remove the old code, or the renamed_from entry)",
                    )
                elif old in claimed:
                    self._add(
                        path,
                        ERROR,
                        f"code {code.get('id')}: `{old}` is also in renamed_from of {claimed[old]}",
                    )
                else:
                    claimed[old] = code.get("id")

    def _texts(self) -> None:
        self._lang_map(("title",), "title", WARNING)
        self._lang_map(("description",), "description", WARNING, optional=True)
        for section in ("targets", "themes"):
            noun = _SECTIONS[section][0]
            for index, item in self._items(section):
                who = f"{noun} {item.get('id')}"
                self._lang_map((section, index, "name"), f"{who}: name", ERROR)
                self._lang_map(
                    (section, index, "description"), f"{who}: description", WARNING, optional=True
                )
        for index, code in self._items("codes"):
            who = f"code {code.get('id')}"
            self._lang_map(("codes", index, "name"), f"{who}: name", ERROR)
            if code.get("definition") in (None, {}):
                self._add(("codes", index), WARNING, f"{who}: no definition")
            else:
                self._lang_map(("codes", index, "definition"), f"{who}: definition", ERROR)
            for note in ("include", "exclude"):
                self._lang_map(("codes", index, note), f"{who}: {note}", WARNING, optional=True)

    def _lang_map(
        self, path: YamlPath, label: str, severity: str, *, optional: bool = False
    ) -> None:
        texts = _get(self.data, path)
        if texts is None and optional:
            return
        if not isinstance(texts, dict) or (optional and not texts):
            return
        missing = [lang for lang in self.languages if lang not in texts]
        if missing:
            self._add(path, severity, f"{label} has no {', '.join(missing)} (see `languages`)")

    def _terms(self) -> None:
        owners: dict[tuple[str, str], str] = {}
        for index, code in self._items("codes"):
            code_id = code.get("id")
            terms = _mapping(code.get("terms"))
            examples = _mapping(code.get("examples"))
            checked = [lang for lang in self.languages if lang in _CHECKED_LANGUAGES]
            no_terms = [lang for lang in checked if not terms.get(lang)]
            if no_terms:
                self._add(
                    ("codes", index, "terms"),
                    WARNING,
                    f"code {code_id}: no terms in {', '.join(no_terms)}",
                    key=True,
                )
            no_examples = [lang for lang in checked if not examples.get(lang)]
            if no_examples:
                self._add(
                    ("codes", index, "examples"),
                    WARNING,
                    f"code {code_id}: no example sentence in {', '.join(no_examples)}",
                    key=True,
                )
            for lang, items in terms.items():
                if not isinstance(items, list):
                    continue
                mine: set[str] = set()
                for position, term in enumerate(items):
                    if not isinstance(term, str):
                        continue
                    path = ("codes", index, "terms", lang, position)
                    self._stems(path, code_id, term)
                    key = " ".join(term.lower().split())
                    if key in mine:
                        self._add(path, WARNING, f"code {code_id}: term {term!r} is listed twice")
                        continue
                    mine.add(key)
                    other = owners.get((str(lang), key))
                    if other is not None and other != code_id:
                        self._add(
                            path,
                            WARNING,
                            f"code {code_id}: term {term!r} ({lang}) is also a term of {other}",
                        )
                    else:
                        owners[(str(lang), key)] = str(code_id)

    def _stems(self, path: YamlPath, code_id: Any, term: str) -> None:
        for word in term.split():
            if "*" not in word:
                continue
            core = word.strip("*")
            if "*" in core:
                self._add(path, ERROR, f"code {code_id}: term {term!r}: * may only begin or end it")
            elif sum(ch.isalpha() for ch in core) < MIN_STEM_LETTERS:
                self._add(
                    path,
                    WARNING,
                    f"code {code_id}: term {term!r}: stem `{core}` is shorter than "
                    f"{MIN_STEM_LETTERS} letters and will match too much",
                )

    def _guids(self) -> None:
        seen: dict[str, str] = {}
        for section in ("targets", "themes", "codes"):
            noun = _SECTIONS[section][0]
            for index, item in self._items(section):
                guid = item.get("guid")
                if not isinstance(guid, str):
                    continue
                key = guid.strip("{}").lower()
                who = f"{noun} {item.get('id')}"
                if key in seen:
                    self._add(
                        (section, index, "guid"),
                        ERROR,
                        f"{who}: guid is also the guid of {seen[key]}",
                    )
                else:
                    seen[key] = who


def _between_files(parses: list[Parsed]) -> list[Problem]:
    problems: list[Problem] = []
    codebooks: dict[str, str] = {}
    codes: dict[str, str] = {}
    for parsed in parses:
        book = parsed.data.get("codebook")
        if isinstance(book, str):
            if book in codebooks:
                problems.append(
                    Problem(
                        parsed.name,
                        *parsed.position(("codebook",)),
                        ERROR,
                        f"codebook id `{book}` is also the id of {codebooks[book]}",
                    )
                )
            codebooks.setdefault(book, parsed.name)
        items = parsed.data.get("codes")
        mine: set[str] = set()
        for index, code in enumerate(items if isinstance(items, list) else []):
            code_id = code.get("id") if isinstance(code, dict) else None
            if not isinstance(code_id, str) or code_id in mine:
                continue
            mine.add(code_id)
            if code_id in codes:
                problems.append(
                    Problem(
                        parsed.name,
                        *parsed.position(("codes", index, "id")),
                        ERROR,
                        f"code id `{code_id}` is also defined in {codes[code_id]}",
                    )
                )
            else:
                codes[code_id] = parsed.name
    return problems
