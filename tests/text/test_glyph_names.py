"""TeX's glyph names outside the Adobe Glyph List, and the codes of a Type 1 program they name."""

from __future__ import annotations

from pdfminer.glyphlist import glyphname2unicode

from fixtures.type1 import type1_program
from mmskin_build.text.glyph_names import TEX_GLYPHS, builtin_encoding, tex_symbol_codes


def test_tex_glyph_names_only_complement_the_adobe_glyph_list():
    # A name the AGL knows is read right by pdfium already; each entry is one character, so every index keeps its box.
    assert not [name for name in TEX_GLYPHS if name in glyphname2unicode]
    assert all(len(char) == 1 for char in TEX_GLYPHS.values())


def test_the_codes_a_type1_program_names_by_tex_names():
    clear, secret, trailer = type1_program(
        b"CMSY10", {13: b"circlecopyrt", 48: b"prime", 50: b"element", 107: b"bardbl"}
    )
    program = clear + secret + trailer
    assert builtin_encoding(program) == {13: "circlecopyrt", 48: "prime", 50: "element", 107: "bardbl"}
    assert tex_symbol_codes(program) == {13: "\u25ef", 48: "\u2032", 107: "\u2225"}


def test_a_code_read_as_a_character_another_glyph_is_named_for_is_left_alone():
    # A "zero" at 49 reads as "0" too: a "0" in the text may be that glyph, so the prime at 48 is not taken for it.
    clear, secret, trailer = type1_program(b"Mixed", {48: b"prime", 49: b"zero", 107: b"bardbl"})
    assert tex_symbol_codes(clear + secret + trailer) == {107: "\u2225"}


def test_programs_of_other_kinds_name_no_codes():
    assert tex_symbol_codes(b"\x00\x01\x00\x00 a TrueType program") == {}
    assert tex_symbol_codes(b"%!PS-AdobeFont-1.0: Times\n/Encoding StandardEncoding def\ncurrentfile eexec\n") == {}
