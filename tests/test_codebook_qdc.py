"""REFI-QDA exchange: `codebook export --format qdc` and `codebook import`."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qualcode.cli import cli
from qualcode.codebook.load import load_codebook
from qualcode.codebook.qdc import export_qdc
from qualcode.codebook.qdc_import import split_description

FIXTURES = Path(__file__).parent / "fixtures" / "codebook"
SMALL = FIXTURES / "small.yaml"
REFI = Path(__file__).resolve().parents[2] / "shared/refi-qda"
SAMPLES = sorted((REFI / "samples").glob("*.qdpx")) if (REFI / "samples").is_dir() else []
SHIPPED = sorted((Path(__file__).resolve().parents[1] / "codebooks").glob("*.yaml"))


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, ["codebook", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def schema() -> object:
    etree = pytest.importorskip("lxml.etree")
    xsd = REFI / "Codebook.xsd"
    if not xsd.is_file():
        pytest.skip("the REFI-QDA schemas (../shared/refi-qda) are not here")
    return etree.XMLSchema(etree.parse(str(xsd)))


def assert_valid(schema: object, path: Path) -> None:
    from lxml import etree

    document = etree.parse(str(path))
    assert schema.validate(document), schema.error_log  # type: ignore[attr-defined]


def test_export_is_valid_nested_and_stable(tmp_path: Path, schema: object) -> None:
    out = tmp_path / "small.qdc"
    result = run("export", str(SMALL), "--format", "qdc", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"exported 4 codes under 2 targets to {out} (names in en, format qdc)\n"
    assert_valid(schema, out)
    from lxml import etree

    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    root = etree.parse(str(out)).getroot()
    targets = root.findall("q:Codes/q:Code", ns)
    assert [t.get("name") for t in targets] == ["Involved users", "The collaboration"]
    assert {t.get("isCodable") for t in targets} == {"false"}
    nested = root.find("q:Codes/q:Code[2]/q:Code/q:Code", ns)
    assert nested is not None and nested.get("name") == "Shared decisions"
    assert all(c.get("isCodable") == "true" for c in targets[0].iter(f"{{{ns['q']}}}Code")
               if c is not targets[0])  # fmt: skip
    empowerment = targets[0].find("q:Code", ns)
    assert empowerment.get("color") == "#2E7D32"
    assert empowerment.findtext("q:Description", namespaces=ns).startswith(
        "The user feels more able to act and speak up.\n\nInclude: Statements"
    )
    again = tmp_path / "again.qdc"
    run("export", str(SMALL), "-o", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_export_in_another_language(tmp_path: Path, schema: object) -> None:
    out = tmp_path / "sv.qdc"
    assert run("export", str(SMALL), "--lang", "sv", "-o", str(out)).exit_code == 0
    assert_valid(schema, out)
    text = out.read_text(encoding="utf-8")
    assert 'name="Egenmakt"' in text
    assert "Brukaren känner sig mer kapabel att agera." in text


def test_guids_are_stable_uuid5_unless_kept_from_an_import() -> None:
    book = load_codebook(SMALL).codebook
    first = export_qdc(book)
    book.codes[1].guid = "12345678-1234-1234-1234-123456789abc"
    second = export_qdc(book)
    assert (
        b'guid="aa7bbb05-a7f0-5a57-8308-30bb92791d37"' in first
    )  # uuid5("code:users.empowerment")
    assert b'guid="12345678-1234-1234-1234-123456789abc"' in second


@pytest.mark.parametrize("source", [SMALL, *SHIPPED], ids=lambda p: p.name)
@pytest.mark.parametrize("lang", ["en", "da"])
def test_round_trip_export_import_export_is_identical(
    tmp_path: Path, schema: object, source: Path, lang: str
) -> None:
    first, yaml_file, second = tmp_path / "1.qdc", tmp_path / "book.yaml", tmp_path / "2.qdc"
    assert run("export", str(source), "--lang", lang, "-o", str(first)).exit_code == 0
    result = run("import", str(first), "--lang", lang, "-o", str(yaml_file))
    assert result.exit_code == 0, result.output
    assert run("lint", str(yaml_file)).exit_code == 0
    assert run("export", str(yaml_file), "--lang", lang, "-o", str(second)).exit_code == 0
    assert second.read_bytes() == first.read_bytes()
    assert_valid(schema, second)
    original, imported = load_codebook(source).codebook, load_codebook(yaml_file).codebook
    assert len(imported.codes) == len(original.codes)
    assert len(imported.themes) == len(original.themes)


def test_import_of_another_tools_codebook(tmp_path: Path) -> None:
    out = tmp_path / "other.yaml"
    result = run("import", str(FIXTURES / "other_tool.qdc"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"imported 5 codes under 2 targets, 1 theme from {FIXTURES / 'other_tool.qdc'} into {out}",
        "  1 colour not #RRGGBB, left out",
        "  1 repeated or malformed GUID left out (export makes a new one)",
    ]
    book = load_codebook(out).codebook
    assert book.languages == ["en"]
    assert [t.id for t in book.targets] == ["imported", "barriers"]
    assert book.targets[1].colour == "#CC0000"
    codes = {c.id: c for c in book.codes}
    assert list(codes) == [
        "barriers.time_pressure",
        "barriers.time_pressure.time_pressure",
        "barriers.brugerinddragelse_aerlig_talt",
        "time_pressure",
        "code",
    ]
    assert codes["barriers.time_pressure"].target == "barriers"
    assert codes["barriers.time_pressure"].definition == {"en": "No time to involve users."}
    assert codes["barriers.time_pressure.time_pressure"].parent == "barriers.time_pressure"
    assert codes["time_pressure"].target == "imported"
    assert codes["time_pressure"].guid == "0a1b2c3d-0000-4000-8000-000000000005"
    assert codes["code"].guid is None
    assert book.themes[0].codes == ["barriers.time_pressure", "time_pressure"]
    assert all(c.polarity == "neutral" for c in book.codes)
    assert run("lint", str(out)).exit_code == 0


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_import_of_sample_projects(tmp_path: Path, schema: object, sample: Path) -> None:
    out = tmp_path / "sample.yaml"
    result = run("import", str(sample), "-o", str(out))
    assert result.exit_code == 0, result.output
    book = load_codebook(out).codebook
    assert len(book.codes) > 0
    assert any(code.parent for code in book.codes), "nested codes keep their parent"
    ids = {code.id for code in book.codes}
    assert all(code.parent in ids for code in book.codes if code.parent)
    assert run("lint", str(out)).exit_code == 0
    exported = tmp_path / "sample.qdc"
    assert run("export", str(out), "-o", str(exported)).exit_code == 0
    assert_valid(schema, exported)
    with zipfile.ZipFile(sample) as archive:
        original = archive.read("project.qde").decode("utf-8")
    for code in book.codes:
        assert code.guid is not None and code.guid in original


@pytest.mark.parametrize("name", ["billion_laughs.qdc", "external_entity.qdc"])
def test_entity_tricks_are_refused_in_one_line(name: str) -> None:
    result = run("import", str(FIXTURES / name))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"qualcode: {FIXTURES / name}: refused: the XML declares a DTD")
    assert "lol" not in result.stdout and "root:" not in result.stdout


def test_a_qdpx_with_entities_inside_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("project.qde", (FIXTURES / "billion_laughs.qdc").read_bytes())
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert "refused: the XML declares a DTD" in result.stderr


def test_a_zip_bomb_or_wrong_zip_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("other.txt", "x")
    result = run("import", str(empty))
    assert result.exit_code == 1
    assert "has no project.qde" in result.stderr
    bomb = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b"<" + b" " * (17 * 1024 * 1024))
    result = run("import", str(bomb))
    assert result.exit_code == 1
    assert "zip bomb" in result.stderr or "too large" in result.stderr


def test_not_xml_and_not_a_codebook(tmp_path: Path) -> None:
    broken = tmp_path / "broken.qdc"
    broken.write_text("<CodeBook><Codes>", encoding="utf-8")
    result = run("import", str(broken))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"qualcode: {broken}:1:")
    other = tmp_path / "other.qdc"
    other.write_text("<Something/>", encoding="utf-8")
    assert "not a REFI-QDA codebook" in run("import", str(other)).stderr


def test_export_refuses_a_codebook_with_errors(tmp_path: Path) -> None:
    result = run("export", str(FIXTURES / "lint_refs.yaml"), "-o", str(tmp_path / "x.qdc"))
    assert result.exit_code == 1
    assert "duplicate target id" in result.stderr
    assert not (tmp_path / "x.qdc").exists()


def test_description_paragraphs_split_back() -> None:
    assert split_description("Def.\n\nMore.\n\nInclude: in\n\nExclude: out") == (
        "Def.\n\nMore.",
        "in",
        "out",
    )
    assert split_description("Include: only this") == ("", "only this", "")
    assert split_description("Plain.") == ("Plain.", "", "")
