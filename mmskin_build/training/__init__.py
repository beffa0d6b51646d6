"""Export, LoRA fine-tuning, merging and evaluation of vision-language models on a built dataset."""

from mmskin_build.pipeline import UsageError


class TrainingInputError(UsageError):
    """Input that training, export or evaluation cannot use; raised before any work starts."""
