"""Image modality (clinical, dermoscopy, pathology, other): a small CNN fused with caption cues."""

from enum import StrEnum

STAGE = "classify"
"""The stage name its runs and `errors` rows carry (curate reads classify's errors by it)."""


class Device(StrEnum):
    """Where the CNN runs: auto takes the GPU when there is one."""

    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"
