"""What the glyphs of a Type 1 font program's own encoding stand for, read from their names.

TeX's math fonts (Computer Modern's symbol, math italic and extension fonts, the AMS symbol fonts and their clones in
other faces) are often embedded as Type 1 programs with neither a /ToUnicode map nor an /Encoding, or with a map of
the AGL-named glyphs only: the program's own encoding array (`dup 48 /prime put`) is then the only record of which glyph
a code draws. A PDF reader maps such a glyph
to a character through the Adobe Glyph List (AGL); TeX names many of its symbols outside that list ("prime",
"bardbl", "circlecopyrt", "lscript", the sized delimiters), and such a glyph is then read as its code taken for a
character: a prime as "0", a double bar as "k", a large circle as a carriage return. `TEX_GLYPHS` holds what those
names stand for (as pdfTeX's glyph-to-Unicode table and unicode-math give them), only names the AGL lacks: a name the
AGL knows was already read right.
"""

from __future__ import annotations

import re

from pdfminer.glyphlist import glyphname2unicode

# Brackets the symbol font holds in text size and the extension font in four larger sizes.
_BRACKETS = {
    "floorleft": "\u230a",
    "floorright": "\u230b",
    "ceilingleft": "\u2308",
    "ceilingright": "\u2309",
    "angbracketleft": "\u27e8",
    "angbracketright": "\u27e9",
}
# Sized delimiters and operators of the math extension font (parenleftbig ... summationdisplay) are one character.
_DELIMITERS = {
    "parenleft": "(",
    "parenright": ")",
    "bracketleft": "[",
    "bracketright": "]",
    "braceleft": "{",
    "braceright": "}",
    **_BRACKETS,
    "slash": "/",
    "backslash": "\\",
    "radical": "\u221a",
}
_OPERATORS = {
    "summation": "\u2211",
    "product": "\u220f",
    "coproduct": "\u2210",
    "integral": "\u222b",
    "contintegral": "\u222e",
    "union": "\u22c3",
    "intersection": "\u22c2",
    "logicaland": "\u22c0",
    "logicalor": "\u22c1",
    "circleplus": "\u2a01",
    "circlemultiply": "\u2a02",
    "circledot": "\u2a00",
    "unionmulti": "\u2a04",
    "unionsq": "\u2a06",
}
# A large circle; a letter set small inside it is a registered or copyright sign (see CIRCLED).
LARGE_CIRCLE = "\u25ef"
_SYMBOLS = {
    # the symbol font (OMS encoding)
    "prime": "\u2032",
    "bardbl": "\u2225",
    "circlecopyrt": LARGE_CIRCLE,
    "diamondmath": "\u22c4",
    "circleminus": "\u2296",
    "circledivide": "\u2298",
    "circledot": "\u2299",
    "equivasymptotic": "\u224d",
    "precedesequal": "\u2aaf",
    "followsequal": "\u2ab0",
    "lessmuch": "\u226a",
    "greatermuch": "\u226b",
    "follows": "\u227b",
    "arrownortheast": "\u2197",
    "arrowsoutheast": "\u2198",
    "arrownorthwest": "\u2196",
    "arrowsouthwest": "\u2199",
    "similarequal": "\u2243",
    "owner": "\u220b",
    "triangle": "\u25b3",
    "triangleinv": "\u25bd",
    "mapsto": "\u21a6",
    "Rfractur": "\u211c",
    "Ifractur": "\u2111",
    "latticetop": "\u22a4",
    "unionmulti": "\u228e",
    "turnstileleft": "\u22a2",
    "turnstileright": "\u22a3",
    **_BRACKETS,
    "arrowbothv": "\u2195",
    "arrowdblbothv": "\u21d5",
    "wreathproduct": "\u2240",
    "coproduct": "\u2210",
    "unionsq": "\u2294",
    "intersectionsq": "\u2293",
    "unionsqequal": "\u2291",
    "intersectionsqequal": "\u2292",
    # the math italic font (OML)
    "lscript": "\u2113",
    "star": "\u22c6",
    "epsilon1": "\u03f5",
    "pi1": "\u03d6",
    "rho1": "\u03f1",
    "harpoonleftup": "\u21bc",
    "harpoonleftdown": "\u21bd",
    "harpoonrightup": "\u21c0",
    "harpoonrightdown": "\u21c1",
    "triangleright": "\u25b7",
    "triangleleft": "\u25c1",
    "slurbelow": "\u2323",
    "slurabove": "\u2322",
    "flat": "\u266d",
    "natural": "\u266e",
    "sharp": "\u266f",
    # the AMS symbol fonts
    "lessorsimilar": "\u2272",
    "greaterorsimilar": "\u2273",
    "lessorequalslant": "\u2a7d",
    "greaterorequalslant": "\u2a7e",
}
TEX_GLYPHS = {
    **_SYMBOLS,
    **{f"{name}{size}": char for name, char in _DELIMITERS.items() for size in ("big", "Big", "bigg", "Bigg")},
    **{f"{name}{style}": char for name, char in _OPERATORS.items() for style in ("text", "display")},
}
# A letter set inside a large circle, and the sign the two print.
CIRCLED = {"R": "\u00ae", "r": "\u00ae", "C": "\u00a9", "c": "\u00a9"}

_ENCODING_ENTRY = re.compile(rb"dup\s+(\d{1,3})\s*/([A-Za-z0-9._]+)\s+put")
_CLEAR_TEXT_END = b"eexec"


def builtin_encoding(program: bytes) -> dict[int, str]:
    """Code -> glyph name of a Type 1 program's own encoding array (its clear-text part, before `eexec`); empty for a
    program of another kind (CFF, TrueType) or one that uses the standard encoding."""
    if not program.startswith(b"%!"):
        return {}
    end = program.find(_CLEAR_TEXT_END)
    clear = program[: end if end >= 0 else len(program)]
    return {int(code): name.decode("ascii") for code, name in _ENCODING_ENTRY.findall(clear) if int(code) < 256}


def tex_symbol_codes(program: bytes) -> dict[int, str]:
    """Code -> character for each code of a Type 1 program's own encoding whose glyph TeX names outside the AGL: the
    code a reader takes for a character. A code is left out when another glyph of the font is named for the character
    the code reads as (a "zero" besides a "prime" at 48): that character may be read right."""
    encoding = builtin_encoding(program)
    named = {glyphname2unicode.get(name) for name in encoding.values()}
    return {code: TEX_GLYPHS[name] for code, name in encoding.items() if name in TEX_GLYPHS and chr(code) not in named}
