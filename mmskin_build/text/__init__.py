"""Text rules shared by the stages: figure labels, panel markers, line-break hyphenation, word breaks put back
into glued text and what TeX's glyph names stand for, each defined once."""
