"""Caption cleaning: label and credits moved out, ligatures and hyphenation repaired, panels kept aligned."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from mmskin_build.text.hyphenation import repair_hyphenation
from mmskin_build.text.labels import CAPTION_START, caption_type, normalise_label
from mmskin_build.text.panel_markers import first_marker

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")

_CREDIT_START = (
    r"(?:(?:Photo(?:graph)?s?|Images?|Figure|Slides?)\s+)?courtesy(?:\s+of)?|"
    r"(?:Reproduced|Reprinted|Adapted|Modified|Redrawn)\s+(?:with\s+(?:kind\s+)?permission\s+)?from|"
    r"(?:Reproduced|Reprinted|Used)\s+(?:with|by)\s+(?:kind\s+)?permission|"
    r"Copyright|©"
)
# A parenthesised credit anywhere: "(Courtesy of Dr. A.)", "(From Smith J, 2001, with permission.)".
# "(From left to right: ...)" describes the layout, not a source.
_CREDIT_PAREN = re.compile(
    rf"\(\s*(?:{_CREDIT_START}|From\s(?!(?:the\s)?(?:left|right|top|bottom|above|below)\b))[^()]*(?:\([^()]*\)[^()]*)*\)",
    re.IGNORECASE,
)
# An unparenthesised credit runs from its first word to the end of the caption.
_CREDIT_TAIL = re.compile(rf"(?:^|(?<=[.;:])\s+)(?:{_CREDIT_START})(?![A-Za-z]).*$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class CleanCaption:
    """A caption split into its parts."""

    text: str
    label: str | None
    credit: str | None


def normalise_text(text: str) -> str:
    """NFKC (ligatures ﬁ ﬂ become fi fl), invisible characters removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\u2010", "-").replace("\u2011", "-")
    return text


def collapse_whitespace(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    return text.strip()


def split_label(text: str) -> tuple[str | None, str]:
    """('12.3', rest) for 'Figure 12.3. rest'; (None, text) when the caption does not start with a label."""
    match = CAPTION_START.match(text)
    if not match or caption_type(match["prefix"]) != "Figure":
        return None, text
    return normalise_label(match["label"]), text[match.end() :]


def split_credits(text: str) -> tuple[str, str | None]:
    """The caption without its credits, and the credits joined by '; ' (None when there is none)."""
    credits: list[str] = []

    def take(match: re.Match[str]) -> str:
        credits.append(match.group(0).strip().strip("()").strip())
        return " "

    text = _CREDIT_PAREN.sub(take, text)
    text = _CREDIT_TAIL.sub(take, text)
    credits = [c.rstrip(".;, ") for c in credits if c]
    return collapse_whitespace(text), "; ".join(credits) or None


def clean_caption(raw: str | None, label: str | None = None) -> CleanCaption:
    """Clean one caption. `label` (from the figures table) wins over the one parsed from the text."""
    if not raw:
        return CleanCaption(text="", label=label, credit=None)
    text = repair_hyphenation(normalise_text(raw))
    # The label is read before spaces before full stops are collapsed: "12 . 3" is one label, "4. 6 traces" not.
    parsed_label, text = split_label(re.sub(r"\s+", " ", text).strip())
    text = collapse_whitespace(text)
    text, credit = split_credits(text)
    text = text.lstrip(".:|—–- ").strip()
    return CleanCaption(text=text, label=label or parsed_label, credit=credit)


def strip_panel_marker(subcaption: str, letter: str | None) -> str:
    """'(b) Nail pitting.' -> 'Nail pitting.' for panel b; a leading word such as 'A man' is kept."""
    if not letter:
        return subcaption
    pattern = rf"^\s*(?:\(\s*{re.escape(letter)}\s*\)|{re.escape(letter)}\s*[,:.)])\s*"
    return re.sub(pattern, "", subcaption, count=1, flags=re.IGNORECASE)


def panel_caption(figure_caption: str, subcaption: str | None) -> str:
    """The caption of one panel: the figure's lead text (before the first panel marker) plus its sub-caption.

    Without a sub-caption, or when the caption has no panel markers to split on, the whole caption.
    """
    if not subcaption:
        return figure_caption
    if not figure_caption:
        return subcaption
    marker = first_marker(figure_caption)
    if not marker:
        return figure_caption
    lead = figure_caption[: marker.start()].strip()
    return collapse_whitespace(f"{lead} {subcaption}") if lead else subcaption
