"""Export, LoRA fine-tuning, merging and evaluation of vision-language models on a built dataset."""


class TrainingInputError(Exception):
    """Input that training, export or evaluation cannot use; raised before any work starts."""
