"""The `qualcode` command: a thin layer over the services (cli-contract.md)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from qualcode import __version__
from qualcode.errors import QualcodeError

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """Options given before the command: which project, which database, who is acting."""

    def __init__(self, project: str | None, db: str | None, coder: str | None) -> None:
        self.project_dir = project
        self.database_url = db
        self._coder = coder
        self._project: Any = None

    @property
    def coder(self) -> str:
        from qualcode.project import default_coder

        return self._coder or default_coder()

    def open(self) -> Any:
        """The project, opened once per command."""
        if self._project is None:
            from qualcode.services import Project

            self._project = Project.open(self.project_dir, self.database_url)
        return self._project

    def close(self) -> None:
        if self._project is not None:
            self._project.close()


class QualcodeGroup(click.Group):
    """Turns a QualcodeError into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QualcodeError as exc:
            click.echo(f"qualcode: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("qualcode: interrupted", err=True)
            ctx.exit(130)


pass_context = click.make_pass_decorator(Context)


@click.group(cls=QualcodeGroup, invoke_without_command=True)
@click.option("--project", metavar="DIR", help="Project folder (default: search upward).")
@click.option(
    "--db",
    metavar="URL",
    envvar="QUALCODE_DATABASE_URL",
    help="Database URL, e.g. postgresql+psycopg://user@host/db.",
)
@click.option(
    "--coder",
    metavar="NAME",
    envvar="QUALCODE_CODER",
    help="Who is coding (default: your login name).",
)
@click.version_option(__version__, prog_name="qualcode")
@click.pass_context
def cli(ctx: click.Context, project: str | None, db: str | None, coder: str | None) -> None:
    """qualcode: code Scandinavian interview transcripts in the terminal."""
    ctx.obj = Context(project, db, coder)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@pass_context
def init(context: Context, directory: Path | None) -> None:
    """Make a project in DIRECTORY (default: here): qualcode.toml and a database."""
    from qualcode.services import Project

    root = (directory or Path.cwd()).resolve()
    project = Project.create(root, context.database_url)
    project.close()
    where = "an SQLite database beside it" if not context.database_url else context.database_url
    click.echo(f"created a qualcode project in {root} ({where})")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--lang",
    "language",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "da", "sv", "nb", "nn"]),
    help="Language of the transcripts; auto detects it per document.",
)
@click.option(
    "--attr",
    "attributes",
    multiple=True,
    metavar="KEY=VALUE",
    help="A case attribute for every imported document (repeatable).",
)
@click.option(
    "--interviewer",
    "interviewers",
    multiple=True,
    metavar="LABEL",
    help="Speaker label of the interviewer / moderator (repeatable).",
)
@click.option(
    "--replace", is_flag=True, help="Re-import changed files, re-anchoring their codings."
)
@pass_context
def import_(
    context: Context,
    paths: tuple[Path, ...],
    language: str,
    attributes: tuple[str, ...],
    interviewers: tuple[str, ...],
    replace: bool,
) -> None:
    """Import transcripts (txt, md, docx, odt, vtt, srt; folders recursively)."""
    from qualcode.services import ImportOptions

    parsed_attributes = _parse_attributes(attributes)
    project = context.open()
    options = ImportOptions(language, parsed_attributes, interviewers, replace)
    with _progress_bar(len(paths)) as progress:
        outcomes, skipped = project.import_paths(paths, options, progress)
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        if outcome.status == "failed":
            click.echo(f"qualcode: {outcome.message}", err=True)
        elif outcome.status in {"imported", "replaced"}:
            details = [outcome.language or "?", f"{outcome.turns} turns"]
            if outcome.encoding and outcome.encoding != "utf-8":
                details.append(outcome.encoding)
            click.echo(f"{outcome.status} {outcome.name} ({', '.join(details)})")
            if outcome.status == "replaced":
                click.echo(f"  {outcome.message}")
        else:
            click.echo(f"{outcome.status} {outcome.name}: {outcome.message}")
    for path in skipped:
        click.echo(f"skipped {path}: not a transcript format", err=True)
    order = ["imported", "replaced", "unchanged", "changed", "failed"]
    summary = ", ".join(f"{counts[k]} {k}" for k in order if counts.get(k))
    click.echo(summary or "nothing to import")
    if counts.get("failed"):
        sys.exit(1)


def _parse_attributes(pairs: tuple[str, ...]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--attr")
        attributes[key.strip()] = value.strip()
    return attributes


class _progress_bar:
    """A progress bar on a terminal for more than a few files; silent otherwise."""

    def __init__(self, _hint: int) -> None:
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[int, int, str], None]:
        return self.update

    def update(self, done: int, total: int, name: str) -> None:
        if not sys.stderr.isatty() or total < 3:
            return
        if self._progress is None:
            from rich.progress import Progress

            self._progress = Progress(transient=True)
            self._progress.start()
            self._task = self._progress.add_task("importing", total=total)
        self._progress.update(self._task, completed=done, description=f"importing {name}")

    def __exit__(self, *_: object) -> None:
        if self._progress is not None:
            self._progress.stop()


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "jsonl"]),
    default="table",
    show_default=True,
)
@pass_context
def documents(context: Context, fmt: str) -> None:
    """List documents: language, turns, speakers, words, attributes, coded share."""
    summaries = context.open().documents()
    rows = [
        {
            "name": s.name,
            "language": s.language,
            "format": s.format,
            "turns": s.turns,
            "speakers": s.speakers,
            "words": s.words,
            "attributes": s.attributes,
            "coded_share": round(s.coded_share, 3),
        }
        for s in summaries
    ]
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if fmt == "csv":
        from qualcode.export.csvsafe import safe_cell

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(
            [
                "name",
                "language",
                "format",
                "turns",
                "speakers",
                "words",
                "attributes",
                "coded_share",
            ]
        )
        for row in rows:
            attrs = "; ".join(f"{k}={v}" for k, v in row["attributes"].items())
            writer.writerow(
                [
                    safe_cell(str(v))
                    for v in (
                        row["name"],
                        row["language"],
                        row["format"],
                        row["turns"],
                        row["speakers"],
                        row["words"],
                        attrs,
                        row["coded_share"],
                    )
                ]
            )
        return
    if not rows:
        click.echo("no documents yet: qualcode import PATH...")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for column, justify in (
        ("document", "left"),
        ("lang", "left"),
        ("turns", "right"),
        ("speakers", "right"),
        ("words", "right"),
        ("coded", "right"),
        ("attributes", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        attrs = ", ".join(f"{k}={v}" for k, v in row["attributes"].items())
        table.add_row(
            row["name"],
            row["language"],
            str(row["turns"]),
            str(row["speakers"]),
            str(row["words"]),
            f"{row['coded_share']:.0%}",
            attrs,
        )
    Console(width=None if sys.stdout.isatty() else 120).print(table)
    total_turns = sum(r["turns"] for r in rows)
    total_words = sum(r["words"] for r in rows)
    click.echo(f"{len(rows)} documents, {total_turns} turns, {total_words} words")


@cli.group()
def export() -> None:
    """Export segments, codings or the whole project."""


@export.command("segments")
@click.option("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
@click.option(
    "--unit",
    type=click.Choice(["turn", "sentence"]),
    default="turn",
    show_default=True,
    help="One line per turn, or per sentence inside turns.",
)
@pass_context
def export_segments(context: Context, output: str | None, unit: str) -> None:
    """Segments as JSON Lines (cli-contract.md)."""
    from qualcode.output import open_output

    project = context.open()
    with open_output(output) as out:
        for segment in project.segments(sentences=unit == "sentence"):
            out.write(json.dumps(segment, ensure_ascii=False) + "\n")


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@pass_context
def demo(context: Context, directory: Path | None) -> None:
    """Build a project from the bundled sample corpus in DIRECTORY and summarise it."""
    from qualcode.bundled import bundled_dir
    from qualcode.services import ImportOptions, Project

    root = (directory or Path("qualcode-sample")).resolve()
    project = Project.create(root, context.database_url)
    context._project = project
    click.echo(f"created a qualcode project in {root}")
    corpus = bundled_dir("corpora")
    with _progress_bar(0) as progress:
        outcomes, _ = project.import_paths([corpus], ImportOptions(), progress)
    failed = [o for o in outcomes if o.status == "failed"]
    for outcome in failed:
        click.echo(f"qualcode: {outcome.message}", err=True)
    click.echo(f"imported {len(outcomes) - len(failed)} transcripts from the sample corpus")
    context.project_dir = str(root)
    ctx = click.get_current_context()
    ctx.invoke(documents, fmt="table")
    if failed:
        sys.exit(1)


def main() -> None:
    """Entry point of the `qualcode` console script."""
    cli.main(prog_name="qualcode")
