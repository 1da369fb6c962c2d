"""Project discovery, exit codes and one-line errors of the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli


def test_init_twice_is_an_error(tmp_path: Path, runner: CliRunner) -> None:
    assert runner.invoke(cli, ["init", str(tmp_path)]).exit_code == 0
    assert (tmp_path / "qualcode.toml").is_file() and (tmp_path / "qualcode.db").is_file()
    again = runner.invoke(cli, ["init", str(tmp_path)])
    assert again.exit_code == 1
    assert again.stderr.count("\n") == 1 and "already" in again.stderr


def test_no_project_is_one_line(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QUALCODE_PROJECT", raising=False)
    result = runner.invoke(cli, ["documents"])
    assert result.exit_code == 1
    assert result.stderr.startswith("qualcode: no qualcode project")
    assert result.stderr.count("\n") == 1


def test_discovery_upward_env_and_option(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sub = project / "interviews" / "round1"
    sub.mkdir(parents=True)
    (sub / "x.txt").write_text(
        "I: Hvordan har du det med brugerrådet?\nB: Jeg synes, det er fint nok.\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("QUALCODE_PROJECT", raising=False)
    monkeypatch.chdir(sub)
    assert runner.invoke(cli, ["import", "x.txt"]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUALCODE_PROJECT", str(project))
    assert "x.txt" in runner.invoke(cli, ["documents"]).stdout
    monkeypatch.delenv("QUALCODE_PROJECT")
    result = runner.invoke(cli, ["--project", str(project), "documents", "--format", "csv"])
    assert result.stdout.splitlines()[1].startswith("x.txt,da,txt,2,2,")
    bad = runner.invoke(cli, ["--project", str(tmp_path / "nowhere"), "documents"])
    assert bad.exit_code == 1 and "nowhere" in bad.stderr


def test_db_url_option(tmp_path: Path, runner: CliRunner) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    assert runner.invoke(cli, ["--db", url, "init", str(tmp_path / "p")]).exit_code == 0
    assert (tmp_path / "elsewhere.db").is_file()
    assert not (tmp_path / "p" / "qualcode.db").exists()
    assert url in (tmp_path / "p" / "qualcode.toml").read_text()
    bad = runner.invoke(cli, ["--db", "nonsense", "init", str(tmp_path / "q")])
    assert bad.exit_code == 1 and "not a database URL" in bad.stderr
    assert not (tmp_path / "q" / "qualcode.toml").exists()


def test_usage_error_exits_2(run) -> None:  # type: ignore[no-untyped-def]
    assert run("documents", "--format", "xml").exit_code == 2
    assert run("import").exit_code == 2


def test_export_to_file(project: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("I: Hvordan?\nB: Fint.\n", encoding="utf-8")
    run("import", str(tmp_path / "a.txt"))
    out = tmp_path / "segments.jsonl"
    assert run("export", "segments", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").count("\n") == 2
    bad = run("export", "segments", "-o", str(tmp_path / "missing" / "x.jsonl"))
    assert bad.exit_code == 1


def test_demo_builds_the_sample_project(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["demo", str(tmp_path / "sample")])
    assert result.exit_code == 0, result.stderr
    assert "sample corpus" in result.stdout
    assert "da-01-bosted.txt" in result.stdout
