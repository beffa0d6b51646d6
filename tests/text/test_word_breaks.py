"""Word breaks put back into glued text (text/word_breaks.py): glued prose is split, everything else is left alone."""

from __future__ import annotations

import pytest

from mmskin_build.text.word_breaks import looks_glued, split_glued_words


@pytest.mark.parametrize(
    "line",
    [
        "Scattered fine papules on the forearm of an adult patient, photographed in daylight.",
        "The skin is the largest organ of the body. It protects against injury,",
        "Figure 4.1 Psoriasis. Typical lesions of psoriasis, on the trunk and limbs of",
        "Oval grey vesicles with a red halo on the palm and fingers of a 3-year-old boy.",
    ],
)
def test_a_glued_line_gets_its_word_breaks_back(line):
    glued = line.replace(" ", "")
    assert looks_glued(glued)
    text, inserted = split_glued_words(glued)
    assert text == line
    assert [text[at] for at in inserted] == [" "] * line.count(" ")


@pytest.mark.parametrize(
    "line",
    [
        # Lines of the real sets that pass the first test (a 20-letter run) and must stay as printed: addresses,
        # chemical and medical compounds, a long term among words.
        "https://github.com/martiansideofthemoon/",
        "MedicalDevices/DeviceRegulationandGuidance/",
        "http://rsos.royalsocietypublishing.org.",
        "N-acetylneuraminyllactose. Oral Microbiol.",
        "{3-(((R)-1-(amino)-2-phenylethyl)-adamantyloxyphosphinyl)",
        "dichlorodiphenyltrichloroethane",
        "Diagnostic criteria for hemophagocyticlymphohistiocytosis (HLH).",
        "immunohistochemistry, immunofluorescence or enzyme-linked immunosorbent assay",
        "Pseudohypoaldosteronism",
        "The patient with pseudohypoaldosteronism was seen again",
        "reprintsandpermissions/.",
    ],
)
def test_addresses_terms_and_spaced_text_are_left_as_printed(line):
    assert split_glued_words(line) == (line, ())
    assert not looks_glued(line) or split_glued_words(line) == (line, ())


def test_on_a_glued_page_short_lines_are_split_where_the_split_is_plausible():
    # A two-word heading and a title without function words are split on a page of glued lines; a term the corpus
    # lacks ("dermoscopy": "der mos copy") and a compound it reads as two short words ("chicken pox") stay whole.
    assert split_glued_words("Differentialdiagnosis")[0] == "Differentialdiagnosis"
    assert split_glued_words("Differentialdiagnosis", page_glued=True)[0] == "Differential diagnosis"
    assert split_glued_words("Hand,footandmouthdisease", page_glued=True)[0] == "Hand, foot and mouth disease"
    assert split_glued_words("Figure5.3Chickenpox", page_glued=True)[0] == "Figure 5.3 Chickenpox"
    assert split_glued_words("Dermoscopy", page_glued=True) == ("Dermoscopy", ())
    # Acronyms stay whole, numbers inside one stay whole.
    assert split_glued_words("CasesofdengueandCOVID-19in10,000adults", page_glued=True)[0] == (
        "Cases of dengue and COVID-19 in 10,000 adults"
    )
