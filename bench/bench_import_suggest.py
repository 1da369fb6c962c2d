"""Benchmark: import + suggest on a generated corpus of at least 1,000,000 words.

The corpus is generated from the sample transcripts (da, sv, nb in equal parts): their
sentences and clauses recombined, words replaced by others of the same transcripts (so by
their frequency), word order varied, fillers, names and numbers put in, and a long tail of
rarer words (other inflections of the transcripts' words, compounds of them), so that
nearly every sentence is new while the vocabulary stays that of the interviews. `--repetitive`
shuffles whole turns instead, as earlier versions did: then every sentence recurs hundreds
of times, and spaCy's tokenizer cache makes bare tokenisation unrealistically fast.

Reported, in one run, over the same texts:

- words per second of `import` + `suggest` (through the services, as the CLI runs them),
- bare tokenisation: `spacy.blank(lang).pipe` over the same texts, just before and just
  after, and the ratio to their mean (the spacy module is imported before the clock starts
  on both sides; making the pipelines is timed on both),
- peak memory: max RSS of the process doing import + suggest, and the peak of its RSS plus
  its workers' (sampled; forked workers share pages, so this overstates the total a little).

    python bench/bench_import_suggest.py [--words 1000000] [--rounds 5] [--repetitive] [--keep DIR]

A shared machine's speed drifts by a third from one second to the next, so the whole
measurement (bare tokenisation, import + suggest into a new project, bare tokenisation) is
repeated `--rounds` times (5 unless told); every round's ratio is printed, and the median
is the figure.

`QUALCODE_WORKERS` sets the number of worker processes (default: one per core).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = ("da", "sv", "nb")
WORDS_PER_FILE = 1000

# Per language: fillers of spoken language, first names, and phrases carrying a number.
FILLERS = {
    "da": ("øh", "altså", "ikke", "jo", "sådan", "ik'", "mm", "faktisk"),
    "sv": ("öh", "alltså", "liksom", "ju", "typ", "hm", "faktiskt", "va"),
    "nb": ("øh", "altså", "liksom", "jo", "på en måte", "mm", "egentlig", "vel"),
}
NAMES = {
    "da": "Hanne Mette Jonas Søren Birgitte Lars Kirsten Mads Freja Henrik Lone Anders".split(),
    "sv": "Maja Lena Sara Anders Karin Johan Elsa Erik Ingrid Nils Astrid Oskar".split(),
    "nb": "Kari Lars Ingrid Ola Silje Håkon Marit Eirik Nora Trond Sigrid Knut".split(),
}
NUMBERS = {
    "da": ("i {year}", "{n} gange", "for {n} år siden", "kl. {h}.{m:02d}", "{n} af os"),
    "sv": ("år {year}", "{n} gånger", "för {n} år sedan", "kl. {h}.{m:02d}", "{n} av oss"),
    "nb": ("i {year}", "{n} ganger", "for {n} år siden", "kl. {h}.{m:02d}", "{n} av oss"),
}
CONJUNCTIONS = {"da": ("og", "men", "fordi", "så"), "sv": ("och", "men", "för att", "så")}
CONJUNCTIONS["nb"] = ("og", "men", "fordi", "så")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Pool:
    """What one language's transcripts are made of: sentences, questions, word tokens."""

    sentences: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # every token, so sampling is by frequency
    forms: list[str] = field(default_factory=list)  # other inflections of the same words
    turns: list[tuple[str, str]] = field(default_factory=list)

    def rare_word(self, rng: random.Random) -> str:
        """A word of the long tail 24,000 words of sample cannot show: another inflection
        of a word the interviews use, or a compound of two of their words."""
        if rng.random() < 0.6:
            return rng.choice(self.forms)
        first, second = rng.choice(self.words), rng.choice(self.words)
        return (first + second).lower() if len(first) > 4 and len(second) > 4 else second


def _other_forms(language: str, words: list[str]) -> list[str]:
    from qualcode.suggest.lemmas import lemma_table

    table = lemma_table(language)
    by_lemma: dict[str, set[str]] = {}
    for form, lemma in table.items():
        by_lemma.setdefault(lemma, set()).add(form)
    vocabulary = {w.lower() for w in words}
    lemmas = {table.get(w, w) for w in vocabulary}
    return sorted(
        {f for lemma in lemmas for f in by_lemma.get(lemma, ()) if f.isalpha()} - vocabulary
    )


def pools() -> dict[str, Pool]:
    found: dict[str, Pool] = {lang: Pool() for lang in LANGUAGES}
    for gold in sorted((REPO / "corpora").rglob("*.gold.jsonl")):
        pool = found.get(gold.name[:2])
        if pool is None:
            continue
        for line in gold.read_text(encoding="utf-8").splitlines():
            turn = json.loads(line)
            pool.turns.append((turn["speaker"], turn["text"]))
            for sentence in _SENTENCE_END.split(turn["text"].strip()):
                if len(sentence.split()) < 2:
                    continue
                (pool.questions if sentence.endswith("?") else pool.sentences).append(sentence)
                pool.clauses += [c.strip() for c in sentence.rstrip(".!?").split(",")[1:]]
                pool.words += [w for w in sentence.split() if w.isalpha() and len(w) > 2]
    for language, pool in found.items():
        pool.forms = _other_forms(language, pool.words)
    return found


def vary(sentence: str, language: str, pool: Pool, rng: random.Random) -> str:
    """A new sentence of the same kind: clauses recombined, words swapped and replaced,
    fillers, names and numbers put in, as spontaneous speech goes."""
    end = sentence[-1] if sentence[-1] in ".!?" else "."
    body = sentence.rstrip(".!?")
    if pool.clauses and rng.random() < 0.5:
        conjunction = rng.choice(CONJUNCTIONS[language])
        body = f"{body}, {conjunction} {rng.choice(pool.clauses)}"
    words = body.split()
    for _ in range(rng.randint(0, 2)):
        i = rng.randrange(len(words))
        if words[i].isalpha() and len(words[i]) > 2:
            words[i] = rng.choice(pool.words).lower()
    if rng.random() < 0.6:
        words.insert(rng.randrange(1, len(words) + 1), pool.rare_word(rng))
    if len(words) > 3 and rng.random() < 0.6:
        i = rng.randrange(1, len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words) + 1), rng.choice(FILLERS[language]) + ",")
    if rng.random() < 0.3:
        number = rng.choice(NUMBERS[language]).format(
            year=rng.randint(1975, 2025),
            n=rng.randint(2, 400),
            h=rng.randint(7, 21),
            m=rng.choice((0, 15, 30, 45, rng.randint(0, 59))),
        )
        words.insert(rng.randrange(len(words) + 1), number)
    if rng.random() < 0.25:
        words.insert(rng.randrange(len(words) + 1), rng.choice(NAMES[language]))
    text = " ".join(words).rstrip(",")
    return text[:1].upper() + text[1:] + end


def interview(language: str, pool: Pool, rng: random.Random) -> tuple[list[str], int]:
    """Lines of one varied interview of about WORDS_PER_FILE words, and its word count."""
    lines: list[str] = []
    words = 0
    while words < WORDS_PER_FILE:
        question = [vary(rng.choice(pool.questions), language, pool, rng)]
        if rng.random() < 0.3:
            question.insert(0, vary(rng.choice(pool.sentences), language, pool, rng))
        answer = [
            vary(rng.choice(pool.sentences + pool.questions[:10]), language, pool, rng)
            for _ in range(rng.randint(1, 7))
        ]
        asked, said = " ".join(question), " ".join(answer)
        lines += [f"I: {asked}", "", f"B: {said}", ""]
        words += len(asked.split()) + len(said.split())
    return lines, words


def repetitive_interview(pool: Pool, rng: random.Random) -> tuple[list[str], int]:
    """The sample's own turns, shuffled: every sentence recurs hundreds of times."""
    lines: list[str] = []
    words = 0
    while words < WORDS_PER_FILE:
        asker = rng.choice([t for t in pool.turns if t[1].endswith("?")])
        answer = rng.choice(pool.turns)
        lines += [f"I: {asker[1]}", "", f"B: {answer[1]}", ""]
        words += len(asker[1].split()) + len(answer[1].split())
    return lines, words


def generate(
    folder: Path, total_words: int, seed: int = 7, repetitive: bool = False
) -> dict[str, list[str]]:
    """Write transcripts of about WORDS_PER_FILE words each; return their texts per language."""
    rng = random.Random(seed)
    found = pools()
    texts: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    written = 0
    index = 0
    while written < total_words:
        language = LANGUAGES[index % len(LANGUAGES)]
        if repetitive:
            lines, words = repetitive_interview(found[language], rng)
        else:
            lines, words = interview(language, found[language], rng)
        text = "\n".join(lines)
        (folder / f"{language}-{index:05d}.txt").write_text(text, encoding="utf-8")
        texts[language].append(text)
        written += words
        index += 1
    return texts


def unique_sentence_share(texts: dict[str, list[str]]) -> float:
    sentences = [
        s
        for documents in texts.values()
        for text in documents
        for line in text.splitlines()
        for s in _SENTENCE_END.split(line[3:])
        if s
    ]
    return len(set(sentences)) / max(len(sentences), 1)


def bare_tokenisation(texts: dict[str, list[str]]) -> tuple[float, int]:
    import spacy

    start = time.perf_counter()
    tokens = 0
    for language, documents in texts.items():
        nlp = spacy.blank(language)
        for doc in nlp.pipe(documents, batch_size=64):
            tokens += len(doc)
    return time.perf_counter() - start, tokens


CHILD = """
import json, resource, sys, time
from pathlib import Path
from qualcode.services import Project, ImportOptions
from qualcode.suggesting import suggest_project
from qualcode.codebook.reconcile import use_codebooks
project_dir, corpus, codebook = (Path(a) for a in sys.argv[1:4])
project = Project.create(project_dir)
use_codebooks(project.engine, [codebook])
# Library modules are loaded before the clock starts, as for the bare tokenisation (which
# imports spacy untimed too); building the pipelines is timed on both sides.
loading = time.perf_counter()
import spacy
spacy_import_s = time.perf_counter() - loading
start = time.perf_counter()
outcomes, _ = project.import_paths([corpus], ImportOptions())
imported = time.perf_counter()
report = suggest_project(project.engine, "bench")
done = time.perf_counter()
print(json.dumps({
    "import_s": imported - start, "suggest_s": done - imported,
    "spacy_import_s": spacy_import_s,
    "documents": len(outcomes), "failed": sum(o.status == "failed" for o in outcomes),
    "suggestions": report.suggestions, "turns": report.turns,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "max_child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def _tree_rss_mb(root: int) -> float:
    """RSS of a process and its children (Linux /proc; 0 elsewhere)."""
    total = 0
    pids = [root]
    try:
        children = Path(f"/proc/{root}/task/{root}/children").read_text().split()
        pids += [int(pid) for pid in children]
    except OSError:
        return 0.0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def run_import_suggest(project: Path, corpus: Path) -> dict[str, float]:
    """Import + suggest in a child process, so its peak memory is measured on its own."""
    codebook = REPO / "codebooks" / "impact.yaml"
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project), str(corpus), str(codebook)],
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _tree_rss_mb(process.pid))
        time.sleep(0.05)
    output = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        raise SystemExit(f"import + suggest failed (exit status {process.returncode})")
    measured = json.loads(output.strip().splitlines()[-1])
    measured["peak_tree_rss_mb"] = peak
    return measured


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument(
        "--repetitive", action="store_true", help="shuffle whole turns (the old corpus)"
    )
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=5, help="measurements; the median counts")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds: give at least 1")
    work = args.keep or Path(tempfile.mkdtemp(prefix="qualcode-bench-"))
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    texts = generate(corpus, args.words, repetitive=args.repetitive)
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
    rounds = []
    for number in range(args.rounds):
        # Bare tokenisation just before and just after: a shared machine's speed drifts.
        bare_before, tokens = bare_tokenisation(texts)
        measured = run_import_suggest(work / f"project-{number + 1}", corpus)
        bare_after, _ = bare_tokenisation(texts)
        rounds.append((measured, bare_before, bare_after))
    print(
        f"corpus: {words:,} words in {measured['documents']:.0f} files "
        f"({', '.join(LANGUAGES)}), {measured['turns']:.0f} participant turns, "
        f"{unique_sentence_share(texts):.0%} of sentences unique"
        + (" (--repetitive)" if args.repetitive else "")
    )
    print(f"workers: {os.environ.get('QUALCODE_WORKERS', 'default (one per core)')}")
    ratios = []
    for number, (measured, bare_before, bare_after) in enumerate(rounds, start=1):
        bare_s = (bare_before + bare_after) / 2
        total_s = measured["import_s"] + measured["suggest_s"]
        ratios.append(bare_s / total_s)
        loading = measured["spacy_import_s"]
        print(
            f"round {number}: import {measured['import_s']:.2f} s + suggest "
            f"{measured['suggest_s']:.2f} s = {total_s:.2f} s ({words / total_s:,.0f} words/s); "
            f"bare spacy.blank(lang).pipe {bare_s:.2f} s ({words / bare_s:,.0f} words/s, "
            f"{tokens:,} tokens; {bare_before:.2f} s before, {bare_after:.2f} s after); "
            f"ratio {bare_s / total_s:.2f} ({bare_s / (total_s + loading):.2f} counting "
            f"`import spacy`, {loading:.2f} s, untimed on both sides)"
        )
    print(
        f"ratio (import+suggest speed / bare tokenisation speed), median of {len(ratios)}: "
        f"{statistics.median(ratios):.2f} (range {min(ratios):.2f}-{max(ratios):.2f})"
    )
    print(
        f"peak memory: main process {max(r[0]['max_rss_mb'] for r in rounds):.0f} MB "
        f"(max RSS), with its workers {max(r[0]['peak_tree_rss_mb'] for r in rounds):.0f} MB "
        f"(sampled RSS sum; largest worker "
        f"{max(r[0]['max_child_rss_mb'] for r in rounds):.0f} MB)"
    )
    print(f"suggestions: {measured['suggestions']:.0f}; failed files: {measured['failed']:.0f}")
    if args.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
