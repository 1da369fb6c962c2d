"""`qualcode codebook lint` finds each kind of problem at the right line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "codebook"


def lint(*paths: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["codebook", "lint", *map(str, paths)])
    return result.exit_code, result.stdout.splitlines()


def expect(path: Path, *lines: str) -> list[str]:
    return [f"{path}:{line}" for line in lines]


def test_a_good_codebook_has_no_problems() -> None:
    code, lines = lint(FIXTURES / "small.yaml")
    assert (code, lines) == (0, [])


def test_yaml_syntax_error_is_one_line_at_its_position() -> None:
    path = FIXTURES / "lint_syntax.yaml"
    code, lines = lint(path)
    assert code == 1
    assert len(lines) == 1
    # The wording is PyYAML's (it differs with and without libyaml); the place is ours.
    assert lines[0].startswith(f"{path}:6:8: error: YAML: ")
    assert "while parsing a flow sequence started at 5:12" in lines[0]


def test_anchors_and_aliases_are_refused() -> None:
    path = FIXTURES / "lint_anchor.yaml"
    code, lines = lint(path)
    assert code == 1
    assert lines == expect(
        path,
        "3:8: error: anchors and aliases (& and *) are not allowed in a codebook; "
        "quote a term that starts with * or &",
    )


def test_schema_errors_point_at_the_value() -> None:
    path = FIXTURES / "lint_schema.yaml"
    code, lines = lint(path)
    assert code == 1
    assert lines == expect(
        path,
        "13:15: error: code users.a: polarity: 'posetive' is not one of "
        "'positive', 'negative' or 'neutral'",
        "14:13: error: code users.a: colour: 'green' is not a colour: write '#RRGGBB' (quoted)",
        "19:5: error: code users.a: unknown key `defintion` (did you mean `definition`?)",
        "21:5: error: code Users.B: missing `polarity`",
        "21:9: error: code Users.B: id: 'Users.B' is not an id "
        "(lowercase letters, digits and _, parts joined by dots)",
        "25:7: error: code Users.B: name: unknown language `xx` (use en, da, sv, nb, nn)",
        "27:11: error: code Users.B: definition.en: expected text, got a yes/no value (true): "
        "quote it if it is text",
        "28:5: error: code users.c: a code needs exactly one of `target` and `parent`",
    )


def test_duplicates_and_unknown_references() -> None:
    path = FIXTURES / "lint_refs.yaml"
    code, lines = lint(path)
    assert code == 1
    assert lines == expect(
        path,
        "10:9: error: duplicate target id `users` (also target #1)",
        "17:22: error: theme voice: unknown code `users.missing`",
        "18:9: error: duplicate theme id `voice` (also theme #1)",
        "30:9: error: duplicate code id `users.a` (also code #1)",
        "31:13: error: code users.a: unknown target `user` (targets: users)",
        "38:13: error: code users.b: unknown parent code `users.nothing`",
        "40:20: error: code users.b: renamed_from `users.a`, which is still a code here "
        "(remove the old code, or the renamed_from entry)",
    )


def test_missing_language_in_name_and_definition() -> None:
    path = FIXTURES / "lint_languages.yaml"
    code, lines = lint(path)
    assert code == 1
    assert lines == expect(
        path,
        "10:7: error: target users: name has no da (see `languages`)",
        "19:7: error: code users.a: definition has no da (see `languages`)",
    )


def test_term_problems_are_warnings_and_exit_zero() -> None:
    path = FIXTURES / "lint_terms.yaml"
    code, lines = lint(path)
    assert code == 0
    assert lines == expect(
        path,
        "26:5: warning: code users.a: no terms in sv",
        "29:11: warning: code users.a: term 'mod*': stem `mod` is shorter than 5 letters "
        "and will match too much",
        "30:5: warning: code users.a: no example sentence in sv",
        "46:11: warning: code users.b: term 'Tør mere' (da) is also a term of users.a",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1:1: error: empty file: a codebook is a YAML mapping"),
        ("- a\n", "1:1: error: a codebook is a YAML mapping (key: value lines)"),
        ("codebook: x\nversion: 1\nversion: 2\n", "3:1: error: key `version` appears twice"),
        ("codebook: x\n\tversion: 1\n", "2:1: error: YAML: "),
        ("codebook: !!python/object:os.system x\n", "1:11: error: YAML: could not determine"),
        ("codebook: x\nversion: 1 # one\ntitle: {en: &a x}\n", "3:13: error: anchors and"),
        ("a: {x: 1}\nb:\n  <<: {y: 2}\n", "3:3: error: merge keys (<<) are not allowed"),
        ("a: 1\n---\nb: 2\n", "2:1: error: YAML: found another document"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    code, lines = lint(path)
    assert code == 1
    assert any(line.startswith(f"{path}:{expected}") for line in lines), lines


def test_parent_cycle_and_star_inside_a_word(tmp_path: Path) -> None:
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
    text = text.replace("    parent: process.power_balance\n", "    parent: users.a_child\n")
    text = text.replace("        - selvværd*\n", "        - selv*værd\n")
    text += (
        "\n  - id: users.a_child\n    parent: process.power_balance.decisions\n"
        "    polarity: neutral\n    name: {en: X, da: X, sv: X, nb: X}\n"
        "    definition: {en: X, da: X, sv: X, nb: X}\n"
    )
    path = tmp_path / "cycle.yaml"
    path.write_text(text, encoding="utf-8")
    code, lines = lint(path)
    assert code == 1
    assert any("parent codes form a cycle" in line and ": error: " in line for line in lines)
    assert any("* may only begin or end it" in line for line in lines)


def test_a_code_defined_in_two_files(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
    other.write_text(text.replace("codebook: small", "codebook: other"), encoding="utf-8")
    code, lines = lint(FIXTURES / "small.yaml", other)
    assert code == 1
    assert f"{other}:38:9: error: code id `users.empowerment` is also defined in " in lines[0]


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["codebook", "lint", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert result.stdout.strip() == f"{tmp_path / 'nope.yaml'}:1:1: error: no such file"
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("codebook: x\ntitle: {en: Brugerindflydelse}\nda: æøå\n".encode("latin-1"))
    code, lines = lint(path)
    assert (code, lines) == (1, [f"{path}:3:1: error: not UTF-8 text"])


SHIPPED = sorted((Path(__file__).resolve().parents[1] / "codebooks").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_codebooks_have_no_errors(path: Path) -> None:
    code, lines = lint(path)
    assert code == 0, "\n".join(lines)
