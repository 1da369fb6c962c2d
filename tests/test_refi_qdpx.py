"""REFI-QDA projects: `qualcode export qdpx` and `qualcode import PROJECT.qdpx`."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select
from sqlmodel import Session

from qualcode.cli import cli
from qualcode.services import Project
from qualcode.storage.tables import CodeRow, MemoRow
from tests.conftest import CORPORA, REPO, SHARED, jsonl

REFI = SHARED / "refi-qda"
SAMPLES = REFI / "samples"
IMPACT = REPO / "codebooks" / "impact.yaml"
NS = {"q": "urn:QDA-XML:project:1.0"}
DA = CORPORA / "da"

Invoke = Callable[..., Result]


def cli_in(root: Path) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str, coder: str | None = None, ok: bool = True) -> Result:
        options = ["--project", str(root)] + (["--coder", coder] if coder else [])
        result = runner.invoke(cli, [*options, *args])
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return invoke


def new_project(root: Path) -> Invoke:
    result = CliRunner().invoke(cli, ["init", str(root)])
    assert result.exit_code == 0, result.output
    return cli_in(root)


def qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def codings(run: Invoke) -> list[tuple]:
    rows = jsonl(run("export", "codings").stdout)
    return sorted(
        (r["document"], r["start"], r["end"], r["code"], r["coder"], r["status"]) for r in rows
    )


def snapshot(run: Invoke, tmp: Path) -> bytes:
    """The whole project as qualcode exports it: equal bytes, equal project."""
    out = tmp / "snapshot.qdpx"
    run("export", "qdpx", "-o", str(out))
    data = out.read_bytes()
    out.unlink()
    return data + run("documents").stdout.encode()


def write_qdpx(path: Path, project_qde: str | bytes, files: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "project.qde",
            project_qde if isinstance(project_qde, bytes) else project_qde.encode("utf-8"),
        )
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def schema() -> object:
    etree = pytest.importorskip("lxml.etree")
    xsd = REFI / "Project.xsd"
    if not xsd.is_file():
        pytest.skip("the REFI-QDA schemas (../shared/refi-qda) are not here")
    return etree.XMLSchema(etree.parse(str(xsd)))


def assert_valid(schema: object, path: Path) -> None:
    from lxml import etree

    document = etree.fromstring(qde(path))
    assert schema.validate(document), schema.error_log  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Invoke]]:
    """Danish corpus, impact codebook, three coders' codings, attributes and memos."""
    root = tmp_path_factory.mktemp("first") / "project"
    run = new_project(root)
    run(
        "import", "--attr", "site=Lindely", "--attr", "kind=interview", str(DA / "da-01-bosted.txt")
    )
    run("import", str(DA))
    run("codebook", "use", str(IMPACT))
    run("import", "codings", str(DA / "da-01-bosted.gold.jsonl"), coder="anna")
    run("import", "codings", str(DA / "da-02-brugerraad.gold.jsonl"), coder="bo")
    extra = root.parent / "extra.jsonl"
    rows = [
        {"document": "da-03-paaroerende.docx", "turn": 2, "code": "users.empowerment",
         "status": "suggested", "coder": "anna"},
        {"document": "da-03-paaroerende.docx", "turn": 4, "code": "users.empowerment",
         "status": "rejected", "coder": "anna"},
        {"document": "da-04-medarbejdere.txt", "turn": 3, "code": "users.empowerment",
         "status": "accepted", "coder": "carl", "memo": "Tydeligt eksempel på medbestemmelse."},
    ]  # fmt: skip
    extra.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    run("import", "codings", str(extra))
    project = Project.open(str(root))
    try:
        from qualcode.coding import CodingService

        service = CodingService(project.engine, "anna")
        document = service.open_document("da-01-bosted.txt")
        service.set_memo(document.id, document.turns[5], "Vendepunktet: den nye leder.")
        with Session(project.engine) as session, session.begin():
            session.add(MemoRow(document_id=document.id, coder="bo", text="Godt interview."))
            session.add(MemoRow(code_id="users.empowerment", coder="anna", text="Bred kode."))
    finally:
        project.close()
    yield root, run


@pytest.fixture(scope="module")
def exported(coded: tuple[Path, Invoke]) -> Path:
    root, run = coded
    out = root.parent / "first.qdpx"
    result = run("export", "qdpx", "-o", str(out))
    assert result.stdout.splitlines()[0] == (
        f"exported 6 documents, 47 codings by 3 coders, 51 codes to {out}"
    )
    return out


# -- export -----------------------------------------------------------------------------


def test_export_is_valid_and_complete(exported: Path, schema: object) -> None:
    assert_valid(schema, exported)
    from lxml import etree

    root = etree.fromstring(qde(exported))
    assert root.get("name") == "project"
    assert [u.get("name") for u in root.findall("q:Users/q:User", NS)] == ["anna", "bo", "carl"]
    targets = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert {t.get("isCodable") for t in targets} == {"false"}
    assert len(root.findall("q:CodeBook/q:Codes/q:Code/q:Code", NS)) == 51
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert [s.get("name") for s in sources] == [
        "da-01-bosted.txt",
        "da-02-brugerraad.txt",
        "da-03-paaroerende.docx",
        "da-04-medarbejdere.txt",
        "da-05-personalerepraesentant.txt",
        "da-06-beboerudvalg.txt",
    ]
    files = entries(exported)
    for source in sources:
        guid = source.get("guid")
        assert source.get("plainTextPath") == f"internal://{guid}.txt"
        assert f"sources/{guid}.txt" in files
    # variables and cases: one case per document with attributes
    assert [v.get("name") for v in root.findall("q:Variables/q:Variable", NS)] == ["kind", "site"]
    case = root.find("q:Cases/q:Case", NS)
    assert case.get("name") == "da-01-bosted.txt"
    assert [
        v.findtext("q:TextValue", namespaces=NS) for v in case.findall("q:VariableValue", NS)
    ] == [
        "interview",
        "Lindely",
    ]
    assert case.find("q:SourceRef", NS).get("targetGUID") == sources[0].get("guid")
    # memos: turn memo on a selection, document memo, code memo, coding memo
    notes = {
        n.findtext("q:PlainTextContent", namespaces=NS) for n in root.findall("q:Notes/q:Note", NS)
    }
    assert notes == {
        "Vendepunktet: den nye leder.",
        "Godt interview.",
        "Bred kode.",
        "Tydeligt eksempel på medbestemmelse.",
    }


def test_positions_are_characters_and_only_accepted_codings(
    coded: tuple[Path, Invoke], exported: Path
) -> None:
    _, run = coded
    from lxml import etree

    root = etree.fromstring(qde(exported))
    files = entries(exported)
    accepted = [c for c in codings(run) if c[-1] == "accepted"]
    found = []
    for source in root.findall("q:Sources/q:TextSource", NS):
        text = files[f"sources/{source.get('guid')}.txt"].decode("utf-8")
        for selection in source.findall("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert 0 <= start < end <= len(text)
            for coding in selection.findall("q:Coding", NS):
                found.append((source.get("name"), start, end, coding.get("creatingUser")))
    assert len(found) == len(accepted) == 47
    # Danish letters before the spans: byte offsets would differ from character offsets
    bosted = (DA / "da-01-bosted.txt").read_text(encoding="utf-8")
    first = next(
        r for r in jsonl(run("export", "codings").stdout) if r["document"] == "da-01-bosted.txt"
    )
    assert len(bosted[: first["start"]].encode("utf-8")) > first["start"]
    assert " ".join(bosted[first["start"] : first["end"]].split()) == first["text"]


def test_export_reports_what_it_left_out(coded: tuple[Path, Invoke], tmp_path: Path) -> None:
    _, run = coded
    result = run("export", "qdpx", "-o", str(tmp_path / "x.qdpx"))
    assert result.stdout.splitlines()[1] == (
        "left out: 1 suggested and 1 rejected codings (only accepted codings are exported; "
        "other tools have no suggestions)"
    )


def test_two_exports_are_byte_identical(
    coded: tuple[Path, Invoke], exported: Path, tmp_path: Path
) -> None:
    _, run = coded
    again = tmp_path / "again.qdpx"
    run("export", "qdpx", "-o", str(again))
    assert again.read_bytes() == exported.read_bytes()


def test_export_to_a_missing_folder_is_one_line(coded: tuple[Path, Invoke], tmp_path: Path) -> None:
    _, run = coded
    result = run("export", "qdpx", "-o", str(tmp_path / "nowhere" / "x.qdpx"), ok=False)
    assert result.exit_code == 1
    assert "the folder to write into does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# -- round trip ---------------------------------------------------------------------------


def test_round_trip_keeps_everything_and_exports_the_same_bytes(
    coded: tuple[Path, Invoke], exported: Path, tmp_path: Path, schema: object
) -> None:
    _, first = coded
    # the same folder name, so the project name (qualcode.toml) is the same too
    second = new_project(tmp_path / "project")
    result = second("import", str(exported))
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "loaded codebook impact: added 51 codes (code ids and polarity as in qualcode.json)"
    )
    assert lines[-1] == f"imported 6 documents, 47 codings by 3 coders, 51 codes from {exported}"
    assert "not imported" not in result.stdout
    accepted = [c for c in codings(first) if c[-1] == "accepted"]
    assert codings(second) == accepted
    assert second("documents").stdout == first("documents").stdout
    again = tmp_path / "second.qdpx"
    second("export", "qdpx", "-o", str(again))
    assert_valid(schema, again)
    assert again.read_bytes() == exported.read_bytes()
    # the codes came back whole (polarity, every language), and the memos with them
    project = Project.open(str(tmp_path / "project"))
    try:
        with Session(project.engine) as session:
            code = session.get(CodeRow, "users.empowerment")
            assert code is not None and code.polarity == "positive"
            assert set(code.data["name"]) == {"en", "da", "sv", "nb"}
            memos = session.execute(select(MemoRow)).scalars().all()
            assert sorted((m.coder, m.turn_id is not None, m.code_id, m.text) for m in memos) == [
                ("anna", False, "users.empowerment", "Bred kode."),
                ("anna", True, None, "Vendepunktet: den nye leder."),
                ("bo", False, None, "Godt interview."),
            ]
    finally:
        project.close()
    memo = [r for r in jsonl(second("export", "codings").stdout) if r.get("memo")]
    assert [(r["coder"], r["memo"]) for r in memo] == [
        ("carl", "Tydeligt eksempel på medbestemmelse.")
    ]


def test_round_trip_keeps_turns_and_subtitle_times(tmp_path: Path) -> None:
    first = new_project(tmp_path / "a" / "subtitles")
    first("import", str(CORPORA / "sv" / "sv-03-personal.vtt"), str(CORPORA / "no"))
    out = tmp_path / "subtitles.qdpx"
    first("export", "qdpx", "-o", str(out))
    second = new_project(tmp_path / "b" / "subtitles")
    second("import", str(out))
    assert second("export", "segments").stdout == first("export", "segments").stdout
    assert second("documents").stdout == first("documents").stdout


def test_round_trip_into_a_project_with_the_codebook_matches_codes_by_guid(
    exported: Path, tmp_path: Path
) -> None:
    run = new_project(tmp_path / "other")
    run("codebook", "use", str(IMPACT))
    result = run("import", str(exported))
    assert result.stdout.splitlines()[0] == "matched 51 codes to the project's codes by GUID"
    assert "loaded codebook" not in result.stdout
    assert "users.empowerment" in {c[3] for c in codings(run)}
    assert len(codings(run)) == 47


def test_importing_twice_changes_nothing(exported: Path, tmp_path: Path) -> None:
    run = new_project(tmp_path / "twice")
    run("import", str(exported))
    before = snapshot(run, tmp_path)
    result = run("import", str(exported))
    assert result.stdout.splitlines()[-1] == (
        f"imported 0 documents, 0 codings by 0 coders, 0 codes from {exported}"
    )
    assert "added 0 codings, 47 already in the project" in result.stdout
    assert snapshot(run, tmp_path) == before


def test_same_name_other_text_is_imported_under_a_new_name(exported: Path, tmp_path: Path) -> None:
    run = new_project(tmp_path / "clash")
    other = tmp_path / "da-01-bosted.txt"
    other.write_text("I: Hvordan går det?\n\nB: Det går fint, tak.\n", encoding="utf-8")
    run("import", str(other))
    result = run("import", str(exported))
    assert (
        "imported da-01-bosted.txt as da-01-bosted (2).txt (da, 42 turns): a document named "
        "da-01-bosted.txt with other text is in the project"
    ) in result.stdout
    names = {c[0] for c in codings(run)}
    assert "da-01-bosted (2).txt" in names and "da-01-bosted.txt" not in names
    again = run("import", str(exported))
    assert "imported 0 documents, 0 codings" in again.stdout


# -- other tools' files -------------------------------------------------------------------


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip("the REFI-QDA samples (../shared/refi-qda/samples) are not here")
    return path


def test_import_qc_sample(tmp_path: Path, schema: object) -> None:
    path = sample("qc-1.3.2-demo.qdpx")
    run = new_project(tmp_path / "qc")
    result = run("import", str(path))
    lines = result.stdout.splitlines()
    assert lines[0] == "loaded codebook qdpx-qc-project: added 262 codes"
    assert "imported board_2017.txt (en, 131 turns)" in lines
    assert "imported admin-1.txt (en, 31 turns)" in lines
    assert lines[-1] == f"imported 2 documents, 205 codings by 1 coder, 262 codes from {path}"
    rows = jsonl(run("export", "codings").stdout)
    assert len(rows) == 205 and {r["coder"] for r in rows} == {"cp"}
    first = min(rows, key=lambda r: (r["document"], r["start"]))
    text = zipfile.ZipFile(path).read("sources/board_2017.txt").decode("utf-8")
    assert first["text"] == " ".join(text[first["start"] : first["end"]].split())
    out = tmp_path / "qc-again.qdpx"
    run("export", "qdpx", "-o", str(out))
    assert_valid(schema, out)
    # the codes keep their GUIDs, so the selections point at the same codes as before
    assert b"34653336-3766-3235-6466-363134396437" in qde(out)


def test_import_nvivo_sample_lists_the_empty_sources(tmp_path: Path) -> None:
    path = sample("nvivo-mac-15-codebook-only.qdpx")
    run = new_project(tmp_path / "nvivo")
    result = run("import", str(path))
    assert result.stdout.splitlines() == [
        "loaded codebook qdpx-qc-project: added 262 codes",
        "not imported: 2 text sources with no plain text, only rich text (which is not read) "
        "(66653866-6334-3535-3435-366637306566, 33663939-3636-3632-3038-613431643463)",
        f"imported 0 documents, 0 codings by 0 coders, 262 codes from {path}",
    ]


def test_import_atlas_ti_sample(tmp_path: Path) -> None:
    path = sample("atlas-ti-small.qdpx")
    run = new_project(tmp_path / "atlas")
    result = run("import", str(path))
    assert result.stdout.splitlines() == [
        "loaded codebook qdpx-target-atlas-project: added 3 codes",
        f"imported 0 documents, 0 codings by 0 coders, 3 codes from {path}",
    ]


def test_samples_share_guids_so_codes_are_matched(tmp_path: Path) -> None:
    run = new_project(tmp_path / "both")
    run("import", str(sample("nvivo-mac-15-codebook-only.qdpx")))
    result = run("import", str(sample("qc-1.3.2-demo.qdpx")))
    assert result.stdout.splitlines()[0] == "matched 262 codes to the project's codes by GUID"
    assert result.stdout.splitlines()[-1].startswith(
        "imported 2 documents, 205 codings by 1 coder, 0 codes"
    )


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Brugerinddragelse" origin="Some Tool 1.0">
  <Users><User guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="Hanne"/></Users>
  <CodeBook><Codes>
    <Code guid="10000000-0000-0000-0000-000000000001" name="Indflydelse" isCodable="true"
          color="#FF0000"><Description>Brugerne får indflydelse.</Description>
      <NoteRef targetGUID="30000000-0000-0000-0000-000000000003"/>
      <Code guid="10000000-0000-0000-0000-000000000002" name="Tryghed" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="20000000-0000-0000-0000-000000000001" name="Alder" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="20000000-0000-0000-0000-000000000002" name="Deltager A">
      <VariableValue><VariableRef targetGUID="20000000-0000-0000-0000-000000000001"/>
        <IntegerValue>54</IntegerValue></VariableValue>
      <SourceRef targetGUID="40000000-0000-0000-0000-000000000001"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="40000000-0000-0000-0000-000000000001" name="Interview Å.txt"
                plainTextPath="internal://40000000-0000-0000-0000-000000000001.txt">
      <PlainTextSelection guid="50000000-0000-0000-0000-000000000001" startPosition="{start}"
          endPosition="{end}" creatingUser="aaaaaaaa-0000-0000-0000-000000000001"
          creationDateTime="2024-03-01T10:00:00.1234567Z">
        <Coding guid="50000000-0000-0000-0000-000000000002"
                creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
          <CodeRef targetGUID="10000000-0000-0000-0000-000000000002"/>
          <NoteRef targetGUID="30000000-0000-0000-0000-000000000002"/>
        </Coding>
        <Coding guid="50000000-0000-0000-0000-000000000003">
          <CodeRef targetGUID="99999999-0000-0000-0000-000000000009"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="50000000-0000-0000-0000-000000000004" startPosition="5"
          endPosition="99999">
        <Coding guid="50000000-0000-0000-0000-000000000005">
          <CodeRef targetGUID="10000000-0000-0000-0000-000000000001"/>
        </Coding>
      </PlainTextSelection>
      <Coding guid="50000000-0000-0000-0000-000000000006">
        <CodeRef targetGUID="10000000-0000-0000-0000-000000000001"/>
      </Coding>
      <NoteRef targetGUID="30000000-0000-0000-0000-000000000001"/>
    </TextSource>
    <TextSource guid="40000000-0000-0000-0000-000000000002" name="Inline">
      <PlainTextContent>Spørger: Hvad synes du?

Svarer: Det var godt.</PlainTextContent>
      <PlainTextSelection guid="50000000-0000-0000-0000-000000000007" startPosition="33"
          endPosition="46" creatingUser="aaaaaaaa-0000-0000-0000-000000000999">
        <Coding guid="50000000-0000-0000-0000-000000000008">
          <CodeRef targetGUID="10000000-0000-0000-0000-000000000001"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <PDFSource guid="60000000-0000-0000-0000-000000000001" name="a.pdf" path="internal://a.pdf">
      <PDFSelection guid="60000000-0000-0000-0000-000000000002" page="1" firstX="1" firstY="1"
          secondX="2" secondY="2">
        <Coding guid="60000000-0000-0000-0000-000000000003">
          <CodeRef targetGUID="10000000-0000-0000-0000-000000000001"/>
        </Coding>
      </PDFSelection>
    </PDFSource>
    <PDFSource guid="60000000-0000-0000-0000-000000000004" name="b.pdf"/>
    <AudioSource guid="60000000-0000-0000-0000-000000000005" name="lyd.mp3"/>
    <TextSource guid="40000000-0000-0000-0000-000000000003" name="Væk"
                plainTextPath="relative://elsewhere/v.txt"/>
  </Sources>
  <Notes>
    <Note guid="30000000-0000-0000-0000-000000000001" name="n1"
          creatingUser="aaaaaaaa-0000-0000-0000-000000000001">
      <PlainTextContent>Et godt interview.</PlainTextContent></Note>
    <Note guid="30000000-0000-0000-0000-000000000002" name="n2">
      <PlainTextContent>Vigtig passage.</PlainTextContent></Note>
    <Note guid="30000000-0000-0000-0000-000000000003" name="n3">
      <PlainTextContent>Om koden.</PlainTextContent></Note>
    <Note guid="30000000-0000-0000-0000-000000000004" name="loose">
      <PlainTextContent>Hænger ikke på noget.</PlainTextContent></Note>
  </Notes>
</Project>
"""

FOREIGN_TEXT = (
    "Interview om brugerråd\r\n\r\nI: Hvordan var mødet?\r\n\r\n"
    "B: Jeg følte mig tryg, og vi fik indflydelse på menuen.\r\n"
)


def foreign_qdpx(tmp_path: Path) -> tuple[Path, int, int]:
    quote = "Jeg følte mig tryg"
    start = FOREIGN_TEXT.index(quote)  # counted in the CRLF text, as the tool wrote it
    project = FOREIGN.replace("{start}", str(start)).replace("{end}", str(start + len(quote)))
    path = write_qdpx(
        tmp_path / "foreign.qdpx",
        project,
        {"sources/40000000-0000-0000-0000-000000000001.txt": FOREIGN_TEXT.encode("utf-8")},
    )
    return path, start, start + len(quote)


def test_import_of_another_tools_project_lists_what_it_skips(
    tmp_path: Path, schema: object
) -> None:
    path, _, _ = foreign_qdpx(tmp_path)
    run = new_project(tmp_path / "foreign")
    result = run("import", str(path), coder="importer")
    lines = result.stdout.splitlines()
    assert lines[0] == "loaded codebook qdpx-brugerinddragelse: added 2 codes"
    assert "imported Interview Å.txt (da, 2 turns)" in lines
    assert "not imported: 2 PDF sources (a.pdf, b.pdf), 1 coding on them" in lines
    assert "not imported: 1 audio source (lyd.mp3)" in lines
    assert "not imported: 1 text source whose text is outside the project file (Væk)" in lines
    assert "not imported: 1 coding of whole sources" in lines
    assert "not imported: 1 selection outside their source's text (1 coding)" in lines
    assert "not imported: 1 coding on 1 code the file does not define" in lines
    assert "not imported: 1 note attached to nothing imported" in lines
    assert "1 coding named no known user: given to the importing coder" in lines
    assert "set 2 case attributes on 1 document" in lines
    assert "imported 2 memos" in lines  # on the source and on the code
    rows = {r["text"]: r for r in jsonl(run("export", "codings").stdout)}
    tryg = rows["Jeg følte mig tryg"]  # the CRLF positions were mapped onto the LF text
    assert (tryg["code"], tryg["coder"], tryg["status"], tryg["source"]) == (
        "indflydelse.tryghed",
        "Hanne",
        "accepted",
        "qdpx",
    )
    assert tryg["memo"] == "Vigtig passage."  # the note on the coding
    assert rows["Det var godt."]["coder"] == "importer"
    documents = run("documents", "--format", "jsonl").stdout
    attributes = {d["name"]: d["attributes"] for d in jsonl(documents)}
    assert attributes["Interview Å.txt"] == {"Alder": "54", "case": "Deltager A"}
    out = tmp_path / "foreign-again.qdpx"
    run("export", "qdpx", "-o", str(out))
    assert_valid(schema, out)
    assert b'guid="10000000-0000-0000-0000-000000000002"' in qde(out)
    assert b'creationDateTime="2024-03-01T10:00:00Z"' in qde(out)  # 7 fraction digits read
    assert "Vigtig passage." in qde(out).decode("utf-8")


# -- refusals -------------------------------------------------------------------------------


def refused(run: Invoke, tmp_path: Path, path: Path) -> str:
    before = snapshot(run, tmp_path)
    result = run("import", str(path), ok=False)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert snapshot(run, tmp_path) == before
    return result.stderr


@pytest.fixture
def small(tmp_path: Path) -> Invoke:
    run = new_project(tmp_path / "small")
    run("import", str(DA / "da-01-bosted.txt"))
    return run


@pytest.mark.parametrize(
    "name", ["../evil.txt", "sources/../../evil.txt", "/etc/evil.txt", "C:\\evil.txt"]
)
def test_entries_escaping_the_folder_are_refused(small: Invoke, tmp_path: Path, name: str) -> None:
    path, _, _ = foreign_qdpx(tmp_path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(zipfile.ZipInfo(name), b"gotcha")
    message = refused(small, tmp_path, path)
    assert "points outside the project folder" in message
    assert str(path) in message


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol4;"/>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources><TextSource
 guid="40000000-0000-0000-0000-000000000002" name="x">
<PlainTextContent>B: &secret;</PlainTextContent></TextSource></Sources></Project>
"""


@pytest.mark.parametrize(
    "xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"]
)
def test_dtds_and_entities_are_refused(small: Invoke, tmp_path: Path, xml: str) -> None:
    path = write_qdpx(tmp_path / "bomb.qdpx", xml)
    message = refused(small, tmp_path, path)
    assert "refused: the XML declares a DTD" in message


def test_not_a_zip_and_no_project_qde_are_refused(small: Invoke, tmp_path: Path) -> None:
    text = tmp_path / "plain.qdpx"
    text.write_text("hello")
    assert "not a REFI-QDA project (.qdpx)" in refused(small, tmp_path, text)
    empty = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("other.xml", "<x/>")
    assert "has no project.qde" in refused(small, tmp_path, empty)


def test_malformed_xml_is_one_line(small: Invoke, tmp_path: Path) -> None:
    path = write_qdpx(tmp_path / "broken.qdpx", "<Project name='x'><Sources>")
    assert "not well-formed XML" in refused(small, tmp_path, path)


def test_oversized_entry_is_refused(
    small: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qualcode.refi.project_import as module

    path, _, _ = foreign_qdpx(tmp_path)
    monkeypatch.setattr(module, "MAX_SOURCE_BYTES", 64)
    message = refused(small, tmp_path, path)
    assert "is larger than" in message


def test_a_failure_half_way_leaves_the_project_unchanged(
    small: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qualcode.refi.project_import as module
    from qualcode.errors import DataError

    path, _, _ = foreign_qdpx(tmp_path)
    before = snapshot(small, tmp_path)

    def fail(*args: object, **kwargs: object) -> None:
        raise DataError("simulated failure after codes, documents and codings were written")

    monkeypatch.setattr(module, "_add_memos", fail)
    result = small("import", str(path), ok=False)
    assert result.exit_code == 1 and "simulated failure" in result.stderr
    assert snapshot(small, tmp_path) == before


def test_qdpx_cannot_be_mixed_with_transcripts(small: Invoke, tmp_path: Path) -> None:
    path, _, _ = foreign_qdpx(tmp_path)
    result = small("import", str(path), str(DA / "da-02-brugerraad.txt"), ok=False)
    assert result.exit_code == 2


def test_sidecar_is_ignored_when_it_does_not_fit(exported: Path, tmp_path: Path) -> None:
    """A damaged qualcode.json is not an error: the XML alone is imported."""
    files = entries(exported)
    files["qualcode.json"] = b"{not json"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    path = tmp_path / "damaged.qdpx"
    path.write_bytes(buffer.getvalue())
    run = new_project(tmp_path / "damaged")
    result = run("import", str(path))
    assert result.stdout.splitlines()[0] == "loaded codebook qdpx-project: added 51 codes"
    assert len(codings(run)) == 47


def test_codes_nested_absurdly_deep_are_refused(small: Invoke, tmp_path: Path) -> None:
    depth = 300
    opening = "".join(
        f'<Code guid="{i:08d}-0000-0000-0000-000000000000" name="c{i}" isCodable="true">'
        for i in range(depth)
    )
    xml = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="deep"><CodeBook><Codes>'
        + opening
        + "</Code>" * depth
        + "</Codes></CodeBook></Project>"
    )
    path = write_qdpx(tmp_path / "deep.qdpx", xml)
    assert "nested more than 200 deep" in refused(small, tmp_path, path)
