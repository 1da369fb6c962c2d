"""Each transcript format and encoding imports through the CLI with its letters intact."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.conftest import CORPORA, SHARED, Run, jsonl

pytestmark = pytest.mark.backends

DANISH = (
    "Interview 7\nDato: 3. april 2025\n\n"
    "I: Hvordan har du oplevet brugerrådet?\n\n"
    "B: Jeg synes, at vi bliver hørt nu. Før turde jeg ikke sige noget.\n"
    "Nu tør jeg godt, og det er rart. Æbler, øl og ål.\n\n"
    "I: Kan du give et eksempel?\n\n"
    "B: Ja, åbningstiderne blev ændret, fordi vi bad om det.\n"
)
SWEDISH = (
    "Intervjuare: Hur har det varit att vara med i brukarrådet?\n"
    "IP: Jag vågar säga ifrån nu. Förut var jag rädd för att bli stämplad.\n"
    "Intervjuare: Vad ändrades?\n"
    "IP: Väntetiderna blev kortare, och personalen lyssnar på oss. Åh, äntligen!\n"
)


def export(run: Run) -> list[dict]:
    result = run("export", "segments")
    assert result.exit_code == 0, result.stderr
    return jsonl(result.stdout)


@pytest.mark.parametrize(
    ("encoding", "text", "letters"),
    [
        ("utf-8", DANISH, "æøåÆ"),
        ("utf-8-sig", DANISH, "æøå"),
        ("cp1252", DANISH, "æøåÆ"),
        ("latin-1", DANISH, "æøå"),
        ("utf-16", SWEDISH, "äöå"),
        ("utf-16-be", SWEDISH, "äöå"),
        ("utf-16-le", SWEDISH, "äöå"),
    ],
)
def test_encodings_keep_letters(
    tmp_path: Path, run: Run, encoding: str, text: str, letters: str
) -> None:
    path = tmp_path / "interview.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path.write_bytes(data)
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    if encoding in {"cp1252", "latin-1"}:
        assert "windows-1252 (guessed)" in result.stdout
    joined = " ".join(s["text"] for s in export(run))
    for letter in letters:
        assert letter in joined
    assert "Ã" not in joined and "\ufffd" not in joined


def test_windows_1252_danish_sample(run: Run) -> None:
    path = CORPORA / "da" / "da-04-medarbejdere.txt"
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0
    assert "windows-1252 (guessed)" in result.stdout
    segments = export(run)
    text = " ".join(s["text"] for s in segments)
    assert all(letter in text for letter in "æøå")
    assert segments[0]["language"] == "da"


def test_utf16_swedish_sample(run: Run) -> None:
    path = CORPORA / "sv" / "sv-02-brukarrevision.txt"
    assert path.read_bytes()[:2] == codecs.BOM_UTF16_LE
    result = run("import", str(path))
    assert result.exit_code == 0
    assert "utf-16" in result.stdout
    segments = export(run)
    text = " ".join(s["text"] for s in segments)
    assert all(letter in text for letter in "åäö")
    assert segments[0]["language"] == "sv"


def test_markdown_with_bold_labels(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "fokusgruppe.md"
    path.write_text(
        "# Fokusgruppe 2\n\n*Dato: 4. maj*\n\n"
        "**Moderator:** Hvad betyder brugerrådet for jer?\n\n"
        "**Anna:** Det betyder, at vi bliver taget alvorligt.\n\n"
        "## Del 2\n\n"
        "**Moderator:** Og personalet?\n\n"
        "**Kim:** De lytter mere end før. [griner]\n",
        encoding="utf-8",
    )
    assert run("import", str(path)).exit_code == 0
    segments = export(run)
    assert [(s["speaker"], s["role"]) for s in segments] == [
        ("Moderator", "interviewer"),
        ("Anna", "participant"),
        ("Moderator", "interviewer"),
        ("Kim", "participant"),
    ]
    assert segments[-1]["text"] == "De lytter mere end før. [griner]"


def test_docx_paragraphs_and_table(tmp_path: Path, run: Run) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Interview med Kirsten")
    document.add_paragraph("Dato: 2. juni 2025")
    paragraph = document.add_paragraph()
    paragraph.add_run("Int:").bold = True
    paragraph.add_run(" Hvordan var det at sidde i panelet?")
    paragraph = document.add_paragraph()
    paragraph.add_run("Kirsten:").bold = True
    paragraph.add_run(" Jeg var nervøs i starten.")
    document.add_paragraph("Men det gik over, da de spurgte til min erfaring.")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [
            ("Tid", "Taler", "Tekst"),
            ("00:10:02", "Int", "Og nu?"),
            ("00:10:09", "Kirsten", "Nu tør jeg sige fra."),
        ],
    ):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    path = tmp_path / "kirsten.docx"
    document.save(str(path))
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    segments = export(run)
    assert [s["speaker"] for s in segments] == ["Int", "Kirsten", "Int", "Kirsten"]
    assert segments[1]["text"] == (
        "Jeg var nervøs i starten. Men det gik over, da de spurgte til min erfaring."
    )
    assert segments[3]["text"] == "Nu tør jeg sige fra."
    assert segments[0]["role"] == "interviewer"


def test_docx_table_with_a_header_row_in_any_order(tmp_path: Path, run: Run) -> None:
    # NVivo exports "Timespan | Content | Speaker": the speaker column comes last.
    import docx

    document = docx.Document()
    rows = [
        ("Timespan", "Content", "Speaker"),
        ("0:00.0 - 0:05.2", "Hvordan kom du med i brugerrådet?", "Interviewer"),
        ("0:05.2 - 0:09.0", "Min kontaktperson spurgte mig.", "Birgitte"),
    ]
    table = document.add_table(rows=len(rows), cols=3)
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    path = tmp_path / "nvivo.docx"
    document.save(str(path))
    assert run("import", str(path)).exit_code == 0
    assert [(s["speaker"], s["role"], s["text"]) for s in export(run)] == [
        ("Interviewer", "interviewer", "Hvordan kom du med i brugerrådet?"),
        ("Birgitte", "participant", "Min kontaktperson spurgte mig."),
    ]


def test_odt_table_with_a_header_row(tmp_path: Path, run: Run) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    document = OpenDocumentText()
    table = Table(name="Transkripsjon")
    table.addElement(TableColumn(numbercolumnsrepeated=3))
    rows = [
        ("Tid", "Tekst", "Talar"),
        ("00:00:03", "Korleis kom du med?", "Intervjuar"),
        ("00:00:09", "Via eit brev.", "Tuva"),
    ]
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    path = tmp_path / "tabell.odt"
    document.save(str(path))
    assert run("import", str(path)).exit_code == 0
    assert [(s["speaker"], s["role"], s["text"]) for s in export(run)] == [
        ("Intervjuar", "interviewer", "Korleis kom du med?"),
        ("Tuva", "participant", "Via eit brev."),
    ]


def test_docx_names_in_bold_without_a_colon(tmp_path: Path, run: Run) -> None:
    import docx

    document = docx.Document()
    said = [
        ("Interviewer", "Hvordan kom du med?"),
        ("Birgitte", "Min kontaktperson spurgte mig."),
        ("Interviewer", "Og så?"),
        ("Birgitte", "Så sagde jeg ja."),
    ]
    for name, speech in said:
        paragraph = document.add_paragraph()
        paragraph.add_run(name).bold = True
        paragraph.add_run(f" {speech}")
    paragraph = document.add_paragraph()
    paragraph.add_run("Aldrig").bold = True  # emphasis, once: speech
    paragraph.add_run(" har jeg set noget lignende.")
    path = tmp_path / "fed.docx"
    document.save(str(path))
    assert run("import", str(path)).exit_code == 0
    segments = export(run)
    last = ("Birgitte", "Så sagde jeg ja. Aldrig har jeg set noget lignende.")
    assert [(s["speaker"], s["text"]) for s in segments] == [*said[:3], last]


def test_teams_transcript_docx(tmp_path: Path, run: Run) -> None:
    # Teams and Otter put the speaker's name and a time on a line, the speech below it.
    import docx

    document = docx.Document()
    document.add_paragraph("Transcript")
    document.add_paragraph("3. december 2026, 10:02")
    said = [
        ("Interviewer", "0:03", "Hur kom du in i brukarrådet?"),
        ("Lena Holm", "0:09", "En kurator frågade mig. Nu vågar jag säga vad jag tycker."),
        ("Interviewer", "0:41", "Vad betyder det för dig?"),
        ("Lena Holm", "0:44", "Att jag blir tagen på allvar."),
    ]
    for name, time, speech in said:
        document.add_paragraph(f"{name}   {time}")
        document.add_paragraph(speech)
    path = tmp_path / "teams.docx"
    document.save(str(path))
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    segments = export(run)
    assert [(s["speaker"], s["role"], s["text"]) for s in segments] == [
        (name, "interviewer" if name == "Interviewer" else "participant", speech)
        for name, _, speech in said
    ]


def test_odt_sample(run: Run) -> None:
    assert run("import", str(CORPORA / "no" / "nb-03-ansatte.odt")).exit_code == 0
    segments = export(run)
    assert segments[0]["speaker"] == "I" and segments[0]["language"] == "nb"


def test_vtt_voice_tags_merge_consecutive_cues(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "samtal.vtt"
    path.write_text(
        "WEBVTT\n\nNOTE transcribed by a machine\n\n"
        "1\n00:00:01.000 --> 00:00:03.000\n<v Intervjuare>Hur började det?</v>\n\n"
        "2\n00:00:03.500 --> 00:00:06.000\n<v Karin>Det började med att vi</v>\n\n"
        "3\n00:00:06.000 --> 00:00:09.250\n<v Karin>fick vara med &amp; bestämma.</v>\n\n"
        "4\n00:00:10.000 --> 00:00:12.000\n<v.loud Intervjuare>Och sen?\n",
        encoding="utf-8",
    )
    assert run("import", str(path)).exit_code == 0
    segments = export(run)
    assert [(s["speaker"], s["text"]) for s in segments] == [
        ("Intervjuare", "Hur började det?"),
        ("Karin", "Det började med att vi fick vara med & bestämma."),
        ("Intervjuare", "Och sen?"),
    ]
    assert segments[1]["time"] == 3.5
    assert [s["role"] for s in segments] == ["interviewer", "participant", "interviewer"]


def test_srt_with_name_prefixes(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "samtale.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nIntervjuer: Hva betyr brukerutvalget for deg?\n\n"
        "2\n00:00:03,500 --> 00:00:06,000\nTone: Det betyr at jeg blir hørt.\n\n"
        "3\n00:00:06,100 --> 00:00:08,000\nTone: <i>Endelig.</i>\n",
        encoding="utf-8",
    )
    assert run("import", str(path)).exit_code == 0
    segments = export(run)
    assert [(s["speaker"], s["text"]) for s in segments] == [
        ("Intervjuer", "Hva betyr brukerutvalget for deg?"),
        ("Tone", "Det betyr at jeg blir hørt. Endelig."),
    ]


def test_subtitles_saved_as_txt_read_as_subtitles(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "optagelse.txt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nHvordan var det at sidde i rådet?\n\n"
        "2\n00:00:04,500 --> 00:00:09,000\nDet var godt, jeg tør mere nu.\n",
        encoding="utf-8",
    )
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert [s["text"] for s in export(run)] == [
        "Hvordan var det at sidde i rådet?",
        "Det var godt, jeg tør mere nu.",
    ]


def test_real_speech_recognition_srt(run: Run) -> None:
    """Unlabelled machine subtitles: no speaker, cues joined only where a sentence runs on."""
    folder = SHARED / "real" / "srt"
    if not folder.is_dir():
        pytest.skip("shared/real is not beside the checkout")
    result = run("import", str(folder))
    assert result.exit_code == 0, result.stderr
    segments = export(run)
    assert {s["speaker"] for s in segments} == {None}
    assert {s["language"] for s in segments} == {"sv"}
    per_document = {s["document"] for s in segments}
    assert len(per_document) == 3
    assert 150 < len(segments) <= 150 + 105 + 39


@pytest.mark.parametrize("language", ["da", "sv", "nb"])
def test_real_parliament_transcripts(run: Run, language: str) -> None:
    folder = SHARED / "real"
    transcript = folder / f"real-{language}-parlamint.txt"
    if not transcript.is_file():
        pytest.skip("shared/real is not beside the checkout")
    assert run("import", str(transcript)).exit_code == 0
    segments = export(run)
    gold = jsonl((folder / f"real-{language}-parlamint.gold-turns.jsonl").read_text("utf-8"))
    assert [(s["speaker"], " ".join(s["text"].split())) for s in segments] == [
        (g["speaker"], " ".join(g["text"].split())) for g in gold
    ]
    assert {s["language"] for s in segments} == {language}


def test_folder_import_is_recursive_and_reports_progress_quietly(run: Run) -> None:
    result = run("import", str(CORPORA))
    assert result.exit_code == 0
    assert result.stdout.count("imported ") >= 10
    assert "\r" not in result.output  # no progress bar when not on a terminal


def test_a_folders_readme_is_not_an_interview(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "a.txt").write_text(SWEDISH, encoding="utf-8")
    (folder / "README.md").write_text("# Intervjuer\n\nOm projektet.\n", encoding="utf-8")
    result = run("import", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "1 imported" in result.stdout
    assert "README.md: a README, not a transcript" in result.stderr
    assert run("import", str(folder / "README.md")).exit_code == 0  # named: imported


def test_attributes_and_lang_override(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SWEDISH, encoding="utf-8")
    result = run("import", str(path), "--attr", "site=Malmö", "--attr", "role=user", "--lang", "sv")
    assert result.exit_code == 0
    listed = jsonl(run("documents", "--format", "jsonl").stdout)
    assert listed[0]["attributes"] == {"role": "user", "site": "Malmö"}
    assert listed[0]["language"] == "sv"


def test_interviewer_override(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "b.txt"
    path.write_text(
        "Per: Hvordan er det å være med?\nLise: Det er fint.\n"
        "Per: Hvorfor det?\nLise: Fordi jeg blir hørt.\n",
        encoding="utf-8",
    )
    assert run("import", str(path), "--interviewer", "lise").exit_code == 0
    roles = {s["speaker"]: s["role"] for s in export(run)}
    assert roles == {"Per": "participant", "Lise": "interviewer"}
