"""Caption cleaning: label, ligatures, hyphenation, whitespace, credits, panel alignment."""

from __future__ import annotations

import pytest

from mmskin_build.curation.captions import clean_caption, panel_caption, strip_panel_marker


@pytest.mark.parametrize(
    ("raw", "label", "text"),
    [
        ("Figure 12.3 Psoriasis of the elbow.", "12.3", "Psoriasis of the elbow."),
        ("Fig. 3a: Lichen planus.", "3a", "Lichen planus."),
        ("FIGURE 5-2 | Tinea corporis.", "5-2", "Tinea corporis."),
        ("Plate 4 - Morphoea.", "4", "Morphoea."),
        ("Fig 7. Scabies burrows.", "7", "Scabies burrows."),
        ("Picture 1. Acne on the cheek.", "1", "Acne on the cheek."),
        ("Figure A1. Scabies in the appendix.", "A1", "Scabies in the appendix."),
        ("PLATE IV Vitiligo.", "IV", "Vitiligo."),
        ("Table 2 Treatments.", None, "Table 2 Treatments."),
        ("Scabies burrows on the wrist.", None, "Scabies burrows on the wrist."),
        ("Figure discussed below shows acne.", None, "Figure discussed below shows acne."),
    ],
)
def test_label_moves_to_its_own_column(raw, label, text):
    cleaned = clean_caption(raw)
    assert (cleaned.label, cleaned.text) == (label, text)


def test_label_from_the_figures_table_wins():
    assert clean_caption("Figure 2 Acne.", label="2.1").label == "2.1"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (
            "Super\ufb01cial spreading melanoma, \ufb02exural eczema.",
            "Superficial spreading melanoma, flexural eczema.",
        ),
        ("Ery-\nthematous plaques with sil- very scale.", "Erythematous plaques with silvery scale."),
        ("A well-\ndefined, 45-\nyear-old man's plaque.", "A well-defined, 45-year-old man's plaque."),
        ("Pre- and post-treatment views.", "Pre- and post-treatment views."),
        ("A T-cell lymphoma; X-ray of the hand.", "A T-cell lymphoma; X-ray of the hand."),
        ("Hyper\u00adkeratosis\u200b of the  palms ,  with\tfissures .", "Hyperkeratosis of the palms, with fissures."),
        ("Ｆｕｌｌ-width letters\u00a0and NBSP.", "Full-width letters and NBSP."),
        ("Cafe\u0301-au-lait macules.", "Café-au-lait macules."),
        ("Psoriasis - plaques on the knees.", "Psoriasis - plaques on the knees."),
    ],
)
def test_text_repairs(raw, text):
    assert clean_caption(raw).text == text


@pytest.mark.parametrize(
    ("raw", "text", "credit"),
    [
        ("Figure 1 Pemphigus vulgaris. (Courtesy of Dr. A. Smith.)", "Pemphigus vulgaris.", "Courtesy of Dr. A. Smith"),
        (
            "Bullous pemphigoid. Courtesy of the Department of Dermatology, Leeds.",
            "Bullous pemphigoid.",
            "Courtesy of the Department of Dermatology, Leeds",
        ),
        (
            "Lupus (From Jones B. Skin Disease (2nd ed). Elsevier, 2001.) on the face.",
            "Lupus on the face.",
            "From Jones B. Skin Disease (2nd ed). Elsevier, 2001",
        ),
        (
            "Vitiligo. Reproduced with permission from Smith J, Br J Dermatol 2001.",
            "Vitiligo.",
            "Reproduced with permission from Smith J, Br J Dermatol 2001",
        ),
        (
            "Acne (Reprinted with permission from Wiley.) and scars (Photo courtesy of K. Lee).",
            "Acne and scars.",
            "Reprinted with permission from Wiley; Photo courtesy of K. Lee",
        ),
        ("Lesions from the trunk spread to the arms.", "Lesions from the trunk spread to the arms.", None),
        ("Three stages (from left to right) of a bulla.", "Three stages (from left to right) of a bulla.", None),
        ("Tinea. © 2004 Elsevier Ltd.", "Tinea.", "© 2004 Elsevier Ltd"),
    ],
)
def test_credits_move_to_their_own_column(raw, text, credit):
    cleaned = clean_caption(raw)
    assert (cleaned.text, cleaned.credit) == (text, credit)


def test_empty_caption():
    assert clean_caption(None).text == "" and clean_caption("Figure 3.").text == ""


def test_panel_subcaptions_stay_aligned_to_their_panel():
    caption = clean_caption(
        "Figure 4 Psoriasis in a 40-year-old man. (a) Plaques on the el-\nbows. (b) Nail pitting. (c) Scalp involvement."
    ).text
    subcaptions = {"a": "(a) Plaques on the elbows.", "b": "(b) Nail pitting.", "c": "(c) Scalp involvement."}
    captions = {}
    for letter, sub in subcaptions.items():
        captions[letter] = panel_caption(caption, strip_panel_marker(clean_caption(sub).text, letter))
    assert captions == {
        "a": "Psoriasis in a 40-year-old man. Plaques on the elbows.",
        "b": "Psoriasis in a 40-year-old man. Nail pitting.",
        "c": "Psoriasis in a 40-year-old man. Scalp involvement.",
    }


def test_capital_panel_markers_and_words_that_look_like_markers():
    caption = "Acne. A, Comedones on the forehead. B, Cysts on the back."
    assert panel_caption(caption, strip_panel_marker("B, Cysts on the back.", "B")) == "Acne. Cysts on the back."
    assert strip_panel_marker("A man with acne.", "A") == "A man with acne."  # a word, not a marker
    assert panel_caption("No markers here.", "Cysts.") == "No markers here."
    assert panel_caption("Whole caption.", None) == "Whole caption."
    assert panel_caption("", "Cysts.") == "Cysts."  # a panel keeps its sub-caption when the figure has none
