"""How far could the nearest coded turns lift the learning experiment of issue 4, at best?

Same halves as `bench/learning_fast.py` (odd-numbered files coded, even-numbered scored).
For every held-out turn, its k most similar coded turns of the same language (the TF-IDF
over character n-grams that `NearestTurns` uses) offer their codes. Printed per k: how many
of the codebook's misses those codes would recover if an oracle took exactly the right ones
(the F1 that would give), how many wrong codes they offer beside them, and the F1 if all
were taken. No learner chooses better than the oracle, so this bounds what votes of
neighbours can add on this corpus.

    python bench/learning_ceiling.py [--corpus corpora]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.learning_fast import inputs, load, prf  # noqa: E402
from qualcode.suggest.engine import DEFAULT_THRESHOLD, TermSuggester  # noqa: E402
from qualcode.suggest.learned import (  # noqa: E402
    MIN_SIMILARITY,
    Example,
    NearestTurns,
)
from qualcode.suggest.terms import code_specs  # noqa: E402
from qualcode.suggesting import Learner  # noqa: E402

DEPTHS = (1, 3, 7)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(REPO / "corpora"))
    args = parser.parse_args()
    specs = code_specs(
        yaml.safe_load((REPO / "codebooks" / "impact.yaml").read_text(encoding="utf-8"))
    )
    tp = fp = fn = 0
    recovered = dict.fromkeys(DEPTHS, 0)
    offered_wrong = dict.fromkeys(DEPTHS, 0)
    for language, documents in sorted(load(Path(args.corpus)).items()):
        coded, held_out = [], []
        for name, turns in documents:
            number = int(re.match(r"[a-z]+-[a-z]?(\d+)", name).group(1))  # type: ignore[union-attr]
            (coded if number % 2 == 1 else held_out).append((name, turns))
        examples = [
            Example(name, t.number, t.text, frozenset(codes), language=language)
            for name, turns in coded
            for t, codes in inputs(turns)
        ]
        nearest = NearestTurns.build(examples)
        codebook_only = Learner(TermSuggester(specs, language), [], specs)
        for name, turns in held_out:
            batch = inputs(turns)
            suggested = codebook_only.suggest(name, [t for t, _ in batch])
            similarities = nearest._similarities([t.text for t, _ in batch]) if nearest else None
            for position, ((_, expected), found) in enumerate(zip(batch, suggested)):
                predicted = {s.code for s in found if s.confidence >= DEFAULT_THRESHOLD}
                tp += len(predicted & expected)
                fp += len(predicted - expected)
                fn += len(expected - predicted)
                if similarities is None:
                    continue
                row = similarities[position]
                order = [i for i in row.argsort()[::-1] if row[i] >= MIN_SIMILARITY]
                for depth in DEPTHS:
                    offered = set().union(*(examples[i].accepted for i in order[:depth]))
                    recovered[depth] += len((expected - predicted) & offered)
                    offered_wrong[depth] += len(offered - expected - predicted)
    print(f"codebook only: P {prf(tp, fp, fn)[0]:.3f} R {prf(tp, fp, fn)[1]:.3f} "
          f"F1 {prf(tp, fp, fn)[2]:.3f}; {fn} codes missed")  # fmt: skip
    for depth in DEPTHS:
        gained, wrong = recovered[depth], offered_wrong[depth]
        print(
            f"{depth} nearest: offer {gained} of the {fn} missed codes and {wrong} wrong ones "
            f"({gained / max(gained + wrong, 1):.0%} right); oracle F1 "
            f"{prf(tp + gained, fp, fn - gained)[2]:.3f}, all taken F1 "
            f"{prf(tp + gained, fp + wrong, fn - gained)[2]:.3f}"
        )


if __name__ == "__main__":
    main()
