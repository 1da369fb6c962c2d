"""Agreement between coders: percent agreement, Cohen's kappa and Krippendorff's alpha,
per code and overall, at turn (or sentence) level, with the disagreements to discuss.

For each code, a unit (a participant turn, or a sentence) has, per coder, the value 1 if
the coder applied the code there (accepted) and 0 if not; a coder who has not coded the
document at all (no accepted or rejected coding in it) has no value there (missing).
Krippendorff's alpha (nominal) comes from the `krippendorff` package, which reproduces the
published worked examples (tests/test_agreement.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlmodel import Session

from qualcode.errors import QualcodeError
from qualcode.storage.tables import CodingRow, DocumentRow, SegmentRow, TurnRow


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement figures for one code (or "overall")."""

    code: str
    units: int
    observed: float | None
    kappa: float | None
    alpha: float | None


@dataclass(frozen=True)
class Disagreement:
    """A unit where the coders differ on a code."""

    document: str
    turn: int
    segment: int
    code: str
    applied_by: tuple[str, ...]
    not_by: tuple[str, ...]
    text: str


@dataclass
class AgreementReport:
    coders: list[str]
    unit: str
    per_code: list[CodeAgreement] = field(default_factory=list)
    overall: CodeAgreement | None = None
    disagreements: list[Disagreement] = field(default_factory=list)


def cohen_kappa(first: Sequence[int], second: Sequence[int]) -> float | None:
    """Cohen's kappa of two coders' values on the same units (None if undefined)."""
    n = len(first)
    if n == 0 or n != len(second):
        return None
    categories = set(first) | set(second)
    observed = sum(a == b for a, b in zip(first, second)) / n
    expected = sum((first.count(c) / n) * (second.count(c) / n) for c in categories)
    if expected == 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(matrix: list[list[float]]) -> float | None:
    """Nominal alpha of a coders x units matrix (nan = missing); None when undefined."""
    import krippendorff
    import numpy as np

    data = np.array(matrix, dtype=float)
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    data = data[:, pairable]
    if data.shape[1] == 0:
        return None
    values = set(data[~np.isnan(data)].tolist())
    if len(values) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


@dataclass(frozen=True)
class _Unit:
    document: str
    document_id: int
    turn_id: int
    turn: int
    segment_id: int  # 0 for a whole turn
    segment: int
    text: str


def agreement(
    engine: Engine,
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    unit: str = "turn",
    limit: int = 200,
) -> AgreementReport:
    """Agreement between coders on the documents at least two of them have coded."""
    if unit not in ("turn", "segment"):
        raise QualcodeError(f"--unit {unit}: choose turn or segment")
    with Session(engine) as session:
        rows = session.execute(
            select(
                CodingRow.document_id,
                CodingRow.turn_id,
                CodingRow.segment_id,
                CodingRow.code_id,
                CodingRow.coder,
                CodingRow.status,
            ).where(CodingRow.status != "suggested", CodingRow.turn_id.is_not(None))
        ).all()
        known = sorted({r.coder for r in rows})
        chosen = list(dict.fromkeys(coders)) if coders else known
        missing = [c for c in chosen if c not in known]
        if missing:
            raise QualcodeError(f"--coders: {missing[0]!r} has no accepted or rejected codings")
        if len(chosen) < 2:
            raise QualcodeError("agreement needs at least two coders with codings")
        covered: dict[int, set[str]] = defaultdict(set)
        on_turn: dict[tuple[str, str], set[int]] = defaultdict(set)  # whole turn, or any part
        on_segment: dict[tuple[str, str], set[int]] = defaultdict(set)
        whole_turn: dict[tuple[str, str], set[int]] = defaultdict(set)
        for document_id, turn_id, segment_id, code, coder, status in rows:
            if coder not in chosen:
                continue
            covered[document_id].add(coder)
            if status == "accepted":
                on_turn[(coder, code)].add(turn_id)
                if segment_id:
                    on_segment[(coder, code)].add(segment_id)
                else:
                    whole_turn[(coder, code)].add(turn_id)
        documents = sorted(d for d, who in covered.items() if len(who) >= 2)
        units = _units(session, documents, unit)
    wanted = list(codes) if codes else sorted({code for (_, code) in on_turn})

    def value(coder: str, code: str, item: _Unit) -> float:
        if coder not in covered[item.document_id]:
            return float("nan")
        if unit == "turn":
            return 1.0 if item.turn_id in on_turn[(coder, code)] else 0.0
        hit = (
            item.segment_id in on_segment[(coder, code)]
            or item.turn_id in whole_turn[(coder, code)]
        )
        return 1.0 if hit else 0.0

    report = AgreementReport(chosen, unit)
    pooled: list[list[float]] = [[] for _ in chosen]
    for code in wanted:
        matrix = [[value(coder, code, item) for item in units] for coder in chosen]
        report.per_code.append(_figures(code, matrix, len(chosen)))
        for row, values in zip(pooled, matrix):
            row.extend(values)
        for index, item in enumerate(units):
            present = {
                c: matrix[i][index]
                for i, c in enumerate(chosen)
                if matrix[i][index] == matrix[i][index]
            }
            if len(present) >= 2 and len(set(present.values())) > 1:
                report.disagreements.append(
                    Disagreement(
                        item.document,
                        item.turn,
                        item.segment,
                        code,
                        tuple(c for c, v in present.items() if v == 1.0),
                        tuple(c for c, v in present.items() if v == 0.0),
                        " ".join(item.text.split())[:300],
                    )
                )
    report.overall = _figures("overall", pooled, len(chosen))
    report.disagreements.sort(key=lambda d: (d.document, d.turn, d.segment, d.code))
    del report.disagreements[limit:]
    return report


def _units(session: Session, documents: list[int], unit: str) -> list[_Unit]:
    """Participant turns (or their sentences) of the documents, in reading order."""
    if not documents:
        return []
    names = dict(
        session.execute(
            select(DocumentRow.id, DocumentRow.name).where(DocumentRow.id.in_(documents))  # type: ignore[attr-defined]
        ).all()
    )
    turns = session.execute(
        select(TurnRow.id, TurnRow.document_id, TurnRow.number, TurnRow.text).where(
            TurnRow.document_id.in_(documents), TurnRow.role == "participant"
        )  # type: ignore[attr-defined]
    ).all()
    turns = sorted(turns, key=lambda t: (names[t.document_id], t.number))
    if unit == "turn":
        return [
            _Unit(names[t.document_id], t.document_id, t.id, t.number, 0, 1, t.text) for t in turns
        ]
    sentences: dict[int, list] = defaultdict(list)
    for row in session.execute(
        select(SegmentRow.id, SegmentRow.turn_id, SegmentRow.number, SegmentRow.text).where(
            SegmentRow.turn_id.in_([t.id for t in turns])
        )  # type: ignore[attr-defined]
    ):
        sentences[row.turn_id].append(row)
    return [
        _Unit(names[t.document_id], t.document_id, t.id, t.number, s.id, s.number, s.text)
        for t in turns
        for s in sorted(sentences[t.id], key=lambda s: s.number)
    ]


def _figures(code: str, matrix: list[list[float]], coders: int) -> CodeAgreement:
    columns = list(zip(*matrix)) if matrix and matrix[0] else []
    complete = [col for col in columns if sum(v == v for v in col) >= 2]
    if not complete:
        return CodeAgreement(code, 0, None, None, None)
    agree = 0.0
    for col in complete:
        present = [v for v in col if v == v]
        pairs = len(present) * (len(present) - 1)
        same = sum(
            1 for i, a in enumerate(present) for j, b in enumerate(present) if i != j and a == b
        )
        agree += same / pairs
    observed = agree / len(complete)
    kappa = None
    if coders == 2:
        both = [col for col in complete if all(v == v for v in col)]
        kappa = cohen_kappa([int(c[0]) for c in both], [int(c[1]) for c in both])
    return CodeAgreement(code, len(complete), observed, kappa, krippendorff_alpha(matrix))
