"""Sanity checks for the blind test set: run `python bench/unseen/check_gold.py` from the repo root.

- every code id is one of the 51 ids in ../shared/design/impact-codebook.md
- turns are numbered 1..N without gaps, 0-3 codes each, interviewer/moderator turns uncoded
- every gold `text` occurs verbatim in the .txt, in order, after its speaker label
- with --parser: qualcode's own transcript parser finds the same turns, speakers and texts
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CODEBOOK = HERE.parents[2] / "shared" / "design" / "impact-codebook.md"
INTERVIEWERS = {"Interviewer", "Lene Kruse", "I", "M", "Forsker"}


def codebook_ids() -> set[str]:
    ids = set(
        re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", CODEBOOK.read_text(encoding="utf-8"), re.M)
    )
    assert len(ids) == 51, f"expected 51 ids in {CODEBOOK}, found {len(ids)}"
    return ids


def check(txt: Path, ids: set[str], use_parser: bool) -> list[str]:
    errors: list[str] = []
    text = txt.read_text(encoding="utf-8")
    gold = [
        json.loads(line)
        for line in txt.with_suffix(".gold.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    pos = 0
    for i, row in enumerate(gold, 1):
        where = f"{txt.name} turn {row.get('turn')}"
        if set(row) != {"turn", "speaker", "text", "codes"}:
            errors.append(f"{where}: keys {sorted(row)}")
        if row["turn"] != i:
            errors.append(f"{where}: expected turn {i}")
        if not 0 <= len(row["codes"]) <= 3 or len(set(row["codes"])) != len(row["codes"]):
            errors.append(f"{where}: {len(row['codes'])} codes")
        for code in row["codes"]:
            if code not in ids:
                errors.append(f"{where}: unknown code {code}")
        if row["speaker"] in INTERVIEWERS and row["codes"]:
            errors.append(f"{where}: interviewer turn coded")
        found = text.find(f"{row['speaker']}: {row['text']}\n", pos)
        if found < 0:
            errors.append(f"{where}: text not found verbatim after its label")
        else:
            pos = found + len(row["text"])
    if use_parser:
        from qualcode.domain import Role
        from qualcode.ingest.plaintext import read_plaintext
        from qualcode.ingest.transcript import parse_transcript

        source = read_plaintext(txt)
        parsed = parse_transcript(source.text, source.paragraphs)
        if len(parsed.turns) != len(gold):
            errors.append(
                f"{txt.name}: parser finds {len(parsed.turns)} turns, gold has {len(gold)}"
            )
        for row, turn in zip(gold, parsed.turns):
            if (turn.speaker, turn.text) != (row["speaker"], row["text"]):
                errors.append(
                    f"{txt.name} {row['turn']}: parser reads {turn.speaker!r}: {turn.text[:30]!r}"
                )
            if (turn.role == Role.INTERVIEWER) != (row["speaker"] in INTERVIEWERS):
                errors.append(f"{txt.name} turn {row['turn']}: parser role {turn.role}")
    return errors


def main() -> int:
    ids = codebook_ids()
    use_parser = "--parser" in sys.argv
    errors: list[str] = []
    for txt in sorted(HERE.glob("*.txt")):
        errors += check(txt, ids, use_parser)
        gold = [
            json.loads(line)
            for line in txt.with_suffix(".gold.jsonl").read_text(encoding="utf-8").splitlines()
        ]
        coded = [r for r in gold if r["codes"]]
        pairs = sum(len(r["codes"]) for r in gold)
        codes = {c for r in gold for c in r["codes"]}
        words = sum(len(r["text"].split()) for r in gold)
        print(
            f"{txt.name}: {len(gold)} turns, {words} words in turns, {len(coded)} coded turns, "
            f"{pairs} (turn, code) pairs, {len(codes)} distinct codes"
        )
    for error in errors:
        print("ERROR", error)
    print("OK" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
