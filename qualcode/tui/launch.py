"""`qualcode tui` (and `qualcode` alone on a terminal): run the workbench."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qualcode.errors import QualcodeError


def run_tui(context: Any) -> None:
    """Open the project of `context` (a `qualcode.cli.Context`) in the workbench.

    Without a project the app shows its start screen (create one here, or the sample
    corpus). A project that cannot be opened ends with a one-line error, as in the CLI.
    """
    from qualcode.tui.app import QualcodeApp

    app = QualcodeApp(
        context.coder, context.open, folder=Path.cwd(), database_url=context.database_url
    )
    app.run()
    if app.error:
        raise QualcodeError(app.error)
