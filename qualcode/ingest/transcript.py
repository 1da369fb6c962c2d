"""Split a transcript's paragraphs into a header and speaker turns (gold-format.md)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from qualcode.domain import Role
from qualcode.ingest.labels import (
    QUESTION_ANSWER_LABELS,
    LabelMatch,
    is_interviewer_label,
    is_label,
    is_metadata_key,
    is_service_note,
    leading_timestamp_length,
    match_label,
    normalise_label,
    parse_time,
    strip_trailing_timestamp,
)

_HEADER_LINE_MAX_WORDS = 15
_HEADER_VALUE_MAX_WORDS = 10
_MD_HEADING = re.compile(r"^#{1,6}\s")
_MIN_LAYOUT_LABELS = 2
_LINE_NUMBER = re.compile(r"(\d{1,5})[ \t]+(?=\S)")
_MIN_NUMBERED = 0.8  # share of lines with a number, and of rising numbers, for line numbering
_QUESTION_MAX_WORDS = 40  # an unnamed turn ending in "?" up to this long is the interviewer's
_SENTENCE_END = frozenset('.!?…"”»)]')
# Joining lines cut in mid-sentence: only where sentence ends are common enough to go by,
# and never more lines than this into one turn.
_MIN_SENTENCE_ENDS = 0.2
_MAX_JOINED_LINES = 8


@dataclass(frozen=True)
class Paragraph:
    """A non-empty line of the document: offsets into the text, and its block (blank-line group)."""

    start: int
    end: int
    block: int
    # A Markdown heading below the title that may name a speaker ("### Birgitte"): a turn's
    # label if names recur, else left out like any other heading.
    heading: bool = False


@dataclass
class ParsedTurn:
    """A speaker turn before it is stored; offsets index the document's text."""

    speaker: str | None
    start: int
    end: int
    text: str
    start_time: float | None = None
    end_time: float | None = None
    role: Role = Role.PARTICIPANT


@dataclass
class ParsedTranscript:
    """The header (kept as metadata) and the turns of one transcript."""

    header: str
    metadata: dict[str, str]
    turns: list[ParsedTurn]
    labelled: bool
    notes: list[str] = field(default_factory=list)


def split_paragraphs(text: str, *, markdown: bool = False) -> list[Paragraph]:
    """Every non-empty line as a paragraph; blank lines separate blocks."""
    paragraphs: list[Paragraph] = []
    block = 0
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            block += 1
        else:
            heading = markdown and _MD_HEADING.match(stripped) is not None and bool(paragraphs)
            if not heading or is_label(stripped.lstrip("#").strip()):
                lead = len(line) - len(line.lstrip())
                start = offset + lead
                paragraphs.append(Paragraph(start, start + len(stripped), block, heading))
        offset += len(line) + 1
    return paragraphs


def parse_transcript(
    text: str, paragraphs: Sequence[Paragraph], *, interviewer_labels: Iterable[str] = ()
) -> ParsedTranscript:
    """Turns and header of a transcript given its paragraphs.

    A turn starts at a speaker label and runs to the next; unlabelled paragraphs continue
    the turn before. Without any label, each blank-line block (or line) is a turn of an
    unknown speaker.
    """
    paragraphs, labels = _opening_labels(text, paragraphs)
    counts = Counter(normalise_label(m.label) for m in labels if m)
    speaker_labels = {key for key, n in counts.items() if n >= 2 or not is_metadata_key(key)}
    for paragraph, found in zip(paragraphs, labels):
        if found is None:
            continue
        key = normalise_label(found.label)
        if key in speaker_labels:
            continue
        # A metadata key is a speaker when it heads speech, not a short value:
        # "Interviewer:" alone on its line, "Deltager 1:", or a long utterance.
        value = text[paragraph.start + found.text_offset : paragraph.end].split()
        if not value or key[-1:].isdigit() or len(value) > _HEADER_VALUE_MAX_WORDS:
            speaker_labels.add(key)

    def is_start(i: int) -> bool:
        found = labels[i]
        return found is not None and normalise_label(found.label) in speaker_labels

    prefix = _header_end(text, paragraphs, labels, counts)
    # Below the header, a role word ("Intervjuare:", "Informant:") heads a turn even with a
    # short answer: metadata lines belong to the header.
    for found in labels[prefix:]:
        if found is not None and not is_metadata_key(found.label, pure=True):
            speaker_labels.add(normalise_label(found.label))
    starts = [i for i in range(prefix, len(paragraphs)) if is_start(i)]
    if not starts and prefix:
        starts = [i for i in range(len(paragraphs)) if is_start(i)]
    header_end = starts[0] if starts else 0
    header_text = "\n".join(text[p.start : p.end] for p in paragraphs[:header_end])
    metadata = _metadata(text, paragraphs[:header_end], labels[:header_end])
    if not starts:
        turns = _unlabelled_turns(text, paragraphs[header_end:])
        parsed = ParsedTranscript(header_text, metadata, turns, labelled=False)
    else:
        turns = _labelled_turns(text, paragraphs, labels, starts)
        parsed = ParsedTranscript(header_text, metadata, turns, labelled=True)
    assign_roles(parsed.turns, interviewer_labels)
    return parsed


def _opening_labels(
    text: str, paragraphs: Sequence[Paragraph]
) -> tuple[list[Paragraph], list[LabelMatch | None]]:
    """The paragraphs that count, each with the speaker label it opens with (if any): a
    service's own lines, line numbers, and Markdown headings that name no speaker left out;
    labels told by layout only where a name recurs."""
    paragraphs = _without_line_numbers(
        text, [p for p in paragraphs if not is_service_note(text[p.start : p.end])]
    )
    labels = [match_label(text[p.start : p.end], headings=True) for p in paragraphs]
    by_layout = Counter(normalise_label(m.label) for m in labels if m and m.by_layout)
    if max(by_layout.values(), default=0) < _MIN_LAYOUT_LABELS:
        # A line of a name and a time may be anything ("Side 3  10:15"), and a column of
        # names that never come back is a column of ids: speakers come back.
        labels = [None if found is not None and found.by_layout else found for found in labels]
    if any(p.heading for p in paragraphs):
        # A Markdown heading names a speaker only if that name heads others too ("## Baggrund"
        # is a section); the others are left out, as headings are.
        for i, (paragraph, found) in enumerate(zip(paragraphs, labels)):
            line = text[paragraph.start : paragraph.end]
            if (
                found
                and _MD_HEADING.match(line)
                and by_layout[normalise_label(found.label)] < _MIN_LAYOUT_LABELS
            ):
                labels[i] = None
        kept = [i for i, p in enumerate(paragraphs) if not p.heading or labels[i] is not None]
        paragraphs, labels = [paragraphs[i] for i in kept], [labels[i] for i in kept]
    return paragraphs, labels


def _without_line_numbers(text: str, paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs without the line numbers of a numbered transcript ("12  B: Ja ..."),
    kept for citing lines: when nearly every line opens with a rising number, it is not
    speech."""
    found = [_LINE_NUMBER.match(text, p.start, p.end) for p in paragraphs]
    numbers = [int(m.group(1)) for m in found if m]
    if len(numbers) < _MIN_NUMBERED * len(paragraphs) or len(numbers) < 3:
        return paragraphs
    if sum(b > a for a, b in pairwise(numbers)) < _MIN_NUMBERED * (len(numbers) - 1):
        return paragraphs
    return [
        Paragraph(m.end(), p.end, p.block) if m and m.end() < p.end else p
        for p, m in zip(paragraphs, found)
    ]


def _header_end(
    text: str,
    paragraphs: Sequence[Paragraph],
    labels: Sequence[LabelMatch | None],
    counts: Counter[str],
) -> int:
    """How many leading paragraphs read as a header block (title and metadata lines).

    Paragraphs between this block and the first speaker label join the header too.
    """
    first_block = paragraphs[0].block if paragraphs else 0
    prefix = 0
    has_certain_metadata = False
    role_line_seen = False
    speakers_recur = any(n >= 2 for n in counts.values())
    blocks_follow = bool(paragraphs) and paragraphs[-1].block != first_block
    for i, (paragraph, found) in enumerate(zip(paragraphs, labels)):
        line = text[paragraph.start : paragraph.end]
        if found is None:
            if len(line.split()) > _HEADER_LINE_MAX_WORDS:
                break
            if role_line_seen:
                break  # a line under "Intervjuare: ..." continues what was said: speech
            has_certain_metadata = True
        else:
            value = line[found.text_offset :]
            key = normalise_label(found.label)
            if found.by_layout or key in QUESTION_ANSWER_LABELS:
                break
            if value.rstrip().endswith("?"):
                break
            # A header line that never comes back, above speakers who do, may run long
            # ("Projekt: Brugerinddragelse i ... Region Syd") or have a key no list knows
            # ("Transkribering: MB", "Baggrund: Informanten har ...").
            one_off = speakers_recur and counts[key] == 1 and bool(value.strip())
            long_value = len(value.split()) > _HEADER_VALUE_MAX_WORDS
            known = is_metadata_key(key)
            if not known and not (
                one_off
                and has_certain_metadata
                and _could_be_a_header_key(key)
                and (
                    not long_value
                    or (" " not in key and paragraph.block == first_block and blocks_follow)
                )
            ):
                break
            if known and long_value and not (one_off and is_metadata_key(key, pure=True)):
                break
            if counts[key] >= 2 and paragraph.block != first_block:
                break
            has_certain_metadata |= is_metadata_key(key, pure=True)
            role_line_seen |= known and not is_metadata_key(key, pure=True)
        prefix = i + 1
    if not (prefix and has_certain_metadata):
        return 0
    if prefix < len(paragraphs) and paragraphs[prefix].block == paragraphs[prefix - 1].block:
        # A header ends at a blank line: do not cut a block in two.
        block_start = next(
            j for j in range(prefix) if paragraphs[j].block == paragraphs[prefix - 1].block
        )
        if block_start > 0:
            prefix = block_start
    return prefix


def _could_be_a_header_key(key: str) -> bool:
    """A label that no list knows as a header key but may be one ("Transkribering"): no
    number in it, and not the interviewer's."""
    return not any(c.isdigit() for c in key) and not is_interviewer_label(key)


def _metadata(
    text: str, paragraphs: Sequence[Paragraph], labels: Sequence[LabelMatch | None]
) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for paragraph, found in zip(paragraphs, labels):
        line = text[paragraph.start : paragraph.end]
        if found is not None:
            metadata.setdefault(found.label, line[found.text_offset :].strip())
        elif ":" in line:
            key, _, value = line.partition(":")
            if key.strip() and value.strip() and len(key.split()) <= 4:
                metadata.setdefault(key.strip(), value.strip())
        else:
            metadata.setdefault("title", line.strip())
    return metadata


def _labelled_turns(
    text: str,
    paragraphs: Sequence[Paragraph],
    labels: Sequence[LabelMatch | None],
    starts: Sequence[int],
) -> list[ParsedTurn]:
    groups: list[tuple[LabelMatch, list[tuple[int, int]]]] = []  # a turn's label, its pieces
    bounds = [*starts, len(paragraphs)]
    for first, stop in pairwise(bounds):
        found = labels[first]
        assert found is not None
        pieces: list[tuple[int, int]] = []
        for index in range(first, stop):
            paragraph = paragraphs[index]
            offset = paragraph.start
            if index == first:
                offset += found.text_offset
            else:
                offset += leading_timestamp_length(text[paragraph.start : paragraph.end])
            pieces.append(_trimmed(text, offset, paragraph.end))
        # A transcription service starts a new heading every so often in one person's
        # speech ("Birgitte Madsen  0:15", then "Birgitte Madsen  1:02"): still one turn. A
        # label the transcriber wrote again starts a new turn (gold-format.md).
        before = groups[-1][0] if groups else None
        if found.by_layout and before and before.by_layout and found.label == before.label:
            groups[-1][1].extend(pieces)
        else:
            groups.append((found, pieces))
    return [_turn(text, found.label, pieces, found.time) for found, pieces in groups]


def _unlabelled_turns(text: str, paragraphs: Sequence[Paragraph]) -> list[ParsedTurn]:
    """One turn per blank-line block; one per line when the file has no blank lines."""
    blocks: dict[int, list[Paragraph]] = {}
    for paragraph in paragraphs:
        blocks.setdefault(paragraph.block, []).append(paragraph)
    groups = list(blocks.values())
    if len(groups) == 1 and len(paragraphs) > 1:
        groups = _line_runs(text, paragraphs)
    turns = []
    for group in groups:
        pieces = []
        time = None
        for paragraph in group:
            lead = leading_timestamp_length(text[paragraph.start : paragraph.end])
            if lead and time is None and paragraph is group[0]:
                time = parse_time(text[paragraph.start : paragraph.start + lead])
            pieces.append(_trimmed(text, paragraph.start + lead, paragraph.end))
        turns.append(_turn(text, None, pieces, time))
    return [t for t in turns if t.text]


def _line_runs(text: str, lines: Sequence[Paragraph]) -> list[list[Paragraph]]:
    """Turns of a file without labels or blank lines: one per line, except that a line cut
    in mid-sentence (speech recognition writes a line per stretch of sound) is joined with
    the next when that one goes on in lower case."""
    ends = [text[line.end - 1] in _SENTENCE_END for line in lines]
    if not _MIN_SENTENCE_ENDS <= sum(ends) / len(lines) < 1.0:
        return [[line] for line in lines]  # sentence ends are not what the lines follow
    runs: list[list[Paragraph]] = [[lines[0]]]
    for line, before_ends in zip(lines[1:], ends):
        said = line.start + leading_timestamp_length(text[line.start : line.end])
        goes_on = not before_ends and text[said : said + 1].islower()
        if goes_on and len(runs[-1]) < _MAX_JOINED_LINES:
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace and without a closing timestamp."""
    piece = strip_trailing_timestamp(text[start:end])
    stripped = piece.strip()
    if not stripped:
        return (start, start)
    start += len(piece) - len(piece.lstrip())
    return (start, start + len(stripped))


def _turn(
    text: str, speaker: str | None, pieces: list[tuple[int, int]], time: float | None
) -> ParsedTurn:
    spoken = [(s, e) for s, e in pieces if e > s]
    joined = " ".join(text[s:e] for s, e in spoken)
    if spoken:
        start, end = spoken[0][0], spoken[-1][1]
    else:
        start = end = pieces[0][0]
    return ParsedTurn(speaker=speaker, start=start, end=end, text=joined, start_time=time)


def assign_roles(turns: list[ParsedTurn], interviewer_labels: Iterable[str] = ()) -> None:
    """Mark interviewer turns: by `--interviewer`, else by label, else by who asks questions."""
    chosen = {normalise_label(label) for label in interviewer_labels}
    speakers = {t.speaker for t in turns if t.speaker is not None}
    if chosen:
        interviewers = {s for s in speakers if normalise_label(s) in chosen}
    else:
        interviewers = {s for s in speakers if is_interviewer_label(s)}
        if not interviewers:
            asker = _question_asker(turns)
            interviewers = {asker} if asker else set()
    for turn in turns:
        turn.role = Role.INTERVIEWER if turn.speaker in interviewers else Role.PARTICIPANT
    if not speakers and not chosen:
        # No one is named (speech recognition without speakers): a short turn that ends in
        # a question is taken as the interviewer's, so it gets no codes and gives the answer
        # after it its question.
        for turn in turns:
            if _is_question(turn.text):
                turn.role = Role.INTERVIEWER


def _is_question(text: str) -> bool:
    return text.rstrip().endswith("?") and len(text.split()) <= _QUESTION_MAX_WORDS


def _question_asker(turns: Sequence[ParsedTurn]) -> str | None:
    """The speaker who clearly asks the questions, if one does."""
    asked: Counter[str] = Counter()
    spoken: Counter[str] = Counter()
    for turn in turns:
        if turn.speaker is None:
            continue
        spoken[turn.speaker] += 1
        if "?" in turn.text[-120:]:
            asked[turn.speaker] += 1
    if len(spoken) < 2:
        return None
    shares = sorted(((asked[s] / spoken[s], s) for s in spoken if spoken[s] >= 3), reverse=True)
    if not shares:
        return None
    best_share, best = shares[0]
    runner_up = shares[1][0] if len(shares) > 1 else 0.0
    if best_share >= 0.5 and best_share >= 2 * runner_up:
        return best
    return None
