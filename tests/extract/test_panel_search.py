"""The top-level panel search (`panels/search.py`): what a figure's caption tells it about the pictures to find."""

import warnings

import numpy as np
from PIL import Image, ImageDraw

from mmskin_build.extract.captions import Caption
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.panels import find_panels, needs_pixels
from mmskin_build.extract.panels.search import _drawn_along_a_row
from mmskin_build.extract.panels.spans import divided_parts
from mmskin_build.extract.regions import FigureRegion, Graphic
from mmskin_build.text.panel_markers import places_named


def _framed_pair() -> Image.Image:
    """Two framed line drawings side by side in one raster, 640 x 220 pixels, 30 pixels apart, the first frame's left
    side cut off at the raster's edge: no frame is whole and the gutter is narrow, so nothing parts them as panels.
    The second drawing holds rings inside its ring, over twice the first's ink: two different drawings, not one
    object drawn twice (`panels/twice.py` parts those)."""
    picture = Image.new("L", (640, 220), 255)
    draw = ImageDraw.Draw(picture)
    for x0, x1 in ((-10, 305), (335, 635)):
        draw.rectangle([x0, 4, x1, 215], outline=0, width=2)
        draw.ellipse([max(x0, 0) + 40, 30, x1 - 40, 190], outline=0, width=3)
        draw.arc([max(x0, 0) + 80, 60, x1 - 80, 160], 0, 180, fill=0, width=2)
    for inset in range(12, 70, 8):
        draw.ellipse([375 + inset, 30 + inset, 595 - inset, 190 - inset], outline=0, width=3)
    return picture.convert("RGB")


def _captioned(text: str, drawn: bool = False) -> FigureRegion:
    """A figure of one raster (or, `drawn`, of vector graphics alone) under an unlabelled caption `text`."""
    box = Box(0, 0, 235, 80)
    caption = Caption("Figure", "", None, [], Box(0, 90, 235, 98), text, 2.0, 0)
    return FigureRegion(caption, box, [] if drawn else [Graphic("image", box, None)], [])


def _two_plots() -> Image.Image:
    """Two line plots side by side, each on its own axes with ticks, 640 x 220 pixels."""
    picture = Image.new("RGB", (640, 220), "white")
    draw = ImageDraw.Draw(picture)
    for x0 in (30, 350):
        draw.line([(x0, 10), (x0, 190), (x0 + 260, 190)], fill="black", width=2)
        for k in range(5):
            draw.line([(x0 - 5, 20 + 40 * k), (x0, 20 + 40 * k)], fill="black", width=1)
            draw.line([(x0 + 30 + 50 * k, 190), (x0 + 30 + 50 * k, 196)], fill="black", width=1)
        draw.line([(x0 + 10, 160), (x0 + 80, 90), (x0 + 150, 130), (x0 + 250, 30)], fill="red", width=2)
    return picture


def test_pictures_the_caption_names_by_place_are_panels():
    """Held-out 20 (WHO pocket book p. 295): "Good (left) and poor (right) attachment of infant to the mother's breast",
    two framed drawings in one raster, the first frame cut off at the raster's edge: one panel, truth two. A caption
    naming two or more places names as many pictures, as letters would; one place, or none, names nothing."""
    picture = _framed_pair()
    assert len(find_panels(_captioned("Good (left) and poor (right) attachment of infant"), picture)) == 2
    assert len(find_panels(_captioned("Left: good attachment. Right: poor attachment."), picture)) == 2
    assert find_panels(_captioned("Good and poor attachment of infant"), picture) == []
    assert find_panels(_captioned("Poor attachment: the chin is away from the breast (left)"), picture) == []


def test_drawn_plots_the_caption_names_by_place_are_searched_in_pixels():
    """Dev ICML 2013 (sheldon13 Figure 3, "Left: relative error vs. M. Right: running time vs. M."; afkanpour13 Figure
    2, "test error (left) and training time (right)"): two vector plots, whose pixels the search never looked at,
    since no letter names panels. Places named count as letters do there too."""
    named = _captioned("Left: relative error against M. Right: running time against M.", drawn=True)
    plain = _captioned("Relative error and running time against M.", drawn=True)
    assert needs_pixels(named, 0)
    assert not needs_pixels(plain, 0)
    assert len(find_panels(named, _two_plots())) == 2


def test_places_named_counts_places_not_mentions():
    """Places alone or with a word for a picture name pictures ("(top traces)", "Bottom panel:"); one place named
    again, a place with other words ("(top in blue)", "(below the stage)") or in running text names none."""
    assert (
        places_named("Idealized workflows of current (left), hybrid (centre) and data-driven (right) prediction") == 3
    )
    assert places_named("Top: the lesion. Bottom panel: its margin.") == 2
    assert places_named("Spectra at pH 5.5 (top traces) were shifted relative to pH 7 (lower traces).") == 2
    assert places_named("CT (left) and MRI (center), and the CT again (left)") == 2
    assert places_named("A strip is inserted into a slot on the right side of the machine (left)") == 0
    assert places_named("The semantic parse (top in blue) and the syntactic parse (bottom in orange)") == 0
    assert places_named("The condenser (below the stage) and the stage (right side only)") == 0


def test_places_named_in_capitals_or_opening_the_caption_after_its_label():
    """Held-out 39 (NAACL 2024): Regularized Conventions Figures 2-5 name their plots "(Left) ... (Middle) ...
    (Right) ...", Which-one Figure 1 opens " Left: Previous methods ... Right: By contrast" (the caption's text after
    its label "Figure 1:"); both named no place, so the search never asked for their 2 or 3 pictures (1 panel each)."""
    assert (
        places_named(" (Left) Correlation for RECO. (Middle) Correlation of RSA. (Right) Correlation of RD-RSA.") == 3
    )
    assert places_named(" Left: Previous methods pool views. Right: By contrast, MAGiC reasons jointly.") == 2
    assert places_named(": Left: previous methods. Right: ours.") == 2
    assert places_named(" (Left hand) and (Right hand) of the patient") == 0


def _boxes_and_arrows(draw: ImageDraw.ImageDraw, x0: int, y0: int, x1: int, y1: int) -> None:
    """A small flow chart inside (x0, y0, x1, y1): three labelled boxes joined by arrows, a fourth under them."""
    width = (x1 - x0 - 40) // 3
    for k in range(3):
        left = x0 + 10 + k * (width + 10)
        draw.rectangle([left, y0 + 10, left + width - 10, y0 + 50], outline=0, width=2)
        draw.text((left + 8, y0 + 22), "step", fill=0)
        if k:
            draw.line([(left - 18, y0 + 30), (left - 2, y0 + 30)], fill=0, width=2)
    draw.rectangle([x0 + 30, y1 - 50, x1 - 30, y1 - 10], outline=0, width=2)
    draw.line([((x0 + x1) // 2, y0 + 50), ((x0 + x1) // 2, y1 - 50)], fill=0, width=2)


def _divided() -> Image.Image:
    """Held-out 39 Which-one Figure 1 drawn again: two flow charts side by side, 640 x 220 pixels, each under a title
    whose rule runs to a dotted rule down the whole picture between them, so no blank column parts them."""
    picture = Image.new("L", (640, 220), 255)
    draw = ImageDraw.Draw(picture)
    _boxes_and_arrows(draw, 0, 20, 312, 220)
    _boxes_and_arrows(draw, 328, 20, 640, 220)
    draw.line([(0, 16), (640, 16)], fill=0, width=1)  # the titles' rules, touching the divider
    for y in range(2, 218, 20):
        draw.line([(319, y), (319, y + 13)], fill=0, width=3)
    return picture.convert("RGB")


def _lettered_over_a_rule() -> Image.Image:
    """Held-out 39 CoUDA Figure 2 drawn again, 640 x 330 pixels: a wide flow chart (a) over a dashed rule across the
    picture, two flow charts (b) and (c) of other widths side by side under it, white between them."""
    picture = Image.new("L", (640, 330), 255)
    draw = ImageDraw.Draw(picture)
    _boxes_and_arrows(draw, 0, 0, 640, 160)
    for x in range(0, 640, 9):
        draw.line([(x, 168), (x + 4, 168)], fill=0, width=2)
    _boxes_and_arrows(draw, 0, 176, 250, 330)
    _boxes_and_arrows(draw, 290, 176, 640, 330)
    return picture.convert("RGB")


def test_parts_a_rule_divides_across_the_whole_figure_are_panels():
    """Held-out 39 (NAACL 2024): Which-one Figure 1 (two diagrams parted by a rule that their titles' rules touch: 1
    panel, truth 2), MART Figure 1 (a dotted rule, four cartoon heads as rasters in the diagrams: 4 panels, truth 2)
    and CoUDA Figure 2 ("(a)" over a dashed rule, "(b)" and "(c)" side by side under it: 1 panel, truth 3). The rule
    parts the figure's panels; a part beside it is cut again at blank space only to give each letter a part."""
    assert len(find_panels(_captioned("Previous methods and ours."), _divided())) == 2
    region = FigureRegion(
        _captioned("").caption, Box(0, 0, 320, 165), [Graphic("image", Box(0, 0, 320, 165), None)], []
    )
    assert len(find_panels(region, _lettered_over_a_rule(), caption_letters=3)) == 3


def test_a_rule_that_stops_short_divides_nothing():
    """A rule down the middle of a flow chart that ends well inside it (60 to 150 of 220 pixels) is no divider, nor is
    the wide box's edge under the chart (its sides turn off both its ends to one side): the chart stays whole."""
    picture = Image.new("L", (640, 220), 255)
    draw = ImageDraw.Draw(picture)
    _boxes_and_arrows(draw, 0, 0, 640, 220)
    draw.line([(319, 60), (319, 150)], fill=0, width=3)  # a rule in the middle of the chart only
    assert find_panels(_captioned("The pipeline."), picture.convert("RGB")) == []


def test_a_pipeline_laid_out_along_a_row_is_one_panel():
    """Held-out 39 Quantum Figure 1 ("The process of quantum computation."): a box, four steps in a dashed frame and
    a box in one row, cut at the blank beside the frame into a 60 pt box, a 265 pt strip and a 59 pt box (the boxes
    measured there). The strip was dropped as a legend and the two ends kept as alike panels (2 panels, truth 1). A
    colour bar or a key at a row's end, or one narrower than the panels between them, is no pipeline."""
    ends_and_strip = [Box(103, 76, 163, 113), Box(164, 76, 429, 113), Box(432, 76, 491, 113)]
    assert _drawn_along_a_row(ends_and_strip)
    maps_and_bar = [Box(0, 0, 100, 100), Box(110, 0, 210, 100), Box(220, 10, 235, 90)]
    assert not _drawn_along_a_row(maps_and_bar)
    key_between = [Box(0, 0, 100, 100), Box(110, 40, 190, 60), Box(200, 0, 300, 100)]
    assert not _drawn_along_a_row(key_between)


def test_pictures_held_in_drawn_tiles_are_parts_of_the_tiles():
    """Held-out 39 Regularized Conventions Figure 2 ("(Left) ... (Right) ..."): two drawn tiles side by side, each
    holding two heat-map matrices drawn as rasters (33 % of the figure) among its labels: 4 panels, truth 2. Pictures
    that leave most of the figure out, each in one of fewer drawn tiles, are parts of the tiles."""
    figure = Box(0, 0, 220, 240)
    tiles = [Box(0, 0, 108, 240), Box(112, 0, 220, 240)]
    matrices = [Box(x, y, x + 66, y + 66) for x in (30, 142) for y in (30, 130)]
    picture = Image.new("L", (440, 480), 255)
    draw = ImageDraw.Draw(picture)
    for tile in tiles:
        draw.rectangle([2 * tile.x0, 0, 2 * tile.x1, 479], fill=235)
    rng = np.random.default_rng(0)
    for box in matrices:
        cells = rng.integers(0, 255, (132, 132), dtype=np.uint8)
        picture.paste(Image.fromarray(cells), (round(2 * box.x0), round(2 * box.top)))
    graphics = [Graphic("path", box, None) for box in tiles] + [Graphic("image", box, None) for box in matrices]
    region = FigureRegion(_captioned("").caption, figure, graphics, [])
    assert [panel.box for panel in find_panels(region, picture.convert("RGB"))] == tiles


def test_a_double_rule_whose_soft_edges_join_its_strokes_is_one_divider():
    """A NAACL 2024 paper's figure (mineru's test PDFs, 1460 pixels square): two dark strokes of one rule with a
    partly inked row between them. Each stroke, widened by its soft edges, was the same rule, found twice, and the
    empty part between the two copies was measured: numpy warned (0 / 0) on the console. One rule, two parts."""
    grey = np.full((400, 400), 255, np.uint8)
    grey[200, 4:396] = grey[202, 4:396] = 0
    grey[201, 4:396:5] = 0  # a fifth of the row inked: more than the clear share, less than a rule's
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert divided_parts(grey) == [(0, 0, 400, 200), (0, 203, 400, 400)]
