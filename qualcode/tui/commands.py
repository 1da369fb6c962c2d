"""Command palette entries: open any document by name (the app adds its actions too)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from qualcode.tui.app import QualcodeApp


class DocumentCommands(Provider):
    """`Open <document>` for every document of the project."""

    @property
    def qapp(self) -> QualcodeApp:
        return cast("QualcodeApp", self.app)

    async def discover(self) -> Hits:
        for name in self.qapp.document_names[:20]:
            yield DiscoveryHit(
                f"Open {name}", partial(self.qapp.open_document, name), help="code this document"
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name in self.qapp.document_names:
            text = f"Open {name}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self.qapp.open_document, name),
                    help="code this document",
                )
