"""Caption, mention and sub-caption parsing: the text rules of extract."""

import pytest

from mmskin_build.extract.mentions import MentionIndex, cited_labels
from mmskin_build.extract.panels import parse_subcaptions
from mmskin_build.extract.text import join_lines, normalise_for_match
from mmskin_build.text.labels import CAPTION_START, normalise_label


@pytest.mark.parametrize(
    ("line", "prefix", "label"),
    [
        ("Figure 12.3 Psoriasis of the elbow.", "Figure", "12.3"),
        ("Fig. 12-3. Nail pitting", "Fig.", "12-3"),
        ("FIGURE 5.2 Lichen planus", "FIGURE", "5.2"),
        ("Fig. 3a: Detail", "Fig.", "3a"),
        ("Plate 4 Vitiligo", "Plate", "4"),
        ("Picture 1.", "Picture", "1"),
        ("Table 2.1 Treatments", "Table", "2.1"),
        ("Figure. 11 Clinical phases of dengue infection", "Figure.", "11"),  # a full stop before the number
    ],
)
def test_caption_labels_in_textbook_styles(line, prefix, label):
    match = CAPTION_START.match(line)
    assert match and match.group("prefix") == prefix and normalise_label(match.group("label")) == label


def test_cited_labels_expand_lists_and_ranges():
    assert cited_labels("as shown in Fig. 3 and Figs. 5-7") == ["3", "5", "6", "7"]
    assert cited_labels("(Figures 2.1 and 2.4)") == ["2.1", "2.4"]
    assert cited_labels("see Fig. 4a") == ["4a"]
    assert cited_labels("Plate 4 and Fig. 4") == ["plate 4", "4"]
    assert cited_labels("no figure here, just 3 numbers") == []


def test_mentions_skip_the_caption_itself():
    index = MentionIndex()
    index.add_page(
        "Figure 3. Plaques on the elbow.\r\nAs shown in Fig. 3a, the plaques are scaly. Fig. 3 shows more.\r\n"
    )
    index.add_page("Figure 5 Nail pitting in a 30-year-old man.\r\nPlate 5 is a drawing.")
    assert index.mentions("3") == ["Fig. 3 shows more."]
    assert index.mentions("3a") == ["As shown in Fig. 3a, the plaques are scaly."]
    assert index.mentions("5") == []
    assert index.mentions("plate 5") == ["Plate 5 is a drawing."]


def test_subcaption_styles():
    assert parse_subcaptions("Figure 1 (a) Elbow. (b) Knee.", 9) == {"a": "Elbow.", "b": "Knee."}
    assert parse_subcaptions("Figure 2 A, Cheek. B, Scalp.", 9) == {"a": "Cheek.", "b": "Scalp."}
    assert parse_subcaptions("Fig. 1 A and B Histology of the liver", 7) == {
        "a": "Histology of the liver",
        "b": "Histology of the liver",
    }
    assert parse_subcaptions("Figure 4 A patient with psoriasis.", 9) == {}
    assert parse_subcaptions("Figure 5 (b) out of order (a) text", 9) == {}


def test_line_joining_repairs_hyphenation_but_keeps_compounds():
    assert join_lines(["erythema- ", "tous plaques"]) == "erythematous plaques"
    assert join_lines(["branch-and-", "bound method"]) == "branch-and-bound method"
    assert join_lines(["meth\ufffe", "ods"]) == "methods"
    assert normalise_for_match("Fig. 2 — ﬁne Scale") == normalise_for_match("fig 2 fine scale")
