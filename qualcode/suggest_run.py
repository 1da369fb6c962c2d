"""Suggest over many documents: turns read a batch of documents at a time, suggestions
computed in worker processes (each language's Learner is built before they are forked), and
each batch's suggestions written in one transaction."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from qualcode import workers
from qualcode.storage import codings_repo
from qualcode.storage.codings_repo import SuggestionRow
from qualcode.suggesting import Learner, TurnInput

SUGGEST_BATCH = 32  # documents per transaction


@dataclass(frozen=True)
class JobTurn:
    """A participant's turn to suggest codes for, with the question asked just before it."""

    id: int
    number: int
    start: int
    end: int
    text: str
    question: str | None


@dataclass(frozen=True)
class DocumentJob:
    """One document's participant turns, for a worker."""

    document_id: int
    name: str
    language: str
    turns: tuple[JobTurn, ...]


# What a worker sends back per turn: (code, confidence, source, explanation) at or above
# the threshold, strongest first.
Found = list[list[tuple[str, float, str, str]]]


@dataclass
class RunTotals:
    turns: int = 0
    suggestions: int = 0
    skipped_decided: int = 0


def suggest_document(context: tuple[Mapping[str, Learner], float], job: DocumentJob) -> Found:
    """The suggestions for a document's participant turns (runs in a worker)."""
    learners, threshold = context
    suggested = learners[job.language].suggest(
        job.name, [TurnInput(t.number, t.text, t.question) for t in job.turns]
    )
    return [
        [
            (s.code, s.confidence, s.source, s.explanation)
            for s in found
            if s.confidence >= threshold
        ]
        for found in suggested
    ]


def run(
    engine: Engine,
    coder: str,
    documents: Sequence[tuple[int, str, str]],
    learners: Mapping[str, Learner],
    threshold: float,
    progress: Callable[[int, int, str], None] | None = None,
) -> RunTotals:
    """Suggest for documents (id, name, language) and store the suggestions, batch by batch."""
    totals = RunTotals()
    jobs: deque[DocumentJob] = deque()

    def feed() -> Iterator[DocumentJob]:
        for job in read_jobs(engine, documents):
            jobs.append(job)
            yield job

    batch: list[tuple[DocumentJob, Found]] = []
    results = workers.ordered_map(suggest_document, (learners, threshold), feed(), len(documents))
    for index, found in enumerate(results):
        job = jobs.popleft()
        if progress:
            progress(index, len(documents), job.name)
        batch.append((job, found))
        if len(batch) >= SUGGEST_BATCH:
            store(engine, coder, batch, totals)
            batch = []
    store(engine, coder, batch, totals)
    return totals


def read_jobs(engine: Engine, documents: Sequence[tuple[int, str, str]]) -> Iterator[DocumentJob]:
    """The documents' jobs, in their order; turns read SUGGEST_BATCH documents at a time."""
    for first in range(0, len(documents), SUGGEST_BATCH):
        chosen = documents[first : first + SUGGEST_BATCH]
        with Session(engine) as session:
            every_turn = codings_repo.turn_values(session, [d[0] for d in chosen])
        by_document: dict[int, list[tuple[int, int, int, str, int, int, str]]] = {
            d[0]: [] for d in chosen
        }
        for turn in every_turn:
            by_document[turn[1]].append(turn)
        for document_id, name, language in chosen:
            turns = []
            before: tuple[int, int, int, str, int, int, str] | None = None
            for turn in by_document[document_id]:
                turn_id, _, number, role, start, end, text = turn
                if role == "participant":
                    # The question is the interviewer's turn right before, if there is one.
                    asked = before[6] if before is not None and before[3] == "interviewer" else None
                    turns.append(JobTurn(turn_id, number, start, end, text, asked))
                before = turn
            yield DocumentJob(document_id, name, language, tuple(turns))


def store(
    engine: Engine, coder: str, batch: Sequence[tuple[DocumentJob, Found]], totals: RunTotals
) -> None:
    """Replace the batch's open suggestions in one transaction; decided codes are not
    suggested again."""
    if not batch:
        return
    ids = [job.document_id for job, _ in batch]
    with Session(engine) as session, session.begin():
        decided = codings_repo.decided_pairs(session, ids, coder)
        rows = []
        for job, found in batch:
            for turn, suggestions in zip(job.turns, found, strict=True):
                for code, confidence, source, explanation in suggestions:
                    if (turn.id, code) in decided:
                        totals.skipped_decided += 1
                        continue
                    row: SuggestionRow = (
                        job.document_id,
                        turn.id,
                        turn.start,
                        turn.end,
                        code,
                        confidence,
                        source,
                        explanation,
                    )
                    rows.append(row)
            totals.turns += len(job.turns)
        codings_repo.replace_suggestions_of_documents(session, ids, coder, rows)
    totals.suggestions += len(rows)
