"""Language detection is deterministic and tells Danish, Swedish, Bokmål and Nynorsk apart."""

from __future__ import annotations

import pytest

from qualcode.ingest.language import detect_language
from tests.conftest import SHARED

SAMPLES = {
    "da": "Jeg ved ikke, hvad jeg skal sige. Det var bare sådan, at de ikke lyttede til os, "
    "og jeg fik ikke noget svar fra kommunen. Hvordan skulle jeg have vidst det?",
    "sv": "Jag vet inte vad jag ska säga. Det var bara så att de inte lyssnade på oss, och "
    "jag fick inget svar från kommunen. Hur skulle jag ha kunnat veta det?",
    "nb": "Jeg vet ikke hva jeg skal si. Det var bare sånn at de ikke hørte på oss, og jeg "
    "fikk ikke noe svar fra kommunen. Hvordan skulle jeg ha visst det?",
    "nn": "Eg veit ikkje kva eg skal seie. Det var berre slik at dei ikkje høyrde på oss, og "
    "eg fekk ikkje noko svar frå kommunen. Korleis skulle eg ha visst det?",
}


@pytest.mark.parametrize(("language", "text"), SAMPLES.items())
def test_short_samples(language: str, text: str) -> None:
    assert detect_language(text).language == language


def test_deterministic() -> None:
    answers = {detect_language(SAMPLES["nb"]).confidence for _ in range(5)}
    assert len(answers) == 1


@pytest.mark.parametrize("language", ["da", "sv", "nb"])
def test_real_parliament(language: str) -> None:
    path = SHARED / "real" / f"real-{language}-parlamint.txt"
    if not path.is_file():
        pytest.skip("shared/real is not beside the checkout")
    assert detect_language(path.read_text("utf-8")).language == language
