"""The demographics parser: a table of real-style phrasings (positive and negative) and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmskin_build.curation.body_sites import BODY_SITES
from mmskin_build.curation.demographics import parse

N = None
# caption -> (age (min, max) or None, sex, body sites in text order, Fitzpatrick type)
CASES: list[tuple[str, tuple[float, float | None] | None, str | None, list[str], str | None]] = [
    # ages stated exactly
    ("A 45-year-old man with plaque psoriasis on the elbows.", (45, 45), "male", ["elbow"], N),
    ("45 year old woman with melasma of the cheeks", (45, 45), "female", ["face"], N),
    ("A 7-year old boy with molluscum contagiosum.", (7, 7), "male", [], N),
    ("Tinea capitis in a 6-yr-old girl.", (6, 6), "female", ["scalp"], N),
    ("A three-year-old child with impetigo around the nose.", (3, 3), N, ["nose"], N),
    ("A 3-month-old infant with seborrhoeic dermatitis of the scalp.", (0.25, 0.25), N, ["scalp"], N),
    ("Infantile haemangioma on the forehead of a 3-month-old.", (0.25, 0.25), N, ["face"], N),
    ("Patient aged 3 months with diaper dermatitis.", (0.25, 0.25), N, [], N),
    ("Erythema nodosum on the shins, aged 32.", (32, 32), N, ["shin"], N),
    ("aged 70 years; basal cell carcinoma of the nose", (70, 70), N, ["nose"], N),
    ("A 2-week-old neonate ... erythema toxicum.", (0.038, 0.038), N, [], N),
    ("A 2-year-old infant.", N, N, [], N),
    ("A 10-day-old baby with milia.", (round(10 / 365.25, 3), round(10 / 365.25, 3)), N, [], N),
    ("An 82 yo woman with senile purpura of the forearms.", (82, 82), "female", ["forearm"], N),
    ("64 y/o male, actinic keratoses of the scalp", (64, 64), "male", ["scalp"], N),
    ("A twelve-year-old girl with vitiligo of the hands.", (12, 12), "female", ["hand"], N),
    ("Striae in a 16-year-old adolescent.", (16, 16), N, [], N),
    # ages as ranges
    ("Eczema in a newborn.", (0, round(28 / 365.25, 3)), N, [], N),
    ("Neonate with cutis marmorata of the trunk.", (0, round(28 / 365.25, 3)), N, ["trunk"], N),
    ("Atopic dermatitis in an infant: cheeks and extensor surfaces.", (0, 1), N, ["face", "extensor surfaces"], N),
    ("A toddler with hand, foot and mouth disease.", (1, 3), N, ["hand", "foot"], N),
    ("Acne vulgaris in a teenage boy.", (13, 19), "male", [], N),
    ("An adolescent with acne on the back.", (13, 19), N, ["back"], N),
    ("A 50-year-old middle-aged man.", (50, 50), "male", [], N),
    ("A 30-year-old middle-aged man.", N, "male", [], N),
    ("A woman in her sixties with lentigo maligna of the cheek.", (60, 69), "female", ["face"], N),
    ("A man in his early forties.", (40, 43), "male", [], N),
    ("A man in his mid-thirties with tinea cruris in the groin.", (33, 36), "male", ["groin"], N),
    ("A woman in her late 50s.", (56, 59), "female", [], N),
    ("A patient in their seventies.", (70, 79), N, [], N),
    ("Lichen sclerosus in a girl in her teens.", (13, 19), "female", [], N),
    ("An elderly man with bullous pemphigoid on the thighs.", (65, N), "male", ["thigh"], N),
    ("Senile comedones in an elderly patient.", (65, N), N, [], N),
    ("An elderly with asteatotic eczema of the legs.", (65, N), N, ["leg"], N),
    ("A middle-aged woman with rosacea.", (45, 64), "female", [], N),
    ("An octogenarian with a keratoacanthoma on the ear.", (80, 89), N, ["ear"], N),
    # ages that must not be read
    ("A 10-year history of psoriasis.", N, N, [], N),
    ("Lesions present for 3 years on the shin.", N, N, ["shin"], N),
    ("Survival at 5 years exceeds 90%.", N, N, [], N),
    ("A 20-year-old scar on the abdomen.", N, N, ["abdomen"], N),
    ("A 30-year-old tattoo with granulomas.", N, N, [], N),
    ("Infantile haemangioma.", N, N, [], N),
    ("Common in infants and newborns.", N, N, [], N),
    ("Neonatal lupus erythematosus.", N, N, [], N),
    ("Seborrhoeic keratoses are common in the elderly.", N, N, [], N),
    ("Figure 45: psoriasis.", N, N, [], N),
    ("Onset at age 12, now widespread.", N, N, [], N),
    ("Aged skin with solar elastosis.", N, N, [], N),
    ("A 45-year-old man and his 12-year-old son.", N, "male", [], N),
    ("A 30-year-old woman and her 2-year-old daughter.", N, "female", [], N),
    ("Mother and infant, both with scabies.", (0, 1), "female", [], N),
    # sex
    ("A woman with lupus of the malar area.", N, "female", ["face"], N),
    ("A girl with alopecia areata.", N, "female", [], N),
    ("Female patient with hirsutism of the chin.", N, "female", ["face"], N),
    ("Male patient with gynaecomastia.", N, "male", [], N),
    ("Lesions on her back.", N, "female", ["back"], N),
    ("His palms show hyperkeratosis.", N, "male", ["palm"], N),
    ("She developed urticaria after penicillin.", N, "female", [], N),
    ("He had a pruritic rash on his ankles.", N, "male", ["ankle"], N),
    ("A gentleman with rhinophyma of the nose.", N, "male", ["nose"], N),
    ("A lady with melasma.", N, "female", [], N),
    ("A man and his wife with scabies.", N, N, [], N),
    ("His or her skin.", N, N, [], N),
    ("A boy and a girl with varicella.", N, N, [], N),
    ("Male pattern hair loss.", N, N, [], N),
    ("Female pattern hair loss of the scalp.", N, N, ["scalp"], N),
    ("The male-to-female ratio is 2:1.", N, N, [], N),
    ("Male:female ratio 3:1 in lichen planus.", N, N, [], N),
    ("Human papillomavirus infection.", N, N, [], N),
    ("Herpes simplex on the lip.", N, N, ["lip"], N),
    ("HER2 staining of breast tissue.", N, N, ["breast"], N),
    ("Histology of the lesion.", N, N, [], N),
    ("Manifestations of secondary syphilis on the soles.", N, N, ["sole"], N),
    ("Common in women over fifty.", N, N, [], N),
    ("Men are affected more often.", N, N, [], N),
    # body sites
    ("Psoriasis of the scalp, elbows and knees.", N, N, ["scalp", "elbow", "knee"], N),
    ("Palmoplantar pustulosis: palms and soles.", N, N, ["palm", "sole"], N),
    ("Nail pitting and onycholysis of the fingernails.", N, N, ["nail"], N),
    ("Distal onycholysis of the same patient's thumbnail.", N, N, ["nail"], N),
    ("Subungual melanoma of the great toe.", N, N, ["nail", "toe"], N),
    ("Lichen planus of the buccal mucosa.", N, N, ["mucosa"], N),
    ("Oral mucosa with Wickham striae.", N, N, ["mucosa"], N),
    ("Geographic tongue.", N, N, ["tongue"], N),
    ("Intertrigo of the axillae.", N, N, ["axilla"], N),
    ("Hidradenitis of the axillary and inguinal folds.", N, N, ["axilla", "groin"], N),
    ("Pityriasis versicolor on the upper back and chest.", N, N, ["back", "chest"], N),
    ("Morphea of the lower back.", N, N, ["back"], N),
    ("Dermatomyositis: Gottron papules over the knuckles.", N, N, ["hand"], N),
    ("Heliotrope rash of the eyelids.", N, N, ["eyelid"], N),
    ("Periorbital oedema.", N, N, ["eyelid"], N),
    ("Venous ulcer above the medial malleolus.", N, N, ["ankle"], N),
    ("Plantar warts.", N, N, ["sole"], N),
    ("Palmar erythema.", N, N, ["palm"], N),
    ("Erythema on the dorsum of the hand.", N, N, ["hand"], N),
    ("Cellulitis of the lower leg.", N, N, ["leg"], N),
    ("Erythema multiforme sparing the palms and soles.", N, N, [], N),
    ("Rash on the trunk, sparing the face.", N, N, ["trunk"], N),
    ("Widespread eruption without nail involvement.", N, N, [], N),
    ("On the other hand, scabies burrows are rare.", N, N, [], N),
    ("The sole finding was a macule.", N, N, [], N),
    ("Hand-foot-and-mouth disease.", N, N, [], N),
    ("Back to normal after treatment.", N, N, [], N),
    ("Diffuse hair loss.", N, N, [], N),
    # Fitzpatrick
    ("Melasma in Fitzpatrick skin type IV.", N, N, [], "IV"),
    ("Post-inflammatory hyperpigmentation, Fitzpatrick type 5.", N, N, [], "V"),
    ("Vitiligo in skin phototype VI.", N, N, [], "VI"),
    ("Skin type II with many naevi on the back.", N, N, ["back"], "II"),
    ("Fitzpatrick III woman with acne.", N, "female", [], "III"),
    ("Phototype I; sunburn of the shoulders.", N, N, [], "I"),
    ("Fitzpatrick skin types III-IV.", N, N, [], N),
    ("Type 2 diabetes with necrobiosis lipoidica of the shins.", N, N, ["shin"], N),
    ("Type I hypersensitivity reaction.", N, N, [], N),
    ("Fitzpatrick described the scale in 1975.", N, N, [], N),
    ("No demographic content at all: a photomicrograph at x400.", N, N, [], N),
    ("", N, N, [], N),
]


def test_there_are_at_least_a_hundred_cases():
    assert len(CASES) >= 100


@pytest.mark.parametrize(
    ("caption", "age", "sex", "sites", "fitzpatrick"), CASES, ids=[c[0][:40] or "empty" for c in CASES]
)
def test_phrasing(caption, age, sex, sites, fitzpatrick):
    found = parse(caption)
    got_age = (found.age.min_years, found.age.max_years) if found.age else None
    expected_age = tuple(float(v) if v is not None else None for v in age) if age else None
    assert got_age == expected_age
    assert (found.sex.value if found.sex else None) == sex
    assert [s.value for s in found.body_sites] == sites
    assert (found.fitzpatrick.value if found.fitzpatrick else None) == fitzpatrick


def test_spans_point_into_the_caption():
    caption = "Figure text: a 45-year-old woman, Fitzpatrick skin type V, with melasma of the forehead."
    found = parse(caption)
    for item in (found.age, found.sex, found.fitzpatrick, *found.body_sites):
        assert caption[item.span.start : item.span.end] == item.span.text
        assert item.span.source == "caption"


def test_mentions_fill_only_what_the_caption_does_not_state():
    mentions = [
        "The 62-year-old woman in Figure 3 had lesions on her shins.",
        "See Figs. 3 and 4: a 20-year-old man.",
        "Nail pitting (Fig. 3) and onycholysis (Fig. 3b) in a 70-year-old man.",
        "Plate 3b A 30-year-old man with the same disease.",
        "Figures 3 and 5 show a 50-year-old woman.",
        "Figs. 2-4 are of a 40-year-old man.",
    ]
    found = parse("Granuloma annulare.", mentions, label="3")
    assert (found.age.min_years, found.sex.value) == (62, "female")
    assert found.age.span.source == "mentions[0]"
    assert found.body_sites == []  # body sites come from the caption only
    # Only the mention citing 3b alone speaks for figure 3b.
    assert parse("Granuloma annulare.", mentions, label="3b").age.min_years == 30
    # Every mention of figure 4 cites others too ("Figs. 3 and 4", the range "Figs. 2-4").
    assert parse("Granuloma annulare.", mentions, label="4").age is None
    # Without a label no mention can be checked.
    assert parse("Granuloma annulare.", mentions).age is None
    # The caption states two different ages: ambiguous, and a mention must not settle it.
    assert parse("A 45-year-old man and his 12-year-old son.", mentions, label="3").age is None
    # Pronouns in body text are not read ("his" may be the author's).
    assert parse("Lupus.", ["In his textbook, Figure 2 shows lupus."], label="2").sex is None


# Words that state nothing: any text made of them must give no value at all.
NEUTRAL = st.sampled_from(
    "the a of with on in and lesion lesions erythematous papules plaque scaly macule biopsy showing "
    "figure shows typical histology dermoscopy pattern year years old aged type skin x400 , . ; : ( ) 12 3 IV".split()
)


@settings(max_examples=200, deadline=None)
@given(st.lists(NEUTRAL, max_size=40).map(" ".join))
def test_never_invents_a_value(text):
    found = parse(text)
    assert found.sex is None and found.body_sites == [] and found.fitzpatrick is None
    # Without a number next to 'old', 'aged' or a life-stage word no age can be stated; numbers alone are not ages.
    if found.age is not None:
        assert "old" in found.age.span.text or "aged" in found.age.span.text.lower()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.lists(st.text(max_size=80).map(lambda t: "Fig. 1 " + t), max_size=3))
def test_never_crashes_and_every_value_has_its_span(caption, mentions):
    found = parse(caption, mentions, label="1")
    texts = {"caption": caption} | {f"mentions[{i}]": m for i, m in enumerate(mentions)}
    for item in (found.age, found.sex, found.fitzpatrick, *found.body_sites):
        if item is not None:
            assert texts[item.span.source][item.span.start : item.span.end] == item.span.text
    assert all(s.value in BODY_SITES for s in found.body_sites)
    if found.age is not None:
        assert found.age.min_years >= 0
        assert found.age.max_years is None or found.age.max_years >= found.age.min_years
