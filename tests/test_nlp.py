"""Sentences: the fast finder gives exactly what spaCy's blank pipeline + sentencizer gives."""

from __future__ import annotations

import json
import random
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.nlp import PUNCT_CHARS, pipeline, sentence_spans
from tests.conftest import CORPORA


def reference(language: str, texts: list[str]) -> list[list[tuple[int, int]]]:
    """The sentences as spaCy's pipeline finds them (what import stored before)."""
    return [
        [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
        for doc in pipeline(language).pipe(texts)
    ]


def test_punctuation_is_the_sentencizers() -> None:
    from spacy.pipeline.sentencizer import Sentencizer

    assert set(Sentencizer.default_punct_chars) == PUNCT_CHARS
    assert pipeline("da").get_pipe("sentencizer").punct_chars == PUNCT_CHARS


def test_every_turn_of_the_sample_corpus() -> None:
    for language in ("da", "sv", "nb", "nn"):
        texts = [
            json.loads(line)["text"]
            for gold in sorted(CORPORA.rglob(f"{language}-*.gold.jsonl"))
            for line in gold.read_text("utf-8").splitlines()
        ]
        assert texts
        assert list(sentence_spans(language, texts)) == reference(language, texts)


def test_edge_cases() -> None:
    texts = [
        "",
        " ",
        "Hej.",
        "Hej. ",
        "Hej.  Du er her.",
        "Hej.\u00a0Du.",
        '"Hej." "Du?" (ja) nej!',
        "Det var kl. 14.30 bl.a. f.eks. ca. 3 dage... Ja?! Nej.",
        "Det er DK. Og A. Jensen. 1.5 mio.",
        "  Starter med mellemrum. Og slutter med  ",
        "Spørgsmål?\tSvar.\nNy linje.\u2028Skift。Kinesisk！",
        "Emoji 😀. Og 𑁇 tegn.",
        "...",
        ". . .",
        "Nej -- ikke. – Jo.",
    ]
    for language in ("da", "sv", "nb", "en", "xx"):
        assert list(sentence_spans(language, texts)) == reference(language, texts)


_PIECES = [
    "hej",
    "Du",
    "A",
    "Å",
    "DK",
    "ÆØ",
    "Øh",
    "ca",
    "jan",
    "Dr",
    "nr",
    "straße",
    "1.5",
    "kl.",
    "bl.a.",
    "f.eks.",
    "(",
    ")",
    '"',
    "«",
    "»",
    "-",
    "–",
    "…",
    "...",
    "?!",
    "!",
    "?",
    ".",
    ",",
    ":",
    "。",
    "€",
    "😀",
    "https://x.dk/a.b",
]
_SPACES = [" ", " ", "", "  ", "\n", "\t", "\u00a0", " \n ", "\u3000"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_PIECES) | st.text(max_size=3), st.sampled_from(_SPACES)),
        max_size=12,
    ),
    st.sampled_from(["da", "sv", "nb"]),
)
def test_random_texts(parts: list[tuple[str, str]], language: str) -> None:
    text = "".join(piece + space for piece, space in parts)
    assert list(sentence_spans(language, [text])) == reference(language, [text])


def test_whitespace_is_what_the_tokenizer_calls_whitespace() -> None:
    import re

    space = re.compile(r"\s")
    rng = random.Random(3)
    for code in [*range(0, 0x3100), *rng.sample(range(0x3100, sys.maxunicode + 1), 5000)]:
        char = chr(code)
        assert bool(space.match(char)) == char.isspace(), hex(code)


@pytest.mark.parametrize(
    "text", ["aA.  ", "Hun har en PhD. Nu underviser hun.", "Det er NAV. Og så?", "Ja! Nej? Jo."]
)
def test_a_period_stays_on_a_word_where_spacy_keeps_it(text: str) -> None:
    """spaCy splits "." off after a lower-case letter or two capitals only ("PhD." is one
    token, so no sentence ends there); found by the property test above."""
    for language in ("da", "sv", "nb"):
        assert list(sentence_spans(language, [text])) == reference(language, [text])
