"""Sub-captions: the parts of a figure's caption about each lettered panel ("(a) ... (b) ...", "A, ... B, ...",
"A and B Histology ...", "rash on the forearm (A), legs (B)"). Panels (`panels/`) take them by letter."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mmskin_build.text.panel_markers import (
    BARE_MARK,
    COMMA_MARK,
    DASH,
    LETTER,
    LONE_LETTER,
    PAREN_MARK,
    SHARED_MARK,
    goes_on,
    letter_run,
    letters_through,
    mark_letters,
    panel_marks,
)


def parse_subcaptions(
    caption: str, label_end: int = 0, title_end: int | None = None, lines: Sequence[str] = ()
) -> dict[str, str]:
    """Sub-captions by lower-case panel letter: "(a) ... (b) ..." or "A, ... B, ..." styles, letters after
    their text ("forearm (A), legs (B)") or inside their sentences ("CT of the leg (a) shows ..."), or one
    description shared by the letters that open the caption ("A and B Histology ...", "A-C ...").

    The markers must run a, b, c, ... in order, so stray "(c)" or initials do not count; letters after their
    text may come in any order when each is named once or more ("microphthalmia (c, d), and bowed tibiae (a, b)").
    `title_end`: where a title set after the label ends ("Figure 5.16 Thermoregulation During ... skiing (a)", the
    title in bold): a panel's text starts after it, unless the title names letters of its own. `lines`: the printed
    lines of the caption, whose line breaks before a capital letter's mark open a sub-caption as a full stop does.
    """
    caption = _broken_before_marks(caption, lines)
    described = _parse(caption[label_end:])
    if title_end is not None and not _opens_with_mark(caption[title_end:]):  # "Rash on the forearm (A)": text
        untitled = _parse(caption[title_end:])
        if set(untitled) == set(described):
            described = untitled
    return dict(sorted(described.items()))  # letters a, b, c, ...: panels take the ones not printed in this order


def _opens_with_mark(text: str) -> bool:
    """Whether `text` opens with a bracketed panel marker ("(A) Rash ..."; not a numeral "(i)")."""
    mark = PAREN_MARK.match(text)
    return bool(mark) and goes_on(mark, None)


def _broken_before_marks(caption: str, lines: Sequence[str]) -> str:
    """`caption` with the space before each of its `lines` (after the first) that opens with a capital letter's mark
    made a line break: the same length, so offsets into it hold."""
    at = 0
    for line in lines[1:]:
        found = caption.find(line, at)
        if found > 0 and caption[found - 1] == " " and COMMA_MARK.match(line):
            caption = f"{caption[: found - 1]}\n{caption[found:]}"
        at = max(at, found)
    return caption


def _parse(caption: str) -> dict[str, str]:
    """`parse_subcaptions` on the caption's text after its label (or title)."""
    text = caption.lstrip(" .:|")
    shared = _shared_letters(text)
    if shared and not _named_again(text, shared):
        return shared
    every = panel_marks(PAREN_MARK, text)
    nested = _inside_one_panel_text(text, every)
    if not nested and _each_letter_named(every) and _letters_follow(text, every):
        return _trailing_subcaptions(text, every)
    for pattern in (PAREN_MARK, COMMA_MARK, BARE_MARK):
        if pattern is PAREN_MARK and nested:
            continue
        found = panel_marks(pattern, text)
        marks = _in_sequence(found)
        letters = sum(len(mark_letters(mark)) for mark in marks)
        if pattern is COMMA_MARK and _skips_a_letter(text, found, marks):
            continue
        follow = letters >= 2 and pattern is PAREN_MARK
        if follow and (_letters_follow(text, marks) or _follow_per_sentence(text, marks)):
            return _trailing_subcaptions(text, marks)
        if letters >= 2 and pattern is PAREN_MARK and (inside := _within_sentences(text, marks)):
            return inside
        if letters >= 2:
            return _leading_subcaptions(text, marks)
    return {}


def _inside_one_panel_text(text: str, bracketed: list[re.Match]) -> bool:
    """Bracketed letters all inside the text of one capital letter's panel ("A) Median network ... B) Phylogenetic
    tree ... Estimates of divergence times: (a) 124,200 years; (b) 61,500 years ..."): the capitals, running A, B, ...,
    name the panels, and the bracketed letters a list in panel B's text (the tree's nodes), not panels of their own."""
    capitals = _in_sequence(panel_marks(COMMA_MARK, text))
    if not bracketed or sum(len(mark_letters(mark)) for mark in capitals) < 2:
        return False
    ends = [mark.start() for mark in capitals[1:]] + [len(text)]
    return any(
        all(mark.end() <= letter.start() and letter.end() <= end for letter in bracketed)
        for mark, end in zip(capitals, ends, strict=True)
    )


def _skips_a_letter(text: str, found: list[re.Match], marks: list[re.Match]) -> bool:
    """Capital letters that leave one out ("A. ... B-F: DiI staining. B. ... C. ... neuron D. ... E, F. ... G. ...";
    "D." ends no sentence): a letter after the last one in sequence is named, or a group's letters are named again
    but not each of them one by one, so the caption names more than can be read, and the last letter read (or the
    group) would take the text of those after it."""
    last = max((letter for mark in marks for letter in mark_letters(mark)), default="a")
    if any(mark_letters(mark)[0] > last for mark in found if mark not in marks):
        return True
    ends = [mark.start() for mark in marks[1:]] + [len(text)] if marks else []
    for group, end in zip(marks, ends, strict=True):
        letters = mark_letters(group)
        again = any(set(mark_letters(mark)) & set(letters) for mark in found if mark not in marks)
        if len(letters) >= 2 and again and not _one_by_one(text[group.end() : end], letters, group.re):
            return True
    return False


def _named_again(text: str, shared: dict[str, str]) -> bool:
    """Whether the letters that open the caption are named again one by one, each opening a sentence of its own
    ("a, b Psoriasis vulgaris. a Plaques on the elbows. b Nail pitting."): each then has its own sub-caption."""
    letters = [letter for mark in _in_sequence(_singles(text, BARE_MARK)) for letter in mark_letters(mark)]
    return len(letters) >= 2 and set(shared) <= set(letters)


def _each_letter_named(marks: list[re.Match]) -> bool:
    """Two or more markers naming the letters a, b, c, ..., in whatever order, each once or more ("appearance (a–b).
    ... tattoos (a) or makeup (b)"; "skiing (a) or running (c), the vessels dilate (b). ... constrict (b)")."""
    letters = sorted({letter for mark in marks for letter in mark_letters(mark)})
    return len(marks) >= 2 and letters == letter_run("a", len(letters))


# not a species' initial before its name ("P. acnes"; "Lamina I. (a)" ends a sentence)
_SENTENCE_BREAK = re.compile(r"[.;!?]\s+(?![a-z])|(?<![\s(][A-Z])[.;!?]\s+")


def _within_sentences(text: str, marks: list[re.Match]) -> dict[str, str]:
    """Letters set inside their sentences, one sentence each ("Coronal CT of the leg (a) demonstrates the
    ossification. It is in continuity with the fibula. Axial scans (b and c) show ..."): a letter's sub-caption is
    its sentence and those after it up to the next letter's. Empty when a letter opens its sentence or two share one."""
    starts = [0, *(match.end() for match in _SENTENCE_BREAK.finditer(text))]
    begins = [max(start for start in starts if start <= mark.start()) for mark in marks]
    opens = any(_opens(text[begin : mark.start()]) for begin, mark in zip(begins, marks, strict=True))
    if opens or len(set(begins)) < len(begins):
        return {}
    result: dict[str, str] = {}
    for mark, begin, end in zip(marks, begins, [*begins[1:], len(text)], strict=True):
        result.update(dict.fromkeys(mark_letters(mark), text[begin:end].strip()))
    return result


def _opens(before: str) -> bool:
    """Whether a letter after `before` (its sentence so far) opens its text: it opens the sentence, or a list after a
    colon ("(credit: (a) Klaus D. Peter (b) Owl Bridge Media)")."""
    return not before.strip() or before.rstrip().endswith(":")


def _leading_subcaptions(text: str, marks: list[re.Match]) -> dict[str, str]:
    """Sub-captions that start at their letter and run to the next one; letters joined by "and" ("(a) and (b)
    moderate shortening of the villi") share the description that follows the last of them."""
    result: dict[str, str] = {}
    sharing: list[str] = []
    spans = _leading_spans(text, marks)
    for mark, (start, end), following in zip(marks, spans, [*marks[1:], None], strict=True):
        inside = text[start : mark.start()] + text[mark.end() : end] if start < mark.start() else text[start:end]
        part = _trimmed(inside.strip(" ;,").removeprefix(". "))  # "shown (e). Several": e ended one
        if following is not None and _JOINS_LETTERS.fullmatch(part):
            sharing += mark_letters(mark)
            continue
        if part:
            letters = [*sharing, *mark_letters(mark)]
            result.update(_one_by_one(part, letters, mark.re) or dict.fromkeys(letters, part))
        sharing = []
    return result


def _leading_spans(text: str, marks: list[re.Match]) -> list[tuple[int, int]]:
    """Where each letter's text lies: from the letter to the next one. But a letter inside a sentence of its own
    after the previous letter's, followed by a full stop, a comma or "and" ("(c) ventral view. Ventral views of
    the right foot (d) and right hand (e) are also presented", "(d) VGLUT2. A merged image is shown (e)."), labels
    the text before it from the sentence's start, the previous letter's text stops short of it, and the letters
    after it in that sentence label the text back to the letter before them (a letter closing the previous letter's
    sentence, "(d) Merged, as shown (e). Note", still leads what follows it). A letter inside a sentence of its own
    that leads its text ("(c) a volume of charge. Also note that (d) some components cancel") has that sentence:
    the words before it and after it, without the letter. A letter inside a bracket opened before it ("(A: Paw
    demonstration; B: Mouth demonstration) of opening the box") ends at the bracket's close."""
    spans = [
        (mark.end(), min(following.start() if following else len(text), _bracket_close(text, mark)))
        for mark, following in zip(marks, [*marks[1:], None], strict=True)
    ]
    trailing = False
    for i, mark in enumerate(marks[1:], start=1):
        breaks = [brk.end() for brk in _SENTENCE_BREAK.finditer(text, marks[i - 1].end(), mark.start())]
        words_before = breaks and any(char.isalnum() for char in text[breaks[-1] : mark.start()])
        if words_before and _FOLLOWS_MARK.match(text[mark.end() :]):
            spans[i - 1] = (spans[i - 1][0], min(spans[i - 1][1], breaks[-1]))
            spans[i], trailing = (breaks[-1], mark.start()), True
        elif not trailing and (opening := _sentence_before(text, marks[i - 1].end(), mark.start())) is not None:
            spans[i - 1] = (spans[i - 1][0], min(spans[i - 1][1], opening))
            spans[i] = (opening, spans[i][1])
        elif trailing and not breaks:
            spans[i] = (marks[i - 1].end(), mark.start())
        else:
            trailing = False
    return spans


def _bracket_close(text: str, mark: re.Match) -> int:
    """Where the bracket left open before `mark` closes after words of the mark's own ("(A: Paw demonstration; ..."),
    else the end of `text` (no bracket open, or one around letters only: "((b) and (c)) Late imaging")."""
    depth = text.count("(", 0, mark.start()) - text.count(")", 0, mark.start())
    for i in range(mark.start(), len(text)) if depth > 0 else ():
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i if any(char.isalnum() for char in text[mark.end() : i]) else len(text)
    return len(text)


_FULL_STOP = re.compile(r"(?<![\s(][A-Z])[.!?]\s+")  # not after an initial ("Klaus D. Peter")


def _sentence_before(text: str, start: int, mark: int) -> int | None:
    """Where the sentence a leading letter stands inside opens, when a full stop between `start` (the previous
    letter's end) and the letter ends the previous letter's text and words precede the letter in its own sentence
    ("(c) a volume of charge. Also note that (d) some components cancel"); None otherwise."""
    stops = [stop.end() for stop in _FULL_STOP.finditer(text, start, mark)]
    if not stops:
        return None
    words = text[stops[-1] : mark].strip()
    # A letter after a semicolon or comma opens a clause of its own ("... the tadpoles; (c) An in situ adult").
    return stops[-1] if words and words[-1].isalnum() else None


def _one_by_one(part: str, letters: list[str], pattern: re.Pattern[str]) -> dict[str, str]:
    """A group's text that goes on to name its letters one by one, or in smaller groups, in markers of the group's
    kind (`pattern`: "(b–d) Confocal images showing (b) CTb, (c) CGRP and (d) VGLUT2"; "B-F) Proof of concept ...
    B) Empty YFP and C) ..."; "B-F: DiI staining. B. Wild type. ... E, F. Treated"): each marker its own part. Empty
    when they do not name each of its letters once, in order."""
    inner = [mark for mark in panel_marks(pattern, part) if len(mark_letters(mark)) < len(letters)]
    if len(letters) < 2 or [letter for mark in inner for letter in mark_letters(mark)] != letters:
        return {}
    return _leading_subcaptions(part, inner)


def _singles(text: str, pattern: re.Pattern[str]) -> list[re.Match]:
    """The markers of one kind in `text` that name one letter each."""
    return [mark for mark in panel_marks(pattern, text) if len(mark_letters(mark)) == 1]


_FOLLOWS_MARK = re.compile(r"^\s*(?:[,;.]|and\b|or\b|$)")
_ENDS_SENTENCE = re.compile(r"^\s*(?:[.;]|$)")
_JOINER = re.compile(r"^(?:and|or)\s+")
_TRAILING_JOINER = re.compile(r"[\s,;]+(?:and|or)$")


def _trimmed(part: str) -> str:
    """A sub-caption without what joins it to its neighbours: "and" before the next letter ("(a) T1- and (b)
    T2-weighted"), or a bracket opened or closed around the letters ("... STA. ((b) and (c)) Anterior ...")."""
    part = _TRAILING_JOINER.sub("", _JOINER.sub("", part.strip())).strip(" ;,")
    if part.endswith("(") and part.count("(") > part.count(")"):
        part = part[:-1].rstrip(" ;,")
    if part.startswith(")") and part.count(")") > part.count("("):
        part = part[1:].lstrip(" ;,")
    if part.endswith(")") and part.count(")") > part.count("("):  # the bracket a list of letters was printed in
        part = part[:-1].rstrip(" ;,")
    return part


_JOINS_LETTERS = re.compile(rf"(?:and|or|&|to|{DASH})?")  # what may stand between two letters sharing a description


def _letters_follow(text: str, marks: list[re.Match]) -> bool:
    """ "rash on the forearm (A), legs (B), and chest (C)": each letter comes after the text it labels.
    Text precedes the first letter, and either the last letter ends its sentence ("rash on the trunk (a) with
    bullae on both thighs (b)": a leading letter would be followed by its description), or every letter but
    the last is followed by a comma, a full stop or "and", not by its own description."""
    if _opens_a_sentence(text, marks[0]):
        return False  # letters lead their text
    if any(mark.group(4) for mark in marks):
        return True  # "day 1 (a, green)": words about the panel in the letter's bracket follow their text
    return bool(_ENDS_SENTENCE.match(text[marks[-1].end() :])) or all(
        _FOLLOWS_MARK.match(text[mark.end() :]) for mark in marks[:-1]
    )


def _opens_a_sentence(text: str, mark: re.Match) -> bool:
    """Whether no words of its sentence precede `mark` (the text before it ends in a full stop, colon or semicolon)."""
    before = text[: mark.start()].rstrip()
    return not before or before.endswith((".", ":", ";"))


def _follow_per_sentence(text: str, marks: list[re.Match]) -> bool:
    """Letters that follow their text sentence by sentence ("... nitric oxide (NO) (A) and prostaglandin E2 (B)
    production by the cells; ... against NO (C) and PGE2 (D) production ..."): the words after a sentence's last
    letter are about the whole sentence, not that letter's description. The first letter follows words of its
    sentence, some sentence holds two letters, and in each sentence every letter but the last is followed by a comma
    or "and". A letter that opens a later sentence ("(e) Hemolymph was ...") leads its text (`_opening_text`)."""
    if _opens_a_sentence(text, marks[0]):
        return False
    breaks = [brk.end() for brk in _SENTENCE_BREAK.finditer(text)]
    starts = [0, *breaks]
    sentence = [sum(brk <= mark.start() for brk in breaks) for mark in marks]
    inner = [
        mark
        for mark, at, after in zip(marks, sentence, [*sentence[1:], None], strict=True)
        if at == after and text[starts[at] : mark.start()].strip(" ,")
    ]
    return bool(inner) and all(_FOLLOWS_MARK.match(text[mark.end() :]) for mark in inner)


def _trailing_subcaptions(text: str, marks: list[re.Match]) -> dict[str, str]:
    """Sub-captions that end at their letter: from the previous letter, or the start of the letter's sentence when
    that is later ("... mammal (a). Elephant milk is alike. A similar analysis of bears is given in (b)"), to it;
    words in the letter's bracket ("day 1 (a, green)") go with it. A letter named again adds the text before it, from
    its previous naming when the letter before it is the same: what lies between is about that panel too. A letter
    that opens a sentence after the others' (a caption mixing both styles, read letter by letter: "... plasmid (d).
    Scale bar, 1 cm. (e) Hemolymph was extracted ...") leads its text (`_opening_text`)."""
    result: dict[str, str] = {}
    start, previous = 0, None
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        letters = mark_letters(mark)
        if letters != previous:
            start = max([start, *(brk.end() for brk in _SENTENCE_BREAK.finditer(text, start, mark.start()))])
        part = _trimmed(text[start : mark.start()].strip(" ,;."))
        if not part and not mark.group(4) and not any(letter in result for letter in letters):
            part = _opening_text(text, mark, following)
        if part and mark.group(4):
            part = f"{part}, {mark.group(4)}"
        if part:
            result.update({letter: f"{result[letter]} {part}" if letter in result else part for letter in letters})
        start, previous = mark.end(), letters
    return result


def _opening_text(text: str, mark: re.Match, following: re.Match | None) -> str:
    """The text of a letter that opens its sentence among letters that follow their text: from the letter to the
    start of the sentence that holds the next letter, the last to the caption's end; "" when the letter does not open
    a sentence (", (b)" after "(a)") or the next letter stands in its sentence."""
    if not text[: mark.start()].rstrip().endswith((".", ";", "!", "?")):
        return ""
    end = len(text)
    if following is not None:
        breaks = [brk.end() for brk in _SENTENCE_BREAK.finditer(text, mark.end(), following.start())]
        if not breaks:
            return ""
        end = breaks[-1]
    return _trimmed(text[mark.end() : end].strip(" ,;"))


def printed_upper(caption: str) -> bool:
    """The caption prints its panel letters in upper case ("(A)", "A, ...", "A and B ..."): the letters taken
    from it keep that case."""
    text = caption.lstrip(" .:|")
    shared, first = SHARED_MARK.match(text), panel_marks(PAREN_MARK, text)[:1]
    mark = shared.group(1).strip("()") if shared and _shared_letters(text) else first[0].group(1) if first else ""
    return mark.isupper() or bool(panel_marks(COMMA_MARK, text))


def _shared_letters(text: str) -> dict[str, str]:
    """Descriptions shared by the letters that open the caption ("A and B Histology ..."), and by each later
    group in brackets, or bare and opening a sentence, that goes on with the letters ("(A and B) Rash on the chest.
    (C and D) Wheals on the arms"; "a–c Clinical pictures. d Histology")."""
    first = _letter_group(text, 0)
    if first is None or first[0][0] != "a":
        return {}
    groups = [(0, *first)]
    brackets = [first[1] + bracket.start() for bracket in re.finditer(rf"\((?={LETTER})", text[first[1] :])]
    bare = [mark.start() for mark in panel_marks(BARE_MARK, text) if mark.start() >= first[1]]
    for start in sorted([*brackets, *bare]):
        # in brackets, or lower case opening a sentence, one letter is a marker, not an article
        group = _letter_group(text, start, least=1)
        if group and start >= groups[-1][2] and group[0][0] == chr(ord(groups[-1][1][-1]) + 1):
            groups.append((start, *group))
    result = {}
    for (_, letters, end), following in zip(groups, [*groups[1:], None], strict=True):
        description = text[end : following[0] if following else len(text)].strip(" ;,")
        result.update(dict.fromkeys(letters, description))
    return result


def _letter_group(text: str, start: int, least: int = 2) -> tuple[list[str], int] | None:
    """The letters of a group ("A and B", "(C-E)") at `start`, in sequence (so a later letter, "(g)–(i) Histology" on
    a 3 x 3 plate, is no roman numeral), and where its description begins; None unless a description in capitals
    follows."""
    match = SHARED_MARK.match(text, start)
    if not match or match.end() == len(text) or not text[match.end() :].strip()[:1].isupper():
        return None
    letters = [letter.lower() for letter in LONE_LETTER.findall(match.group(0))]
    if match.group(2):  # a range: A-C
        letters = letters_through(letters[0], match.group(2).strip("()"))
    if len(letters) < least or letters != letter_run(letters[0], len(letters)):
        return None
    return letters, match.end()


def _in_sequence(marks: list[re.Match], interleaved: bool = True) -> list[re.Match]:
    """The markers that go on a, b, c, ... (a group "(b–d)" after "(a)"); others are references ("as in (a)"). Groups
    may interleave ("(A and C) Hydrophobicity surfaces ... (B and D) Ribbon displays ...": two views of two structures
    in a grid's columns): each marker names the first letter not named yet and, with it, later ones named by no marker
    before, so long as the letters named in all run a, b, c, ... without a gap; else groups are read only where their
    letters run on (`interleaved` False)."""
    result: list[re.Match] = []
    named: list[str] = []
    for mark in marks:
        letters = mark_letters(mark)
        fresh = sorted(set(letters)) == letters and not set(letters) & set(named)
        if fresh and letters[0] == _first_not_in(named) and (interleaved or _run_of(letters)):
            result.append(mark)
            named += letters
    if interleaved and sorted(named) != letter_run("a", len(named)):
        return _in_sequence(marks, interleaved=False)
    return result


def _first_not_in(named: list[str]) -> str:
    """The first letter of a, b, c, ... that `named` lacks."""
    return next(letter for letter in letter_run("a", len(named) + 1) if letter not in named)


def _run_of(letters: list[str]) -> bool:
    """Whether `letters` run on without a gap ("(b–d)", "(a, b)"; not "(a and c)")."""
    return letters == letter_run(letters[0], len(letters))
