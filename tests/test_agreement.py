"""Agreement: the published worked examples, a kappa worked by hand, and the CLI on a project."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from qualcode.agreement import cohen_kappa, krippendorff_alpha
from tests.conftest import Run, jsonl
from tests.test_suggest import MINI

pytestmark = pytest.mark.backends

NAN = math.nan


def test_krippendorff_2011_binary_two_observers() -> None:
    """Krippendorff (2011), 'Computing Krippendorff's Alpha-Reliability', example A: 0.095."""
    data = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    assert krippendorff_alpha(data) == pytest.approx(0.095, abs=0.0005)


def test_krippendorff_2011_nominal_four_observers_missing_values() -> None:
    """Krippendorff (2011), example C: 4 observers, 12 units, missing data; nominal 0.743."""
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=0.0005)


def test_cohen_kappa_by_hand() -> None:
    """50 units: both yes 20, A yes B no 5, A no B yes 10, both no 15.

    p_o = 35/50 = 0.70; p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.50; kappa = 0.20 / 0.50 = 0.40.
    """
    first = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    second = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert cohen_kappa(first, second) == pytest.approx(0.40)
    assert cohen_kappa([1, 1], [1, 1]) is None  # no variation: undefined, not 1


TRANSCRIPT = "".join(
    f"I: Spørgsmål {n}?\n\nB: Svar nummer {n}, og det var sådan set fint.\n\n" for n in range(1, 7)
)


def test_two_coders_through_the_cli(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "da-agree.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    assert run("codebook", "use", str(MINI)).exit_code == 0
    anna = {2: "users.empowerment", 4: "users.empowerment", 6: "end_users.waiting_times"}
    bo = {2: "users.empowerment", 8: "users.empowerment", 6: "end_users.waiting_times"}
    for coder, codings in (("anna", anna), ("bo", bo)):
        file = tmp_path / f"{coder}.jsonl"
        file.write_text(
            "".join(
                f'{{"document": "da-agree.txt", "turn": {turn}, "code": "{code}"}}\n'
                for turn, code in codings.items()
            ),
            encoding="utf-8",
        )
        assert run("import", "codings", str(file), "--coder", coder).exit_code == 0
    # each coder's codings as a file for git: sorted, stable, no volatile fields
    exported = run("export", "codings", "--coder", "anna", "--format", "jsonl")
    lines = jsonl(exported.stdout)
    assert [line["turn"] for line in lines] == [2, 4, 6]
    assert not any("created" in key or "updated" in key for line in lines for key in line)
    again = tmp_path / "anna-again.jsonl"
    again.write_text(exported.stdout, encoding="utf-8")
    assert (
        "0 added, 0 updated, 3 unchanged, 0 conflicts"
        in run("import", "codings", str(again)).stdout
    )

    result = run("agreement", "--coders", "anna", "--coders", "bo", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    table = {row.split(",")[0]: row.split(",") for row in result.stdout.splitlines()[1:]}
    # empowerment over the 6 participant turns: anna 1,1,0,0,0,0 (turns 2,4,..) vs bo 1,0,0,1,0,0
    empowerment = table["users.empowerment"]
    assert empowerment[1] == "6"
    assert float(empowerment[2]) == pytest.approx(4 / 6, abs=0.001)
    assert float(empowerment[3]) == pytest.approx(
        cohen_kappa([1, 1, 0, 0, 0, 0], [1, 0, 0, 1, 0, 0]), abs=0.001
    )
    waiting = table["end_users.waiting_times"]
    assert waiting[2] == "1.000" and waiting[3] == "1.000" and waiting[4] == "1.000"
    listing = run("agreement", "--coders", "anna", "--coders", "bo").stdout
    assert "Cohen's kappa" in listing and "Krippendorff's alpha" in listing
    assert "da-agree.txt turn 4: users.empowerment by anna, not by bo" in listing
    assert "da-agree.txt turn 8: users.empowerment by bo, not by anna" in listing


def test_conflicting_import_is_reported(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "da-agree.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    run("import", str(path))
    run("codebook", "use", str(MINI))
    first = tmp_path / "a.jsonl"
    first.write_text(
        '{"document": "da-agree.txt", "turn": 2, "code": "users.empowerment", '
        '"coder": "anna", "status": "accepted"}\n',
        encoding="utf-8",
    )
    second = tmp_path / "b.jsonl"
    second.write_text(first.read_text().replace("accepted", "rejected"), encoding="utf-8")
    assert run("import", "codings", str(first)).exit_code == 0
    result = run("import", "codings", str(second))
    assert "1 conflicts" in result.stdout
    assert "the project has accepted, the file says rejected" in result.stderr


def test_agreement_needs_two_coders(run: Run) -> None:
    result = run("agreement")
    assert result.exit_code == 1 and "two coders" in result.stderr
