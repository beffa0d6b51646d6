"""The shared text rules: one figure-label pattern, one panel-marker pattern and one hyphenation repair, as every
stage sees them."""

from __future__ import annotations

import pytest

from mmskin_build.curation.captions import clean_caption, panel_caption
from mmskin_build.extract.subcaptions import parse_subcaptions
from mmskin_build.extract.text import join_lines
from mmskin_build.text.hyphenation import repair_hyphenation
from mmskin_build.text.labels import CAPTION_START, caption_type, cited_labels, mention_key, normalise_label
from mmskin_build.text.panel_markers import first_marker


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Picture 1. Acne.", "1"),
        ("Figure A1. Scabies.", "A1"),
        ("Figure A.8.1 Cleaning the finger", "A.8.1"),  # an annex's figures, numbered after its letter (WHO manual)
        ("Fig. B-2: Sentinel sites", "B-2"),
        ("Fig. 12 . 3 Nails.", "12.3"),
        ("FIG. IV Lupus", "IV"),
        ("Figure 4. 6 iEEG traces from two bursts.", "4"),  # a caption that starts with a number (ICML 2013)
        ("Figure 12.14 -0.811<r = 0.776<0.811.", "12.14"),  # ... with a negative number (Collaborative Statistics)
        ("Fig. 5 - 2 Sentinel sites", "5-2"),
        ("Map 3.1 Status of implementation units", "3.1"),  # a WHO report's maps and photographs
        ("Photograph 3.2 Participants of the workshop", "3.2"),
        ("CHART 2: Coverage by region", "2"),
    ],
)
def test_a_label_extract_finds_is_the_label_curate_strips_and_mentions_cite(line, label):
    match = CAPTION_START.match(line)
    assert match and normalise_label(match["label"]) == label
    assert clean_caption(line).label == label
    assert not clean_caption(line).text.startswith(match["prefix"])
    assert cited_labels(f"as shown in {line}")[:1] == [mention_key(match["prefix"], label)]


def test_caption_types():
    assert [caption_type(p) for p in ("Fig.", "FIGURE", "Plate", "Picture", "Photo", "Map", "TABLE", "Tab.")] == (
        ["Figure"] * 6 + ["Table"] * 2
    )


def test_citations_take_a_capital_panel_letter_but_not_a_word():
    assert cited_labels("the wave (Fig. 1A; Charles, 1991) and Figure 2B") == ["1", "2"]
    assert cited_labels("Figures In this chapter") == []
    assert cited_labels("Photos 3 and 4") == ["photo 3", "photo 4"]


def test_each_kind_of_label_is_numbered_apart_from_figures():
    # A report numbers maps and photographs apart from figures: "Map 3.1" and "Figure 3.1" are two pictures, so a
    # sentence citing the map is not a mention of the figure; Photo and Photograph are one series.
    assert cited_labels("see Map 3.1, Figure 3.1, Photographs 2 and 3 and Photo 4") == [
        "map 3.1", "3.1", "photo 2", "photo 3", "photo 4",
    ]  # fmt: skip
    assert [mention_key(word, "1") for word in ("Fig.", "FIGURES", "Maps", "PLATE", "Image")] == [
        "1", "1", "map 1", "plate 1", "image 1",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("erythe-\nmatous", "erythematous"),
        ("erythe- matous", "erythematous"),
        ("meth\ufffeods", "methods"),
        ("meth\ufffe\r\nods", "methods"),
        ("re-\nflecting", "reflecting"),
        ("branch-and-\nbound", "branch-and-bound"),
        ("branch-and\ufffebound", "branch-and-bound"),
        ("well-\ndefined", "well-defined"),
        ("45-\nyear-old", "45-year-old"),
        ("pre- and post-treatment", "pre- and post-treatment"),
        ("T-cell and X-ray", "T-cell and X-ray"),
        ("Psoriasis -\nPlaques", "Psoriasis -\nPlaques"),
        ("ASE\ufffeC", "ASE-C"),
        ("non-\nscarring; non-scarring", "non-scarring; non-scarring"),  # the text spells it with a hyphen
        ("the ACh-\nreceptors", "the ACh-receptors"),  # an acronym or symbol is no word split by the break
        ("IgE-\nmediated; TNF-\nalpha", "IgE-mediated; TNF-alpha"),
        ("Kera-\ntinocytes", "Keratinocytes"),  # a capital word's own letters are lower case after its first
        ("CodeL-\nlama and DegreeDis-\ntance", "CodeLlama and DegreeDistance"),  # names in camel case are split
    ],
)
def test_hyphenation_repair(text, repaired):
    assert repair_hyphenation(text) == repaired


def test_extract_and_curate_repair_a_split_word_the_same_way():
    lines = ["Plaques, sil-", "very scale and well-", "defined borders on a 45-", "year-old man."]
    assert join_lines(lines) == clean_caption("\n".join(lines)).text
    assert join_lines(lines) == "Plaques, silvery scale and well-defined borders on a 45-year-old man."


@pytest.mark.parametrize(
    "caption",
    [
        "Scabies in an infant. A. Burrows on the palm. B. Papules on the sole.",
        "Psoriasis: (a) plaques on the elbow; (b) nail pitting.",
        "Lichen planus. A, Violaceous papules. B, Wickham striae.",
    ],
)
def test_curate_keeps_the_lead_before_the_marker_extract_splits_at(caption):
    subcaptions = parse_subcaptions(caption)
    lead = caption[: first_marker(caption).start()].strip()
    assert set(subcaptions) == {"a", "b"}
    for subcaption in subcaptions.values():
        assert panel_caption(caption, subcaption) == f"{lead} {subcaption}"
