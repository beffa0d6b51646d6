"""The rules backend: modality words, lesion colours, panels, closed questions and varied phrasings."""

from __future__ import annotations

from mmskin_build.vqa.gates import check_item
from mmskin_build.vqa.rules import PairFields, rules_items


def _pair(caption: str, modality: str | None = "clinical", sites: list[str] | None = None, **panel) -> PairFields:
    return PairFields(caption, modality, sites or [], None, None, None, None, None, **({"image_id": "img"} | panel))


def _passes(pair: PairFields) -> list:
    items = rules_items(pair, per_image=7)
    accepted: list[str] = []
    for item in items:
        assert check_item(item, pair.caption, accepted).reason is None, item
        accepted.append(item.question)
    return items


def test_a_modality_word_only_when_the_caption_names_the_modality():
    photo_called_dermoscopy = _passes(_pair("Multiple wheals on the forearm.", "dermoscopy", ["forearm"]))
    assert photo_called_dermoscopy and all("dermoscopic" not in i.question for i in photo_called_dermoscopy)
    confirmed = _passes(_pair("Dermoscopy of a melanoma: blue-white veil.", "dermoscopy"))
    assert all("this dermoscopic image" in i.question for i in confirmed)
    histology = _passes(_pair("Psoriasis, H&E: parakeratosis over regular acanthosis.", "pathology"))
    assert "this histological section" in histology[0].question
    clinical_called_pathology = _passes(_pair("Psoriasis: scaly plaques.", "pathology"))
    assert all("histological" not in i.question for i in clinical_called_pathology)


def test_a_colour_is_a_lesion_colour_not_an_arrow_or_normal_skin():
    assert not [
        i
        for i in _passes(_pair("Small petechial rashes (black arrow) seen on extremities"))
        if i.question_type == "colour"
    ]
    islands = _pair("The 'islands of white' of the normal skin surrounded by erythema.")
    assert not [i for i in _passes(islands) if i.question_type == "colour"]
    (colour,) = [
        i
        for i in _passes(_pair("Erythematous scaly plaques on the knees.", sites=["knees"]))
        if i.question_type == "colour"
    ]
    assert colour.answer == "They are erythematous."


def test_a_panel_answers_from_its_own_sub_caption():
    caption = "Multiple wheals on the right ventral forearm (A), legs (B), and chest (C)."
    sites = ["forearm", "leg", "chest"]
    panel_b = _passes(_pair(caption, sites=sites, panel_letter="B", subcaption="legs"))
    assert {i.answer for i in panel_b if i.question_type == "location"} == {
        "They are on the legs.",
        "Yes, lesions are seen on the legs.",
    }
    no_subcaption = _passes(_pair(caption, sites=sites, panel_letter="C", subcaption=None))
    assert not [i for i in no_subcaption if i.question_type == "location"]  # which site is C's is not known
    whole = _passes(_pair(caption, sites=sites))
    assert "They are on the forearm." in {i.answer for i in whole}


def test_closed_questions_answer_no_where_the_caption_states_it():
    spared = _passes(_pair("Rubelliform rash. The right axillary region was spared."))
    assert ("distribution", "No, the right axillary region is spared.") in {(i.question_type, i.answer) for i in spared}
    absent = _passes(_pair("Brownish-yellow mass with multiple vessels, without any areas of hemorrhage."))
    assert "No, there is no areas of hemorrhage." in {i.answer for i in absent}
    stated = _passes(_pair("Erythematous plaques on the elbows.", sites=["elbows"]))
    assert "Yes, lesions are seen on the elbows." in {i.answer for i in stated}


def test_phrasings_vary_across_images_and_stay_fixed_per_image():
    pairs = [
        _pair("Psoriasis. Erythematous plaques on the elbows.", sites=["elbows"], image_id=f"img{n}") for n in range(30)
    ]
    questions = {item.question for pair in pairs for item in rules_items(pair, per_image=7)}
    assert len(questions) >= 12  # five question types, two or three phrasings each
    assert rules_items(pairs[0], per_image=7) == rules_items(pairs[0], per_image=7)


def test_a_spared_site_is_not_where_the_lesions_are():
    items = _passes(_pair("Rubelliform rash on the trunk. The axilla was spared.", sites=["trunk", "axilla"]))
    assert {i.answer for i in items if i.question_type == "location"} == {"They are on the trunk."}
