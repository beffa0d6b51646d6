"""Image modality (clinical, dermoscopy, pathology, other): a small CNN fused with caption cues."""

import os
from enum import StrEnum

STAGE = "classify"
"""The stage name its runs and `errors` rows carry (curate reads classify's errors by it)."""

DECODE_THREADS = min(4, os.cpu_count() or 1)
"""Threads that decode images by default: PIL decodes (and torch prepares) without holding the GIL, so they run
side by side."""


class Device(StrEnum):
    """Where the CNN runs: auto takes the GPU when there is one."""

    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"
