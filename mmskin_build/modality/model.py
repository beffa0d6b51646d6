"""The modality network: a small CNN over a downscaled image plus a branch of colour statistics.

Colour says much about modality (H&E pink and purple, greyscale radiology, white chart backgrounds, the dark
rim of a dermatoscope's field), so the statistics are computed inside `forward` from the very pixels the CNN
sees: augmentation and inference change them consistently, and the network stays one function of the image.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

CLASSES = ("clinical", "dermoscopy", "pathology", "other")
DEFAULT_WEIGHTS = Path(__file__).resolve().parent.parent / "weights" / "modality_cnn.safetensors"

_RGB_BINS = 4  # per channel: a 4x4x4 joint colour histogram
_LEVEL_BINS = 8  # luminance and saturation histograms
_HUE_BINS = 12
_EDGE_EDGES = torch.tensor([0.004, 0.012, 0.03, 0.06, 0.12, 0.25, 0.5])  # luminance steps between neighbours
_LBP_BINS = 10  # rotation-invariant uniform local binary patterns: 0..8 bits set, or non-uniform
_TEXTURE_SCALES = 3  # the statistics image, then halved twice
_RING_EDGES = (0.0, 0.5, 0.8, 1.0, 1.2, 1.5)
N_STATISTICS = (
    _RGB_BINS**3 + 2 * _LEVEL_BINS + _HUE_BINS + _TEXTURE_SCALES * (len(_EDGE_EDGES) + 1 + _LBP_BINS) + len(_RING_EDGES)
)


@dataclass
class ModelConfig:
    """Everything needed to rebuild the network and its input; stored beside the weights as JSON."""

    classes: list[str] = field(default_factory=lambda: list(CLASSES))
    decode_size: int = 192  # images are decoded to this square
    statistics_size: int = 160  # the statistics branch sees this resolution (fine texture) ...
    input_size: int = 160  # ... and the CNN this one (96 px lost the fine texture that tells dermoscopy)
    widths: list[int] = field(default_factory=lambda: [16, 32, 64, 96, 128])  # five strided blocks: 160 -> 5 px
    statistics_hidden: int = 32
    dropout: float = 0.3
    mean: list[float] = field(default_factory=lambda: [0.6, 0.5, 0.5])
    std: list[float] = field(default_factory=lambda: [0.25, 0.25, 0.25])
    flip_tta: bool = True  # average the probabilities of the image and its mirror image (the CNN runs twice)
    colour_constancy: bool = True  # the CNN sees the image white-balanced by shades of grey (p = 6)


def _levels(values: torch.Tensor, count: int) -> torch.Tensor:
    """Values in [0, 1] -> bin numbers 0..count-1 as uint8 (small integers keep the histograms cheap)."""
    return (values * count).clamp_(0, count - 0.5).to(torch.uint8)


def image_statistics(x: torch.Tensor) -> torch.Tensor:
    """Per-image colour and texture statistics of RGB in [0, 1], (B, 3, H, W) -> (B, N_STATISTICS).

    Colour distributions come from the image at half resolution (2x2 means: the same distribution, a quarter
    of the work); texture and the rings from full resolution."""
    luminance = 0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2]
    half = _half(x)
    levels = _levels(half, _RGB_BINS)
    joint = (levels[:, 0] * _RGB_BINS + levels[:, 1]) * _RGB_BINS + levels[:, 2]
    r, g, b = half[:, 0], half[:, 1], half[:, 2]
    high = torch.maximum(torch.maximum(r, g), b)  # faster than a reduction over the channel dimension
    low = torch.minimum(torch.minimum(r, g), b)
    chroma = high - low
    saturation = chroma / high.clamp(min=1e-3)
    # Hue (0..1) of the coloured pixels: H&E purple/pink, skin red-orange and dermoscopy browns fall apart.
    hue = torch.atan2(1.7320508 * (g - b), 2 * r - g - b) / (2 * torch.pi) % 1.0
    hue_bins = _levels(hue, _HUE_BINS)
    statistics = [
        _histogram(joint, _RGB_BINS**3),
        _histogram(_levels(saturation, _LEVEL_BINS), _LEVEL_BINS),
        _histogram(_levels(0.299 * r + 0.587 * g + 0.114 * b, _LEVEL_BINS), _LEVEL_BINS),
        _histogram(hue_bins, _HUE_BINS, weights=chroma) / chroma.mean(dim=(1, 2)).clamp(min=1e-3).unsqueeze(1),
    ]
    # Texture at three scales: drawings are flat areas and sharp lines, photographs graded texture, and the
    # grain of cells, pigment network or skin surface tells the magnification.
    scaled = luminance
    for scale in range(_TEXTURE_SCALES):
        scaled = _half(scaled) if scale else scaled
        statistics += [_edge_histogram(scaled), _lbp_histogram(scaled)]
    # Brightness by distance from the centre: a dermatoscope's round field leaves dark corners.
    spatial = _ring_means(luminance)
    spatial = torch.cat([spatial, spatial[:, -1:] - spatial[:, :1]], dim=1)
    # Square roots (Hellinger) keep small but telling bins, such as a few purple nuclei, visible.
    return torch.cat([torch.cat(statistics, dim=1).sqrt(), spatial], dim=1)


def _half(x: torch.Tensor) -> torch.Tensor:
    """Means of 2x2 blocks over the last two dimensions: `F.avg_pool2d(x, 2)`'s sums in its order, then a quarter,
    so the same bits, at half its cost on CPU (its kernel does poorly on three channels, channels-last)."""
    x = x[..., : x.shape[-2] // 2 * 2, : x.shape[-1] // 2 * 2]
    total = x[..., 0::2, 0::2] + x[..., 0::2, 1::2]
    total += x[..., 1::2, 0::2]
    total += x[..., 1::2, 1::2]
    return total.div_(4)


def _edge_histogram(luminance: torch.Tensor) -> torch.Tensor:
    dx = (luminance[:, :, 1:] - luminance[:, :, :-1]).abs()[:, :-1, :]
    dy = (luminance[:, 1:, :] - luminance[:, :-1, :]).abs()[:, :, :-1]
    return _histogram(_edge_bins(torch.maximum(dx, dy)), len(_EDGE_EDGES) + 1)


def _edge_bins(edges: torch.Tensor) -> torch.Tensor:
    """The bin of each edge strength: how many of `_EDGE_EDGES` lie below it (what torch.bucketize gives, at a
    quarter of its cost here: seven comparisons of the whole map against a binary search per pixel)."""
    bins = torch.zeros(edges.shape, dtype=torch.uint8, device=edges.device)
    for edge in _EDGE_EDGES.tolist():
        bins += edges > edge
    return bins


def _lbp_lookup() -> torch.Tensor:
    """8-bit neighbour pattern -> rotation-invariant uniform class (bits set if <= 2 transitions, else 9)."""
    classes = []
    for pattern in range(256):
        bits = [(pattern >> i) & 1 for i in range(8)]
        transitions = sum(bits[i] != bits[i - 1] for i in range(8))
        classes.append(sum(bits) if transitions <= 2 else _LBP_BINS - 1)
    return torch.tensor(classes, dtype=torch.int64)


_LBP_LOOKUP = _lbp_lookup()
_LBP_RING = [(0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0)]


def _lbp_histogram(luminance: torch.Tensor) -> torch.Tensor:
    """Rotation-invariant uniform LBP (8 neighbours, radius 1; a 1/100 margin ignores sensor noise)."""
    centre = luminance[:, 1:-1, 1:-1] + 0.01
    h, w = centre.shape[1], centre.shape[2]
    pattern = torch.zeros(centre.shape, dtype=torch.uint8, device=luminance.device)
    for bit, (a, c) in enumerate(_LBP_RING):
        pattern |= (luminance[:, a : a + h, c : c + w] >= centre).to(torch.uint8) << bit
    # A histogram of the 256 patterns, summed into the pattern classes: cheaper than looking up every pixel.
    classes = F.one_hot(_LBP_LOOKUP.to(luminance.device), _LBP_BINS).float()
    return _histogram(pattern, 256) @ classes


def _ring_means(luminance: torch.Tensor) -> torch.Tensor:
    """Mean luminance (B, H, W) per ring of `_RING_EDGES` -> (B, rings)."""
    flat = luminance.reshape(len(luminance), -1)
    rings = _ring_pixels(luminance.shape[1], luminance.shape[2], luminance.device)
    return torch.stack([flat.index_select(1, ring).mean(dim=1) for ring in rings], dim=1)


@functools.lru_cache(maxsize=8)
def _ring_pixels(height: int, width: int, device: torch.device) -> list[torch.Tensor]:
    """Per ring of `_RING_EDGES`, the flat indices of its pixels in row order (the pixels a boolean mask of the
    ring picks, in the same order, so their mean is the same to the bit; once per size, not per batch)."""
    radius = _radius(height, width, device).flatten()
    return [
        ((radius >= a) & (radius < b)).nonzero().squeeze(1) for a, b in zip(_RING_EDGES, _RING_EDGES[1:], strict=False)
    ]


def _radius(height: int, width: int, device) -> torch.Tensor:
    """Distance of each pixel from the image centre; 1 at the middle of each edge, ~1.41 in the corners."""
    ys = torch.linspace(-1, 1, height, device=device).view(-1, 1)
    xs = torch.linspace(-1, 1, width, device=device).view(1, -1)
    return (ys**2 + xs**2).sqrt()


def _histogram(bins: torch.Tensor, count: int, weights: torch.Tensor | None = None) -> torch.Tensor:
    """Per-image histogram of integer bin indices (B, H, W) -> (B, count), as a fraction of the pixels."""
    batch = bins.shape[0]
    # 32-bit bin numbers: the same counts as 64-bit ones, with half the memory traffic.
    offsets = torch.arange(batch, dtype=torch.int32, device=bins.device).view(batch, 1) * count
    flat = (bins.reshape(batch, -1).to(torch.int32) + offsets).flatten()
    counts = torch.bincount(flat, weights=None if weights is None else weights.flatten(), minlength=batch * count)
    return counts.view(batch, count).float() / bins[0].numel()


def _conv_block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)
    )


class ModalityNet(nn.Module):
    """Input: RGB in [0, 1], (B, 3, statistics_size, statistics_size). Output: logits over `config.classes`."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        widths = [3, *config.widths]
        self.features = nn.Sequential(*(_conv_block(a, b) for a, b in zip(widths, widths[1:], strict=False)))
        self.statistics = nn.Sequential(
            nn.BatchNorm1d(N_STATISTICS),  # learned standardisation: the statistics have very different spreads
            nn.Linear(N_STATISTICS, config.statistics_hidden),
            nn.ReLU(inplace=True),
        )
        self.head = nn.Sequential(
            nn.Dropout(config.dropout), nn.Linear(2 * widths[-1] + config.statistics_hidden, len(config.classes))
        )
        self.to(memory_format=torch.channels_last)  # with channels-last inputs: faster convolutions on CPU

    def forward(self, x: torch.Tensor, mirrored: bool = False) -> torch.Tensor:
        """Logits (B, classes); with `mirrored`, (2B, classes): the images, then their mirror images."""
        return self.head(torch.cat(self.embed(cnn_input(x, self.config, mirrored), image_statistics(x)), dim=1))

    def embed(self, cnn_inputs: torch.Tensor, raw_statistics: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """What the head reads: the CNN's pooled maps of `cnn_input`'s output and the statistics branch's output
        of `image_statistics`, repeated for the mirror images when `cnn_inputs` holds them too. The statistics
        do not change under a mirror (histograms, rotation-invariant patterns, rings), so they are computed once
        and only the CNN sees both."""
        statistics = self.statistics(raw_statistics)
        statistics = statistics.repeat(len(cnn_inputs) // len(statistics), 1)
        maps = self.features(cnn_inputs)
        return torch.cat([maps.mean(dim=(2, 3)), maps.amax(dim=(2, 3))], dim=1), statistics

    def probabilities(self, batch: PreparedBatch) -> torch.Tensor:
        """Class probabilities (B, classes); with `config.flip_tta`, the mean of the image's and its mirror's."""
        logits = self.head(torch.cat(self.embed(batch.cnn_inputs, batch.raw_statistics), dim=1))
        probs = torch.softmax(logits.double(), dim=1)
        return probs.view(2, -1, probs.shape[1]).mean(dim=0) if self.config.flip_tta else probs


def cnn_input(x: torch.Tensor, config: ModelConfig, mirrored: bool = False) -> torch.Tensor:
    """The CNN's input, channels-last, from RGB in [0, 1] (B, 3, S, S); with `mirrored`, the mirror images
    follow (2B rows). It has no parameters, so the thread that decodes the next batch makes it."""
    small = x if x.shape[-1] == config.input_size else F.adaptive_avg_pool2d(x, config.input_size)  # area averaging
    # Channels-last first: every pass below then writes the layout the convolutions read.
    small = small.contiguous(memory_format=torch.channels_last)
    if config.colour_constancy:
        small = shades_of_grey(small)
    small = small - torch.tensor(config.mean, device=x.device).view(1, 3, 1, 1)
    small.div_(torch.tensor(config.std, device=x.device).view(1, 3, 1, 1))
    if mirrored:
        small = torch.cat([small, small.flip(3)]).contiguous(memory_format=torch.channels_last)
    return small


def shades_of_grey(x: torch.Tensor, p: int = 6) -> torch.Tensor:
    """RGB (B, 3, H, W) with each channel scaled so that its p-norm mean matches the others' (Finlayson and
    Trezzi's colour constancy). A dermatoscope's or camera's blue or yellow cast is removed for the CNN, which
    should learn structure; the statistics branch still sees the colours as they are (stains, radiology grey)."""
    illuminant = x.clamp(min=1e-4).pow_(p).mean(dim=(2, 3), keepdim=True).pow_(1.0 / p)
    return (x * illuminant.mean(dim=1, keepdim=True)).div_(illuminant).clamp_(0.0, 1.0)  # one new tensor, not three


def sample_inputs(images: torch.Tensor, size: int, theta: torch.Tensor | None = None) -> torch.Tensor:
    """Model inputs from decoded uint8 images (B, H, W, 3): float RGB in [0, 1], (B, 3, size, size).

    `theta` (B, 2, 3) is an affine map of the output grid into the image (augmentation); None is the whole
    image. Training and inference share this one resampling, so their inputs look alike.
    """
    x = images.permute(0, 3, 1, 2).float().div_(255.0)
    if theta is None:
        # The identity map samples the same points as a bilinear resize, which is several times cheaper.
        return F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    grid = F.affine_grid(theta, [x.shape[0], 3, size, size], align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)


@dataclass
class PreparedBatch:
    """The parameter-free start of inference on a batch: the CNN's input (with the mirror images when the
    model averages over them) and the statistics."""

    cnn_inputs: torch.Tensor
    raw_statistics: torch.Tensor


@torch.inference_mode()
def prepare_batch(images, config: ModelConfig, device: torch.device | str = "cpu") -> PreparedBatch:
    """Decoded uint8 images (B, H, W, 3) -> model inputs; safe to run on another thread while the model runs."""
    import numpy as np

    x = sample_inputs(torch.as_tensor(np.ascontiguousarray(images)).to(device), config.statistics_size)
    return PreparedBatch(cnn_input(x, config, config.flip_tta), image_statistics(x))


@torch.inference_mode()
def infer_prepared(model: ModalityNet, batch: PreparedBatch):
    """Class probabilities (B, classes) as a float64 numpy array."""
    model.eval()
    return model.probabilities(batch).cpu().numpy()


def infer(model: ModalityNet, images, device: torch.device | str = "cpu", batch_size: int = 64):
    """Class probabilities (N, classes) as a float64 numpy array for decoded uint8 images (N, H, W, 3)."""
    import numpy as np

    out = [
        infer_prepared(model, prepare_batch(images[start : start + batch_size], model.config, device))
        for start in range(0, len(images), batch_size)
    ]
    return np.concatenate(out) if out else np.zeros((0, len(model.config.classes)))


# -- weights on disk ----------------------------------------------------------------------------------


@dataclass
class LoadedModel:
    model: ModalityNet
    config: ModelConfig
    sha256: str
    metadata: dict


def metadata_path(weights: Path) -> Path:
    return weights.with_suffix(".json")


def save_model(model: ModalityNet, weights: Path, metadata: dict) -> str:
    """Write `weights` (safetensors) and its JSON (config + `metadata`); returns the weights' SHA-256."""
    from safetensors.torch import save_file

    from mmskin_build.store.dataset import atomic_write_bytes

    weights.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    tmp = weights.with_name(f".{weights.name}.tmp")
    save_file(state, str(tmp), metadata={"format": "pt"})
    tmp.chmod(0o644)  # safetensors creates the file private; shipped weights must be readable by all
    tmp.replace(weights)
    sha = hashlib.sha256(weights.read_bytes()).hexdigest()
    document = {"config": asdict(model.config), "weights_sha256": sha, **metadata}
    atomic_write_bytes(metadata_path(weights), json.dumps(document, indent=2).encode())
    return sha


def load_model(weights: Path = DEFAULT_WEIGHTS, device: str | torch.device = "cpu") -> LoadedModel:
    from safetensors.torch import load_file

    weights = Path(weights)
    if weights.is_dir():
        weights = weights / DEFAULT_WEIGHTS.name
    document = json.loads(metadata_path(weights).read_text())
    config = ModelConfig(**document["config"])
    model = ModalityNet(config)
    model.load_state_dict(load_file(str(weights)))
    fold_batch_norms(model.to(device).eval())
    sha = hashlib.sha256(weights.read_bytes()).hexdigest()
    return LoadedModel(model, config, sha, document)


@torch.no_grad()
def fold_batch_norms(model: ModalityNet) -> None:
    """For inference: each conv block's BatchNorm folded into its convolution's weights and a bias, so the
    maps are passed over once instead of twice (the CNN ~30 % faster on CPU; probabilities move by ~1e-6).
    The folded model is for inference only: it has no BatchNorm left to train."""
    for index, (conv, norm, relu) in enumerate(model.features):
        scale = norm.weight / (norm.running_var + norm.eps).sqrt()
        folded = nn.Conv2d(
            conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding, device=conv.weight.device
        )
        folded.weight.copy_(conv.weight * scale.view(-1, 1, 1, 1))
        folded.bias.copy_(norm.bias - norm.running_mean * scale)
        model.features[index] = nn.Sequential(folded.to(memory_format=torch.channels_last), relu)
