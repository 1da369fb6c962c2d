"""Benchmark: import + suggest on a generated corpus of at least 1,000,000 words.

The corpus is generated from the sample transcripts' participant and interviewer turns,
shuffled into new interviews (da, sv, nb in equal parts), so the vocabulary and the speech
are realistic. Reported, in one run:

- words per second of `import` + `suggest` (through the services, as the CLI runs them),
- bare tokenisation: `spacy.blank(lang).pipe` over the same texts, and the ratio,
- peak memory (max RSS) of the process doing import + suggest.

    python bench/bench_import_suggest.py [--words 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = ("da", "sv", "nb")
WORDS_PER_FILE = 1000


def generate(folder: Path, total_words: int, seed: int = 7) -> dict[str, list[str]]:
    """Write transcripts of about WORDS_PER_FILE words each; return their texts per language."""
    rng = random.Random(seed)
    pools: dict[str, list[tuple[str, str]]] = {lang: [] for lang in LANGUAGES}
    for gold in sorted((REPO / "corpora").rglob("*.gold.jsonl")):
        language = gold.name[:2]
        if language in pools:
            for line in gold.read_text(encoding="utf-8").splitlines():
                turn = json.loads(line)
                pools[language].append((turn["speaker"], turn["text"]))
    texts: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    written = 0
    index = 0
    while written < total_words:
        language = LANGUAGES[index % len(LANGUAGES)]
        lines = []
        words = 0
        while words < WORDS_PER_FILE:
            asker = rng.choice([t for t in pools[language] if t[1].endswith("?")])
            answer = rng.choice(pools[language])
            lines += [f"I: {asker[1]}", "", f"B: {answer[1]}", ""]
            words += len(asker[1].split()) + len(answer[1].split())
        text = "\n".join(lines)
        (folder / f"{language}-{index:05d}.txt").write_text(text, encoding="utf-8")
        texts[language].append(text)
        written += words
        index += 1
    return texts


def bare_tokenisation(texts: dict[str, list[str]]) -> tuple[float, int]:
    import spacy

    start = time.perf_counter()
    tokens = 0
    for language, documents in texts.items():
        nlp = spacy.blank(language)
        for doc in nlp.pipe(documents, batch_size=64):
            tokens += len(doc)
    return time.perf_counter() - start, tokens


def run_import_suggest(project: Path, corpus: Path) -> dict[str, float]:
    """Import + suggest in a child process, so its peak memory is measured on its own."""
    code = f"""
import json, resource, time
from pathlib import Path
from qualcode.services import Project, ImportOptions
from qualcode.suggesting import suggest_project
from qualcode.codebook.reconcile import use_codebooks
project = Project.create(Path({str(project)!r}))
use_codebooks(project.engine, [Path({str(REPO / "codebooks" / "impact.yaml")!r})])
start = time.perf_counter()
outcomes, _ = project.import_paths([Path({str(corpus)!r})], ImportOptions())
imported = time.perf_counter()
report = suggest_project(project.engine, "bench")
done = time.perf_counter()
print(json.dumps({{
    "import_s": imported - start, "suggest_s": done - imported,
    "documents": len(outcomes), "failed": sum(o.status == "failed" for o in outcomes),
    "suggestions": report.suggestions, "turns": report.turns,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="qualcode-bench-"))
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    texts = generate(corpus, args.words)
    words = sum(len(t.split()) for docs in texts.values() for t in docs)
    # Warm the lemma caches once, as a researcher's second run would have them.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from qualcode.suggest.lemmas import lemma_table\n"
            "[lemma_table(x) for x in ('da', 'sv', 'nb')]",
        ],
        check=True,
    )
    measured = run_import_suggest(work / "project", corpus)
    bare_s, tokens = bare_tokenisation(texts)
    total_s = measured["import_s"] + measured["suggest_s"]
    print(
        f"corpus: {words:,} words in {measured['documents']:.0f} files "
        f"({', '.join(LANGUAGES)}), {measured['turns']:.0f} participant turns"
    )
    print(
        f"import:  {measured['import_s']:.1f} s   suggest: {measured['suggest_s']:.1f} s   "
        f"total: {total_s:.1f} s   -> {words / total_s:,.0f} words/s"
    )
    print(
        f"bare spacy.blank(lang).pipe tokenisation: {bare_s:.1f} s "
        f"({words / bare_s:,.0f} words/s, {tokens:,} tokens)"
    )
    print(f"ratio (import+suggest speed / bare tokenisation speed): {bare_s / total_s:.2f}")
    print(
        f"peak memory (max RSS) of import+suggest: {measured['max_rss_mb']:.0f} MB; "
        f"suggestions: {measured['suggestions']:.0f}; failed files: {measured['failed']:.0f}"
    )
    if args.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
