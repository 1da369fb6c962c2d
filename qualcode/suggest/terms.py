"""Codebook search terms compiled per language into a matcher over word tokens.

A term is a word (matched on its lemma and all its inflected forms), a phrase (its words in
order, a couple of words apart at most, in one sentence), or a stem with `*` that may start
(`brugerrepræsentant*`), end (`*medvirkning`) or sit inside (`*indflydelse*`) a compound.
Words the lemma table does not know (misspellings, dialect, new compounds) may still match a
term word by fuzzy similarity (rapidfuzz).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from qualcode.suggest.lemmas import Lemmatizer
from qualcode.suggest.tokens import Tokens

MIN_STEM = 5
MAX_ENDING = 4
PHRASE_GAP = 2
FUZZY_MIN_LENGTH = 7
FUZZY_CUTOFF = 88.0

# Words of spoken Scandinavian that sit inside a phrase without changing it.
FILLERS = frozenset(
    "øh øhm æh eh ehm öh hm mm altså alltså liksom lissom typ ju jo nok vel ba sgu "
    "egentlig egentligen faktisk faktiskt "
    # degree words: "bestemt ganske mye før" is still "bestemt før"
    "ganske meget mye mykje mycket lidt lite litt helt heilt rigtig riktig virkelig verkeleg "
    "verkligen veldig svært rätt".split()
)

# Frequent words that make poor anchors for a phrase search.
COMMON_WORDS = frozenset(
    "jeg jag eg du han hun hon ho vi me de dei dem der det den som har have ha hade havde "
    "hadde var være vara vere blive bli bliver blir blev ble blei vart kan kunne skal skulle "
    "vil ville ikke inte ikkje ingen noget något noko nogen någon nokon meget mycket mye "
    "mykje også ogsa også og och at att å til till for för med på om af av fra från frå "
    "men så sånn sådan slik bare bara berre godt bra fint mere mer meir".split()
)

WEIGHTS = {"phrase": 1.0, "word": 0.8, "stem": 0.7, "name": 0.9, "fuzzy": 0.5}


@dataclass(frozen=True)
class CodeSpec:
    """What the suggester needs of a code: id, polarity, names and search terms."""

    id: str
    polarity: str
    names: dict[str, str]
    terms: dict[str, list[str]]


@dataclass(frozen=True)
class WordPattern:
    """One word of a term."""

    kind: str  # word | prefix | suffix | infix
    text: str


@dataclass(frozen=True)
class Term:
    """A compiled search term of one code."""

    code: str
    text: str
    words: tuple[WordPattern, ...]
    kind: str  # word | phrase | stem | name

    @property
    def weight(self) -> float:
        return WEIGHTS[self.kind]

    @property
    def word_set(self) -> frozenset[str]:
        return frozenset(word.text for word in self.words)


@dataclass(frozen=True)
class Hit:
    """A term matched in a token list: token range and how the first word matched."""

    term: Term
    first: int
    last: int
    fuzzy: bool = False


def language_terms(code: CodeSpec, language: str) -> list[str]:
    """A code's terms for a document language; Nynorsk adds its own to the Bokmål ones."""
    if language == "nn":
        return [*code.terms.get("nn", []), *code.terms.get("nb", [])]
    return list(code.terms.get(language, []))


def code_specs(codebook: dict) -> list[CodeSpec]:
    """CodeSpecs from a codebook as loaded from YAML (docs/codebook-format.md)."""
    specs = []
    for code in codebook.get("codes", []):
        specs.append(
            CodeSpec(
                id=code["id"],
                polarity=code.get("polarity", "neutral"),
                names=dict(code.get("name", {})),
                terms={k: [str(t) for t in v or []] for k, v in (code.get("terms") or {}).items()},
            )
        )
    return specs


# The phrases a word anchors whose first step away from it (see _first_step) goes the same
# way and may skip as many words: direction, gap, and the (term id, position) keys wanted
# there.
StepGroup = tuple[int, int, frozenset[tuple[int, int]]]
# Per word type: every (term, word position) it matches, the anchors among them, fuzzily?,
# the one-word terms among them, and the phrases among them grouped by their first step.
Entry = tuple[
    frozenset[tuple[int, int]],
    tuple[tuple[int, int], ...],
    bool,
    tuple["Term", ...],
    tuple[StepGroup, ...],
]


@dataclass
class TermMatcher:
    """All terms of a set of codes for one language, indexed for fast token lookup."""

    language: str
    lemmatizer: Lemmatizer
    terms: list[Term] = field(default_factory=list)
    _by_form: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    _by_lemma: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    _prefix: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    _suffix: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    _infix: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    _fuzzy_words: list[str] = field(default_factory=list)
    _lengths: list[tuple[int, ...]] = field(default_factory=list)
    _anchors: list[int] = field(default_factory=list)
    _entries: dict[str, Entry] = field(default_factory=dict)
    _fuzzy_targets: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _cache: dict[str, tuple[tuple[tuple[int, int], ...], bool]] = field(default_factory=dict)
    # Lengths the stems come in, so a word is cut only into pieces some stem could be.
    _prefix_sizes: frozenset[int] = frozenset()
    _suffix_sizes: frozenset[int] = frozenset()
    _infix_sizes: tuple[int, ...] = ()
    # Per word length, the fuzzy words whose length lets them reach FUZZY_CUTOFF.
    _fuzzy_by_length: dict[int, list[str]] = field(default_factory=dict)
    # Per term, the first step _around takes from the anchor (the key wanted, direction,
    # words it may skip), or None for a one-word term.
    _first_steps: list[tuple[tuple[int, int], int, int] | None] = field(default_factory=list)

    @classmethod
    def build(cls, codes: Iterable[CodeSpec], language: str) -> TermMatcher:
        matcher = cls(language=language, lemmatizer=Lemmatizer(language))
        name_language = "nb" if language == "nn" else language
        sources: list[tuple[str, str, str]] = []  # (code, term or name, origin)
        for code in codes:
            sources += [(code.id, raw, "term") for raw in language_terms(code, language)]
            names = (code.names.get(name_language), code.names.get("en"))
            sources += [(code.id, name, "name") for name in names if name]
        # The terms' lemmas in one query, not one per word.
        matcher.lemmatizer.table.prefetch(
            word.strip("*") for _, raw, _ in sources for word in raw.lower().split()
        )
        seen: dict[str, set[str]] = defaultdict(set)
        for code_id, raw, origin in sources:
            matcher._add(code_id, raw, origin, seen[code_id])
        matcher._fuzzy_words = sorted(matcher._fuzzy_targets)
        matcher._prefix_sizes = frozenset(len(stem) for stem in matcher._prefix)
        matcher._suffix_sizes = frozenset(len(stem) for stem in matcher._suffix)
        matcher._infix_sizes = tuple(sorted({len(stem) for stem in matcher._infix}))
        matcher._first_steps = [
            matcher._first_step(term_id) for term_id in range(len(matcher.terms))
        ]
        return matcher

    def _first_step(self, term_id: int) -> tuple[tuple[int, int], int, int] | None:
        lengths = self._lengths[term_id]
        anchor = self._anchors[term_id]
        if len(lengths) == 1:
            return None
        if anchor > 0:  # _around looks before the anchor first, as _step counts the gap
            return (term_id, anchor - 1), -1, PHRASE_GAP if lengths[anchor] >= 4 else 0
        return (term_id, anchor + 1), 1, PHRASE_GAP if lengths[anchor + 1] >= 4 else 0

    def _add(self, code: str, raw: str, origin: str, seen: set[str]) -> None:
        text = " ".join(raw.lower().replace("’", "'").split())
        if not text or text in seen:
            return
        seen.add(text)
        words: list[WordPattern] = []
        for word in text.split():
            core = word.strip("*")
            if word.startswith("*") and word.endswith("*") and len(core) >= MIN_STEM:
                words.append(WordPattern("infix", core))
            elif word.endswith("*") and len(core) >= MIN_STEM:
                words.append(WordPattern("prefix", core))
            elif word.startswith("*") and len(core) >= MIN_STEM:
                words.append(WordPattern("suffix", core))
            elif core:
                words.append(WordPattern("word", core))
        if not words:
            return
        if origin == "name":
            kind = "name"
        elif len(words) > 1:
            kind = "phrase"
        else:
            kind = "stem" if words[0].kind != "word" else "word"
        term_id = len(self.terms)
        self.terms.append(Term(code, text, tuple(words), kind))
        self._lengths.append(tuple(len(word.text) for word in words))
        self._anchors.append(
            max(
                range(len(words)),
                key=lambda i: (words[i].text not in COMMON_WORDS, len(words[i].text), -i),
            )
        )
        for position, pattern in enumerate(words):
            key = (term_id, position)
            if pattern.kind == "word":
                # A token matches when it is the term itself, or its lemma is the term or
                # the term's lemma: every inflected form, without expanding the table.
                self._by_form[pattern.text].append(key)
                self._by_lemma[pattern.text].append(key)
                for lemma in (
                    self.lemmatizer.lemma(pattern.text),
                    self.lemmatizer.extra_lemma(pattern.text),
                ):
                    if lemma and lemma != pattern.text:
                        self._by_lemma[lemma].append(key)
                if len(pattern.text) >= FUZZY_MIN_LENGTH:
                    self._fuzzy_targets.setdefault(pattern.text, []).append(key)
            else:
                index = {"prefix": self._prefix, "suffix": self._suffix, "infix": self._infix}
                index[pattern.kind][pattern.text].append(key)

    def lookup(self, word: str) -> tuple[tuple[tuple[int, int], ...], bool]:
        """(term id, word position) pairs a lower-cased token matches, and whether fuzzily."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        keys: list[tuple[int, int]] = []
        keys.extend(self._by_form.get(word, ()))
        lemma = self.lemmatizer.lemma(word)
        if lemma != word:
            keys.extend(self._by_lemma.get(lemma, ()))
        extra = self.lemmatizer.extra_lemma(word)
        if extra is not None and extra != lemma:
            keys.extend(self._by_lemma.get(extra, ()))
        length = len(word)
        if length >= MIN_STEM:
            for size in range(MIN_STEM, length + 1):
                if size in self._prefix_sizes:
                    keys.extend(self._prefix.get(word[:size], ()))
                if size not in self._suffix_sizes:
                    continue
                # `*medvirkning` ends a compound that may still take an inflection:
                # brukermedvirkning, brukermedvirkningen, brukermedvirkningens.
                for ending in range(0, min(MAX_ENDING, length - size) + 1):
                    keys.extend(
                        self._suffix.get(word[length - ending - size : length - ending], ())
                    )
            if self._infix:
                for start in range(0, length - MIN_STEM + 1):
                    for size in self._infix_sizes:
                        if start + size <= length:
                            keys.extend(self._infix.get(word[start : start + size], ()))
        fuzzy = False
        if (
            not keys
            and length >= FUZZY_MIN_LENGTH
            and self._fuzzy_words
            and word not in self.lemmatizer.table
        ):
            best = process.extractOne(
                word, self._fuzzy_candidates(length), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if best is not None:
                keys.extend(self._fuzzy_targets[best[0]])
                fuzzy = True
        result = (tuple(dict.fromkeys(keys)), fuzzy)
        self._cache[word] = result
        return result

    def _fuzzy_candidates(self, length: int) -> list[str]:
        """The fuzzy words, in order, that a word of this length could match at all.

        fuzz.ratio is 100 * (1 - indel distance / total length), and the distance is at
        least the difference in length: words too much longer or shorter are left out
        before rapidfuzz compares them, which changes no result."""
        found = self._fuzzy_by_length.get(length)
        if found is None:
            found = self._fuzzy_by_length[length] = [
                word
                for word in self._fuzzy_words
                if 100.0 * (1.0 - abs(length - len(word)) / (length + len(word)))
                >= FUZZY_CUTOFF - 1e-6
            ]
        return found

    def prepare(self, texts: Iterable[Tokens]) -> None:
        """Look up, in one go, the words of many texts not met before (a document's turns):
        one query for their lemmas instead of one per text."""
        known = self._entries
        new = {word for tokens in texts for word in tokens.lower if word not in known}
        if new:
            self.lemmatizer.table.prefetch(new)
            for word in new:
                self._entry(word)

    def find(self, tokens: Tokens) -> list[Hit]:
        """Every term occurrence in a text's tokens.

        A phrase is tried only where its anchor (its longest word) occurs, then matched
        outwards from there; common short words never start a search.
        """
        words = tokens.lower
        known = self._entries.get
        entries = [known(word) for word in words]
        if None in entries:  # words not met before: their lemmas read in one go
            self.lemmatizer.table.prefetch(w for w, e in zip(words, entries) if e is None)
            entries = [entry or self._entry(word) for word, entry in zip(words, entries)]
        keysets: list[frozenset[tuple[int, int]]] = []
        sentences: list[int] = []
        hits: list[Hit] = []
        # Most words start no term: only those that do are looked at.
        for index in [i for i, entry in enumerate(entries) if entry[1]]:
            _, triggers, fuzzy, singles, groups = entries[index]
            if not groups:
                for term in singles:
                    hits.append(Hit(term, index, index, fuzzy))
                continue
            if not keysets:
                keysets = [entry[0] for entry in entries]
                sentences = tokens.sentence
            # Frequent words anchor many phrases, and most phrases fail at the word next to
            # the anchor: that first step is looked at once for all phrases that take it
            # (the words within reach, the keys wanted there), before any phrase is matched.
            reached: set[tuple[int, int]] = set()
            sentence = sentences[index]
            for direction, gap, wanted in groups:
                candidate = index + direction
                skipped = 0
                while 0 <= candidate < len(words) and sentences[candidate] == sentence:
                    if not wanted.isdisjoint(keysets[candidate]):
                        reached |= wanted & keysets[candidate]
                    if words[candidate] not in FILLERS:
                        skipped += 1
                        if skipped > gap:
                            break
                    candidate += direction
            if not reached:
                for term in singles:
                    hits.append(Hit(term, index, index, fuzzy))
                continue
            for term_id, position in triggers:
                first_step = self._first_steps[term_id]
                if first_step is None:  # a one-word term
                    hits.append(Hit(self.terms[term_id], index, index, fuzzy))
                elif first_step[0] in reached:
                    span = self._around(term_id, position, index, keysets, sentences, words)
                    if span is not None:
                        hits.append(Hit(self.terms[term_id], span[0], span[1], fuzzy))
        return hits

    def _entry(self, word: str) -> Entry:
        entry = self._entries.get(word)
        if entry is None:
            keys, fuzzy = self.lookup(word)
            triggers = tuple(k for k in keys if k[1] == self._anchors[k[0]])
            singles = tuple(self.terms[t] for t, _ in triggers if self._first_steps[t] is None)
            grouped: dict[tuple[int, int], set[tuple[int, int]]] = {}
            for term_id, _ in triggers:
                first_step = self._first_steps[term_id]
                if first_step is not None:
                    key, direction, gap = first_step
                    grouped.setdefault((direction, gap), set()).add(key)
            groups = tuple((d, g, frozenset(wanted)) for (d, g), wanted in grouped.items())
            entry = (frozenset(keys), triggers, fuzzy, singles, groups)
            self._entries[word] = entry
        return entry

    def _around(
        self,
        term_id: int,
        anchor: int,
        index: int,
        keysets: Sequence[frozenset[tuple[int, int]]],
        sentences: Sequence[int],
        words: Sequence[str],
    ) -> tuple[int, int] | None:
        """First and last token of the phrase whose anchor word is at `index`, if it is there."""
        lengths = self._lengths[term_id]
        first = index
        for position in range(anchor - 1, -1, -1):
            found = self._step(
                term_id, position, first, -1, lengths[position + 1], keysets, sentences, words
            )
            if found is None:
                return None
            first = found
        last = index
        for position in range(anchor + 1, len(lengths)):
            found = self._step(
                term_id, position, last, 1, lengths[position], keysets, sentences, words
            )
            if found is None:
                return None
            last = found
        return first, last

    @staticmethod
    def _step(
        term_id: int,
        position: int,
        start: int,
        direction: int,
        next_length: int,
        keysets: Sequence[frozenset[tuple[int, int]]],
        sentences: Sequence[int],
        words: Sequence[str],
    ) -> int | None:
        """The token of phrase word `position` next to `start` in `direction`, if any.

        Up to PHRASE_GAP other words may come between (none before a short word), and
        fillers ("liksom", "øh") never count.
        """
        gap = PHRASE_GAP if next_length >= 4 else 0
        skipped = 0
        candidate = start + direction
        while 0 <= candidate < len(keysets) and sentences[candidate] == sentences[start]:
            if (term_id, position) in keysets[candidate]:
                return candidate
            if words[candidate] not in FILLERS:
                skipped += 1
                if skipped > gap:
                    return None
            candidate += direction
        return None
