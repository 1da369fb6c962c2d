"""Benchmark: `matrix` on 1,000,000 codings over 1,000 documents, against a plain Python
reference implementation measured in the same run.

    python bench/bench_matrix.py [--codings 1000000] [--documents 1000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import insert, select
from sqlmodel import Session

REPO = Path(__file__).resolve().parents[1]


def build(root: Path, documents: int, codings: int, seed: int = 11):  # type: ignore[no-untyped-def]
    from qualcode.codebook.reconcile import use_codebooks
    from qualcode.services import Project
    from qualcode.storage.tables import (
        CodeRow,
        CodingRow,
        DocumentAttributeRow,
        DocumentRow,
        TurnRow,
        utcnow,
    )

    rng = random.Random(seed)
    project = Project.create(root)
    use_codebooks(project.engine, [REPO / "codebooks" / "impact.yaml"])
    turns_per_document = 100
    with Session(project.engine) as session, session.begin():
        codes = list(session.execute(select(CodeRow.id)).scalars())
        session.execute(
            insert(DocumentRow),
            [
                {
                    "id": d + 1,
                    "name": f"doc{d:04d}.txt",
                    "content_hash": str(d),
                    "format": "txt",
                    "language": ("da", "sv", "nb", "nn")[d % 4],
                    "language_source": "given",
                    "text": "x" * 10_000,
                    "header": "",
                    "metadata_": {},
                    "imported_at": utcnow(),
                }
                for d in range(documents)
            ],
        )
        session.execute(
            insert(DocumentAttributeRow),
            [
                {"document_id": d + 1, "key": "site", "value": f"site{d % 7}"}
                for d in range(documents)
            ],
        )
        session.execute(
            insert(TurnRow),
            [
                {
                    "id": d * turns_per_document + t + 1,
                    "document_id": d + 1,
                    "number": t + 1,
                    "speaker": f"D{t % 5}",
                    "role": "participant",
                    "start": t * 100,
                    "end": t * 100 + 90,
                    "text": "...",
                }
                for d in range(documents)
                for t in range(turns_per_document)
            ],
        )
        now = utcnow()
        rows = []
        seen = set()
        while len(rows) < codings:
            d = rng.randrange(documents)
            t = rng.randrange(turns_per_document)
            code = rng.choice(codes)
            coder = rng.choice(("anna", "bo", "cai"))
            key = (d, t, code, coder)
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                {
                    "document_id": d + 1,
                    "turn_id": d * turns_per_document + t + 1,
                    "start": t * 100,
                    "end": t * 100 + 90,
                    "code_id": code,
                    "coder": coder,
                    "status": rng.choice(("accepted", "accepted", "suggested", "rejected")),
                    "source": "bench",
                    "explanation": "",
                    "memo": "",
                    "anchor": "ok",
                    "quote": "",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(rows) % 200_000 == 0:
                session.execute(insert(CodingRow), rows[-200_000:])
        remainder = len(rows) % 200_000
        if remainder:
            session.execute(insert(CodingRow), rows[-remainder:])
    return project


def reference(engine, spec):  # type: ignore[no-untyped-def]
    """Load every coding and count in Python (what the SQL replaces)."""
    from qualcode.storage.tables import CodeRow, CodingRow, DocumentRow

    with Session(engine) as session:
        polarity = dict(session.execute(select(CodeRow.id, CodeRow.polarity)).all())
        target = dict(session.execute(select(CodeRow.id, CodeRow.target)).all())
        names = dict(session.execute(select(DocumentRow.id, DocumentRow.name)).all())
        rows = session.execute(
            select(
                CodingRow.document_id,
                CodingRow.turn_id,
                CodingRow.segment_id,
                CodingRow.code_id,
                CodingRow.status,
            )
        ).all()
    cells: dict[tuple[str, str], set] = defaultdict(set)
    for document_id, turn_id, segment_id, code, status in rows:
        if status != "accepted" or polarity[code] != spec.polarity:
            continue
        cells[(target[code], names[document_id])].add((turn_id, segment_id))
    return {key: len(units) for key, units in cells.items()}


def main() -> None:
    from qualcode.aggregate import MatrixSpec, matrix

    parser = argparse.ArgumentParser()
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        project = build(Path(folder) / "p", args.documents, args.codings)
        print(
            f"built {args.codings:,} codings over {args.documents:,} documents in "
            f"{time.perf_counter() - start:.1f} s"
        )
        for spec in (
            MatrixSpec(),
            MatrixSpec(polarity="negative", rows="code", cols="site"),
            MatrixSpec(rows="theme", cols="language", count="documents"),
        ):
            start = time.perf_counter()
            result = matrix(project.engine, spec)
            took = time.perf_counter() - start
            print(
                f"matrix {spec.polarity} rows={spec.rows} cols={spec.cols} "
                f"count={spec.count}: {took:.2f} s ({len(result.rows)}x{len(result.columns)})"
            )
        spec = MatrixSpec()
        start = time.perf_counter()
        sql = matrix(project.engine, spec)
        sql_time = time.perf_counter() - start
        start = time.perf_counter()
        expected = reference(project.engine, spec)
        reference_time = time.perf_counter() - start
        agree = all(sql.value(r, c) == n for (r, c), n in expected.items())
        print(
            f"default matrix: SQL {sql_time:.2f} s, Python reference {reference_time:.2f} s, "
            f"ratio {reference_time / sql_time:.1f}x; same cells: {agree}"
        )


if __name__ == "__main__":
    main()
