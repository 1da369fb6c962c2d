"""Quick evaluation of codebook-only term suggestions on the gold files of corpora/.

    python bench/term_eval.py [--lang da] [--split tune|heldout|all] [--threshold 0.3]
                              [--codebook codebooks/impact.yaml] [--show fn|fp|all] [--code ID]
                              [--corpus corpora]

The corpus is split per language into a tuning half (odd-numbered files: da-01, da-03, ...)
and a held-out half (even-numbered), so that term work on one half can be checked on the
other. `qualcode evaluate` gives the same figures through a project; this script is the fast
loop for editing terms.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.gold_turns import answers, read_gold  # noqa: E402
from qualcode.suggest.engine import DEFAULT_THRESHOLD, TermSuggester  # noqa: E402
from qualcode.suggest.terms import code_specs  # noqa: E402


def split_of(name: str) -> str:
    number = int(re.match(r"[a-z]+-[a-z]?(\d+)", name).group(1))  # type: ignore[union-attr]
    return "tune" if number % 2 else "heldout"


def prf(counts: list[int]) -> tuple[float, float, float]:
    tp, fp, fn = counts
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="all")
    parser.add_argument("--split", default="all", choices=["tune", "heldout", "all"])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--codebook", default=str(REPO / "codebooks" / "impact.yaml"))
    parser.add_argument("--show", choices=["fn", "fp", "all", "none"], default="none")
    parser.add_argument("--code", default=None)
    parser.add_argument(
        "--corpus",
        default=str(REPO / "corpora"),
        help="Folder of transcripts' gold files (e.g. bench/unseen for the blind set).",
    )
    parser.add_argument(
        "--no-context",
        dest="context",
        action="store_false",
        help="Ignore the interviewer's question before each answer.",
    )
    args = parser.parse_args()
    specs = code_specs(yaml.safe_load(Path(args.codebook).read_text(encoding="utf-8")))
    names = {s.id: s.names for s in specs}
    suggesters: dict[str, TermSuggester] = {}
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    baseline: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    per_code: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for gold in sorted(Path(args.corpus).rglob("*.gold.jsonl")):
        language = gold.name[:2]
        if args.lang not in ("all", language):
            continue
        if args.split != "all" and split_of(gold.name) != args.split:
            continue
        suggester = suggesters.setdefault(language, TermSuggester(specs, language))
        name_language = "nb" if language == "nn" else language
        for turn, question in answers(read_gold(gold)):
            expected = set(turn["codes"])
            suggestions = [
                s
                for s in suggester.suggest(turn["text"], question if args.context else None)
                if s.confidence >= args.threshold
            ]
            predicted = {s.code for s in suggestions}
            lowered = turn["text"].lower()
            named = {
                c
                for c, n in names.items()
                if n.get(name_language) and n[name_language].lower() in lowered
            }
            for bucket, guess in ((totals, predicted), (baseline, named)):
                bucket[language][0] += len(guess & expected)
                bucket[language][1] += len(guess - expected)
                bucket[language][2] += len(expected - guess)
            for code in expected | predicted:
                row = per_code[code]
                row[0] += code in expected and code in predicted
                row[1] += code in predicted and code not in expected
                row[2] += code in expected and code not in predicted
            wrong = (
                (expected - predicted)
                if args.show == "fn"
                else ((predicted - expected) if args.show == "fp" else expected ^ predicted)
            )
            if args.code:
                wrong &= {args.code}
            if args.show != "none" and wrong:
                print(f"--- {gold.name} turn {turn['turn']} gold={sorted(expected)}")
                print("   ", turn["text"])
                for s in suggestions:
                    mark = "ok" if s.code in expected else "FP"
                    print(f"    {mark} {s.code} {s.confidence} {s.explanation}")
                for code in sorted(expected - predicted):
                    print(f"    FN {code}")
    for language in sorted(totals):
        p, r, f = prf(totals[language])
        bp, br, bf = prf(baseline[language])
        print(
            f"{language}: P {p:.3f} R {r:.3f} F1 {f:.3f} | baseline P {bp:.3f} R {br:.3f} "
            f"F1 {bf:.3f} | tp/fp/fn {totals[language]}"
        )
    all_counts = [sum(t[i] for t in totals.values()) for i in range(3)]
    p, r, f = prf(all_counts)
    print(f"all: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    if args.show == "none" and args.code is None:
        worst = sorted(per_code.items(), key=lambda kv: prf(kv[1])[2])
        print("per code (tp, fp, fn) worst first:")
        for code, counts in worst:
            print(f"  {code:45s} {counts} F1 {prf(counts)[2]:.2f}")


if __name__ == "__main__":
    main()
