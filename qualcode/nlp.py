"""spaCy pipelines per language (blank, rule-based sentences), loaded once and cached.

Trained Scandinavian pipelines cannot be installed here and nothing is downloaded at run
time, so every pipeline is `spacy.blank(lang)` with the rule-based sentencizer.

Sentences are found without running the pipeline over every word: spaCy's sentencizer only
looks at tokens that are one sentence-final character ('.', '!', '?', ...) and at the first
word after them, and spaCy's tokenizer splits each run of non-space characters on its own.
So `sentence_spans` gives exactly the pipeline's sentences while it asks the tokenizer only
about the few chunks that hold punctuation (each distinct chunk once), and walks over the
rest of the text with regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# spaCy has no Nynorsk language class; its Norwegian one tokenises Nynorsk well.
_SPACY_LANG = {"nn": "nb", "no": "nb"}
_KNOWN = {"da", "sv", "nb", "en", "de", "fi", "is"}


def spacy_code(language: str) -> str:
    """The spaCy language code used for a document language."""
    code = _SPACY_LANG.get(language, language)
    return code if code in _KNOWN else "xx"


@lru_cache(maxsize=8)
def pipeline(language: str) -> Language:
    """A blank pipeline with a sentencizer for a document language."""
    import spacy

    nlp = spacy.blank(spacy_code(language))
    nlp.add_pipe("sentencizer")
    return nlp


# spacy.pipeline.Sentencizer.default_punct_chars (spaCy 3.x), the sentencizer's defaults:
# a token that is exactly one of these ends a sentence.
PUNCT_CHARS = frozenset(
    "!.?։؟۔܀܁܂߹।॥၊။።፧፨᙮᜵᜶᠃᠉᥄᥅᪨᪩᪪᪫᭚᭛᭞᭟᰻᰼᱾᱿‼‽⁇⁈⁉⸮⸼꓿꘎꘏꛳꛷꡶꡷꣎꣏꤯꧈꧉꩝꩞꩟꫰꫱꯫﹒﹖﹗！．？"
    "𐩖𐩗𑁇𑁈𑂾𑂿𑃀𑃁𑅁𑅂𑅃𑇅𑇆𑇍𑇞𑇟𑈸𑈹𑈻𑈼𑊩𑑋𑑌𑗂𑗃𑗉𑗊𑗋𑗌𑗍𑗎𑗏𑗐𑗑𑗒𑗓𑗔𑗕𑗖𑗗𑙁𑙂𑜼𑜽𑜾𑩂𑩃𑪛𑪜𑱁𑱂𖩮𖩯𖫵𖬷𖬸𖭄𛲟𝪈｡。"
)
# Sentence-final characters; `\s` below is str.isspace, as in spaCy's tokenizer.
# Characters beyond the Basic Multilingual Plane are taken as one range (a class listing
# them is ten times slower to search), so a run with an emoji is looked at too, which
# changes nothing.
_FINAL_CHARACTER = re.compile(
    "["
    + "".join(re.escape(c) for c in sorted(PUNCT_CHARS) if ord(c) <= 0xFFFF)
    + "\U00010000-\U0010ffff]"
)
_NON_SPACE = re.compile(r"\S*")
_RUN = re.compile(r"\S+|\s+")

# A word of two or more Latin letters and one sentence-final character: spaCy's tokenizer
# splits it into the word and the character (unless a special case says otherwise), so the
# commonest chunk needs no tokenizer call. "!" and "?" always split off; "." only after a
# lower-case letter or two capitals (its suffix rules), so "PhD." and "aA." stay whole, as
# does an initial ("A.").
_WORD_AND_FINAL = re.compile(
    r"(?=[A-Za-zÀ-ÖØ-öø-ÿ]{2})(?:[A-Za-zÀ-ÖØ-öø-ÿ]*(?:[a-zß-öø-ÿ]|[A-ZÀ-ÖØ-Þ]{2})\.|"
    r"[A-Za-zÀ-ÖØ-öø-ÿ]+[!?])"
)

# Token kinds: a word (or space) may open a sentence, other punctuation is carried along.
_WORD, _PUNCT, _FINAL = 0, 1, 2
_CHUNK_CACHE_LIMIT = 200_000


class SentenceFinder:
    """The sentences spaCy's blank pipeline with the sentencizer finds, for one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._chunks: dict[str, tuple[tuple[int, int], ...]] = {}
        self._special_cases: frozenset[str] | None = None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sentences of a text as (start, end) character offsets; blank ones left out."""
        if not text:
            return []
        starts = [0]
        seen_final = False
        position = 0
        for found in _FINAL_CHARACTER.finditer(text):
            if found.start() < position:
                continue  # in the run of non-space already looked at
            # The run of non-space characters around it, as spaCy's tokenizer takes it.
            chunk_start = found.start()
            while chunk_start > position and not text[chunk_start - 1].isspace():
                chunk_start -= 1
            chunk_end = _NON_SPACE.match(text, found.end()).end()  # type: ignore[union-attr]
            if seen_final:
                opening = self._first_word(text, position, chunk_start)
                if opening is not None:
                    starts.append(opening)
                    seen_final = False
            for offset, kind in self._tokens(text[chunk_start:chunk_end]):
                if kind == _WORD:
                    if seen_final:
                        starts.append(chunk_start + offset)
                        seen_final = False
                elif kind == _FINAL:
                    seen_final = True
            position = chunk_end
        if seen_final:
            opening = self._first_word(text, position, len(text))
            if opening is not None:
                starts.append(opening)
        starts.append(len(text))
        spans = []
        for start, following in pairwise(starts):
            end = _token_end(text, following)
            if text[start:end].strip():
                spans.append((start, end))
        return spans

    def _first_word(self, text: str, start: int, end: int) -> int | None:
        """Offset of the first token in text[start:end] that may open a sentence.

        `start` is the end of a run of non-space characters (or of the text), `end` the start
        of one; no sentence-final character lies in between."""
        if (
            start + 1 < end
            and text[start] == " "
            and (text[start + 1].isalnum() or text[start + 1].isspace())
        ):
            # The common case, "word. Next": one space (no token), then a word; or more
            # space, which is a token of its own.
            return start + 1
        for run in _RUN.finditer(text, start, end):
            begin = run.start()
            if text[begin].isspace():
                # A single space after a word belongs to no token; more space is a token.
                if text[begin] == " " and begin > 0 and not text[begin - 1].isspace():
                    begin += 1
                if begin < run.end():
                    return begin
                continue
            if text[begin].isalnum():
                return begin  # a token starting with a letter or digit is no punctuation
            for offset, kind in self._tokens(run.group()):
                if kind == _WORD:
                    return begin + offset
        return None

    def _tokens(self, chunk: str) -> tuple[tuple[int, int], ...]:
        """(offset, kind) of each token spaCy's tokenizer makes of a run of non-space."""
        found = self._chunks.get(chunk)
        if found is None and _WORD_AND_FINAL.fullmatch(chunk):
            if self._special_cases is None:
                self._special_cases = frozenset(pipeline(self.language).tokenizer.rules)
            if chunk not in self._special_cases and chunk[:-1] not in self._special_cases:
                found = ((0, _WORD), (len(chunk) - 1, _FINAL))
        if found is None:
            tokenizer = pipeline(self.language).tokenizer
            found = tuple(
                (
                    token.idx,
                    _FINAL if token.text in PUNCT_CHARS else _PUNCT if token.is_punct else _WORD,
                )
                for token in tokenizer(chunk)
            )
            if len(self._chunks) >= _CHUNK_CACHE_LIMIT:
                self._chunks.clear()
            self._chunks[chunk] = found
        return found


def _token_end(text: str, start: int) -> int:
    """Where the token before offset `start` ends: a single space after a word is no token."""
    if start >= 2 and text[start - 1] == " " and not text[start - 2].isspace():
        return start - 1
    return start


@lru_cache(maxsize=8)
def sentence_finder(language: str) -> SentenceFinder:
    return SentenceFinder(spacy_code(language))


def sentence_spans(language: str, texts: Iterable[str]) -> Iterator[list[tuple[int, int]]]:
    """For each text, its sentences as (start, end) character offsets, whitespace trimmed."""
    finder = sentence_finder(language)
    for text in texts:
        yield finder.spans(text)
