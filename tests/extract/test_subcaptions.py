"""Sub-captions read from a caption and put on their panels: the classes of issue 13 class 6 that made a panel carry
a connective, another panel's words, or a letter printed on a band inside the picture."""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.curation.captions import panel_caption
from mmskin_build.extract.captions import find_captions
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import Graphic, TextLine, read_page
from mmskin_build.extract.panels import PanelBox, assign_letters, find_panels
from mmskin_build.extract.regions import FigureRegion
from mmskin_build.extract.subcaptions import parse_subcaptions
from mmskin_build.text.panel_markers import first_marker


def test_no_connective_is_left_at_the_end_of_a_letter_s_text():
    """ "(a) T1- and (b) T2-weighted": "and" joins the two parts and belongs to neither."""
    assert parse_subcaptions("Figure 2: MRI showed low signal on both (a) T1- and (b) T2-weighted images.", 9) == {
        "a": "T1-",
        "b": "T2-weighted images.",
    }
    assert parse_subcaptions("Figure 3: Florets, (a) ray floret, (b) dry cypsela and (c) pappus.", 9) == {
        "a": "ray floret",
        "b": "dry cypsela",
        "c": "pappus.",
    }
    # "and" inside a text stays: only the joint before the next letter goes.
    led = parse_subcaptions("Figure 4 (a) Sand and gravel. (b) Rock or soil", 9)
    assert led == {"a": "Sand and gravel.", "b": "Rock or soil"}


def test_bracketed_letters_inside_one_capital_panel_s_text_are_a_list_in_it():
    """BMC Evol Biol Figure 2: panels "A)" and "B)", and B's text names the tree's nodes "(a)" to "(c)"."""
    caption = (
        "Figure 2 Phylogenetic analyses. A) Median network of cytb for all lions. Circles are haplotypes. "
        "B) Phylogenetic tree of all lion taxa. Estimates of divergence times: (a) 124,200 years; (b) 61,500 years; "
        "(c) 51,000 years. Tip colours correspond to origins of samples."
    )
    assert parse_subcaptions(caption, 9) == {
        "a": "Median network of cytb for all lions. Circles are haplotypes.",
        "b": "Phylogenetic tree of all lion taxa. Estimates of divergence times: (a) 124,200 years; (b) 61,500 years; "
        "(c) 51,000 years. Tip colours correspond to origins of samples.",
    }


def test_a_range_of_letters_may_end_past_h():
    """A 3 x 3 plate: "(g)–(i) Histology" names g, h and i; it ends f's text instead of running on with it."""
    caption = (
        "Figure 1: (a)-(b) Intraoral photos. (c) Occlusal X-ray. (d) Skull X-ray. (e) Sagittal CT. (f) Coronal CT. "
        "(g)–(i) Histology, H&E."
    )
    described = parse_subcaptions(caption, 9)
    assert described["f"] == "Coronal CT."
    assert [described.get(letter) for letter in "ghi"] == ["Histology, H&E."] * 3


def test_a_lone_letter_past_h_goes_on_from_the_one_before_it():
    """A 3 x 3 plate lettered one by one: "(i)" after "(h)" is the ninth panel's marker, not h's text."""
    caption = "Figure 2: " + " ".join(f"({letter}) Panel {letter.upper()}." for letter in "abcdefghi")
    described = parse_subcaptions(caption, 9)
    assert list(described) == list("abcdefghi")
    assert (described["h"], described["i"]) == ("Panel H.", "Panel I.")
    capitals = "Figure 3: " + " ".join(f"{letter}. View {letter}." for letter in "ABCDEFGHIJKL")
    assert list(parse_subcaptions(capitals, 9)) == list("abcdefghijkl")


def test_a_letter_past_h_that_goes_on_from_no_marker_stays_text():
    """A roman numeral opening a list, or a pronoun after "B.", is no panel marker."""
    assert parse_subcaptions("Figure 4: Two stages: (i) first (ii) second.", 9) == {}
    listed = parse_subcaptions("Figure 4: (a) Rash in two stages: (i) macules, (ii) plaques. (b) Scale. (i) Note.", 9)
    assert listed == {"a": "Rash in two stages: (i) macules, (ii) plaques.", "b": "Scale. (i) Note."}
    assert parse_subcaptions("Figure 5: A. Rash. B. Scale. I. Think so.", 9) == {
        "a": "Rash.",
        "b": "Scale. I. Think so.",
    }


def test_brackets_around_a_group_of_letters_are_no_panel_s_text():
    caption = "Figure 3: Angiography. (a) Early imaging, the right artery. ((b) and (c)) Late imaging, the fistula."
    assert parse_subcaptions(caption, 9) == {
        "a": "Early imaging, the right artery.",
        "b": "Late imaging, the fistula.",
        "c": "Late imaging, the fistula.",
    }
    # A bracket that closes inside the text is kept.
    assert parse_subcaptions("Figure 1 (a) Rash (arrow). (b) Scar (healed)", 9)["b"] == "Scar (healed)"


def test_a_letter_after_its_text_starts_at_its_own_sentence():
    """The text between two trailing letters may hold a sentence about neither: the second letter's text starts at
    its own sentence, not right after the first letter."""
    caption = (
        "Figure 1. Milk proteins. Gel analysis of milks of mammals (a). Elephant milk is alike (not shown). "
        "A similar analysis of bear milks is given in (b). All samples were fresh."
    )
    assert parse_subcaptions(caption, 9) == {
        "a": "Gel analysis of milks of mammals",
        "b": "A similar analysis of bear milks is given in",
    }
    # Without a sentence between them nothing changes ("forearm (A), legs (B), and chest (C)").
    assert parse_subcaptions("Figure 2 Rash on the forearm (A), legs (B), and chest (C).", 9) == {
        "a": "Rash on the forearm",
        "b": "legs",
        "c": "chest",
    }


def test_a_letter_with_words_in_its_bracket_follows_its_text():
    """ "day 1 (a, green) and day 152 (b, red)": the letters label the text before them, the words in the bracket
    are their panels' too (they were no markers at all, and the panels had no text)."""
    caption = (
        "Figure 2. Milk over time. Gels of samples from day 1 (a, green) and day 152 (b, red) postpartum. "
        "A superimposition of the two images (c) shows both in yellow."
    )
    assert parse_subcaptions(caption, 9) == {
        "a": "Gels of samples from day 1, green",
        "b": "day 152, red",
        "c": "A superimposition of the two images",
    }
    assert parse_subcaptions("Figure 5 Views (a, b) of the lesion.", 9) == {"a": "Views", "b": "Views"}


def test_a_letter_named_again_after_its_text_adds_that_text():
    """OpenStax's style names a letter twice: "appearance (a–b). ... tattoos (a) or makeup (b)" gave each panel only
    the shared text, and "skiing (a) or running (c), ... increases (b). ... temperatures (b)" lost c (out of order)
    and gave b "running (c), ...". Each naming adds its text; between two namings of one letter the text is its."""
    caption = (
        "Figure 5.1 Your skin is vital (a–b). Some choose to embellish it with tattoos (a) or makeup (b). "
        "(credit a: Steve Teo)"
    )
    assert parse_subcaptions(caption, 11) == {
        "a": "Your skin is vital Some choose to embellish it with tattoos",
        "b": "Your skin is vital makeup",
    }
    caption = (
        "Figure 5.16 During activities, such as skiing (a) or running (c), the vessels dilate (b). This cools the "
        "body. In contrast, the vessels constrict in the cold (b). (credit a: Trysil)"
    )
    assert parse_subcaptions(caption, 12) == {
        "a": "During activities, such as skiing",
        "b": "the vessels dilate This cools the body. In contrast, the vessels constrict in the cold",
        "c": "running",
    }
    assert list(parse_subcaptions(caption, 12)) == ["a", "b", "c"]  # unprinted letters go to the panels in this order


def test_a_bold_title_after_the_label_is_no_panel_s_text(tmp_path):
    """OpenStax sets a bold title after the bold label, the description going on in the regular weight on the same
    line ("Figure 5.16 Thermoregulation During strenuous physical activities, such as skiing (a) ..."): the first
    letter's text after its text started at the title. Unless the title names letters itself."""
    pdf = Canvas(str(tmp_path / "title.pdf"), pagesize=(612, 792))
    label, rest = "Figure 5.16 Thermoregulation ", "During activities, such as skiing (a) or running (b)."
    pdf.setFont("Times-Bold", 10)
    pdf.drawString(72, 400, label)
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(72 + pdf.stringWidth(label, "Times-Bold", 10), 400, rest)
    pdf.save()
    (caption,) = find_captions(read_page(pdfium.PdfDocument(tmp_path / "title.pdf"), 0), body_size=10.0)
    assert caption.text[caption.title_end :] == rest
    assert parse_subcaptions(caption.text, caption.label_end, caption.title_end) == {
        "a": "During activities, such as skiing",
        "b": "running",
    }
    caption = "Figure 2 A and B Histology of the rash."  # "A and B" bold: the letters' shared text
    assert parse_subcaptions(caption, 9, 17) == {"a": "Histology of the rash.", "b": "Histology of the rash."}
    caption = "Figure 3 Rash on the forearm (A), legs (B)."  # the bold run ends at the first letter: its text
    assert parse_subcaptions(caption, 9, 29)["a"] == "Rash on the forearm"


def test_a_leading_letter_inside_a_sentence_of_its_own_has_that_sentence():
    """University Physics Figure 5.5.1: "(c) a volume of charge. Also note that (d) some of the components cancel
    out": c got "a volume of charge. Also note that", d lost its sentence's opening. A letter after a semicolon opens
    a clause of its own; an initial's full stop ends no sentence."""
    caption = "Figure 5.5.1: Elements for a (a) line, (b) sheet, and (c) a volume. Also note that (d) some cancel out."
    texts = ["line", "sheet", "a volume.", "Also note that some cancel out."]
    assert parse_subcaptions(caption, 13) == dict(zip("abcd", texts, strict=True))
    caption = "Fig. 2. (a) Two males. (b) A female. Note the yolk; (c) An adult calling."
    assert parse_subcaptions(caption, 7)["c"] == "An adult calling."


def test_a_letter_opening_a_line_of_the_caption_opens_its_sub_caption():
    """Held-out 20 (WHO pocket book): a title without a full stop, then each sub-caption on lines of its own, "A.
    Preparation of the umbilical cord" and "B. Inserting ..." after it: joined into one text, no letter opened a
    sentence, so no panel had its text and the panel search was not told there were three. A letter opening a line
    does; one inside a line after a word still does not ("group B. Streptococci")."""
    lines = [
        "Inserting an umbilical vein catheter",
        "A. Preparation of the umbilical cord",
        "B. Inserting the catheter into the",
        "umbilical vein, towards the head.",
        "C. Fixation of the catheter",
    ]
    text = " ".join(lines)
    assert parse_subcaptions(text, lines=lines) == {
        "a": "Preparation of the umbilical cord",
        "b": "Inserting the catheter into the umbilical vein, towards the head.",
        "c": "Fixation of the catheter",
    }
    assert parse_subcaptions(text) == {}
    within = ["Culture of group B. Streptococci grew", "on blood agar C. Left"]
    assert parse_subcaptions(" ".join(within), lines=within) == {}


def test_letters_listed_after_a_colon_lead_their_text():
    """ "(credit: (a) Klaus D. Peter (b) Owl Bridge Media.)": the letters open a list after the colon, each leading
    its text; read as letters inside their sentences, "D." ended one and a got "(credit: (a) Klaus D.". The bracket
    closing the list is no panel's."""
    caption = "Figure 5.10 Vitiligo Patches of skin. (credit: (a) Klaus D. Peter (b) Owl Bridge Media / Wikimedia.)"
    assert parse_subcaptions(caption, 12) == {"a": "Klaus D. Peter", "b": "Owl Bridge Media / Wikimedia."}


def _line(text: str, box: Box) -> TextLine:
    return TextLine(text, box, 8.0, 0)


def test_band_letters_inside_a_gel_do_not_letter_its_panels():
    """Two gels, "(a)" and "(b)" printed over them, band labels A-F printed inside them (bare letters): each gel
    takes its bracketed letter and the caption's text for it, not a band's letter."""
    top, bottom = Box(100, 60, 400, 280), Box(100, 330, 400, 540)
    bands = [_line(letter, Box(380, 80 + 30 * i, 386, 88 + 30 * i)) for i, letter in enumerate("ABC")]
    bands += [_line(letter, Box(380, 350 + 30 * i, 386, 358 + 30 * i)) for i, letter in enumerate("QRS")]
    letters = [_line("(a)", Box(100, 48, 110, 56)), _line("(b)", Box(100, 318, 110, 326))]
    region = FigureRegion(None, top.union(bottom), [Graphic("image", top, None), Graphic("image", bottom, None)], [])
    region.texts = bands + letters  # the bands come first in the text layer, as on the page
    panels = [PanelBox(top), PanelBox(bottom)]
    assign_letters(panels, region, {"a": "non-reduced samples", "b": "reduced samples"})
    assert [(p.letter, p.subcaption) for p in panels] == [("a", "non-reduced samples"), ("b", "reduced samples")]


def test_letters_printed_twice_on_each_panel_still_letter_it():
    """Letters printed inside the pictures ("a") and under them ("(a)") name the same panels: both kept."""
    left, right = Box(0, 0, 100, 100), Box(110, 0, 210, 100)
    region = FigureRegion(None, left.union(right), [Graphic("image", left, None), Graphic("image", right, None)], [])
    region.texts = [
        _line("a", Box(4, 4, 9, 12)),
        _line("b", Box(114, 4, 119, 12)),
        _line("(a)", Box(45, 104, 55, 112)),
        _line("(b)", Box(155, 104, 165, 112)),
    ]
    panels = [PanelBox(left), PanelBox(right)]
    assign_letters(panels, region, {"a": "The mass.", "b": "The artery."})
    assert [(p.letter, p.subcaption) for p in panels] == [("a", "The mass."), ("b", "The artery.")]


def test_a_letter_after_its_text_in_a_sentence_of_its_own_labels_that_text():
    """Letters that lead their texts, then one after its own sentence ("A merged image is shown (e)."): that
    sentence is the letter's, not the previous letter's, and what follows is no panel's (it was "Several boutons";
    the issue's shift by one)."""
    caption = "Fig. 1. Boutons. (a) Low power. (b) CTb in red. (c) CGRP in blue. A merged image is shown (d). Several boutons."
    parts = ["Low power.", "CTb in red.", "CGRP in blue.", "A merged image is shown"]
    assert parse_subcaptions(caption, 7) == dict(zip("abcd", parts, strict=True))
    # Letters after their text in a sentence of their own after leading ones: each labels the text before it.
    caption = (
        "Fig. 1. A frog in (a) lateral, (b) dorsal and (c) ventral view. Views of the foot (d) and hand (e) follow."
    )
    views = ["lateral", "dorsal", "ventral view.", "Views of the foot", "hand"]
    assert parse_subcaptions(caption, 7) == dict(zip("abcde", views, strict=True))
    # A letter closing the previous letter's sentence still leads what follows it (session 7's reading).
    led = parse_subcaptions("Fig. 1. Lamina I. (a) Low power. (b) CTb. (c) CGRP. (d) Merged, as shown (e). Note", 7)
    assert led["d"] == "Merged, as shown" and led["e"] == "Note"


def test_a_group_that_names_its_letters_one_by_one_gives_each_its_own_text():
    caption = (
        "Fig. 2. Lamina I. (a) Low power. (b–d) Confocal images showing (b) CTb (red), (c) CGRP (blue), and (d) VGLUT2."
    )
    assert parse_subcaptions(caption, 7) == {"a": "Low power.", "b": "CTb (red)", "c": "CGRP (blue)", "d": "VGLUT2."}
    # A group whose text only refers back to one of its letters keeps its shared text.
    shared = parse_subcaptions("Figure 4 (a) and (b) short villi (tall ones in (b)). (c) Focal changes.", 9)
    assert shared["a"] == shared["b"] == "short villi (tall ones in (b))."


def test_bare_lower_case_letters_opening_sentences_are_panel_markers():
    """Springer's caption style, common in medical textbooks: bold bare letters "a", "b" open each panel's
    sentence, often after a group naming them all ("a, b Psoriasis vulgaris."). No marker was read, so the caption
    named no letters (a lettered set of photographs edge to edge stayed one panel) or the group's text, the whole
    caption, went to every letter. A sentence does not otherwise open with a lower-case "a"."""
    caption = "Fig. 12.3 a, b Psoriasis vulgaris. a Plaques on the elbows. b Nail involvement with pitting."
    assert parse_subcaptions(caption, 9) == {"a": "Plaques on the elbows.", "b": "Nail involvement with pitting."}
    plain = "Fig. 4 Psoriasis. a Plaques on the elbows. b Nail pitting. c Scalp."
    assert parse_subcaptions(plain, 6) == {"a": "Plaques on the elbows.", "b": "Nail pitting.", "c": "Scalp."}
    ranged = parse_subcaptions("Fig. 1 a–c Clinical pictures of the lesions. d Histology shows acanthosis.", 6)
    assert ranged == {**dict.fromkeys("abc", "Clinical pictures of the lesions."), "d": "Histology shows acanthosis."}
    assert parse_subcaptions("Fig. 2 Rash on the legs, e.g. a Western blot. b Test", 6) == {}
    assert panel_caption(plain, "Nail pitting.") == "Fig. 4 Psoriasis. Nail pitting."


def test_a_group_of_bare_lower_case_letters_after_the_title_names_each_of_its_letters():
    """Springer's grouped style (held-out 26, European Radiology Fig. 1, a CT plate a-h): "a, b A 35-year-old ...
    c, d A 60-year-old ... g, h An 82-year-old ...", each group opening a sentence after the title, no bracket and no
    full stop after the letters. Only a single bare letter was read, so no letter was: the caption had none. A letter
    before a number ("f 4 days later") is a marker only where it goes on from the marker before it."""
    caption = (
        "Fig. 1 Appearance on CT. a, b A 35-year-old male. Mild signs. c, d A 60-year-old male. e, f A 73-year-old"
        " woman. e Bilateral GGOs. f 4 days later, more extensive. g, h An 82-year-old man."
    )
    assert parse_subcaptions(caption, 6) == {
        **dict.fromkeys("ab", "A 35-year-old male. Mild signs."),
        **dict.fromkeys("cd", "A 60-year-old male."),
        "e": "Bilateral GGOs.",  # the group named again one by one: each letter its own part
        "f": "4 days later, more extensive.",
        **dict.fromkeys("gh", "An 82-year-old man."),
    }
    ranged = parse_subcaptions("Fig. 2 Rash. a–c Clinical pictures. d Histology.", 6)
    assert ranged == {**dict.fromkeys("abc", "Clinical pictures."), "d": "Histology."}
    # A number after a letter that goes on from no marker is text: "a 4-year-old", not panel a.
    assert parse_subcaptions("Fig. 3 Rash. a 4-year-old boy. b 6-year-old girl.", 6) == {}


def test_capital_letters_with_a_bracket_or_a_full_stop_after_the_title_s_colon_are_panel_letters():
    """Held-out 10 microPublication captions: "worms: A. Representative ... B. Wild type ..." (the first letter after
    the title's colon) and "A) Schematic ..., B) Wild type ..., and C) ..." (a bare closing bracket after a comma or
    a word) named no letter, so their figures had no letter prior and no sub-captions."""
    caption = "Figure 1. MitoQ rescue in mutant worms: A. Head of an L4 worm. B. Wild type animal. C. Mutant animal."
    assert parse_subcaptions(caption, 9) == {
        "a": "Head of an L4 worm.",
        "b": "Wild type animal.",
        "c": "Mutant animal.",
    }
    caption = "Figure 1. Food leaving: A) Schematic of the assay, B) N2 vs C. remanei (n=5), and C) N2 without food."
    assert parse_subcaptions(caption, 9) == {
        "a": "Schematic of the assay",
        "b": "N2 vs C. remanei (n=5)",
        "c": "N2 without food.",
    }
    # A letter that cannot be read ("neuron D." ends no sentence; "E, F." is a group) would give its text to C, and
    # the letters after it would be lost: no letters rather than wrong ones.
    caption = "Figure 1. Worms: A. Head. B. Wild type. C. Mutant, the neuron D. Rescue. E, F. Treated. G. Bar graph."
    assert parse_subcaptions(caption, 9) == {}


def test_a_range_or_a_list_of_capital_letters_names_every_letter_in_it():
    """Held-out 10 microPublication captions: "D) ..., E-F) Caenorhabditis ..., G) ..." (nematode; the range was no
    marker, so F was named after E was skipped and no letter was read) and "A) Basic map. B-F) Proof of concept ...
    B) Empty YFP and C) ..." (pGREEN: a range over the letters named one by one after it, taken into A's text)."""
    caption = "Figure 1. Leaving: A) Assay, B) N2 vs C. remanei, E-F) Slow and fast leavers, G) Bacillus food."
    assert parse_subcaptions(caption, 9) == {}  # D is never named: no letters rather than wrong ones
    caption = "Figure 1. Leaving: A) Assay, B) N2, C) Remanei, D) Portoensis, E-F) Slow and fast leavers, G) Food."
    texts = ["Assay", "N2", "Remanei", "Portoensis", "Slow and fast leavers", "Slow and fast leavers", "Food."]
    assert parse_subcaptions(caption, 9) == dict(zip("abcdefg", texts, strict=True))
    listed = "Figure 2. Worms: A. Head. B. Wild type. C. Mutant. D. Rescue. E, F. Treated with MitoQ. G. Bar graph."
    assert parse_subcaptions(listed, 9)["f"] == "Treated with MitoQ."
    caption = "Figure 3: A) Basic map. B-F) Proof of concept in leaves. B) Empty YFP and C) empty RFP. D) No signal."
    texts = ["Basic map.", "Empty YFP", "empty RFP.", "No signal.", "LUC", "GUS."]
    assert parse_subcaptions(caption + " E) LUC and F) GUS.", 9) == dict(zip("abcdef", texts, strict=True))
    # The range named again but not letter by letter ("E, F." a group again): which text is whose cannot be read.
    caption = "Figure 4. Worms: A. Head. B-F: DiI staining. B. Wild type. C. Mutant. E, F. Treated. G. Bar graph."
    assert parse_subcaptions(caption, 9) == {}


def test_a_range_named_again_letter_by_letter_or_in_smaller_groups_gives_each_marker_its_text():
    """Held-out 10 MitoQ Figure 1's style: a range over panels sharing a method ("B-F: DiI staining.") ahead of its
    letters' own texts, some of them named together ("E, F."). The range's letters were named again but not each in a
    marker of its own, so the caption gave no letters; a group over pairs ("(a–d) ... (a, b) ... (c, d)") gave every
    letter the whole text."""
    caption = (
        "Figure 4. Worms: A. Head. B-F: DiI staining. B. Wild type. C. Mutant. D. Rescue. E, F. Treated. G. Graph."
    )
    texts = ["Head.", "Wild type.", "Mutant.", "Rescue.", "Treated.", "Treated.", "Graph."]
    assert parse_subcaptions(caption, 9) == dict(zip("abcdefg", texts, strict=True))
    paired = parse_subcaptions("Fig. 2. Lamina I. (a–d) Confocal images. (a, b) Wild type. (c, d) Mutant.", 7)
    assert paired == {**dict.fromkeys("ab", "Wild type."), **dict.fromkeys("cd", "Mutant.")}


def test_letters_with_colons_inside_one_bracket_lead_their_texts_up_to_its_close():
    """Frontiers' style (held-out 11 fpsyg Figure 4): "depict the two demonstrations (A: Paw demonstration; B: Mouth
    demonstration) of opening the box": the first letter after the bracket was no marker, so only B was named and
    the caption gave no letters; B's text would run past the bracket to the caption's end."""
    caption = (
        "FIGURE 4 | Imitation. The pictures show two demonstrations (A: Paw demonstration; B: Mouth demonstration)"
    )
    texts = {"a": "Paw demonstration", "b": "Mouth demonstration"}
    assert parse_subcaptions(caption + " of opening the box. The table lists the animals.", 9) == texts
    # Letters in brackets of their own, or a list of abbreviations in a bracket, are not read so.
    assert parse_subcaptions("Figure 2. Hand bones (A, anterior; B, bone) after a fall.", 9) == {}


def test_no_panel_letters_from_initials_abbreviations_articles_or_bracketed_letters():
    """What the wider capital-letter markers must not read as panels: a letter closing a bracket ("(group A)"), a
    list of abbreviations after a colon ("A, anterior"), initials ("D. Peter"), "Fig. 2A." and the article "A"."""
    for caption in (
        "Figure 2. Mice of (group A) and (group B) after a week.",
        "Figure 3. Hand bones. Abbreviations: A, anterior; B, bone; C, cartilage.",
        "Figure 4. Rash (credit: A. Peter and B. Jones, Wikimedia).",
        "Figure 5. As in Fig. 2A. B cells in the dermis.",
        "Figure 6. Scabies: A patient with papules. B cells infiltrate the dermis.",
    ):
        assert parse_subcaptions(caption, 9) == {}, caption


def test_a_sub_caption_printed_under_its_panel_keeps_its_rows():
    """LaTeX's subcaption under each picture of a 2 x 2 set (held-out 15, scrbook 6.16): "(a) ..." wraps onto rows
    that hang under its text; the next panel's rows stand level with them. Each panel got its first row alone."""
    cells = [Box(119, 84, 319, 221), Box(352, 84, 536, 221), Box(119, 277, 315, 413), Box(332, 251, 536, 389)]
    region = FigureRegion(None, Box(119, 84, 536, 430), [Graphic("image", cell, None) for cell in cells], [])
    region.texts = [
        _line("Osteoid", Box(290, 200, 318, 208)),  # a label inside the picture, over the sub-caption
        _line("(a) Mesenchymal cells group into clusters, and", Box(120, 227.4, 318.6, 237.3)),
        _line("ossification centers form.", Box(135.4, 239.8, 241.7, 246.9)),
        _line("(b) Secreted osteoid traps osteoblasts,", Box(353.4, 227.4, 534.8, 237.3)),
        _line("which then become osteocytes.", Box(369.2, 239.9, 502.1, 248.8)),
        _line("(d) Compact bone develops superficial to the", Box(332.6, 396.0, 535.3, 406.0)),
        _line("trabecular bone, and crowded blood vessels", Box(348.4, 408.5, 535.2, 417.3)),
        _line("(c) Trabecular matrix and periosteum form.", Box(122.0, 419.9, 311.9, 429.9)),
        _line("condense into red marrow.", Box(348.5, 420.5, 462.5, 427.5)),
    ]
    panels = [PanelBox(cell) for cell in cells]
    assign_letters(panels, region, {})
    assert [(p.letter, p.subcaption) for p in panels] == [
        ("a", "Mesenchymal cells group into clusters, and ossification centers form."),
        ("b", "Secreted osteoid traps osteoblasts, which then become osteocytes."),
        ("c", "Trabecular matrix and periosteum form."),
        (
            "d",
            "Compact bone develops superficial to the trabecular bone, and crowded blood vessels condense into red marrow.",
        ),
    ]


def test_a_letter_opening_its_sentence_after_letters_that_follow_their_text_leads_its_text():
    """Held-out 10 Virulence Figure 3 (seen): letters after their text for the photographs, then "(e)" opening a
    sentence of its own for the chart. Read letter by letter (README): (e) had no text and was no letter at all, so the
    caption named four panels of five."""
    caption = (
        "Figure 3. Melanization. Larvae were injected with PBS (a), or a suspension of wild-type bacteria (b), a mutant "
        "(c) or the complemented mutant (d). Larvae were imaged after 3 h. Scale bar, 1 cm. (e) Hemolymph was "
        "extracted and melanin quantitated. Data are means ± s.e.m."
    )
    subcaptions = parse_subcaptions(caption, 9)
    assert list(subcaptions) == ["a", "b", "c", "d", "e"]
    assert subcaptions["e"] == "Hemolymph was extracted and melanin quantitated. Data are means ± s.e.m."
    assert subcaptions["d"] == "the complemented mutant"
    assert parse_subcaptions("Figure 1. Rash on the trunk (a), (b) and the legs (c).", 9) == {
        "a": "Rash on the trunk",
        "c": "the legs",
    }, "a letter after a comma opens no sentence"


def test_a_sub_caption_under_an_image_s_white_margin_letters_that_image():
    """Held-out 15 scrbook Figure 6.12 (LaTeX subfigures): a drawing whose image has a white margin at its foot, "(a)
    ..." printed under that image, right over a micrograph, "(b) ..." under it. The gutter search trims each part to
    its ink, so "(a)" stood 1 pt over the micrograph's part and 34 pt under the drawing's, and lettered the
    micrograph; each part now takes the image it alone overlaps."""
    figure = Box(0, 0, 400, 520)
    picture = Image.new("RGB", (800, 1040), "white")
    draw = ImageDraw.Draw(picture)
    for x in range(40, 760, 60):  # a line drawing in the top image, its last 30 pt blank
        draw.line((x, 20, x + 40, 520), fill="black", width=3)
    draw.rectangle((20, 20, 780, 520), outline="black", width=3)
    texture = np.random.default_rng(5).integers(60, 200, (340, 540, 3), dtype=np.uint8)
    picture.paste(Image.fromarray(texture), (130, 640))  # the micrograph, 65-335 x 320-490
    images = [Graphic("image", Box(0, 0, 400, 300), None), Graphic("image", Box(65, 320, 335, 490), None)]
    region = FigureRegion(None, figure, images, [])
    region.texts = [
        _line("(a) This cross-sectional view shows the osteon.", Box(5, 305, 395, 315)),
        _line("(b) In this micrograph of the osteon, you can", Box(67, 495, 335, 505)),
        _line("see the concentric lamellae.", Box(80, 507, 250, 517)),
    ]
    panels = find_panels(region, picture)
    assign_letters(panels, region, {})
    assert [(p.letter, p.subcaption) for p in panels] == [
        ("a", "This cross-sectional view shows the osteon."),
        ("b", "In this micrograph of the osteon, you can see the concentric lamellae."),
    ]


def test_groups_of_letters_that_interleave_each_give_their_text_to_every_letter_they_name():
    """F1000Research 2015 (held-out 28) Figure 7: surfaces A and C beside ribbons B and D, "(A and C) ... (B and D)
    ...": a group naming a letter past the next one was taken for a reference, and the caption gave no panel text.
    The "(D)" in B and D's text names D again: a reference, as is a group that leaves a letter out."""
    caption = (
        "Figure 7. Structures of AaegOBP1 and CquiOBP1 bound to PEG and MOP, respectively. (A and C) Hydrophobicity "
        "surfaces of AaegOBP1 and CquiOBP1. (B and D) Ribbon displays of the same structures. The central cavity is "
        "highlighted in (D) with a dashed circle."
    )
    surfaces = "Hydrophobicity surfaces of AaegOBP1 and CquiOBP1."
    ribbons = "Ribbon displays of the same structures. The central cavity is highlighted in (D) with a dashed circle."
    assert parse_subcaptions(caption, 9) == {"a": surfaces, "b": ribbons, "c": surfaces, "d": ribbons}
    years = parse_subcaptions("Figure 2. Maps. (a, c) Rainfall in 2019. (b, d) Rainfall in 2020.", 9)
    assert years == dict(zip("abcd", ["Rainfall in 2019.", "Rainfall in 2020."] * 2, strict=True))
    # "(c and e)" leaves d out: only the letters that run on without a gap are panels.
    assert parse_subcaptions("Figure 3. Scans. (a) Axial. (b) Coronal. (c and e) Sagittal.", 9) == {
        "a": "Axial.",
        "b": "Coronal. (c and e) Sagittal.",
    }


def test_letters_that_follow_their_text_sentence_by_sentence_label_the_text_before_them():
    """Held-out 40 punica p. 7 Figure 6: two letters in each sentence after their text, the sentence going on after
    the second ("... nitric oxide (NO) (A) and prostaglandin E2 (PGE2) (B) production by RAW 264.7 cells; ...").
    Only the last letter of all was tested for words after it, so the letters were read as leading their text: panel A
    got "prostaglandin E2 (PGE2)" and B "production by RAW 264.7 cells". A species' initial ("P. acnes") ends no
    sentence: the same paper's Figure 2 gave "aureus" and "acnes" as the texts of "S. aureus (A) and P. acnes (B)"."""
    caption = (
        "Figure 6. Heat-killed P. acnes (HKP) dose-dependently increased nitric oxide (NO) (A) and prostaglandin E2 "
        "(PGE2) (B) production by RAW 264.7 cells; Anti-inflammatory effects of hydrolysable tannins against "
        "HKP-induced NO (C) and PGE2 (D) production by RAW 264.7 cells; Data are from three repeats."
    )
    assert parse_subcaptions(caption, 9) == {
        "a": "Heat-killed P. acnes (HKP) dose-dependently increased nitric oxide (NO)",
        "b": "prostaglandin E2 (PGE2)",
        "c": "Anti-inflammatory effects of hydrolysable tannins against HKP-induced NO",
        "d": "PGE2",
    }
    caption = "Figure 2. Shrinkage and damage of S. aureus (A) and P. acnes (B) after treatment with four tannins."
    assert parse_subcaptions(caption, 9) == {"a": "Shrinkage and damage of S. aureus", "b": "P. acnes"}


def test_a_letter_after_its_text_alone_in_its_sentence_with_a_pair_later_labels_its_sentence():
    """Held-out 11 vanadium p. 2 Figure 1: "... in their learning ability (a) however; the length of time ... ((b) and
    (c))". The words after (a) made its letter lead "however"; the pair later in the caption, joined by "and", shows the
    letters follow their text. Held-out 10 virulence p. 9 Figure 5 mixes the styles: "left uninfected (a), or infected
    with wild-type Y. pseudotuberculosis (b), ... (d) at an MOI of 200 ... (e) Image-based quantification ..." (a got
    "infected with wild-type Y.", every letter the text of the one after it)."""
    caption = (
        "Figure 1: Effect on memory. There was no difference between the groups in their learning ability (a) "
        "however; the time in target quadrant and annulus crossings were decreased ((b) and (c))."
    )
    assert parse_subcaptions(caption, 9)["a"] == "There was no difference between the groups in their learning ability"
    caption = (
        "Figure 5. Hemocytes were either left uninfected (a), or infected with wild-type Y. pseudotuberculosis (b), "
        "ΔMAM (c), or ΔMAM complemented with a plasmid (d) at an MOI of 200 for 1 hr. (e) Image-based quantification "
        "of bacteria. (f) Total melanin was quantified."
    )
    assert parse_subcaptions(caption, 10) == {
        "a": "Hemocytes were either left uninfected",
        "b": "infected with wild-type Y. pseudotuberculosis",
        "c": "ΔMAM",
        "d": "ΔMAM complemented with a plasmid",
        "e": "Image-based quantification of bacteria.",
        "f": "Total melanin was quantified.",
    }


def test_letters_joined_by_and_or_a_unicode_hyphen_open_their_shared_text():
    """J. Cell. Mol. Med. (crash sweep, d908be11c6): "A and B, Plasma insulin ... C and D, Time course ... G, ..."
    and "A‐D, Immunoblot ..." with U+2010, the hyphen the publisher sets between letters. Neither read as a marker,
    so the captions named no panels."""
    caption = (
        "FIGURE 2 Lats-1 protects mice. A and B, Plasma insulin levels were assessed. C and D, Time course of "
        "plasma triglyceride. E, mRNA levels of FAS."
    )
    assert parse_subcaptions(caption, 8) == {
        "a": "Plasma insulin levels were assessed.",
        "b": "Plasma insulin levels were assessed.",
        "c": "Time course of plasma triglyceride.",
        "d": "Time course of plasma triglyceride.",
        "e": "mRNA levels of FAS.",
    }
    ranged = parse_subcaptions("FIGURE 3 Hippo signalling is inactivated. A\u2010D, Immunoblot analysis for YAP.", 8)
    assert ranged == dict.fromkeys("abcd", "Immunoblot analysis for YAP.")


def test_a_serial_comma_before_and_keeps_the_letter_after_it_in_its_group():
    """Molecules (crash sweep, 8036ed7f33): "mRNA expression (A) and protein production (B, and C)". The serial comma
    ended the group at B, so only A was named, and the panel search looked for one picture in three."""
    caption = "Figure 2. ICAM-1 mRNA expression (A) and protein production (B, and C). Determined by RT-PCR."
    assert sorted(parse_subcaptions(caption, 9)) == ["a", "b", "c"]


def test_letters_with_full_stops_in_a_bracket_open_their_texts_but_a_species_initial_opens_none():
    """Sci. Rep. style list in one bracket (crash sweep, e453882fd9): "(A. Annual dengue cases; B. Annual dengue
    deaths)". A letter and a full stop before a lower-case word are a species' initial, "(A. baumannii)"."""
    caption = "Figure 1. Dengue in China. (A. Annual dengue cases and incidence rate; B. Annual dengue deaths.)."
    assert parse_subcaptions(caption, 9) == {
        "a": "Annual dengue cases and incidence rate",
        "b": "Annual dengue deaths.",
    }
    assert parse_subcaptions("Figure 2. Growth of (A. baumannii; B. cereus) strains on agar.", 9) == {}


def test_nature_style_letters_with_a_comma_open_their_texts():
    """Nature's caption style sets each lower-case panel letter with a comma after it ("a, Schematic ... b,c,
    Representative ..."), as do papers in the sweep (openvirusdev 3b0527f129 Fig. 2, EssOilDB 495a2e8197 Figure 4:
    "a, LNCaP cells; b, PC-3 cells; ..."). Without a space straight after the letter, no marker was read."""
    caption = (
        "Figure 1 | Structure of the complex. a, Schematic of the construct. b,c, Representative images of cells. "
        "d, Quantification of the signal."
    )
    assert parse_subcaptions(caption, 10) == {
        "a": "Schematic of the construct.",
        "b": "Representative images of cells.",
        "c": "Representative images of cells.",
        "d": "Quantification of the signal.",
    }
    listed = parse_subcaptions("Figure 4. Activity of EOs. a, LNCaP cells; b, PC-3 cells; c, SF-767 cells.", 9)
    assert listed == {"a": "LNCaP cells", "b": "PC-3 cells", "c": "SF-767 cells."}


def test_a_stain_named_by_letters_and_an_ampersand_is_no_pair_of_panel_markers():
    """EssOilDB bd1f27466c Figure 5: "... Bronchiolar epithelium. H&E, 200x." A list of capitals joined by "&" read as
    panels H and E: the caption then named eight panels, and curate would have cut its lead at "H&E". Inside a bracket
    "(a & b)" still names two."""
    caption = "Figure 5. Airway inflammation in the lungs. Bronchiolar epithelium. H&E, 200x. Scale bars, 50 um."
    assert first_marker(caption) is None
    assert parse_subcaptions(caption, 9) == {}
    assert sorted(parse_subcaptions("Figure 6. Lesions on the arm (a & b) and the leg (c).", 9)) == ["a", "b", "c"]
