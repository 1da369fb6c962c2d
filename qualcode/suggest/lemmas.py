"""Lookup lemmas per language from spacy-lookups-data, POS-free, lower-cased.

Danish and Swedish ship large form -> lemma lookup tables. The Norwegian lookup table is
tiny; its real data are the POS-keyed exception tables (form -> lemmas per noun, verb,
adjective, adverb), merged here into one POS-free table. Nynorsk has no table of its own
and uses the Bokmål one plus a few rules for its own endings.

Building a table from the package's gzipped JSON takes a second or two, so the merged,
lower-cased table is kept in the user's cache folder and read as words are first met
(lemma_cache.py).
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from qualcode.suggest.lemma_cache import LemmaLookup, open_lookup

_POS_ORDER = ("verb", "noun", "adj", "adv")

# Endings of Nynorsk forms and the Bokmål-table forms to try instead (ikkje-forms are terms).
_NYNORSK_ENDINGS = (
    ("ane", "ene"),
    ("ar", "er"),
    ("ast", "es"),
    ("inga", "ingen"),
    ("a", "en"),
    ("de", "te"),
    ("te", "te"),
)


# Frequent verb forms that the lookup tables file under another word ("tog" -> "toga",
# "tør" -> "tø", "taget" -> "tag"): these lemmas are added to the table's, not put in place
# of them, so the noun readings still match too.
EXTRA_LEMMAS: dict[str, dict[str, str]] = {
    "da": {
        "tog": "tage",
        "taget": "tage",
        "lavet": "lave",
        "fundet": "finde",
        "holdt": "holde",
        "hørt": "høre",
        "tør": "turde",
        "turde": "turde",
        "turdet": "turde",
        "talte": "tale",
        "lod": "lade",
        "ladet": "lade",
        "satte": "sætte",
        "sat": "sætte",
        "valgt": "vælge",
        "valgte": "vælge",
        "bedt": "bede",
        "bad": "bede",
        "mødt": "møde",
        "mødte": "møde",
        "lært": "lære",
        "lærte": "lære",
        "delt": "dele",
        "delte": "dele",
        "løb": "løbe",
        "løbet": "løbe",
        "sjovere": "sjov",
        "gør": "gøre",
        "mente": "mene",
        "vokset": "vokse",
        "læste": "læse",
    },
    "sv": {
        "tog": "ta",
        "tagit": "ta",
        "fick": "få",
        "vågade": "våga",
        "vågat": "våga",
        "vågar": "våga",
        "satt": "sitta",
        "suttit": "sitta",
        "lade": "lägga",
        "la": "lägga",
        "lagt": "lägga",
        "valde": "välja",
        "valt": "välja",
        "bad": "be",
        "bett": "be",
        "mötte": "möta",
        "mött": "möta",
        "lärde": "lära",
        "lärt": "lära",
        "delade": "dela",
    },
    "nb": {
        "tør": "tørre",
        "turte": "tørre",
        "torde": "tørre",
        "turt": "tørre",
        "sett": "se",
        "blitt": "bli",
        "satt": "sitte",
        "sittet": "sitte",
        "la": "legge",
        "lagt": "legge",
        "valgte": "velge",
        "valgt": "velge",
        "ba": "be",
        "bedt": "be",
        "møtte": "møte",
        "lærte": "lære",
        "lært": "lære",
        "delte": "dele",
        "delt": "dele",
        "tok": "ta",
    },
}
# Nynorsk forms of the same verbs, mapped to the Bokmål lemmas its terms list.
EXTRA_LEMMAS["nn"] = {
    **EXTRA_LEMMAS["nb"],
    "fekk": "få",
    "gjekk": "gå",
    "sa": "si",
    "sagt": "si",
    "høyrde": "høre",
    "høyrt": "høre",
    "tok": "ta",
    "teke": "ta",
    "vart": "bli",
    "vorte": "bli",
    "blei": "bli",
    "kjende": "kjenne",
    "kjent": "kjenne",
    "visste": "vite",
    "veit": "vite",
    "forstod": "forstå",
    "forstått": "forstå",
    "snakka": "snakke",
    "spurde": "spørre",
    "spurt": "spørre",
    "hjelpte": "hjelpe",
    "fann": "finne",
    "funne": "finne",
    "gjorde": "gjøre",
    "gjort": "gjøre",
    "kom": "komme",
    "kome": "komme",
    "var": "være",
    "vore": "være",
}


def _data_dir() -> Path:
    import spacy_lookups_data

    return Path(spacy_lookups_data.__file__).resolve().parent / "data"


def _read(name: str) -> object:
    with gzip.open(_data_dir() / name, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _build(language: str) -> dict[str, str]:
    table: dict[str, str] = {}
    if language in {"da", "sv"}:
        raw = _read(f"{language}_lemma_lookup.json.gz")
        assert isinstance(raw, dict)
        for form, lemma in raw.items():
            table.setdefault(form.lower(), str(lemma).lower())
        return table
    if language == "nb":
        exceptions = _read("nb_lemma_exc.json.gz")
        assert isinstance(exceptions, dict)
        for pos in _POS_ORDER:
            for form, lemmas in exceptions.get(pos, {}).items():
                if lemmas:
                    table.setdefault(form.lower(), str(lemmas[0]).lower())
        lookup = _read("nb_lemma_lookup.json.gz")
        assert isinstance(lookup, dict)
        for form, lemma in lookup.items():
            table.setdefault(form.lower(), str(lemma).lower())
        return table
    return table


def _table_language(language: str) -> str | None:
    language = {"nn": "nb", "no": "nb"}.get(language, language)
    return language if language in {"da", "sv", "nb"} else None


def lemma_lookup(language: str) -> LemmaLookup:
    """Form -> lemma for a document language (nn uses the nb table), read as needed."""
    return _lookup(_table_language(language))


@lru_cache(maxsize=8)
def _lookup(table_language: str | None) -> LemmaLookup:
    if table_language is None:
        return LemmaLookup(None, {})
    return open_lookup(table_language, lambda: _build(table_language))


def lemma_table(language: str) -> dict[str, str]:
    """The whole form -> lemma table of a document language, in memory."""
    return dict(lemma_lookup(language).items())


@lru_cache(maxsize=8)
def _reverse_index(language: str) -> dict[str, set[str]]:
    """Lemma -> its forms; built once per language and process."""
    reverse: dict[str, set[str]] = defaultdict(set)
    for form, base in lemma_table(language).items():
        reverse[base].add(form)
    return reverse


class Lemmatizer:
    """Lemmas and inflected forms for one document language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.table = lemma_lookup(language)
        self._forms: dict[str, set[str]] | None = None

    def extra_lemma(self, word: str) -> str | None:
        """A second lemma for a frequent verb form the table files under another word."""
        return EXTRA_LEMMAS.get(self.language, {}).get(word.lower())

    def lemma(self, word: str) -> str:
        """The lemma of a word (lower-cased); the word itself when the table lacks it."""
        lower = word.lower()
        found = self.table.get(lower)
        if found is not None:
            return found
        if self.language == "nn":
            for ending, replacement in _NYNORSK_ENDINGS:
                if lower.endswith(ending) and len(lower) > len(ending) + 2:
                    guess = self.table.get(lower[: -len(ending)] + replacement)
                    if guess is not None:
                        return guess
        return lower

    def forms(self, lemma: str) -> set[str]:
        """Every form the table maps to `lemma`, and the lemma itself."""
        if self._forms is None:
            self._forms = _reverse_index(self.language)
        lower = lemma.lower()
        return {lower, *self._forms.get(lower, ()), *self._forms.get(self.lemma(lower), ())}
