"""Text rules shared by the stages: figure labels, panel markers, line-break hyphenation and word breaks put back
into glued text, each defined once."""
