"""The codebook screen: codes in a tree by target; the highlighted code's full entry beside it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, Static, Tree

from qualcode.coding import CodebookInfo, CodeInfo
from qualcode.tui.widgets.chips import POLARITY_SIGN, chip_style, polarity_of
from qualcode.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from qualcode.tui.app import QualcodeApp

NO_TARGET = "(no target)"
TARGET = "target:"  # prefix of a target node's data; a code node's data is the code id


class CodebookTree(Tree[str]):
    """Targets and their codes; a node's data is a code id (None for a target)."""


class CodebookScreen(Screen[None]):
    """Browses the codebook in one of its languages."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("l", "language", "Language"),
    ]

    language: reactive[str] = reactive("en", init=False)
    loaded: reactive[bool] = reactive(False)

    @dataclass
    class Loaded(Message):
        """The codebook and its counts were read."""

        books: list[CodebookInfo]
        codes: dict[str, CodeInfo]
        counts: dict[str, int]

    def __init__(self, language: str = "en") -> None:
        super().__init__()
        self.set_reactive(CodebookScreen.language, language)
        self.books: list[CodebookInfo] = []
        self.codes: dict[str, CodeInfo] = {}
        self.counts: dict[str, int] = {}

    @property
    def qapp(self) -> QualcodeApp:
        return cast("QualcodeApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="codebook-body"):
            yield CodebookTree("Codebook", id="codebook-tree")
            with VerticalScroll(id="code-detail"):
                yield Static("reading the codebook…", id="code-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Codebook"
        self._subtitle()
        self.query_one(CodebookTree).focus()
        self.load()

    def _subtitle(self) -> None:
        self.sub_title = f"language {self.language} (l changes it) · coder {self.qapp.coder}"

    @work(thread=True, exclusive=True, group="codebook")
    def load(self) -> None:
        service = self.qapp.service
        self.post_message(
            self.Loaded(service.codebooks(), dict(service.codes()), service.accepted_counts())
        )

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.books, self.codes, self.counts = event.books, event.codes, event.counts
        languages = self._languages()
        if self.language not in languages and languages:
            self.set_reactive(CodebookScreen.language, languages[0])
            self._subtitle()
        self._build()
        self.loaded = True

    def _languages(self) -> list[str]:
        seen: list[str] = []
        for book in self.books:
            for language in book.languages:
                if language not in seen:
                    seen.append(language)
        return seen or ["en"]

    def _target_names(self) -> dict[str, dict[str, str]]:
        return {tid: names for book in self.books for tid, names in book.targets}

    def _build(self) -> None:
        tree = self.query_one(CodebookTree)
        highlighted = tree.cursor_node.data if tree.cursor_node else None
        tree.clear()
        language = self.language
        titles = [
            book.title.get(language) or book.title.get("en") or book.id for book in self.books
        ]
        tree.root.set_label(" · ".join(titles) or "Codebook")
        if not self.codes:
            tree.root.add_leaf("No codebook: run `qualcode codebook use FILE`")
            self.query_one("#code-text", Static).update("")
            return
        names = self._target_names()
        order = [tid for book in self.books for tid, _ in book.targets]
        by_target: dict[str, list[CodeInfo]] = {}
        for code in self.codes.values():
            target = code.target or NO_TARGET
            by_target.setdefault(target, []).append(code)
            if target not in order:
                order.append(target)
        select_line = None
        for target in order:
            codes = by_target.get(target)
            if not codes:
                continue
            label = names.get(target, {}).get(language) or names.get(target, {}).get("en")
            accepted = sum(self.counts.get(c.id, 0) for c in codes)
            node = tree.root.add(
                Text.assemble(
                    (label or target.replace("_", " ").capitalize(), "bold"),
                    (f" ({accepted})" if accepted else "", "dim"),
                ),
                data=TARGET + target,
                expand=True,
            )
            for code in codes:
                polarity = polarity_of(code)
                text = Text.assemble(
                    (
                        f" {POLARITY_SIGN[polarity]} ",
                        chip_style(f"chip--accepted-{polarity}"),
                    ),
                    f" {code.name_in(language)}",
                )
                if self.counts.get(code.id):
                    text.append(f" ({self.counts[code.id]})", style="dim")
                if code.retired:
                    text.append("  retired", style="italic dim")
                leaf = node.add_leaf(text, data=code.id)
                if code.id == highlighted:
                    select_line = leaf
        tree.root.expand()
        if select_line is None and tree.root.children and tree.root.children[0].children:
            select_line = tree.root.children[0].children[0]
        if select_line is not None:
            # The tree lays out its new lines on the next refresh: move the cursor after it.
            self.call_after_refresh(tree.move_cursor, select_line)
            self._show(select_line.data)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        self._show(event.node.data)

    def _show(self, data: str | None) -> None:
        detail = self.query_one("#code-text", Static)
        if data and data.startswith(TARGET):
            detail.update(self._target_detail(data[len(TARGET) :]))
            return
        code = self.codes.get(data) if data else None
        detail.update(self._detail(code) if code else "Choose a code to see its definition.")

    def _target_detail(self, target: str) -> RenderableType:
        names = self._target_names().get(target, {})
        codes = [c for c in self.codes.values() if (c.target or NO_TARGET) == target]
        by_polarity = Counter(polarity_of(c) for c in codes)
        accepted = sum(self.counts.get(c.id, 0) for c in codes)
        return Group(
            Text(_in(names, self.language) or target, style="bold"),
            Text(f"target {target}", style="dim"),
            Text(""),
            Text(
                f"{len(codes)} codes: {by_polarity['positive']} positive, "
                f"{by_polarity['negative']} negative, {by_polarity['neutral']} neutral"
            ),
            Text(f"{accepted} accepted codings"),
        )

    def _detail(self, code: CodeInfo) -> RenderableType:
        language = self.language
        polarity = polarity_of(code)
        chip = chip_style(f"chip--accepted-{polarity}")
        names = self._target_names().get(code.target or "", {})
        parts: list[RenderableType] = [
            Text.assemble(
                (f" {POLARITY_SIGN[polarity]} {polarity} ", chip),
                "  ",
                (code.name_in(language), "bold"),
            ),
            Text(
                f"{code.id} · target {names.get(language) or code.target or '—'}"
                f" · {self.counts.get(code.id, 0)} accepted codings"
                + (" · retired" if code.retired else ""),
                style="dim",
            ),
        ]
        for title, texts in (
            ("Definition", code.definition),
            ("Include", code.include),
            ("Exclude", code.exclude),
        ):
            body = _in(texts, language)
            if body:
                parts += [Text(""), Text(title, style="bold underline"), Text(body)]
        examples = code.examples.get(language) or []
        if examples:
            parts += [Text(""), Text("Examples", style="bold underline")]
            parts += [Text(f"• {example}") for example in examples]
        terms = code.terms.get(language) or []
        if terms:
            parts += [Text(""), Text("Terms", style="bold underline"), Text(", ".join(terms))]
        if len(code.names) > 1:
            parts += [Text(""), Text("In other languages", style="bold underline")]
            parts += [Text(f"{lang}: {name}") for lang, name in code.names.items()]
        return Group(*parts)

    def watch_language(self) -> None:
        self._subtitle()
        if self.loaded:
            self._build()

    def action_language(self) -> None:
        languages = self._languages()
        position = languages.index(self.language) if self.language in languages else -1
        self.language = languages[(position + 1) % len(languages)]

    def action_back(self) -> None:
        self.app.pop_screen()


def _in(texts: dict[str, str], language: str) -> str:
    for key in (language, "nb" if language == "nn" else language, "en"):
        if texts.get(key):
            return texts[key]
    return ""
