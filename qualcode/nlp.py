"""spaCy pipelines per language (blank, rule-based sentences), loaded once and cached.

Trained Scandinavian pipelines cannot be installed here and nothing is downloaded at run
time, so every pipeline is `spacy.blank(lang)` with the rule-based sentencizer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
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


def sentence_spans(language: str, texts: Iterable[str]) -> Iterator[list[tuple[int, int]]]:
    """For each text, its sentences as (start, end) character offsets, whitespace trimmed."""
    nlp = pipeline(language)
    for doc in nlp.pipe(texts, batch_size=256):
        spans = []
        for sentence in doc.sents:
            start = sentence.start_char
            end = sentence.end_char
            if sentence.text.strip():
                spans.append((start, end))
        yield spans
