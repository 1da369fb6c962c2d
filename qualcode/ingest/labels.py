"""Speaker labels and timestamps as transcribers write them, and the role a label implies."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
# A time, or a span of time as speech recognition prints it ("[00:00.000 --> 00:04.520]").
_TS_SPAN = rf"{_TS}(?:\s*(?:-->|–|-)\s*{_TS})?"
_TS_WRAPPED = rf"(?:\[\s*{_TS_SPAN}\s*\]|\(\s*{_TS_SPAN}\s*\)|#\s*{_TS}(?:-\d+)?\s*#)"
TIMESTAMP = re.compile(_TS)
_LEADING_TS = re.compile(rf"^\s*(?:{_TS_WRAPPED}|{_TS}(?=\s))\s*")
_TRAILING_TS = re.compile(rf"\s*{_TS_WRAPPED}\s*$")
_LABEL = re.compile(r"^(?P<md>\*\*|__)?(?P<label>[^:\n]{1,48}?)(?P=md)?\s*:(?:\*\*|__)?(?=\s|$)\s*")
# A label with its timestamp before the colon, as Rev and Descript write it:
# "Speaker 1 (00:03): Ja ..." or "Birgitte [00:12:31]: ...".
_STAMPED_LABEL = re.compile(
    rf"^(?P<label>[^:\n()\[\]#]{{1,48}}?)\s*(?P<stamp>{_TS_WRAPPED})\s*:(?=\s|$)\s*"
)
# A name in a column of its own: "00:00:03<tab>Speaker 1<tab>Hvordan ...".
_TAB_LABEL = re.compile(r"^(?P<label>[^\t:\n]{1,48}?)[ ]*\t\s*")
# A label in brackets, no colon: "[I] Hvordan ...", "[SPEAKER_00] Ja ...". Transcribers'
# notes in brackets open lines too ("[Pause] Ja"), so their words are no labels.
_BRACKET_LABEL = re.compile(r"^\[(?P<name>[^\[\]\n]{1,24})\][ \t]+(?=\S)")
_NOTE_WORDS = frozenset(
    """
    pause latter griner ler skratt skrattar skratter smiler sukker suckar hoster host
    uklart uklar utydeligt utydelig uhørligt uhørbart uhørlig otydligt ohörbart ohörbar
    utydeleg støj musik musikk crosstalk inaudible laughter music silence tavshed tystnad
    stillhet afbrydelse avbrott
    """.split()
)
# A short label and a dash instead of a colon: "I – Hvordan ...", "B1 - Ja ...".
_DASH_LABEL = re.compile(r"^(?P<label>[^\s:–—-][^:\n–—-]{0,19}?)\s+[–—-]\s+(?=\S)")
# A speaker's name and a timestamp alone on a line, the speech on the lines below, as
# transcription services export: "Birgitte Madsen  0:15" (Otter, Teams), "00:00:03 Speaker 1"
# (Word), "Interviewer [00:00:03]", "Speaker 1 (00:03):", "**Anna** (00:00:03)" or "### Anna"
# in Markdown; or a name alone, as in a script.
_HEADING = re.compile(
    rf"^(?P<hashes>#{{1,6}}\s+)?(?:(?P<before>{_TS_WRAPPED}|{_TS})\s+)?(?P<md>\*\*|__)?"
    rf"(?P<label>[^:\n()\[\]#*]{{1,48}}?)"
    rf"(?P=md)?(?:\s*(?P<after>{_TS_WRAPPED})|\s+(?P<bare>{_TS}))?\s*:?\s*$"
)
_LABEL_TOKEN = re.compile(r"^(?:[^\W\d_][\w'’.\-]*|\d+[\w.]*|\([^()]{1,30}\)|#\d+)$")
_NAME_PARTICLES = frozenset("af von van der de den la le du da di dos al bin ibn".split())

# Sentence-initial words that may be followed by a colon in speech but are never speakers.
_NOT_LABELS = frozenset(
    """
    men og och så altså alltså ja jo nej nei nej nå ok okay okej så det den der dette detta
    han hun hon hen ho dei de vi jeg jag eg du ni dere dykk man en ett ei et eit
    og eller fordi for hvis om dersom når da när sen sedan efter etter først först
    eksempel exempel fx f.eks t.ex e.g note obs nb ps
    citat sitat quote hmm mm øh eh ehm kl klokken klokka klockan
    """.split()
)

INTERVIEWER_LABELS = frozenset(
    """
    i int intv intw interviewer interviewerin intervjuer intervjuar intervjuare intervjuaren
    intervieweren intervjueren interviewar moderator moderatoren mod m fasilitator facilitator
    forsker forskar forskare forskeren researcher spørger q
    spørgsmål spm sp fråga spørsmål
    """.split()
)
# Question and answer written as labels ("Spørgsmål: ... / Svar: ..."): words that also open
# a line of speech or a header, so they head turns only where they come back.
QUESTION_ANSWER_LABELS = frozenset("spørgsmål spm sp fråga spørsmål svar sv".split())

# Keys that head metadata lines in a transcript's header. Role words written in full
# (Interviewer, Informant, Moderator) are here too: "Interviewer: LK" in a header names a person.
# So are question and answer words: like a header key, they head a turn only where they recur.
METADATA_KEYS = QUESTION_ANSWER_LABELS | frozenset(
    """
    dato date datum tid time tidspunkt klokkeslæt klokkeslett sted plats place location lokation
    deltager deltagere deltagare deltakar deltaker deltakere deltakarar deltakarane participants
    participant informant informanter interviewer intervjuer intervjuare intervjuar moderator
    varighed varighet längd lengd duration længde lengde transskribent transkribent transcriber
    transskriberet transkriberad transkribert transkribering transskribering transkription
    transskription transkripsjon optagelse inspelning opptak
    projekt prosjekt project fil file lydfil ljudfil audio kode kod id alder ålder age køn kön
    kjønn gender interview intervju emne ämne tema topic title titel tittel note noter format
    sprog språk language version organisation organisasjon enhed enhet site case sag sak
    målgruppe målgrupp kommune kommun region
    interviewperson intervjuperson respondent respondenter
    tegn tegnforklaring teckenförklaring nøgle legend transskriptionsnøgle symboler
    """.split()
)
_PURE_METADATA_KEYS = METADATA_KEYS - {
    "interviewperson",
    "intervjuperson",
    "respondent",
    "informant",
    "interviewer",
    "intervjuer",
    "intervjuare",
    "intervjuar",
    "moderator",
    "deltager",
    "deltaker",
    "deltakar",
    "participant",
}


@dataclass(frozen=True)
class LabelMatch:
    """A speaker label found at the start of a paragraph."""

    label: str
    text_offset: int  # where the speech starts, relative to the paragraph
    time: float | None
    # Told by the line's layout, not a colon: a name and a time alone on the line (the
    # speech below), a name between tabs or before a dash. Trusted where a name recurs.
    by_layout: bool = False


def parse_time(stamp: str) -> float | None:
    """Seconds from a timestamp such as `00:12:31`, `12:31` or `00:12:31.500`."""
    found = TIMESTAMP.search(stamp)
    if not found:
        return None
    parts = found.group(0).replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def match_label(paragraph: str, *, headings: bool = False) -> LabelMatch | None:
    """The speaker label at the start of a paragraph, with timestamps before or after it.

    With `headings`, a line of just a name and a timestamp ("Birgitte Madsen  0:15") is a
    label too, its speech on the lines below, and so is a name followed by a tab or a dash."""
    position = 0
    time: float | None = None
    lead = _LEADING_TS.match(paragraph)
    if lead:
        time = parse_time(lead.group(0))
        position = lead.end()
    found = _LABEL.match(paragraph[position:])
    if not found or not is_label(found.group("label")):
        stamped = _stamped_label(paragraph)
        if stamped is not None or not headings:
            return stamped
        return _layout_label(paragraph, position, time)
    position += found.end()
    after = _LEADING_TS.match(paragraph[position:])
    if after and after.group(0).strip():
        if time is None:
            time = parse_time(after.group(0))
        position += after.end()
    return LabelMatch(label=found.group("label").strip(), text_offset=position, time=time)


def _stamped_label(paragraph: str) -> LabelMatch | None:
    """A label with its timestamp before the colon: "Speaker 1 (00:03): Ja ..."."""
    found = _STAMPED_LABEL.match(paragraph)
    if not found or not is_label(found.group("label")):
        return None
    return LabelMatch(found.group("label").strip(), found.end(), parse_time(found.group("stamp")))


def _layout_label(paragraph: str, position: int, time: float | None) -> LabelMatch | None:
    """A label told by the line's layout: a name in brackets, before a tab or before a dash
    (after `position`, past a leading time), or a name and a time alone on the line, or a
    name alone in capitals."""
    bracketed = _BRACKET_LABEL.match(paragraph, position)
    if bracketed:
        name = bracketed.group("name").strip()
        if is_label(name) and name.split()[0].casefold() not in _NOTE_WORDS:
            return LabelMatch(f"[{name}]", bracketed.end(), time, by_layout=True)
    for layout in (_TAB_LABEL, _DASH_LABEL) if "\t" in paragraph else (_DASH_LABEL,):
        laid_out = layout.match(paragraph[position:])
        if laid_out and is_label(laid_out.group("label")):
            label = laid_out.group("label").strip()
            return LabelMatch(label, position + laid_out.end(), time, by_layout=True)
    found = _HEADING.match(paragraph)
    if not found or not is_label(found.group("label")):
        return None
    name = found.group("label").strip()
    stamp = found.group("before") or found.group("after") or found.group("bare")
    if stamp is not None:
        return LabelMatch(name, len(paragraph), parse_time(stamp), by_layout=True)
    # A name alone on its line, in capitals ("BIRGITTE"), in bold ("**Birgitte**") or a role
    # word ("Interviewer"), as scripts are written; other words alone on a line are speech
    # ("Præcis", "A.").
    if sum(c.isalpha() for c in name) < 2 or name.endswith("."):
        return None
    if name.isupper() or found.group("md") or found.group("hashes") or is_interviewer_label(name):
        return LabelMatch(name, len(paragraph), None, by_layout=True)
    return None


# Lines a transcription service writes into its export that nobody said: Teams' notes that
# someone started or stopped the transcription (in its English, Danish, Swedish and Norwegian
# wording) and Otter's closing line.
_SERVICE_NOTE = re.compile(
    r"^(?:.{1,80} (?:started|stopped|startede|stoppede|startade|stoppade|startet|stoppet) "
    r"(?:the )?(?:transcription|transskription(?:en)?|transkribering(?:en)?|"
    r"transkripsjon(?:en)?)|Transcribed by https?://otter\.ai/?)$",
    re.IGNORECASE,
)


def is_service_note(paragraph: str) -> bool:
    """Whether a line is a transcription service's note in its export, not speech."""
    return len(paragraph) < 120 and _SERVICE_NOTE.match(paragraph.strip()) is not None


def strip_trailing_timestamp(text: str) -> str:
    """Remove a timestamp such as `[00:12:31]` or `#00:12:31-4#` that ends a paragraph."""
    if text.rstrip()[-1:] not in ("]", ")", "#"):
        return text  # no bracketed timestamp can end it: spare the regex its search
    return _TRAILING_TS.sub("", text)


def leading_timestamp_length(text: str) -> int:
    """Length of a timestamp that opens an unlabelled paragraph (0 if none)."""
    found = _LEADING_TS.match(text)
    return found.end() if found and found.group(0).strip() else 0


def is_label(candidate: str) -> bool:
    """Whether the text before a colon reads as a speaker label rather than speech."""
    candidate = candidate.strip()
    if not candidate or len(candidate) > 40 or candidate[0] in "([":
        return bool(candidate) and _is_bracketed_speaker(candidate)
    if any(ch in candidate for ch in '?!,;"«»“”'):
        return False
    tokens = candidate.split()
    if len(tokens) > 5 or not all(_LABEL_TOKEN.match(t) for t in tokens):
        return False
    if not tokens[0][0].isupper() and not tokens[0][0].isdigit():
        return False
    if len(tokens) == 1 and tokens[0].casefold().rstrip(".") in _NOT_LABELS:
        return False
    named = [t for t in tokens[1:] if t.casefold() not in _NAME_PARTICLES]
    return all(t[0].isupper() or t[0].isdigit() or t[0] in "(#" for t in named)


def _is_bracketed_speaker(candidate: str) -> bool:
    """`[SPEAKER_00]` or `(Interviewer)` as WhisperX and some transcribers write them."""
    return bool(re.fullmatch(r"[\[(][A-Za-zÆØÅÄÖæøåäö_ ]{1,24}\d{0,3}[\])]", candidate))


def normalise_label(label: str) -> str:
    """The comparable form of a label: case-folded, without surrounding brackets or dots."""
    return label.strip().strip("[]()").rstrip(".").casefold()


def is_interviewer_label(label: str, *, whole: bool = False) -> bool:
    """Labels that name the interviewer or moderator (`I`, `Int.`, `Intervjuare`, `M`, `I2`,
    also `Interviewer (I)`, `I (Interviewer)`, `Moderator (Anna)`; with `whole`, only labels
    that are nothing but the role)."""
    for part in [label] if whole else re.split(r"[()]", label):
        key = normalise_label(part)
        if key in INTERVIEWER_LABELS or key.rstrip("0123456789 ") in INTERVIEWER_LABELS:
            return True
    return False


def is_metadata_key(label: str, *, pure: bool = False) -> bool:
    """Whether a label is a header key such as `Dato` or `Deltager` (pure: not a role word)."""
    key = normalise_label(label)
    keys = _PURE_METADATA_KEYS if pure else METADATA_KEYS
    return key in keys or key.split()[0] in keys
