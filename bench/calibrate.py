"""Fit the confidence calibration of term suggestions on the development corpus.

Every term suggestion (no threshold) on the participant turns of the held-out half of
corpora/ (even-numbered files, whose text the term lists were not tuned on) is labelled
right or wrong against the gold codes; a logistic regression of that label on the raw term
score gives the (slope, intercept) for `qualcode.suggest.engine.CALIBRATION`. The script
prints the fit and a reliability table (confidence bucket -> share of right suggestions),
with the calibration currently in the code and with the new fit.

    python bench/calibrate.py [--split heldout|tune|all] [GOLD_FILE_OR_FOLDER ...]
                              [--as-of FOLDER=REVISION ...]

A blind set's misses get read and the term lists tuned on them, after which its suggestions
are better than those of transcripts nobody has seen. `--as-of bench/unseen3=9b735e7`
scores that folder's files with the codebook as it was at that git revision, the one the set
was first measured blind with.
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.gold_turns import answers, read_gold  # noqa: E402
from qualcode.suggest import engine  # noqa: E402
from qualcode.suggest.terms import code_specs  # noqa: E402


def gold_files(split: str, paths: list[str]) -> list[Path]:
    """The gold files of corpora/'s split, or every gold file under the given paths."""
    if paths:
        found: list[Path] = []
        for path in map(Path, paths):
            found.extend(sorted(path.rglob("*.gold.jsonl")) if path.is_dir() else [path])
        return found
    chosen = []
    for gold in sorted((REPO / "corpora").rglob("*.gold.jsonl")):
        number = int(re.match(r"[a-z]+-(\d+)", gold.name).group(1))  # type: ignore[union-attr]
        if split == "all" or (number % 2 == 1) == (split == "tune"):
            chosen.append(gold)
    return chosen


def codebook_at(revision: str | None) -> dict:
    """The shipped codebook now, or as it was at a git revision."""
    if revision is None:
        return yaml.safe_load((REPO / "codebooks" / "impact.yaml").read_text("utf-8"))
    shown = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{revision}:codebooks/impact.yaml"],
        capture_output=True,
        text=True,
        check=True,
    )
    return yaml.safe_load(shown.stdout)


def samples(
    files: list[Path], as_of: dict[Path, str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    as_of = as_of or {}
    suggesters: dict[tuple[str | None, str], engine.TermSuggester] = {}
    specs: dict[str | None, list] = {}
    scores, right = [], []
    for gold in files:
        language = gold.name[:2]
        revision = next(
            (rev for folder, rev in as_of.items() if gold.resolve().is_relative_to(folder)), None
        )
        if revision not in specs:
            specs[revision] = code_specs(codebook_at(revision))
        suggester = suggesters.setdefault(
            (revision, language), engine.TermSuggester(specs[revision], language)
        )
        for turn, question in answers(read_gold(gold)):
            for suggestion in suggester.suggest(turn["text"], question):
                scores.append(suggestion.score)
                right.append(suggestion.code in turn["codes"])
    return np.array(scores), np.array(right, dtype=float)


def fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Logistic regression of y on x by Newton's method (two parameters)."""
    a, b = 1.0, 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a * x + b)))
        w = p * (1 - p)
        gradient = np.array([np.sum((y - p) * x), np.sum(y - p)])
        hessian = np.array([[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        step = np.linalg.solve(hessian + 1e-9 * np.eye(2), gradient)
        a, b = a + step[0], b + step[1]
        if np.max(np.abs(step)) < 1e-8:
            break
    return float(a), float(b)


def table(x: np.ndarray, y: np.ndarray, slope: float, intercept: float) -> list[str]:
    confidence = 1 / (1 + np.exp(-(slope * x + intercept)))
    lines = []
    for low in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        high = {0.0: 0.3, 0.8: 1.01}.get(low, low + 0.1)
        mask = (confidence >= low) & (confidence < high)
        if mask.any():
            lines.append(
                f"  {low:.1f}-{min(high, 1.0):.1f}: {int(mask.sum()):4d} suggestions, "
                f"mean confidence {confidence[mask].mean():.2f}, "
                f"right {y[mask].mean():.2f}"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="heldout", choices=["heldout", "tune", "all"])
    parser.add_argument(
        "gold",
        nargs="*",
        help="Gold files or folders to fit on instead of a split of corpora/ "
        "(transcripts the term lists were not tuned on).",
    )
    parser.add_argument(
        "--as-of",
        action="append",
        default=[],
        metavar="FOLDER=REVISION",
        help="Score the gold files under FOLDER with the codebook of a git revision.",
    )
    args = parser.parse_args()
    files = gold_files(args.split, args.gold)
    as_of = {}
    for given in args.as_of:
        folder, _, revision = given.partition("=")
        if not revision:
            parser.error(f"--as-of {given}: write FOLDER=REVISION")
        as_of[Path(folder).resolve()] = revision
    x, y = samples(files, as_of)
    where = ", ".join(args.gold) if args.gold else f"the {args.split} split of corpora/"
    print(f"{len(x)} term suggestions in {len(files)} files of {where}, {y.mean():.2f} right")
    current = engine.CALIBRATION
    print(f"current calibration {current}:")
    print("\n".join(table(x, y, *current)))
    slope, intercept = fit(x, y)
    print(f"fitted calibration ({slope:.2f}, {intercept:.2f}):")
    print("\n".join(table(x, y, slope, intercept)))
    loss = -np.mean(
        y * np.log(1 / (1 + np.exp(-(slope * x + intercept))))
        + (1 - y) * np.log(1 - 1 / (1 + np.exp(-(slope * x + intercept))))
    )
    print(
        f"log loss {loss:.3f} (a constant {y.mean():.2f} would give "
        f"{-(y.mean() * math.log(y.mean()) + (1 - y.mean()) * math.log(1 - y.mean())):.3f})"
    )


if __name__ == "__main__":
    main()
