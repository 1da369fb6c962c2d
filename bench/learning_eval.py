"""Does qualcode learn from the researcher? The learning experiment of issue 4.

For each language, the gold codings of half the documents (odd-numbered files) are imported
as accepted codings; `suggest` then runs on the whole project and `evaluate` scores the
other half (even-numbered files). The same held-out half is also scored in a project with
no codings (codebook only). Everything runs through the `qualcode` command line.

    python bench/learning_eval.py [--corpus FOLDER ...] [--swap]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODEBOOK = REPO / "codebooks" / "impact.yaml"


def qualcode(project: Path, *args: str) -> str:
    command = [
        sys.executable,
        "-m",
        "qualcode",
        "--project",
        str(project),
        "--coder",
        "tool",
        *args,
    ]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def make_project(root: Path, corpora: list[Path]) -> Path:
    subprocess.run(
        [sys.executable, "-m", "qualcode", "init", str(root)], check=True, capture_output=True
    )
    qualcode(root, "import", *map(str, corpora))
    qualcode(root, "codebook", "use", str(CODEBOOK))
    return root


def micro_lines(report: str) -> list[str]:
    return [line for line in report.splitlines() if line.startswith(("micro", "macro"))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", nargs="+", type=Path, default=[REPO / "corpora"])
    parser.add_argument("--swap", action="store_true", help="learn from even, score odd")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="qualcode-learning-"))
    held_out = work / "held-out-gold"
    held_out.mkdir()
    training = []
    for gold in sorted(g for folder in args.corpus for g in folder.rglob("*.gold.jsonl")):
        number = int(re.match(r"[a-z]+-[a-z]?(\d+)", gold.name).group(1))  # type: ignore[union-attr]
        if (number % 2 == 1) != args.swap:
            training.append(gold)
        else:
            shutil.copy(gold, held_out / gold.name)
    baseline = make_project(work / "codebook-only", args.corpus)
    qualcode(baseline, "suggest")
    learned = make_project(work / "learned", args.corpus)
    for gold in training:
        qualcode(learned, "import", "codings", str(gold), "--coder", "gold")
    print(qualcode(learned, "suggest").strip())
    before = qualcode(baseline, "evaluate", "--gold", str(held_out), "--coder", "tool")
    after = qualcode(learned, "evaluate", "--gold", str(held_out), "--coder", "tool")
    print(f"held-out gold files: {', '.join(sorted(p.name for p in held_out.iterdir()))}")
    print("codebook only (held-out half):")
    print("\n".join("  " + line for line in micro_lines(before)))
    print("after importing the other half's gold codings as accepted:")
    print("\n".join("  " + line for line in micro_lines(after)))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
