"""One PDF page read with pypdfium2: text lines with boxes and font facts, and the graphic objects.

pypdfium2 reads a page's text and objects ~30x faster than pdfplumber; pdfplumber stays out of the hot
path. Every box is converted once, here, into pdfplumber's page frame (top-left origin, y measured from
the MediaBox height) so that boxes match ground truth annotated with pdfplumber.
"""

from __future__ import annotations

import ctypes
import io
import itertools
import math
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from mmskin_build.extract.geometry import Box, union_all
from mmskin_build.text.glyph_names import CIRCLED, LARGE_CIRCLE, tex_symbol_codes
from mmskin_build.text.word_breaks import looks_glued, spaces_at, split_glued_words

if TYPE_CHECKING:
    from mmskin_build.extract.scanned import PageScan

GraphicKind = Literal["image", "path", "shading"]

_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_ITALIC_FLAG = 1 << 6  # bit 7 of a PDF font descriptor's Flags

# A gap this many font sizes wide inside one pdfium "line" means two columns were read as one line.
_COLUMN_GAP_EM = 1.6
# No glyph is this many font sizes wide: pdfium's one rectangle for a line wider than that per character holds such a
# gap (a figure's panel letters "A" and "B" set 160 pt apart on one row, read as one line "AB").
_WIDEST_GLYPH_EM = 1.5
# Type this many times larger than the text beside it is display type (a thumb tab's chapter numeral), not the same
# line; a drop cap spans three lines or more, sub- and superscripts are set two thirds of their line's size.
_DISPLAY_SIZE = 3.0
# No text is set this small: a size under it is a Type 3 font's, its font matrix left out (`_glyph_height`).
_UNSCALED_PT = 1.5
_LOOSE_BOX_SLACK = 2.0  # a letter's loose box is at most this many times its ink's height (a dvips "e": 4.1 / 3.4)
# Forms (XObjects) smaller than this share of the page are kept whole; larger ones are opened up, since
# some producers wrap a whole page, or several figures, in one form. A form holding nothing but images is opened
# whatever its size (`_holds_only_images`), unless vector art is drawn over it (`_drawn_over`).
_OPEN_FORM_AREA = 0.2
# A clipping path that cuts no more than this (pt) off an image's bounds changes nothing: the image keeps its own
# box, and its embedded pixels stay the figure's picture.
_CLIP_HAIRLINE = 1.0
# An image no larger than this each way (points) shows nothing at print size: it is a dot of a rule some producers
# print as thousands of one-pixel images (a table's dotted rules, a contents page's leaders), not a picture.
_DOT_IMAGE_PT = 2.0
# A rectangle drawn as a path: a move, three or four lines and a close.
_QUADRILATERAL_SEGMENTS = 6
# A card drawn as a path: a rectangle with its corners rounded, a move, four sides, four arcs of up to two Bézier
# curves each (pdfium counts a curve as three segments) and a close.
_CARD_SEGMENTS = 1 + 4 + 4 * 2 * 3 + 1
# A segment whose ends differ by no more than this (pt) across runs level (or upright).
_LEVEL_PT = 0.1
# Upright text within this (pt) of the sides of a column of turned text stands in that column (a page number at the
# head of a running title turned up the margin).
_IN_COLUMN_PT = 1.0
# An image stored in fewer bytes than its pixels over this may be one flat colour (a photograph never compresses
# so far: held-out 19's flat masthead band, 576 x 144 pixels, is 106 bytes); only such images are decoded to see.
_FLAT_PIXELS_PER_BYTE = 64
# Bytes of a decoded bitmap's rows compared at a time: a page-sized scan is not copied whole.
_FLAT_SLICE_BYTES = 1 << 20
_COLOUR_BYTES = 0x00FFFFFF  # a BGRx or BGRA pixel read as a little-endian word, its fourth byte left out


def _unchecked(function, restype: type = ctypes.c_int):
    """A short pdfium function called through a prototype without argument types, holding the GIL. pypdfium2's
    binding checks each typed argument on every call, a third of a short call's time, and lets go of the GIL and
    takes it back around it, which costs more than the call and, with the output thread running Python code, lets
    that thread in between (`PYFUNCTYPE` keeps it). For the calls made once per character, text rectangle or page
    object of every page; the arguments must be ctypes objects (handles, `byref`) or ints (passed as C ints)."""
    return ctypes.PYFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)


_UNICODE_AT = _unchecked(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
_COUNT_RECTS = _unchecked(pdfium_c.FPDFText_CountRects)
_RECT_AT = _unchecked(pdfium_c.FPDFText_GetRect)
_FONT_SIZE_AT = _unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_MATRIX_AT = _unchecked(pdfium_c.FPDFText_GetMatrix)
_CHAR_BOX_AT = _unchecked(pdfium_c.FPDFText_GetCharBox)
_LOOSE_BOX_AT = _unchecked(pdfium_c.FPDFText_GetLooseCharBox)
_ORIGIN_AT = _unchecked(pdfium_c.FPDFText_GetCharOrigin)
_ANGLE_AT = _unchecked(pdfium_c.FPDFText_GetCharAngle, ctypes.c_float)
_QUARTER_TURN = math.pi / 2
# ... and once per page object (most of them text, skipped at once)
_OBJECT_AT = _unchecked(pdfium_c.FPDFPage_GetObject, pdfium_c.FPDF_PAGEOBJECT)
_OBJECT_TYPE = _unchecked(pdfium_c.FPDFPageObj_GetType)
_OBJECT_BOUNDS = _unchecked(pdfium_c.FPDFPageObj_GetBounds)
# ... and, on a page whose fonts name TeX symbols, once per character of a value they may draw
_TEXT_OBJECT_AT = _unchecked(pdfium_c.FPDFText_GetTextObject, pdfium_c.FPDF_PAGEOBJECT)
_FONT_OF = _unchecked(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p)  # the font's address, None for none
# The sign of words run together (a text layer without space glyphs, words set closer than pdfium's own space
# threshold of about a quarter glyph): a run of 20 characters without a space (1 in 70 lines of the shared PDFs
# has one, mostly compound words and identifiers; 14 characters: 1 in 10). Only such lines are measured
# glyph by glyph, and a run needs two word gaps (three words) to be split; on a page where _SPACELESS_PAGE_LINES
# lines were split, the text layer lacks spaces altogether, and every run with one word gap is split too.
_RUN_TOGETHER = re.compile(r"\S{20,}")
_ANY_RUN = re.compile(r"\S{2,}")
_SPACELESS_PAGE_LINES = 3
# A manuscript's line numbers: an integer opening a line (alone, or before its text) ...
_LINE_NUMBER = re.compile(r"(\d{1,5})(?:$|\s+(?=\S))")
_LINE_NUMBERS_IN_A_RUN = 3  # ... this many or more at one left edge, counting up by one down the page ...
_COUNTING_SHARE = 0.8  # ... for this share of the steps from one to the next at least ...
_NUMBER_GAP_EM = 0.8  # ... each this far (in type sizes) or more left of the text it numbers (a word space: 0.25) ...
_NUMBERED_FROM_INSIDE = 0.25  # ... and no more than this share of the page's other lines starting at or left of them
# Between two glyphs' advance boxes, a word gap is wider than this share of the font size (and than the
# line's usual letter gap by as much): letters of a word touch (kerning moves them a few hundredths).
_WORD_GAP_EM = 0.05
_WORD_END, _WORD_START = set(".,;:!?)]}\"'”’"), set("([{\"'“‘")
# Lines of one row that the text layer holds apart (a browser draws each generated figure number after the page's
# text) are one line when no more than this many font sizes lie between them; a column gutter is wider.
_ROW_PIECE_GAP_EM = 0.8
# A word space is this share of the font size at least: between two such pieces, a wider gap is one (pdfium's own
# threshold).
WORD_SPACE_EM = 0.25
# Pieces of one line of type: font sizes, and baselines, differ by no more than this share of the size.
_SAME_TYPE = 0.1
# A superscript is raised, a subscript lowered, by no more than this share of the size (a scan's text layer set in
# type of 2 pt jitters by more: its words are no scripts).
_SCRIPT_RISE_EM = 0.6
# A piece stands in a gap of a line when no character of the line reaches more than this (pt) into its box.
_HOLE_EDGE = 0.5


@dataclass(slots=True)
class TextLine:
    text: str
    box: Box
    font_size: float
    start: int  # index of the line's first character in the page's text
    # Offsets in `text` of word spaces the text layer lacks, put back from the glyph gaps (see _word_spaces) or, where
    # the words touch, by the dictionary (`glued`; text/word_breaks.py).
    inserted: tuple[int, ...] = ()
    glued: bool = False
    # (offset in `text`, page-text index) where a piece the text layer holds elsewhere starts: a line whose pieces
    # the page draws out of their order along the row (see _joined_along_rows).
    pieces: tuple[tuple[int, int], ...] = ()
    # Its first character is set in italics: read with the line, as the pages after one are seen without their text
    # layer (a caption set in italics in the body's size goes on overleaf in italics).
    italic: bool = False

    def char_index(self, offset: int) -> int:
        """The page-text character index of `text[offset]` (inserted spaces have none of their own)."""
        begin, index = 0, self.start
        for at, piece_start in self.pieces:
            if at <= offset:
                begin, index = at, piece_start
        return index + offset - begin - sum(1 for at in self.inserted if begin <= at < offset)


@dataclass(slots=True)
class Graphic:
    kind: GraphicKind
    box: Box
    handle: object = field(repr=False)  # FPDF_PAGEOBJECT, valid while the page is open
    pixel_size: tuple[int, int] | None = None  # images only
    # Images only: the length of the image's stream as stored (encoded), a cheap digest of its content: two
    # different photos of one pixel size differ in it, one picture placed again does not.
    stream_size: int | None = None
    # Images only: the full placement when a clipping path shows a smaller part of it (`box` is then that part).
    placed: Box | None = None

    @property
    def placement(self) -> Box:
        """Where the whole image lies: its own pixels span this box (for an unclipped image, `box`)."""
        return self.placed or self.box


_BOLD_WEIGHT = 600  # a font weight this heavy or more is bold (semibold up)
_HEAD_MAC_STYLE = 44  # offset of macStyle in a TrueType 'head' table; its bit 0 is bold
_OS2_WEIGHT, _OS2_SELECTION = 4, 62  # offsets of usWeightClass and fsSelection in an 'OS/2' table
_OS2_BOLD = 0x20  # fsSelection's bold bit


def truetype_bold(program: bytes) -> bool | None:
    """Whether a TrueType font program says bold: its 'OS/2' table (its weight class, or fsSelection's bold bit) says
    yes or no; where it has none, its 'head' table (macStyle bit 0) says yes only. Qt's subsets (wkhtmltopdf) set
    macStyle's bold bit in every font, the regular ones too; their OS/2 keeps the face's own. None where the program
    says nothing (no OS/2, no bold bit, not TrueType)."""
    os2 = _table_at(program, b"OS/2", _OS2_SELECTION + 2)
    if os2 is not None:
        weight = int.from_bytes(program[os2 + _OS2_WEIGHT : os2 + _OS2_WEIGHT + 2], "big")
        selection = int.from_bytes(program[os2 + _OS2_SELECTION : os2 + _OS2_SELECTION + 2], "big")
        return weight >= _BOLD_WEIGHT or bool(selection & _OS2_BOLD)
    head = _table_at(program, b"head", _HEAD_MAC_STYLE + 2)
    if head is not None and int.from_bytes(program[head + _HEAD_MAC_STYLE : head + _HEAD_MAC_STYLE + 2], "big") & 1:
        return True
    return None


def _table_at(program: bytes, tag: bytes, length: int) -> int | None:
    """Where the TrueType program's table `tag` starts, when `length` bytes of it are there; else None."""
    if len(program) < 12:
        return None
    # The table records follow the 12-byte header, 16 bytes each, the tag first. A program that is not TrueType
    # (Type 1, CFF) reads as up to 65,535 of them, so the tag is found by `find`, not record by record.
    end = 12 + 16 * int.from_bytes(program[4:6], "big")
    record = program.find(tag, 12, end)
    while record >= 0 and (record - 12) % 16:
        record = program.find(tag, record + 1, end)
    if record < 0 or record + 16 > len(program):
        return None
    at = int.from_bytes(program[record + 8 : record + 12], "big")
    return at if len(program) >= at + length else None


@dataclass(slots=True)
class PageContent:
    number: int  # 1-based
    width: float  # MediaBox width (pdfplumber's page.width)
    height: float
    cropbox: Box  # in page coordinates
    lines: list[TextLine]
    graphics: list[Graphic]
    text: str  # one character per pdfium character index; empty when `lines` were given to read_page
    pdf_page: pdfium.PdfPage = field(repr=False)
    loaded_textpage: pdfium.PdfTextPage | None = field(default=None, repr=False)
    scan: PageScan | None = field(default=None, repr=False)  # set for an OCR'd page: its lines come from OCR
    program_bold_fonts: dict[int, bool | None] = field(default_factory=dict, repr=False)  # `_program_bold`
    italic_fonts: dict[int, bool] = field(default_factory=dict, repr=False)  # `is_italic`

    @property
    def textpage(self) -> pdfium.PdfTextPage:
        """pdfium's text page, loaded on first use: a second read of a page (`lines` given) needs it only to look
        at a few characters (caption fonts), and many pages have none to look at."""
        if self.loaded_textpage is None:
            self.loaded_textpage = self.pdf_page.get_textpage()
        return self.loaded_textpage

    def to_page_box(self, left: float, bottom: float, right: float, top: float) -> Box:
        """PDF user space (bottom-left origin) -> page coordinates (top-left origin)."""
        return Box(left, self.height - top, right, self.height - bottom)

    def is_bold(self, char_index: int) -> bool:
        if self.scan is not None and self.scan.read_by_ocr:
            return char_index in self.scan.bold_chars
        name, _ = self._font(char_index)
        if "bold" in name or "black" in name or "heavy" in name or name.endswith((",b", "-b", ".b")):
            return True
        own = self._program_bold(char_index)
        if own is not None:
            return own
        return pdfium_c.FPDFText_GetFontWeight(self.textpage.raw, char_index) >= _BOLD_WEIGHT

    def _program_bold(self, char_index: int) -> bool | None:
        """What the embedded TrueType program says of its weight (`truetype_bold`), asked once a font. It outweighs
        the weight pdfium gives: a PDF writer that renames every font ("CairoFont-0-0") leaves neither a weight in the
        descriptor nor "Bold" in the name (held-out 22), and where the descriptor has no weight pdfium estimates one
        from its stem width (Chromium's DejaVu Sans Oblique: 610, "bold")."""
        font, key = self._font_handle(char_index)
        if key is None:
            return None
        if key not in self.program_bold_fonts:
            size = _program_size(font)
            self.program_bold_fonts[key] = truetype_bold(_program(font, size)) if size else None
        return self.program_bold_fonts[key]

    def is_italic(self, char_index: int) -> bool:
        """The character's font is an italic one (its flags or its name say so), asked once a font: every line read
        asks it of its first character (`TextLine.italic`)."""
        if self.scan is not None and self.scan.read_by_ocr:
            return False
        _, key = self._font_handle(char_index)
        if key in self.italic_fonts:
            return self.italic_fonts[key]
        name, flags = self._font(char_index)
        italic = bool(flags & _ITALIC_FLAG) or "italic" in name or "oblique" in name
        if key is not None:
            self.italic_fonts[key] = italic
        return italic

    def _font_handle(self, char_index: int) -> tuple[object, int | None]:
        """The character's font (pdfium's handle, valid while the page is open) and its address, the key of the
        per-font caches; (None, None) for a character without a text object (one pdfium generated)."""
        text_object = pdfium_c.FPDFText_GetTextObject(self.textpage.raw, char_index)
        font = pdfium_c.FPDFTextObj_GetFont(text_object) if text_object else None
        return (font, ctypes.cast(font, ctypes.c_void_p).value) if font else (None, None)

    def _font(self, char_index: int) -> tuple[str, int]:
        """The character's font name (lower case) and its PDF font descriptor flags."""
        flags = ctypes.c_int()
        size = pdfium_c.FPDFText_GetFontInfo(self.textpage.raw, char_index, None, 0, ctypes.byref(flags))
        if size <= 0:
            return "", 0
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFText_GetFontInfo(self.textpage.raw, char_index, buffer, size, ctypes.byref(flags))
        return buffer.value.decode("utf-8", "replace").lower(), flags.value

    def is_turned(self, char_index: int) -> bool:
        """The character is set a quarter turn from upright (a chart's axis label stood on end)."""
        if self.scan is not None and self.scan.read_by_ocr:
            return False
        turns = _quarter_turns(_ANGLE_AT(self.textpage.raw, char_index))
        return turns is not None and turns % 2 == 1

    def char_left(self, char_index: int) -> float | None:
        """Left edge of a character (page coordinates), or None for a character without a box."""
        if self.scan is not None and self.scan.read_by_ocr:
            return None
        rect = _Rect()
        if not pdfium_c.FPDFText_GetCharBox(self.textpage.raw, char_index, *rect.refs):
            return None
        left, right, _, _ = rect.read()
        return left if right > left else None

    def close(self) -> None:
        if self.loaded_textpage is not None:
            self.loaded_textpage.close()
        self.pdf_page.close()


class _Rect:
    """Reusable ctypes out-parameters for pdfium's rectangle getters."""

    def __init__(self, ctype: type = ctypes.c_double) -> None:
        self.values = [ctype() for _ in range(4)]
        self.refs = [ctypes.byref(v) for v in self.values]

    def read(self) -> tuple[float, float, float, float]:
        a, b, c, d = self.values
        return a.value, b.value, c.value, d.value


def read_page(document: pdfium.PdfDocument, index: int, lines: list[TextLine] | None = None) -> PageContent:
    """Read page `index` (0-based); `lines` from an earlier read of the same page are reused."""
    page = _upright(document, index)
    left, bottom, right, top = page.get_mediabox()
    content = PageContent(index + 1, right - left, top - bottom, crop_frame(page), [], [], "", page)
    forms: list = []  # the page's own forms, which may hold text their clip hides
    fonts: set[int] = set()  # the addresses of the fonts its text is set in
    content.graphics = _read_graphics(content, forms, fonts)
    if lines is None:
        text = _circled_letters(content, _tex_symbols_named(content, _page_text(content.textpage), fonts))
        content.text = _unclipped(content, _accents_composed(content, text), forms)
        content.lines = _read_lines(content)
        # A page's own text may be clipped too (a map's title set again in the map's art, clipped away, read as
        # the caption twice over). Reading every text object's clip costs up to 6 ms a page: only text printed
        # over other text is looked at.
        text = _unclipped(content, content.text, [], _printed_over_text(content))
        if text != content.text:
            content.text = text
            content.lines = _read_lines(content)
    else:
        content.lines = lines  # a second read needs the boxes and fonts, not the text again
    return content


def crop_frame(page: pdfium.PdfPage) -> Box:
    """The page's crop box (where a render of it starts, what it covers) in pdfplumber's frame of the page as
    displayed: y measured down from the MediaBox height (not from its top edge), a page turned by /Rotate taken as
    turned."""
    left, bottom, right, top = page.get_mediabox()
    crop = page.get_cropbox()
    turn = _turn(page)
    if turn is not None:
        left, bottom, right, top = _transform(turn, left, bottom, right, top)
        crop = _transform(turn, *crop)
    height = top - bottom
    return Box(crop[0], height - crop[3], crop[2], height - crop[1])


def _turn(page: pdfium.PdfPage) -> tuple[float, ...] | None:
    """The matrix from a page's user space to the page as displayed (turned by its /Rotate, clockwise, its corner at
    the origin); None for a page that is not turned."""
    turn = page.get_rotation()
    if not turn:
        return None
    left, bottom, right, top = page.get_mediabox()
    return {90: (0, -1, 1, 0, -bottom, right), 180: (-1, 0, 0, -1, right, top), 270: (0, 1, -1, 0, top, -left)}[turn]


def _upright(document: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    """Page `index` as it is displayed. A page turned by /Rotate (a landscape map or table in a portrait report)
    holds its text and pictures on their side in its own space, where every rule reads its level caption as a
    column of turned text; so such a page is copied into a one-page document with the turn drawn into its content:
    its text runs level and its boxes are in the frame pdfplumber gives it (the turned page's width and height)."""
    page = document[index]
    turn = _turn(page)
    if turn is None:
        return page
    mediabox, cropbox = page.get_mediabox(), page.get_cropbox()
    page.close()
    upright = pdfium.PdfDocument.new()
    upright.import_pages(document, [index])
    copy = upright[0]
    pdfium_c.FPDFPage_TransFormWithClip(copy.raw, pdfium_c.FS_MATRIX(*turn), None)
    copy.set_rotation(0)
    copy.set_mediabox(*_transform(turn, *mediabox))
    copy.set_cropbox(*_transform(turn, *cropbox))
    # pdfium parses the turned content when the document is read again.
    written = io.BytesIO()
    upright.save(written)
    return pdfium.PdfDocument(written.getvalue())[0]


def _page_text(textpage: pdfium.PdfTextPage) -> str:
    """The page's text with exactly one string character per pdfium character index."""
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    text = _text_buffer(raw, count)
    if text is None:
        text = "".join(map(chr, map(_UNICODE_AT, itertools.repeat(raw, count), range(count))))
    # pdfium reports a line-end hyphen it judged to be hyphenation as code 2 (GetText shows U+FFFE).
    return _SURROGATE_PAIR.sub(_joined_pair, text.replace("\x02", "\ufffe"))


def _text_buffer(raw, count: int) -> str | None:
    """The page's code points as `_UNICODE_AT` gives them one by one, read in one call (FPDFText_GetText), or None
    where that call cannot give them. Its text buffer holds one unit for each character but the control characters
    pdfium leaves out (which would shift every index after them), and a character outside the BMP takes two UTF-16
    units: `count` units and no surrogate among them is one unit per character, in order. Each unit is then the
    character's code point, but U+FFFE, which stands for a hyphen pdfium judged hyphenation (code 2) and for a glyph
    without a code point (0) too: those are asked one by one."""
    if count <= 0:
        return None
    buffer = (ctypes.c_ushort * (2 * count + 1))()  # room for a surrogate pair per character and the terminator
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer) - 1  # less the terminator
    if written != count:
        return None
    try:
        text = bytes(buffer)[: 2 * count].decode("utf-16-le")  # a lone surrogate raises, a pair decodes to one
    except UnicodeDecodeError:
        return None
    if len(text) != count:
        return None
    if _UNSURE_UNIT not in text:
        return text
    chars = list(text)
    at = text.find(_UNSURE_UNIT)
    while at >= 0:
        chars[at] = chr(_UNICODE_AT(raw, at))
        at = text.find(_UNSURE_UNIT, at + 1)
    return "".join(chars)


_UNSURE_UNIT = "\ufffe"

# What stands at the index of the second of two characters that a text repair makes one (a surrogate pair, a letter
# and its accent, a circle and its letter), so that every index keeps its character box. It prints nothing and never
# leaves extract: `printed` takes it out of the text that the tables get.
HELD_INDEX = "\u200b"


def printed(text: str | None) -> str | None:
    """`text` as the page prints it: without the `HELD_INDEX` placeholders."""
    return text.replace(HELD_INDEX, "") if text else text


# pdfium gives a character outside the BMP (math italic x is U+1D465) as two UTF-16 halves, one index
# each; a lone half cannot be written as UTF-8. The pair becomes the character plus `HELD_INDEX`.
_SURROGATE_PAIR = re.compile("([\ud800-\udbff][\udc00-\udfff])|[\ud800-\udfff]")


def _joined_pair(match: re.Match[str]) -> str:
    pair = match.group(1)
    if pair is None:
        return "\ufffd"
    return pair.encode("utf-16-le", "surrogatepass").decode("utf-16-le") + HELD_INDEX


# Spacing accents and the combining marks they stand for. Some typesetters (PLOS's, TeX without T1 fonts) print "é"
# as an "e" and then an acute moved back over it, two characters in the text layer ("Re´union", "Espı´rito").
_SPACING_ACCENTS = {
    "\u00b4": "\u0301",  # acute
    "\u0060": "\u0300",  # grave
    "\u02c6": "\u0302",  # circumflex
    "\u00a8": "\u0308",  # dieresis
    "\u02dc": "\u0303",  # tilde
    "\u02c7": "\u030c",  # caron
    "\u02da": "\u030a",  # ring
    "\u00b8": "\u0327",  # cedilla
}
_SPACING_ACCENT = re.compile("[" + "".join(_SPACING_ACCENTS) + "]")


def _accents_composed(content: PageContent, text: str) -> str:
    """`text` with each spacing accent set over a letter of its line made one character with that letter (a dotless
    i takes its accent as an i); the accent's index becomes `HELD_INDEX`. The accent mostly follows its letter, but
    may come later in the line ("A: where 1 ˚"). An accent over no letter (a prime after a symbol, a degree sign after
    a digit) is left alone."""
    chars = list(text)
    for match in _SPACING_ACCENT.finditer(text):
        accent = match.start()
        letter = _letter_under(content, text, accent)
        if letter is None:
            continue
        composed = unicodedata.normalize("NFC", chars[letter].replace("\u0131", "i") + _SPACING_ACCENTS[text[accent]])
        if len(composed) == 1:
            chars[letter], chars[accent] = composed, HELD_INDEX
    return "".join(chars)


def _letter_under(content: PageContent, text: str, accent: int) -> int | None:
    """The index of the letter earlier in `accent`'s line whose loose box holds the accent's centre, if any."""
    mark = _glyph(content, accent)
    if mark is None:
        return None
    centre = (mark[0] + mark[1]) / 2
    line_start = max(text.rfind("\n", 0, accent), text.rfind("\r", 0, accent)) + 1
    for index in range(accent - 1, line_start - 1, -1):
        base = _glyph(content, index) if text[index].isalpha() else None
        if base is not None and base[0] <= centre <= base[1]:
            return index
    return None


# The TeX-named codes of each embedded font program met, per document: (font address, program size) -> {code: char}.
# The size is part of the key: pdfium may free a font no open page uses and place another at its address.
_TEX_CODES: weakref.WeakKeyDictionary[pdfium.PdfDocument, dict[tuple[int, int], dict[int, str]]] = (
    weakref.WeakKeyDictionary()
)


def _tex_symbols_named(content: PageContent, text: str, fonts: set[int]) -> str:
    """`text` with each character drawn by a glyph that a TeX math font names outside the Adobe Glyph List read as
    the name says (a prime, not "0"; see text/glyph_names). pdfium maps a glyph that no ToUnicode map covers (there is
    none, or pdfTeX's covers AGL names only) by its name and, for a name it does not know, gives the character code
    itself: so a character whose value is such a code of its font's own encoding is that glyph. Only fonts whose
    program names such glyphs are looked at, and only the characters whose value is one of their codes. `fonts`: the
    addresses of the page's text fonts."""
    known = _TEX_CODES.setdefault(content.pdf_page.pdf, {})
    codes = {font: table for font in fonts if font and (table := _tex_codes(font, known))}
    if not codes:
        return text
    wanted = re.compile("[" + re.escape("".join({chr(code) for table in codes.values() for code in table})) + "]")
    chars = list(text)
    textpage = content.textpage.raw
    for match in wanted.finditer(text):
        index = match.start()
        if pdfium_c.FPDFText_IsGenerated(textpage, index) == 1:  # a space or line break pdfium put in: no glyph
            continue
        text_object = _TEXT_OBJECT_AT(textpage, index)
        table = codes.get(_FONT_OF(text_object)) if text_object else None
        chars[index] = table.get(ord(chars[index]), chars[index]) if table else chars[index]
    return "".join(chars)


def _circled_letters(content: PageContent, text: str) -> str:
    """`text` with each letter set small inside a large circle right before or after it made the sign the two print
    (TeX prints "®" and "©" so: a large circle, then a small "R" or "c" in it): the sign takes the circle's index, the
    letter's becomes `HELD_INDEX`."""
    chars = list(text)
    at = text.find(LARGE_CIRCLE)
    while at >= 0:
        ring = _char_box(content, at)
        for letter in (at + 1, at - 1):
            if 0 <= letter < len(text) and text[letter] in CIRCLED:
                box = _char_box(content, letter)
                if ring.contains(Box(box.cx, box.cy, box.cx, box.cy)) and box.height < ring.height:
                    chars[at], chars[letter] = CIRCLED[text[letter]], HELD_INDEX
                    break
        at = text.find(LARGE_CIRCLE, at + 1)
    return "".join(chars)


def _form_fonts(form, fonts: set[int]) -> None:
    """Add the addresses of the fonts of the text inside `form` (its forms too) to `fonts`."""
    for k in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj = pdfium_c.FPDFFormObj_GetObject(form, k)
        kind = _OBJECT_TYPE(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            fonts.add(_FONT_OF(obj))
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            _form_fonts(obj, fonts)


def _tex_codes(address: int, known: dict[tuple[int, int], dict[int, str]]) -> dict[int, str]:
    """The TeX-named codes of the font at `address` (`tex_symbol_codes`); its program is read once a document."""
    font = ctypes.cast(address, pdfium_c.FPDF_FONT)
    size = _program_size(font)
    if not size:
        return {}
    key = (address, size)
    if key not in known:
        known[key] = tex_symbol_codes(_program(font, size))
    return known[key]


def _program_size(font) -> int:
    """The length of the font's embedded program; 0 for a font without one."""
    size = ctypes.c_size_t()
    if not pdfium_c.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size)):
        return 0
    return size.value


def _program(font, size: int) -> bytes:
    data = (ctypes.c_ubyte * size)()
    pdfium_c.FPDFFont_GetFontData(font, data, size, ctypes.byref(ctypes.c_size_t()))
    return bytes(data)


def _unclipped(content: PageContent, text: str, forms: list, texts: Iterable = ()) -> str:
    """`text` with each character that a clipping path hides made a line break, so that no line holds it and every
    index still matches its character box. A placed graphic (a form) can hold text its clip shows none of: a
    figure placed as a whole page of the author's manuscript, clipped to the picture, keeps that page's text, which
    then doubles the printed caption and body text beside it. `forms`: the page's own forms; `texts`: text objects
    of the page's own to look at as well."""
    clips = _text_clips(content, forms, texts)
    if not clips:
        return text
    chars = list(text)
    textpage = content.textpage.raw
    for index in range(len(chars)):
        text_object = pdfium_c.FPDFText_GetTextObject(textpage, index)
        shown = clips.get(ctypes.cast(text_object, ctypes.c_void_p).value) if text_object else None
        if shown is None:
            continue
        box = _char_box(content, index)
        if not all(part.contains(Box(box.cx, box.cy, box.cx, box.cy), _CLIP_HAIRLINE) for part in shown):
            chars[index] = "\n"
    return "".join(chars)


def _text_clips(content: PageContent, forms: list, texts: Iterable = ()) -> dict[int, list[Box]]:
    """The clip (its paths' page boxes) of each text object that reaches out of its clip, by the object's address:
    those inside one of the page's `forms`, and the page's own `texts` (a page's own text is mostly clipped at most to
    the page, so they are not all looked into)."""
    clips: dict[int, list[Box]] = {}
    rect = _Rect(ctypes.c_float)

    def look(obj, matrix: tuple[float, ...] | None, enclosing: list[Box] = ()) -> None:
        shown = _clip_boxes(content, obj, matrix) + list(enclosing)
        if not shown or not _OBJECT_BOUNDS(obj, *rect.refs):
            return
        bounds = rect.read()
        box = content.to_page_box(*(bounds if matrix is None else _transform(matrix, *bounds)))
        if not all(part.contains(box, _CLIP_HAIRLINE) for part in shown):
            clips[ctypes.cast(obj, ctypes.c_void_p).value] = shown

    for form in forms:
        _look_into_form(content, form, None, _clip_boxes(content, form, None), look)
    for obj in texts:
        look(obj, None)
    return clips


def _look_into_form(
    content: PageContent, form, matrix: tuple[float, ...] | None, enclosing: list[Box], look: Callable
) -> None:
    """`look` at each text object in `form` and the forms nested in it, with the clips of the forms round it.

    A form's clip hides its text as the text's own does: a figure placed as a PDF whose art is clipped to the figure
    inside a form nested in another, with labels set past that clip (7 pt labels under the figure, read into its
    caption). (Not a function nested in `_text_clips`: one that calls itself is a reference cycle through its closure,
    which kept the page alive until Python's cyclic collector ran.)"""
    inner = _form_matrix(form, matrix)
    for k in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj = pdfium_c.FPDFFormObj_GetObject(form, k)
        kind = _OBJECT_TYPE(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            _look_into_form(content, obj, inner, enclosing + _clip_boxes(content, obj, inner), look)
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            look(obj, inner, enclosing)


def _printed_over_text(content: PageContent) -> list:
    """The text objects of lines printed over another line (over half the shorter one's height, along more than
    that height): set lines do not overlap, so one of the two may be hidden."""
    lines = sorted(content.lines, key=lambda line: line.box.top)
    over: dict[int, TextLine] = {}
    for k, line in enumerate(lines):
        for other in lines[k + 1 :]:
            if other.box.top >= line.box.bottom:
                break
            least = min(line.box.height, other.box.height)
            if line.box.v_overlap(other.box) > least / 2 and line.box.h_overlap(other.box) > least:
                over.update({id(line): line, id(other): other})
    objects = {}
    for line in over.values():
        for offset in range(len(line.text)):
            if offset not in line.inserted:
                obj = pdfium_c.FPDFText_GetTextObject(content.textpage.raw, line.char_index(offset))
                if obj:
                    objects[ctypes.cast(obj, ctypes.c_void_p).value] = obj
    return list(objects.values())


def _read_lines(content: PageContent) -> list[TextLine]:
    text = content.text
    rect = _Rect()
    lines: list[TextLine] = []
    start = 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        segment = text[start:end]
        if segment.strip():
            boxes = _text_rects(content, start, end - start, rect)
            if boxes:
                lines.extend(_split_columns(content, segment, start, boxes))
        start = match.end() if match else end
    if sum(line.glued for line in lines) >= _SPACELESS_PAGE_LINES:
        lines = [_unglued(content, line) for line in lines]
    elif sum(1 for line in lines if line.inserted and not line.glued) >= _SPACELESS_PAGE_LINES:
        lines = [_respaced(content, line) for line in lines]
    return _line_numbers_apart(content, _joined_along_rows(content, lines))


def _line_numbers_apart(content: PageContent, lines: list[TextLine]) -> list[TextLine]:
    """A manuscript's line numbers (a preprint's: integers counting up the page's left margin) parted from the
    lines the text layer read them into: "380 Figure 4. Model-based ..." opens a caption once "380" stands apart.
    Only where the numbers at one left edge, left of the page's other lines, count up by one down the page, each set a
    gap clear of its text."""
    numbered = [(line, match) for line in lines if (match := _LINE_NUMBER.match(line.text)) and not line.pieces]
    if len(numbered) < _LINE_NUMBERS_IN_A_RUN:
        return lines
    edge = max(
        {round(line.box.x0) for line, _ in numbered},
        key=lambda x: sum(abs(line.box.x0 - x) <= 1 for line, _ in numbered),
    )
    column = sorted(
        ((line, match) for line, match in numbered if abs(line.box.x0 - edge) <= 1), key=lambda n: n[0].box.top
    )
    values = [int(match[1]) for _, match in column]
    steps = sum(b == a + 1 for a, b in zip(values, values[1:], strict=False))
    if steps < _LINE_NUMBERS_IN_A_RUN - 1 or steps < _COUNTING_SHARE * (len(values) - 1):
        return lines
    numbers = {id(line) for line, _ in column}
    others = [line for line in lines if id(line) not in numbers]
    if sum(line.box.x0 <= edge + 1 for line in others) > _NUMBERED_FROM_INSIDE * len(others):
        return lines  # numbers inside the text (a code listing's, a list's), not in the margin left of it
    parted = {id(line): _parted_number(content, line, match) for line, match in column if match.end() < len(line.text)}
    return [piece for line in lines for piece in parted.get(id(line)) or [line]]


def _parted_number(content: PageContent, line: TextLine, match: re.Match[str]) -> list[TextLine] | None:
    """The line as its number and its text, when a gap of `_NUMBER_GAP_EM` or more parts them; else None."""
    number_end = line.char_index(match.end(1) - 1) + 1
    text_start = line.char_index(match.end())
    if _char_box(content, text_start).x0 - _char_box(content, number_end - 1).x1 < _NUMBER_GAP_EM * line.font_size:
        return None
    text_end = line.char_index(len(line.text) - 1) + 1
    rect = _Rect()
    return [
        _line(content, content.text[first:end], first, _text_rects(content, first, end - first, rect), line.font_size)
        for first, end in ((line.start, number_end), (text_start, text_end))
    ]


def _joined_along_rows(content: PageContent, lines: list[TextLine]) -> list[TextLine]:
    """Lines read in the order their pieces stand along each row, not in the text layer's order.

    pdfium builds lines in the order the page draws its text; a page that draws a piece of a row elsewhere leaves
    it a line of its own, at the place the page drew it. A browser prints each generated figure number after the
    page's text ("Figure : The configuration ..." and, at the page's end, "5.5.1"). A line with such a piece in a
    gap between its characters is opened there; then lines on one row that stand side by side (`_side_by_side`)
    are one line, left to right."""
    lines = _opened_for_pieces(content, lines)
    group = list(range(len(lines)))  # union-find: each line's representative

    def root(k: int) -> int:
        while group[k] != k:
            group[k] = k = group[group[k]]
        return k

    joined = False
    for a, b in _row_pairs(lines):
        if _side_by_side(content, lines[a], lines[b]):
            group[root(b)] = root(a)
            joined = True
    if not joined:
        return lines
    members: dict[int, list[int]] = {}
    for k in range(len(lines)):
        members.setdefault(root(k), []).append(k)
    result = []
    for k, line in enumerate(lines):
        row = members[root(k)]
        if len(row) == 1:
            result.append(line)
        elif k == row[0]:
            result.append(_row_line(sorted((lines[m] for m in row), key=lambda piece: piece.box.x0)))
    return result


def _row_pairs(lines: list[TextLine]) -> Iterator[tuple[int, int]]:
    """The pairs of lines (indices) whose heights overlap: the only ones that may share a row."""
    by_top = sorted(range(len(lines)), key=lambda k: lines[k].box.top)
    for n, a in enumerate(by_top):
        bottom = lines[a].box.bottom
        for b in by_top[n + 1 :]:
            if lines[b].box.top >= bottom:
                break
            yield a, b


def _opened_for_pieces(content: PageContent, lines: list[TextLine]) -> list[TextLine]:
    """Lines cut in two where a piece of their row, a line of its own in the text layer, stands in a gap between
    their characters ("(Figure ); they are typical." with the number "4.2" drawn at the page's end)."""
    pieces: dict[int, list[TextLine]] = {}
    for a, b in _row_pairs(lines):
        for host, piece in ((lines[a], lines[b]), (lines[b], lines[a])):
            if host.box.x0 < piece.box.x0 and piece.box.x1 < host.box.x1 and one_type(content, host, piece):
                pieces.setdefault(a if host is lines[a] else b, []).append(piece)
    if not pieces:
        return lines
    result = []
    for k, line in enumerate(lines):
        for piece in sorted(pieces.get(k, ()), key=lambda piece: piece.box.x0):
            halves = _cut_around(content, line, piece.box)
            if halves is not None:
                result.append(halves[0])
                line = halves[1]
        result.append(line)
    return result


def _cut_around(content: PageContent, line: TextLine, hole: Box) -> tuple[TextLine, TextLine] | None:
    """`line` (read from one run of the text layer) as the parts left and right of `hole`; None where one of its
    characters overlaps the hole (text printed over text) or the hole is not between two of them."""
    boxes = {
        i: _char_box(content, line.char_index(i))
        for i, ch in enumerate(line.text)
        if not ch.isspace() and i not in line.inserted
    }
    if any(box.x0 < hole.x1 - _HOLE_EDGE and box.x1 > hole.x0 + _HOLE_EDGE for box in boxes.values()):
        return None
    left = [i for i, box in boxes.items() if box.cx < hole.cx]
    right = [i for i, box in boxes.items() if box.cx >= hole.cx]
    if not left or not right:
        return None
    end, start = left[-1] + 1, right[0]
    top, bottom = line.box.top, line.box.bottom
    before = replace(
        line,
        text=line.text[:end],
        box=Box(line.box.x0, top, boxes[left[-1]].x1, bottom),
        inserted=tuple(at for at in line.inserted if at < end),
    )
    after = replace(
        line,
        text=line.text[start:],
        box=Box(boxes[start].x0, top, line.box.x1, bottom),
        start=line.char_index(start),
        inserted=tuple(at - start for at in line.inserted if at >= start),
    )
    return before, after


def _side_by_side(content: PageContent, line: TextLine, other: TextLine) -> bool:
    """Two pieces of one line of type next to each other, a word gap apart at most and not overlapping (text printed
    over text stays as it is)."""
    gap = max(line.box.x0, other.box.x0) - min(line.box.x1, other.box.x1)
    size = min(line.font_size, other.font_size)
    return 0 <= gap <= _ROW_PIECE_GAP_EM * size and one_type(content, line, other)


def one_type(content: PageContent, line: TextLine, other: TextLine) -> bool:
    """Two lines on one row in one size and on one baseline: not a superscript, a caption beside the body text
    wrapped around its picture, or a line of rotated text."""
    size = min(line.font_size, other.font_size)
    if max(line.font_size, other.font_size) > (1 + _SAME_TYPE) * size or not _same_row(line.box, other.box):
        return False
    if max(line.box.height, other.box.height) > 2 * size:
        return False
    return _one_baseline(content, line, other, _SAME_TYPE * size)


def _one_baseline(content: PageContent, line: TextLine, other: TextLine, slack: float) -> bool:
    """Whether two lines stand on one baseline at their first characters, or else the one on the right opens with a
    script and goes on on the baseline of the one on the left ("+. For the purpose of" after "blood type A"); a
    superscript alone, or a word of a scan's text layer set off its baseline, stands apart."""
    starts = {id(piece): _baseline(content, piece.start) for piece in (line, other)}
    if abs(starts[id(line)] - starts[id(other)]) <= slack:
        return True
    left, right = sorted((line, other), key=lambda piece: piece.box.x0)
    left_end, right_end = (_baseline(content, piece.char_index(len(piece.text) - 1)) for piece in (left, right))
    rise = _SCRIPT_RISE_EM * min(line.font_size, other.font_size)
    level = abs(starts[id(left)] - left_end) <= slack and abs(right_end - left_end) <= slack
    return level and slack < abs(starts[id(right)] - right_end) <= rise


def _baseline(content: PageContent, char_index: int) -> float:
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(content.textpage.raw, char_index, ctypes.byref(x), ctypes.byref(y))
    return y.value


def _row_line(pieces: list[TextLine]) -> TextLine:
    """Lines of one row (left to right) as one line, a space put between two pieces a word gap apart."""
    main = max(pieces, key=lambda piece: len(piece.text))
    text, box, inserted, starts = pieces[0].text, pieces[0].box, list(pieces[0].inserted), []
    for before, piece in zip(pieces, pieces[1:], strict=False):
        if piece.box.x0 - before.box.x1 > WORD_SPACE_EM * main.font_size:
            inserted.append(len(text))
            text += " "
        starts.append((len(text), piece.start))
        inserted.extend(len(text) + at for at in piece.inserted)
        text += piece.text
        box = box.union(piece.box)
    glued = any(piece.glued for piece in pieces)
    first = pieces[0]
    return TextLine(text, box, main.font_size, first.start, tuple(inserted), glued, tuple(starts), first.italic)


def _text_rects(content: PageContent, start: int, count: int, rect: _Rect) -> list[Box]:
    """pdfium's text rectangles of characters start .. start + count, in page coordinates."""
    raw, height = content.textpage.raw, content.height
    left, top, right, bottom = rect.values  # FPDFText_GetRect's order
    refs = rect.refs
    boxes = []
    for k in range(_COUNT_RECTS(raw, start, count)):
        _RECT_AT(raw, k, *refs)
        # content.to_page_box, inline: a page has hundreds of rectangles
        boxes.append(Box(left.value, height - top.value, right.value, height - bottom.value))
    return boxes


def _printed(content: PageContent, line: TextLine) -> str:
    """The line's text as the text layer has it, without the spaces put back."""
    return content.text[line.start : line.start + len(line.text) - len(line.inserted)]


def _unglued(content: PageContent, line: TextLine) -> TextLine:
    """`line` on a page whose words touch (3+ lines were glued): every token split where the split is plausible
    (a two-word heading "Differentialdiagnosis", a title "Hand,footandmouthdisease")."""
    text, inserted, glued = _spaced(content, _printed(content, line), line.start, line.font_size, page_glued=True)
    return replace(line, text=text, inserted=inserted, glued=glued)


def _respaced(content: PageContent, line: TextLine) -> TextLine:
    """`line` on a page whose text layer lacks word spaces: every word gap put back (a two-word heading, a line
    ending in "sun-exposedskin.")."""
    text, inserted = _word_spaces(content, _printed(content, line), line.start, line.font_size, spaceless=True)
    return replace(line, text=text, inserted=inserted)


def _split_columns(content: PageContent, segment: str, start: int, boxes: list[Box]) -> list[TextLine]:
    """One pdfium line as visual lines. pdfium sometimes joins text across a column gutter, table
    cells, a figure label on the same baseline, or the two halves of a hyphenated word; those rare
    lines are split again from per-character boxes."""
    if len(boxes) == 1:  # most lines: one rectangle is one visual line in one size (the tests below all pass)
        size = _type_size(content, segment, start)
        if boxes[0].width <= _WIDEST_GLYPH_EM * size * len(segment):
            return [_line(content, segment, start, boxes, size)]
    runs = _display_runs(content, segment, start, boxes) or _turned_runs(content, segment, start)
    if runs is not None:
        rect = _Rect()
        return [
            line
            for s0, e0 in runs
            for line in _split_columns(
                content, segment[s0:e0], start + s0, _text_rects(content, start + s0, e0 - s0, rect)
            )
        ]
    size = _type_size(content, segment, start)
    first = boxes[0]
    simple = len(boxes) > 1 and all(_same_row(box, first) for box in boxes)
    if simple:
        ordered = sorted(boxes, key=lambda box: box.x0)
        simple = all(b.x0 - a.x1 <= _COLUMN_GAP_EM * size for a, b in zip(ordered, ordered[1:], strict=False))
    if simple:
        return [_line(content, segment, start, boxes, size)]
    pieces = _split_at_rects(content, segment, start, boxes, size) if len(boxes) > 1 else None
    if pieces is not None:
        return pieces
    raw = content.textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    pieces: list[tuple[int, int, Box, float]] = []  # (first char, end char, box, baseline) per visual line
    for i, ch in enumerate(segment):
        box = _char_box(content, start + i)
        if not ch.strip() or box.width <= 0 or not _ORIGIN_AT(raw, start + i, x_ref, y_ref):
            if pieces:  # spaces and marks go with the text before them
                s0, _, current, baseline = pieces[-1]
                pieces[-1] = (s0, i + 1, current, baseline)
            continue
        if pieces:
            s0, _, current, baseline = pieces[-1]
            # Same visual line: same baseline (superscripts and subscripts shift less than half a size)
            # and no gutter-wide jump.
            if abs(y.value - baseline) < 0.5 * size and -size <= box.x0 - current.x1 <= _COLUMN_GAP_EM * size:
                pieces[-1] = (s0, i + 1, current.union(box), baseline)
                continue
        pieces.append((i if pieces else 0, i + 1, box, y.value))
    result = []
    for s0, e0, box, _ in pieces:
        piece = segment[s0:e0]
        if piece.strip():
            result.append(_line(content, piece, start + s0, [box], _type_size(content, piece, start + s0)))
    return result


def _display_runs(content: PageContent, segment: str, start: int, boxes: list[Box]) -> list[tuple[int, int]] | None:
    """The runs of `segment` in one type size, where pdfium read display type into a line of text: a thumb tab's
    chapter numeral 35 times the text's size spans the page's height, so every line beside it is "on its row" (a
    learner's guide's "3" read with the caption label "Figure 2"). None for a line in one size; a comma's or a
    superscript's rectangle may be much smaller than the line's, its type size is not. Only lines with a rectangle
    that much taller than most of the others are measured glyph by glyph."""
    if len(boxes) < 2:
        return None
    heights = sorted(box.height for box in boxes if box.height > 0)
    if len(heights) < 2 or heights[-1] <= _DISPLAY_SIZE * heights[(len(heights) - 1) // 2]:
        return None
    runs: list[tuple[int, int, float]] = []  # (start, end, type size of the run's first glyph)
    for i, ch in enumerate(segment):
        size = _glyph_height(content, start + i) if ch.strip() else None
        if runs and (size is None or runs[-1][2] / _DISPLAY_SIZE <= size <= runs[-1][2] * _DISPLAY_SIZE):
            runs[-1] = (runs[-1][0], i + 1, runs[-1][2])  # spaces go with the run before them
        elif size is not None:
            runs.append((runs[-1][1] if runs else 0, i + 1, size))
    if len(runs) < 2:
        return None
    return [(s0, e0) for s0, e0, _ in runs if segment[s0:e0].strip()]


def _turned_runs(content: PageContent, segment: str, start: int) -> list[tuple[int, int]] | None:
    """The runs of `segment` set at one angle, where pdfium read text set turned (a photograph's credit set up its
    edge) into a line of upright text (the caption row level with the credit's foot): the two lie on no one row
    whatever their boxes. None for a line at one angle, or where upright text stands in the column a turned run
    reads down (a journal's page number set at the head of its running title turned up the margin: one line, as
    the page furniture it is). Only lines of two or more rectangles are looked at."""
    raw = content.textpage.raw  # looked up once: every character of the line is asked
    angles = {_ANGLE_AT(raw, start + i) for i, ch in enumerate(segment) if ch.strip()}
    if len({_quarter_turns(angle) for angle in angles} - {None}) < 2:
        return None  # one angle, as most lines: one run (the runs below need two angles)
    runs: list[tuple[int, int, int]] = []  # (start, end, the run's angle in quarter turns)
    for i, ch in enumerate(segment):
        angle = _quarter_turns(_ANGLE_AT(raw, start + i)) if ch.strip() else None
        if runs and angle in (None, runs[-1][2]):
            runs[-1] = (runs[-1][0], i + 1, runs[-1][2])  # spaces go with the run before them
        elif angle is not None:
            runs.append((runs[-1][1] if runs else 0, i + 1, angle))
    if len(runs) < 2:
        return None
    boxes = [
        union_all(box for k in range(start + s0, start + e0) if (box := _char_box(content, k)).width > 0)
        for s0, e0, _ in runs
    ]
    turned = [box for box, (_, _, angle) in zip(boxes, runs, strict=True) if box and angle % 2]
    upright = [box for box, (_, _, angle) in zip(boxes, runs, strict=True) if box and not angle % 2]
    if any(
        column.x0 - _IN_COLUMN_PT <= box.x0 and box.x1 <= column.x1 + _IN_COLUMN_PT
        for box in upright
        for column in turned
    ):
        return None
    return [(s0, e0) for s0, e0, _ in runs if segment[s0:e0].strip()]


def _quarter_turns(angle: float) -> int | None:
    """How many quarter turns pdfium's character angle is (0-3, to the nearest); None when pdfium could not say."""
    return None if angle < 0 else round(angle / _QUARTER_TURN) % 4


def _split_at_rects(
    content: PageContent, segment: str, start: int, boxes: list[Box], size: float
) -> list[TextLine] | None:
    """Fast path: pdfium's text rectangles come in character order, so a visual line starts at the
    character under the left edge of its first rectangle. None when that lookup is ambiguous."""
    groups: list[list[Box]] = [[boxes[0]]]
    for box in boxes[1:]:
        last = groups[-1][-1]
        same_line = _same_row(box, last)
        if same_line and -size <= box.x0 - last.x1 <= _COLUMN_GAP_EM * size:
            groups[-1].append(box)
        else:
            groups.append([box])
    cuts = [0]
    for group in groups[1:]:
        first = group[0]
        index = pdfium_c.FPDFText_GetCharIndexAtPos(
            content.textpage.raw, first.x0 + 0.2, content.height - first.cy, 0.5, 0.5 * first.height
        )
        # The character under the left edge may sit mid-line in rotated text (an axis label run into a
        # caption line): the line starts at the first character of the run inside this rectangle.
        while index - 1 - start > cuts[-1] and first.expand(1.0).contains(_char_box(content, index - 1)):
            index -= 1
        if not cuts[-1] < index - start < len(segment):
            return None
        cuts.append(index - start)
    cuts.append(len(segment))
    result = []
    for group, s0, e0 in zip(groups, cuts, cuts[1:], strict=False):
        piece = segment[s0:e0]
        if piece.strip():
            result.append(_line(content, piece, start + s0, group, _type_size(content, piece, start + s0)))
    return result


def _same_row(box: Box, other: Box) -> bool:
    """Two of pdfium's text rectangles on one visual row: they overlap by half the shorter's height, or the
    shorter lies within the other's reach (`within_row`)."""
    return box.is_level_with(other) or within_row(box, other) or within_row(other, box)


def line_above(lines: list[TextLine], i: int) -> TextLine | None:
    """The nearest line above `lines[i]` in its own column (lines are sorted top to bottom): a caption
    beside another caption in a row of figures starts a block although the line before it in reading
    order is its neighbour's; OCR reads a row of a table between a caption's title and its centred last line."""
    line = lines[i]
    above = [other for other in lines[:i] if other.box.h_overlap(line.box) > 0 and other.box.cy < line.box.top]
    return max(above, key=lambda other: other.box.bottom, default=None)


def line_below(lines: list[TextLine], i: int) -> TextLine | None:
    """The nearest line under `lines[i]` in its own column (lines are sorted top to bottom), as `line_above`."""
    line = lines[i]
    below = [other for other in lines[i + 1 :] if other.box.h_overlap(line.box) > 0 and other.box.cy > line.box.bottom]
    return min(below, key=lambda other: other.box.top, default=None)


def within_row(box: Box, row: Box) -> bool:
    """`box`, no taller than `row`, lies within the row's height grown by half of it: a comma, a full stop or a
    subscript on the row. Browsers print text glyph by glyph, and pdfium's rectangle of a comma is then its ink
    alone, half a lower-case letter's height at the baseline."""
    reach = row.height / 2
    return box.height <= row.height and row.top - reach <= box.top and box.bottom <= row.bottom + reach


def _char_box(content: PageContent, char_index: int) -> Box:
    rect = _Rect()
    _CHAR_BOX_AT(content.textpage.raw, char_index, *rect.refs)
    left, right, bottom, top = rect.read()  # FPDFText_GetCharBox's order: left, right, bottom, top
    return content.to_page_box(left, bottom, right, top)


def _type_size(content: PageContent, text: str, start: int) -> float:
    """A line's type size: its first letter's or digit's, unless that letter is odd. A list item's bullet is often set
    in a larger symbol size (a 17.9 pt bullet before 13.8 pt words); read from the bullet, the item's lines were not
    body type. A first letter may be a symbol font's ("(μg/l) concentrations": 9.6 pt in 9 pt type) or a small
    capital ("ARY field is ..."): where no other of five letters spread along the line shares its size, the five's
    median is the line's. A row ending in a long subscript ("(GPT-3.5 TriSum).") keeps its first letter's."""
    first = next((i for i, ch in enumerate(text) if ch.isalnum()), None)
    if first is None:
        return _glyph_height(content, start + len(text) - len(text.lstrip()))
    last = next(i for i in range(len(text) - 1, first - 1, -1) if text[i].isalnum())
    size = _glyph_height(content, start + first)
    if last == first or _glyph_height(content, start + last) == size:
        return size
    letters = [i for i, ch in enumerate(text) if ch.isalnum()]
    spread = [_glyph_height(content, start + letters[k * (len(letters) - 1) // 4]) for k in range(5)]
    return size if size in spread[1:] else sorted(spread)[2]


def _glyph_height(content: PageContent, char_index: int) -> float:
    """The font size as drawn: the nominal size scaled by the text and graphics matrices (a chart
    drawn at 20 pt inside a form scaled by 0.3 is 6 pt text). A size far under the glyph's own box is a Type 3
    font's, scaled by its font matrix, which pdfium leaves out (a dvips PDF's bitmap fonts: 0.2 pt for 6 pt type):
    the box's height stands for it."""
    raw = content.textpage.raw
    nominal = _FONT_SIZE_AT(raw, char_index)
    matrix = pdfium_c.FS_MATRIX()
    size = nominal if nominal > 0 else 10.0
    if nominal > 0 and _MATRIX_AT(raw, char_index, ctypes.byref(matrix)):
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        size = nominal * scale if scale > 0 else size
    rect = pdfium_c.FS_RECTF()
    if size < _UNSCALED_PT and _LOOSE_BOX_AT(raw, char_index, ctypes.byref(rect)):
        loose, tight = abs(rect.top - rect.bottom), _char_box(content, char_index).height
        # A Type 3 font's loose box comes from its FontBBox, which some producers leave far too large (a Word PDF's
        # 120 pt for 6 pt letters): then the glyph's own box is the better measure.
        return max(size, loose if loose <= _LOOSE_BOX_SLACK * tight else tight)
    return size


def _line(content: PageContent, text: str, start: int, boxes: list[Box], size: float) -> TextLine:
    box = boxes[0]
    for other in boxes[1:]:
        box = box.union(other)
    stripped = text.strip()
    first = start + text.index(stripped[0])
    spaced, inserted, glued = _spaced(content, stripped, first, size)
    return TextLine(spaced, box, float(size), first, inserted, glued, italic=content.is_italic(first))


def _spaced(
    content: PageContent, text: str, first: int, size: float, page_glued: bool = False
) -> tuple[str, tuple[int, ...], bool]:
    """`text` with the word spaces its text layer lacks: from the glyph gaps, or by the dictionary where the words
    touch (`looks_glued`, or any line of a `page_glued`); the offsets of the inserted spaces, and whether the
    dictionary put any back. Only lines with a long run without spaces are measured."""
    long_run = _RUN_TOGETHER.search(text) is not None
    spaced, inserted = _word_spaces(content, text, first, size) if long_run else (text, ())
    if not (page_glued or (long_run and looks_glued(spaced))):
        return spaced, inserted, False
    split, added = split_glued_words(spaced, page_glued)
    if not added:
        return spaced, inserted, False
    # The spaces put back from gaps move right by the dictionary's spaces before them.
    moved = [at + sum(1 for count, new in enumerate(added) if new - count <= at) for at in inserted]
    return split, tuple(sorted([*moved, *added])), True


def _word_spaces(
    content: PageContent, text: str, first: int, size: float, spaceless: bool = False
) -> tuple[str, tuple[int, ...]]:
    """`text` with the word spaces its text layer lacks put back, and the offsets of the inserted spaces.

    pdfium inserts a space only for a gap over about a quarter of a glyph; tightly set e-book text has narrower
    word gaps and no space glyphs. In a run of 20+ characters without a space, a gap between two glyphs of one
    size on one baseline (a subscript is set apart from what follows by its smaller advance), where a word may
    end (`_may_break`) and wider than the run's usual letter gap, is a word gap, when the run holds two or more
    of them: a single wide gap is kerning or letter-spacing of one word ("Acknowled gments"). On a `spaceless`
    page every run counts, one gap is enough, and a glyph ends at its advance (`_glyph`).
    """
    runs, min_gaps = (_ANY_RUN, 1) if spaceless else (_RUN_TOGETHER, 2)
    breaks: list[int] = []
    for run in runs.finditer(text):
        if sum(ch.isalpha() for ch in run.group()) < 3:
            continue  # a leader of dots or dashes, a number
        glyphs = {i: _glyph(content, first + i, spaceless) for i in range(run.start(), run.end())}
        if spaceless:
            _ligatures_whole(content, glyphs, first)
        gaps = {}
        for i in range(run.start() + 1, run.end()):
            left, right = glyphs[i - 1], glyphs[i]
            if left is None or right is None or not _may_break(text[i - 1], text[i]):
                continue
            if abs(left[2] - right[2]) <= 0.1 * size and abs(left[3] - right[3]) <= 0.05 * max(left[3], 0.1):
                gaps[i] = right[0] - left[1]
        usual = max(0.0, sorted(gaps.values())[len(gaps) // 2]) if gaps else 0.0
        wide = [i for i, gap in gaps.items() if gap > _WORD_GAP_EM * size + usual]
        if len(wide) >= min_gaps:
            breaks += wide
    return spaces_at(text, breaks)


def _ligatures_whole(
    content: PageContent, glyphs: dict[int, tuple[float, float, float, float] | None], first: int
) -> None:
    """The later characters of each ligature in `glyphs` (offsets from `first`) given the ligature's right edge: pdfium
    gives every character of a ligature glyph ("fi", "ff", "Th") its origin and box, and the advance of a later one
    alone ("i") ends short of the glyph, a gap that read as a word space ("identifi ed", "Th ese" on a BMC page whose
    text layer lacks spaces)."""
    for i in sorted(glyphs)[1:]:
        before, glyph = glyphs.get(i - 1), glyphs[i]
        if before is not None and glyph is not None and glyph[0] == before[0]:
            glyphs[i] = _glyph(content, first + i)  # its loose box: the whole ligature's


def _may_break(before: str, after: str) -> bool:
    """A word can end after `before` and start at `after`: next to a letter or digit, or between a word's end
    ("." ")" ",") and an opening bracket or quote ("rash. (credit"); not inside a leader of dots or dashes."""
    return before.isalnum() or after.isalnum() or (before in _WORD_END and after in _WORD_START)


def _glyph(content: PageContent, index: int, advance: bool = False) -> tuple[float, float, float, float] | None:
    """(left, right) of a character's loose box, its baseline and font size; None without a box. With `advance`,
    the right edge is the origin plus the font's advance width where the font gives one: the loose box reaches
    over the advance to the ink of an overhanging glyph (Times' "f"), which hides part of the gap after it (on
    pages with spaces, kerned and letter-spaced words then show gaps: "Ac kno wl ed g ment s")."""
    raw = content.textpage.raw
    rect, x, y = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    if not _LOOSE_BOX_AT(raw, index, ctypes.byref(rect)):
        return None
    if not _ORIGIN_AT(raw, index, ctypes.byref(x), ctypes.byref(y)):
        return None
    size = _FONT_SIZE_AT(raw, index)
    right = rect.right
    if not advance:
        return rect.left, right, y.value, size
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(raw, index))
    width, matrix = ctypes.c_float(), pdfium_c.FS_MATRIX()
    if (
        font
        and pdfium_c.FPDFFont_GetGlyphWidth(font, pdfium_c.FPDFText_GetUnicode(raw, index), size, ctypes.byref(width))
        and pdfium_c.FPDFText_GetMatrix(raw, index, ctypes.byref(matrix))
        and width.value > 0
    ):
        advanced = x.value + width.value * abs(matrix.a)
        if rect.left < advanced < rect.right:  # an origin off the glyph (some producers) is no measure
            right = advanced
    return rect.left, right, y.value, size


def flat_fill(graphic: Graphic) -> int | None:
    """The grey level (as pdfium renders grey: 0.30 R + 0.59 G + 0.11 B) of a path that fills a quadrilateral with one
    opaque colour, a card or a band drawn behind pictures; None for any other graphic."""
    return _fill_grey(graphic, _QUADRILATERAL_SEGMENTS)


def card_fill(graphic: Graphic) -> int | None:
    """The grey level (as `flat_fill`) of a card: a path filled with one opaque colour, a rectangle square or rounded
    at its corners (a designed page's panel that text is printed on); None for any other graphic."""
    return _fill_grey(graphic, _CARD_SEGMENTS)


def stroked_outline(graphic: Graphic) -> bool:
    """A path that strokes a quadrilateral and fills nothing: a frame drawn round a text box (a browser's CSS border)."""
    return _draw_modes(graphic, _QUADRILATERAL_SEGMENTS) == (False, True)


def _draw_modes(graphic: Graphic, most_segments: int) -> tuple[bool, bool] | None:
    """Whether a path of `most_segments` segments at most is filled and stroked; None for any other graphic."""
    if (
        graphic.kind != "path"
        or graphic.handle is None
        or pdfium_c.FPDFPageObj_GetType(graphic.handle) != pdfium_c.FPDF_PAGEOBJ_PATH
    ):
        return None
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(graphic.handle, ctypes.byref(fill), ctypes.byref(stroke)):
        return None
    if pdfium_c.FPDFPath_CountSegments(graphic.handle) > most_segments:
        return None
    return bool(fill.value), bool(stroke.value)


def _fill_grey(graphic: Graphic, most_segments: int) -> int | None:
    """The grey level of a path of `most_segments` segments at most filled with one opaque colour, else None."""
    modes = _draw_modes(graphic, most_segments)
    if modes is None or not modes[0]:
        return None
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(graphic.handle, *map(ctypes.byref, (r, g, b, a))) or a.value < 255:
        return None
    return round((30 * r.value + 59 * g.value + 11 * b.value) / 100)


def flat_raster(page: PageContent, graphic: Graphic) -> bool:
    """An image whose pixels are all one colour: a tint laid as a raster (a designed cover's masthead band, with
    the title set on it as text), no picture of its own nor a tile of the photograph it abuts."""
    if graphic.kind != "image" or not graphic.pixel_size:
        return False
    width, height = graphic.pixel_size
    if width * height == 1:
        return True  # one pixel is one colour, a stencil mask's too (a table whose cell tints are one-pixel images)
    if graphic.stream_size is None:
        return False
    if graphic.stream_size * _FLAT_PIXELS_PER_BYTE > width * height:
        return False
    bitmap = _own_pixels(page, graphic)
    return bitmap is not None and one_colour(bitmap)  # no plain bitmap (a stencil mask): not known to be flat


def decodes(page: PageContent, graphic: Graphic) -> bool:
    """pdfium reads the image's own pixels: a corrupt stream, which draws nothing on the page either, does not (its
    error is the output's to report, when the figure's picture is decoded)."""
    return _own_pixels(page, graphic) is not None


def _own_pixels(page: PageContent, graphic: Graphic) -> pdfium.PdfBitmap | None:
    """The image's pixels as stored, unrendered; None where pdfium gives no plain bitmap (stencil masks, some colour
    spaces, a corrupt stream)."""
    try:
        return pdfium.PdfImage(graphic.handle, page=page.pdf_page).get_bitmap(render=False)
    except (pdfium.PdfiumError, OSError, ValueError):
        return None


def one_colour(bitmap: pdfium.PdfBitmap) -> bool:
    """Every pixel of the bitmap has one colour (its grey level, or its blue, green and red; an alpha or unused fourth
    byte aside), read where pdfium wrote it: a page-sized bilevel scan (50-86 Mpx) copied to RGB and each band copied
    again took 0.6 s and 350 MB. Rows are compared with the first pixel a slice of rows at a time, as whole rows of
    bytes (a 3-byte pixel's channels one by one, as a minimum and maximum per channel, took 40x as long: 0.23 s for 197
    tints) or, for 4-byte pixels, as words with the fourth byte masked off."""
    pixels = bitmap.to_numpy()
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    height, width, channels = pixels.shape
    if channels == 4:
        rows, mask = pixels.view("<u4")[..., 0], _COLOUR_BYTES  # little-endian: the fourth byte is the word's highest
        first = rows[0, 0] & mask
    else:
        rows = np.lib.stride_tricks.as_strided(pixels, (height, width * channels), (pixels.strides[0], 1))
        mask, first = None, np.tile(pixels[0, 0], width)
    step = max(1, _FLAT_SLICE_BYTES // rows[0].nbytes)
    for top in range(0, height, step):
        part = rows[top : top + step]
        if not ((part if mask is None else part & mask) == first).all():
            return False
    return True


def cut_round(graphic: Graphic) -> bool:
    """An image clipped to one closed outline drawn mostly in curves (a circle, an oval, a blob, one cut by its
    neighbour's edge): a photograph cut to a round shape, as designed pages cut their ornamental photographs. A
    figure's frame is a rectangle, its corners perhaps rounded (long straight sides between short curves)."""
    if graphic.kind != "image" or graphic.handle is None:
        return False
    clip = pdfium_c.FPDFPageObj_GetClipPath(graphic.handle)
    return bool(clip) and any(_round_path(clip, path) for path in range(pdfium_c.FPDFClipPath_CountPaths(clip)))


def _round_path(clip, path: int) -> bool:
    """One closed outline whose straight sides make less than half its length."""
    outlines, straight, curved = _clip_outlines(clip, path)
    return outlines == 1 and straight < curved


def clipped_to_lettering(graphic: Graphic, letters: int) -> bool:
    """An image clipped to the outlines of `letters` or more letters (separate outlines drawn mostly in curves): a
    line of display type set as a picture showing through its glyphs. A figure's clip is its frame: one outline,
    or straight-sided ones (held-out 33's portrait is clipped to six)."""
    if graphic.kind != "image" or graphic.handle is None:
        return False
    clip = pdfium_c.FPDFPageObj_GetClipPath(graphic.handle)
    if not clip:
        return False
    for path in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        outlines, straight, curved = _clip_outlines(clip, path)
        if outlines >= letters and straight < curved:
            return True
    return False


def _clip_outlines(clip, path: int) -> tuple[int, float, float]:
    """How many outlines one path of a clip holds, and the lengths of its straight and its curved segments (a curve's
    length taken as its control points' polygon's, which is no shorter)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    straight = curved = 0.0
    last, starts = None, 0
    for k in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, path)):
        segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, k)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        kind, point = pdfium_c.FPDFPathSegment_GetType(segment), (x.value, y.value)
        starts += kind == pdfium_c.FPDF_SEGMENT_MOVETO
        if last is not None and kind == pdfium_c.FPDF_SEGMENT_LINETO:
            straight += math.dist(last, point)
        elif last is not None and kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            curved += math.dist(last, point)
        last = point
    return starts, straight, curved


def slanted_steps(graphic: Graphic) -> int:
    """How many segments of a path, or of the paths in a form (a chart kept whole as one), run neither level nor
    upright: the steps of a line chart's data line (a table's rules, a frame or a grid has none). 0 for any other
    graphic. Points are in each path's own space, which a rotation or a skew would tilt, but charts are drawn
    upright."""
    if graphic.kind != "path" or graphic.handle is None:
        return 0
    steps, objects = 0, [graphic.handle]
    while objects:
        obj = objects.pop()
        kind = _OBJECT_TYPE(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            steps += _path_slanted_steps(obj)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            objects += [pdfium_c.FPDFFormObj_GetObject(obj, k) for k in range(pdfium_c.FPDFFormObj_CountObjects(obj))]
    return steps


def _path_slanted_steps(path) -> int:
    x, y = ctypes.c_float(), ctypes.c_float()
    steps, last = 0, None
    for k in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, k)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = (x.value, y.value)
        if last is not None and pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_LINETO:
            steps += abs(point[0] - last[0]) > _LEVEL_PT and abs(point[1] - last[1]) > _LEVEL_PT
        last = point
    return steps


def _read_graphics(content: PageContent, forms: list, fonts: set[int]) -> list[Graphic]:
    """The page's images, paths and shadings, a form opened where it is large or a placed raster; the page's own
    forms are added to `forms` and its text objects' fonts (their addresses) to `fonts` on the way (one walk of the
    page's objects serves all three)."""
    graphics: list[Graphic] = []
    page_area = content.width * content.height
    rect = _Rect(ctypes.c_float)
    pixel_w, pixel_h = ctypes.c_uint(), ctypes.c_uint()

    # Small forms of nothing but images, kept whole for now: (the graphic standing for the form, its objects' matrix).
    rasters: list[tuple[Graphic, tuple[float, ...]]] = []

    def visit(obj, matrix: tuple[float, ...] | None) -> list[tuple[object, tuple[float, ...]]]:
        """Reads one object; of a form to open, returns its objects (with their matrix) to visit next."""
        kind = _OBJECT_TYPE(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            fonts.add(_FONT_OF(obj))
            return []
        if not _OBJECT_BOUNDS(obj, *rect.refs):
            return []
        left, bottom, right, top = rect.read()
        if matrix is not None:
            left, bottom, right, top = _transform(matrix, left, bottom, right, top)
        box = content.to_page_box(left, bottom, right, top)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if matrix is None:
                forms.append(obj)
            if box.area < _OPEN_FORM_AREA * page_area:
                _form_fonts(obj, fonts)
                graphics.append(Graphic("path", box, obj))
                if _holds_only_images(obj):
                    rasters.append((graphics[-1], _form_matrix(obj, matrix)))
                return []
            inner = _form_matrix(obj, matrix)
            return [
                (pdfium_c.FPDFFormObj_GetObject(obj, k), inner) for k in range(pdfium_c.FPDFFormObj_CountObjects(obj))
            ]
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            if box.width <= _DOT_IMAGE_PT and box.height <= _DOT_IMAGE_PT:
                return []
            pdfium_c.FPDFImageObj_GetImagePixelSize(obj, ctypes.byref(pixel_w), ctypes.byref(pixel_h))
            stream_size = pdfium_c.FPDFImageObj_GetImageDataRaw(obj, None, 0)
            visible = _clipped(content, obj, matrix, box)
            if visible is None:
                return []  # hidden: not on the page
            placed = box if visible is not box else None
            graphics.append(Graphic("image", visible, obj, (pixel_w.value, pixel_h.value), stream_size, placed))
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            graphics.append(Graphic("path", box, obj))
        elif kind == pdfium_c.FPDF_PAGEOBJ_SHADING:
            graphics.append(Graphic("shading", box, obj))
        return []

    # A stack in reading order, not a `visit` that calls itself: a nested function that refers to itself is a reference
    # cycle through its closure, which kept every page (a scanned page's raster with it, ~65 MB) alive until Python's
    # cyclic collector ran, and a long scanned book's memory climbed 1 GB between its runs.
    page = content.pdf_page.raw
    stack = [(_OBJECT_AT(page, k), None) for k in reversed(range(pdfium_c.FPDFPage_CountObjects(page)))]
    while stack:
        obj, matrix = stack.pop()
        stack += reversed(visit(obj, matrix))
    opened: dict[int, list[Graphic]] = {}  # a raster placed on its own is that picture: its form is opened
    for form, inner in rasters:
        if _drawn_over(form, graphics):
            continue
        start = len(graphics)
        for k in range(pdfium_c.FPDFFormObj_CountObjects(form.handle)):
            visit(pdfium_c.FPDFFormObj_GetObject(form.handle, k), inner)
        opened[id(form)] = graphics[start:]
        del graphics[start:]
    return [part for graphic in graphics for part in opened.get(id(graphic), [graphic])]


def _drawn_over(form: Graphic, graphics: list[Graphic]) -> bool:
    """Vector art drawn over a placed raster (outlines, hatching, labels' boxes on an image fill): the raster is part of
    a drawing, and its form stays one graphic of it. A frame around it is not over it."""
    return any(
        g.kind != "image"
        and g is not form
        and form.box.overlap_area(g.box) > 0.5 * g.box.area
        and not g.box.contains(form.box)
        for g in graphics
    )


def raster_under_strokes(graphic: Graphic) -> bool:
    """A placed raster with vector strokes drawn over it (a line drawing's leader lines or a rule parting its two
    scenes, stroked over the scanned art): `_read_graphics` keeps its form whole as one graphic, a picture as an
    image is."""
    handle = graphic.handle
    return (
        graphic.kind == "path"
        and handle is not None
        and _OBJECT_TYPE(handle) == pdfium_c.FPDF_PAGEOBJ_FORM
        and _holds_only_images(handle)
    )


def _holds_only_images(form) -> bool:
    """A form of nothing but images: the wrapper a layout program writes around a placed raster (InDesign,
    Distiller), which is that picture, not a drawing to keep whole (unless `_drawn_over`)."""
    count = pdfium_c.FPDFFormObj_CountObjects(form)
    return count > 0 and all(
        _OBJECT_TYPE(pdfium_c.FPDFFormObj_GetObject(form, k)) == pdfium_c.FPDF_PAGEOBJ_IMAGE for k in range(count)
    )


def _clipped(content: PageContent, obj, matrix: tuple[float, ...] | None, box: Box) -> Box | None:
    """The part of `box` (an object's page box) that its clipping path lets show: the box cut to every clip path's
    bounds (a clip of several paths shows only where they all overlap); `box` itself when the clip cuts off no
    more than a hairline; None when it shows nothing of it. Print-replica books place a whole photo and clip it to
    the picture printed (an InDesign frame), so the image's bounds reach over the text and captions around it; MDPI
    papers place each figure as the author's manuscript page clipped to that figure, so every other picture of the
    page is drawn there too, wholly hidden (held-out 40 deoxyshikonin p. 8: Figure 7's photographs drawn again under
    Figure 6's two blots, which they joined into one picture)."""
    visible = box
    for part in _clip_boxes(content, obj, matrix):
        shown = visible.intersection(part)
        if shown is None:
            return None
        visible = shown
    cut = max(visible.x0 - box.x0, visible.top - box.top, box.x1 - visible.x1, box.bottom - visible.bottom)
    return visible if cut > _CLIP_HAIRLINE else box


def _clip_boxes(content: PageContent, obj, matrix: tuple[float, ...] | None) -> list[Box]:
    """The page box of each path of an object's clip (what shows is where they all overlap); [] without a clip.
    The paths are in the space of the object's form, so `matrix` (the form's) takes them to the page."""
    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return []
    boxes = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for path in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for k in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, path)):
            segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, k)
            if pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
                xs.append(x.value)
                ys.append(y.value)
        if not xs:
            continue
        bounds = (min(xs), min(ys), max(xs), max(ys))
        if matrix is not None:
            bounds = _transform(matrix, *bounds)
        boxes.append(content.to_page_box(*bounds))
    return boxes


def _form_matrix(form, outer: tuple[float, ...] | None) -> tuple[float, ...]:
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(form, ctypes.byref(m))
    inner = (m.a, m.b, m.c, m.d, m.e, m.f)
    return inner if outer is None else _compose(inner, outer)


def _compose(first: tuple[float, ...], then: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = first
    A, B, C, D, E, F = then
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _transform(m: tuple[float, ...], left: float, bottom: float, right: float, top: float) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    xs, ys = [], []
    for x, y in ((left, bottom), (left, top), (right, bottom), (right, top)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return min(xs), min(ys), max(xs), max(ys)
