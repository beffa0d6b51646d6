"""Panels of drawings on generated figures: line drawings set apart, framed or laid over each other, rows of
drawings not split, and photographs set beside or into drawings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from fixtures.layout_pages import FONT_20, body_paragraph, flat_drawing, lesion_outlines
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import Graphic, TextLine
from mmskin_build.extract.panels import find_panels
from mmskin_build.extract.panels.basics import _grey
from mmskin_build.extract.panels.drawings import drawings_by_letter
from mmskin_build.extract.panels.gutters import _photo_framed_beside_drawing, _photo_in_drawing, split_at_gutters
from mmskin_build.extract.panels.lettered import GUTTER_SEARCH_PX
from mmskin_build.extract.regions import FigureRegion
from mmskin_build.extract.stage import run_extract
from mmskin_build.sample import images
from mmskin_build.sample.styles import line_drawings
from mmskin_build.store import Dataset


def _drawings_laid_over(rasters: list[Box], figure: Box) -> tuple[FigureRegion, Image.Image]:
    """A figure of line drawings (an oval's outline 10 pt inside each raster; one pixel a point), each raster's white
    ground laid over the rasters before it."""
    picture = Image.new("RGB", (round(figure.width), round(figure.height)), "white")
    draw = ImageDraw.Draw(picture)
    for box in rasters:
        x0, y0, x1, y1 = box.x0 - figure.x0, box.top - figure.top, box.x1 - figure.x0, box.bottom - figure.top
        draw.rectangle([x0, y0, x1 - 1, y1 - 1], fill="white")
        draw.ellipse([x0 + 10, y0 + 10, x1 - 10, y1 - 10], outline="black", width=2)
    return FigureRegion(None, figure, [Graphic("image", box, None) for box in rasters], []), picture


def test_drawings_laid_each_over_a_corner_of_another_are_panels():
    """Held-out 20 (WHO pocket book p. 280): two drawings of hands, each a raster of one size on white, set diagonally,
    the second's white ground over the first's lower right corner: one panel, truth two. Rasters that no tile or inset
    joins (`runs_on`), of one size and overlapping at a corner only, were laid by hand: panels, drawings or not. A
    small raster over a drawing's corner (a label, another size), or one laid across a drawing's whole side, is not."""
    figure = Box(0, 0, 300, 300)
    region, picture = _drawings_laid_over([Box(0, 0, 170, 160), Box(130, 120, 300, 300)], figure)
    assert len(find_panels(region, picture)) == 2
    region, picture = _drawings_laid_over([Box(0, 0, 250, 260), Box(200, 220, 300, 300)], figure)
    assert find_panels(region, picture) == []
    region, picture = _drawings_laid_over([Box(0, 0, 170, 160), Box(0, 120, 170, 300)], figure)
    assert find_panels(region, picture) == []


def _stages(between: str) -> Image.Image:
    """Two line drawings of a figure before and after a step (ovals, the first wider: an arm held out), 640 x 460
    pixels, with `between` them an outline arrow ("arrow"), a tall stroke ("stroke") or nothing ("")."""
    picture = Image.new("RGB", (640, 460), "white")
    draw = ImageDraw.Draw(picture)
    for x0, x1 in ((15, 315), (415, 620)):
        draw.ellipse([x0, 10, x1, 450], outline="black", width=3)
        draw.ellipse([x0 + 60, 60, x1 - 60, 200], outline="black", width=2)
    if between == "arrow":
        draw.polygon(
            [(330, 200), (350, 200), (350, 185), (372, 215), (350, 245), (350, 230), (330, 230)], outline="black"
        )
    elif between == "stroke":  # ends inside the figure: a rule across its whole height divides it (test_panel_search)
        draw.line([(360, 60), (360, 400)], fill="black", width=2)
    return picture


def test_line_drawings_with_an_arrow_between_them_are_panels_whatever_their_sizes():
    """Held-out 20 (WHO pocket book p. 276, "Sling to support an injured arm"): a child before and after the sling is
    tied, an outline arrow between, the first drawing 1.5 times as wide (its arm held out): one panel, truth two
    (separate drawings of a process's stages are panels, arrows between them or not). Line drawings apart by less than
    _FAR_APART of the narrower and of other sizes stay one picture, unless a sign stands between each two; a tall
    stroke is no sign."""
    box = Box(0, 0, 160, 115)
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    assert len(find_panels(region, _stages("arrow"))) == 2
    assert find_panels(region, _stages("")) == []
    assert find_panels(region, _stages("stroke")) == []


def test_a_row_of_drawings_is_not_split():
    """One row (or one column) of unframed line drawings is as often one diagram as separate drawings: only a grid
    splits (coloured artwork set well apart does: `test_coloured_drawings_set_apart_in_a_row_are_panels`). A row of
    drawings each in its own frame is one panel each, as the panels rule of groundtruth/README.md says
    (`test_drawings_each_in_its_own_frame_are_panels`)."""
    rng = np.random.default_rng(0)
    figure = Box(0, 0, 300, 200)
    assert len(split_at_gutters(_grey(line_drawings(rng, count=6, columns=3), GUTTER_SEARCH_PX), figure)) == 6
    assert len(split_at_gutters(_grey(line_drawings(rng, count=3, columns=3), GUTTER_SEARCH_PX), figure)) == 3


def _sketches_in_a_row(framed: bool, count: int = 3) -> Image.Image:
    """`count` line drawings side by side on white, 200 x 260 pixels each, 20 pixels apart (too close to be set
    apart), a few scribbled strokes each, `framed`: each inside its own drawn rectangle."""
    rng = np.random.default_rng(1)
    sheet = Image.new("L", (count * 220 - 20, 260), 255)
    draw = ImageDraw.Draw(sheet)
    for i in range(count):
        x = i * 220
        if framed:
            draw.rectangle((x, 0, x + 199, 259), outline=0, width=2)
        for _ in range(8):
            points = rng.integers((x + 6, 6, x + 6, 6), (x + 194, 254, x + 194, 254))
            draw.line(tuple(int(v) for v in points), fill=0, width=2)
    return sheet


def test_drawings_each_in_its_own_frame_are_panels():
    """Held-out 20 (good and poor attachment of an infant to the breast): line drawings side by side, each inside
    its own drawn frame, a panel each; the frame closes each off as a gutter would. Unframed, so close together,
    the same strokes stay one picture (`test_a_row_of_drawings_is_not_split`)."""
    figure = Box(0, 0, 640, 260)
    assert len(split_at_gutters(_grey(_sketches_in_a_row(framed=True), GUTTER_SEARCH_PX), figure)) == 3
    assert split_at_gutters(_grey(_sketches_in_a_row(framed=False), GUTTER_SEARCH_PX), figure) == []


def _coloured_drawings(widths: list[int], gutter: int, height: int = 300) -> Image.Image:
    """Coloured drawings side by side on white (filled shapes: a skin section, a fingertip), each `widths[i]` wide,
    `gutter` pixels apart, a callout label over each joined to it by a leader line."""
    sheet = Image.new("RGB", (sum(widths) + gutter * (len(widths) - 1), height), "white")
    draw = ImageDraw.Draw(sheet)
    x = 0
    for i, width in enumerate(widths):
        draw.text((x, 5), f"Part {i + 1}", fill="black", font=FONT_20)
        draw.line((x + 20, 20, x + width // 2, 110), fill="black", width=2)
        draw.rectangle((x, 100, x + width, height - 1), fill=(205, 120, 100))
        draw.ellipse((x + width // 3, 130, x + 2 * width // 3, height - 40), fill=(120, 70, 40))
        x += width + gutter
    return sheet


def test_coloured_drawings_set_apart_in_a_row_are_panels():
    """OpenStax Figures 5.22 (three stages of acne drawn side by side) and 5.13 (a fingertip beside a nail in section,
    half its width), unlettered: one row of parts, which the drawing search left whole (a row of parts is one diagram
    as often as separate drawings; `test_a_row_of_drawings_is_not_split`). Coloured artwork set apart by gutters a
    quarter of a drawing wide is separate drawings, whatever their sizes; one diagram's filled columns stand close."""
    figure = Box(0, 0, 400, 150)
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    stages = find_panels(region, _coloured_drawings([220, 214, 214], gutter=60))  # 768 pixels for 400 points
    drawn = [(0, 220), (280, 494), (554, 768)]  # the labels reach the drawings' left edges
    assert len(stages) == 3
    assert all(
        abs(panel.box.x0 * 768 / 400 - x0) <= 2 and abs(panel.box.x1 * 768 / 400 - x1) <= 2
        for panel, (x0, x1) in zip(stages, drawn, strict=True)
    )
    assert len(find_panels(region, _coloured_drawings([110, 250], gutter=25))) == 2
    assert find_panels(region, _coloured_drawings([500, 500, 500], gutter=20)) == []  # a time line's phases


_FLESH = (240, 215, 190)  # the pale tint of a handbook's drawings of a body (grey about 220)


def _procedure_card(second_drawn: bool, titled: bool = True) -> Image.Image:
    """A handbook's procedure card as one raster: a bold title across the top (`titled`), a drawing in pale tints (a
    body with a few outline strokes, no darker ink to speak of) at the left, and at the right a second such drawing
    (`second_drawn`) or a column of instructions, short dark strokes in rows."""
    sheet = Image.new("RGB", (750, 450), "white")
    draw = ImageDraw.Draw(sheet)
    if titled:
        draw.rectangle((180, 30, 570, 70), fill="black")  # the title, as dark as type
    draw.ellipse((30, 130, 330, 420), fill=_FLESH, outline=(185, 160, 140), width=2)
    draw.line((120, 200, 250, 350), fill=(170, 150, 130), width=2)
    if second_drawn:
        draw.ellipse((420, 130, 720, 420), fill=_FLESH, outline=(185, 160, 140), width=2)
        draw.line((480, 250, 650, 300), fill=(170, 150, 130), width=2)
    else:
        for y in range(180, 330, 30):
            for x in range(400, 700, 60):
                draw.rectangle((x, y, x + 45, y + 14), fill="black")  # words
    return sheet


def test_pale_drawings_under_a_title_printed_in_the_picture_are_panels():
    """Held-out 22 TCCC Figures 1-29, 1-30: a raster holding a title row and two drawings in pale tints side by side.
    The title crossed the gutter, and the drawings, pale, were neither coloured artwork (ink share under FILLED) nor
    whole at the ink level. With the title set aside they are cut where nothing is drawn, not even a pale tint: two
    panels. Figure 1-31, a drawing beside a column of instructions, stays one picture: dark type is no pale artwork;
    and pale pictures without a title of their own stay whole (a scintigram's front and side views)."""
    figure = Box(0, 0, 250, 150)
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    assert len(find_panels(region, _procedure_card(second_drawn=True))) == 2
    assert find_panels(region, _procedure_card(second_drawn=False)) == []
    assert find_panels(region, _procedure_card(second_drawn=True, titled=False)) == []


def _legs(widths: list[int], gutter: int, height: int = 600) -> Image.Image:
    """Line drawings side by side on white (a pair of legs drawn in outline), each `widths[i]` wide, `gutter`
    pixels apart: sparse strokes, no fill."""
    sheet = Image.new("RGB", (sum(widths) + gutter * (len(widths) - 1), height), "white")
    draw = ImageDraw.Draw(sheet)
    x = 0
    for width in widths:
        draw.ellipse((x, 0, x + width, height // 4), outline="black", width=4)  # the hip
        for leg in (x + width // 8, x + 5 * width // 8):
            draw.rectangle((leg, height // 5, leg + width // 4, height - 30), outline="black", width=4)
            draw.line((leg, height // 2, leg + width // 4, height // 2 + 20), fill="black", width=3)  # the knee
        x += width + gutter
    return sheet


def test_line_drawings_of_one_size_set_far_apart_are_panels():
    """Held-out 15 Figure 6.14 (OpenStax A&P: normal legs beside legs with Paget's disease, outlines, one raster):
    line drawings of one size with a blank gutter about as wide as each are separate drawings. Line drawings set
    close (`test_a_row_of_drawings_is_not_split`) or of unlike sizes (a chart beside its legend) stay one picture."""
    figure = Box(0, 0, 400, 200)
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = find_panels(region, _legs([400, 420], gutter=380))
    assert len(panels) == 2
    assert panels[0].box.x1 < 200 < panels[1].box.x0
    assert find_panels(region, _legs([400, 420], gutter=60)) == []
    assert find_panels(region, _legs([400, 150], gutter=380)) == []


def test_a_row_of_drawings_is_not_cut_leaving_a_narrow_drawing_out():
    """Held-out 15 Figure 6.21 (a broken femur, four stages of its repair, a healed femur, in a row): the gutter search
    keeps only spans a panel's share of the picture wide, so the femurs and the narrowest stage were dropped and the
    three wide stages passed as a row of coloured drawings: three panels, one stage lost. A row whose narrow spans
    hold as much ink as a drawing is no cut; the caption's five letters then find the five drawings."""
    sheet = Image.new("RGB", (1100, 400), "white")
    draw = ImageDraw.Draw(sheet)
    x = 20
    for width in (180, 180, 110, 180, 180):
        draw.ellipse((x, 40, x + width, 360), fill=(200, 60, 50), outline="black", width=3)
        x += width + 60
    figure = Box(0, 0, 550, 200)
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    assert find_panels(region, sheet) == []
    assert len(find_panels(region, sheet, caption_letters=5)) == 5


def test_separate_drawings_of_different_sizes_on_a_grid_are_panels():
    """Six lesions drawn each at its own size, two rows of three with wide gutters, no letters: the drawings' boxes
    differ up to 3x in area, so neither the grid test (sides within 1.3x) nor the panels' likeness held, and the
    figure came out whole. They line up in rows and columns: the panels are the grid's cells. Parts that do not
    line up (three over two, set off-centre) stay one drawing."""
    radii = [130, 90, 120, 85, 125, 100]
    grid = lesion_outlines([(150 + 360 * (i % 3), 150 + 360 * (i // 3), radius) for i, radius in enumerate(radii)])
    figure = Box(0, 0, 510, 330)
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = find_panels(region, grid)
    assert len(panels) == 6
    assert all(
        Box(*at).iou(panel.box) > 0.5
        for at, panel in zip([(x, y, x + 170, y + 165) for y in (0, 165) for x in (0, 170, 340)], panels, strict=True)
    )
    offset = lesion_outlines([(150, 150, 130), (510, 150, 90), (870, 150, 120), (330, 510, 85), (690, 510, 125)])
    assert find_panels(region, offset) == []
    # A letter under each drawing, nearer the middle of the gutter than the drawing (held-out 6 University Physics
    # Figure 5.5.1): the cut in the middle of the gutter ran through the upper row's letters; the lettered grid
    # search cuts under them.
    places = [(150 + 360 * (i % 3), 150 + 410 * (i // 3), radius) for i, radius in enumerate(radii)]
    lettered, tall = lesion_outlines(places, size=(1020, 720)), Box(0, 0, 510, 360)
    draw = ImageDraw.Draw(lettered)
    for i in range(6):
        draw.text((140 + 360 * (i % 3), 338 + 410 * (i // 3)), f"({'abcdef'[i]})", fill="black", font=FONT_20)
    region = FigureRegion(None, tall, [Graphic("image", tall, None)], [])
    upper = [panel.box for panel in find_panels(region, lettered, caption_letters=6)][:3]
    assert len(upper) == 3 and all(box.bottom >= 360 / 2 for box in upper)


def _table_slide(seed: int = 11) -> Image.Image:
    """A presentation slide drawn as vectors (held-out 5 workshop report Figure 21): a cost table ruled in white on
    a dark blue fill under a title, a small flag (the slide's one image object) in the corner. 190x174."""
    rng = np.random.default_rng(seed)
    slide = Image.new("RGB", (190, 174), (28, 30, 96))
    draw = ImageDraw.Draw(slide)
    draw.text((8, 8), "COST  COMPARISON", fill=(255, 255, 255))
    draw.rectangle((155, 7, 181, 29), fill=(200, 30, 30))
    rows, columns = (38, 72, 106, 140, 172), (24, 78, 132, 186)
    for y in rows:
        draw.line((4, y, 186, y), fill=(255, 255, 255), width=1)
    for x in columns:
        draw.line((x, rows[0], x, rows[-1]), fill=(255, 255, 255), width=1)
    for top in rows[:-1]:
        for left in (4, *columns[:-1]):
            words = f"${int(rng.integers(1, 99))},{int(rng.integers(100, 999))}"
            draw.text((left + 3, top + 10), words[: 3 if left == 4 else 7], fill=(255, 255, 255))
    return slide


def test_a_drawing_cut_at_its_rules_beside_a_logo_is_no_set_of_panels():
    """A vector slide holding one small image renders as a picture and splits at its table's rules into cells of
    about one size; none holds an image object, so they are a drawing's parts, panels only when lettered."""
    slide = Box(0, 0, 190, 174)
    region = FigureRegion(None, slide, [Graphic("image", Box(155, 7, 181, 29), None)], [])
    assert find_panels(region, _table_slide()) == []
    photo = FigureRegion(None, slide, [Graphic("image", Box(0, 38, 190, 174), None)], [])
    assert len(find_panels(photo, _table_slide())) >= 2, "the same cells, images under them"


def _sketch(canvas: Canvas, x: float, y: float, seed: int) -> None:
    """A line drawing as one stroked path object (a zigzag body with legs), 100 x 160 points from (x, y)."""
    rng = np.random.default_rng(seed)
    path = canvas.beginPath()
    path.moveTo(x + 50, y + 150)
    for k in range(12):
        path.lineTo(x + 30 + 40 * (k % 2) + float(rng.uniform(-5, 5)), y + 140 - 11 * k)
    for leg in range(3):
        path.moveTo(x + 50, y + 100 - 25 * leg)
        path.lineTo(x + 5 + float(rng.uniform(0, 10)), y + 80 - 25 * leg)
    canvas.drawPath(path, stroke=1, fill=0)


def _sketch_pixels(seed: int) -> Image.Image:
    """A line drawing as a picture: black strokes on white paper, 100 x 160 pixels."""
    rng = np.random.default_rng(seed)
    picture = Image.new("L", (100, 160), 255)
    points = [(30 + 40 * (k % 2) + int(rng.integers(-5, 5)), 10 + 11 * k) for k in range(13)]
    ImageDraw.Draw(picture).line(points, fill=0, width=2)
    return picture


def _framed_drawings_pdf(path: Path) -> None:
    """A handbook's plate of two drawings, each in a frame of its own, side by side under the caption (WHO 2013
    entomology handbook Figures 17, 21, 25, 29): page 1 drawn as vector paths, page 2 as pictures; page 3 the same
    two drawings in one frame around both."""
    canvas = Canvas(str(path), pagesize=(612, 792))
    for page in range(3):
        body_paragraph(canvas, 740)
        canvas.drawString(72, 620, f"Figure {page + 1}. Identification features of two mosquitoes")
        if page == 2:
            canvas.rect(130, 390, 300, 210)
        for k, x in enumerate((130, 300)):
            if page < 2:
                canvas.rect(x, 390, 130, 210)
            if page == 1:
                canvas.drawImage(ImageReader(_sketch_pixels(k)), x + 10, 420, 110, 160)
            else:
                _sketch(canvas, x + 15, 420, k)
            canvas.setFont("Helvetica", 8)
            canvas.drawString(x + 6, 588, ("Larvae", "Adult")[k])
        body_paragraph(canvas, 360)
        canvas.showPage()
    canvas.save()


def test_drawings_each_in_a_frame_of_their_own_are_panels(tmp_path):
    _framed_drawings_pdf(tmp_path / "plates.pdf")
    run_extract([tmp_path / "plates.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = {r["label"]: r for r in Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()}
    assert sorted(figures) == ["1", "2", "3"]
    for label in ("1", "2"):  # vector drawings, pictures
        panels = [Box(*p["bbox"]) for p in figures[label]["panels"]]
        assert len(panels) == 2, label
        assert panels[0].x1 <= 262 and panels[1].x0 >= 298, label  # each frame a panel of its own
    assert figures["3"]["panels"] == []  # one frame around both: one drawing


def _framed_side_by_side(left: Image.Image, right: Image.Image) -> Image.Image:
    """Two pictures each filling a black frame of its own, the frames sharing their middle side, on white paper."""
    sheet = Image.new("RGB", (left.width + right.width + 20, max(left.height, right.height) + 16), "white")
    sheet.paste(left, (8, 8))
    sheet.paste(right, (12 + left.width, 8))
    draw = ImageDraw.Draw(sheet)
    draw.rectangle((6, 6, 13 + left.width + right.width, 9 + max(left.height, right.height)), outline="black", width=3)
    draw.line((10 + left.width, 6, 10 + left.width, 9 + max(left.height, right.height)), fill="black", width=3)
    return sheet


def test_a_photo_and_a_drawing_in_frames_that_share_a_side_are_two_panels():
    """PLOS ONE 2014 frog Figure 3: a map (a picture) beside a tree (a drawing), each in a frame of its own, the two
    frames sharing their middle side. The frame lines cross every line of the picture, so no ink-free gutter parts
    the two, and the one panel was found. A photograph beside a small framed key stays one picture (areas unlike)."""
    rng = np.random.default_rng(4)
    photo, drawing = images.skin_photo(rng, 480, 360), images.lesion_drawing(rng, 480, 360)
    pair = _framed_side_by_side(photo, drawing)
    box = Box(0, 0, pair.width / 2, pair.height / 2)
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    panels = [panel.box for panel in find_panels(region, pair)]
    assert len(panels) == 2
    shared = (10 + photo.width) / 2  # the shared side, in points
    assert abs(panels[0].x1 - shared) <= 4 and panels[1].x1 == box.x1, "the drawing's panel runs to its frame"
    key = _framed_side_by_side(photo, images.lesion_drawing(rng, 120, 360))
    small = Box(0, 0, key.width / 2, key.height / 2)
    assert find_panels(FigureRegion(None, small, [Graphic("image", small, None)], []), key) == []


def test_a_stack_of_flow_chart_boxes_beside_a_drawing_is_no_framed_photograph():
    """Held-out 22 TCCC handbook Figure 4-5: a flow chart printed as one raster, its boxes flat fills of a few colours
    holding text, as textured as a photograph to `photograph`. The cut for a photograph framed beside a drawing took
    a column of boxes for a photograph and cut the chart into five panels. A framed photograph is one unbroken
    block; the boxes stand one over another with white space between them."""
    rng = np.random.default_rng(5)
    grey = np.full((400, 600), 255, dtype=np.int16)
    for top, bottom, fill in ((20, 180, 110), (200, 380, 180)):  # two boxes of two fills, white space between
        grey[top:bottom, 0:250] = fill
        grey[top:bottom, 0:250][rng.random((bottom - top, 250)) < 0.1] = 0  # their text
    grey[20:380, 350:600][rng.random((360, 250)) < 0.05] = 40  # a sparse drawing beside them
    pieces = [(0, 20, 250, 380), (350, 20, 600, 380)]
    assert _photo_framed_beside_drawing(grey, pieces) == []
    grey[180:200, 0:250] = 110  # one unbroken block: a photograph in its frame
    assert len(_photo_framed_beside_drawing(grey, pieces)) == 2


def _stages_of_one_size() -> Image.Image:
    """Held-out 14 Figure 4.21's layout: three shaded tiles of one size in a row, a text over each, a column of labels
    between the first two with leader lines into both, the last two 20 pixels apart; and a chart-like strip under
    none of them."""
    rng = np.random.default_rng(21)
    sheet = Image.new("RGB", (1160, 640), "white")
    draw = ImageDraw.Draw(sheet)
    for x in (0, 500, 840):
        sheet.paste(images.skin_photo(rng, 320, 260), (x, 190))
        draw.text((x, 120), "Cells multiply and", fill="black", font=FONT_20)
    for y in (230, 300, 370):
        draw.line((300, y, 520, y), fill="black", width=2)
        draw.text((360, y - 24), "Label", fill="black", font=FONT_20)
    return sheet


@pytest.mark.parametrize("stacked", [False, True])
def test_tiles_of_one_size_with_labels_or_arrows_between_them_are_panels(stacked):
    """Held-out 14 Figures 4.21 and 4.22 (seen): three stages drawn as shaded tiles of one size, side by side with
    labels pointing into two of them, or stacked (the picture turned here), no blank gutter between the first two: one
    panel. The tiles left when strokes are opened away are the panels, the picture cut between them where the least
    ink crosses."""
    sheet = _stages_of_one_size()
    if stacked:
        sheet = sheet.transpose(Image.Transpose.TRANSPOSE)
    figure = Box(0, 0, sheet.width / 2, sheet.height / 2)
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = [panel.box for panel in find_panels(region, sheet)]
    assert len(panels) == 3
    centres = [(x + 160) / 2 for x in (0, 500, 840)]
    along = [(box.top, box.bottom) if stacked else (box.x0, box.x1) for box in panels]
    assert all(low < centre < high for (low, high), centre in zip(along, centres, strict=True))


def _photo_set_into_a_drawing(drawn: bool) -> Image.Image:
    """Held-out 14 Figure 4.19's layout: a micrograph in the top right corner of a drawing of a neuron (a filled cell
    body with thick branches, an axon running left and up beside the micrograph), labels with leader lines; without
    the drawing (`drawn` False) the micrograph has only its labels beside it."""
    rng = np.random.default_rng(23)
    sheet = Image.new("RGB", (900, 580), "white")
    sheet.paste(images.skin_photo(rng, 410, 290), (450, 0))
    draw = ImageDraw.Draw(sheet)
    if drawn:
        draw.ellipse((540, 330, 700, 480), fill=(240, 190, 60))
        for end in ((480, 330), (760, 320), (820, 420), (780, 540), (560, 560)):
            draw.line((620, 405, *end), fill=(240, 190, 60), width=14)
        draw.line((540, 420, 200, 480, 180, 300, 150, 260), fill=(240, 190, 60), width=16, joint="curve")
    for y in (240, 380, 470):
        draw.line((90, y, 300, y + 20), fill="black", width=2)
        draw.text((0, y - 10), "Axon", fill="black", font=FONT_20)
    return sheet


@pytest.mark.parametrize("drawn", [True, False])
def test_a_photograph_set_into_a_drawing_s_corner_is_a_panel_of_its_own(drawn):
    """Held-out 14 Figure 4.19 (seen): a micrograph set into the corner of a drawn neuron whose axon rises beside it,
    so no straight gutter parts them: one panel. The micrograph (a solid tile) and the drawing's ink outside it (a
    filled cell body among it) are two panels; a micrograph with only labels beside it stays whole."""
    sheet = _photo_set_into_a_drawing(drawn)
    figure = Box(0, 0, 450, 290)
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = [panel.box for panel in find_panels(region, sheet)]
    if not drawn:
        assert panels == []
        return
    assert len(panels) == 2
    photo = next(box for box in panels if box.x0 > 200)
    assert abs(photo.x0 - 225) <= 3 and photo.bottom <= 150, "the micrograph alone"


def test_a_photograph_beside_a_smaller_drawing_parted_by_a_gutter_stays_whole():
    """Dev Dengue guidelines Figure 3.2, held-out 4 WHO entomology Figure 11 (one picture each): a photograph beside a
    drawing (a key, a flow chart's box) of another size, a gutter between: the parts of one picture, as `alike` has
    it. Only a photograph set into the drawing's box (parts that overlap) is taken for two panels of unlike size."""
    rng = np.random.default_rng(24)
    sheet = Image.new("RGB", (700, 400), "white")
    sheet.paste(images.skin_photo(rng, 460, 400), (0, 0))
    sheet.paste(flat_drawing(200, 200), (500, 100))
    figure = Box(0, 0, 350, 200)
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    assert find_panels(region, sheet) == []


def test_a_photograph_beside_a_drawing_it_touches_is_not_set_into_it():
    """Held-out 6 lab manual Figure 5.7 (one drawing: a textured cell wall, the nematocysts it fires touching it) and
    held-out 16 Figure 24.7 (a photograph inset over the drawings, an arrow from it): a tile with a drawing's ink
    beside it or touching it is not a photograph set into the drawing (its box reaches into the tile's on both axes)."""
    grey = np.full((600, 560), 255, dtype=np.int16)
    grey[:, :230] = np.random.default_rng(25).integers(60, 200, (600, 230))
    grey[100:500, 230:540] = 120  # the drawing beside the tile, touching it
    tile = [(0, 0, 230, 600)]
    assert _photo_in_drawing(grey, tile, 2) == []
    grey[:, :] = 255
    grey[:300, 250:] = np.random.default_rng(26).integers(60, 200, (300, 310))
    grey[260:560, 0:540] = 120  # the drawing reaching under the tile's lower edge and beside it
    assert _photo_in_drawing(grey, [(250, 0, 560, 300)], 2) == [(250, 0, 560, 300), (0, 260, 540, 560)]


def test_letters_no_gutter_parts_under_a_drawing_set_apart_diagonally_end_the_cut():
    """A real conference paper (NAACL 2024, mineru's test PDFs) failed its page with a RecursionError: a small drawing
    above and left of a larger one that holds both printed letters. Columns first, the small drawing joins the
    letters' part, which is the whole figure; rows then do the same, and so on without end. Two cuts in a row that
    part no letters leave the figure to the other searches (here: two drawings set apart, as many as the letters)."""
    region = FigureRegion(
        None,
        Box(0, 0, 400, 400),
        [Graphic("path", Box(10, 10, 100, 100), None), Graphic("path", Box(150, 150, 390, 390), None)],
        [TextLine("(a)", Box(160, 160, 168, 167), 7.0, 0), TextLine("(b)", Box(175, 160, 183, 167), 7.0, 4)],
    )
    assert drawings_by_letter(region) == []
    assert [panel.box for panel in find_panels(region, None, 2)] == [g.box for g in region.graphics]


def _pies_over(lower: str) -> Image.Image:
    """Held-out 36 Medicine 2020 Kaposi Figure 1 as one raster: two pie charts of slices set apart side by side, each
    under its framed title, over `lower`: "key" (a framed key, six lines of a swatch and its label in two columns)
    , "drawing" (one filled drawing as wide as the row) or "chart" (a line chart as wide, its curves crossing its
    lines at random heights, flat stretches among them)."""
    sheet = Image.new("RGB", (940, 660), "white")
    draw = ImageDraw.Draw(sheet)
    colours = [(40, 90, 130), (100, 130, 60), (140, 160, 150), (170, 90, 60), (60, 120, 110), (200, 190, 140)]
    for left in (50, 500):
        draw.rectangle((left, 2, left + 400, 30), outline="black", width=2)
        draw.text((left + 150, 4), "Outcome", fill="black", font=FONT_20)
        for k, colour in enumerate(colours):  # each slice pulled out along its middle, as printed
            dx, dy = 14 * np.cos(np.radians(45 + 60 * k)), 14 * np.sin(np.radians(45 + 60 * k))
            draw.pieslice((left + 40 + dx, 70 + dy, left + 360 + dx, 390 + dy), 15 + 60 * k, 75 + 60 * k, fill=colour)
    if lower == "key":
        draw.rectangle((0, 435, 938, 658), outline="black", width=2)
        for row, colour in enumerate(colours):
            for left in (20, 480):
                top = 450 + 34 * row
                draw.rectangle((left, top, left + 80, top + 24), fill=colour)
                draw.text((left + 100, top), "Severe anaemia", fill="black", font=FONT_20)
    elif lower == "drawing":
        draw.ellipse((20, 440, 920, 650), fill=(170, 90, 60))
    else:
        draw.line([(40, 440), (40, 650), (930, 650)], fill="black", width=2)
        rng = np.random.default_rng(3)
        for colour in colours[:4]:
            heights = rng.integers(450, 640, 6)
            draw.line([(60 + 170 * k, int(y)) for k, y in enumerate(heights)], fill=colour, width=3)
        draw.line([(60, 470), (900, 470)], fill=colours[4], width=3)
    return sheet


def test_drawings_side_by_side_over_a_key_they_share_are_panels_without_it():
    """Two titled pie charts over one framed key of their colours stayed one panel (truth 2): the key's piece, as
    wide as the row under it, made the pieces no row of drawings. A key (lines of swatches and labels) as wide as a
    row of drawings under or over it is left out, and the row is its panels; a wide drawing or chart there is no
    key."""
    figure = Box(0, 0, 470, 330)
    pies = split_at_gutters(_grey(_pies_over("key"), GUTTER_SEARCH_PX), figure)
    assert [(round(box.x0), round(box.x1)) for box in pies] == [(38, 212), (263, 437)]
    assert all(box.bottom < 210 for box in pies)
    for lower in ("drawing", "chart"):
        assert len(split_at_gutters(_grey(_pies_over(lower), GUTTER_SEARCH_PX), figure)) != 2, lower
