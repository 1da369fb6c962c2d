"""`qualcode evaluate`: turn-level precision, recall and F1 against gold files, beside the
name-search baseline (a turn gets a code when the code's name appears in it, as NVivo's
and QualCoder's text-search auto-coding does)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from qualcode.errors import DataError
from qualcode.storage import codings_repo


@dataclass
class Counts:
    """True positives, false positives and false negatives over (turn, code) pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[str], expected: set[str]) -> None:
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    """Scores for the project's codings and for the baseline, per code and overall."""

    documents: list[str] = field(default_factory=list)
    codebooks: list[str] = field(default_factory=list)
    turns: int = 0
    per_code: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    baseline_per_code: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    per_language: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    baseline_per_language: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))

    @staticmethod
    def micro(table: dict[str, Counts]) -> Counts:
        total = Counts()
        for counts in table.values():
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
        return total

    @staticmethod
    def macro(table: dict[str, Counts]) -> tuple[float, float, float]:
        if not table:
            return (0.0, 0.0, 0.0)
        n = len(table)
        return (
            sum(c.precision for c in table.values()) / n,
            sum(c.recall for c in table.values()) / n,
            sum(c.f1 for c in table.values()) / n,
        )


def _gold_codes(files: list[Path]) -> set[str]:
    codes: set[str] = set()
    for gold in files:
        for line in gold.read_text(encoding="utf-8").split("\n"):
            try:
                codes.update(json.loads(line).get("codes", []))
            except (json.JSONDecodeError, AttributeError):
                continue
    return codes


def gold_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(path.rglob("*.gold.jsonl"))
    raise DataError("no such file or folder", path=str(path))


def evaluate(
    engine: Engine,
    gold_path: Path,
    status: str = "all",
    coder: str | None = None,
    threshold: float | None = None,
) -> Evaluation:
    """Compare the project's codings (status all = suggested and accepted) with gold files."""
    files = gold_files(gold_path)
    if not files:
        raise DataError("no *.gold.jsonl files here", path=str(gold_path))
    statuses = ["suggested", "accepted"] if status == "all" else [status]
    result = Evaluation()
    with Session(engine) as session:
        documents = codings_repo.documents_by_name(session)
        by_stem = {Path(name).stem: row for name, row in documents.items()}
        codes = codings_repo.active_codes(session)
        rows = codings_repo.coding_rows(session, statuses, coder)
    gold_codes = _gold_codes(files)
    codebook_of = {code["id"]: code.get("_codebook") for code in codes}
    # Score only the codebooks the gold annotators used: a gold file coded with the impact
    # codebook says nothing about the levels codebook's codes.
    books = {codebook_of.get(code) for code in gold_codes} - {None}
    in_scope = {code for code, book in codebook_of.items() if book in books} | gold_codes
    result.codebooks = sorted(b for b in books if b)
    names = {code["id"]: code.get("name", {}) for code in codes if code["id"] in in_scope}
    predicted: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in rows:
        if row["turn"] is None or row["code"] not in in_scope:
            continue
        if (
            threshold is not None
            and row["status"] == "suggested"
            and (row["confidence"] or 0.0) < threshold
        ):
            continue
        predicted[(row["document"], row["turn"])].add(row["code"])
    for gold in files:
        stem = gold.name[: -len(".gold.jsonl")]
        document = by_stem.get(stem)
        if document is None:
            raise DataError(
                f"no document {stem}.* in the project for this gold file", path=str(gold)
            )
        result.documents.append(document.name)
        language = document.language
        name_language = "nb" if language == "nn" else language
        for number, line in enumerate(gold.read_text(encoding="utf-8").split("\n"), start=1):
            if not line.strip():
                continue
            try:
                turn = json.loads(line)
                expected = set(turn["codes"])
                turn_number = int(turn["turn"])
                text = str(turn.get("text", ""))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                raise DataError(
                    f"line {number}: not a gold turn (gold-format.md)", path=str(gold)
                ) from None
            result.turns += 1
            got = predicted.get((document.name, turn_number), set())
            lowered = text.lower()
            baseline = {
                code
                for code, name in names.items()
                if name.get(name_language) and name[name_language].lower() in lowered
            }
            for code in expected | got:
                result.per_code[code].add(got & {code}, expected & {code})
            for code in expected | baseline:
                result.baseline_per_code[code].add(baseline & {code}, expected & {code})
            result.per_language[language].add(got, expected)
            result.baseline_per_language[language].add(baseline, expected)
    return result
