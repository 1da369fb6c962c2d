"""The `qualcode` command: a thin layer over the services (cli-contract.md)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from qualcode import __version__
from qualcode.errors import QualcodeError
from qualcode.output import jsonl_line

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
        if sys.stdin.isatty() and sys.stdout.isatty():
            from qualcode.tui.launch import run_tui

            run_tui(ctx.obj)
        else:
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
@click.option(
    "--coder",
    "codings_coder",
    metavar="NAME",
    help="With `import codings`: whose codings these are (default: as in the file).",
)
@pass_context
def import_(
    context: Context,
    paths: tuple[Path, ...],
    language: str,
    attributes: tuple[str, ...],
    interviewers: tuple[str, ...],
    replace: bool,
    codings_coder: str | None,
) -> None:
    """Import transcripts (txt, md, docx, odt, vtt, srt; folders recursively).

    `qualcode import codings FILE` reads codings (JSON Lines, CSV or gold files) instead.
    """
    from qualcode.ingest.readers import skip_reason
    from qualcode.services import ImportOptions

    if paths and str(paths[0]) == "codings" and not paths[0].exists():
        if len(paths) != 2:
            raise click.UsageError("usage: qualcode import codings FILE [--coder NAME]")
        _import_codings(context, paths[1], codings_coder)
        return
    projects = [p for p in paths if p.suffix.lower() == ".qdpx"]
    if projects:
        if len(projects) != len(paths):
            raise click.UsageError("import a .qdpx project on its own, not with transcripts")
        from qualcode.refi.project_import import import_qdpx

        for path in projects:
            for line in import_qdpx(context.open().engine, path, context.coder):
                click.echo(line)
        return

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
        click.echo(f"skipped {path}: {skip_reason(path)}", err=True)
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
            click.echo(jsonl_line(row), nl=False)
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
            out.write(jsonl_line(segment))


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@pass_context
def demo(context: Context, directory: Path | None) -> None:
    """Build a project from the bundled sample corpus in DIRECTORY and summarise it.

    Imports the transcripts, loads the bundled codebooks, suggests codes and compares the
    suggestions with the corpus's gold codings.
    """
    from qualcode.bundled import bundled_dir
    from qualcode.codebook.reconcile import use_codebooks
    from qualcode.evaluation import Evaluation
    from qualcode.evaluation import evaluate as run_evaluation
    from qualcode.services import ImportOptions, Project
    from qualcode.suggest.engine import DEFAULT_THRESHOLD
    from qualcode.suggesting import suggest_project

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
    codebooks = bundled_dir("codebooks")
    for line in use_codebooks(
        project.engine, [codebooks / f"{n}.yaml" for n in ("impact", "levels", "participation")]
    ):
        click.echo(line)
    report = suggest_project(project.engine, context.coder, None, DEFAULT_THRESHOLD)
    click.echo(f"{report.suggestions} suggestions for {report.turns} participant turns")
    context.project_dir = str(root)
    click.get_current_context().invoke(documents, fmt="table")
    result = run_evaluation(project.engine, corpus, "suggested", context.coder)
    click.echo("suggestions against the gold codings (turn level):")
    total = Evaluation.micro(result.per_code)
    base = Evaluation.micro(result.baseline_per_code)
    click.echo(
        f"  all: precision {total.precision:.2f}, recall {total.recall:.2f}, "
        f"F1 {total.f1:.2f} (code-name search: F1 {base.f1:.2f})"
    )
    for language, counts in sorted(result.per_language.items()):
        click.echo(
            f"  {language}:  precision {counts.precision:.2f}, recall "
            f"{counts.recall:.2f}, F1 {counts.f1:.2f}"
        )
    click.echo(f"next: cd {root} && qualcode   (the coding workbench)")
    if failed:
        sys.exit(1)


@cli.command()
@click.option(
    "--document",
    "documents",
    multiple=True,
    metavar="NAME",
    help="Only this document (repeatable); default: all.",
)
@click.option(
    "--threshold",
    type=float,
    default=None,
    metavar="X",
    help="Lowest confidence to keep (default 0.2).",
)
@pass_context
def suggest(context: Context, documents: tuple[str, ...], threshold: float | None) -> None:
    """Suggest codes for the participants' turns (your accepted/rejected codings stay)."""
    from qualcode.suggest.engine import DEFAULT_THRESHOLD
    from qualcode.suggesting import suggest_project

    project = context.open()
    with _progress_bar(0) as progress:
        report = suggest_project(
            project.engine,
            context.coder,
            list(documents) or None,
            DEFAULT_THRESHOLD if threshold is None else threshold,
            progress,
        )
    click.echo(
        f"{report.suggestions} suggestions for {report.turns} participant turns in "
        f"{report.documents} documents (coder {context.coder}; learned from "
        f"{report.learned_examples} decided turns; {report.skipped_decided} already decided)"
    )


@export.command("qdpx")
@click.option(
    "-o",
    "--output",
    metavar="FILE.qdpx",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
)
@pass_context
def export_qdpx_command(context: Context, output: Path) -> None:
    """The whole project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA."""
    from qualcode.refi.project_export import export_qdpx

    for line in export_qdpx(context.open().engine, output):
        click.echo(line)


@export.command("codings")
@click.option(
    "--status",
    type=click.Choice(["suggested", "accepted", "rejected", "all"]),
    default="all",
    show_default=True,
)
@click.option("--coder", "coder_filter", metavar="NAME", help="Only this coder's codings.")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
@pass_context
def export_codings(
    context: Context, status: str, coder_filter: str | None, fmt: str, output: str | None
) -> None:
    """Codings as JSON Lines or CSV, sorted so the file diffs well in git."""
    from qualcode.codings_io import export_rows, write_csv, write_jsonl
    from qualcode.output import open_output

    rows = export_rows(context.open().engine, status, coder_filter)
    with open_output(output) as out:
        (write_csv if fmt == "csv" else write_jsonl)(rows, out)


@cli.command("import-codings", hidden=True)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--coder", "coder_override", metavar="NAME")
@pass_context
def import_codings_alias(context: Context, file: Path, coder_override: str | None) -> None:
    """Same as `import codings`."""
    _import_codings(context, file, coder_override)


def _import_codings(context: Context, file: Path, coder_override: str | None) -> None:
    from qualcode.codings_io import import_codings

    if not file.is_file():
        raise QualcodeError("no such file", path=str(file))
    report = import_codings(context.open().engine, file, coder_override, context.coder)
    click.echo(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.conflicts)} conflicts"
    )
    for conflict in report.conflicts:
        click.echo(f"conflict: {conflict}", err=True)


@cli.command()
@click.option(
    "--gold",
    "gold",
    required=True,
    type=click.Path(path_type=Path),
    help="A gold file or a folder of *.gold.jsonl files.",
)
@click.option(
    "--status",
    type=click.Choice(["suggested", "accepted", "all"]),
    default="all",
    show_default=True,
    help="Which codings count as predictions (all: both).",
)
@click.option("--coder", "coder_filter", metavar="NAME", help="Only this coder's codings.")
@click.option("--threshold", type=float, default=None, help="Ignore suggestions below this.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
@pass_context
def evaluate(
    context: Context,
    gold: Path,
    status: str,
    coder_filter: str | None,
    threshold: float | None,
    fmt: str,
) -> None:
    """Precision, recall and F1 per code against gold files, beside the name-search baseline."""
    from qualcode.evaluation import Evaluation
    from qualcode.evaluation import evaluate as run_evaluation

    result = run_evaluation(context.open().engine, gold, status, coder_filter, threshold)
    rows = []
    for code in sorted(set(result.per_code) | set(result.baseline_per_code)):
        ours, base = result.per_code.get(code), result.baseline_per_code.get(code)
        rows.append(
            [
                code,
                (ours.tp + ours.fn) if ours else (base.tp + base.fn if base else 0),
                *(_prf(ours)),
                *(_prf(base)),
            ]
        )
    micro, base_micro = (
        Evaluation.micro(result.per_code),
        Evaluation.micro(result.baseline_per_code),
    )
    rows.append(["micro", micro.tp + micro.fn, *_prf(micro), *_prf(base_micro)])
    rows.append(
        [
            "macro",
            "",
            *Evaluation.macro(result.per_code),
            *Evaluation.macro(result.baseline_per_code),
        ]
    )
    for language in sorted(result.per_language):
        ours = result.per_language[language]
        base = result.baseline_per_language[language]
        rows.append([f"micro {language}", ours.tp + ours.fn, *_prf(ours), *_prf(base)])
    header = [
        "code",
        "gold",
        "precision",
        "recall",
        "f1",
        "baseline precision",
        "baseline recall",
        "baseline f1",
    ]
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([f"{v:.3f}" if isinstance(v, float) else v for v in row])
        return
    click.echo(
        f"{len(result.documents)} documents, {result.turns} turns; "
        f"codings: {status}" + (f", coder {coder_filter}" if coder_filter else "")
    )
    click.echo(
        f"{'code':45s} {'gold':>5s}   {'P':>5s} {'R':>5s} {'F1':>5s}   "
        f"{'base P':>6s} {'base R':>6s} {'base F1':>7s}"
    )
    for row in rows:
        if row[0] == "micro":
            click.echo("-" * 92)
        values = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in row[2:]]
        click.echo(
            f"{row[0]:45s} {row[1]!s:>5s}   {values[0]:>5s} {values[1]:>5s} "
            f"{values[2]:>5s}   {values[3]:>6s} {values[4]:>6s} {values[5]:>7s}"
        )


def _matrix_options(function: F) -> F:
    """Options shared by `matrix` and `quotes`."""
    for option in reversed(
        [
            click.option(
                "--rows",
                type=click.Choice(["target", "code", "theme"]),
                default="target",
                show_default=True,
            ),
            click.option(
                "--cols",
                default="document",
                show_default=True,
                metavar="DIM",
                help="document, language, speaker or a case attribute.",
            ),
            click.option(
                "--count",
                type=click.Choice(["segments", "documents"]),
                default="segments",
                show_default=True,
            ),
            click.option(
                "--status",
                type=click.Choice(["accepted", "suggested", "all"]),
                default="accepted",
                show_default=True,
            ),
            click.option(
                "--coder", "coder_filter", metavar="NAME", help="Only this coder's codings."
            ),
        ]
    ):
        function = option(function)
    return function


@cli.command()
@_matrix_options
@click.option(
    "--polarity",
    type=click.Choice(["positive", "negative"]),
    default="positive",
    show_default=True,
)
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "md", "xlsx", "svg"]),
    help="xlsx holds both polarities as sheets; svg is a heatmap.",
)
@click.option(
    "--quotes",
    "with_quotes",
    is_flag=True,
    help="Framework matrix: each cell lists its quotes (csv or md).",
)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
@click.option("--delimiter", type=click.Choice([",", ";"]), default=",", show_default=True)
@click.option("--bom", is_flag=True, help="Start the CSV with a byte-order mark (Excel).")
@pass_context
def matrix(
    context: Context,
    polarity: str,
    rows: str,
    cols: str,
    count: str,
    status: str,
    coder_filter: str | None,
    fmt: str,
    with_quotes: bool,
    output: str | None,
    delimiter: str,
    bom: bool,
) -> None:
    """Positive or negative impact matrix: who is affected x cases."""
    from dataclasses import replace

    from qualcode.aggregate import MatrixSpec
    from qualcode.aggregate import matrix as compute
    from qualcode.aggregate import quotes as all_quotes
    from qualcode.export import matrices as writers
    from qualcode.output import open_output

    engine = context.open().engine
    spec = MatrixSpec(polarity, rows, cols, count, status, coder_filter)
    result = compute(engine, spec)
    if fmt == "xlsx":
        if not output or output == "-":
            raise QualcodeError("--format xlsx needs -o FILE.xlsx")
        other = "negative" if polarity == "positive" else "positive"
        both = [result, compute(engine, replace(spec, polarity=other))]
        both.sort(key=lambda m: m.spec.polarity != "positive")
        writers.write_xlsx(both, Path(output))
        click.echo(f"wrote the positive and negative matrices to {output}")
        return
    table = (
        writers.framework_rows(result, all_quotes(engine, spec)) if with_quotes else result.table()
    )
    with open_output(output, bom=bom and fmt == "csv") as out:
        if fmt == "csv":
            writers.write_csv(table, out, delimiter)
        elif fmt == "md":
            writers.write_markdown(table, out)
        elif fmt == "svg":
            writers.write_svg(result, out)
        else:
            _print_table(table, out)


def _print_table(table: list[list[Any]], out: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    header, *body = table
    rendered = Table(box=None, pad_edge=False)
    for index, name in enumerate(header):
        rendered.add_column(str(name), justify="left" if index == 0 else "right")
    for row in body:
        rendered.add_row(*(str(v) for v in row))
    natural = sum(max(len(str(row[i])) for row in table) + 2 for i in range(len(header)))
    Console(file=out, width=None if out.isatty() else natural + 4).print(rendered)


@cli.command()
@_matrix_options
@click.option(
    "--polarity",
    type=click.Choice(["positive", "negative"]),
    default=None,
    help="Default: the code's own with --code, else positive.",
)
@click.option("--row", "row_value", metavar="VALUE", help="A row of the matrix (e.g. users).")
@click.option("--code", "code_value", metavar="ID", help="Shorthand for --rows code --row ID.")
@click.option("--col", "column_value", metavar="VALUE", help="A column (e.g. a document name).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl", "csv", "md"]),
    default="table",
    show_default=True,
)
@click.option("-o", "--output", metavar="FILE")
@pass_context
def quotes(
    context: Context,
    polarity: str,
    rows: str,
    cols: str,
    count: str,
    status: str,
    coder_filter: str | None,
    row_value: str | None,
    code_value: str | None,
    column_value: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """The quotes behind a matrix cell, row or column."""
    from qualcode.aggregate import MatrixSpec
    from qualcode.aggregate import quotes as find_quotes
    from qualcode.export import matrices as writers
    from qualcode.output import open_output

    if code_value:
        rows, row_value = "code", code_value
        from qualcode.coding import CodingService

        known = CodingService(context.open().engine, context.coder).codes()
        if code_value not in known:
            raise QualcodeError(f"--code {code_value}: no such code in the project")
        if polarity is None:
            polarity = known[code_value].polarity
        if polarity == "neutral":
            raise QualcodeError(f"--code {code_value} is neutral: it is in no impact matrix")
    spec = MatrixSpec(polarity or "positive", rows, cols, count, status, coder_filter)
    found = find_quotes(context.open().engine, spec, row_value, column_value)
    records = [
        {
            "document": q.document,
            "turn": q.turn,
            "speaker": q.speaker,
            "code": q.code,
            "coder": q.coder,
            rows: q.row,
            cols: q.column,
            "text": q.text,
        }
        for q in found
    ]
    with open_output(output) as out:
        if fmt == "jsonl":
            for record in records:
                out.write(jsonl_line(record))
            return
        table = [
            list(records[0].keys())
            if records
            else ["document", "turn", "speaker", "code", "coder", rows, cols, "text"]
        ]
        table += [list(r.values()) for r in records]
        if fmt == "csv":
            writers.write_csv(table, out)
        elif fmt == "md":
            writers.write_markdown(table, out)
        else:
            if not records:
                out.write("no quotes\n")
            for q in found:
                where = f"{q.document} turn {q.turn}" if q.turn else q.document
                out.write(f"{where} ({q.speaker or '?'}) [{q.code}, {q.coder}]\n  {q.text}\n")


@cli.command()
@click.option(
    "--within", type=click.Choice(["segment", "document"]), default="segment", show_default=True
)
@click.option(
    "--status",
    type=click.Choice(["accepted", "suggested", "all"]),
    default="accepted",
    show_default=True,
)
@click.option("--coder", "coder_filter", metavar="NAME")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
@click.option("-o", "--output", metavar="FILE")
@pass_context
def cooccurrence(
    context: Context,
    within: str,
    status: str,
    coder_filter: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Code x code: how many segments (or documents) carry both codes."""
    from qualcode.aggregate import cooccurrence as compute
    from qualcode.export import matrices as writers
    from qualcode.output import open_output

    result = compute(context.open().engine, within, status, coder_filter)
    table: list[list[Any]] = [["code", *result.codes]]
    for code in result.codes:
        table.append(
            [
                code,
                *(
                    result.counts.get((code, other), 0) if other != code else ""
                    for other in result.codes
                ),
            ]
        )
    with open_output(output) as out:
        if fmt == "csv":
            writers.write_csv(table, out)
        elif not result.codes:
            out.write("no two codes share a " + within + "\n")
        else:
            _print_table(table, out)


@cli.command()
@click.option(
    "--coders",
    "coders",
    multiple=True,
    metavar="NAME",
    help="The coders to compare (repeat, or give several: --coders anna --coders bo).",
)
@click.option("--code", "codes", multiple=True, metavar="ID", help="Only this code (repeatable).")
@click.option(
    "--unit",
    type=click.Choice(["turn", "segment"]),
    default="turn",
    show_default=True,
    help="Compare turns, or sentences within turns.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
@click.option(
    "--disagreements",
    "show",
    type=int,
    default=20,
    show_default=True,
    help="How many disagreements to list under the table.",
)
@click.argument("more_coders", nargs=-1, metavar="")
@pass_context
def agreement(
    context: Context,
    coders: tuple[str, ...],
    codes: tuple[str, ...],
    unit: str,
    fmt: str,
    show: int,
    more_coders: tuple[str, ...],
) -> None:
    """Agreement between coders: observed agreement, Cohen's kappa, Krippendorff's alpha."""
    from qualcode.agreement import agreement as compute

    chosen = [*coders, *more_coders]
    report = compute(
        context.open().engine, chosen or None, list(codes) or None, unit, limit=max(show, 0)
    )
    rows = [*report.per_code, report.overall]

    def number(value: float | None) -> str:
        return "" if value is None else f"{value:.3f}"

    header = ["code", "units", "observed agreement", "Cohen's kappa", "Krippendorff's alpha"]
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            if row is not None:
                writer.writerow(
                    [
                        row.code,
                        row.units,
                        number(row.observed),
                        number(row.kappa),
                        number(row.alpha),
                    ]
                )
        return
    click.echo(
        f"coders: {', '.join(report.coders)}; unit: {unit}; a code applied (1) or "
        "not (0) per unit; documents each coder has coded"
    )
    click.echo(
        f"{header[0]:45s} {header[1]:>6s} {header[2]:>19s} {header[3]:>14s} {header[4]:>21s}"
    )
    for row in rows:
        if row is None:
            continue
        if row.code == "overall":
            click.echo("-" * 109)
        kappa = number(row.kappa) if len(report.coders) == 2 else "(2 coders)"
        click.echo(
            f"{row.code:45s} {row.units:>6d} {number(row.observed):>19s} "
            f"{kappa:>14s} {number(row.alpha):>21s}"
        )
    if report.disagreements and show:
        click.echo(f"\ndisagreements to discuss (first {len(report.disagreements)}):")
        for item in report.disagreements:
            where = f"{item.document} turn {item.turn}" + (
                f" sentence {item.segment}" if unit == "segment" else ""
            )
            click.echo(
                f"{where}: {item.code} by {', '.join(item.applied_by)}, not by "
                f"{', '.join(item.not_by)}\n  {item.text}"
            )


@cli.command()
@click.argument("destination", required=False, type=click.Path(path_type=Path))
@pass_context
def backup(context: Context, destination: Path | None) -> None:
    """A consistent copy of the project's SQLite database (safe while others work in it)."""
    from datetime import datetime

    from qualcode.storage.migrate import sqlite_backup

    project = context.open()
    url = project.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        raise QualcodeError(
            "backup copies SQLite projects; for PostgreSQL use pg_dump on the server"
        )
    source = Path(url.database)
    if destination is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        destination = source.with_name(f"{source.stem}-backup-{stamp}.db")
    elif destination.is_dir():
        destination = destination / f"{source.stem}-backup.db"
    if not destination.parent.is_dir():
        raise QualcodeError("the folder to write into does not exist", path=str(destination))
    sqlite_backup(source, destination)
    click.echo(f"backed up {source} to {destination}")


@cli.command()
@click.option(
    "--key",
    "key_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Name -> placeholder key (JSON), kept outside the project; reused if it exists.",
)
@click.option(
    "--names",
    "names_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file with more names to replace, one per line.",
)
@click.option("--name", "names", multiple=True, metavar="NAME", help="A name to replace.")
@click.option("--document", "documents", multiple=True, metavar="NAME")
@pass_context
def pseudonymise(
    context: Context,
    key_file: Path,
    names_file: Path | None,
    names: tuple[str, ...],
    documents: tuple[str, ...],
) -> None:
    """Replace speaker names and listed names with stable placeholders (P01, [NAME-01])."""
    from qualcode.pseudonymise import pseudonymise as run_pseudonymise

    listed = list(names)
    if names_file is not None:
        listed += [
            line.strip()
            for line in names_file.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    project = context.open()
    report = run_pseudonymise(project.engine, key_file, listed, documents, project.config.root)
    click.echo(
        f"pseudonymised {report.documents} documents: {report.replacements} "
        f"replacements, {report.new_names} new names in the key {report.key_file} "
        "(keep it apart from the project)"
    )


def _prf(counts: Any) -> tuple[float, float, float]:
    if counts is None:
        return (0.0, 0.0, 0.0)
    return (counts.precision, counts.recall, counts.f1)


@cli.command()
@pass_context
def tui(context: Context) -> None:
    """Open the coding workbench (the project here, or a start screen without one)."""
    from qualcode.tui.launch import run_tui

    run_tui(context)


def main() -> None:
    """Entry point of the `qualcode` console script."""
    cli.main(prog_name="qualcode")


from qualcode.cli_codebook import codebook as _codebook_group  # noqa: E402

cli.add_command(_codebook_group)
