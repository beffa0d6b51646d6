"""The training loss over answer tokens only, with the LM head applied to those tokens alone.

A VLM's largest activation in a training step is its logits: batch x length x vocabulary (152k for Qwen2-VL),
upcast to fp32 for the cross-entropy, kept for the backward pass. The prompt and image tokens are masked in
the labels anyway, so the LM head runs only on the hidden states whose next token is an answer token: the
same loss and gradients, a fraction of the memory and of the LM head's work.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F
from transformers import Trainer

from mmskin_build.training.collate import IGNORE


def answer_token_loss(causal_lm, inputs: dict[str, torch.Tensor], num_items_in_batch=None) -> torch.Tensor:
    """Next-token cross-entropy of `causal_lm` (a `...ForConditionalGeneration`: `.model` then `.lm_head`) summed
    over the tokens whose label is set, divided by `num_items_in_batch` (all such tokens of the optimizer step,
    as Trainer counts them for gradient accumulation) or else by their number in this batch."""
    inputs = dict(inputs)
    labels = inputs.pop("labels")
    hidden = causal_lm.model(**inputs, use_cache=False).last_hidden_state
    targets = labels[:, 1:]
    scored = targets != IGNORE
    logits = causal_lm.lm_head(hidden[:, :-1][scored]).float()
    total = F.cross_entropy(logits, targets[scored], reduction="sum")
    return total / (num_items_in_batch if num_items_in_batch is not None else scored.sum().clamp(min=1))


class AnswerTokenLossTrainer(Trainer):
    """Trainer whose loss is `answer_token_loss` on the PEFT model's base model."""

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        if return_outputs or self.accelerator.unwrap_model(model) is not model:
            # Outputs are wanted, or the model is wrapped (DDP) and must be called through its wrapper.
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        loss = answer_token_loss(model.get_base_model(), inputs, num_items_in_batch)
        if self.args.average_tokens_across_devices and num_items_in_batch is not None:
            loss = loss * self.accelerator.num_processes  # as Trainer does: the count was summed over processes
        return loss
