"""Demographics stated in a caption or its mentions: age, sex, body sites, Fitzpatrick skin type.

Every value comes with the span it was read from. A field the text does not state is None: nothing is
inferred (a "boy" gives the sex, not an age), and contradicting statements ("a man and his daughter")
give None rather than a guess. Mentions (body-text sentences citing the figure) are read only for fields
the caption leaves open, only when they cite this figure's label and no other, and never for pronouns
or body sites, which in body text often belong to another figure or another person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mmskin_build.curation.body_sites import BODY_SITES
from mmskin_build.text.labels import cited_labels, normalise_label

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUM = r"(?P<num>\d{1,3}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + r")"
_UNIT_YEARS = {
    "year": 1.0,
    "yr": 1.0,
    "y": 1.0,
    "month": 1 / 12,
    "mo": 1 / 12,
    "week": 7 / 365.25,
    "wk": 7 / 365.25,
    "day": 1 / 365.25,
}
# What may follow "N-year-old" when the age is not a person's ("a 20-year-old scar").
_NOT_A_PERSON = (
    r"(?:lesions?|scars?|tattoos?|burns?|wounds?|plaques?|nodules?|tumou?rs?|n(?:a)?evi|n(?:a)?evus|moles?|"
    r"ulcers?|rash(?:es)?|eruptions?|history|injury|injuries|disease|condition|graft|implant|photo(?:graph)?s?)\b"
)
_AGE_EXACT = [
    re.compile(
        rf"\b{_NUM}[\s-]*(?P<unit>year|yr|month|mo|week|wk|day)s?[\s-]*old\b(?!\s*{_NOT_A_PERSON})", re.IGNORECASE
    ),
    re.compile(rf"\b{_NUM}\s*(?:y/o|y\.o\.|yo)(?![\w/])", re.IGNORECASE),
    re.compile(rf"\baged\s+{_NUM}(?:\s*(?P<unit>year|yr|month|mo|week|wk|day)s?\b)?(?![\w.]*\d)", re.IGNORECASE),
]
_DECADES = {
    "teens": 10,
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}
_AGE_DECADE = re.compile(
    r"\bin\s+(?:his|her|their)\s+(?:(?P<part>early|mid|late)[\s-]+)?"
    r"(?P<decade>teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|[1-9]0'?s)\b",
    re.IGNORECASE,
)
_PERSON = r"(?:man|woman|men|women|patient|patients|person|people|male|female|lady|gentleman|adult|adults|individual)"
# Words that give an age range; the range in years is documented in the README.
_AGE_WORDS: list[tuple[re.Pattern[str], float, float | None]] = [
    (re.compile(r"\b(?:newborn|neonate)\b(?!s)", re.IGNORECASE), 0.0, 28 / 365.25),
    (re.compile(r"\binfant\b(?!s|ile)", re.IGNORECASE), 0.0, 1.0),
    (re.compile(r"\btoddler\b", re.IGNORECASE), 1.0, 3.0),
    (re.compile(r"\b(?:adolescent|teenager|teenage)\b(?!s)", re.IGNORECASE), 13.0, 19.0),
    (re.compile(r"\bmiddle[\s-]aged\b", re.IGNORECASE), 45.0, 64.0),
    (re.compile(rf"\belderly\s+{_PERSON}\b|\ban\s+elderly\b", re.IGNORECASE), 65.0, None),
    (re.compile(r"\bsexagenarian\b", re.IGNORECASE), 60.0, 69.0),
    (re.compile(r"\bseptuagenarian\b", re.IGNORECASE), 70.0, 79.0),
    (re.compile(r"\boctogenarian\b", re.IGNORECASE), 80.0, 89.0),
    (re.compile(r"\bnonagenarian\b", re.IGNORECASE), 90.0, 99.0),
]

_MALE_NOUNS = ("man", "boy", "male", "gentleman", "father", "son", "husband", "brother", "grandfather")
_FEMALE_NOUNS = ("woman", "girl", "female", "lady", "mother", "daughter", "wife", "sister", "grandmother")
_MALE_PRONOUNS = ("he", "his", "him")
_FEMALE_PRONOUNS = ("she", "her", "hers")
# "male pattern baldness", "male-to-female ratio": the word names a pattern or a ratio, not the patient.
_SEX_NOT_PATIENT = r"(?![\s-]+pattern)(?!\s*(?:-|to|:|/)\s*(?:fe)?male)"


def _sex_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w:/-])(?:{'|'.join(words)})(?![\w-]){_SEX_NOT_PATIENT}", re.IGNORECASE)


_MALE_NOUN = _sex_pattern(_MALE_NOUNS)
_FEMALE_NOUN = _sex_pattern(_FEMALE_NOUNS)
_MALE_PRONOUN = re.compile(rf"\b(?:{'|'.join(_MALE_PRONOUNS)})\b", re.IGNORECASE)
_FEMALE_PRONOUN = re.compile(rf"\b(?:{'|'.join(_FEMALE_PRONOUNS)})\b", re.IGNORECASE)

_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI"}
_FITZ_VALUE = r"(?:VI|IV|V|I{1,3}|[1-6])"
_FITZPATRICK = re.compile(
    rf"\b(?:Fitzpatrick(?:\s+skin)?(?:\s+photo)?(?:\s+type)?|skin\s+(?:photo)?type|phototype)\s*"
    rf"(?P<value>{_FITZ_VALUE})\b(?P<range>\s*(?:-|–|to|or|/)\s*{_FITZ_VALUE}\b)?",
    re.IGNORECASE,
)

_SITE_WORDS = {word: site for site, words in BODY_SITES.items() for word in words}
_SITE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(_SITE_WORDS, key=len, reverse=True)) + r")(?![\w-])",
    re.IGNORECASE,
)
# Sites the text says are NOT affected: "sparing the palms and soles", "without nail involvement".
_NEGATION = re.compile(
    r"\b(?:spar(?:ing|es|ed)|except|without|not\s+(?:involving|affecting)|no\s+involvement\s+of|absence\s+of)\b[^.;]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Span:
    """Where a value was read: the text ('caption' or 'mentions[N]') and character offsets in it."""

    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Age:
    min_years: float
    max_years: float | None  # None: open-ended ("elderly")
    span: Span


@dataclass(frozen=True)
class Found:
    value: str
    span: Span


@dataclass(frozen=True)
class Demographics:
    age: Age | None = None
    sex: Found | None = None
    body_sites: list[Found] = field(default_factory=list)
    fitzpatrick: Found | None = None


def _span(source: str, match: re.Match[str], group: int | str = 0) -> Span:
    return Span(source, match.start(group), match.end(group), match.group(group))


def _number(text: str) -> float:
    return float(_NUMBER_WORDS.get(text.lower(), text))


def _age_candidates(text: str, source: str) -> list[Age]:
    found: list[Age] = []
    for pattern in _AGE_EXACT:
        for match in pattern.finditer(text):
            unit = (match.groupdict().get("unit") or "year").lower()
            years = round(_number(match["num"]) * _UNIT_YEARS[unit], 3)
            found.append(Age(years, years, _span(source, match)))
    for match in _AGE_DECADE.finditer(text):
        decade = match["decade"].lower()
        low = _DECADES[decade] if decade in _DECADES else int(decade[0]) * 10
        low, high = (13, 19) if decade == "teens" else (low, low + 9)
        part = (match["part"] or "").lower()
        low, high = {"early": (low, low + 3), "mid": (low + 3, low + 6), "late": (high - 3, high)}.get(
            part, (low, high)
        )
        found.append(Age(float(low), float(high), _span(source, match)))
    for pattern, low, high in _AGE_WORDS:
        for match in pattern.finditer(text):
            found.append(Age(low, None if high is None else round(high, 3), _span(source, match)))
    return found


def _one_age(found: list[Age]) -> Age | None:
    """The most specific statement when it agrees with all the others ("a 16-year-old adolescent": 16);
    None when there is none or two statements disagree ("a 45-year-old man and his 12-year-old son")."""
    if not found:
        return None

    def width(age: Age) -> float:
        return float("inf") if age.max_years is None else age.max_years - age.min_years

    narrowest = min(found, key=lambda a: (width(a), a.span.start))
    inside = all(
        a.min_years <= narrowest.min_years
        and (a.max_years is None or narrowest.max_years is not None and narrowest.max_years <= a.max_years)
        for a in found
    )
    return narrowest if inside else None


def _sex_candidates(text: str, source: str, pronouns: bool) -> list[Found]:
    patterns = [("male", _MALE_NOUN), ("female", _FEMALE_NOUN)]
    if pronouns:
        patterns += [("male", _MALE_PRONOUN), ("female", _FEMALE_PRONOUN)]
    return [Found(value, _span(source, m)) for value, pattern in patterns for m in pattern.finditer(text)]


def _one_value(found: list[Found]) -> Found | None:
    """The value when every statement agrees ("a man ... his arm"); None for none or a contradiction."""
    if len({f.value for f in found}) != 1:
        return None
    return min(found, key=lambda f: f.span.start)


def _fitzpatrick_candidates(text: str, source: str) -> list[Found]:
    found = []
    for match in _FITZPATRICK.finditer(text):
        # A stated range ("type III-IV") is no single type: it makes the answer ambiguous, like a contradiction.
        value = "range" if match["range"] else _ROMAN.get(match["value"], match["value"].upper())
        found.append(Found(value, _span(source, match)))
    return found


def _is_site(text: str, match: re.Match[str]) -> bool:
    if _NEGATION.search(text[max(0, match.start() - 60) : match.start()]):
        return False
    word = match.group(0).lower()
    if word == "hand" and re.search(r"\bother\s+$", text[: match.start()], re.IGNORECASE):
        return False
    # "the sole finding": 'sole' means 'only' unless followed by 'of', 'and', 'or' or punctuation.
    return not (word == "sole" and re.match(r"\s+(?!of\b|and\b|or\b)[a-z]", text[match.end() :], re.IGNORECASE))


def parse_body_sites(text: str, source: str = "caption") -> list[Found]:
    """Each canonical site once, at its first non-negated mention, in text order."""
    found: dict[str, Found] = {}
    for match in _SITE.finditer(text):
        if _is_site(text, match):
            site = _SITE_WORDS[match.group(0).lower()]
            found.setdefault(site, Found(site, _span(source, match)))
    return sorted(found.values(), key=lambda f: f.span.start)


def _cites_only(mention: str, label: str) -> bool:
    """The mention cites this figure and no other ("Nail pitting (Fig. 4a) and onycholysis (Fig. 4b)" does not;
    "Figs. 3-5" cites three). Its series ("Plate 4" or "Fig. 4") was matched when extract indexed it."""
    cited = set(cited_labels(mention))
    return len(cited) == 1 and cited.pop().rpartition(" ")[2] == normalise_label(label)


def parse(caption: str, mentions: list[str] | tuple[str, ...] = (), label: str | None = None) -> Demographics:
    """Demographics from the caption; a field the caption does not mention at all may come from a mention
    that cites figure `label` and no other (a field the caption states ambiguously stays None; without a
    label no mention can be checked, so none is read)."""
    ages = _age_candidates(caption, "caption")
    sexes = _sex_candidates(caption, "caption", pronouns=True)
    types = _fitzpatrick_candidates(caption, "caption")
    for index, mention in enumerate(mentions):
        if label is None or not _cites_only(mention, label):
            continue
        source = f"mentions[{index}]"
        ages = ages or _age_candidates(mention, source)
        sexes = sexes or _sex_candidates(mention, source, pronouns=False)
        types = types or _fitzpatrick_candidates(mention, source)
    fitzpatrick = _one_value(types)
    return Demographics(
        age=_one_age(ages),
        sex=_one_value(sexes),
        body_sites=parse_body_sites(caption),
        fitzpatrick=None if fitzpatrick is None or fitzpatrick.value == "range" else fitzpatrick,
    )
