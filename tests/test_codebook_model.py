"""The codebook models are strict, and the language helpers fall back nn -> nb -> en."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from qualcode.codebook.load import load_codebook
from qualcode.codebook.model import (
    Code,
    Codebook,
    all_terms,
    code_name,
    terms_for,
    text_in,
    to_data,
)

FIXTURES = Path(__file__).parent / "fixtures" / "codebook"


def code(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "users.a",
        "target": "users",
        "polarity": "positive",
        "name": {"en": "A", "nb": "A på bokmål"},
        "terms": {"nb": ["trygg", "modig"], "nn": ["modig", "trygg på meg sjølv"]},
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_names_fall_back_from_nynorsk_to_bokmal_to_english() -> None:
    model = Code.model_validate(code())
    assert code_name(model, "nn") == "A på bokmål"
    assert code_name(model, "nb") == "A på bokmål"
    assert code_name(model, "da") == "A"
    assert text_in({"sv": "bara svenska"}, "en") == "bara svenska"
    assert text_in({}, "en") is None


def test_nynorsk_terms_are_bokmal_terms_plus_nynorsk_extras() -> None:
    model = Code.model_validate(code())
    assert terms_for(model, "nn") == ["trygg", "modig", "trygg på meg sjølv"]
    assert terms_for(model, "nb") == ["trygg", "modig"]
    assert terms_for(model, "da") == []
    assert all_terms(model) == {
        "da": [],
        "sv": [],
        "nb": ["trygg", "modig"],
        "nn": ["trygg", "modig", "trygg på meg sjølv"],
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"polarity": "good"}, "Input should be 'positive', 'negative' or 'neutral'"),
        ({"colour": "#12345"}, "String should match pattern"),
        ({"id": "Users.A"}, "String should match pattern"),
        ({"id": "users..a"}, "String should match pattern"),
        ({"parent": "users.b"}, "exactly one of `target` and `parent`"),
        ({"target": None}, "exactly one of `target` and `parent`"),
        ({"extra": 1}, "Extra inputs are not permitted"),
        ({"name": {}}, "at least 1 item"),
        ({"name": {"de": "A"}}, "Input should be 'en', 'da', 'sv', 'nb' or 'nn'"),
        ({"name": {"en": "  "}}, "must not be empty"),
        ({"terms": {"en": ["x"]}}, "Input should be 'da', 'sv', 'nb' or 'nn'"),
        ({"aliases": [True]}, "Input should be a valid string"),
        ({"definition": {"en": 1.5}}, "Input should be a valid string"),
    ],
)
def test_codes_are_strict(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Code.model_validate(code(**changes))


def test_codebook_version_is_a_whole_number() -> None:
    data = to_data(load_codebook(FIXTURES / "small.yaml").codebook)
    data["version"] = "1"
    with pytest.raises(ValidationError):
        Codebook.model_validate(data)


def test_to_data_is_canonical_and_drops_empty_fields() -> None:
    book = load_codebook(FIXTURES / "messy.yaml").codebook
    data = to_data(book)
    assert list(data) == ["codebook", "version", "title", "languages", "targets", "themes", "codes"]
    assert list(data["title"]) == ["en", "da", "sv", "nb"]
    first = data["codes"][0]
    assert list(first) == [
        "id",
        "target",
        "polarity",
        "colour",
        "aliases",
        "name",
        "definition",
        "include",
        "terms",
        "examples",
    ]
    assert "renamed_from" not in first  # `renamed_from: []` in the file
    assert list(first["terms"]) == ["da", "sv", "nb"]
