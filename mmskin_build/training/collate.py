"""Samples -> model inputs: the base model's own chat template, prompt tokens masked in the labels, image
tokens never truncated."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from mmskin_build.training import TrainingInputError
from mmskin_build.training.samples import Sample

IGNORE = -100
# Keys whose second dimension is the token sequence; everything else (pixel values, grids) is per image.
_SEQUENCE_KEYS = ("input_ids", "attention_mask", "mm_token_type_ids", "token_type_ids")


def render(processor, messages: list[dict], generation_prompt: bool = False) -> str:
    return processor.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)


def special_tokens_needed(processor, text: str) -> bool:
    """False when the chat template already wrote the BOS token (Mistral, Llama 3), so it is not doubled."""
    bos = processor.tokenizer.bos_token
    return not (bos and text.startswith(bos))


def _collapse(ids: list[int], image_token: int) -> tuple[list[int], list[int]]:
    """`ids` with each run of image tokens collapsed to one, and the position in `ids` of each kept token."""
    kept, positions = [], []
    for i, token in enumerate(ids):
        if token == image_token and kept and kept[-1] == image_token and positions[-1] == i - 1:
            positions[-1] = i
            continue
        kept.append(token)
        positions.append(i)
    return kept, positions


def answer_start(full_ids: list[int], prompt_ids: list[int], image_token: int) -> int:
    """Index in `full_ids` (image tokens expanded) where the answer begins, given the unexpanded prompt ids.

    The processor expands each image placeholder to N tokens; collapsing those runs lines the full sequence
    up with the tokenised prompt, and the answer starts after their common prefix.
    """
    collapsed, positions = _collapse(full_ids, image_token)
    common = 0
    for a, b in zip(collapsed, prompt_ids, strict=False):  # stops at the shorter: the common prefix
        if a != b:
            break
        common += 1
    return positions[common - 1] + 1 if common else 0


def prompt_token_count(processor, sample: Sample, image_size: tuple[int, int]) -> int:
    """Tokens of the sample's prompt with the image expanded, computed without decoding the image."""
    text = render(processor, sample.prompt_messages(), generation_prompt=True)
    ids = processor.tokenizer(text, add_special_tokens=special_tokens_needed(processor, text))["input_ids"]
    image_tokens = processor._get_num_multimodal_tokens(image_sizes=[list(image_size)])["num_image_tokens"][0]
    return len(ids) - 1 + image_tokens


def check_lengths(processor, samples: Sequence[Sample], sizes: dict[str, tuple[int, int]], max_length: int) -> None:
    """Raise TrainingInputError before training when any prompt with its image tokens exceeds `max_length`."""
    too_long = []
    for sample in samples:
        n = prompt_token_count(processor, sample, sizes[sample.image_id])
        if n >= max_length:
            too_long.append(f"{sample.sample_id} ({n} tokens)")
    if too_long:
        raise TrainingInputError(
            f"{len(too_long)} sample(s) have prompt plus image tokens over --max-length {max_length}, and image "
            f"tokens are never truncated: {', '.join(too_long[:5])}; raise --max-length or lower --max-pixels"
        )


class Collator:
    """Builds a padded training batch from samples."""

    def __init__(self, processor, image_token_id: int, max_length: int) -> None:
        self.processor = processor
        self.image_token_id = image_token_id
        self.max_length = max_length
        self.pad_id = processor.tokenizer.pad_token_id

    def encode(self, sample: Sample) -> dict[str, torch.Tensor]:
        """One sample's inputs (no batch padding) with labels, the answer truncated to `max_length` if needed."""
        full = render(self.processor, sample.messages())
        prompt = render(self.processor, sample.prompt_messages(), generation_prompt=True)
        specials = special_tokens_needed(self.processor, full)
        enc = self.processor(text=[full], images=[[sample.image()]], add_special_tokens=specials, return_tensors="pt")
        ids = enc["input_ids"][0].tolist()
        prompt_ids = self.processor.tokenizer(prompt, add_special_tokens=specials)["input_ids"]
        start = answer_start(ids, prompt_ids, self.image_token_id)
        if start >= self.max_length:
            raise TrainingInputError(
                f"sample {sample.sample_id}: prompt plus image tokens take {start} tokens, over --max-length "
                f"{self.max_length}; image tokens are never truncated: raise --max-length or lower --max-pixels"
            )
        labels = torch.tensor(ids)
        labels[:start] = IGNORE
        item = {k: v[0][: self.max_length] if k in _SEQUENCE_KEYS else v for k, v in enc.items()}
        item["labels"] = labels[: self.max_length]
        return item

    def __call__(self, samples: Sequence[Sample]) -> dict[str, torch.Tensor]:
        items = [self.encode(s) for s in samples]
        length = max(len(item["input_ids"]) for item in items)
        batch: dict[str, torch.Tensor] = {}
        for key in items[0]:
            if key in _SEQUENCE_KEYS or key == "labels":
                fill = {"input_ids": self.pad_id, "labels": IGNORE}.get(key, 0)
                batch[key] = torch.stack(
                    [torch.nn.functional.pad(item[key], (0, length - len(item[key])), value=fill) for item in items]
                )
            else:
                batch[key] = torch.cat(_pad_dim1([item[key] for item in items]))
        return batch


def _pad_dim1(tensors: list[torch.Tensor]) -> list[torch.Tensor]:
    """Zero-pad per-image tensors to the same second dimension (LLaVA-NeXT's patch count varies with the
    image's shape; the model keeps only the patches that `image_sizes` implies)."""
    if tensors[0].dim() < 3 or len({t.shape[1] for t in tensors}) == 1:
        return tensors
    most = max(t.shape[1] for t in tensors)
    return [torch.cat([t, t.new_zeros((t.shape[0], most - t.shape[1], *t.shape[2:]))], dim=1) for t in tensors]
