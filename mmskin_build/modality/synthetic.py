"""Drawn charts and diagrams: extra `other` examples for training the modality network.

The labelled images hold few charts, and none with the thin lines of a typical plot: downscaled, such a plot
is a white field with faint strokes, which a network trained only on photographs reads as the pale stroma
of a micrograph. Textbooks are full of such plots, so training adds drawn ones: line, scatter and bar charts
and box-and-arrow diagrams, with axes, grids, tick labels and legends, in random sizes, line widths and
colours. They only ever join the training images, never the images a model is scored on.
"""

from __future__ import annotations

import io
import itertools

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from mmskin_build.modality.decode import decode_image

_PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (0, 0, 0), (120, 120, 120)]


def drawn_charts(count: int, size: int, seed: int) -> np.ndarray:
    """`count` drawn charts and diagrams, decoded like any image file to (count, size, size, 3) uint8."""
    rng = np.random.default_rng(seed)
    kinds = (_line_chart, _scatter_chart, _bar_chart, _diagram)
    out = np.empty((count, size, size, 3), dtype=np.uint8)
    for i in range(count):
        width, height = int(rng.integers(320, 1400)), int(rng.integers(240, 1000))
        background = (255, 255, 255) if rng.random() < 0.85 else tuple(int(v) for v in rng.integers(235, 256, 3))
        image = Image.new("RGB", (width, height), background)
        kinds[i % len(kinds)](ImageDraw.Draw(image), width, height, rng)
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        out[i] = decode_image(buffer.getvalue(), size)
    return out


def _colour(rng: np.random.Generator) -> tuple[int, int, int]:
    return _PALETTE[int(rng.integers(len(_PALETTE)))]


def _font(rng: np.random.Generator, height: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=float(max(9, height * rng.uniform(0.02, 0.05))))


def _axes(draw: ImageDraw.ImageDraw, width: int, height: int, rng: np.random.Generator) -> tuple[int, int, int, int]:
    """Axes with ticks, tick labels and maybe a grid; returns the plot area (left, top, right, bottom)."""
    font = _font(rng, height)
    left, bottom = int(width * rng.uniform(0.08, 0.16)), int(height * rng.uniform(0.8, 0.9))
    right, top = int(width * rng.uniform(0.9, 0.98)), int(height * rng.uniform(0.04, 0.12))
    stroke = int(rng.integers(1, 3))
    grid = rng.random() < 0.4
    for k in range(6):
        x = left + (right - left) * k // 5
        y = bottom - (bottom - top) * k // 5
        if grid:
            draw.line([(x, top), (x, bottom)], fill=(225, 225, 225))
            draw.line([(left, y), (right, y)], fill=(225, 225, 225))
        draw.line([(x, bottom), (x, bottom + 5)], fill="black", width=stroke)
        draw.line([(left - 5, y), (left, y)], fill="black", width=stroke)
        draw.text((x - 6, bottom + 8), f"{k * int(rng.integers(1, 50))}", fill="black", font=font)
        draw.text((4, y - 6), f"{k / 5:.1f}", fill="black", font=font)
    draw.line([(left, top), (left, bottom), (right, bottom)], fill="black", width=stroke)
    if rng.random() < 0.5:
        draw.rectangle([left, top, right, bottom], outline="black", width=stroke)
    draw.text(((left + right) // 2 - 30, min(height - 14, bottom + 24)), "iterations", fill="black", font=font)
    return left, top, right, bottom


def _legend(draw: ImageDraw.ImageDraw, area: tuple[int, int, int, int], colours, rng: np.random.Generator) -> None:
    left, top, right, _ = area
    font = _font(rng, area[3] - area[1])
    x, y = int(left + (right - left) * rng.uniform(0.55, 0.75)), top + 8
    for k, colour in enumerate(colours):
        draw.line([(x, y + 14 * k + 6), (x + 20, y + 14 * k + 6)], fill=colour, width=2)
        draw.text((x + 26, y + 14 * k), f"method {k + 1}", fill="black", font=font)


def _line_chart(draw: ImageDraw.ImageDraw, width: int, height: int, rng: np.random.Generator) -> None:
    left, top, right, bottom = area = _axes(draw, width, height, rng)
    colours = [_colour(rng) for _ in range(int(rng.integers(1, 5)))]
    points = int(rng.integers(8, 60))
    for colour in colours:
        ys = np.cumsum(rng.normal(0, 1, points))
        ys = (ys - ys.min()) / (np.ptp(ys) or 1.0)
        xs = left + (right - left) * np.arange(points) / (points - 1)
        line = list(zip(xs.tolist(), (bottom - (bottom - top) * (0.05 + 0.9 * ys)).tolist(), strict=True))
        draw.line(line, fill=colour, width=int(rng.integers(1, 4)))
        if rng.random() < 0.4:
            for px, py in line:
                draw.ellipse([px - 3, py - 3, px + 3, py + 3], outline=colour)
    if rng.random() < 0.6:
        _legend(draw, area, colours, rng)


def _scatter_chart(draw: ImageDraw.ImageDraw, width: int, height: int, rng: np.random.Generator) -> None:
    left, top, right, bottom = _axes(draw, width, height, rng)
    for _ in range(int(rng.integers(1, 4))):
        colour, radius = _colour(rng), float(rng.uniform(1.5, 5))
        centre = rng.uniform(0.2, 0.8, 2)
        for px, py in np.clip(rng.normal(centre, rng.uniform(0.05, 0.25), (int(rng.integers(20, 300)), 2)), 0, 1):
            x, y = left + (right - left) * px, bottom - (bottom - top) * py
            fill = colour if rng.random() < 0.7 else None
            draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=fill, outline=colour)


def _bar_chart(draw: ImageDraw.ImageDraw, width: int, height: int, rng: np.random.Generator) -> None:
    left, top, right, bottom = _axes(draw, width, height, rng)
    groups, series = int(rng.integers(2, 9)), int(rng.integers(1, 4))
    colours = [_colour(rng) for _ in range(series)]
    step = (right - left) / groups
    bar = step * rng.uniform(0.5, 0.85) / series
    filled = rng.random() < 0.75
    for g in range(groups):
        for s, colour in enumerate(colours):
            x0 = left + g * step + step * 0.1 + s * bar
            y0 = bottom - (bottom - top) * rng.uniform(0.1, 0.95)
            draw.rectangle(
                [x0, y0, x0 + bar - 1, bottom], fill=colour if filled else None, outline=colour if filled else "black"
            )


def _diagram(draw: ImageDraw.ImageDraw, width: int, height: int, rng: np.random.Generator) -> None:
    """Boxes of text joined by lines, as in flow charts and classification schemes."""
    font = _font(rng, height)
    rows, cols = int(rng.integers(2, 5)), int(rng.integers(1, 4))
    box_w, box_h = width / cols * 0.7, height / rows * 0.45
    fill = None if rng.random() < 0.6 else tuple(int(v) for v in rng.integers(200, 250, 3))
    centres = []
    for r in range(rows):
        for c in range(cols):
            cx, cy = width * (c + 0.5) / cols, height * (r + 0.5) / rows
            box = [cx - box_w / 2, cy - box_h / 2, cx + box_w / 2, cy + box_h / 2]
            draw.rectangle(box, fill=fill, outline="black", width=int(rng.integers(1, 3)))
            draw.text((cx - box_w / 2 + 6, cy - 6), "assess lesion", fill="black", font=font)
            centres.append((cx, cy))
    for (x0, y0), (x1, y1) in itertools.pairwise(centres):
        draw.line([(x0, y0 + box_h / 2), (x1, y1 - box_h / 2)], fill="black", width=1)
