"""`codebook fmt`: the canonical YAML text of a codebook.

A small emitter of its own, driven by the format rather than by PyYAML's generic dumper:
keys in the model's order, language maps in the order en, da, sv, nb, nn, 2-space indent,
one blank line between the items of `targets`, `themes` and `codes`, short id lists in flow
style (`[a, b]`), terms and examples as block lists, strings never wrapped or folded
(multi-line text becomes a `|` block), quotes only where YAML needs them. Only the comment
lines at the top of a file survive. Every result is checked: it must load back into the
very same codebook, or nothing is written.
"""

from __future__ import annotations

import io
from typing import Any

import yaml
from yaml.emitter import Emitter
from yaml.resolver import Resolver

from qualcode.codebook.load import Loaded, load_text
from qualcode.codebook.model import Codebook, to_data
from qualcode.errors import CodebookError

MAX_FLOW_WIDTH = 100
_FLOW_LIST_KEYS = frozenset({"languages", "renamed_from", "aliases"})
_SECTIONS = ("targets", "themes", "codes")
_STR_TAG = "tag:yaml.org,2002:str"
_EMITTER = Emitter(io.StringIO(), allow_unicode=True)
_RESOLVER = Resolver()
_ODD_BREAKS = "\r\x85\u2028\u2029"  # line breaks to YAML, so only safe escaped


def format_codebook(codebook: Codebook, header: list[str] | tuple[str, ...] = ()) -> str:
    """The canonical text of a codebook; `header` comment lines go first, as given."""
    data = to_data(codebook)
    lines: list[str] = [line.rstrip() for line in header]
    for key, value in data.items():
        if key in _SECTIONS:
            lines.append("")
            lines.append(f"{key}:")
            flow_keys = _FLOW_LIST_KEYS | ({"codes"} if key == "themes" else set())
            for index, item in enumerate(value):
                if index:
                    lines.append("")
                lines.extend(_sequence_mapping(item, 2, flow_keys))
        else:
            lines.extend(_field(key, value, 0, _FLOW_LIST_KEYS))
    return "\n".join(lines) + "\n"


def format_loaded(loaded: Loaded, *, drop_comments: bool = False) -> str:
    """The canonical text of a loaded file, keeping its top comments; checked lossless.

    Refuses (CodebookError at the comment's position) when a comment below the top of
    the file would be lost, unless `drop_comments`.
    """
    parsed = loaded.parsed
    if parsed.inner_comments and not drop_comments:
        (line, col), _ = parsed.inner_comments[0]
        count = len(parsed.inner_comments)
        raise CodebookError(
            f"{parsed.name}:{line}:{col}: fmt keeps only the comments at the top of a file "
            f"and would drop {count} comment{'s' if count > 1 else ''}: move them up, into "
            "the text, or pass --drop-comments"
        )
    text = format_codebook(loaded.codebook, parsed.header)
    check_lossless(loaded.codebook, text, parsed.name)
    return text


def check_lossless(codebook: Codebook, text: str, name: str) -> None:
    """Raise CodebookError unless `text` loads back into exactly `codebook`."""
    try:
        again = load_text(text, name).codebook
    except CodebookError as exc:
        raise CodebookError(
            f"{name}: internal error, formatted text does not load: {exc}"
        ) from None
    if again != codebook:
        raise CodebookError(f"{name}: internal error, formatting would change the codebook")


# -- the emitter -----------------------------------------------------------------------


def _field(key: str, value: Any, indent: int, flow_keys: frozenset[str] | set[str]) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [f"{pad}{key}: {{}}"]
        lines = [f"{pad}{key}:"]
        for sub_key, sub_value in value.items():
            lines.extend(_field(str(sub_key), sub_value, indent + 2, set()))
        return lines
    if isinstance(value, list):
        if not value:
            return [f"{pad}{key}: []"]
        if key in flow_keys:
            flow = "[" + ", ".join(_inline(str(v), flow=True) for v in value) + "]"
            if len(pad) + len(key) + 2 + len(flow) <= MAX_FLOW_WIDTH:
                return [f"{pad}{key}: {flow}"]
        lines = [f"{pad}{key}:"]
        for item in value:
            if isinstance(item, dict):
                lines.extend(_sequence_mapping(item, indent + 2, flow_keys))
            else:
                lines.extend(_scalar_lines(f"{pad}  - ", item, indent + 4))
        return lines
    return _scalar_lines(f"{pad}{key}: ", value, indent + 2)


def _sequence_mapping(item: dict[str, Any], indent: int, flow_keys: Any) -> list[str]:
    """A mapping as a list item: `- first: ...` then the other keys under it."""
    lines: list[str] = []
    for key, value in item.items():
        lines.extend(_field(key, value, indent + 2, flow_keys))
    lines[0] = " " * indent + "- " + lines[0][indent + 2 :]
    return lines


def _scalar_lines(prefix: str, value: Any, block_indent: int) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"unexpected value in a codebook: {value!r}")
    if isinstance(value, int):
        return [f"{prefix}{value}"]
    if "\n" in value and _block_ok(value):
        if value.endswith("\n"):
            indicator, body = "|", value[:-1]
        else:
            indicator, body = "|-", value
        pad = " " * block_indent
        return [f"{prefix}{indicator}"] + [pad + line if line else "" for line in body.split("\n")]
    return [prefix + _inline(value, flow=False)]


def _block_ok(value: str) -> bool:
    analysis = _EMITTER.analyze_scalar(value)
    return bool(
        analysis.allow_block
        and value.strip("\n")
        and not value.startswith((" ", "\n"))
        and not value.endswith("\n\n")  # keep-chomping (|+) would swallow following blank lines
        and not any(ch in _ODD_BREAKS for ch in value)
    )


def _inline(value: str, *, flow: bool) -> str:
    """A one-line form of a string: plain if YAML reads it back as this string, else quoted."""
    if any(ch in _ODD_BREAKS for ch in value):
        return _double_quoted(value)
    analysis = _EMITTER.analyze_scalar(value)
    plain_ok = analysis.allow_flow_plain if flow else analysis.allow_block_plain
    if (
        value
        and plain_ok
        and not analysis.multiline
        and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG
    ):
        return value
    if analysis.allow_single_quoted and not analysis.multiline:
        return "'" + value.replace("'", "''") + "'"
    return _double_quoted(value)


_ESCAPES = {
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    '"': '\\"',
    "\\": "\\\\",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def _double_quoted(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " " or "\x7f" <= ch <= "\x9f" or ch in "\ufeff\ufffe\uffff":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        elif "\ud800" <= ch <= "\udfff":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
