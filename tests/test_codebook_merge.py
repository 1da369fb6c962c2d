"""`qualcode codebook merge`: three-way by id and field, and as a real git merge driver."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.codebook.load import load_codebook
from qualcode.codebook.merge import merge_order

FIXTURES = Path(__file__).parent / "fixtures" / "codebook"
SMALL = FIXTURES / "small.yaml"
EMPOWERMENT_DA = "      da: Brugeren oplever at kunne handle og sige fra.\n"
INSECURITY_EN = "      en: The user feels unsure of their role.\n"


def variant(path: Path, *replacements: tuple[str, str], append: str = "") -> Path:
    text = SMALL.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text + append, encoding="utf-8")
    return path


def merge(base: Path, ours: Path, theirs: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["codebook", "merge", str(base), str(ours), str(theirs), "-o", str(out)]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stderr


def test_merge_order_keeps_ours_and_places_theirs_after_their_predecessor() -> None:
    base = ["a", "b", "c"]
    ours = ["a", "x", "b", "c"]
    theirs = ["a", "b", "y", "z", "c"]
    assert merge_order(base, ours, theirs) == ["a", "x", "b", "y", "z", "c"]
    assert merge_order(base, ["a", "c"], ["a", "b", "c", "d"]) == ["a", "c", "d"]
    assert merge_order(base, ["b", "c"], ["n", "a", "b"]) == ["n", "b"]


def test_clean_merge_of_fields_terms_and_new_codes(tmp_path: Path) -> None:
    base = tmp_path / "base"
    ours = variant(
        tmp_path / "ours",
        (EMPOWERMENT_DA, "      da: Brugeren tør handle og sige fra.\n"),
        ("        - selvtillid\n", "        - selvtillid\n        - tør sige fra\n"),
        ("        - usikker\n      sv:", "        - utryg\n      sv:"),
    )
    theirs = variant(
        tmp_path / "theirs",
        (INSECURITY_EN, "      en: The user is unsure what is expected.\n"),
        ("        - selvtillid\n", "        - selvtillid\n        - stoler på mig selv\n"),
        ("        - tør mere\n", ""),
        ("    polarity: neutral\n", "    polarity: positive\n"),
    )
    shutil.copy(SMALL, base)
    out = tmp_path / "out"
    code, stderr = merge(base, ours, theirs, out)
    assert code == 0, stderr
    merged = load_codebook(out).codebook
    codes = {c.id: c for c in merged.codes}
    assert codes["users.empowerment"].definition["da"] == "Brugeren tør handle og sige fra."
    assert codes["users.insecurity"].definition["en"] == "The user is unsure what is expected."
    assert codes["users.empowerment"].terms["da"] == [
        "selvtillid",
        "stoler på mig selv",
        "tør sige fra",
        "tro på mig selv",
        "selvværd*",
    ]
    assert codes["users.insecurity"].terms["da"] == ["utryg"]
    assert codes["process.power_balance.decisions"].polarity == "positive"


def test_conflict_keeps_ours_reports_the_field_and_exits_1(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    shutil.copy(SMALL, base)
    ours = variant(tmp_path / "ours.yaml", (EMPOWERMENT_DA, "      da: Vores version.\n"))
    theirs = variant(
        tmp_path / "theirs.yaml",
        (EMPOWERMENT_DA, "      da: Deres version.\n"),
        (INSECURITY_EN, "      en: Theirs, no conflict.\n"),
    )
    out = tmp_path / "out.yaml"
    code, stderr = merge(base, ours, theirs, out)
    assert code == 1
    assert (
        'conflict: users.empowerment definition.da: ours "Vores version." / theirs "Deres version."'
    ) in stderr
    merged = load_codebook(out).codebook
    codes = {c.id: c for c in merged.codes}
    assert codes["users.empowerment"].definition["da"] == "Vores version."
    assert codes["users.insecurity"].definition["en"] == "Theirs, no conflict."


def test_deleted_on_one_side_changed_on_the_other(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    start = text.index("  - id: users.insecurity\n")
    end = text.index("  - id: process.power_balance\n")
    base = tmp_path / "base.yaml"
    shutil.copy(SMALL, base)
    ours = tmp_path / "ours.yaml"
    ours.write_text(text[:start] + text[end:], encoding="utf-8")
    theirs = variant(tmp_path / "theirs.yaml", (INSECURITY_EN, "      en: Changed.\n"))
    out = tmp_path / "out.yaml"
    code, stderr = merge(base, ours, theirs, out)
    assert code == 1
    assert "conflict: users.insecurity: ours deleted it / theirs changed definition.en" in stderr
    assert "users.insecurity" not in {c.id for c in load_codebook(out).codebook.codes}


def test_merge_that_breaks_a_reference_is_reported(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    shutil.copy(SMALL, base)
    text = SMALL.read_text(encoding="utf-8")
    start = text.index("  - id: process.power_balance.decisions\n")
    ours = tmp_path / "ours.yaml"
    ours.write_text(text[:start].rstrip("\n") + "\n", encoding="utf-8")
    child = (
        "\n  - id: process.power_balance.decisions.more\n"
        "    parent: process.power_balance.decisions\n    polarity: neutral\n"
        "    name: {en: M, da: M, sv: M, nb: M}\n    definition: {en: M, da: M, sv: M, nb: M}\n"
    )
    theirs = variant(tmp_path / "theirs.yaml", append=child)
    out = tmp_path / "out.yaml"
    code, stderr = merge(base, ours, theirs, out)
    assert code == 1
    assert "unknown parent code `process.power_balance.decisions`" in stderr
    load_codebook(out)  # still a loadable codebook


def test_unloadable_side_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    out.write_text("untouched", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["codebook", "merge", str(SMALL), str(SMALL), str(FIXTURES / "lint_syntax.yaml"),
         "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "untouched"


# -- as a git merge driver ---------------------------------------------------------------


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, check=check, capture_output=True, text=True, env=_git_env()
    )


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", HOME=env.get("HOME", "/tmp"), LC_ALL="C")
    return env


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "commit.gpgsign", "false")
    driver = f'"{sys.executable}" -m qualcode codebook merge %O %A %B -o %A --name %P'
    git(root, "config", "merge.qualcode-codebook.name", "qualcode codebook merge")
    git(root, "config", "merge.qualcode-codebook.driver", driver)
    (root / ".gitattributes").write_text("*.yaml merge=qualcode-codebook\n", encoding="utf-8")
    shutil.copy(SMALL, root / "codebook.yaml")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "codebook")
    return root


def commit_on_branch(repo: Path, branch: str, *replacements: tuple[str, str]) -> None:
    git(repo, "checkout", "-q", "-b", branch, "main")
    path = repo / "codebook.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    git(repo, "commit", "-q", "-am", f"edit on {branch}")


def test_git_merges_edits_of_different_codes(repo: Path) -> None:
    commit_on_branch(repo, "anna", (EMPOWERMENT_DA, "      da: Annas definition.\n"))
    commit_on_branch(repo, "bo", (INSECURITY_EN, "      en: Bo's definition.\n"))
    git(repo, "checkout", "-q", "anna")
    done = git(repo, "merge", "--no-edit", "bo", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    merged = load_codebook(repo / "codebook.yaml").codebook
    codes = {c.id: c for c in merged.codes}
    assert codes["users.empowerment"].definition["da"] == "Annas definition."
    assert codes["users.insecurity"].definition["en"] == "Bo's definition."
    assert git(repo, "status", "--porcelain").stdout == ""


def test_git_merges_adjacent_edits_that_a_line_merge_could_not(repo: Path) -> None:
    commit_on_branch(
        repo,
        "anna",
        ("        - tør mere\n        - selvtillid\n", "        - tør mere\n        - modig\n"),
    )
    commit_on_branch(
        repo,
        "bo",
        ("        - selvtillid\n        - tro på mig selv\n", "        - selvtillid\n"),
    )
    git(repo, "checkout", "-q", "anna")
    done = git(repo, "merge", "--no-edit", "bo", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    codes = {c.id: c for c in load_codebook(repo / "codebook.yaml").codebook.codes}
    assert codes["users.empowerment"].terms["da"] == ["tør mere", "modig", "selvværd*"]


def test_git_conflict_leaves_a_valid_codebook_and_names_the_field(repo: Path) -> None:
    commit_on_branch(repo, "anna", (EMPOWERMENT_DA, "      da: Annas definition.\n"))
    commit_on_branch(repo, "bo", (EMPOWERMENT_DA, "      da: Bos definition.\n"))
    git(repo, "checkout", "-q", "anna")
    done = git(repo, "merge", "--no-edit", "bo", check=False)
    assert done.returncode != 0
    report = done.stdout + done.stderr
    assert "conflict: users.empowerment definition.da:" in report
    assert 'ours "Annas definition." / theirs "Bos definition."' in report
    assert "1 conflict: codebook.yaml holds ours' value there" in report
    text = (repo / "codebook.yaml").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text
    merged = load_codebook(repo / "codebook.yaml").codebook
    codes = {c.id: c for c in merged.codes}
    assert codes["users.empowerment"].definition["da"] == "Annas definition."
    assert "UU codebook.yaml" in git(repo, "status", "--porcelain").stdout


def test_a_merge_that_cannot_be_valid_keeps_ours_whole(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    shutil.copy(SMALL, base)
    title = (
        "title:\n  en: Small test codebook\n  da: Lille testkodebog\n"
        "  sv: Liten testkodbok\n  nb: Liten testkodebok\n"
    )
    ours = variant(tmp_path / "ours.yaml", (title, "title:\n  nb: Liten testkodebok\n"))
    theirs = variant(
        tmp_path / "theirs.yaml",
        (title, "title:\n  en: Small test codebook\n  da: Lille testkodebog\n"),
        (INSECURITY_EN, "      en: Changed by theirs.\n"),
    )
    out = tmp_path / "out.yaml"
    code, stderr = merge(base, ours, theirs, out)
    assert code == 1
    assert "conflict: title: ours (kept) / theirs (cannot be combined:" in stderr
    assert load_codebook(out).codebook == load_codebook(ours).codebook
