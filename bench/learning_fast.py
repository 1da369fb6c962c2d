"""Fast loop for the learning experiment of issue 4, in one process (no project database).

Per language, the gold codings of the odd-numbered files are the project's accepted codings
(each of those documents counts as worked through); suggestions are then scored on the
even-numbered files, once with the codebook only and once with what was learned.
`bench/learning_eval.py` runs the same experiment through the command line.

    python bench/learning_fast.py [--threshold 0.3] [--corpus corpora] [--swap]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.gold_turns import answers  # noqa: E402
from qualcode.suggest.engine import DEFAULT_THRESHOLD, TermSuggester  # noqa: E402
from qualcode.suggest.learned import Example  # noqa: E402
from qualcode.suggest.terms import code_specs  # noqa: E402
from qualcode.suggesting import Learner, TurnInput  # noqa: E402


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load(corpus: Path) -> dict[str, list[tuple[str, list[dict]]]]:
    documents: dict[str, list[tuple[str, list[dict]]]] = defaultdict(list)
    for gold in sorted(corpus.rglob("*.gold.jsonl")):
        turns = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
        documents[gold.name[:2]].append((gold.name, turns))
    return documents


def inputs(turns: list[dict]) -> list[tuple[TurnInput, set[str]]]:
    return [
        (TurnInput(turn["turn"], turn["text"], question), set(turn["codes"]))
        for turn, question in answers(turns)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--corpus", default=str(REPO / "corpora"))
    parser.add_argument("--swap", action="store_true", help="learn from even, score odd")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    specs = code_specs(
        yaml.safe_load((REPO / "codebooks" / "impact.yaml").read_text(encoding="utf-8"))
    )
    totals = {"codebook": defaultdict(lambda: [0, 0, 0]), "learned": defaultdict(lambda: [0, 0, 0])}
    all_examples: list[Example] = []
    per_language: dict[str, tuple[list, list]] = {}
    for language, documents in sorted(load(Path(args.corpus)).items()):
        train, test = [], []
        for name, turns in documents:
            number = int(re.match(r"[a-z]+-[a-z]?(\d+)", name).group(1))  # type: ignore[union-attr]
            (train if (number % 2 == 1) != args.swap else test).append((name, turns))
        examples = [
            Example(name, t.number, t.text, frozenset(codes), frozenset(), True, language)
            for name, turns in train
            for t, codes in inputs(turns)
        ]
        all_examples += examples
        per_language[language] = (examples, test)
    for language, (_examples, test) in per_language.items():
        suggester = TermSuggester(specs, language)
        plain = Learner(suggester, [], specs)
        learner = Learner(TermSuggester(specs, language), all_examples, specs)
        for name, turns in test:
            for kind, model in (("codebook", plain), ("learned", learner)):
                batch = inputs(turns)
                suggested = model.suggest(name, [t for t, _ in batch])
                for (turn, expected), found in zip(batch, suggested):
                    predicted = {s.code for s in found if s.confidence >= args.threshold}
                    counts = totals[kind][language]
                    counts[0] += len(predicted & expected)
                    counts[1] += len(predicted - expected)
                    counts[2] += len(expected - predicted)
                    if args.verbose and kind == "learned":
                        for s in found:
                            if s.source != "terms" and s.confidence >= args.threshold:
                                mark = "ok" if s.code in expected else "FP"
                                print(
                                    f"{mark} {name}:{turn.number} {s.code} {s.confidence} "
                                    f"{s.source} {s.explanation[:150]}"
                                )
    for kind, rows in totals.items():
        summed = [sum(r[i] for r in rows.values()) for i in range(3)]
        cells = " | ".join(f"{lang} F1 {prf(*rows[lang])[2]:.3f}" for lang in sorted(rows))
        p, r, f = prf(*summed)
        print(f"{kind:9s} micro P {p:.3f} R {r:.3f} F1 {f:.3f} | {cells}")


if __name__ == "__main__":
    main()
