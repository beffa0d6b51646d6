"""Gates, evidence spans, rules and prompt templates of generate-vqa (no server)."""

from __future__ import annotations

import jsonschema
import pytest

from mmskin_build.schemas import json_schema
from mmskin_build.vqa.evidence import clauses, find_span
from mmskin_build.vqa.gates import balance, check_item
from mmskin_build.vqa.prompts import PromptError, load_prompt
from mmskin_build.vqa.response import QaItem, request_schema
from mmskin_build.vqa.rules import PairFields, rules_items
from mmskin_build.vqa.stage import VqaConfig

CAPTION = "Psoriasis. Erythematous scaly plaques on the elbows of a 45-year-old man."
GOOD = QaItem(
    question_type="morphology",
    question="What lesions are seen on the elbows in this image?",
    answer="Erythematous scaly plaques.",
    evidence="Erythematous scaly plaques on the elbows",
)


def _reason(**change: str) -> str | None:
    return check_item(GOOD.model_copy(update=change), CAPTION, []).reason


def test_a_grounded_visual_item_passes_and_its_evidence_is_located():
    verdict = check_item(GOOD, CAPTION, [])
    assert verdict.reason is None
    assert CAPTION[verdict.evidence.start : verdict.evidence.end] == "Erythematous scaly plaques on the elbows"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"evidence": "located on the thumb of the dermatologist"}, "unsupported"),
        ({"answer": "Violaceous nodules with ulceration."}, "unsupported"),
        ({"answer": "As the caption says, scaly plaques."}, "leakage"),
        ({"question": "Which lesions are mentioned on the elbows in this image?"}, "leakage"),
        ({"answer": "I cannot see the image, but scaly plaques."}, "refusal"),
        ({"answer": "Probably erythematous scaly plaques."}, "hedge"),
        ({"answer": "Erythematous scaly plaques. Hope this helps!"}, "chit-chat"),
        ({"answer": "Erythematous scaly plaques; consult a dermatologist."}, "medical-advice"),
        ({"question": "How is this condition treated?"}, "image-independent"),
        ({"question": "Is psoriasis contagious?"}, "image-independent"),
        ({"question": "Why do the plaques form on the elbows?"}, "image-independent"),
    ],
)
def test_each_gate_rejects_with_its_reason(change, reason):
    assert _reason(**change) == reason


def test_near_duplicate_questions_of_one_image_are_rejected():
    accepted = ["What lesions are seen on the elbows in this image ?"]
    assert check_item(GOOD, CAPTION, accepted).reason == "duplicate-question"
    assert check_item(GOOD, CAPTION, ["How old is the patient shown here?"]).reason is None


def test_fuzzy_evidence_tolerates_small_differences_only():
    assert find_span("erythematous scaly plaque on the elbow", CAPTION) is not None
    assert find_span("violaceous papules on the wrist", CAPTION) is None


def test_clauses_keep_decimals_and_abbreviations():
    caption = "Psoriasis. Plaques 2.5 cm across (e.g. elbows); scale. Dermoscopy shows dots"
    assert clauses(caption) == ["Psoriasis.", "Plaques 2.5 cm across (e.g. elbows)", "scale.", "Dermoscopy shows dots"]


def test_balance_caps_each_type_at_its_share():
    types = ["diagnosis"] * 6 + ["colour"] * 2 + ["location"] * 2
    keep = balance(types, max_share=0.4)
    assert sum(keep) == 8 and keep[:4] == [True] * 4 and keep[4:6] == [False, False]
    assert all(balance(["diagnosis"] * 3, max_share=0.1))  # one type present: nothing to balance against


def test_rules_items_are_grounded_and_pass_every_gate():
    pair = PairFields(CAPTION, "clinical", ["elbows"], 45.0, 45.0, "45-year-old", "male", "man")
    items = rules_items(pair, per_image=7)
    assert [i.question_type for i in items] == [
        "diagnosis",
        "morphology",
        "location",
        "colour",
        "location",
        "demographics",
        "demographics",
    ]
    accepted: list[str] = []
    for item in items:
        assert check_item(item, CAPTION, accepted).reason is None, item
        accepted.append(item.question)
    assert items[0].answer == "The diagnosis is psoriasis."
    assert rules_items(pair, per_image=2) == items[:2]


def test_rules_quote_an_age_range_as_printed():
    caption = "Bullous pemphigoid in an elderly man."
    pair = PairFields(caption, None, [], 65.0, None, "elderly", "male", "man")
    (age,) = [i for i in rules_items(pair, per_image=6) if i.answer.startswith("The patient is e")]
    assert age.answer == "The patient is elderly." and check_item(age, caption, []).reason is None


def test_rules_skip_fields_the_caption_does_not_state():
    pair = PairFields("Erythematous plaques.", "clinical", ["elbows"], 45.0, 45.0, "45-year-old", "male", "man")
    assert [i.question_type for i in rules_items(pair, per_image=6)] == ["morphology", "colour"]


def test_request_schema_restricts_evidence_to_caption_clauses():
    schema = request_schema(2, clauses(CAPTION))
    item = GOOD.model_dump() | {"evidence": "Psoriasis."}
    jsonschema.validate({"items": [item, item]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"items": [item]}, schema)  # exactly per_image items
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"items": [item, GOOD.model_dump()]}, schema)  # not a whole clause
    assert json_schema("vqa_response")["properties"]["items"]["maxItems"] == 12


def test_prompts_are_versioned_templates_for_both_modes():
    for mode in ("text", "vision"):
        prompt = load_prompt(f"vqa-{mode}-v1")  # kept for resuming v1 runs; v2 has tests of its own
        system, user = prompt.render(caption=CAPTION, mentions=["See Figure 2."], modality="clinical", per_image=3)
        assert "exactly 3" in system and "differential diagnosis" in system
        assert CAPTION in user and "- See Figure 2." in user
    with pytest.raises(PromptError):
        load_prompt("vqa-text-v999")


def test_every_part_of_the_request_spec_is_in_the_cache_key():
    pair = {"sha256": "ab", "caption": "Psoriasis.", "mentions": [], "modality": "clinical"}
    base = VqaConfig(model="m")
    variants = [base, VqaConfig(model="m", temperature=0.1), VqaConfig(model="m", per_image=2),
                VqaConfig(model="other"), VqaConfig(model="m", mode="vision"), VqaConfig(backend="rules")]  # fmt: skip
    assert len({config.spec().key(pair) for config in variants}) == len(variants)
    changed = [pair | {"caption": "Eczema."}, pair | {"sha256": "cd"}, pair | {"mentions": ["See Figure 1."]}]
    assert len({base.spec().key(p) for p in [pair, *changed]}) == 4
    assert base.spec().key(pair) == VqaConfig(model="m", concurrency=3).spec().key(pair)
