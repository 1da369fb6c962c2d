"""`qualcode codebook ...`: lint, format, diff, merge, exchange and use YAML codebooks.

A thin layer over `qualcode.codebook`; a CodebookError raised here becomes a one-line
message and exit status 1 in the `qualcode` group (cli.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qualcode.errors import CodebookError

if TYPE_CHECKING:
    from qualcode.cli import Context

LANG_CHOICE = click.Choice(["en", "da", "sv", "nb", "nn"])
_FILES = click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))


@click.group()
def codebook() -> None:
    """Codebooks in YAML: check, format, compare, merge, exchange, load into the project."""


@codebook.command()
@_FILES
def lint(files: tuple[Path, ...]) -> None:
    """Print every problem as FILE:LINE:COL: severity: message; exit 1 on errors."""
    from qualcode.codebook.lint import ERROR, lint_files

    problems = lint_files(files)
    for problem in problems:
        click.echo(problem.render())
    errors = sum(p.severity == ERROR for p in problems)
    warnings = len(problems) - errors
    noun = "codebook" if len(files) == 1 else "codebooks"
    found = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}" if problems else "ok"
    click.echo(f"checked {len(files)} {noun}: {found}", err=True)
    if errors:
        sys.exit(1)


@codebook.command("fmt")
@_FILES
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would change.")
@click.option(
    "--drop-comments", is_flag=True, help="Allow dropping comments below the top of a file."
)
def fmt_command(files: tuple[Path, ...], check: bool, drop_comments: bool) -> None:
    """Rewrite codebooks in canonical form (idempotent, lossless)."""
    from qualcode.codebook.files import write_atomic
    from qualcode.codebook.fmt import format_loaded
    from qualcode.codebook.load import load_text, read_text

    changed = unchanged = failed = 0
    for path in files:
        try:
            text = read_text(path)
            loaded = load_text(text, str(path))
            formatted = format_loaded(loaded, drop_comments=drop_comments).encode("utf-8")
            if formatted == path.read_bytes():
                unchanged += 1
                continue
            changed += 1
            if check:
                click.echo(f"would reformat {path}")
            else:
                write_atomic(path, formatted)
                click.echo(f"reformatted {path}")
        except CodebookError as exc:
            failed += 1
            click.echo(f"qualcode: {exc}", err=True)
    verb = "would be reformatted" if check else "reformatted"
    parts = [f"{_plural(changed, 'file')} {verb}", f"{unchanged} unchanged"]
    if failed:
        parts.append(f"{failed} not formatted (errors above)")
    click.echo(", ".join(parts), err=True)
    if failed or (check and changed):
        sys.exit(1)


@codebook.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--exit-code", is_flag=True, help="Exit 1 when the codebooks differ.")
def diff(old: Path, new: Path, exit_code: bool) -> None:
    """Semantic difference from OLD to NEW, by code id."""
    from qualcode.codebook.diff import diff_codebooks
    from qualcode.codebook.load import load_codebook

    result = diff_codebooks(load_codebook(old).codebook, load_codebook(new).codebook)
    for line in result.lines:
        click.echo(line)
    click.echo(result.summary())
    if exit_code and not result.empty:
        sys.exit(1)


@codebook.command()
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("ours", type=click.Path(path_type=Path))
@click.argument("theirs", type=click.Path(path_type=Path))
@click.option("-o", "--output", metavar="OUT", help="Write here (default: standard output).")
@click.option("--name", metavar="NAME", help="The file's name in messages (git: %P).")
def merge(base: Path, ours: Path, theirs: Path, output: str | None, name: str | None) -> None:
    """Three-way merge by code id and field; exit 1 on conflicts (ours' value is kept).

    \b
    As a git merge driver (.gitattributes: *.yaml merge=qualcode-codebook):
    git config merge.qualcode-codebook.driver \\
      "qualcode codebook merge %O %A %B -o %A --name %P"
    """
    from qualcode.codebook.files import write_output
    from qualcode.codebook.merge import merge_files

    shown = name or (output if output not in (None, "-") else str(ours))
    merged = merge_files(base, ours, theirs, shown)
    write_output(output, merged.text.encode("utf-8"))
    if merged.dropped_comments:
        count = _plural(merged.dropped_comments, "comment")
        click.echo(f"qualcode: note: {count} below the top of {shown} dropped", err=True)
    for line in merged.report:
        click.echo(line, err=True)
    if merged.report:
        click.echo(
            f"qualcode: {_plural(len(merged.report), 'conflict')}: {shown} holds ours' value "
            "there; edit it, then `qualcode codebook lint` and commit",
            err=True,
        )
        sys.exit(1)


@codebook.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["qdc"]), default="qdc", show_default=True)
@click.option("-o", "--output", metavar="OUT.qdc", help="Write here (default: standard output).")
@click.option(
    "--lang", default="en", show_default=True, type=LANG_CHOICE, help="Language of names."
)
def export_command(file: Path, fmt: str, output: str | None, lang: str) -> None:
    """A codebook as a REFI-QDA codebook (.qdc) for NVivo, ATLAS.ti, MAXQDA, QualCoder."""
    from qualcode.codebook.files import write_output
    from qualcode.codebook.lint import ERROR, lint_files
    from qualcode.codebook.load import load_codebook
    from qualcode.codebook.qdc import export_qdc

    errors = [p for p in lint_files([file]) if p.severity == ERROR]
    if errors:
        raise CodebookError(f"{errors[0].render()}: fix it first (`qualcode codebook lint`)")
    book = load_codebook(file).codebook
    write_output(output, export_qdc(book, lang))
    _note(
        output,
        f"exported {_plural(len(book.codes), 'code')} under {_plural(len(book.targets), 'target')}"
        f" to {output or 'standard output'} (names in {lang}, format {fmt})",
    )


@codebook.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", metavar="FILE.yaml", help="Write here (default: standard output).")
@click.option(
    "--lang", default="en", show_default=True, type=LANG_CHOICE, help="Language of the names."
)
@click.option(
    "--id", "codebook_id", metavar="ID", help="Codebook id (default: from the file name)."
)
def import_command(file: Path, output: str | None, lang: str, codebook_id: str | None) -> None:
    """A REFI-QDA codebook (.qdc, or the codebook in a .qdpx project) as a YAML codebook."""
    from qualcode.codebook.files import write_output
    from qualcode.codebook.fmt import check_lossless, format_codebook
    from qualcode.codebook.qdc_import import import_codebook

    imported = import_codebook(file, lang, codebook_id)
    book = imported.codebook
    source = f" ({imported.origin})" if imported.origin else ""
    header = [f"# Imported from {file.name}{source} by `qualcode codebook import`."]
    text = format_codebook(book, header)
    check_lossless(book, text, output or "<stdout>")
    write_output(output, text.encode("utf-8"))
    themes = f", {_plural(len(book.themes), 'theme')}" if book.themes else ""
    _note(
        output,
        f"imported {_plural(len(book.codes), 'code')} under "
        f"{_plural(len(book.targets), 'target')}{themes} from {file} "
        f"into {output or 'standard output'}",
    )
    for note in imported.notes:
        _note(output, f"  {note}")


@codebook.command()
@_FILES
@click.pass_obj
def use(context: Context, files: tuple[Path, ...]) -> None:
    """Load codebooks into the project; run again after edits to reconcile."""
    from qualcode.codebook.reconcile import use_codebooks

    for line in use_codebooks(context.open().engine, files):
        click.echo(line)


def _note(output: str | None, message: str) -> None:
    """A message on stdout, or on stderr when stdout carries the output."""
    click.echo(message, err=output in (None, "-"))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
