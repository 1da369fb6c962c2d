"""WebVTT and SubRip transcripts from automatic transcription (Whisper, noScribe, WhisperX).

Speakers come from `<v Name>` voice tags or a `Name:` / `[SPEAKER_00]:` prefix; consecutive
cues of one speaker form one turn. Without any speaker, a cue that does not end a sentence
runs on into the next one if it follows within a moment.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import ImportFailed
from qualcode.ingest.decode import Decoded, decode_text
from qualcode.ingest.labels import is_interviewer_label, is_label, match_label
from qualcode.ingest.source import MAX_FILE_BYTES, SourceText
from qualcode.ingest.transcript import ParsedTurn

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*"
    r"(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>")
_SENTENCE_END = re.compile(r"[.!?…\"”»)]\s*$")
_RUN_ON_GAP = 1.5


@dataclass
class Cue:
    """One subtitle cue: times in seconds, optional speaker, plain text."""

    start: float
    end: float
    speaker: str | None
    text: str
    raw: str = ""  # the text before a `Name:` prefix was taken off, if one was


def read_subtitles(path: Path) -> SourceText:
    """Read a .vtt or .srt file into turns and a readable plain text of them."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFailed("too large for a subtitle file (over 64 MB)", path=str(path))
    decoded = decode_text(path.read_bytes(), str(path))
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "vtt" and not decoded.text.lstrip().startswith("WEBVTT"):
        raise ImportFailed("not a WebVTT file: it does not start with WEBVTT", path=str(path))
    return subtitle_source(decoded, fmt, path)


def subtitle_source(decoded: Decoded, fmt: str, path: Path) -> SourceText:
    """The turns of decoded subtitle text (cues grouped by speaker) and a readable text."""
    cues = parse_cues(decoded.text)
    if not cues:
        raise ImportFailed(
            "no subtitle cues found (no `00:00:01.000 --> ...` lines)", path=str(path)
        )
    text, turns = render_turns(group_cues(cues))
    return SourceText(
        text=text,
        format=fmt,
        encoding=decoded.encoding,
        encoding_guessed=decoded.guessed,
        turns=turns,
    )


def looks_like_subtitles(text: str) -> bool:
    """Whether a plain-text file holds subtitle cues (an .srt or .vtt saved as .txt): it
    starts with WEBVTT, or most of its first blocks carry a `00:00:01,000 --> ...` line."""
    if text.lstrip().startswith("WEBVTT"):
        return True
    blocks = [b for b in re.split(r"\n\s*\n", text.strip(), maxsplit=20)[:20] if b.strip()]
    timed = sum(any(_TIMING.match(line) for line in b.split("\n")[:3]) for b in blocks)
    return timed >= 2 and timed * 2 > len(blocks)


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    value = 0.0
    for part in parts:
        value = value * 60 + float(part)
    return value


def parse_cues(text: str) -> list[Cue]:
    """Cues in file order; NOTE, STYLE and REGION blocks are skipped."""
    cues: list[Cue] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        timing_at = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timing_at is None:
            continue
        found = _TIMING.match(lines[timing_at])
        assert found is not None
        body = [line.strip() for line in lines[timing_at + 1 :]]
        speaker, spoken, raw = _speaker_and_text(body)
        if spoken:
            start, end = _seconds(found.group("start")), _seconds(found.group("end"))
            cues.append(Cue(start, end, speaker, spoken, raw))
    # In a file with no recurring `Name:` prefix, a lone `Word:` is speech
    # ("Tekniska museet: ..."), not a speaker.
    prefixed = Counter(c.speaker for c in cues if c.raw)
    labelled = any(n >= 2 for n in prefixed.values())
    for cue in cues:
        lone = prefixed[cue.speaker] < 2 and not labelled
        if cue.raw and lone and not is_interviewer_label(cue.speaker or ""):
            cue.speaker, cue.text, cue.raw = None, cue.raw, ""
    return cues


def _speaker_and_text(lines: list[str]) -> tuple[str | None, str, str]:
    joined = " ".join(lines)
    speaker = None
    raw = ""
    voice = _VOICE.search(joined)
    if voice:
        speaker = voice.group(1).strip()
    plain = html.unescape(_TAG.sub("", joined)).replace("\u00a0", " ")
    plain = " ".join(plain.split())
    if speaker is None:
        labelled = match_label(plain)
        if labelled is not None and is_label(labelled.label):
            speaker = labelled.label.strip("[]() ")
            raw = plain
            plain = plain[labelled.text_offset :].strip()
    return speaker, plain, raw


def group_cues(cues: list[Cue]) -> list[list[Cue]]:
    """Consecutive cues of one speaker form a turn; unlabelled cues join on a run-on sentence."""
    groups: list[list[Cue]] = []
    any_speaker = any(c.speaker for c in cues)
    for cue in cues:
        if groups:
            last = groups[-1][-1]
            if any_speaker:
                same = cue.speaker is None or cue.speaker == last.speaker
            else:
                same = not _SENTENCE_END.search(last.text) and cue.start - last.end <= _RUN_ON_GAP
            if same:
                groups[-1].append(cue)
                continue
        groups.append([cue])
    return groups


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def render_turns(groups: list[list[Cue]]) -> tuple[str, list[ParsedTurn]]:
    """The document text (`[hh:mm:ss] Speaker: text` per turn) and turns indexing into it."""
    pieces: list[str] = []
    turns: list[ParsedTurn] = []
    offset = 0
    for group in groups:
        speaker = group[0].speaker
        prefix = f"[{_clock(group[0].start)}] " + (f"{speaker}: " if speaker else "")
        spoken = " ".join(c.text for c in group)
        start = offset + len(prefix)
        pieces.append(prefix + spoken)
        turns.append(
            ParsedTurn(
                speaker=speaker,
                start=start,
                end=start + len(spoken),
                text=spoken,
                start_time=group[0].start,
                end_time=group[-1].end,
            )
        )
        offset += len(prefix) + len(spoken) + 2
    return "\n\n".join(pieces) + "\n", turns
