"""Storage: migrations build the schema the models describe; SQLite is set up safely."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from qualcode.storage.engine import make_engine
from qualcode.storage.migrate import current_revision, head_revision, upgrade


def test_migrations_match_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import qualcode.storage.tables  # noqa: F401

    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    assert upgrade(engine) is True
    assert upgrade(engine) is False
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_sqlite_pragmas_and_private_file(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_project_from_the_first_version_opens_after_upgrade(tmp_path: Path) -> None:
    """Migrate a database to the first revision, store data, then upgrade to head."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO documents (name, source_path, content_hash, format, language, "
                "language_source, text, header, metadata, imported_at) VALUES "
                "('a.txt', '', 'h', 'txt', 'da', 'given', 'B: hej', '', '{}', "
                "'2026-01-01 00:00:00')"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM documents")).scalar() == "a.txt"
    backups = list(tmp_path.glob("old.db.before-*.bak"))
    assert len(backups) == 1  # the file as it was, copied before the migration
    old = create_engine(f"sqlite:///{backups[0]}")
    with old.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        )
    assert "codings" in inspect(create_engine(f"sqlite:///{tmp_path / 'old.db'}")).get_table_names()
