"""Property-based tests (hypothesis): the transcript parser and the CSV / JSONL round trips."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.codings_io import COLUMNS, write_csv, write_jsonl
from qualcode.export.csvsafe import safe_cell
from qualcode.ingest.transcript import parse_transcript, split_paragraphs

LABELS = [
    "I",
    "B",
    "IP",
    "Int",
    "Intervjuare",
    "Informant",
    "Moderator",
    "D1",
    "D2",
    "Pårørende",
    "Mette",
    "Göran",
    "Per Hansen",
]
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåäöéABCDEFGHÆØÅÄÖ", min_size=1, max_size=9)
SENTENCE = st.lists(WORD, min_size=1, max_size=12).map(
    lambda words: " ".join(words).lower().capitalize() + "."
)
MARK = st.sampled_from(["", " (pause)", " [griner]", " [utydeligt]", " ..."])
PARAGRAPH = st.tuples(st.lists(SENTENCE, min_size=1, max_size=3), MARK).map(
    lambda pair: " ".join(pair[0]) + pair[1]
)
TIME = st.integers(min_value=0, max_value=3 * 3600 - 1).map(
    lambda s: f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
)
TURN = st.tuples(
    st.sampled_from(LABELS),
    st.lists(PARAGRAPH, min_size=1, max_size=3),
    st.one_of(st.none(), TIME),
    st.sampled_from(["[{}] {}:", "({}) {}:", "{1}: [{0}]", "{1}: ({0})"]),
)


def render(turns: list[tuple[str, list[str], str | None, str]], blank_lines: bool) -> str:
    separator = "\n\n" if blank_lines else "\n"
    blocks = []
    for label, paragraphs, time, style in turns:
        head = style.format(time, label) if time else f"{label}:"
        blocks.append(separator.join([f"{head} {paragraphs[0]}", *paragraphs[1:]]))
    return separator.join(blocks) + "\n"


def merged(turns: list[tuple[str, list[str], str | None, str]]) -> list[tuple[str, str]]:
    """What the transcript says turn by turn: consecutive turns of one label stay apart."""
    return [(label, " ".join(paragraphs)) for label, paragraphs, _, _ in turns]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TURN, min_size=2, max_size=12), st.booleans())
def test_parser_recovers_every_turn(turns: list, blank_lines: bool) -> None:
    text = render(turns, blank_lines)
    parsed = parse_transcript(text, split_paragraphs(text))
    got = [(t.speaker, " ".join(t.text.split())) for t in parsed.turns]
    assert got == merged(turns)
    for turn in parsed.turns:  # offsets point at the turn's own words
        assert " ".join(text[turn.start : turn.end].split()) == " ".join(turn.text.split())


@settings(max_examples=60, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=8))
def test_unlabelled_text_is_one_turn_per_paragraph(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs) + "\n"
    parsed = parse_transcript(text, split_paragraphs(text))
    assert [t.text for t in parsed.turns] == paragraphs
    assert {t.speaker for t in parsed.turns} == {None}


ANY_TEXT = st.text(min_size=0, max_size=40)
RECORD = st.fixed_dictionaries(
    {
        "document": st.text(min_size=1, max_size=20),
        "turn": st.integers(min_value=1, max_value=5000),
        "segment": st.integers(min_value=1, max_value=50),
        "start": st.integers(min_value=0, max_value=10**6),
        "end": st.integers(min_value=0, max_value=10**6),
        "speaker": st.one_of(st.none(), ANY_TEXT),
        "code": st.text(min_size=1, max_size=30),
        "status": st.sampled_from(["suggested", "accepted", "rejected"]),
        "coder": st.text(min_size=1, max_size=12),
        "confidence": st.one_of(st.none(), st.floats(min_value=0, max_value=1)),
        "source": ANY_TEXT,
        "explanation": ANY_TEXT,
        "text": ANY_TEXT,
    }
)


@settings(max_examples=80, deadline=None)
@given(st.lists(RECORD, max_size=10))
def test_jsonl_round_trip(records: list[dict]) -> None:
    out = io.StringIO()
    write_jsonl(records, out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(records)  # newlines inside values never split a record
    assert [json.loads(line) for line in lines] == records


@settings(max_examples=80, deadline=None)
@given(st.lists(RECORD, max_size=10), st.sampled_from([",", ";"]))
def test_csv_round_trip_and_inert_cells(records: list[dict], delimiter: str) -> None:
    out = io.StringIO()
    write_csv(records, out, delimiter)
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=delimiter))
    assert rows[0] == list(COLUMNS)
    for row, record in zip(rows[1:], records):
        expected = ["" if record[c] is None else safe_cell(str(record[c])) for c in COLUMNS]
        assert row == expected
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
