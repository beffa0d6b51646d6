"""Procedurally drawn stand-ins for textbook images: skin photos, H&E micrographs, dermoscopy, a logo.

Every function takes a numpy Generator so a seed gives the same pixels, and returns a PIL image.
`jpeg_bytes` encodes photos the way books embed them (DCT); the logo stays a PNG (Flate in the PDF).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Base skin colours (RGB) from light to dark, loosely Fitzpatrick I-VI.
SKIN_TONES = [(241, 204, 180), (226, 180, 150), (200, 150, 115), (165, 115, 85), (120, 80, 55), (85, 55, 40)]


def smooth_noise(rng: np.random.Generator, width: int, height: int, cells: int) -> np.ndarray:
    """Low-frequency noise in [0, 1]: a coarse random grid upsampled bicubically to width x height."""
    coarse = rng.random((max(2, cells * height // width), cells)).astype(np.float32)
    image = Image.fromarray((coarse * 255).astype(np.uint8)).resize((width, height), Image.Resampling.BICUBIC)
    return np.asarray(image, dtype=np.float32) / 255.0


def _blob(width: int, height: int, cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
    """A soft elliptical mask in [0, 1] centred at (cx, cy) pixels."""
    y, x = np.ogrid[:height, :width]
    d2 = (((x - cx) / rx) ** 2).astype(np.float32) + (((y - cy) / ry) ** 2).astype(np.float32)
    return np.exp(-2.0 * d2)


def _to_image(rgb: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")


def skin_photo(rng: np.random.Generator, width: int = 640, height: int = 480, tone: int | None = None) -> Image.Image:
    """A clinical photo look-alike: shaded skin with pores, red plaques and whitish scale."""
    base = np.array(SKIN_TONES[rng.integers(len(SKIN_TONES)) if tone is None else tone], dtype=np.float32)
    light = 0.85 + 0.3 * smooth_noise(rng, width, height, 3)[..., None]
    rgb = base * light + rng.normal(0, 6, (height, width, 1)).astype(np.float32)
    erythema = np.zeros((height, width), np.float32)
    border = 0.5 + 0.5 * smooth_noise(rng, width, height, 12)  # makes plaque borders irregular
    for _ in range(int(rng.integers(3, 8))):
        cx, cy = rng.uniform(0.15, 0.85) * width, rng.uniform(0.15, 0.85) * height
        rx, ry = rng.uniform(0.05, 0.18) * width, rng.uniform(0.05, 0.18) * height
        # A thresholded blob gives the sharp, irregular edge of a plaque.
        erythema = np.maximum(erythema, np.clip((_blob(width, height, cx, cy, rx, ry) * border - 0.3) * 4, 0, 1))
    scale = erythema * (rng.random((height, width), dtype=np.float32) > 0.7)
    red = np.array([185, 60, 60], np.float32)
    rgb = rgb * (1 - 0.75 * erythema[..., None]) + red * 0.75 * erythema[..., None]
    rgb = rgb * (1 - 0.35 * scale[..., None]) + 245 * 0.35 * scale[..., None]
    return _to_image(rgb)


def histology(rng: np.random.Generator, width: int = 640, height: int = 480) -> Image.Image:
    """An H&E micrograph look-alike: eosin-pink stroma with fibres, haematoxylin-purple nuclei and an epidermis."""
    pink = np.array([232, 170, 200], np.float32)
    fibres = smooth_noise(rng, width, height, 40)
    rgb = pink * (0.8 + 0.25 * fibres[..., None]) + rng.normal(0, 5, (height, width, 1)).astype(np.float32)
    epidermis = height * (0.18 + 0.08 * smooth_noise(rng, width, 1, 6)[0])
    rows = np.arange(height, dtype=np.float32)[:, None]
    band = np.clip((epidermis[None, :] - rows) / 12 + 0.5, 0, 1) * (rows > epidermis[None, :] * 0.35)
    purple = np.array([120, 60, 150], np.float32)
    rgb = rgb * (1 - 0.6 * band[..., None]) + purple * 0.6 * band[..., None]
    image = _to_image(rgb)
    draw = ImageDraw.Draw(image)
    for _ in range(width * height // 900):
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.uniform(2, 5)
        shade = tuple(int(v) for v in rng.integers([60, 20, 100], [110, 60, 160]))
        draw.ellipse([x - r, y - r * 0.7, x + r, y + r * 0.7], fill=shade)
    return image


def dermoscopy(rng: np.random.Generator, width: int = 480, height: int = 480) -> Image.Image:
    """A dermoscopy look-alike: a round pigmented lesion with a network, inside a dark circular field."""
    base = np.array(SKIN_TONES[int(rng.integers(0, 3))], np.float32)
    rgb = base * (0.9 + 0.15 * smooth_noise(rng, width, height, 4)[..., None])
    cx, cy = width * rng.uniform(0.4, 0.6), height * rng.uniform(0.4, 0.6)
    lesion = _blob(width, height, cx, cy, width * 0.28, height * 0.24) * (
        0.7 + 0.3 * smooth_noise(rng, width, height, 8)
    )
    y, x = np.mgrid[:height, :width].astype(np.float32)
    network = (np.sin(x / 5.0) * np.sin(y / 5.0) > 0.35).astype(np.float32)
    brown = np.array([110, 65, 40], np.float32)
    pigment = np.clip((lesion - 0.15) * 1.6 * (0.75 + 0.35 * network), 0, 0.95)[..., None]
    rgb = rgb * (1 - pigment) + brown * pigment
    field = np.hypot(x - width / 2, y - height / 2) / (0.5 * min(width, height))
    vignette = np.clip((field - 0.92) / 0.08, 0, 1)[..., None]
    rgb = rgb * (1 - vignette) + 8 * vignette
    return _to_image(rgb)


def logo(size: int = 120) -> Image.Image:
    """A small publisher logo: a teal roundel with a white cross (decorative, not a figure)."""
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse([4, 4, size - 4, size - 4], fill=(20, 120, 130))
    arm, half = size // 8, size // 2
    draw.rectangle([half - arm, size // 5, half + arm, size - size // 5], fill="white")
    draw.rectangle([size // 5, half - arm, size - size // 5, half + arm], fill="white")
    return image


def lesion_drawing(rng: np.random.Generator, width: int = 480, height: int = 360) -> Image.Image:
    """A textbook line drawing of a lesion on white: an irregular outline, a few hatch strokes inside, a leader
    line; no frame (the drawing beside a photograph of the same lesion)."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    cx, cy, radius = width * 0.45, height * 0.5, min(width, height) * 0.32
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    radii = radius * (1 + 0.18 * rng.standard_normal(len(angles)).clip(-1.5, 1.5))
    outline = [(cx + r * np.cos(a), cy + r * np.sin(a)) for a, r in zip(angles, radii, strict=True)]
    draw.line([*outline, outline[0]], fill="black", width=3)
    for k in range(-3, 4):
        y = cy + k * radius * 0.2
        draw.line([(cx - radius * 0.5, y), (cx + radius * 0.4, y - radius * 0.15)], fill=(90, 90, 90), width=2)
    draw.line([(cx + radius * 0.9, cy - radius * 0.6), (width * 0.92, height * 0.12)], fill="black", width=2)
    return image


def composite(
    panels: list[Image.Image], columns: int, letters: list[str] | None, gutter: int = 12
) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """Tile equally sized panels into one image with panel letters (if any) burned into each top-left corner.

    Returns the image and each panel's pixel box (x0, y0, x1, y1) in reading order.
    """
    width, height = panels[0].size
    rows = -(-len(panels) // columns)
    sheet = Image.new("RGB", (columns * width + (columns - 1) * gutter, rows * height + (rows - 1) * gutter), "white")
    font = ImageFont.load_default(size=max(16, height // 9))
    draw = ImageDraw.Draw(sheet)
    boxes = []
    for i, (panel, letter) in enumerate(zip(panels, letters or [None] * len(panels), strict=True)):
        x0, y0 = (i % columns) * (width + gutter), (i // columns) * (height + gutter)
        sheet.paste(panel, (x0, y0))
        boxes.append((x0, y0, x0 + width, y0 + height))
        if letter is None:
            continue
        pad = height // 30
        draw.rectangle([x0, y0, x0 + height // 7 + pad, y0 + height // 7 + pad], fill="white")
        draw.text((x0 + pad, y0 + pad // 2), letter, fill="black", font=font)
    return sheet, boxes


def jpeg_bytes(image: Image.Image, quality: int = 85) -> bytes:
    """Baseline JPEG bytes (embedded as DCTDecode, byte for byte, by reportlab)."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=False)
    return out.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
