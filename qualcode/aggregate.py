"""Impact matrices, quotes behind their cells, and code co-occurrence, computed in SQL.

A matrix cell is the number of distinct coded units (segments, or documents) in a column
with at least one code of the row and the polarity; see cli-contract.md. The counting runs
in the database with GROUP BY and COUNT(DISTINCT ...), never by loading every coding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Engine,
    String,
    and_,
    func,
    literal,
    select,
    union_all,
)
from sqlmodel import Session

from qualcode.errors import QualcodeError
from qualcode.storage.tables import (
    CodebookRow,
    CodeRow,
    CodingRow,
    DocumentAttributeRow,
    DocumentRow,
    TurnRow,
)

ROW_DIMENSIONS = ("target", "code", "theme")
BUILT_IN_COLUMNS = ("document", "language", "speaker")
STATUS_FILTERS = {
    "accepted": ("accepted",),
    "suggested": ("suggested",),
    "all": ("accepted", "suggested"),
}
MISSING = "(none)"
TOTAL = "Total"


@dataclass(frozen=True)
class MatrixSpec:
    """What `qualcode matrix` is asked for."""

    polarity: str = "positive"
    rows: str = "target"
    cols: str = "document"
    count: str = "segments"
    status: str = "accepted"
    coder: str | None = None


@dataclass
class Matrix:
    """Counts by row and column, with the totals the contract defines."""

    spec: MatrixSpec
    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], int] = field(default_factory=dict)
    row_totals: dict[str, int] = field(default_factory=dict)
    column_totals: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def value(self, row: str, column: str) -> int:
        return self.cells.get((row, column), 0)

    def table(self) -> list[list[Any]]:
        """Header row, one row per row value, then the Total row."""
        lines: list[list[Any]] = [[self.spec.rows, *self.columns, TOTAL]]
        for row in self.rows:
            lines.append(
                [row, *(self.value(row, c) for c in self.columns), self.row_totals.get(row, 0)]
            )
        lines.append([TOTAL, *(self.column_totals.get(c, 0) for c in self.columns), self.total])
        return lines


def _unit(count: str) -> Any:
    """The counted unit as an integer: a document, or a segment (a turn coded as a whole
    and each sentence coded on its own are different segments; a coding whose place was
    lost on re-import is a unit of its own)."""
    if count == "documents":
        return CodingRow.document_id
    return func.coalesce(
        CodingRow.segment_id * 2,
        CodingRow.turn_id * 2 + 1,
        -CodingRow.id,
    )


class _Query:
    """The joins and filters shared by the cell, total and quote queries."""

    def __init__(self, session: Session, spec: MatrixSpec) -> None:
        if spec.rows not in ROW_DIMENSIONS:
            raise QualcodeError(f"--rows {spec.rows}: choose target, code or theme")
        if spec.polarity not in ("positive", "negative"):
            raise QualcodeError(f"--polarity {spec.polarity}: choose positive or negative")
        if spec.status not in STATUS_FILTERS:
            raise QualcodeError(f"--status {spec.status}: choose accepted, suggested or all")
        self.session = session
        self.spec = spec
        self.row_order, self.theme_pairs = _row_order(session, spec)
        self._theme_table: Any = None
        self.attribute = None if spec.cols in BUILT_IN_COLUMNS else spec.cols
        if self.attribute is not None:
            known = set(session.execute(select(DocumentAttributeRow.key).distinct()).scalars())
            if self.attribute not in known:
                choices = ", ".join(sorted([*BUILT_IN_COLUMNS, *known]))
                raise QualcodeError(f"--cols {spec.cols}: no such case attribute ({choices})")

    def row_expression(self) -> Any:
        if self.spec.rows == "code":
            return CodeRow.id
        if self.spec.rows == "target":
            return func.coalesce(CodeRow.target, literal(MISSING))
        return self._themes.c.theme

    def column_expression(self) -> Any:
        if self.spec.cols == "document":
            return DocumentRow.name
        if self.spec.cols == "language":
            return DocumentRow.language
        if self.spec.cols == "speaker":
            return func.coalesce(TurnRow.speaker, literal(MISSING))
        return func.coalesce(DocumentAttributeRow.value, literal(MISSING))

    @property
    def _themes(self) -> Any:
        """Theme -> code pairs as a derived table (built once: it is joined by identity)."""
        if self._theme_table is None:
            pairs = self.theme_pairs or [("", "")]
            self._theme_table = union_all(
                *(
                    select(
                        literal(theme, String).label("theme"), literal(code, String).label("code")
                    )
                    for theme, code in pairs
                )
            ).subquery("theme_map")
        return self._theme_table

    def base(self, *columns: Any) -> Any:
        query = (
            select(*columns)
            .select_from(CodingRow)
            .join(CodeRow, CodeRow.id == CodingRow.code_id)
            .join(DocumentRow, DocumentRow.id == CodingRow.document_id)
            .where(
                CodeRow.polarity == self.spec.polarity,
                CodingRow.status.in_(STATUS_FILTERS[self.spec.status]),
            )  # type: ignore[attr-defined]
        )
        if self.spec.coder:
            query = query.where(CodingRow.coder == self.spec.coder)
        if self.spec.cols == "speaker":
            query = query.outerjoin(TurnRow, TurnRow.id == CodingRow.turn_id)
        if self.attribute is not None:
            query = query.outerjoin(
                DocumentAttributeRow,
                and_(
                    DocumentAttributeRow.document_id == DocumentRow.id,
                    DocumentAttributeRow.key == self.attribute,
                ),
            )
        if self.spec.rows == "theme":
            themes = self._themes
            query = query.join(themes, themes.c.code == CodeRow.id)
        return query


def matrix(engine: Engine, spec: MatrixSpec) -> Matrix:
    """Compute an impact matrix in the database."""
    with Session(engine) as session:
        q = _Query(session, spec)
        unit = _unit(spec.count)
        row, col = q.row_expression(), q.column_expression()
        cells = {
            (str(r), str(c)): int(n)
            for r, c, n in session.execute(
                q.base(row, col, func.count(func.distinct(unit))).group_by(row, col)
            )
        }
        column_totals = {
            str(c): int(n)
            for c, n in session.execute(q.base(col, func.count(func.distinct(unit))).group_by(col))
        }
        # Each unit lies in exactly one column (a segment in one turn of one document; a
        # document has one language and one value per attribute), so a row's total is the
        # sum of its cells and the grand total the sum of the columns'. Not so for
        # documents by speaker: a document has many speakers.
        if spec.count == "documents" and spec.cols == "speaker":
            row_totals = {
                str(r): int(n)
                for r, n in session.execute(
                    q.base(row, func.count(func.distinct(unit))).group_by(row)
                )
            }
            total = int(session.execute(q.base(func.count(func.distinct(unit)))).scalar_one() or 0)
        else:
            row_totals = {}
            for (r, _), n in cells.items():
                row_totals[r] = row_totals.get(r, 0) + n
            total = sum(column_totals.values())
        columns = _column_values(session, spec, q.attribute)
    rows = list(q.row_order)
    for r, _ in cells:
        if r not in rows:
            rows.append(r)  # a code outside the loaded codebooks' order: keep it, at the end
    columns = sorted(set(columns) | {c for _, c in cells})
    return Matrix(spec, rows, columns, cells, row_totals, column_totals, total)


def _row_order(session: Session, spec: MatrixSpec) -> tuple[list[str], list[tuple[str, str]]]:
    """Row values in codebook order, for the codes of the polarity; theme -> code pairs."""
    codes = session.execute(
        select(CodeRow.id, CodeRow.target, CodeRow.codebook_id)
        .where(CodeRow.polarity == spec.polarity)
        .order_by(CodeRow.codebook_id, CodeRow.position, CodeRow.id)
    ).all()
    books = {row.id: row.data or {} for row in session.execute(select(CodebookRow)).scalars()}
    pairs: list[tuple[str, str]] = []
    theme_order: list[str] = []
    polar = {code for code, _, _ in codes}
    for data in books.values():
        for theme in data.get("themes") or []:
            members = [c for c in theme.get("codes", []) if c in polar]
            if members:
                theme_order.append(theme["id"])
                pairs.extend((theme["id"], c) for c in members)
    if spec.rows == "code":
        return [code for code, _, _ in codes], pairs
    if spec.rows == "theme":
        return theme_order, pairs
    order: list[str] = []
    for book_id in dict.fromkeys(book for _, _, book in codes):
        for target in books.get(book_id or "", {}).get("targets") or []:
            if any(t == target["id"] for _, t, b in codes if b == book_id):
                order.append(target["id"])
    for _, target, _ in codes:
        value = target or MISSING
        if value not in order:
            order.append(value)
    return order, pairs


def _column_values(session: Session, spec: MatrixSpec, attribute: str | None) -> list[str]:
    """Every case value of the column dimension in the project, coded or not."""
    if spec.cols == "document":
        return list(session.execute(select(DocumentRow.name)).scalars())
    if spec.cols == "language":
        return list(session.execute(select(DocumentRow.language).distinct()).scalars())
    if spec.cols == "speaker":
        return [
            s or MISSING
            for s in session.execute(
                select(TurnRow.speaker).where(TurnRow.role == "participant").distinct()
            ).scalars()
        ]
    found = list(
        session.execute(
            select(DocumentAttributeRow.value)
            .where(DocumentAttributeRow.key == attribute)
            .distinct()
        ).scalars()
    )
    documents = session.execute(select(func.count()).select_from(DocumentRow)).scalar_one()
    with_attribute = session.execute(
        select(func.count())
        .select_from(DocumentAttributeRow)
        .where(DocumentAttributeRow.key == attribute)
    ).scalar_one()
    if with_attribute < documents:
        found.append(MISSING)
    return found


def column_dimensions(engine: Engine) -> list[str]:
    """What a matrix's columns can be: document, language, speaker, then each case
    attribute of the project's documents (sorted)."""
    with Session(engine) as session:
        keys = session.execute(select(DocumentAttributeRow.key).distinct()).scalars()
        attributes = sorted({key for key in keys if key not in BUILT_IN_COLUMNS})
    return [*BUILT_IN_COLUMNS, *attributes]


@dataclass(frozen=True)
class Quote:
    """A coded passage behind a matrix cell."""

    document: str
    turn: int | None
    speaker: str | None
    code: str
    coder: str
    row: str
    column: str
    text: str


def quotes(
    engine: Engine, spec: MatrixSpec, row: str | None = None, column: str | None = None
) -> list[Quote]:
    """The coded passages of a cell (or a whole row / column), in document and turn order."""
    with Session(engine) as session:
        q = _Query(session, spec)
        row_expr, col_expr = q.row_expression(), q.column_expression()
        query = q.base(
            DocumentRow.name,
            CodingRow.turn_id,
            CodeRow.id,
            CodingRow.coder,
            row_expr,
            col_expr,
            CodingRow.start,
            CodingRow.end,
            DocumentRow.id,
        )
        if row is not None:
            query = query.where(row_expr == row)
        if column is not None:
            query = query.where(col_expr == column)
        rows = session.execute(query).all()
        turn_ids = {r[1] for r in rows if r[1] is not None}
        turns = (
            {
                t.id: t
                for t in session.execute(
                    select(TurnRow).where(TurnRow.id.in_(turn_ids))  # type: ignore[union-attr]
                ).scalars()
            }
            if turn_ids
            else {}
        )
        texts = {}
        for document_id in {r[8] for r in rows}:
            texts[document_id] = session.execute(
                select(DocumentRow.text).where(DocumentRow.id == document_id)
            ).scalar_one()
    result = []
    for name, turn_id, code, coder, r, c, start, end, document_id in rows:
        turn = turns.get(turn_id)
        passage = " ".join(texts[document_id][start:end].split())
        result.append(
            Quote(
                name,
                turn.number if turn else None,
                turn.speaker if turn else None,
                code,
                coder,
                str(r),
                str(c),
                passage,
            )
        )
    result.sort(key=lambda x: (x.document, x.turn or 0, x.code, x.coder))
    return result


@dataclass
class Cooccurrence:
    """How often two codes are applied to the same segment (or document)."""

    codes: list[str]
    counts: dict[tuple[str, str], int]


def cooccurrence(
    engine: Engine, within: str = "segment", status: str = "accepted", coder: str | None = None
) -> Cooccurrence:
    """Code x code: distinct segments (or documents) holding both codes."""
    if within not in ("segment", "document"):
        raise QualcodeError(f"--within {within}: choose segment or document")
    statuses = STATUS_FILTERS.get(status)
    if statuses is None:
        raise QualcodeError(f"--status {status}: choose accepted, suggested or all")
    unit = _unit("documents" if within == "document" else "segments")
    units = (
        select(unit.label("unit"), CodingRow.code_id.label("code")).where(
            CodingRow.status.in_(statuses)
        )  # type: ignore[attr-defined]
    )
    if coder:
        units = units.where(CodingRow.coder == coder)
    units = units.distinct().subquery()
    other = units.alias("other")
    query = (
        select(units.c.code, other.c.code, func.count())
        .join(other, and_(other.c.unit == units.c.unit, other.c.code != units.c.code))
        .group_by(units.c.code, other.c.code)
    )
    with Session(engine) as session:
        counts = {(a, b): int(n) for a, b, n in session.execute(query)}
        order = list(
            session.execute(
                select(CodeRow.id).order_by(CodeRow.codebook_id, CodeRow.position, CodeRow.id)
            ).scalars()
        )
    used = {code for pair in counts for code in pair}
    return Cooccurrence([c for c in order if c in used], counts)


def matrix_rows_for_export(matrix_: Matrix) -> Sequence[Sequence[Any]]:
    return matrix_.table()
