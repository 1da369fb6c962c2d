"""`qualcode codebook diff`: added, removed, renamed and changed codes, field by field."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "codebook"
SMALL = FIXTURES / "small.yaml"


def edited(tmp_path: Path, name: str, *replacements: tuple[str, str], append: str = "") -> Path:
    text = SMALL.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text + append, encoding="utf-8")
    return path


def diff(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["codebook", "diff", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout.splitlines()


NEW_CODE = """
  - id: users.new_code
    target: users
    polarity: negative
    name: {en: Left out, da: Udeladt, sv: Utelämnad, nb: Utelatt}
    definition: {en: N., da: N., sv: N., nb: N.}
"""


def test_no_differences(tmp_path: Path) -> None:
    messy = FIXTURES / "messy.yaml"
    assert diff(str(SMALL), str(messy)) == (0, ["no differences"])
    assert diff("--exit-code", str(SMALL), str(messy))[0] == 0


def test_added_removed_renamed_and_changed(tmp_path: Path) -> None:
    new = edited(
        tmp_path,
        "new",  # no .yaml suffix: any file name works
        (
            "      da: Brugeren oplever at kunne handle og sige fra.",
            "      da: Brugeren oplever at kunne handle, sige fra og blive hørt.",
        ),
        ("        - vågar mer\n", "        - vågar\n"),
        (
            "  - id: users.insecurity\n",
            "  - id: users.unsure\n    renamed_from: [users.insecurity]\n",
        ),
        ("    polarity: negative\n", "    polarity: neutral\n"),
        ("  - id: process.power_balance.decisions\n", "  - id: process.power_balance.joint\n"),
        ("languages: [en, da, sv, nb]", "languages: [en, da, sv, nb, nn]"),
        ("      en: Involved users\n", "      en: Users who take part\n"),
        append=NEW_CODE,
    )
    code, lines = diff(str(SMALL), str(new))
    assert code == 0
    assert lines == [
        "codebook: languages: +nn",
        'target users: name.en: "Involved users" -> "Users who take part"',
        "code users.empowerment: definition.da changed",
        'code users.empowerment: terms.sv: +"vågar" -"vågar mer"',
        "code renamed: users.insecurity -> users.unsure",
        "code users.unsure: polarity: negative -> neutral",
        "code likely renamed: process.power_balance.decisions -> process.power_balance.joint "
        "(names 100% alike)",
        'code added: users.new_code ("Left out", target users, negative)',
        "codebook: 1 changed; targets: 1 changed; "
        "codes: 1 changed, 1 renamed, 1 likely renamed, 1 added",
    ]
    assert diff("--exit-code", str(SMALL), str(new))[0] == 1


def test_removed_code_and_reordered_codes(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    head, _, codes = text.partition("\ncodes:\n")
    blocks = codes.split("\n\n")
    assert len(blocks) == 4
    # Drop users.insecurity, swap the last two.
    new = tmp_path / "new.yaml"
    new.write_text(
        head + "\ncodes:\n" + "\n\n".join([blocks[0], blocks[3].rstrip("\n"), blocks[2]]) + "\n",
        encoding="utf-8",
    )
    code, lines = diff(str(SMALL), str(new))
    assert code == 0
    assert lines == [
        'code removed: users.insecurity ("Insecurity", target users, negative)',
        "codes: order changed",
        "codes: 1 removed, 1 reordered",
    ]


def test_unrelated_codes_are_not_a_rename(tmp_path: Path) -> None:
    new = edited(
        tmp_path,
        "new.yaml",
        ("  - id: users.insecurity\n", "  - id: users.quite_different\n"),
        ("      en: Insecurity\n", "      en: Sense of belonging\n"),
        ("      en: The user feels unsure of their role.\n", "      en: Part of a group.\n"),
        ("        - usikker\n      sv:", "        - fællesskab\n      sv:"),
    )
    _, lines = diff(str(SMALL), str(new))
    assert any(line.startswith("code removed: users.insecurity") for line in lines)
    assert any(line.startswith("code added: users.quite_different") for line in lines)
    assert not any("renamed" in line for line in lines)


def test_unloadable_input_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["codebook", "diff", str(SMALL), str(FIXTURES / "lint_syntax.yaml")]
    )
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(
        f"qualcode: {FIXTURES / 'lint_syntax.yaml'}:6:8: YAML: "
    )
    assert len(result.stderr.strip().splitlines()) == 1
