"""Caption detection: lines that start a figure (or table) caption, and the caption block they start.

Following pdffigures2, a caption starts with a label word and a number at the start of a line; what
separates it from a body sentence that merely starts with "Figure 3 shows" is punctuation after the
number, a bold label, or a line that starts a new block. Tables are detected only so that their regions
are not taken for figures.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import pairwise, takewhile

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.layout import SOLID_LEADING, runs_on_from_row_above, same_size
from mmskin_build.extract.page import PageContent, TextLine, line_above, line_below, one_type, within_row
from mmskin_build.extract.text import ends_in_initial, ends_open, join_lines, starts_list_item
from mmskin_build.text.labels import (
    CAPTION_START,
    CONTINUED,
    UNNUMBERED_CAPTION_START,
    CaptionType,
    caption_type,
    cites_in_running_text,
    label_reads_on,
    normalise_label,
)
from mmskin_build.text.panel_markers import SHARED_MARK

# A caption row split into pieces goes on after a gap this wide (in font sizes); a column gutter is wider.
_PIECE_GAP_EM = 1.5
# ... or, justified in a narrow measure (a side caption beside its picture), up to this wide, when it fills the
# caption's measure to within `_MEASURE_EM` at both ends.
_JUSTIFIED_GAP_EM = 4.0
_MEASURE_EM = 0.1
# A symbol drawn in a caption's text (a legend marker named in it) is no wider or taller than this (in type sizes)
# and stands at most `_SYMBOL_SPACE_EM` (a word space, loosely) from the words on each side.
_SYMBOL_EM = 2.0
_SYMBOL_SPACE_EM = 0.6
# A body whose lines stand further apart than this, top to top in type sizes, is spaced out by its writer (1.5 or
# double spacing); print sets its body at 1.2 to 1.4.
_SPACED_OUT = 1.5
# A row whose indents on the left and on the right differ by no more than this (in font sizes) is centred.
_CENTRED_EM = 0.25
# A caption's second column starts at most this far (in its font sizes) right of its first: a column gutter.
_COLUMN_GAP_EM = 4.0
_CLOSING = ")]\"'”’"  # closing brackets and quotes after a sentence's end

# A row that opens with a footnote mark and a word ("*Low follow-up rate because ...", "† Drug coverage ..."): the
# figure's note printed under its caption, not caption text (`_before_note`).
_FIGURE_NOTE = re.compile(r"[*†‡§]\s?[A-Z][a-z]")

# A key's entry opening with its letter or numeral ("a, Larva of ...", "1. Second instar larva"; OCR may add a speck,
# and reads a typewriter's "1" as the Roman "I", itself a key's numeral), or with its stop where OCR read the letter
# as part of the stop or as a mark (". Part of ...", "}. Early first instar ...")
_KEY_OPENING = r"^[^\w\s]{0,2}(?:[a-z]{1,2}|\d{1,2}|I)[.,)]"
_KEY_ITEM = re.compile(_KEY_OPENING + r"(?:\s|$)|^[^\w\s]?[.,]\s(?=[A-Z])")
# A key's letter or numeral alone, its entry's text a piece of its own ("1." then "Early first instar larva").
_KEY_MARK = re.compile(_KEY_OPENING + "$")
KEY_HANG_EM = 3.0  # how far a key entry's wrapped lines may hang under its text
_KEY_ALIGN_EM = 0.5  # how far apart (in type sizes) the starts of one key entry's wrapped lines may be read by OCR
# OCR measures a line's type from its glyphs' heights: small capitals, a line without ascenders or a faint
# typewriter line read a third smaller or larger than the type they are set in.
_OCR_SIZE_SHARE = 0.45
_SIZE_SHARE = 0.2  # how far a caption row's type may differ from the first row's (pdfium's sizes)
# A sub- or superscript is set in at most this share of its line's type size (LaTeX: 7 pt in 10 pt; a browser's
# `font-size: smaller`, 5/6), a few characters.
_SCRIPT_SHARE = 0.85
_SCRIPT_CHARS = 3
_SCRIPT_GAP = 0.15  # times the line's type size: a script after a line's last glyph starts at most this far past it
# A key set under a caption's title after a blank line ("FIG. 8—Pseudoparasites." then "a, Larva of ..."): its first
# entry may stand this far under the title (in the caption's type sizes): one blank line and the rows' leading.
KEY_GAP_EM = 2.0
# A caption's source note in parentheses under it ("(Reproduced, by permission, from: ...)").
_SOURCE_NOTE = re.compile(r"^\((?:reproduced|adapted|after|from|courtesy|photograph|source)", re.IGNORECASE)
# A row ending in a word or a comma ends no sentence: the sentence goes on in the row under it.
_MID_SENTENCE = re.compile(r"[a-z,]$")
# Rows set solid leave less than this (in type sizes) between them; a new paragraph leaves more.
_SOLID_GAP_EM = 0.5
# A row that is only a DOI or a web address (`link_after_last_sentence`).
_LINK_ROW = re.compile(r"(?:doi:?\s*10\.\d{4,9}/|https?://|www\.)\S+", re.IGNORECASE)


@dataclass(slots=True)
class Caption:
    type: CaptionType
    prefix: str  # as printed: 'Fig.', 'FIGURE', 'Plate'
    label: str | None  # normalised number: '12.3', '3a'; None for a caption printed without a label or its number
    lines: list[TextLine]
    box: Box
    text: str
    score: float  # evidence that this is a caption and not a sentence starting with "Figure 3"
    label_end: int  # where the text after "Figure 3." starts in `text`
    # Printed on another page than its picture (a page break fell between them): at the head of the next page, or at
    # the foot of the one before (then `box` only stands in for it over the picture).
    overleaf: bool = False
    # Where a bold title after a bold label ends in `text` ("Figure 5.16 Thermoregulation During ..."), if any.
    title_end: int | None = None


def continuation_only(caption: Caption) -> bool:
    """The caption says no more than that its figure goes on from another page ("Figure 6. Cont."): it describes no
    part, so every part of the figure on this page is its, however far apart they are set."""
    rest = caption.text[caption.label_end :]
    match = CONTINUED.match(rest)
    return match is not None and not any(char.isalnum() for char in rest[match.end() :])


def find_captions(page: PageContent, body_size: float, body_leading: float = SOLID_LEADING) -> list[Caption]:
    """Caption blocks on a page, best evidence first within each label (`body_size`: the document's body font size;
    `body_leading`: its lines' pitch in type sizes)."""
    lines = _in_rows(page.lines)
    starts = []
    for i, line in enumerate(lines):
        match = CAPTION_START.match(line.text) or _unnumbered_start(page, line)
        if match:
            starts.append((i, line, match))
    start_lines = {id(line) for _, line, _ in starts}
    folios = _folio_rows(lines) if starts else []
    captions = []
    restated: set[int] = set()  # start lines taken into the caption above them as its other-language paragraph
    for i, line, match in starts:
        if id(line) in restated:
            continue
        rest = line.text[match.end() :]
        text_start = line.char_index(len(line.text) - len(rest.lstrip()))
        block = _caption_block(page, lines, i, start_lines, text_start, body_size, body_leading)
        ran_on = _run_on_in_next_column(lines, block, start_lines, body_size)
        block += ran_on
        # Text only: the caption's box stays in its own column, where its figure is searched for.
        atop = [] if ran_on else _rest_atop_next_column(lines, block, start_lines, body_size)
        restated.update(id(other) for other in block[1:] if id(other) in start_lines)
        score = _start_score(page, lines, i, match)
        if score <= 0 or _contents_entry(folios, block, line.font_size):
            continue
        prefix = match.group("prefix")
        text = join_lines(_scripts_in_place(page, _before_note(block + atop)))
        box = block[0].box
        for other in block[1:]:
            box = box.union(other.box)
        label_end = len(match.group(0))
        label = match.groupdict().get("label")
        label_text = label and normalise_label(label)
        title_end = _bold_title_end(page, line, label_end)
        if title_end is None:  # a title row of its own over the description ("Figure 5.16 Thermoregulation")
            title_end = _bold_rows_end(page, _before_note(block), text)
        captions.append(
            Caption(caption_type(prefix), prefix, label_text, block, box, text, score, label_end, title_end=title_end)
        )
    return captions


def _scripts_in_place(page: PageContent, lines: list[TextLine]) -> list[str]:
    """The texts of `lines`, each sub- or superscript that pdfium reads as a line of its own set back into the line
    it is printed inside ("negative samples D− and D , respectively" with "g" and "l" read after the whole row, for
    "Dg− and Dl−"). Row order alone puts such a script after the row's end."""
    hosts = {id(line): _printed_inside(line, lines) for line in lines}
    return [
        _with_scripts(page, line, [s for s in lines if hosts[id(s)] is line])
        for line in lines
        if hosts[id(line)] is None
    ]


def _printed_inside(script: TextLine, lines: list[TextLine]) -> TextLine | None:
    """The line of `lines` that `script` (a few characters in smaller type) is printed inside: on its row, starting
    between its ends or right after its last glyph, where pdfium split the row at the script ("Ca" "2+" "enters the
    bulb", Chromium's Anatomy and Physiology 12.27)."""
    if len(script.text.strip()) > _SCRIPT_CHARS:
        return None
    return next(
        (
            line
            for line in lines
            if script.font_size <= _SCRIPT_SHARE * line.font_size
            and script.box.v_overlap(line.box) > 0
            and line.box.x0 < script.box.x0 <= line.box.x1 + _SCRIPT_GAP * line.font_size
        ),
        None,
    )


def _with_scripts(page: PageContent, line: TextLine, scripts: list[TextLine]) -> str:
    """`line`'s text with `scripts` put after its last character left of each; a space put in for the glyph gap
    a script fills gives way to it. A line without character boxes (OCR) keeps its scripts at its end."""
    if not scripts:
        return line.text  # most lines: no character boxes to read
    lefts = {
        i: left
        for i, ch in enumerate(line.text)
        if not ch.isspace() and i not in line.inserted and (left := page.char_left(line.char_index(i))) is not None
    }
    if not lefts:
        return join_lines([line.text, *(script.text for script in scripts)])
    after: dict[int, list[str]] = {}
    for script in sorted(scripts, key=lambda s: s.box.x0):
        at = 1 + max((i for i, left in lefts.items() if left < script.box.x0), default=-1)
        after.setdefault(at, []).append(script.text.strip())
    text = line.text
    for at, texts in sorted(after.items(), reverse=True):
        text = text[:at] + "".join(texts) + text[at + 1 if at in line.inserted else at :]
    return text


# A contents page's entry for a figure or chart ("Chart 1: Stages in the management ... xxii") opens as a caption does;
# a row of it ends in the page number it refers to, set flush right with those of more than this many other rows.
_CONTENTS_ROWS = 3
_CONTENTS_FOLIOS = _CONTENTS_ROWS + 2  # its own page number and more than _CONTENTS_ROWS others in a column
_FOLIO_WORD = re.compile(r"(?:^|\s)(?:\d{1,4}|[ivxlc]{1,7})$")  # a page number, arabic or roman, ending a row
# Page numbers set flush right end within this share of their size of each other: a box is the glyphs' ink, and a
# digit's or a numeral's side bearing differs ("1" ends 2 pt short of "xxii" at 7 pt).
_FLUSH_EM = 0.5


def _folio_rows(lines: list[TextLine]) -> list[tuple[list[TextLine], TextLine]]:
    """The page's rows that end in a page number (a line of its own or a line's last word), with that row's last line;
    none on a page with too few lines ending in one for a list of figures (`_contents_entry`): most pages, where
    grouping the rows was the cost."""
    if sum(1 for line in lines if _FOLIO_WORD.search(line.text.rstrip())) < _CONTENTS_FOLIOS:
        return []
    rows: list[list[TextLine]] = []
    for line in lines:
        row = next((row for row in rows if row[0].box.is_level_with(line.box)), None)
        if row is None:
            rows.append([line])
        else:
            row.append(line)
    ends = [max(row, key=lambda line: line.box.x1) for row in rows]
    return [(row, end) for row, end in zip(rows, ends, strict=True) if _FOLIO_WORD.search(end.text.rstrip())]


def _contents_entry(folios: list[tuple[list[TextLine], TextLine]], block: list[TextLine], size: float) -> bool:
    """A caption with a row of nothing but its text and a page number standing in a column of them: an entry of a list
    of figures (a chart's axis numbers may end a row beside a caption too, past other lines of the chart)."""
    ends = [
        end.box.x1
        for row, end in folios
        if all(line is end or any(line is other for other in block) for line in row)
        and any(line is other for line in row for other in block)
    ]
    return any(sum(abs(end.box.x1 - x) <= _FLUSH_EM * size for _, end in folios) >= _CONTENTS_FOLIOS for x in ends)


def _bold_title_end(page: PageContent, line: TextLine, label_end: int) -> int | None:
    """Where the bold title after a bold label ends on the caption's first line, the description going on in the
    regular weight on that line (OpenStax: "Figure 5.16 Thermoregulation During strenuous ..."); None when the label
    is not bold, nothing after it is, or the whole line is (a title over its description, or a caption all bold)."""
    if not page.is_bold(line.start):
        return None
    at = label_end + len(line.text[label_end:]) - len(line.text[label_end:].lstrip())
    end = at
    while end < len(line.text) and (line.text[end] == " " or page.is_bold(line.char_index(end))):
        end += 1
    return end if at < end < len(line.text) else None


def title_rows_end(page: PageContent, caption: Caption) -> int | None:
    """Where the bold rows that open an unlabelled caption end in its text, its description going on in the regular
    weight on the rows under them (held-out 20, WHO pocket book: "Wrapping the child to hold him or her securely ..."
    in bold over "One end of a folded sheet should be pulled through ... (A and B)"); None when no row, or every row,
    is bold. The title is no panel's text."""
    return _bold_rows_end(page, caption.lines, caption.text)


def _bold_rows_end(page: PageContent, lines: list[TextLine], text: str) -> int | None:
    """Where the bold rows that open a caption (`lines`, its `text`) end in its text; None when no row, or every
    row, is bold."""
    bold = [_bold_row(page, line) for line in lines]
    rows = bold.index(False) if False in bold else len(bold)
    if not 0 < rows < len(bold):
        return None
    title = join_lines([line.text for line in lines[:rows]])
    return len(title) if text.startswith(title) else None


def _bold_row(page: PageContent, line: TextLine) -> bool:
    """Whether a row is set in bold from its first character to its last."""
    last = len(line.text.rstrip()) - 1
    return last >= 0 and page.is_bold(line.start) and page.is_bold(line.char_index(last))


def _before_note(block: list[TextLine]) -> list[TextLine]:
    """The caption's lines before a note printed under it ("*Low follow-up rate because ..."): a row that opens with
    a footnote mark and a word explains a mark in the figure and is not caption text. The note stays in the block,
    whose box the figure search keeps out of the figure (cutting the block there cut a wide chart to the width of
    its one-line caption)."""
    left = min(line.box.x0 for line in block)
    for k, line in enumerate(block[1:], 1):
        if _FIGURE_NOTE.match(line.text) and line.box.x0 - left <= line.font_size:
            return block[:k]
    return block


def _unnumbered_start(page: PageContent, line: TextLine) -> re.Match | None:
    """A caption start whose label has no number ("Figure: Trial profile"), when the label is set in bold: in
    running text a colon after "Figure" opens no sentence either, but a bold label is the caption's own style
    (the StopAdvisor trial's one figure came out missing with its caption)."""
    match = UNNUMBERED_CAPTION_START.match(line.text)
    return match if match and page.is_bold(line.start) else None


def _in_rows(lines: list[TextLine]) -> list[TextLine]:
    """Lines top to bottom, and left to right within a row: pieces of one row whose tops differ by a hair
    (", Ve)" printed after "xcorr(Vi" is 0.01 pt higher) keep their order along the row."""
    ordered: list[TextLine] = []
    row: list[TextLine] = []
    for line in sorted(lines, key=lambda line: line.box.top):
        if row and line.box.top - row[0].box.top > 0.3 * min(line.font_size, row[0].font_size):
            ordered.extend(sorted(row, key=lambda line: line.box.x0))
            row = []
        row.append(line)
    ordered.extend(sorted(row, key=lambda line: line.box.x0))
    return ordered


def _start_score(page: PageContent, lines: list[TextLine], i: int, match: re.Match) -> float:
    line = lines[i]
    after = match.group("after").strip()
    rest = line.text[match.end() :].lstrip()
    score = 0.0
    if after in {".", ":", "|", "—", "–", "-"}:
        score += 2.0
    elif not rest and _sentence_goes_on_under(lines, i, match):
        score -= 1.5  # "Figure 19.11" alone on a narrow page's row, "summarizes the" under it
    elif not rest:
        score += 1.5  # label alone on its line ("FIGURE 5.2" above the caption text)
    elif cites_in_running_text(match, line.text):
        score -= 1.5  # "Figure 3 shows ..." reads like a sentence
    else:
        score += 1.0  # "Figure 1 Detail of the rash.", "Fig. 1 a Canonical organization ... b ..." (Springer)
    rest_start = line.char_index(len(line.text) - len(rest))
    if page.is_bold(line.start) and (not rest or not page.is_bold(rest_start)):
        score += 1.5
    previous = line_above(lines, i)
    if previous is None or line.box.top - previous.box.bottom > 0.6 * line.font_size:
        score += 0.5  # starts a new block
    elif not same_size(previous.font_size, line.font_size):
        score += 0.5  # a new block in its own type (a caption set beside the body text wrapped around its photo)
    elif previous.text.rstrip().endswith((".", ":")):
        score += 0.25
    elif runs_on_from_row_above(previous, line):
        # A citation wrapped to a paragraph row's start: it outweighs a full stop after the label, not a bold label (a
        # caption set solid under the last row of the one before it).
        score -= 2.25
    else:
        score -= 1.0  # continues the previous line's sentence (or a label of the figure over it)
    return score


def _sentence_goes_on_under(lines: list[TextLine], i: int, label: re.Match) -> bool:
    """The label alone on its row `lines[i]` opens a sentence of running text that goes on on the row set solid
    under it in its size (`label_reads_on`): a paragraph opening with a citation, its label wrapped alone (a small
    e-book page, calibre at A6: "Figure 19.11" / "summarizes the" / "mechanisms and effects")."""
    line, below = lines[i], line_below(lines, i)
    return (
        below is not None
        and same_size(below.font_size, line.font_size)
        and below.box.top - line.box.bottom <= 0.6 * line.font_size
        and label_reads_on(label, line.text, below.text)
    )


def _caption_block(
    page: PageContent,
    lines: list[TextLine],
    i: int,
    start_lines: set[int],
    text_start: int,
    body_size: float,
    body_leading: float,
) -> list[TextLine]:
    """The start line and the rows below it that continue the same paragraph.

    Lines are grouped into visual rows first, so subscripts and superscripts that pdfium reports as
    lines of their own stay in their row; lines of other columns are ignored. Continuation rows are
    left-aligned, centred, or hang-indented under the text after the label.
    """
    first = lines[i]
    size = first.font_size
    measured = page.scan is None or not page.scan.read_by_ocr  # type sizes from the PDF, not estimated by OCR
    first_row = [first]
    row_box = first.box
    for line in sorted((line for line in lines if line is not first), key=lambda line: line.box.x0):
        same_row = line.box.v_overlap(first.box) >= 0.3 * min(line.box.height, first.box.height)
        gap = line.box.x0 - row_box.x1
        # The rest of the first line, after a wide gap (e.g. a tab after the label); never the next caption of a
        # row of figures, whose short captions may stand as close.
        rest = (
            _next_in_text_order(first_row[-1], line) and 0 <= gap <= 4 * size
            if measured
            else _ocr_rest(line, gap, size)
        )
        if same_row and rest and id(line) not in start_lines:
            first_row.append(line)
            row_box = row_box.union(line.box)
    rows: list[list[TextLine]] = [first_row]
    outside: list[TextLine] = []  # lines left or right of the caption's first row
    beside_starts = _starts_level_beside(lines, first, start_lines)
    for line in lines[i + 1 :]:
        if line in first_row:
            continue
        last = _row_box(rows[-1])
        same_row = line.box.v_overlap(last) >= 0.3 * min(line.box.height, last.height) or within_row(line.box, last)
        if (
            same_row
            and len(rows) > 1
            and last.x0 <= line.box.x0 <= last.x1 + _piece_gap(line, size)
            and not any(line.box.h_overlap(start.box) > 0 for start in beside_starts)
            and (not measured or _next_in_text_order(rows[-1][-1], line) or one_type(page, rows[-1][-1], line))
        ):
            # The rest of a row that pdfium split at a glyph (Å, a math symbol): next in the text, or on the row's
            # baseline in its type. The next column's line across a narrow gutter is neither (ACL 2005, science-parse
            # 5552671696 p. 4: a 15 pt gutter, the right column's rows 4 pt lower than the caption's). OCR'd rows
            # have no text layer to ask.
            rows[-1].append(line)
            continue
        beside = _beside_row(line, row_box, size) or _printed_over_from_the_left(line, rows[-1])
        if beside and (host := _printed_inside(line, lines) or _piece_after(line, lines, size)) is not None:
            beside = _beside_row(host, row_box, size)  # a script, or a row's piece, goes with its own row
        if beside and (measured or len(rows) == 1 or not _under_row_left_of_title(line, rows, size)):
            outside.append(line)
            continue  # another column, or figure text beside the caption
        if same_row:
            rows[-1].append(line)
            continue
        rows.append([line])
        if len(rows) > 200:
            break
    if not measured:
        _take_hung_marks(rows[1:], outside, size)
    hang_x = page.char_left(text_start)
    # Set in the body's type (e-books), a caption is a paragraph like the body's, and only the paragraph's
    # shape tells where it ends: e-books often set paragraphs with no space between them.
    body_type = same_size(size, body_size)
    own_type = measured and not body_type
    # ... and told from the body by its italics
    slanted = body_type and _set_in_italics(page, first_row, rows[1] if len(rows) > 1 else [], text_start)
    block = list(first_row)
    box = row_box
    label_alone = len(first_row) == 1 and text_start >= first.char_index(len(first.text))
    last_row = first_row
    later_rows: list[Box] = []  # the rows under the first, to tell a flush-left caption from a centred one
    bold_head = True  # the rows so far under the first one are bold to their end: a title set over several lines
    key_hang: float | None = None  # where the last row, a key entry's wrapped line, starts: the entry's next wraps too
    columned: list[TextLine] = []  # the key's consecutive rows set in columns, read column by column
    hung_body = False  # a row in the body's size went on the caption set in its own size
    column_starts: list[float] = []
    for row in rows[1:]:
        main = max(row, key=lambda line: (line.font_size, line.box.width))
        current = _row_box(row)
        second = len(block) == len(first_row)
        opening = min(row, key=lambda line: line.box.x0)
        starts_bold = page.is_bold(opening.start)
        # The row above ended its line short: this row's first word would have fit after it.
        ended_short = _row_box(last_row).x1 + first_word_width(row) < current.x1
        # The description starts under the first row, under a bold head of several rows ("FIGURE 2-5" on a
        # line of its own, then a bold title) where the regular weight starts, or, in a caption's own type, under a
        # title wrapped over a narrow column's rows ("Figure 3.22 DNA / Macrostructure"): its last row ended short, on
        # a word, no sentence's end nor a credit note's bracket.
        opens = (
            second
            or (bold_head and not starts_bold)
            or (own_type and ended_short and _row_end(last_row)[-1:].isalnum())
        )
        # A label set alone in its own type (a white "Figure 3" on the dark card of its photo) is followed by its
        # text in a smaller size, which the rows after it keep; a larger one under a label alone is the next heading
        # (a figure printed without a caption, OpenStax Microbiology 2.30).
        restyled = (
            second
            and label_alone
            and main.font_size < size
            and _description_start(current, box, main.font_size, body_size, hang_x)
        )
        description = (
            restyled
            or (opens and _description_start(current, box, size, body_size, hang_x))
            or (second and _description_under_centred_title(current, box, main.font_size, size, body_size))
        )
        key = not measured and _key_under_caption(row, current, box, size)
        if current.top - box.bottom > _rows_apart(size, body_leading) and not (description or key):
            break
        sized = abs(main.font_size - size) <= (_SIZE_SHARE if measured else _OCR_SIZE_SHARE) * size
        if not (sized or key or restyled or (not measured and _source_note(row, current, box, size))):
            break
        if (
            any(id(line) in start_lines for line in row)
            and not _restates_label(first, row)
            and not _mention_wrapped_to_row(page, last_row, row, max(box.x1, current.x1))
        ):
            break
        scattered = _scattered(row, size) and _scattered(row, size, _symbols_in_text(page, row, size))
        in_columns = scattered and _key_in_columns(row, last_row, size, not measured)
        if scattered and not (in_columns or _justified(row, box, hang_x, size)):
            break  # a chart's labels under a caption set over it (a tick label, a legend entry, a tick label)
        if _run_in_heading(page, lines, row, block, text_start):
            break
        if link_after_last_sentence(_row_end(last_row), _row_text(row)):
            break
        if body_type and _next_paragraph(current, box, last_row, later_rows, size, hang_x):
            break
        if slanted and not page.is_italic(opening.start) and same_size(main.font_size, body_size):
            break  # the upright paragraph after an italic caption; a smaller upright row is its description
        widest = max(last_row, key=lambda line: line.box.width)
        # A row in the body's size under a caption set in its own is the paragraph after the caption, unless it is
        # hung set solid under it, and so are the rows under such a row.
        if (
            measured
            and same_size(main.font_size, body_size)
            and (hung_body or not same_size(widest.font_size, body_size))
        ):
            if not _hung_set_solid(current, _row_box(last_row), box, hang_x, size):
                break
            hung_body = True
        # hung under a key entry's text: under its letter's row, or under the entry's wrapped line before
        hung = (
            _under_key_item(current, last_row, size)
            or (key_hang is not None and abs(current.x0 - key_hang) <= _KEY_ALIGN_EM * size)
            or (in_columns and not measured and _hung_in_a_column(row, last_row, size))
        )
        aligned = (
            abs(current.x0 - box.x0) <= size
            or (abs(current.cx - box.cx) <= size and not _ragged_right(later_rows, box, size))
            or (hang_x is not None and abs(current.x0 - hang_x) <= size)
            or (second and body_type and _after_indented_first_line(current, box, size))
            or hung
            or (not measured and _entry_after_wraps(row, block[len(first_row) :], size))
            or (key and _key_under_title(current, row_box, size))
        )
        # Wider than the caption so far: the paragraph after it, unless the row above was full, its line broken
        # because this row's first word did not fit (a narrow margin column's short lines under a short title).
        wider = current.x1 > box.x1 + max(4 * size, 0.3 * box.width) and ended_short
        if not aligned or (wider and not (description or key)):
            break
        key_hang = current.x0 if hung and abs(current.x0 - box.x0) > size else None
        if in_columns and (not columned or columned[-1] in last_row):
            columned.extend(row)
            column_starts = column_starts or [line.box.x0 for line in _column_openings(row, size)]
        elif hung and columned and columned[-1] in last_row and current.x1 < max(column_starts):
            columned.extend(row)  # an entry's wrapped line under the key's first column is read in that column
        block.extend(row)
        box = box.union(current)
        # A key under the title is read in its own type: OCR reads a title in small capitals smaller than the key.
        size = main.font_size if restyled or key else size
        last_row = row
        later_rows.append(current)
        last = max(row, key=lambda line: line.box.x1)
        bold_head = bold_head and starts_bold and page.is_bold(last.char_index(len(last.text.rstrip()) - 1))
    ordered = sorted(block, key=lambda line: (round(_row_of(block, line)), line.box.x0))
    return _read_by_columns(ordered, columned, column_starts)


def _piece_after(piece: TextLine, lines: list[TextLine], size: float) -> TextLine | None:
    """The line in the caption's type (`size`) that `piece` goes on from along its row, at most a piece's gap after
    its end and next in the text: pdfium breaks a row before a raised script, and the piece it opens is read in the
    script's size and sorted before its row ("first in heavy nitrogen (" then "15N) then", Chromium's Microbiology
    11.5). The next column's line across a narrow gutter is not next in the text."""
    start, reach = piece.box.x0, _piece_gap(piece, size)
    return next(
        (
            line
            for line in lines
            if line.box.x1 <= start <= line.box.x1 + reach  # the cheap test first: most lines end elsewhere
            and line is not piece
            and same_size(line.font_size, size)
            and piece.box.v_overlap(line.box) >= 0.5 * min(piece.box.height, line.box.height)
            and _next_in_text_order(line, piece)
        ),
        None,
    )


def _beside_row(line: TextLine, row: Box, size: float) -> bool:
    """`line` stands beside the caption's first row, not under it: it overlaps the row by under half its own width (or
    the row's, or three sizes)."""
    return line.box.h_overlap(row) < 0.5 * min(line.box.width, row.width, 3 * size)


def _printed_over_from_the_left(line: TextLine, row: list[TextLine]) -> bool:
    """`line` starts left of a line of the caption's row and runs over it: text is not printed over text, so it is the
    line of the column on the left overflowing the gutter (a browser's unbreakable URL over the third row of a
    two-column page's caption, Microbiology 2.24), however level with the row. A script of the row printed inside
    `line` is no such line (the "2" of "0.04 mm²" read before its row)."""
    return any(
        line.box.x0 < other.box.x0
        and line.box.h_overlap(other.box) > 0
        and line.box.v_overlap(other.box) >= 0.3 * min(line.box.height, other.box.height)
        and _printed_inside(other, [line]) is None
        for other in row
    )


def _rows_apart(size: float, body_leading: float) -> float:
    """How far under a caption's row its next row may start: less than a blank line, and as much more as the running
    text's lines are spaced out beyond `_SPACED_OUT` type sizes (an author's manuscript set at 1.5 or double spacing
    spaces its captions out too: 17 pt between the rows of an 11 pt caption)."""
    return (0.9 + max(0.0, body_leading - _SPACED_OUT)) * size


def _starts_level_beside(lines: list[TextLine], first: TextLine, start_lines: set[int]) -> list[TextLine]:
    """The other captions' start lines level with `first` (within a line) and beside it: in a row of figures, each
    caption's rows are its own column's, however near the next column's row stands (NAACL 2024 68052ec025 p. 18:
    Figures 16 and 17's captions 8 pt apart, rows staggered by 2.7 pt, read as one)."""
    return [
        line
        for line in lines
        if id(line) in start_lines
        and line is not first
        and abs(line.box.top - first.box.top) <= first.font_size
        and line.box.h_overlap(first.box) <= 0
    ]


def _take_hung_marks(rows: list[list[TextLine]], outside: list[TextLine], size: float) -> None:
    """Each row takes the key mark hung in the margin at its left ("1." left of "Early first instar larva"): a key set
    with hanging marks puts its letters and numerals left of the caption's title, where OCR reads them as lines of
    their own, sized from its short glyphs: the gap after it is one in the caption's type."""
    for row in rows:
        current = _row_box(row)
        for line in sorted(outside, key=lambda line: -line.box.x1):
            same_row = line.box.v_overlap(current) >= 0.3 * min(line.box.height, current.height)
            if same_row and _KEY_MARK.match(line.text) and 0 <= current.x0 - line.box.x1 <= _PIECE_GAP_EM * size:
                row.insert(0, line)
                current = current.union(line.box)


def _next_in_text_order(previous: TextLine, line: TextLine) -> bool:
    return 0 <= line.start - previous.char_index(len(previous.text)) <= 2


def _ocr_rest(line: TextLine, gap: float, size: float) -> bool:
    """On an OCR'd page the rest of the first row may be a line of its own anywhere in the page's text (Tesseract
    parts a row into blocks at a change of type: "FIG. 6—DEVELOPMENTAL" then "STAGES OF Dirofilaria immitis." in
    italics), so the text order tells nothing: a piece a word space after it is the row's rest."""
    return 0 <= gap <= _piece_gap(line, size)


def _key_under_caption(row: list[TextLine], current: Box, caption: Box, size: float) -> bool:
    """The first row of a key printed under the caption's title after a blank line: it opens with an entry's letter
    or numeral ("a, Larva of Aphelenchoides", "1. Early first instar larva") within `KEY_GAP_EM` of the title."""
    return _KEY_ITEM.match(_row_text(row)) is not None and current.top - caption.bottom <= KEY_GAP_EM * size


def _source_note(row: list[TextLine], current: Box, caption: Box, size: float) -> bool:
    """The caption's source note in parentheses, set right under it at its left edge ("(Reproduced, by permission,
    from: SASA, M. Human filariasis ..."): OCR sizes the row from its glyphs, and the note's italic titles and capitals
    read it a size or two larger than the caption, but the note is the caption's."""
    opening = min(row, key=lambda line: line.box.x0)
    return _SOURCE_NOTE.match(opening.text) is not None and abs(current.x0 - caption.x0) <= size


def _under_key_item(current: Box, last_row: list[TextLine], size: float) -> bool:
    """A key entry's wrapped line, hung under the text after its letter ("a, Larva of Aphelenchoides, 280 µ" then
    "by 16 µ (after ..."), or under the start of the row's second column: a key in two columns under a plate's title,
    whose rows start neither at the title's edge nor centred."""
    pieces = sorted(last_row, key=lambda line: line.box.x0)
    # hung under the first entry's text, or under the text of an entry that opens a column of the key
    hung = any(_hung_under(current, entry, size) for entry in [pieces[0], *_column_openings(last_row, size)[1:]])
    # or the entry of the key's second column wraps under its own start
    return hung or any(abs(current.x0 - piece.box.x0) <= 0.5 * size for piece in pieces[1:])


def _hung_under(current: Box, entry: TextLine, size: float) -> bool:
    """`current` starts a hang in under the text of the key entry `entry` (after its letter or numeral)."""
    indent = current.x0 - entry.box.x0
    return _KEY_ITEM.match(entry.text) is not None and 0.5 * size <= indent <= KEY_HANG_EM * size


def _under_row_left_of_title(line: TextLine, rows: list[list[TextLine]], size: float) -> bool:
    """On an OCR'd page, a line left of the caption's title that goes on with the row above it, which is wider than
    the title: a key entry's wrapped line (`_wrap_left_of_title`), or the last line of a source note in parentheses
    flush left under it, closing the note ("1976.)" under "epidemiology and control. Baltimore, ... University Park
    Press,": the figure's search would start under that line, taken for a heading)."""
    above = _row_box(rows[-1])
    closes_note = (
        line.text.rstrip(".").endswith(")")
        and sum(piece.text.count("(") - piece.text.count(")") for row in rows for piece in row) > 0
        and abs(line.box.x0 - above.x0) <= 0.5 * size
        and line.box.x1 <= above.x1
        and 0 <= line.box.top - above.bottom <= size
    )
    return closes_note or _wrap_left_of_title(line, rows[-1], size)


def _wrap_left_of_title(line: TextLine, last_row: list[TextLine], size: float) -> bool:
    """On an OCR'd page, a key entry's wrapped line left of the caption's title, which the key is wider than ("old."
    under "1. Sausage stage larva, first instar, 3 days"): right under the entry that opens the row above, hung under
    its text and within its width."""
    entry = min(last_row, key=lambda piece: piece.box.x0)
    return (
        _hung_under(line.box, entry, size)
        and line.box.x1 <= entry.box.x1
        and 0 <= line.box.top - entry.box.bottom <= size
    )


def _entry_after_wraps(row: list[TextLine], under_title: list[TextLine], size: float) -> bool:
    """The next entry of a key whose entries hang their wrapped lines under their text: its letter stands where the
    entry above's did, a hang left of that entry's wrapped line ("g. Full grown ..." under "Camera-lucida. Original."
    of "d., e., and f." in the key's second column, whose first row OCR lost)."""
    opening = min(row, key=lambda line: line.box.x0)
    if _KEY_ITEM.match(opening.text) is None:
        return False
    return any(0.5 * size <= wrap.box.x0 - opening.box.x0 <= KEY_HANG_EM * size for wrap in under_title)


def _key_in_columns(row: list[TextLine], last_row: list[TextLine], size: float, read_by_ocr: bool) -> bool:
    """A key set in columns under a caption's title ("1. Second instar larvae ..."   "3. Late second instar ..."):
    the row's pieces stand a column gutter apart, as a chart's labels do, but its first column opens with an entry's
    letter or numeral, or goes on with the wrapped line of the entry above it; the columns' entries wrap apart
    ("days old." under the first column's entry beside "4. Early second instar ..." in the second), and OCR may
    lose the row of another column's entry, whose wrapped line then stands beside an entry or a wrap."""
    openings = _column_openings(row, size)
    if len(openings) < 2:
        return False
    if _KEY_ITEM.match(openings[0].text) is not None or _under_key_item(openings[0].box, last_row, size):
        return True
    # OCR may glue the first column's letter to a scanner's streak ("avib, c. First instar larva" for "a, b, c."):
    # another column's opening tells the key as well
    return read_by_ocr and (
        any(_KEY_ITEM.match(opening.text) is not None for opening in openings[1:])
        or _hung_in_a_column(row, last_row, size)
    )


def _hung_in_a_column(row: list[TextLine], last_row: list[TextLine], size: float) -> bool:
    """On an OCR'd page, a row of a key in columns one of whose columns goes on with the wrapped line of the entry
    above it, hung under its text: the entries of another column may have lost their letters to OCR ('d."Second'
    beside "gy. Posterior end of third instar larva", then "first moult skin." beside "showing terminal papillae")."""
    entries = _column_openings(last_row, size)
    return any(_hung_under(opening.box, entry, size) for opening in _column_openings(row, size) for entry in entries)


def _column_openings(row: list[TextLine], size: float) -> list[TextLine]:
    """The row's first piece and each piece that stands a column gutter past the pieces before it."""
    pieces = sorted(row, key=lambda line: line.box.x0)
    openings = [pieces[0]]
    right = pieces[0].box.x1
    for piece in pieces[1:]:
        if piece.box.x0 - right > _piece_gap(piece, size):
            openings.append(piece)
        right = max(right, piece.box.x1)
    return openings


def _read_by_columns(ordered: list[TextLine], columned: list[TextLine], starts: list[float]) -> list[TextLine]:
    """The caption's lines in reading order, its key's rows set in columns (`columned`, consecutive rows) read column
    by column: a key in columns is numbered down each column ("1." over "2.", then "3." over "4.")."""
    if not columned:
        return ordered
    inside = {id(line) for line in columned}
    at = next(i for i, line in enumerate(ordered) if id(line) in inside)
    rest = [line for line in ordered if id(line) not in inside]

    def column(line: TextLine) -> int:
        return sum(line.box.x0 >= start - 1.0 for start in starts[1:])

    down = sorted((line for line in ordered if id(line) in inside), key=column)  # stable: rows stay in order
    return rest[:at] + down + rest[at:]


def _key_under_title(current: Box, title: Box, size: float) -> bool:
    """A key's row set under the caption's title across its whole width (a key in columns, wider than the title), or
    centred under it (the key's last entry alone): a plate's key is set on the plate's axis, not the title's edge.
    Its first column's row alone (OCR lost the other column's) starts there too and ends under the title."""
    starts = current.x0 <= title.x0 + size
    spans = starts and current.x1 >= title.x1 - size
    first_column = starts and title.x0 < current.x1 <= title.x1 + size
    return spans or first_column or abs(current.cx - title.cx) <= size


def _mention_wrapped_to_row(page: PageContent, last_row: list[TextLine], row: list[TextLine], right: float) -> bool:
    """`row` opens with a label that the sentence of the row above wrapped to its start ("... correspond to PL numbers
    in" then "Table 1. Squares correspond to ..."): a mention in the caption, not the next caption. The row above
    ends in a word or a comma, no sentence's end, and was full: the label's word would not have fit after it before
    the measure's `right` edge. A label set in bold is a caption's own."""
    opening = min(row, key=lambda line: line.box.x0)
    return (
        _MID_SENTENCE.search(_row_end(last_row)) is not None
        and _row_box(last_row).x1 + first_word_width(row) >= right
        and not page.is_bold(opening.start)
    )


def first_word_width(row: list[TextLine]) -> float:
    """The width of the row's first word, at its line's average advance per character."""
    opening = min(row, key=lambda line: line.box.x0)
    word = opening.text.split(" ", 1)[0]
    return opening.box.width * len(word) / max(len(opening.text), 1)


def _hung_set_solid(current: Box, above: Box, caption: Box, hang_x: float | None, size: float) -> bool:
    """A row in the body's size that goes on a caption set in its own size (WHO 1460: "Figure A.8.7 A pathogenic
    microfilaria ..." at 12 pt, "(diameter of an erythrocyte) ..." at 10 pt): hung under the text after the label,
    where the paragraph after a caption starts at the margin, and set solid under the row above, closer than the
    space a new paragraph leaves."""
    return (
        hang_x is not None
        and hang_x - caption.x0 > size
        and abs(current.x0 - hang_x) <= _KEY_ALIGN_EM * size
        and current.top - above.bottom <= _SOLID_GAP_EM * size
    )


def _restates_label(first: TextLine, row: list[TextLine]) -> bool:
    """`row` opens with the label `first` opens with ("Fig. 1 Proportion of ..." under "Fig. 1 Proportion of ..."):
    the caption again in the document's other language (the WHO Weekly Epidemiological Record prints English then
    French), the same caption's second paragraph, not the next figure's caption."""
    opening = min(row, key=lambda line: line.box.x0)
    own, other = CAPTION_START.match(first.text), CAPTION_START.match(opening.text)
    return bool(
        own
        and other
        and caption_type(own.group("prefix")) == caption_type(other.group("prefix"))
        and normalise_label(own.group("label")) == normalise_label(other.group("label"))
    )


def _run_on_in_next_column(
    lines: list[TextLine], block: list[TextLine], start_lines: set[int], body_size: float
) -> list[TextLine]:
    """The rest of a caption set in two columns under a figure as wide as the text (Frontiers): the caption stops
    mid-sentence at the foot of its column ("... (B) shows") and goes on at the top of the next column, level
    with its first row ("the success of wolves ...", "ger by Ca2+, ..." after "messen-"), in its own type, no lower
    than its last row (the columns of a caption are balanced). In the body's type such lines would be the next
    column's paragraph; a caption that ended its sentence ("... tissues.)"), a next column that opens a sentence
    (a reference list set in the caption's type; an acronym opens none), or another caption's start, is not run
    on."""
    size = block[0].font_size
    box = _row_box(block)
    if not _cut_mid_sentence_in_own_type(block, body_size):
        return []
    beside = [
        line
        for line in lines
        if box.x1 < line.box.x0 <= box.x1 + box.width
        and same_size(line.font_size, size)
        and line.box.top >= box.top - _CENTRED_EM * size
        and line.box.bottom <= box.bottom + _CENTRED_EM * size
    ]
    first = min(beside, key=lambda line: line.box.top, default=None)
    if first is None or first.box.x0 > box.x1 + _COLUMN_GAP_EM * size or abs(first.box.top - box.top) > size:
        return []  # not level with the caption's first row, across a gutter: the next column's own text
    if _opens_sentence(first.text) or _goes_on_from_above(first, lines):
        return []
    if any(id(line) in start_lines for line in beside):
        return []
    run = [line for line in beside if line.box.x0 >= first.box.x0 - size]
    return sorted(run, key=lambda line: (round(_row_of(run, line)), line.box.x0))


def _cut_mid_sentence_in_own_type(block: list[TextLine], body_size: float) -> bool:
    """The caption's rows so far stop mid-sentence, in a type other than the body's: a caption that may go on in
    the next column (in the body's type such lines would be the next column's paragraph)."""
    ended = block[-1].text.rstrip().rstrip(_CLOSING).endswith((".", "!", "?", ":"))
    return not ended and not same_size(block[0].font_size, body_size)


def _rest_atop_next_column(
    lines: list[TextLine], block: list[TextLine], start_lines: set[int], body_size: float
) -> list[TextLine]:
    """The rest of a caption that a column break cut mid-sentence: the caption ends its column, no line under it
    there as far down as the next column's text reaches, and goes on in its own type at the head of the next column,
    in lower case (Chromium's two-column print of Microbiology 13.34: the caption at the foot of the short left
    column of a chapter's balanced last page, "... can be passed from" / "one patient to another, ..." atop the right
    column). The rows of its size set solid from there are the rest. In the body's type such lines would be the next
    column's paragraph going on."""
    size = block[0].font_size
    box = _row_box(block)
    if not _cut_mid_sentence_in_own_type(block, body_size):
        return []
    above = [line.box.x1 for line in block if line.box.bottom <= block[-1].box.top]
    if not above or block[-1].box.x1 < max(above) - size:
        return []  # a row cut by the column's foot runs to the column's edge; a short row ends its paragraph
    column = [line for line in lines if box.x1 < line.box.x0 <= box.x1 + box.width / 2]
    first = min(column, key=lambda line: line.box.top, default=None)
    if first is None or not same_size(first.font_size, size) or first.box.top >= box.top:
        return []  # no next column over the caption's foot (the Frontiers rest level with its first row is apart)
    if not first.text[:1].islower() or id(first) in start_lines:
        return []
    foot = max(line.box.bottom for line in column)
    if any(line.box.top > box.bottom and line.box.top < foot and line.box.h_overlap(box) > 0 for line in lines):
        return []  # the caption does not end its column
    rest = [first]
    for line in sorted(column, key=lambda line: line.box.top):
        last = rest[-1]
        if line.box.top > last.box.top and line.box.top - last.box.bottom <= 0.9 * size:
            if not same_size(line.font_size, size) or abs(line.box.x0 - first.box.x0) > size:
                break
            rest.append(line)
    return rest


def _opens_sentence(text: str) -> bool:
    """`text` opens with a capitalised word ("The", "A"), not an acronym that a sentence may go on with ("SARS-CoV2
    in this illustration" after "... between the SARS or")."""
    word = text.split(maxsplit=1)[0] if text.strip() else ""
    letters = [char for char in word if char.isalpha()]
    return bool(letters) and letters[0].isupper() and not any(char.isupper() for char in letters[1:])


def _goes_on_from_above(line: TextLine, lines: list[TextLine]) -> bool:
    """A line of the same size right over `line` in its column (a line's gap or less): `line` goes on a paragraph
    that started higher (the caption of the next column's figure, set a few rows higher), not a column's first row."""
    return any(
        other.box.bottom <= line.box.top + 1
        and line.box.top - other.box.bottom <= 0.9 * line.font_size
        and other.box.h_overlap(line.box) > 0
        and same_size(other.font_size, line.font_size)
        for other in lines
    )


def link_after_last_sentence(last: str, row: str) -> bool:
    """`row` is only a DOI or a web address, and the caption's text before it, `last`, ended a sentence: a
    journal's link to the figure printed under its caption (PLoS "DOI: 10.1371/journal.ppat.0020092.g001",
    "https://doi.org/10.1371/journal.pone.0197919.g008"), not caption text. A link that the caption's sentence
    leads to ("Available at:") is."""
    return last.rstrip().endswith((".", "!", "?")) and _LINK_ROW.fullmatch(row.strip()) is not None


def _set_in_italics(page: PageContent, first_row: list[TextLine], next_row: list[TextLine], text_start: int) -> bool:
    """The caption's text opens in italics and most words of it on its first row (after the label) do: the caption
    is set in italics, not a roman caption that opens with an italic name ("E. coli O157:H7 causes ..."). A first
    row of a few words (a narrow column's "Figure 23.7: Ureaplasma urealyticum") is an italic name as well as an
    italic caption: the next row's words count too. A label alone on its row leaves the text's first letter to tell."""
    if not page.is_italic(text_start):
        return False
    words = [index for index in _word_starts(first_row) if index >= text_start]
    if 0 < len(words) < _WORDS_TO_TELL:
        words += _word_starts(next_row)
    return not words or 2 * sum(page.is_italic(index) for index in words) > len(words)


_WORDS_TO_TELL = 4  # words after the label on a caption's first row that tell italic type from an italic name


def _word_starts(row: list[TextLine]) -> list[int]:
    return [
        line.char_index(offset)
        for line in row
        for offset, char in enumerate(line.text)
        if char.strip() and (offset == 0 or not line.text[offset - 1].strip())
    ]


def _run_in_heading(
    page: PageContent, lines: list[TextLine], row: list[TextLine], block: list[TextLine], text_start: int
) -> bool:
    """A paragraph opening with a bold run-in heading ("Effect of the layers We further ...") after a
    caption that ended its sentence, or a heading on a row of its own, bold to its end ("2.3 Distribution of 8
    viruses in different age groups" under a caption that did not: a manuscript spaces its heading no further from
    the caption than its lines): the caption's own text is not bold, so the bold start is a new block."""
    first = min(row, key=lambda line: line.box.x0)
    if not page.is_bold(first.start) or page.is_bold(text_start):
        return False
    last = max(block, key=lambda line: (round(line.box.top), line.box.x0))
    ended = last.text.rstrip().endswith((".", ":")) and not ends_in_initial(last.text)
    # after a row that ends in regular type: under a label set alone in bold, a bold row is the caption's title
    own_row = (
        not page.is_bold(last.char_index(len(last.text.rstrip()) - 1))
        and all(_bold_row(page, line) for line in row)
        and not _goes_on_in_lower_case_under(lines, row)
        and not ends_open(last.text)  # "A participant in the" / "Tuskegee Syphilis Study" in bold, a key term
    )
    return (ended or own_row) and not _bold_panel_letters(page, first)


def _goes_on_in_lower_case_under(lines: list[TextLine], row: list[TextLine]) -> bool:
    """The row's sentence goes on in lower case on the row set under it: the bold words are a name in the caption's
    sentence ("... caused by the protozoan pathogen" / "Plasmodium falciparum" in bold italics / "(shown here) and
    several other ...", calibre's Microbiology 15.2 at A6), not a heading over a paragraph of its own."""
    below = line_below(lines, lines.index(min(row, key=lambda line: line.box.x0)))
    return (
        below is not None
        and below.box.top - row[0].box.bottom <= 0.9 * row[0].font_size
        and below.text.lstrip("([“‘\"'")[:1].islower()
    )


def _bold_panel_letters(page: PageContent, line: TextLine) -> bool:
    """The bold run the line opens with is panel letters only ("c, d A 60-year-old male ..."): Springer sets each
    panel's letters in bold where its part of the caption begins, a new sentence on a row of its own; a heading
    is words."""
    opening = takewhile(lambda at: not at[1].strip() or page.is_bold(line.char_index(at[0])), enumerate(line.text))
    bold = "".join(char for _, char in opening)
    return SHARED_MARK.fullmatch(bold.strip().rstrip(".,:")) is not None


def _next_paragraph(
    current: Box, block: Box, last_row: list[TextLine], later_rows: list[Box], size: float, hang_x: float | None
) -> bool:
    """A row indented like a paragraph's first line after a row that ended a sentence: the body paragraph
    after the caption. Not a centred caption's shorter row: the caption's rows under its first line all
    start at its left edge, or the row runs to its right edge (justified text) and is not indented as much on
    its right (a centred row all but as wide as the one over it)."""
    indent = current.x0 - block.x0
    ended = _row_end(last_row).endswith((".", "!", "?", ":"))
    at_hang = hang_x is not None and abs(current.x0 - hang_x) <= 0.5 * size
    flush_left = bool(later_rows) and _flush_left(later_rows, block)
    centred = abs(indent - (block.x1 - current.x1)) <= _CENTRED_EM * size
    shaped = flush_left or (current.x1 >= block.x1 - size and not centred)
    return ended and 0.5 * size <= indent <= 4 * size and shaped and not at_hang


def _flush_left(rows: list[Box], block: Box) -> bool:
    return all(abs(row.x0 - block.x0) <= 1.0 for row in rows)


def _ragged_right(rows: list[Box], block: Box, size: float) -> bool:
    """The caption's rows under its first start at its left edge and end a line or more apart: a caption set flush
    left, ragged right, which goes on in no centred row (that is a chart's label set under it: a pie's "IVM+ALB").
    Not a centred caption's rows, nor a justified caption's, whose last row a centred-last style centres."""
    return len(rows) >= 2 and _flush_left(rows, block) and max(r.x1 for r in rows) - min(r.x1 for r in rows) > size


def _row_end(row: list[TextLine]) -> str:
    """The text of the row's last piece, where the row ends."""
    return max(row, key=lambda line: line.box.x0).text.rstrip()


def _row_text(row: list[TextLine]) -> str:
    return " ".join(line.text.strip() for line in sorted(row, key=lambda line: line.box.x0))


def _after_indented_first_line(current: Box, first: Box, size: float) -> bool:
    """The second row of a caption whose first line is indented like a body paragraph's: it starts a
    paragraph indent to the left, and the first line ran (nearly) as far right, so it was wrapped."""
    outdent = first.x0 - current.x0
    return 0.5 * size <= outdent <= 4 * size and first.x1 >= current.x1 - size


def _description_start(current: Box, title: Box, size: float, body_size: float, hang_x: float | None) -> bool:
    """The first row under a short title line ("Figure 15.6 Scabies" in bold, then "Scattered fine papules
    ..."): it starts back at the label's left edge, or under the title's first word where the label hangs
    in the margin (Clinical Science), one line down, and may be much wider than the title.
    A caption set in its own size (not the body's) may leave a blank line between title and description:
    a row in that size there is no paragraph of body text. Under a bold head of several rows (an atlas' label
    on a line of its own, then its title), `title` is that whole head."""
    own_size = not same_size(size, body_size)
    starts = [title.x0] if hang_x is None else [title.x0, hang_x]
    near = current.top - title.bottom <= (1.6 if own_size else 0.6) * size
    return near and any(abs(current.x0 - x) <= 0.5 * size for x in starts)


def _description_under_centred_title(current: Box, title: Box, row_size: float, size: float, body_size: float) -> bool:
    """The first row of a description set across the measure under a centred title line (AI Magazine: "Figure 8.
    Results of Active Learning on the GameWinner Relation." centred in italics, its paragraph under it in a smaller
    upright type): centred on the title, one line down, in a type smaller than both the title's and the body's, so
    no paragraph of the body."""
    smaller = row_size < min(size, body_size) and not (same_size(row_size, size) or same_size(row_size, body_size))
    return smaller and abs(current.cx - title.cx) <= size and current.top - title.bottom <= 1.6 * size


def _scattered(row: list[TextLine], size: float, symbols: list[Box] | None = None) -> bool:
    """Pieces of a row set wider apart than a caption row's pieces go on (in the smaller type): labels spread
    over a chart, not a line of text. `symbols` drawn in the row's text fill the gaps they stand in."""
    pieces = sorted(
        [(line.box, _piece_gap(line, size)) for line in row]
        + [(symbol, _PIECE_GAP_EM * size) for symbol in symbols or []],
        key=lambda piece: piece[0].x0,
    )
    right = pieces[0][0].x1
    for box, gap in pieces[1:]:
        if box.x0 - right > gap:
            return True
        right = max(right, box.x1)
    return False


def _symbols_in_text(page: PageContent, row: list[TextLine], size: float) -> list[Box]:
    """Small drawings set in a row's text between two of its words, a word space from each ("method are circled
    with black. ● denotes true-positive": a figure's legend marker named in its caption). A chart's key marker
    stands close to its own label only, a wider gap from the entry before it."""
    band = _row_box(row)
    space = _SYMBOL_SPACE_EM * size
    symbols = []
    for graphic in page.graphics:
        box = graphic.box
        if not (
            band.x0 < box.x0
            and box.x1 < band.x1
            and box.width <= _SYMBOL_EM * size
            and box.height <= _SYMBOL_EM * size
            and box.v_overlap(band) >= 0.5 * box.height
        ):
            continue
        before = any(0 <= box.x0 - line.box.x1 <= space for line in row)
        after = any(0 <= line.box.x0 - box.x1 <= space for line in row)
        if before and after:
            symbols.append(box)
    return symbols


def _justified(row: list[TextLine], block: Box, hang_x: float | None, size: float) -> bool:
    """A caption row justified in a narrow measure (KOMA's side caption beside a portrait picture: "Brain.      The
    cra-"), whose words stand wider apart than a row's pieces may: it starts at the caption's left edge, or under
    the text after a hanging label, and ends at its right edge, both to the point, as a chart's labels do not."""
    current = _row_box(row)
    starts = [block.x0] if hang_x is None else [block.x0, hang_x]
    tolerance = _MEASURE_EM * size
    pieces = sorted(row, key=lambda line: line.box.x0)
    gaps = [b.box.x0 - a.box.x1 for a, b in zip(pieces, pieces[1:], strict=False)]
    return (
        abs(current.x1 - block.x1) <= tolerance
        and any(abs(current.x0 - x) <= tolerance for x in starts)
        and max(gaps, default=0.0) <= _JUSTIFIED_GAP_EM * size
    )


def _piece_gap(piece: TextLine, size: float) -> float:
    """How far a caption row's next piece may stand from the last: in the row's own type, which may be smaller."""
    return _PIECE_GAP_EM * min(size, piece.font_size)


def _row_box(row: list[TextLine]) -> Box:
    box = row[0].box
    for line in row[1:]:
        box = box.union(line.box)
    return box


def _row_of(block: list[TextLine], line: TextLine) -> float:
    """The top of the tallest line sharing `line`'s row: the sort key that keeps sub/superscripts in place."""
    tallest = max(
        (other for other in block if other.box.v_overlap(line.box) >= 0.3 * min(other.box.height, line.box.height)),
        key=lambda other: other.font_size,
    )
    return tallest.box.top


# A caption printed without a label stands this far from its picture at most (in body sizes): a credit line under
# it, or a title over the panel the picture is mounted on (4.6 over the drawing's ink in a WHO report, the raster's
# white margin and the panel's edge between).
_UNLABELLED_GAP_EM = 5.0
# ... and at least this far (in its own type size, or the body's when larger): text touching the picture is a label
# drawn on it.
_UNLABELLED_APART_EM = 0.5
# Share of its width that such a block spans over the picture: a heading over the page or a column beside
# the picture is not its caption.
_UNLABELLED_OVER = 2 / 3
# A caption set beside (or under) its picture may start this far (pt) over the picture's edge (on its raster's white
# margin, or its box's padding).
_SIDE_EDGE_PT = 1.0
# A row that opens with a photograph's credit ("© MOH, Lao", "@National Institute ...", "Photo credit: ..."): set over
# a caption printed without a label, it is the photograph's, not caption text.
_CREDIT_ROW = re.compile(r"\s*(?:[©@]|(?:photo(?:graph)?s?\s+)?credits?\s*:|photo(?:graph)?s?\s*:)", re.IGNORECASE)


def unlabelled_caption(
    page: PageContent,
    picture: Box,
    loose: list[TextLine],
    others: list[Box],
    body_size: float,
    raster: Box | None = None,
) -> Caption | None:
    """The caption of a picture printed without a label ("Figure 3"): the text block right over the picture
    (a title) and the one right under it (a description, a credit), each set in a type smaller than the body's,
    not body text, over the picture's width, and nearer the picture than any other line (nothing between). A title
    over the picture may also be set larger than the body (a poster's "Progress through partnership"): centred on
    the picture and no wider, unlike a heading of the text, set flush with it, or a slide's title over the page.

    `loose`: the page's lines that may be such a caption (not body text, margins or other captions); `others`:
    the boxes of the page's other figures, whose text is theirs; `raster`: where the picture is a raster alone, its
    bounds, outside which no text is drawn on it (a designed page sets a caption 2 pt under a photograph). A caption
    needs a label to be found on its own; without one, only the picture it is set apart with anchors it."""
    lines = _in_rows(
        [line for line in page.lines if not any(box.contains(line.box, 1.0) for box in [*others, picture])]
    )
    small = {id(line) for line in loose if line.font_size < body_size and not same_size(line.font_size, body_size)}
    large = {id(line) for line in loose if line.font_size > body_size and not same_size(line.font_size, body_size)}
    blocks = [
        block
        for side, allowed in (("above", small | large), ("below", small))
        if (block := _block_beside(page, lines, picture, side, allowed, body_size, raster)) is not None
        and not (side == "above" and _under_another(_row_box(block), picture, others))
        and not _beside_another(_row_box(block), picture, others)
    ]
    if not any(line.box.top >= picture.bottom for block in blocks for line in block):
        blocks += _block_in_body_type(page, lines, picture, loose, others, body_size, raster)
    if not blocks:  # a book's caption set in the column beside its drawing, level with its top or its foot
        blocks = [
            block
            for side in ("left", "right")
            if (block := _block_at_side(lines, picture, side, small, body_size)) is not None
            and not _by_another(_row_box(block), picture, others, body_size)
        ][:1]
    if not blocks:
        return None
    block = [line for lines_of_block in blocks for line in lines_of_block]
    box = _row_box(block)
    text = join_lines([join_lines([line.text for line in lines_of_block]) for lines_of_block in blocks])
    return Caption("Figure", "", None, block, box, text, 0.0, 0)


def bold_title_over(page: PageContent, chart: Box, loose: list[TextLine], body_size: float) -> Caption | None:
    """A drawn chart's title printed without a label: the row nearest over the chart (within `_UNLABELLED_GAP_EM`),
    across it, set in bold from its first character to its last, with the bold rows of its block over it (a wrapped
    title). A bulletin sets it flush with the text, wider than the chart, in the body's size; a bold row is no body
    text, and one right over a chart that no labelled caption took is its title (unlike `unlabelled_caption`'s
    photographs, which a heading of the text may stand over)."""
    over = [line for line in page.lines if line.box.bottom <= chart.top and line.box.h_overlap(chart) > 0]
    nearest = max(over, key=lambda line: line.box.bottom, default=None)
    if nearest is None or all(line is not nearest for line in loose) or len(nearest.text.split()) < 2:
        return None
    if chart.top - nearest.box.bottom > _UNLABELLED_GAP_EM * body_size:
        return None
    block = list(takewhile(lambda row: _bold_row(page, row), [nearest, *_rows_beyond(loose, nearest, down=False)]))
    if not block:
        return None
    block.reverse()
    return Caption("Figure", "", None, block, _row_box(block), join_lines([line.text for line in block]), 0.0, 0)


# A caption printed on its photograph (a designed report's white line over a full-page photograph's foot) has its
# row's foot this near the picture's (in the row's type size).
_ON_FOOT_EM = 4.0


def caption_on_foot(picture: Box, loose: list[TextLine], body_size: float) -> Caption | None:
    """The caption printed over a picture's foot: the only text on the picture, level, set no larger than the body,
    its foot within `_ON_FOOT_EM` of the picture's; one row (over a photograph), or a block of rows set flush with
    the picture's side (printed on the white beside a drawing in its raster: `_block_at_edge`). Text anywhere else on
    the picture (a poster's title, a chart's labels) is no such caption; a credit run up the picture's edge is not
    level text and does not count.

    `loose`: the page's lines that may be a caption: no body text, running headers or page numbers."""
    on = _in_rows([line for line in loose if _lies_on(line, picture) and _level(line)])
    tallest = max(on, key=lambda line: line.box.height, default=None)
    if tallest is None:
        return None
    size = max(line.font_size for line in on)
    if all(within_row(line.box, tallest.box) for line in on):
        if _scattered(on, size):
            return None  # labels spread along a row of a drawing ("out" and "in" over a chest)
    elif not _block_at_edge(on, picture):
        return None
    box = _row_box(on)
    if size > body_size and not same_size(size, body_size):
        return None
    if picture.bottom - box.bottom > _ON_FOOT_EM * size:
        return None
    on += _rows_beyond(loose, on[-1], down=True)  # a caption started on the picture's white may run on under its foot
    return Caption("Figure", "", None, on, _row_box(on), join_lines([line.text for line in on]), 0.0, 0)


def _rows_beyond(lines: list[TextLine], row: TextLine, down: bool, floor: float = -math.inf) -> list[TextLine]:
    """The rows that go on from `row` in its block, nearest first, downwards or upwards (`down`): read through the
    rows of its size at its leading, none above `floor`."""
    rows: list[TextLine] = []
    while True:
        near = [
            line
            for line in lines
            if line.box.h_overlap(row.box) > 0
            and line.box.top >= floor
            and 0 <= (line.box.top - row.box.bottom if down else row.box.top - line.box.bottom) <= 0.9 * row.font_size
            and same_size(line.font_size, row.font_size)
        ]
        if not near:
            return rows
        row = min(near, key=lambda line: line.box.top) if down else max(near, key=lambda line: line.box.bottom)
        rows.append(row)


def _level(line: TextLine) -> bool:
    """Set level, not run up an edge: wider than tall, or a word of one or two letters, whose box is as tall as wide
    either way (a drawing's label "in")."""
    return line.box.width > line.box.height or len(line.text.strip()) <= 2


# A line printed on a picture may run this far past its edge (in the line's type size): an italic caption's first
# glyph set flush with a drawing's raster edge starts a quarter em left of it.
_ON_EDGE_EM = 0.5


def _lies_on(line: TextLine, picture: Box) -> bool:
    """The line is printed on the picture, within `_ON_EDGE_EM` of its edges. A row set on the picture's white may run
    on past its right edge (a drawing's caption at its lower right): its start lies on the picture. A row set beside
    the picture that runs onto it is a side caption (`_block_at_side`), not one printed on it."""
    tolerance = max(1.0, _ON_EDGE_EM * line.font_size)
    if line.box.x0 > picture.x1 - tolerance:
        return False
    start = Box(line.box.x0, line.box.top, min(line.box.x1, picture.x1), line.box.bottom)
    return picture.contains(start, tolerance)


def _block_at_edge(lines: list[TextLine], picture: Box) -> bool:
    """Lines (top to bottom) that make one block of one type size flush with the picture's left or right edge: each a
    row of its own under the one before, no more than a type size apart, all starting (or all ending) within a type
    size of the picture's edge."""
    size = lines[0].font_size
    if not all(same_size(line.font_size, size) for line in lines):
        return False
    if any(
        line.box.top - above.box.bottom > size or line.box.top < above.box.bottom for above, line in pairwise(lines)
    ):
        return False
    flush_left = max(line.box.x0 for line in lines) - picture.x0 <= size
    return flush_left or picture.x1 - min(line.box.x1 for line in lines) <= size


def _block_beside(
    page: PageContent,
    lines: list[TextLine],
    picture: Box,
    side: str,
    allowed: set[int],
    body_size: float,
    raster: Box | None,
) -> list[TextLine] | None:
    """The text block nearest `picture` on `side`, if it reads as the picture's unlabelled caption."""
    over = [line for line in lines if line.box.h_overlap(picture) > 0]
    if side == "above":
        near = [line for line in over if line.box.bottom <= picture.top]
        nearest = max(near, key=lambda line: line.box.bottom, default=None)
        gap = picture.top - nearest.box.bottom if nearest else 0.0
    else:
        near = [line for line in over if line.box.top >= picture.bottom]
        nearest = min(near, key=lambda line: line.box.top, default=None)
        gap = nearest.box.top - picture.bottom if nearest else 0.0
    if nearest is None or id(nearest) not in allowed:
        return None
    apart = _UNLABELLED_APART_EM * min(nearest.font_size, body_size) <= gap
    if not ((apart or _off_raster(nearest.box, raster, side)) and gap <= _UNLABELLED_GAP_EM * body_size):
        return None
    # Under the picture, the block may start on its raster's white, over the foot by the first row's ascent.
    floor = picture.bottom - _ON_EDGE_EM * nearest.font_size if side == "below" else -math.inf
    top = [nearest, *_rows_beyond(lines, nearest, down=False, floor=floor)][-1]  # its block is read down from there
    # Read set solid: with no label to say where a caption is, rows spaced further apart are no evidence of one.
    block = _caption_block(page, lines, lines.index(top), set(), top.start, body_size, SOLID_LEADING)
    block = [line for line in block if line.box.bottom <= picture.top or line.box.top >= floor]
    block = list(takewhile(lambda line: id(line) in allowed, block))  # it ends where the page's text (a folio) starts
    text = join_lines([line.text for line in block])
    if all(line is not nearest for line in block):
        return None
    if len(text.split()) < 2 or starts_list_item(text):
        return None  # a lone word is a label, a bulleted row a list
    box = _row_box(block)
    if not picture.x0 <= box.cx <= picture.x1 or box.h_overlap(picture) < _UNLABELLED_OVER * box.width:
        return None
    if nearest.font_size > body_size and (abs(box.cx - picture.cx) > body_size or box.width > picture.width):
        return None  # larger than the body: a title only when centred over the picture
    if not apart and abs(box.cx - picture.cx) > body_size and picture.x0 - _SIDE_EDGE_PT <= box.x0:
        return None  # close to a photograph's edge: its caption is centred on it, a label at its foot (on it) is not
    return _after_credit(block)


def _block_in_body_type(
    page: PageContent,
    lines: list[TextLine],
    picture: Box,
    loose: list[TextLine],
    others: list[Box],
    body_size: float,
    raster: Box | None,
) -> list[list[TextLine]]:
    """The caption under a picture set in the body's type (lines the layout does not read as the body's text), in a
    row of pictures captioned alike (a village handbook's photographs side by side, each with its paragraph under
    it): the block wrapped within the picture's width (a body size of slack: the lines are set ragged) and level
    with a line in the body's type under a picture beside it, as narrow. Alone, such a block is a column's text or a
    heading under a drawing."""
    allowed = {id(line) for line in loose if same_size(line.font_size, body_size)}
    block = _block_beside(page, lines, picture, "below", allowed, body_size, raster)
    if block is None or _beside_another(_row_box(block), picture, others):
        return []

    def within(box: Box, picture: Box) -> bool:
        return picture.x0 - body_size <= box.x0 and box.x1 <= picture.x1 + body_size

    top = min(line.box.top for line in block)
    beside = [other for other in others if other.is_level_with(picture) and not other.h_overlap(picture)]
    captioned_alike = any(
        same_size(line.font_size, body_size) and abs(line.box.top - top) <= body_size and within(line.box, other)
        for other in beside
        for line in page.lines
    )
    return [block] if within(_row_box(block), picture) and captioned_alike else []


def _after_credit(block: list[TextLine]) -> list[TextLine]:
    """The block less a credit row heading it (`_CREDIT_ROW`) when caption rows follow: a credit line printed alone
    under an illustration is all the caption it has (the sweep's eLife portrait), one over a caption is not of it."""
    first = min(block, key=lambda line: line.box.top)
    if not _CREDIT_ROW.match(first.text):
        return block
    return [line for line in block if not line.box.is_level_with(first.box)] or block


def caption_in_gap(
    page: PageContent, picture: Box, rasters: list[Box], loose: list[TextLine], body_size: float
) -> Caption | None:
    """The caption printed without a label in the white space a group of photographs leaves inside its box (two
    photographs set diagonally, the caption beside both in the corner they leave empty): the lines there in a type
    smaller than the body's, on no photograph, read as one block (rows a line apart at most), two words or more.
    A credit row heading it is the photographs' (`_after_credit`)."""
    inside = [
        line
        for line in loose
        if _lies_on(line, picture)  # set in the corner the pictures leave, its rows may run on past their edge
        and not any(raster.overlaps(line.box) for raster in rasters)
        and line.font_size < body_size
        and not same_size(line.font_size, body_size)
    ]
    block = _in_rows(inside)
    if not block or any(b.box.top - a.box.bottom > a.font_size for a, b in zip(block, block[1:], strict=False)):
        return None
    block = _after_credit(block)
    text = join_lines([line.text for line in block])
    if len(text.split()) < 2:
        return None
    return Caption("Figure", "", None, block, _row_box(block), text, 0.0, 0)


def caption_on_card(
    page: PageContent, picture: Box, cards: list[Box], loose: list[TextLine], body_size: float
) -> Caption | None:
    """The caption printed on a tinted card set under its picture (a cover photograph's headline and the lead that
    describes it, on a grey panel under it): the card starts under the picture's foot within `_UNLABELLED_GAP_EM`,
    lies within the picture's width, and every line on it may be a caption (`loose`: free lines and body text, no
    running line or other caption); those lines, top down, are the caption, whatever their type size: the card sets
    them apart from the page's text as the picture's."""
    for card in sorted(cards, key=lambda box: box.top):
        gap = card.top - picture.bottom
        if not -_SIDE_EDGE_PT <= gap <= _UNLABELLED_GAP_EM * body_size:
            continue
        if card.x0 < picture.x0 - _SIDE_EDGE_PT or card.x1 > picture.x1 + _SIDE_EDGE_PT:
            continue
        on = _in_rows([line for line in page.lines if card.contains(line.box, _SIDE_EDGE_PT)])
        if not {id(line) for line in on} <= {id(line) for line in loose}:
            continue  # a running line or another picture's caption on the card: no caption card
        text = join_lines([line.text for line in on])
        if len(text.split()) < 2:
            continue
        return Caption("Figure", "", None, on, _row_box(on), text, 0.0, 0)
    return None


def _block_at_side(
    lines: list[TextLine], picture: Box, side: str, allowed: set[int], body_size: float
) -> list[TextLine] | None:
    """The text block nearest `picture` on its `side` (left or right), if it reads as the picture's unlabelled
    caption: set in a type smaller than the body's, within the picture's height, nothing between them. Its rows start
    off the picture; on the left they may run on onto the picture's white (a book's caption set at a drawing's left
    foot)."""
    left = side == "left"
    beside = [
        line
        for line in lines
        if line.box.v_overlap(picture) > 0
        and (line.box.x0 < picture.x0 - _SIDE_EDGE_PT if left else line.box.x0 >= picture.x1 - _SIDE_EDGE_PT)
    ]
    nearest = max(beside, key=lambda line: line.box.x1) if left and beside else None
    nearest = nearest or (min(beside, key=lambda line: line.box.x0) if beside and not left else None)
    if nearest is None or id(nearest) not in allowed or nearest.box.height > nearest.box.width:
        return None  # text run up the picture's edge is a credit, not a caption
    gap = picture.x0 - nearest.box.x1 if left else nearest.box.x0 - picture.x1
    if gap > _UNLABELLED_GAP_EM * body_size:
        return None
    column = [  # its rows may run on over the picture's edge (onto a raster's white), as long as the nearest is off it
        line
        for line in lines
        if line.box.v_overlap(picture) > 0
        and line.box.h_overlap(nearest.box) > 0
        and same_size(line.font_size, nearest.font_size)
    ]
    block = _rows_at_leading(column, nearest)
    box = _row_box(block)
    if any(id(line) not in allowed for line in block) or box.top < picture.top - body_size:
        return None
    if box.width > picture.width:  # wider than the picture: the text column's (a footnote), not a side column's
        return None
    if box.bottom > picture.bottom + body_size or any(
        line not in block and line.box.v_overlap(box) > 0 and _between(line.box, box, picture, left) for line in lines
    ):
        return None
    # a block set at a drawing's foot may run on under it, as a caption printed on a picture's white does
    block += [line for line in _rows_beyond(lines, block[-1], down=True) if id(line) in allowed]
    text = join_lines([line.text for line in block])
    if len(text.split()) < 2 or starts_list_item(text):
        return None
    return block


def _rows_at_leading(column: list[TextLine], start: TextLine) -> list[TextLine]:
    """`start` and the rows of `column` over and under it that follow at its leading: one block, top down."""
    block = [start]
    for below in (False, True):
        edge = start
        while (row := _next_row(column, edge, below)) is not None:
            block.append(row)
            edge = row
    return sorted(block, key=lambda line: line.box.top)


def _next_row(column: list[TextLine], edge: TextLine, below: bool) -> TextLine | None:
    """The row of `column` right under (or over) `edge`, at most the type's leading away."""
    follow = [
        line
        for line in column
        if (line.box.top > edge.box.top if below else line.box.top < edge.box.top)
        and 0 <= (line.box.top - edge.box.bottom if below else edge.box.top - line.box.bottom) <= 0.9 * edge.font_size
    ]
    return min(follow, key=lambda line: abs(line.box.cx - edge.box.cx), default=None)


def _between(line: Box, block: Box, picture: Box, left: bool) -> bool:
    """`line` lies in the gap between a side block (on the `left` or the right) and the picture."""
    if left:
        return block.x1 <= line.x0 and line.x1 <= picture.x0 + _SIDE_EDGE_PT
    return picture.x1 - _SIDE_EDGE_PT <= line.x0 and line.x1 <= block.x0


def _by_another(block: Box, picture: Box, others: list[Box], body_size: float) -> bool:
    """A side block set right over or under another figure, nearer it than beside `picture`: that figure's caption
    (photographs in columns side by side), not the caption of the picture beside it."""
    reach = min(_UNLABELLED_GAP_EM * body_size, max(block.x0 - picture.x1, picture.x0 - block.x1))
    return any(
        o.h_overlap(block) > 0 and (0 <= block.top - o.bottom <= reach or 0 <= o.top - block.bottom <= reach)
        for o in others
    )


def _under_another(block: Box, picture: Box, others: list[Box]) -> bool:
    """A block over `picture` set nearer under another figure, or starting level with its foot (printed on the white
    of its raster, two drawings stacked, each captioned at its lower left): that figure's caption (one under each
    photograph of a column), not this picture's title."""
    gap = picture.top - block.bottom
    return any(o.h_overlap(block) > 0 and o.top < block.top and block.top - o.bottom < gap for o in others)


def _beside_another(block: Box, picture: Box, others: list[Box]) -> bool:
    """A block under or over `picture` set level with another figure, nearer beside it than to `picture` (a drawing
    under another, its caption beside it): that figure's caption, not this picture's."""
    gap = block.top - picture.bottom if block.top >= picture.bottom else picture.top - block.bottom
    return any(
        o.v_overlap(block) >= 0.5 * block.height and 0 <= max(block.x0 - o.x1, o.x0 - block.x1) < gap for o in others
    )


def _off_raster(line: Box, raster: Box | None, side: str) -> bool:
    """A line wholly past the raster's edge on `side`: however near, it is not drawn on the picture."""
    if raster is None:
        return False
    return line.bottom <= raster.top + _SIDE_EDGE_PT if side == "above" else line.top >= raster.bottom - _SIDE_EDGE_PT
