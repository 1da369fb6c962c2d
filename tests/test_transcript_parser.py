"""Turn parsing on the label, timestamp and header styles transcribers use."""

from __future__ import annotations

import pytest

from qualcode.ingest.labels import is_label, match_label
from qualcode.ingest.transcript import parse_transcript, split_paragraphs


def turns_of(text: str, **kwargs: object) -> list[tuple[str | None, str, str]]:
    parsed = parse_transcript(text, split_paragraphs(text), **kwargs)  # type: ignore[arg-type]
    return [(t.speaker, t.role.value, t.text) for t in parsed.turns]


@pytest.mark.parametrize(
    ("line", "label", "speech"),
    [
        ("I: Hej.", "I", "Hej."),
        ("IP: Ja.", "IP", "Ja."),
        ("Int.: Nå?", "Int.", "Nå?"),
        ("INT: Hvad så?", "INT", "Hvad så?"),
        ("Intervjuare: Berätta!", "Intervjuare", "Berätta!"),
        ("D1: Enig.", "D1", "Enig."),
        ("Pårørende: Ja.", "Pårørende", "Ja."),
        ("[00:12:31] B: Ja.", "B", "Ja."),
        ("(00:12:31) B: Ja.", "B", "Ja."),
        ("B: [00:12:31] Ja.", "B", "Ja."),
        ("B: (00:12:31) Ja.", "B", "Ja."),
        ("00:12:31 B: Ja.", "B", "Ja."),
        ("12:31 B: Ja.", "B", "Ja."),
        ("Heidi Grande Røys: Det vert votert.", "Heidi Grande Røys", "Det vert votert."),
        ("Anna-Karin: Ja.", "Anna-Karin", "Ja."),
        ("Person 2: Nej.", "Person 2", "Nej."),
        ("**I:** Hej.", "I", "Hej."),
        ("[SPEAKER_01]: Hej.", "[SPEAKER_01]", "Hej."),
        ("B: [griner] Ja.", "B", "[griner] Ja."),
        ("B: (pause) Ja.", "B", "(pause) Ja."),
        ("Moderator:", "Moderator", ""),
    ],
)
def test_labels(line: str, label: str, speech: str) -> None:
    found = match_label(line)
    assert found is not None, line
    assert found.label == label
    assert line[found.text_offset :].strip() == speech


@pytest.mark.parametrize(
    "line",
    [
        "Men så sagde hun: nu må du tage ordet.",
        "Altså: det var svært.",
        "Det er klart, at: nej.",
        "Kl. 14:30 mødtes vi.",
        "Se http://example.org for mere.",
        "jeg tænkte: hvorfor?",
        "Og så sa han til meg: Nå må du slutte.",
        "Hvad skal man sige: det er sådan.",
    ],
)
def test_speech_with_colons_is_not_a_label(line: str) -> None:
    assert match_label(line) is None


def test_is_label_rejects_long_phrases() -> None:
    assert not is_label("Det var en lang dag for os alle")


def test_continuation_paragraphs_join_the_turn() -> None:
    text = "I: Hvordan?\n\nB: Først det ene.\n\nOg så det andet.\nOg det tredje.\n\nI: Tak.\n"
    assert turns_of(text) == [
        ("I", "interviewer", "Hvordan?"),
        ("B", "participant", "Først det ene. Og så det andet. Og det tredje."),
        ("I", "interviewer", "Tak."),
    ]


def test_header_block_with_label_like_lines() -> None:
    text = (
        "Intervju nr. 2\nDato: 4. mars 2025\nInformant: brukerrepresentant, DPS\n\n"
        "Intervjuer: Takk.\n\nInformant: Bare hyggelig.\n\nIntervjuer: Hvordan startet det?\n"
    )
    parsed = parse_transcript(text, split_paragraphs(text))
    assert parsed.metadata["Dato"] == "4. mars 2025"
    assert parsed.metadata["title"] == "Intervju nr. 2"
    assert "Informant: brukerrepresentant" in parsed.header
    assert [t.speaker for t in parsed.turns] == ["Intervjuer", "Informant", "Intervjuer"]


def test_header_without_blank_line() -> None:
    text = "Interview 3\nDato: 1.2.2025\nTransskriberet af: AM\nI: Velkommen.\nB: Tak.\n"
    parsed = parse_transcript(text, split_paragraphs(text))
    assert [t.speaker for t in parsed.turns] == ["I", "B"]
    assert parsed.metadata["Transskriberet af"] == "AM"


def test_header_key_no_list_knows_stays_in_the_header() -> None:
    text = (
        "Brukarmedverkan i Bostad först\nIntervju 1 av 6\nDatum: 9 april 2024\n"
        "Intervjuare: EH\nUtskrift: MB\nIntervjuperson hyresgäst, man, 52 år\n\n"
        "INTERVJUARE\nKan du berätta lite om dig själv?\n\nMIKAEL\nJa, jag var hemlös länge.\n\n"
        "INTERVJUARE\nHur hamnade du i gruppen?\n\nMIKAEL\nDet var Jonny som frågade.\n"
    )
    parsed = parse_transcript(text, split_paragraphs(text))
    assert [t.speaker for t in parsed.turns] == ["INTERVJUARE", "MIKAEL"] * 2
    assert parsed.metadata["Utskrift"] == "MB"


def test_a_one_off_speaker_asking_under_the_header_is_a_turn() -> None:
    text = (
        "Fokusgruppe 2\nDato: 3. maj 2024\n\nOle: Skal vi ikke bare starte?\n\n"
        "I: Jo, velkommen.\n\nB: Tak.\n\nI: Hvordan startede det?\n\nB: Med et brev.\n"
    )
    assert [t[0] for t in turns_of(text)] == ["Ole", "I", "B", "I", "B"]


_INTERVIEW = (
    "\nI: Hvordan kom du med i rådet?\n\nB: Min kontaktperson spurgte mig.\n\n"
    "I: Hvad har det betydet?\n\nB: At jeg tør sige noget nu.\n"
)


@pytest.mark.parametrize(
    "header",
    [
        "Projekt: Brugerinddragelse i socialpsykiatrien, en evaluering af brugerrådenes "
        "betydning for hverdagen på bostederne i Region Syd\nDato: 3. maj 2024\n",
        "Interview 4\nDato: 3. maj 2024\nBaggrund: Informanten har siddet i brugerrådet i tre "
        "år og er tidligere formand for beboerforeningen.\n",
    ],
    ids=["long value of a known key", "long value of a key no list knows"],
)
def test_long_header_lines_stay_in_the_header(header: str) -> None:
    parsed = parse_transcript(header + _INTERVIEW, split_paragraphs(header + _INTERVIEW))
    assert [t.speaker for t in parsed.turns] == ["I", "B", "I", "B"]
    assert "Dato" in parsed.metadata


def test_a_one_off_speaker_below_the_header_block_is_a_turn() -> None:
    text = (
        "Fokusgruppe 2\nDato: 3. maj 2024\n\nOle: Jeg vil bare sige, at jeg synes, det er "
        "rigtig godt, at vi endelig bliver spurgt om noget.\n" + _INTERVIEW
    )
    assert [t[0] for t in turns_of(text)] == ["Ole", "I", "B", "I", "B"]


def test_no_header_when_first_line_is_a_turn() -> None:
    text = "Interviewer: Velkommen.\nAnna: Tak.\nInterviewer: Hvordan gik det?\nAnna: Godt.\n"
    assert [t[0] for t in turns_of(text)] == ["Interviewer", "Anna", "Interviewer", "Anna"]


def test_unlabelled_transcript_one_turn_per_paragraph() -> None:
    text = "Det var svært i starten.\nMen nu går det.\n\nVi blev hørt.\n\nTil sidst.\n"
    assert turns_of(text) == [
        (None, "participant", "Det var svært i starten. Men nu går det."),
        (None, "participant", "Vi blev hørt."),
        (None, "participant", "Til sidst."),
    ]


def test_unlabelled_lines_without_blank_lines() -> None:
    text = "Første udsagn.\nAndet udsagn.\nTredje udsagn.\n"
    assert [t[2] for t in turns_of(text)] == ["Første udsagn.", "Andet udsagn.", "Tredje udsagn."]


def test_interviewer_found_by_questions() -> None:
    text = (
        "Sofie: Hvordan kom du med i rådet?\nTom: Min kontaktperson spurgte.\n"
        "Sofie: Hvad tænkte du da?\nTom: At det nok var spild af tid.\n"
        "Sofie: Og nu?\nTom: Nu er jeg glad for det.\n"
    )
    roles = {speaker: role for speaker, role, _ in turns_of(text)}
    assert roles == {"Sofie": "interviewer", "Tom": "participant"}


def test_no_interviewer_in_a_debate() -> None:
    text = "Per Hansen: Jeg er uenig.\nEva Lund: Det er jeg også.\nPer Hansen: Godt.\n"
    assert {role for _, role, _ in turns_of(text)} == {"participant"}


def test_interviewer_override() -> None:
    text = "I: Hvad?\nB: Hvorfor spørger du?\nI: Fordi.\nB: Hvem ved?\n"
    roles = {s: r for s, r, _ in turns_of(text, interviewer_labels=["B"])}
    assert roles == {"I": "participant", "B": "interviewer"}


def test_trailing_and_f4_timestamps_removed_marks_kept() -> None:
    text = "I: Hvordan? #00:01:23-4#\nB: Godt [utydeligt] (pause) ja. [00:01:30]\n"
    assert [t[2] for t in turns_of(text)] == ["Hvordan?", "Godt [utydeligt] (pause) ja."]


def test_label_alone_on_its_line() -> None:
    text = "Interviewer:\nHvordan var det?\n\nDeltager 1:\nDet var fint.\n"
    assert turns_of(text) == [
        ("Interviewer", "interviewer", "Hvordan var det?"),
        ("Deltager 1", "participant", "Det var fint."),
    ]


# Transcription services put the speaker's name and a time on a line of their own and the
# speech below: Otter and Teams ("Name  0:15"), Word ("00:00:03 Speaker 1"), others in
# brackets; Rev and Descript write "Speaker 1 (00:03):".
@pytest.mark.parametrize(
    "heading",
    [
        "{name}  {m}:{s:02d}",
        "00:{m:02d}:{s:02d} {name}",
        "{name} [00:{m:02d}:{s:02d}]",
        "[00:{m:02d}:{s:02d}] {name}",
        "{name} (00:{m:02d}:{s:02d}):",
    ],
)
def test_a_name_and_a_time_alone_on_a_line_head_the_speech_below(heading: str) -> None:
    said = [
        ("Interviewer", "Hvordan kom du med i brugerrådet?"),
        ("Birgitte Madsen", "Min kontaktperson spurgte mig.\nNu tør jeg sige min mening."),
        ("Interviewer", "Hvad betyder det for dig?"),
        ("Birgitte Madsen", "At jeg bliver taget alvorligt."),
    ]
    text = "\n\n".join(
        heading.format(name=name, m=i, s=7 * i) + "\n" + speech
        for i, (name, speech) in enumerate(said)
    )
    parsed = parse_transcript(text, split_paragraphs(text))
    assert [(t.speaker, t.role.value) for t in parsed.turns] == [
        ("Interviewer", "interviewer"),
        ("Birgitte Madsen", "participant"),
    ] * 2
    assert [t.text for t in parsed.turns] == [
        "Hvordan kom du med i brugerrådet?",
        "Min kontaktperson spurgte mig. Nu tør jeg sige min mening.",
        "Hvad betyder det for dig?",
        "At jeg bliver taget alvorligt.",
    ]
    assert [t.start_time for t in parsed.turns] == [0.0, 67.0, 134.0, 201.0]
    assert all(text[t.start : t.end].startswith(t.text[:10]) for t in parsed.turns)


def test_a_stamped_label_before_the_colon() -> None:
    found = match_label("Speaker 2 (01:04): Ja, det tror jeg.")
    assert found is not None
    assert (found.label, found.time, found.by_layout) == ("Speaker 2", 64.0, False)


def test_one_line_of_a_name_and_a_time_is_not_a_speaker() -> None:
    text = "Side 3  10:15\nVi snakkede om brugerrådet.\n\nDet var en god dag."
    assert [speaker for speaker, _, _ in turns_of(text)] == [None, None]
    assert match_label("Side 3  10:15") is None  # only transcripts ask for headings
    assert match_label("Kl. 10:30", headings=True) is None


@pytest.mark.parametrize(("asked", "answered"), [("Spørgsmål", "Svar"), ("Fråga", "Svar")])
def test_question_and_answer_written_as_labels(asked: str, answered: str) -> None:
    text = (
        f"{asked}: Hvordan kom du med?\n{answered}: Min kontaktperson spurgte.\n"
        f"{asked}: Og så?\n{answered}: Så sagde jeg ja."
    )
    assert [(speaker, role) for speaker, role, _ in turns_of(text)] == [
        (asked, "interviewer"),
        (answered, "participant"),
    ] * 2


def test_one_answer_word_with_a_colon_is_speech() -> None:
    text = "I: Hvad sagde du?\n\nB: Jeg sagde det kort.\nSvar: nej.\n\nI: Okay."
    assert turns_of(text)[1] == ("B", "participant", "Jeg sagde det kort. Svar: nej.")


def test_names_in_a_column_between_tabs() -> None:
    rows = [("Speaker 1", "Hvordan kom du med?"), ("Speaker 2", "Min kontaktperson spurgte.")]
    text = "\n".join(
        f"00:00:{i:02d}\t{name}\t{speech}" for i, (name, speech) in enumerate(rows * 2)
    )
    assert [(speaker, said) for speaker, _, said in turns_of(text)] == rows * 2


def test_a_column_of_ids_is_not_speakers() -> None:
    text = "U001\tMødet er åbnet.\nU002\tTak for ordet.\nU003\tVærsgo."
    assert [speaker for speaker, _, _ in turns_of(text)] == [None, None, None]


def test_lines_cut_in_mid_sentence_join_up_to_the_sentence_end() -> None:
    # Speech recognition writes a line per stretch of sound, not per sentence.
    text = (
        "Ja, så starter vi. Kan du fortælle lidt om,\nhvordan du kom med?\n"
        "Min kontaktperson spurgte mig,\nom jeg ville være med. Og jeg tænkte,\n"
        "det kan jeg da godt prøve.\nOg hvordan har det været?"
    )
    assert [said for _, _, said in turns_of(text)] == [
        "Ja, så starter vi. Kan du fortælle lidt om, hvordan du kom med?",
        "Min kontaktperson spurgte mig, om jeg ville være med. Og jeg tænkte, det kan jeg da "
        "godt prøve.",
        "Og hvordan har det været?",
    ]


@pytest.mark.parametrize(
    "lines",
    [
        ["Hvordan kom du med?", "Min kontaktperson spurgte.", "Og så?", "Så sagde jeg ja."],
        ["hvordan kom du med", "min kontaktperson spurgte", "og så", "så sagde jeg ja"] * 2
        + ["slut."],
    ],
)
def test_lines_that_do_not_follow_sentences_stay_one_turn_each(lines: list[str]) -> None:
    assert [said for _, _, said in turns_of("\n".join(lines))] == lines


def test_joined_lines_stop_at_eight() -> None:
    lines = [f"og så linje {i}" for i in range(1, 11)] + ["Slut.", "Ja.", "Nej.", "Måske."]
    assert [said.count("linje") for _, _, said in turns_of("\n".join(lines))][:2] == [8, 2]


def test_names_alone_on_their_line_as_in_a_script() -> None:
    text = (
        "INTERVIEWER\nHvordan kom du med?\n\nBIRGITTE\nMin kontaktperson spurgte.\n\n"
        "INTERVIEWER\nOg så?\n\nBIRGITTE\nSå sagde jeg ja."
    )
    assert [(speaker, role) for speaker, role, _ in turns_of(text)] == [
        ("INTERVIEWER", "interviewer"),
        ("BIRGITTE", "participant"),
    ] * 2


def test_a_word_alone_on_its_line_is_speech() -> None:
    text = "I: Godt?\n\nB: Ja.\nPræcis\nDet var det.\n\nI: Og så?\n\nB: Nej.\nPræcis\nSå blev det."
    assert [(speaker, said) for speaker, _, said in turns_of(text)][1] == (
        "B",
        "Ja. Præcis Det var det.",
    )
    once = "Det var en god dag.\n\nOVERSKRIFT\nSå gik vi hjem.\n\nDet var det."
    assert [speaker for speaker, _, _ in turns_of(once)] == [None, None, None]


def test_a_line_that_starts_in_capitals_is_not_joined_to_the_one_before() -> None:
    lines = ["Ja det var godt", "Hvad så med dig", "Det ved jeg ikke.", "Nej?", "Nå men"]
    assert [said for _, _, said in turns_of("\n".join(lines))] == lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Anna Berg  0:01\nHur kom du in i rådet?\n\nLena Holm  0:05\nEn kurator frågade."
            "\n\nLena Holm  0:40\nOch sen blev jag kvar.\n\nAnna Berg  0:59\nVarför?",
            [
                ("Anna Berg", "Hur kom du in i rådet?", 1.0),
                ("Lena Holm", "En kurator frågade. Och sen blev jag kvar.", 5.0),
                ("Anna Berg", "Varför?", 59.0),
            ],
        ),
        (  # three headings, one over two paragraphs
            "Anna  0:01\nHur?\n\nLena  0:05\nFörst.\nSen.\n\nLena  0:40\nOch så.\n\n"
            "Lena  1:10\nSlut.\n\nAnna  1:20\nTack.",
            [
                ("Anna", "Hur?", 1.0),
                ("Lena", "Först. Sen. Och så. Slut.", 5.0),
                ("Anna", "Tack.", 80.0),
            ],
        ),
    ],
)
def test_a_service_heading_again_in_one_persons_speech_is_still_one_turn(
    text: str, expected: list[tuple[str, str, float]]
) -> None:
    # Teams and Otter start a new heading every so often; a transcriber's label starts a turn.
    parsed = parse_transcript(text, split_paragraphs(text))
    assert [(t.speaker, t.text, t.start_time) for t in parsed.turns] == expected
    assert text[parsed.turns[1].start : parsed.turns[1].end].endswith(expected[1][1].split()[-1])


def test_a_label_written_again_starts_a_new_turn() -> None:
    labelled = "I: Hvorfor?\n\nB: Fordi.\n\nB: Og så det andet.\n\nI: Ja."
    assert [said for _, _, said in turns_of(labelled)] == [
        "Hvorfor?",
        "Fordi.",
        "Og så det andet.",
        "Ja.",
    ]


def test_a_transcription_services_own_lines_are_not_speech() -> None:
    text = (
        "Møde-20240611-Meeting Transcript\n11 June 2024, 10:03am\n12m 45s\n"
        "Sofie Lund started transcription\n\nSofie Lund   0:03\nHvordan startede det?\n\n"
        "Henrik Dahl   0:20\nMed et brev.\n\nSofie Lund   0:41\nTak.\n"
        "Sofie Lund stopped transcription\n\nTranscribed by https://otter.ai"
    )
    assert [(speaker, said) for speaker, _, said in turns_of(text)] == [
        ("Sofie Lund", "Hvordan startede det?"),
        ("Henrik Dahl", "Med et brev."),
        ("Sofie Lund", "Tak."),
    ]


def test_speech_recognitions_time_spans_before_the_text() -> None:
    # Whisper prints "[00:00.000 --> 00:04.520]  text", a line per stretch of sound.
    text = (
        "[00:00.000 --> 00:04.520]  Ja, så starter vi. Kan du fortælle lidt om,\n"
        "[00:04.520 --> 00:07.000]  hvordan du kom med?\n"
        "[00:07.000 --> 00:12.300]  Min kontaktperson spurgte mig.\n"
    )
    parsed = parse_transcript(text, split_paragraphs(text))
    assert [(t.text, t.start_time) for t in parsed.turns] == [
        ("Ja, så starter vi. Kan du fortælle lidt om, hvordan du kom med?", 0.0),
        ("Min kontaktperson spurgte mig.", 7.0),
    ]


@pytest.mark.parametrize(
    "label", ["Interviewer (I)", "I (Interviewer)", "Intervjuare (IV)", "Moderator (Anna)"]
)
def test_a_role_with_a_name_or_an_abbreviation_is_the_interviewer(label: str) -> None:
    text = (
        f"{label}: Hvordan kom du med?\nKaren (bruger): Via et brev.\n"
        f"{label}: Og så?\nKaren (bruger): Så sagde jeg ja."
    )
    assert [role for _, role, _ in turns_of(text)] == ["interviewer", "participant"] * 2


def test_a_dash_instead_of_a_colon() -> None:
    text = (
        "I – Hvordan kom du med?\nB – Min kontaktperson spurgte.\nI – Og så?\nB – Så sagde jeg ja."
    )
    assert [(speaker, said) for speaker, _, said in turns_of(text)] == [
        ("I", "Hvordan kom du med?"),
        ("B", "Min kontaktperson spurgte."),
        ("I", "Og så?"),
        ("B", "Så sagde jeg ja."),
    ]
    once = "I: Hvad skete der?\n\nB: Birgitte – hun sagde det.\nSå gik vi.\n\nI: Okay."
    assert [speaker for speaker, _, _ in turns_of(once)] == ["I", "B", "I"]


def test_without_any_names_a_short_question_is_the_interviewers() -> None:
    text = (
        "Hvordan var det at komme med i rådet?\n\nDet var svært i starten. Hvad skulle jeg "
        "sige? Men nu tør jeg godt tage ordet, og de lytter faktisk til os, også når vi er "
        "uenige med personalet om tingene.\n\nOg nu?\n\nNu er det godt."
    )
    assert [role for _, role, _ in turns_of(text)] == [
        "interviewer",
        "participant",
        "interviewer",
        "participant",
    ]
    named = "Anna: Hvordan var det?\n\nBo: Godt. Og dig?\n\nAnna: Også godt."
    assert [role for _, role, _ in turns_of(named)] == ["participant"] * 3  # asked: by name


def test_line_numbers_for_citing_are_not_speech() -> None:
    text = (
        "1  I: Hvordan kom du med?\n2  B: Min kontaktperson spurgte mig, og jeg\n"
        "3  sagde ja med det samme.\n4  I: Og så?\n5  B: Så gik det."
    )
    assert turns_of(text) == [
        ("I", "interviewer", "Hvordan kom du med?"),
        ("B", "participant", "Min kontaktperson spurgte mig, og jeg sagde ja med det samme."),
        ("I", "interviewer", "Og så?"),
        ("B", "participant", "Så gik det."),
    ]
    counted = "I: Hvor mange var I?\n\nB: 12 personer var vi.\n\nI: Og nu?\n\nB: 3 måske."
    assert [said for _, _, said in turns_of(counted)][1] == "12 personer var vi."


def test_a_label_in_brackets_without_a_colon() -> None:
    text = "[I] Hvordan kom du med?\n[B] [Pause] Via et brev.\n[I] Og så?\n[B] Så sagde jeg ja."
    assert [(speaker, said) for speaker, _, said in turns_of(text)] == [
        ("[I]", "Hvordan kom du med?"),
        ("[B]", "[Pause] Via et brev."),
        ("[I]", "Og så?"),
        ("[B]", "Så sagde jeg ja."),
    ]


@pytest.mark.parametrize("heading", ["**{name}** (00:00:{s:02d})", "**{name}**", "__{name}__"])
def test_a_name_in_markdown_bold_on_its_line(heading: str) -> None:
    said = [("Interviewer", "Hvordan kom du med?"), ("Birgitte", "Via et brev.")] * 2
    text = "\n\n".join(
        heading.format(name=name, s=i) + "\n" + speech for i, (name, speech) in enumerate(said)
    )
    assert [(speaker, words) for speaker, _, words in turns_of(text)] == said


def test_markdown_headings_that_name_speakers() -> None:
    text = (
        "# Interview 3\n\n## Baggrund\n\nEt interview om brugerrådet.\n\n"
        "### Interviewer\nHvordan kom du med?\n\n### Birgitte\nVia et brev.\n\n"
        "## Del 2\n\n### Interviewer\nOg så?\n\n### Birgitte\nSå sagde jeg ja."
    )
    parsed = parse_transcript(text, split_paragraphs(text, markdown=True))
    assert [(t.speaker, t.role.value, t.text) for t in parsed.turns] == [
        ("Interviewer", "interviewer", "Hvordan kom du med?"),
        ("Birgitte", "participant", "Via et brev."),
        ("Interviewer", "interviewer", "Og så?"),
        ("Birgitte", "participant", "Så sagde jeg ja."),
    ]
