"""Which Scandinavian language a transcript is in: da, sv, nb or nn (or another ISO code).

langdetect (seeded, so the answer never changes between runs) gives the family; its
Danish / Norwegian boundary is weak on speech, so function words that only one of the
written standards uses decide between da, nb and nn.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

SUPPORTED = ("da", "sv", "nb", "nn")
_WORD = re.compile(r"[^\W\d_]+")

# Words that, in running speech, occur in one written standard and not (or hardly) the others.
_MARKERS: dict[str, frozenset[str]] = {
    "da": frozenset(
        "af hvad nogen noget nogle mig dig sig meget efter bliver blev sådan sådant lidt "
        "hende jer spørgsmål æh måske altid aldrig overhovedet tit fik gik rigtig rigtigt "
        "fået gået op ved mere været synes".split()
    ),
    "nb": frozenset(
        "hva noen noe meg deg seg mye etter blir ble sånn sånt litt henne dere vært "
        "spørsmål kanskje alltid aldri fikk gikk riktig fått gått opp vet mer veldig "
        "hvem".split()
    ),
    "nn": frozenset(
        "ikkje eg kva korleis kven kvifor noko nokon nokre berre heime mykje meir sjølv "
        "medan veit høyrt frå fekk gjekk òg dei dykk ho ein eit vore vere korkje kjem sjå "
        "seie gjere hjå saman endå enno vart vert".split()
    ),
    "sv": frozenset(
        "och jag inte är att för hon vad hur varför mycket tycker också vara varit fråga "
        "verkligen fick gick rätt själv medan hört från väldigt ju inga något några "
        "kunde skulle också bara".split()
    ),
}
_SHARED_DA_NB: frozenset[str] = frozenset()
_LANGDETECT_SAMPLE = 4_000  # characters: plenty for the family, and 50x faster than all
_SCANDINAVIAN = frozenset({"da", "sv", "no", "nb", "nn"})


@dataclass(frozen=True)
class LanguageGuess:
    """The detected language and how sure the detector was."""

    language: str
    confidence: float
    method: str


def detect_language(text: str) -> LanguageGuess:
    """The language of a transcript's text (participants' speech works best)."""
    counts = _marker_counts(text[:50_000])
    clear = _clear_from_markers(counts)
    if clear is not None:
        return LanguageGuess(clear, 0.99, "markers")
    family = _langdetect_family(text[:_LANGDETECT_SAMPLE])
    if family is None:
        best = max(counts, key=lambda k: counts[k])
        return LanguageGuess(best if counts[best] else "und", 0.5, "markers")
    code, probability = family
    if code in {"da", "no", "nb", "nn", "sv"}:
        scandinavian = max(("da", "nb", "nn", "sv"), key=lambda k: counts[k])
        if code == "sv" and counts["sv"] >= max(counts["da"], counts["nb"]):
            return LanguageGuess("sv", probability, "langdetect")
        if counts["sv"] > 2 * max(counts["da"], counts["nb"], counts["nn"]):
            return LanguageGuess("sv", probability, "langdetect+markers")
        if scandinavian == "sv":
            scandinavian = "da" if code == "da" else "nb"
        norwegian = _nynorsk_or_bokmal(counts)
        if code == "da" and counts["da"] >= counts["nb"]:
            return LanguageGuess("da", probability, "langdetect")
        if code == "da":
            return LanguageGuess(norwegian, probability * 0.8, "langdetect+markers")
        if counts["da"] > 1.3 * counts["nb"] and counts["nn"] < counts["da"] * 0.3:
            return LanguageGuess("da", probability * 0.8, "langdetect+markers")
        return LanguageGuess(norwegian, probability, "langdetect+markers")
    return LanguageGuess(code, probability, "langdetect")


def _clear_from_markers(counts: Counter[str]) -> str | None:
    """A language when its own function words outnumber every other's three to one.

    Transcripts of any length give dozens of such words, so langdetect (slow: its n-gram
    model costs tens of milliseconds a document) is only needed for short or mixed text.
    """
    ranked = counts.most_common()
    if not ranked or ranked[0][1] < 25:
        return None
    best, hits = ranked[0]
    if best == "nn":
        return "nn" if hits >= 3 * counts["da"] and hits >= 0.6 * counts["nb"] else None
    if best == "nb" and counts["nn"] > 0.6 * hits:
        return None
    runner_up = max(n for language, n in ranked[1:] if language != "nn") if len(ranked) > 1 else 0
    return best if hits >= 3 * runner_up else None


def _nynorsk_or_bokmal(counts: Counter[str]) -> str:
    return "nn" if counts["nn"] > 0.6 * counts["nb"] and counts["nn"] >= 3 else "nb"


# Marker word -> the languages it marks.
_MARKED_BY: dict[str, tuple[str, ...]] = {}
for _language, _markers in _MARKERS.items():
    for _marker in _markers - _SHARED_DA_NB:
        _MARKED_BY[_marker] = (*_MARKED_BY.get(_marker, ()), _language)


def _marker_counts(text: str) -> Counter[str]:
    # Whitespace-separated pieces are counted first (a transcript has a few hundred
    # distinct ones among thousands), then the words in each distinct piece: no word
    # spans whitespace, so the counts are those of every word of the text.
    counts: Counter[str] = Counter(dict.fromkeys(_MARKERS, 0))
    for piece, number in Counter(text.split()).items():
        # A piece of letters only is one word; others ("ikke,", "2019") are looked into.
        for word in (piece,) if piece.isalpha() else _WORD.findall(piece):
            for language in _MARKED_BY.get(word.casefold(), ()):
                counts[language] += number
    return counts


def _langdetect_family(text: str) -> tuple[str, float] | None:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        ranked = detect_langs(text)
    except LangDetectException:
        return None
    if not ranked:
        return None
    # Short speech is easily taken for German or Dutch: prefer a Scandinavian reading
    # whenever the detector gives it any real weight.
    for candidate in ranked:
        if candidate.lang in _SCANDINAVIAN and candidate.prob >= 0.1:
            return str(candidate.lang), float(candidate.prob)
    top = ranked[0]
    return str(top.lang), float(top.prob)
