"""Figures of one page: layout, captions, regions. Pure geometry, no image bytes."""

from __future__ import annotations

from mmskin_build.extract.captions import find_captions
from mmskin_build.extract.layout import DocumentStyle, analyse_layout
from mmskin_build.extract.page import PageContent
from mmskin_build.extract.regions import FigureRegion, find_figure_regions, split_graphics, uncaptioned_regions
from mmskin_build.extract.render import InkMask


def detect_figures(page: PageContent, style: DocumentStyle) -> list[FigureRegion]:
    """Figures on `page` (captioned ones, and uncaptioned photo-sized images) in reading order."""
    body_size = style.body_size
    layout = analyse_layout(page, style)
    captions = find_captions(page)
    graphics, rules = split_graphics(page, layout)
    placed: list[FigureRegion] = []
    if captions and graphics:
        ink = InkMask.of(page)
        # Figures are found as groups of ink: erase what can never be part of one.
        for box in [line.box for line in layout.body + layout.margin] + [c.box for c in captions]:
            ink.erase(box.expand(1.5))  # glyph boxes are tight: take the anti-aliased edges too
        for rule in rules:
            ink.erase_outline(rule.box, width=2.0)
        placed = find_figure_regions(page, layout, captions, graphics, ink, body_size)
    figures = [region for region in placed if region.caption is not None and region.caption.type == "Figure"]
    figures += uncaptioned_regions(page, graphics, placed)
    figures.sort(key=lambda region: (region.box.top, region.box.x0))
    return figures
