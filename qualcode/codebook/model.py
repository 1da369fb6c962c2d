"""The codebook format as strict pydantic models (docs/codebook-format.md), and helpers.

Field order in each model is the canonical key order `codebook fmt` writes. Unknown keys
are errors; strings are never coerced from numbers, booleans or dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

Lang = Literal["en", "da", "sv", "nb", "nn"]
TermLang = Literal["da", "sv", "nb", "nn"]
Polarity = Literal["positive", "negative", "neutral"]
ThemeKind = Literal["descriptive", "analytical"]

LANGUAGES: tuple[str, ...] = ("en", "da", "sv", "nb", "nn")
"""Every language a codebook may carry, in canonical order."""
TERM_LANGUAGES: tuple[str, ...] = ("da", "sv", "nb", "nn")
"""Languages with search terms (transcripts are Danish, Swedish or Norwegian)."""
FALLBACK: dict[str, tuple[str, ...]] = {
    "en": ("en",),
    "da": ("da", "en"),
    "sv": ("sv", "en"),
    "nb": ("nb", "en"),
    "nn": ("nn", "nb", "en"),
}
"""Where to look for a text missing in a language: Nynorsk falls back to Bokmål, then English."""

ID_PATTERN = r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"
CODEBOOK_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
GUID_PATTERN = (
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$"
)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
CodebookId = Annotated[str, StringConstraints(pattern=CODEBOOK_ID_PATTERN)]
Colour = Annotated[str, StringConstraints(pattern=COLOUR_PATTERN)]
Guid = Annotated[str, StringConstraints(pattern=GUID_PATTERN)]
Text = Annotated[str, AfterValidator(_not_blank)]
LangMap = dict[Lang, Text]
RequiredLangMap = Annotated[dict[Lang, Text], Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Target(_Strict):
    """Who or what a code's impact is on: a row of the impact matrices."""

    id: Id
    colour: Colour | None = None
    guid: Guid | None = None
    name: RequiredLangMap
    description: LangMap = Field(default_factory=dict)


class Theme(_Strict):
    """Codes grouped for thematic synthesis."""

    id: Id
    kind: ThemeKind | None = None
    guid: Guid | None = None
    name: RequiredLangMap
    description: LangMap = Field(default_factory=dict)
    codes: list[Id] = Field(default_factory=list)


class Code(_Strict):
    """A code: placed under a target or under a parent code, never both."""

    id: Id
    target: Id | None = None
    parent: Id | None = None
    polarity: Polarity
    colour: Colour | None = None
    guid: Guid | None = None
    renamed_from: list[Id] = Field(default_factory=list)
    aliases: list[Text] = Field(default_factory=list)
    name: RequiredLangMap
    definition: LangMap = Field(default_factory=dict)
    include: LangMap = Field(default_factory=dict)
    exclude: LangMap = Field(default_factory=dict)
    terms: dict[TermLang, list[Text]] = Field(default_factory=dict)
    examples: dict[Lang, list[Text]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_place(self) -> Code:
        if (self.target is None) == (self.parent is None):
            raise ValueError("a code needs exactly one of `target` and `parent`")
        return self


class Codebook(_Strict):
    """A whole codebook file."""

    codebook: CodebookId
    version: Annotated[int, Field(ge=1)]
    title: RequiredLangMap
    description: LangMap = Field(default_factory=dict)
    languages: Annotated[list[Lang], Field(min_length=1)]
    targets: list[Target] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    codes: list[Code] = Field(default_factory=list)


# -- plain helpers ---------------------------------------------------------------------


def text_in(texts: Mapping[Any, str], lang: str = "en") -> str | None:
    """The text of a language map in `lang`, falling back (nn -> nb -> en), else any."""
    for candidate in FALLBACK.get(lang, (lang, "en")):
        if candidate in texts:
            return texts[candidate]
    for candidate in LANGUAGES:
        if candidate in texts:
            return texts[candidate]
    return None


def code_name(code: Code | Target | Theme, lang: str = "en") -> str:
    """The name of a code (or target, theme) in `lang`, with the fallback of `text_in`."""
    return text_in(code.name, lang) or code.id


def terms_for(code: Code, lang: str) -> list[str]:
    """A code's search terms in one language; Nynorsk is the Bokmål terms plus nn extras."""
    if lang == "nn":
        return _unique([*code.terms.get("nb", []), *code.terms.get("nn", [])])
    return list(code.terms.get(lang, []))  # type: ignore[call-overload]


def all_terms(code: Code) -> dict[str, list[str]]:
    """Search terms for every term language, with the Nynorsk fallback applied."""
    return {lang: terms_for(code, lang) for lang in TERM_LANGUAGES}


def to_data(codebook: Codebook) -> dict[str, Any]:
    """The codebook as plain data in canonical order, empty and default fields left out."""
    data = codebook.model_dump(mode="python", exclude_defaults=True)
    return _canonical(data)  # type: ignore[no-any-return]


def code_data(code: Code) -> dict[str, Any]:
    """One code as plain data in canonical order (what `to_data` holds for it)."""
    return _canonical(code.model_dump(mode="python", exclude_defaults=True))  # type: ignore[no-any-return]


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        if value and all(key in LANGUAGES for key in value):
            keys = [lang for lang in LANGUAGES if lang in value]
        else:
            keys = list(value)
        return {key: _canonical(value[key]) for key in keys}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
