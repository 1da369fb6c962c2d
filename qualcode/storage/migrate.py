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
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return True
