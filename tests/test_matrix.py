"""`qualcode matrix` against a plain reference implementation, on a generated project."""

from __future__ import annotations

import csv
import functools
import io
import json
import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import POSTGRES_URL, REPO, Run, database_url, jsonl

CODEBOOK = REPO / "codebooks" / "impact.yaml"
SPEAKERS = ["B", "D1", "D2", "Lise"]


@pytest.fixture(scope="module", params=["sqlite", *(["postgresql"] if POSTGRES_URL else [])])
def generated(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Run]:
    """One generated project per backend: 6 documents, 400 random codings."""
    from click.testing import CliRunner

    from qualcode.cli import cli

    tmp_path = tmp_path_factory.mktemp("matrix")
    root = tmp_path / "project"
    runner = CliRunner()
    with database_url(request.param) as url:
        args = ["--db", url] if url else []
        assert runner.invoke(cli, [*args, "init", str(root)]).exit_code == 0

        def invoke(*args: str) -> object:
            return runner.invoke(cli, ["--project", str(root), *args])

        build_project(invoke, tmp_path)  # type: ignore[arg-type]
        yield invoke  # type: ignore[misc]


def build_project(run: Run, tmp_path: Path, seed: int = 3) -> None:
    rng = random.Random(seed)
    folder = tmp_path / "transcripts"
    folder.mkdir()
    sites = ["Aarhus", "Malmö", "+45 site", "@home"]
    for index in range(6):
        lines = []
        for turn in range(12):
            if turn % 2 == 0:
                lines.append(f"I: Hvordan var det med møde nummer {turn}? Fortæl.")
            else:
                speaker = rng.choice(SPEAKERS)
                lines.append(f"{speaker}: Det var godt. Vi blev hørt. Og det hjalp os {turn}.")
        name = f"=doc{index}.txt" if index == 0 else f"doc{index}.txt"
        (folder / name).write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        attrs = ["--attr", f"site={sites[index % 4]}"] if index != 5 else []
        assert run("import", str(folder / name), "--lang", "da", *attrs).exit_code == 0
    assert run("codebook", "use", str(CODEBOOK)).exit_code == 0
    codes = [c["id"] for c in codebook()["codes"]]
    segments = jsonl(run("export", "segments", "--unit", "sentence").stdout)
    records = set()
    for _ in range(400):
        segment = rng.choice([s for s in segments if s["role"] == "participant"])
        whole = rng.random() < 0.6
        records.add(
            json.dumps(
                {
                    "document": segment["document"],
                    "turn": segment["turn"],
                    "segment": 1 if whole else segment["segment"],
                    "code": rng.choice(codes[:30]),
                    "status": rng.choice(["accepted", "accepted", "suggested", "rejected"]),
                    "coder": rng.choice(["anna", "bo"]),
                    **({} if whole else {"start": segment["start"], "end": segment["end"]}),
                },
                sort_keys=True,
            )
        )
    file = tmp_path / "codings.jsonl"
    file.write_text("\n".join(sorted(records)) + "\n", encoding="utf-8")
    result = run("import", "codings", str(file))
    assert result.exit_code == 0, result.stderr


@functools.lru_cache(maxsize=1)
def codebook() -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(CODEBOOK.read_text("utf-8"), Loader=loader)


def reference(run: Run, options: dict[str, str]) -> list[list[str]]:
    """The contract's definition, computed plainly from the exported data."""
    book = codebook()
    codes = {c["id"]: c for c in book["codes"]}
    polarity, rows, cols = options["polarity"], options["rows"], options["cols"]
    count, status = options["count"], options["status"]
    statuses = {
        "accepted": {"accepted"},
        "suggested": {"suggested"},
        "all": {"accepted", "suggested"},
    }[status]
    documents = {d["name"]: d for d in jsonl(run("documents", "--format", "jsonl").stdout)}
    turns = jsonl(run("export", "segments").stdout)
    speaker = {(t["document"], t["turn"]): t["speaker"] for t in turns}

    def column_of(document: str, turn: int) -> str:
        if cols == "document":
            return document
        if cols == "language":
            return documents[document]["language"]
        if cols == "speaker":
            return speaker[(document, turn)] or "(none)"
        return documents[document]["attributes"].get(cols, "(none)")

    def rows_of(code: str) -> list[str]:
        if rows == "code":
            return [code]
        if rows == "target":
            return [codes[code]["target"]]
        return [t["id"] for t in book.get("themes", []) if code in t["codes"]]

    cells: dict[tuple[str, str], set] = defaultdict(set)
    row_units: dict[str, set] = defaultdict(set)
    col_units: dict[str, set] = defaultdict(set)
    everything: set = set()
    for coding in jsonl(run("export", "codings").stdout):
        code = coding["code"]
        if codes[code]["polarity"] != polarity or coding["status"] not in statuses:
            continue
        if options.get("coder") and coding["coder"] != options["coder"]:
            continue
        unit = (
            coding["document"]
            if count == "documents"
            else (coding["document"], coding["turn"], coding["segment"])
        )
        column = column_of(coding["document"], coding["turn"])
        for row in rows_of(code):
            cells[(row, column)].add(unit)
            row_units[row].add(unit)
        col_units[column].add(unit)
        everything.add(unit)
    if cols == "document":
        columns = set(documents)
    elif cols == "language":
        columns = {d["language"] for d in documents.values()}
    elif cols == "speaker":
        columns = {t["speaker"] for t in turns if t["role"] == "participant"}
    else:
        columns = {d["attributes"].get(cols, "(none)") for d in documents.values()}
    ordered_columns = sorted(columns | {c for _, c in cells})
    if rows == "code":
        order = [c["id"] for c in book["codes"] if c["polarity"] == polarity]
    elif rows == "target":
        order = [
            t["id"]
            for t in book["targets"]
            if any(c["target"] == t["id"] and c["polarity"] == polarity for c in book["codes"])
        ]
    else:
        order = [
            t["id"]
            for t in book.get("themes", [])
            if any(codes[c]["polarity"] == polarity for c in t["codes"])
        ]
    table = [[rows, *ordered_columns, "Total"]]
    for row in order:
        table.append(
            [row, *(str(len(cells[(row, c)])) for c in ordered_columns), str(len(row_units[row]))]
        )
    table.append(
        ["Total", *(str(len(col_units[c])) for c in ordered_columns), str(len(everything))]
    )
    return table


def inert(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


OPTION_SETS = [
    {},
    {"polarity": "negative"},
    {"rows": "code", "cols": "language"},
    {"rows": "theme", "cols": "site"},
    {"cols": "speaker", "count": "documents"},
    {"polarity": "negative", "rows": "code", "status": "all", "coder": "anna"},
    {"rows": "theme", "cols": "document", "status": "suggested", "count": "documents"},
]


@pytest.mark.parametrize(
    "given", OPTION_SETS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults"
)
def test_matrix_matches_reference(run: Run, tmp_path: Path, given: dict[str, str]) -> None:
    build_project(run, tmp_path)
    options = {
        "polarity": "positive",
        "rows": "target",
        "cols": "document",
        "count": "segments",
        "status": "accepted",
        **given,
    }
    args = ["matrix", "--format", "csv"]
    for key, value in given.items():
        args += [f"--{key}", value]
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    got = list(csv.reader(io.StringIO(result.stdout)))
    expected = [[inert(cell) for cell in row] for row in reference(run, options)]
    assert got == expected


def test_formula_cells_are_inert_and_semicolon_bom(generated: Run, tmp_path: Path) -> None:
    run = generated
    out = tmp_path / "m.csv"
    assert (
        run(
            "matrix",
            "--cols",
            "site",
            "--format",
            "csv",
            "--delimiter",
            ";",
            "--bom",
            "-o",
            str(out),
        ).exit_code
        == 0
    )
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0].split(";")
    assert "'+45 site" in header and "'@home" in header
    by_document = run("matrix", "--format", "csv").stdout
    assert "'=doc0.txt" in by_document.splitlines()[0]
    by_speaker = run("matrix", "--cols", "speaker", "--format", "csv").stdout
    for line in (by_document + by_speaker).splitlines():
        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_quotes_behind_a_cell(generated: Run, tmp_path: Path) -> None:
    run = generated
    table = list(csv.reader(io.StringIO(run("matrix", "--format", "csv").stdout)))
    header = table[0]
    row = next(r for r in table[1:-1] if any(v not in ("0", "") for v in r[1:-1]))
    column_index = next(i for i, v in enumerate(row[1:-1], start=1) if v != "0")
    column = header[column_index].lstrip("'")
    found = jsonl(run("quotes", "--row", row[0], "--col", column, "--format", "jsonl").stdout)
    units = {(q["document"], q["turn"]) for q in found}
    assert found and len(units) <= int(row[column_index])
    assert all(q["target"] == row[0] and q["document"] == column for q in found)


def test_exports_xlsx_svg_markdown_framework(generated: Run, tmp_path: Path) -> None:
    run = generated
    xlsx = tmp_path / "m.xlsx"
    assert run("matrix", "--format", "xlsx", "-o", str(xlsx)).exit_code == 0
    from openpyxl import load_workbook

    workbook = load_workbook(xlsx)
    assert workbook.sheetnames == ["positive", "negative"]
    assert workbook["positive"]["A1"].value == "target"
    svg = run("matrix", "--format", "svg", "--cols", "language").stdout
    assert svg.startswith("<svg") and "positive impact" in svg
    md = run("matrix", "--format", "md", "--polarity", "negative").stdout
    assert md.splitlines()[1].startswith("| ---")
    framework = run("matrix", "--quotes", "--format", "md", "--cols", "language").stdout
    assert "turn" in framework and "\u201c" in framework


def test_cooccurrence_is_symmetric(generated: Run, tmp_path: Path) -> None:
    run = generated
    table = list(csv.reader(io.StringIO(run("cooccurrence", "--format", "csv").stdout)))
    codes = table[0][1:]
    values = {(row[0], codes[i]): row[i + 1] for row in table[1:] for i in range(len(codes))}
    for (a, b), value in values.items():
        assert value == values[(b, a)]
    assert any(v not in ("", "0") for v in values.values())


def test_bad_column_is_one_line(generated: Run, tmp_path: Path) -> None:
    run = generated
    result = run("matrix", "--cols", "nosuch")
    assert result.exit_code == 1 and "no such case attribute" in result.stderr
