"""Text rules shared by the stages: figure labels and line-break hyphenation, each defined once."""
