"""Finding and creating projects: a folder with a `qualcode.toml` and, by default, a database."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import ProjectExists, ProjectNotFound, QualcodeError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = "qualcode.toml"
DEFAULT_DB_NAME = "qualcode.db"


@dataclass(frozen=True)
class ProjectConfig:
    """Where a project lives and which database holds it."""

    root: Path
    database_url: str

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def find_project_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--project DIR`, else $QUALCODE_PROJECT, else the nearest folder upward with a config."""
    chosen = explicit or os.environ.get("QUALCODE_PROJECT")
    if chosen:
        root = Path(chosen).expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise ProjectNotFound(f"no {CONFIG_NAME} here (run `qualcode init`)", path=str(root))
        return root
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ProjectNotFound(
        f"no qualcode project in {here} or above: run `qualcode init` or pass --project DIR"
    )


def load_config(root: Path, database_url: str | None = None) -> ProjectConfig:
    """Read `qualcode.toml`; `database_url` (from --db or the environment) wins over it."""
    path = root / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise QualcodeError(f"not valid TOML: {exc}", path=str(path)) from None
    url = database_url or os.environ.get("QUALCODE_DATABASE_URL")
    if not url:
        database = data.get("database", {})
        url = database.get("url") or ""
        if not url:
            file = database.get("file", DEFAULT_DB_NAME)
            url = sqlite_url(root / file)
    return ProjectConfig(root=root, database_url=url)


def write_config(root: Path, database_url: str | None) -> ProjectConfig:
    """Create `qualcode.toml` in `root`; refuses if one is there already."""
    path = root / CONFIG_NAME
    if path.exists():
        raise ProjectExists("a qualcode project is here already", path=str(path))
    root.mkdir(parents=True, exist_ok=True)
    lines = [
        "# A qualcode project. The database holds transcripts and codings: keep it private.",
        "[project]",
        f'name = "{root.name}"',
        "",
        "[database]",
    ]
    if database_url:
        lines.append("# url given at init; --db or QUALCODE_DATABASE_URL override it")
        lines.append(f"url = {_toml_string(database_url)}")
    else:
        lines.append(f'file = "{DEFAULT_DB_NAME}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(root, database_url)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def default_coder() -> str:
    """$QUALCODE_CODER, else the login name."""
    coder = os.environ.get("QUALCODE_CODER")
    if coder:
        return coder
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "coder"
