"""Word breaks put back into text printed with none ("Scatteredfinepapulesontheforearm").

Some e-book text layers set words with no gap and no space glyph between them (a browser printing with a
`word-spacing` that cancels the space, a converter that places every glyph): neither the text layer nor the glyph
positions show where a word ends (extract/page.py reads the gaps where there are any). Such text is split into
words by `wordsegment`'s model (Norvig's: unigram and bigram counts of an English web corpus, shipped in the
package), and where it still shows breaks (punctuation, digits, case).

Only glued text is touched. A line is glued when its tokens are far longer than words (`looks_glued`) and the
split finds the short function words that every stretch of English prose holds; a compound term
("pseudohypoaldosteronism"), an identifier or a URL has none and stays whole. On a page of glued lines every token
is split where the split is plausible (`split_glued_words(..., page_glued=True)`). One rule for every text the tool
reads, like hyphenation: extract builds its caption and body lines with it.
"""

from __future__ import annotations

import functools
import heapq
import math
import re

# A run of letters this long without a break: rare in any language's running text (English words average under
# 5 letters; medical compounds rarely pass 20). The cheap first test of a line, a regular expression.
_GLUED_RUN = re.compile(r"[^\W\d_]{20,}")
# ... and a line whose tokens average this many characters: glued prose, not one long term among short words.
_GLUED_TOKEN_LENGTH = 12.0
_TOKEN = re.compile(r"\S+")
# The commonest English words, met inside a glued line's long token: reason enough to load the dictionary (chemical
# and medical compounds mostly lack them: "adamantyloxyphosphinyl", "hemophagocyticlymphohistiocytosis").
_PROSE_HINT = re.compile(r"the|and|of|with|for", re.IGNORECASE)
# A web or file address, an identifier: no words to put spaces between ("www.fda.gov/MedicalDevices/",
# "DeviceRegulationandGuidance/", "rsos.royalsocietypublishing.org"). One slash is no address ("and/or").
_ADDRESS = re.compile(
    r"://|www\.|[@\\]|/[\w.-]*/|/\W*$|\.(?:com|org|net|gov|edu|int|html?|php|pdf|aspx?)\b", re.IGNORECASE
)
_LETTERS = re.compile(r"[A-Za-z]+")  # the segmenter's alphabet: other letters are left as they are
# Where glued text still shows a word break without a dictionary (each a position between two characters).
_VISIBLE_BREAK = re.compile(
    r"(?<=[^\W\d_][,;:])(?=[^\W_(\[])"  # after a clause's punctuation: "papules,vesicles", "erythema;no"
    r"|(?<=\d[,;:])(?=[^\W\d_(\[])"  # the same after a number, but not inside one ("10,000")
    r"|(?<=[)\]])(?=[^\W_(\[])"  # after a closing bracket: "(A)and"
    r"|(?<=[a-z]{2}[.!?])(?=[A-Z(])|(?<=\d[.!?])(?=[A-Z][a-z])"  # a sentence's end: "forearm.The", "1.The"
    r"|(?<=[^\W_.,;:])(?=[(\[])|(?<=[.,;:])(?=[(\[])"  # before an opening bracket: "rash(credit", "head.(a)"
    r"|(?<=[^\W\d_]{3})(?=\d)|(?<=\d)(?!st|nd|rd|th)(?=[^\W\d_]{3})"  # words, numbers: "Figure15.6Scabies", "ina7-year"
    r"|(?<=\d(?:st|nd|rd|th))(?=[^\W\d_])"  # after an ordinal: "3rdtoe"
    r"|(?<=\d)(?=[a-z]{2}\d)|(?<=\d[a-z]{2})(?=\d)"  # a short word between numbers: "COVID-19in10,000"
    r"|(?<=[a-z]{3})(?=[A-Z])"  # a capitalised word after a lower-case one: "ofSingapore"
)
# Words that any stretch of English prose holds (a quarter of its words): the evidence that a split is of running
# text. A term split into known pieces ("pseudo hypo aldosteronism") holds none.
_FUNCTION_WORDS = frozenset(
    "a an the of in on at to by for from with and or as is are was were be been it its this that which than into "
    "onto over under after before during without within between but not no all may can has had who one two".split()
)
# Of the words a glued line is split into, at least this share (and two) must be function words (English prose
# has about a third), and no more than half as many other lower-case words of 3 letters or fewer: a chemical or
# medical term the corpus lacks falls into short rare pieces, among which "in" or "a" turn up by chance ("neu ram in
# yl"); an acronym ("AP") is no such piece.
_FUNCTION_SHARE = 0.125
_SHORT_WORD = 3
# On a glued page, a token split into pieces of at least this many letters is plausible without function words
# ("Differential diagnosis"); "der mos copy" (dermoscopy, which the corpus lacks) is not.
_SHORTEST_PIECE = 4
_ACRONYM = 6  # capitals up to this many are one word ("COVID", not "co vid")
_BEAM = 4  # splits kept per prefix in the search


def looks_glued(text: str) -> bool:
    """A line printed without word breaks: a long run of letters, tokens far longer than words, and a long token
    (not an address) holding one of the commonest English words. Cheap: it decides whether the dictionary is read."""
    if not _GLUED_RUN.search(text):
        return False
    tokens = _TOKEN.findall(text)
    if sum(map(len, tokens)) / len(tokens) < _GLUED_TOKEN_LENGTH:
        return False
    return any(
        _PROSE_HINT.search(token) and _GLUED_RUN.search(token) and not _ADDRESS.search(token) for token in tokens
    )


def split_glued_words(text: str, page_glued: bool = False) -> tuple[str, tuple[int, ...]]:
    """`text` with its word breaks put back, and the offsets (in the result) of the spaces inserted.

    A line is split only when its split reads as prose (`_reads_as_prose`); on a `page_glued`
    (3+ of its lines were), each token is split where its pieces hold a function word or are all words of 4+
    letters. Breaks seen in the text (punctuation, digits, case) count as evidence only with the dictionary's.
    Letters keep their case; text that is not glued comes back as it is.
    """
    cuts: list[int] = []
    words: list[str] = []
    for token in _TOKEN.finditer(text):
        at = token.start()
        if _ADDRESS.search(token.group()):
            continue
        pieces = _pieces(token.group())
        if len(pieces) < 2 or (page_glued and not _plausible(pieces)):
            continue
        words += pieces
        for piece in pieces[:-1]:
            at += len(piece)
            cuts.append(at)
    if not page_glued and not _reads_as_prose(words):
        return text, ()
    return spaces_at(text, cuts)


def spaces_at(text: str, cuts: list[int]) -> tuple[str, tuple[int, ...]]:
    """`text` with a space put in before each offset of `cuts` (ascending), and the spaces' offsets in the result."""
    pieces, inserted, previous = [], [], 0
    for count, cut in enumerate(cuts):
        pieces.append(text[previous:cut])
        inserted.append(cut + count)
        previous = cut
    pieces.append(text[previous:])
    return " ".join(pieces), tuple(inserted)


def _pieces(token: str) -> list[str]:
    """`token` (a stretch without spaces) cut into its words: at the breaks it shows, and each stretch of letters
    between them by the dictionary."""
    bounds = [0, *(match.start() for match in _VISIBLE_BREAK.finditer(token)), len(token)]
    pieces = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        part, done = token[start:end], 0
        for run in _LETTERS.finditer(part):
            letters = run.group()
            if letters.isupper() and len(letters) <= _ACRONYM:
                continue
            words = _segmenter().words(letters)
            if len(words) > 1:
                cut = run.start()
                for word in words[:-1]:
                    pieces.append(part[done : cut + len(word)])
                    done = cut = cut + len(word)
        pieces.append(part[done:])
    return pieces


def _is_function_word(word: str) -> bool:
    return _bare(word).lower() in _FUNCTION_WORDS


def _bare(word: str) -> str:
    return word.strip(".,;:!?()[]")


def _reads_as_prose(words: list[str]) -> bool:
    """The words that glued tokens were split into read as running text: function words among them, and few short
    pieces that are not (the debris of a term the corpus lacks)."""
    function_words = sum(map(_is_function_word, words))
    debris = sum(1 for word in map(_bare, words) if word.isalpha() and not word.isupper() and len(word) <= _SHORT_WORD)
    debris -= function_words
    return function_words >= max(1, _FUNCTION_SHARE * len(words)) and debris <= function_words / 2


def _plausible(pieces: list[str]) -> bool:
    """A token's split on a glued page: it holds a function word, or every piece of letters is a whole word."""
    letters = [_bare(piece) for piece in pieces]
    return any(map(_is_function_word, pieces)) or all(
        len(word) >= _SHORTEST_PIECE for word in letters if word.isalpha()
    )


class _Segmenter:
    """wordsegment's model, its counts read once per process and only when glued text turns up (~0.7 s; normal
    pages never need them)."""

    def __init__(self) -> None:
        from wordsegment import Segmenter

        model = Segmenter()
        self.unigrams = model.parse(model.UNIGRAMS_FILENAME)
        self.bigrams = model.parse(model.BIGRAMS_FILENAME)
        self.total, self.limit = model.TOTAL, model.LIMIT
        # The English word list wordsegment ships (178,758 words) knows words its web counts lack ("exanthem",
        # "excoriations", cut into "ex anthem" and "ex coria tions" without it): each counts as the rarest word seen.
        rarest = min(self.unigrams.values())
        with open(model.WORDS_FILENAME, encoding="utf-8") as handle:
            self.unigrams.update((word, rarest) for word in handle.read().split() if word not in self.unigrams)
        self.logs: dict[str, float] = {}  # log10 of each known word's probability, as asked for

    def words(self, letters: str) -> list[str]:
        """The most probable words of a run of ASCII letters, in its own case.

        A beam search under wordsegment's scores (`Segmenter.score`: a word's unigram probability, or its bigram
        probability given the word before where the corpus has the pair; a word it lacks loses a factor of ten
        per letter) that keeps the _BEAM best splits of every prefix. wordsegment's own search keeps one per prefix
        and last word, ~10x the time for 0.3% more words right on the real captions of the sets; keeping one per
        prefix read "finger web sofa young man" for "fingerwebsofayoungman"."""
        lower = letters.lower()
        unknown = math.log10(10.0 / self.total)
        # Per prefix length: the best (score, start of the last word, index of the split before it) triples.
        beams: list[list[tuple[float, int, int]]] = [[(0.0, 0, 0)]]
        for end in range(1, len(lower) + 1):
            candidates = []
            for start in range(max(0, end - self.limit), end):
                word = lower[start:end]
                if word not in self.unigrams:  # no pair with the word before: the best split before it wins
                    candidates.append((beams[start][0][0] + unknown - len(word), start, 0))
                    continue
                # What follows depends on this word alone, so one split per start is kept: the best over the beam.
                alone = self._log(word)
                candidates.append(
                    max(
                        (score + self._given(word, lower[before:start] if start else "<s>", alone), start, index)
                        for index, (score, before, _) in enumerate(beams[start])
                    )
                )
            beams.append(heapq.nlargest(_BEAM, candidates))
        words, end, index = [], len(lower), 0
        while end:
            _, start, index = beams[end][index]
            words.append(letters[start:end])
            end = start
        return words[::-1]

    def _log(self, word: str) -> float:
        if word not in self.logs:
            self.logs[word] = math.log10(self.unigrams[word] / self.total)
        return self.logs[word]

    def _given(self, word: str, previous: str, alone: float) -> float:
        """log10 of known `word`'s probability after `previous` (wordsegment's stupid back-off to `alone`)."""
        if previous not in self.unigrams:
            return alone
        pair = self.bigrams.get(f"{previous} {word}")
        return alone if pair is None else math.log10(pair / self.total) - self._log(previous)


@functools.cache
def _segmenter() -> _Segmenter:
    return _Segmenter()
