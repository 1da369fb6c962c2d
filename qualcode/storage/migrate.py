"""Schema migrations with Alembic, run from code: a project opens after any upgrade."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from qualcode.errors import StorageError

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Bring the schema to `revision`; True when anything was migrated."""
    script = ScriptDirectory.from_config(alembic_config())
    current = current_revision(engine)
    target = script.get_current_head() if revision == "head" else revision
    if current == target:
        return False
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise StorageError(
            f"the database is at schema version {current}, newer than this qualcode knows: "
            "upgrade qualcode"
        )
    if current is not None:
        backup_before_migration(engine, current, target or "head")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return True


def backup_before_migration(engine: Engine, current: str, target: str) -> Path | None:
    """Copy an SQLite project file (online backup API) before its schema changes."""
    if engine.url.get_backend_name() != "sqlite" or not engine.url.database:
        return None
    source = Path(engine.url.database)
    if not source.exists():
        return None
    destination = source.with_name(f"{source.name}.before-{target}.bak")
    return sqlite_backup(source, destination)


def sqlite_backup(source: Path, destination: Path) -> Path:
    """A consistent copy of a live SQLite database, readable by its owner only."""
    import os
    import sqlite3

    fd = os.open(destination, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    with sqlite3.connect(source) as live, sqlite3.connect(destination) as copy:
        live.backup(copy)
    return destination
