"""The core never imports the UI: checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "qualcode.domain",
    "qualcode.errors",
    "qualcode.services",
    "qualcode.storage.repository",
    "qualcode.ingest.transcript",
    "qualcode.ingest.readers",
    "qualcode.nlp",
    "qualcode.cli",
]


def test_core_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in CORE)
        + "assert 'textual' not in sys.modules, 'textual imported by the core'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
