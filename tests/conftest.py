"""Shared fixtures: a fresh project in a temporary folder, driven through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qualcode.cli import cli

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO / "corpora"
SHARED = REPO.parent / "shared"

Run = Callable[..., Result]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path, runner: CliRunner) -> Path:
    """A new, empty project folder."""
    root = tmp_path / "project"
    result = runner.invoke(cli, ["init", str(root)])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def run(runner: CliRunner, project: Path) -> Run:
    """Run `qualcode --project <project> ARGS...` in-process and return click's Result."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, ["--project", str(project), *args], input=input)

    return invoke


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def gold_files() -> list[Path]:
    return sorted(CORPORA.rglob("*.gold.jsonl"))


def transcript_for(gold: Path) -> Path:
    stem = gold.name[: -len(".gold.jsonl")]
    matches = [p for p in gold.parent.iterdir() if p.stem == stem and p != gold]
    assert len(matches) == 1, f"no single transcript for {gold}"
    return matches[0]
