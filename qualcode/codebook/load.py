"""Reading codebook YAML: plain data with the line and column of every value, then the model.

PyYAML's `safe_load` forgets where things were. `parse_yaml` scans the tokens first and
refuses anchors and aliases (a codebook needs none, and they are how "billion laughs"
bombs are built), finds the comments between tokens, composes the node graph (with
libyaml when available) and builds plain data itself, so that every path such as
`("codes", 3, "polarity")` maps to its `(line, column)`, 1-based. Duplicate keys, merge
keys and tags other than the plain ones are refused too.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from qualcode.codebook.model import Codebook
from qualcode.errors import CodebookError

MAX_CODEBOOK_BYTES = 16 * 1024 * 1024

YamlPath = tuple[str | int, ...]
Position = tuple[int, int]

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass
class Parsed:
    """A YAML file as plain data, with where each value (and each mapping key) was."""

    name: str
    data: Any
    positions: dict[YamlPath, Position] = field(default_factory=dict)
    key_positions: dict[YamlPath, Position] = field(default_factory=dict)
    duplicate_keys: list[tuple[YamlPath, Position]] = field(default_factory=list)
    comments: list[tuple[Position, str]] = field(default_factory=list)
    first_content_line: int = 1

    def position(self, path: YamlPath, *, key: bool = False) -> Position:
        """Where `path` is (its key when `key`), else the nearest enclosing value."""
        if key and path in self.key_positions:
            return self.key_positions[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.positions:
                return self.positions[path[:end]]
        return (1, 1)

    @property
    def header(self) -> list[str]:
        """The comment lines before the first key: the only comments `fmt` keeps."""
        return [text for (line, _), text in self.comments if line < self.first_content_line]

    @property
    def inner_comments(self) -> list[tuple[Position, str]]:
        return [(pos, text) for pos, text in self.comments if pos[0] >= self.first_content_line]


@dataclass
class Loaded:
    """A codebook that passed the schema, with the parse it came from."""

    codebook: Codebook
    parsed: Parsed

    @property
    def positions(self) -> dict[YamlPath, Position]:
        return self.parsed.positions


def read_text(path: Path, name: str | None = None) -> str:
    """A codebook file's text (UTF-8, an optional BOM); CodebookError if unreadable."""
    shown = name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CODEBOOK_BYTES:
            raise CodebookError("too large for a codebook (over 16 MB)", path=shown)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CodebookError("no such file", path=shown) from None
    except IsADirectoryError:
        raise CodebookError("is a folder, not a codebook file", path=shown) from None
    except OSError as exc:
        raise CodebookError(f"cannot read: {exc.strerror}", path=shown) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CodebookError(f"{shown}:{line}:1: not UTF-8 text") from None


# libyaml when PyYAML has it: some 25 times faster on a large codebook.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BREAKS = "\r\n\x85\u2028\u2029"
_COMMENT = re.compile(f"#[^{_BREAKS}]*")


class _Refused(Exception):
    def __init__(self, position: Position, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.message = message


def parse_yaml(text: str, name: str) -> Parsed:
    """Plain data with positions; CodebookError `NAME:LINE:COL: message` if not YAML.

    The tokens are scanned first: an anchor or alias is refused before anything is
    composed (so no alias bomb is ever expanded), and the comments are the `#...` runs
    in the gaps between tokens.
    """
    try:
        tokens = list(yaml.scan(text, Loader=_LOADER))
        for token in tokens:
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise _Refused(
                    _mark(token),
                    "anchors and aliases (& and *) are not allowed in a codebook; "
                    "quote a term that starts with * or &",
                )
        loader = _LOADER(text)
        try:
            node = loader.get_single_node()
            parsed = Parsed(name=name, data=None, comments=_comments(text, tokens))
            if node is None:
                raise _located(name, (1, 1), "empty file: a codebook is a YAML mapping")
            parsed.first_content_line = node.start_mark.line + 1
            parsed.data = _build(loader, node, (), parsed)
        finally:
            loader.dispose()
    except _Refused as exc:
        raise _located(name, exc.position, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(name, exc) from None
    except yaml.YAMLError as exc:
        raise _located(name, (1, 1), "YAML: " + _one_line(str(exc))) from None
    if not isinstance(parsed.data, dict):
        raise _located(name, (1, 1), "a codebook is a YAML mapping (key: value lines)")
    return parsed


def _comments(text: str, tokens: list[yaml.Token]) -> list[tuple[Position, str]]:
    """Every comment: a `#` run in the text no token covers (or on a `|` / `>` line)."""
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|[\r\n\x85\u2028\u2029]", text)]
    found: list[tuple[int, str]] = []
    covered = 0
    for token in sorted(tokens, key=lambda t: t.start_mark.index):
        start, end = token.start_mark.index, token.end_mark.index
        if start > covered:
            found += [
                (covered + m.start(), m.group()) for m in _COMMENT.finditer(text[covered:start])
            ]
        if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
            header = re.match(f"[^{_BREAKS}]*", text[start:end])
            hash_at = header.group().find(" #") if header else -1
            if hash_at >= 0:
                comment = header.group()[hash_at + 1 :]  # type: ignore[union-attr]
                found.append((start + hash_at + 1, comment))
        covered = max(covered, end)
    found += [(covered + m.start(), m.group()) for m in _COMMENT.finditer(text[covered:])]
    comments = []
    for index, comment in found:
        line = bisect.bisect_right(line_starts, index)
        comments.append(((line, index - line_starts[line - 1] + 1), comment.rstrip()))
    return comments


def _build(loader: Any, node: yaml.Node, path: YamlPath, parsed: Parsed) -> Any:
    parsed.positions[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP_TAG:
            raise _Refused(_mark(node), f"YAML tag {node.tag} is not allowed in a codebook")
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(_mark(key_node), "a key must be a plain word")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(_mark(key_node), "merge keys (<<) are not allowed in a codebook")
            key = loader.construct_object(key_node)
            if not isinstance(key, (str, int)):
                key = key_node.value
            key_path = (*path, key)
            if key in result:
                parsed.duplicate_keys.append((key_path, _mark(key_node)))
            else:
                parsed.key_positions[key_path] = _mark(key_node)
            result[key] = _build(loader, value_node, key_path, parsed)
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ_TAG:
            raise _Refused(_mark(node), f"YAML tag {node.tag} is not allowed in a codebook")
        return [_build(loader, item, (*path, i), parsed) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


def validate(parsed: Parsed) -> Codebook:
    """The model of parsed data; raises pydantic's ValidationError."""
    return Codebook.model_validate(parsed.data)


def load_codebook(path: Path | str, name: str | None = None) -> Loaded:
    """Read, parse and validate a codebook; the first problem as a one-line CodebookError.

    Only the schema is checked here; `lint` finds the problems between codes.
    """
    path = Path(path)
    shown = name or str(path)
    parsed = parse_yaml(read_text(path, shown), shown)
    return validate_parsed(parsed)


def load_text(text: str, name: str) -> Loaded:
    """Like `load_codebook`, from text already read."""
    return validate_parsed(parse_yaml(text, name))


def validate_parsed(parsed: Parsed) -> Loaded:
    if parsed.duplicate_keys:
        key_path, position = parsed.duplicate_keys[0]
        raise _located(parsed.name, position, f"key `{key_path[-1]}` appears twice")
    try:
        codebook = validate(parsed)
    except ValidationError as exc:
        from qualcode.codebook.lint import schema_problems

        problems = schema_problems(parsed, exc)
        first = problems[0]
        more = f" (and {len(problems) - 1} more: run `qualcode codebook lint`)"
        raise CodebookError(first.render() + (more if len(problems) > 1 else "")) from None
    return Loaded(codebook, parsed)


def _mark(node: yaml.Node | yaml.Token) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _located(name: str, position: Position, message: str) -> CodebookError:
    return CodebookError(f"{name}:{position[0]}:{position[1]}: {message}")


def _yaml_error(name: str, exc: yaml.MarkedYAMLError) -> CodebookError:
    mark = exc.problem_mark or exc.context_mark
    position = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = "YAML: " + _one_line(exc.problem or "not valid YAML").removeprefix("but ")
    if exc.context:
        where = exc.context_mark
        started = f" started at {where.line + 1}:{where.column + 1}" if where else ""
        message += f" ({_one_line(exc.context)}{started})"
    if "\\t" in message or "tab" in message:
        message += ": indent with spaces, not tabs"
    return _located(name, position, message)


def _one_line(text: str) -> str:
    return " ".join(text.split())
