"""Figure and table labels ("Figure 12.3", "Fig. 3a", "PLATE IV", "Picture 1", "Figure A1", a chemistry journal's
"Scheme S1", a report's "Map 3.1" and "Photograph 2"): one pattern for the caption lines extract finds, the in-text
mentions it indexes (`cited_labels`, also read by curate's demographics) and the labels curate strips."""

from __future__ import annotations

import re
from typing import Literal

CaptionType = Literal["Figure", "Table"]

# Every word that labels a figure in real books, singular, longest first where one starts another ("Photograph",
# "Photo"); "Fig" and "FIG" may take a full stop. Words that also start body sentences ("Image 2 shows ...") need
# the number and the caption evidence `extract.captions` weighs, as "Figure" does.
_FIGURE_WORDS = (
    "Figure", "Fig", "Plate", "Picture", "Photograph", "Photo", "Scheme",
    "Map", "Chart", "Graph", "Diagram", "Illustration", "Image", "Exhibit",
)  # fmt: skip
_WORD_TYPES: dict[str, CaptionType] = {w.lower(): "Figure" for w in _FIGURE_WORDS} | {"table": "Table", "tab": "Table"}
# Books number each kind apart ("Map 3.1" beside "Figure 3.1"): every word but Figure/Fig names its own series.
_SERIES = {w.lower(): w.lower() for w in _FIGURE_WORDS} | {"figure": "", "fig": "", "photograph": "photo"}

NUMBER = r"(?:[A-Z][\s.\-–]?)?\d+(?:(?:\s[\-–—]\s|[\-–—]\s?|\s\.\s?|\.)\d+)*[a-z]?|[IVXL]+"
"""A label as printed: '12.3', '5-2', '5 - 2', '12 . 3' (loose PDF spacing), '3a', appendix 'A1', 'A.8.1' and 'B-2'
(an annex's or appendix's letter, then its numbers), roman 'IV'. A full stop then a space ends the label: "Figure 4. 6
iEEG traces" is figure 4, its caption starting with a number; so does a minus sign after a space: "Figure 12.14
-0.811 < r" is figure 12.14, its caption starting with a negative number (a statistics textbook)."""

_CAPTION_WORD = "|".join(
    [r"Figure\.?|FIGURE\.?|Fig\.?|FIG\.?", *(f"{w}|{w.upper()}" for w in _FIGURE_WORDS[2:]), r"Table|TABLE|Tab\."]
)
_CITING_WORD = "|".join(f"{w}s?|{w.upper()}S?" for w in sorted(_FIGURE_WORDS, key=len, reverse=True))

CAPTION_START = re.compile(
    rf"^(?P<prefix>{_CAPTION_WORD})\s*(?P<label>{NUMBER})(?:\b|(?=[A-Z][a-z]))(?P<after>\s*[.:|—–\-]?)"
)
"""A label at the start of a caption line: "Figure 3." (`after` holds the punctuation that follows it); a text
layer without word spaces runs the title on ("Figure5.1Measles": the label ends before the capitalised word)."""

CONTINUED = re.compile(r"^\W*\(?\W*(?:continued\b|cont\.)", re.IGNORECASE)
"""A caption's words after its label that say the figure goes on from another page: "Figure 2 (continued)",
"(...continued)" (PeerJ's header over a caption's second part), "Figure 6. Cont." (MDPI's caption under a figure's
second part)."""

LABEL_WORD_ALONE = re.compile(rf"^(?:{'|'.join(_FIGURE_WORDS)})(?P<stop>[.,]?)$", re.IGNORECASE)
"""A word that is a figure's label word and nothing else ("FIG.", "Plate", OCR's "FIG,"): `stop` holds its stop."""

UNNUMBERED_CAPTION_START = re.compile(r"^(?P<prefix>Figure|FIGURE|Table|TABLE)(?P<after>\s*:)(?=\s*[A-Z])")
"""A label word without a number, then a colon and a capitalised title: "Figure: Trial profile" (the Lancet's style
for an article's one figure or table). A caption only when the label is bold: `extract.captions` checks."""

# A cited label may carry a capital panel letter ("Fig. 1A" cites figure 1), never more lower-case letters
# ("Figures In ..." cites nothing).
_CITED = rf"(?:{NUMBER})(?![a-z])"
CITATION = re.compile(rf"\b(?P<word>{_CITING_WORD})\.?\s*(?P<labels>{_CITED}(?:\s*(?:,|and|&|–|-|to)\s*{_CITED})*)")
"""A figure cited in running text, with its list or range of labels: "Fig. 3", "Figs. 2-4", "Plates 1 and 2"."""
_ONE_LABEL = re.compile(NUMBER)
_RANGE = re.compile(rf"(?P<a>{NUMBER})\s*(?:–|-|to)\s*(?P<b>{NUMBER})")


def normalise_label(label: str) -> str:
    """'12 . 3' -> '12.3', '5–2' -> '5-2'."""
    return re.sub(r"\s+", "", label).replace("–", "-").replace("—", "-")


def label_series(prefix: str) -> str:
    """The numbering a label belongs to: '' for figures ('Fig.', 'FIGURES'), 'map' for 'Map', 'photo' for
    'Photographs' and 'Photo' (each kind counted apart from figures); a cited word may be plural."""
    word = prefix.rstrip(".").lower()
    return _SERIES.get(word, _SERIES.get(word.removesuffix("s"), ""))


def caption_type(prefix: str) -> CaptionType:
    """'Fig.' -> 'Figure', 'TABLE' -> 'Table'."""
    return _WORD_TYPES[prefix.rstrip(".").lower()]


def cites_in_running_text(start: re.Match[str], line: str) -> bool:
    """The label that `CAPTION_START` found at the start of `line` goes on as a sentence of running text ("Figure 2,
    where the ...", "Figure 3 shows ...", "Figure 4.16(a) shows ..."): no stop after it, then a comma or a word in
    lower case, after the bracketed panel letters if any ("Figure 5(a) and (b) show ..."). A caption's label is
    followed by a stop, a title or panel letters ("Fig. 1 a Axial CT ...", "Figure 22.21 (a) and (b) The
    characteristic appearance ...")."""
    return not start.group("after").strip() and _SENTENCE_GOES_ON.match(line[start.end() :].lstrip()) is not None


def label_reads_on(start: re.Match[str], line: str, next_row: str | None) -> bool:
    """The label that `CAPTION_START` found at the start of `line` opens a sentence of running text: on its row
    (`cites_in_running_text`), or, alone there, on the next row, which opens in lower case ("Figure 19.11" /
    "summarizes the" on a narrow page). A caption's text under its label opens with a capital or a panel's letter."""
    if not line[start.end() :].strip() and next_row and next_row[:1].islower():
        line = f"{line} {next_row}"
    return cites_in_running_text(start, line)


_BRACKETED_LETTERS = r"\([A-Za-z](?:\s*[-–,]\s*[A-Za-z])*\)"
# Atomic: a list of bracketed letters is read whole, so its "and" or comma is never taken for the sentence going on.
_SENTENCE_GOES_ON = re.compile(
    rf"(?>{_BRACKETED_LETTERS}(?:\s*(?:,\s*(?:and\s+|&\s*)?|and\s+|&\s*){_BRACKETED_LETTERS})*\s*)?(?:[,;]|[a-z]{{2,}})"
)


def mention_key(prefix: str, label: str) -> str:
    """Plates, maps, photographs ... are numbered apart from figures in many books: "Plate 4" is not "Fig. 4"."""
    series = label_series(prefix)
    return f"{series} {label}" if series else label


def cited_labels(text: str) -> list[str]:
    """Every figure label a sentence cites, ranges expanded ("Figs. 2-4" -> 2, 3, 4); plates as "plate N", maps as "map N"."""
    labels: list[str] = []
    for match in CITATION.finditer(text):
        labels.extend(mention_key(match.group("word"), label) for label in _labels(match.group("labels")))
    return labels


def _labels(group: str) -> list[str]:
    labels: list[str] = []
    for part in re.split(r"\s*(?:,|and|&)\s*", group):
        span = _RANGE.fullmatch(part)
        if span and span.group("a").isdigit() and span.group("b").isdigit():
            first, last = int(span.group("a")), int(span.group("b"))
            if 0 < last - first <= 20:
                labels.extend(str(n) for n in range(first, last + 1))
                continue
        labels.extend(normalise_label(m) for m in _ONE_LABEL.findall(part))
    return labels
