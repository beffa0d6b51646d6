"""`generate-vqa`: grounded question-answer pairs from captions (rules) or an LLM served by vLLM."""

from enum import StrEnum


class Backend(StrEnum):
    """Who writes the question-answer items: an LLM behind an OpenAI-compatible server, or templates."""

    vllm = "vllm"
    rules = "rules"


class Mode(StrEnum):
    """What the LLM is shown: the caption and mentions, or the image too."""

    text = "text"
    vision = "vision"
