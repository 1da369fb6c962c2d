"""Shared fixtures: a fresh project in a temporary folder, driven through the CLI."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
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


# Set by .ci/run, which starts a real PostgreSQL server: modules marked `backends` then run
# their tests against PostgreSQL as well as against SQLite.
POSTGRES_URL = os.environ.get("QUALCODE_TEST_POSTGRES_URL")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "backends: run against SQLite and PostgreSQL")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        names = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
        metafunc.parametrize("backend", names, indirect=True, scope="function")


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@contextlib.contextmanager
def database_url(backend: str) -> Iterator[str | None]:
    """None for SQLite (the project's own file); a fresh PostgreSQL database otherwise."""
    if backend == "sqlite":
        yield None
        return
    assert POSTGRES_URL is not None
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(POSTGRES_URL)
    name = f"qc_test_{uuid.uuid4().hex[:12]}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def project(tmp_path: Path, runner: CliRunner, backend: str) -> Iterator[Path]:
    """A new, empty project folder (on the test's database backend)."""
    root = tmp_path / "project"
    with database_url(backend) as url:
        args = ["--db", url] if url else []
        result = runner.invoke(cli, [*args, "init", str(root)])
        assert result.exit_code == 0, result.output
        yield root


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


def imported_segments(root: Path, paths: list[str]) -> dict[str, list[dict]]:
    """Import transcripts into a new project at `root`; its segments per document name."""
    from click.testing import CliRunner

    from qualcode.cli import cli

    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    result = runner.invoke(cli, ["--project", str(root), "import", *paths])
    assert result.exit_code == 0, result.output + result.stderr
    exported = runner.invoke(cli, ["--project", str(root), "export", "segments"])
    assert exported.exit_code == 0
    by_document: dict[str, list[dict]] = {}
    for line in jsonl(exported.stdout):
        by_document.setdefault(line["document"], []).append(line)
    return by_document
