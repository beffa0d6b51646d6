"""Panels of photographs, scans and micrographs on generated figures: gutters of white, grey or black ground,
photographs abutting or edge to edge, and what is no gutter (shadows, pale areas, a photograph's own black field)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from fixtures.layout_pages import assay_drawing, close_charts_picture, confocal_field, lesion_outlines, photo_pixels
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import Graphic
from mmskin_build.extract.panels import PanelBox, find_panels
from mmskin_build.extract.panels.basics import _grey
from mmskin_build.extract.panels.gutters import _edge_set_off, _solid_cut, split_at_gutters
from mmskin_build.extract.panels.lettered import GUTTER_SEARCH_PX
from mmskin_build.extract.regions import FigureRegion
from mmskin_build.sample import images


def test_photographs_on_a_mid_grey_ground_are_panels():
    """Photographs set on a tinted box of mid grey (grey 180, or a blue-grey ~209): only white paper (225+) and black
    were gutters, so a grid of photographs on such a ground was one panel. A ground is the level of the picture's
    first and last lines; runs of it between photographs meet their straight edges on both sides (`_set_off`)."""
    rng = np.random.default_rng(6)
    for ground in ((180, 180, 180), (200, 210, 225)):
        sheet = Image.new("RGB", (768, 424), ground)
        for x in (16, 264, 512):
            for y in (16, 220):
                sheet.paste(images.skin_photo(rng, 240, 188), (x, y))
        box = Box(0, 0, 384, 212)
        assert len(find_panels(FigureRegion(None, box, [Graphic("image", box, None)], []), sheet)) == 6, ground


def test_scans_abutting_in_one_row_of_a_grid_are_cut_where_the_other_row_is():
    """A 2 x 2 grid of scans (MRI slices) in one raster: a white gutter parts the top row's two, the bottom row's two
    abut (held-out 25 Figure 2, 7 panels for 8). The raster is scaled down for the gutter search, which spreads the
    bottom row's straight edge over two lines; where the two scans differ by little (the lower part, 14 grey levels)
    each line then changes by under the 12 a seam needs, so no line is a seam. Where the top row's gutter runs on
    down through the bottom row, an edge blurred over two lines is a cut; the same row alone is not cut."""
    rng = np.random.default_rng(3)

    def scan(width: int, upper: float, lower: float) -> np.ndarray:
        levels = np.interp(np.arange(400), [0, 210, 270, 400], [upper, upper, lower, lower])[:, None]
        return levels + np.kron(rng.normal(0, 3, size=(200, width // 2 + 1)), np.ones((2, 2)))[:400, :width]

    def picture(pixels: np.ndarray) -> np.ndarray:
        return _grey(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).convert("RGB"), GUTTER_SEARCH_PX)

    top = np.hstack([scan(1003, 100, 60), np.full((400, 8), 255.0), scan(992, 150, 74)])
    bottom = np.hstack([scan(1003, 100, 60), scan(1000, 150, 74)])  # 2003 px: the edge falls between search pixels
    grid = np.vstack([top, np.full((30, 2003), 255.0), bottom])
    assert len(split_at_gutters(picture(grid), Box(0, 0, 400, 166))) == 4
    assert split_at_gutters(picture(bottom), Box(0, 0, 400, 80)) == []


def test_a_plate_of_dark_scans_parted_by_hairline_white_gutters_is_cut_at_any_raster_resolution():
    """A 4 x 2 plate of dark scans in one raster, parted by white gutters 1 pt wide, placed 312 x 484 pt: the search
    scales the raster to GUTTER_SEARCH_PX (about 3.3 px a point here), so a 1 pt gutter keeps 3 pixels from a raster
    of 4 px a point, and one pixel of a raster of 1 px a point stays one (nothing scales it down). Either way each
    scan is a panel (x-thin22: held-out 26's CT plate, thought to be such a plate, has no gutters at all)."""
    rng = np.random.default_rng(26)
    width_pt, height_pt, columns, rows = 312, 484, 2, 4
    box = Box(0, 0, width_pt, height_pt)
    for per_pt in (1.0, 4.0):
        width, height = round(width_pt * per_pt), round(height_pt * per_pt)
        plate = np.clip(rng.normal(60, 25, (height, width)), 0, 255)  # the dark field of lung windows
        ys, xs = np.ogrid[:height, :width]
        for _ in range(60):  # bright anatomy: vessels, bone, soft tissue
            cx, cy, r = rng.integers(0, width), rng.integers(0, height), rng.integers(3, round(20 * per_pt))
            plate[(ys - cy) ** 2 + (xs - cx) ** 2 < r * r] = rng.integers(120, 230)
        gutter = round(per_pt)  # 1 pt
        for c in range(1, columns):
            plate[:, c * width // columns : c * width // columns + gutter] = 255
        for r in range(1, rows):
            plate[r * height // rows : r * height // rows + gutter, :] = 255
        picture = Image.fromarray(plate.astype(np.uint8)).convert("RGB")
        region = FigureRegion(None, box, [Graphic("image", box, None)], [])
        assert len(find_panels(region, picture)) == columns * rows, per_pt


def _white_card_photo(rng: np.random.Generator) -> Image.Image:
    """A white test card photographed on a white table (near-white over most of it, lit brighter to the right, its
    dark window and a smear of blood on it; the fingers holding it skin): as flat as a drawing."""
    photo = images.skin_photo(rng, 200, 160)
    lit = np.linspace(232, 254, 150, dtype=np.float32)[None, :, None] * np.ones((125, 1, 3), np.float32)
    card = lit.astype(np.uint8)
    card[30:70, 50:90] = (40, 40, 40)
    card[35:60, 105:140] = (150, 30, 30)
    photo.paste(Image.fromarray(card), (25, 25))
    return photo


def _card_drawing() -> Image.Image:
    """A drawing of a hand holding the card, as wide and tall as the card's photograph: flat fills in outline on
    white, its edges curved."""
    drawing = Image.new("RGB", (200, 160), "white")
    draw = ImageDraw.Draw(drawing)
    draw.ellipse((5, 10, 195, 150), fill=(236, 200, 170), outline="black", width=3)
    draw.rectangle((70, 50, 130, 100), fill=(60, 60, 60), outline="black", width=3)
    return drawing


def _step_sheet(drawn: bool = False, boxed: bool = False) -> Image.Image:
    """A test-procedure sheet printed as one raster (held-out 8 Palau slides): step numbers down the left, one
    photograph in the first row with its instructions beside it, two photographs in the second row (instructions
    between them), three in the third, the first of them a white card photographed on white."""
    rng = np.random.default_rng(8)
    sheet = Image.new("RGB", (930, 640), "white")
    draw = ImageDraw.Draw(sheet)
    font, big = ImageFont.load_default(size=15), ImageFont.load_default(size=28)
    for y, step in ((40, "1"), (240, "2"), (450, "3")):
        draw.text((50, y), step, fill="black", font=big)
    sheet.paste(images.skin_photo(rng, 200, 140), (120, 20))
    sheet.paste(images.skin_photo(rng, 200, 170), (120, 200))
    sheet.paste(images.skin_photo(rng, 160, 170), (680, 200))
    for x, y, lines in ((370, 60, 2), (370, 220, 6)):
        for k in range(lines):
            draw.text((x, y + 18 * k), "Collect blood by finger prick using a tube", fill="black", font=font)
    for x in (370, 510, 650, 790) if boxed else ():  # each narrower than a panel's share of the sheet
        draw.rectangle((x, 50, x + 110, 130), fill=(215, 240, 190), outline=(120, 160, 90), width=2)
        draw.text((x + 20, 80), "Severe", fill="black", font=font)
    sheet.paste(_card_drawing() if drawn else _white_card_photo(rng), (120, 400))
    sheet.paste(images.skin_photo(rng, 200, 160), (380, 400))
    sheet.paste(images.skin_photo(rng, 200, 160), (650, 400))
    return sheet


def test_photographs_of_a_step_sheet_beside_their_instructions_are_panels():
    """A step sheet's photographs, each row's with its step number and instructions beside it (held-out 8 Palau
    slides, six photographs: one panel). The gutter cut keeps the first row whole, photograph and text (the text too
    sparse to be a span of its own), and that row is no picture; trimmed to its one span of content it is the
    photograph. A white card photographed on white is as flat as a drawing, but a rectangle set on the paper, its
    edges straight all round; a drawing's are not, and such a sheet is not taken as photographs. Only sparse marks
    (text) are trimmed away: a picture beside a flow chart's pale boxes is no photograph beside its text."""
    box = Box(0, 0, 465, 320)
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    assert len(find_panels(region, _step_sheet())) == 6
    assert find_panels(region, _step_sheet(drawn=True)) == []
    assert find_panels(region, _step_sheet(boxed=True)) == []  # a flow chart's row: coloured shapes beside a picture


def _tissue_with_a_lumen(ragged: bool) -> Image.Image:
    """A stained section (pink, textured) across the whole picture with a white band through its middle: a lumen
    whose two surfaces are wavy (`ragged`), or two photographs set apart by a straight white gutter."""
    rng = np.random.default_rng(6)
    tissue = rng.integers(0, 90, (600, 600, 1)) + np.array([150, 60, 160])
    columns = np.arange(600)
    top = 270 + (15 * np.sin(columns / 30) if ragged else np.full(600, 15))
    bottom = 330 + (15 * np.sin(columns / 25 + 1) if ragged else np.full(600, -15))
    rows = np.arange(600)[:, None]
    tissue[(rows >= top) & (rows < bottom)] = 255
    return Image.fromarray(tissue.astype(np.uint8))


def test_a_micrograph_cut_at_its_pale_lumen_stays_one_picture():
    """Held-out 16 Figure 24.6 (two villus surfaces facing each other across a white lumen, "goblet cells" and its
    arrows in it): the lumen crosses the whole micrograph as white as paper, so the gutter search cut it in two
    alike photographs. Neither part ends at a straight edge along it, as photographs set apart do: it is the
    picture's own white stretch. Two photographs with straight edges along the same band stay two panels."""
    figure = Box(0, 0, 300, 300)
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    assert find_panels(region, _tissue_with_a_lumen(ragged=True)) == []
    assert len(find_panels(region, _tissue_with_a_lumen(ragged=False))) == 2
    # Two CT scans side by side, each a head on a black field, a white gutter between the fields (held-out 17 Figure
    # 26.26): the cut takes the fields' black margins into the gutter, so the parts end at the heads' round edges;
    # the fields' straight edges lie inside the gutter, which is dark there.
    scans = Image.new("RGB", (600, 300), "white")
    texture = Image.fromarray(np.random.default_rng(7).integers(60, 200, (260, 230, 3), dtype=np.uint8))
    mask = Image.new("L", (230, 260), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, 229, 259), fill=255)
    for field in (0, 330):
        scans.paste((0, 0, 0), (field, 0, field + 270, 300))
        scans.paste(texture, (field + 20, 20), mask)
    assert len(find_panels(region, scans)) == 2


def test_a_row_of_separate_pictures_over_a_picture_as_wide_as_the_row_are_panels():
    """Held-out 4 Figure 8: three separate rasters in a row (two micrographs beside a line drawing, alike in size)
    over a wide life-cycle drawing as wide as the row. Not alike in size and half of them drawings, the four came
    out as one picture. A wide picture that does not span the row (half its width), or a row mostly of drawings (the
    boxes of a diagram drawn as images), keeps the figure whole."""
    figure = Box(0, 0, 340, 300)
    rows = [Box(0, 0, 105, 80), Box(117, 0, 222, 80), Box(234, 0, 340, 80)]

    def laid(wide: Box, photo: bool = True) -> tuple[FigureRegion, Image.Image]:
        sheet = Image.new("RGB", (680, 600), "white")
        sheet.paste(
            photo_pixels(1).resize((210, 160)) if photo else lesion_outlines([(105, 80, 50)], (210, 160)), (0, 0)
        )
        sheet.paste(lesion_outlines([(105, 80, 60)], size=(210, 160)), (234, 0))
        sheet.paste(photo_pixels(2).resize((212, 160)), (468, 0))
        x0, x1 = round(2 * wide.x0), round(2 * wide.x1)
        sheet.paste(lesion_outlines([((x1 - x0) // 2, 180, 150)], size=(x1 - x0, 360)), (x0, 220))
        return FigureRegion(None, figure, [Graphic("image", box, None) for box in [*rows, wide]], []), sheet

    region, sheet = laid(Box(0, 110, 340, 290))
    assert [panel.box for panel in find_panels(region, sheet)] == [*rows, Box(0, 110, 340, 290)]
    region, sheet = laid(Box(0, 110, 170, 290))
    assert find_panels(region, sheet) == []
    region, sheet = laid(Box(0, 110, 340, 290), photo=False)
    assert find_panels(region, sheet) == []


def _shadowed_wall(seed: int = 3) -> Image.Image:
    """A photograph of a lit wall between dark corners, dimming into the black shadow at its foot, over dark ground
    scattered with pale beads that grows lighter towards the camera (WHO 2013 handbook Figure 44), 300x200."""
    rng = np.random.default_rng(seed)
    grey = np.full((200, 300), 12.0)
    for row in range(80):  # the wall's edges are not straight
        left, right = 100 + int(rng.integers(-8, 8)), 220 + int(rng.integers(-8, 8))
        grey[row, left:right] = 170.0 * min(1.0, (80 - row) / 20)
    grey[80:96] = 4.0  # the shadow
    grey[96:] = (6 + 194 * np.linspace(0, 1, 104) ** 2)[:, None]
    grain = np.kron(rng.normal(0, 12, size=(50, 75)), np.ones((4, 4)))
    grey[:80] += grain[:80]
    grey[96:] += grain[96:] * np.linspace(0, 1, 104)[:, None]
    grey[96:][rng.random((104, 300)) < 0.05] = 230.0
    return Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("RGB")


def _radiographs() -> Image.Image:
    """Two radiographs one over the other on white, each film's black border holding a label by its left edge
    ("Se:1 Im:1", held-out 3 cro2016 Figure 3), 336x540."""
    rng = np.random.default_rng(5)
    sheet = np.full((540, 336), 255.0)
    for top in (0, 284):
        film = np.full((256, 336), 4.0)
        film[10:30, 2:8] = 230.0
        grain = np.kron(rng.normal(0, 10, size=(64, 50)), np.ones((4, 4)))
        film[:, 90:290] = 120 + grain * (np.arange(256) > 150)[:, None]  # smooth above, grainy below
        film[60:120, 150:230] = 235.0  # the implant
        sheet[top : top + 256] = film
    return Image.fromarray(np.clip(sheet, 0, 255).astype(np.uint8)).convert("RGB")


def test_a_shadow_across_a_photograph_is_no_gutter():
    """A flat black band is a gutter only where a picture's edge meets it on both sides: the shadow under the wall
    ends at the lit wall above, but fades into the dark ground below it. Near the picture's edge one side is
    enough: a film's black border beside a label is a margin, not part of a panel of its own."""
    box = Box(0, 0, 300, 200)
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    assert find_panels(region, _shadowed_wall()) == []
    films = Box(0, 0, 168, 270)
    assert len(find_panels(FigureRegion(None, films, [Graphic("image", films, None)], []), _radiographs())) == 2


def _watercolour_room(seed: int = 5) -> Image.Image:
    """A watercolour of a man in a room (WHO 2003 learner's guide Figure 9): a pink wall and a blue window on either
    side of a white window frame that runs the picture's height, down through the pale floor, and a white sill
    under the window; the washes stop short of the frame at ragged brush edges, fading into the paper. 240x270."""
    rng = np.random.default_rng(seed)
    height, width = 270, 240
    x = np.arange(width)[None, :, None].astype(float)
    y = np.arange(height)[:, None, None].astype(float)
    paper = np.full((height, width, 3), 253.0)
    wall = np.array([232.0, 120, 110]) + rng.normal(0, 10, (height, width, 3))
    window = np.array([150.0, 200, 225]) + rng.normal(0, 8, (height, width, 3))
    floor = np.array([236.0, 228, 210]) + rng.normal(0, 6, (height, width, 3))
    ragged = 30 * np.abs(np.sin(y / 17))
    fade_left, fade_right = np.clip((148 + ragged - x) / 20, 0, 1), np.clip((x - 184 - ragged) / 20, 0, 1)
    picture = np.where(y < 150, paper + fade_left * (wall - paper), paper + fade_left * (floor - paper))
    picture = np.where((y < 140) & (x > 181), paper + fade_right * (window - paper), picture)
    picture = np.where((y >= 140) & (y < 160) & (x > 181), paper, picture)
    picture = np.where((y >= 160) & (x > 181), paper + fade_right * (floor - paper), picture)
    man = (np.abs(x - 90) < 45) & (np.abs(y - 130) < 110)
    picture = np.where(man, np.array([90.0, 120, 80]) + rng.normal(0, 25, (height, width, 3)), picture)
    return Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8))


def _pale_micrograph(seed: int = 7) -> Image.Image:
    """A pale micrograph (a fern prothallus, held-out 6 lab manual Figure 3.19): a clear pale field with a dark
    stalk above, stained tissue with dark granules thickening gradually below a clear band. 200x250."""
    rng = np.random.default_rng(seed)
    y = np.arange(250)[:, None].astype(float)
    picture = 232 + rng.normal(0, 1.0, (250, 200))
    picture[10:100, 96:104] = 120
    weight = np.clip((y - 140) / 50, 0, 1)
    picture = picture + weight * (226 + rng.normal(0, 8, (250, 200)) - picture)
    picture[(rng.random((250, 200)) < 0.08) & (weight > 0.4)] = 140
    return Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8)).convert("RGB")


def test_a_white_stretch_that_the_picture_fades_into_is_no_gutter():
    """Photographs set apart, or a photograph beside a drawing, meet the gutter between them at a straight edge; a
    painting's white window frame, or a micrograph's clear band, runs the picture's length but its colours fade
    into it on both sides: one picture, no panels."""
    room = Box(0, 0, 240, 270)
    assert find_panels(FigureRegion(None, room, [Graphic("image", room, None)], []), _watercolour_room()) == []
    field = Box(0, 0, 200, 250)
    assert find_panels(FigureRegion(None, field, [Graphic("image", field, None)], []), _pale_micrograph()) == []


def test_leader_lines_ending_on_a_micrograph_s_edge_are_the_gutter_s():
    """Held-out 14 Figure 4.15's second row: the gutter search's micrograph begins at the leader lines that end on
    it, so the line just inside its edge held only those lines and no straight edge was seen on either side (the
    drawing is sparse line art). Marks that cross few of the lines beside a gutter are the gutter's."""
    rng = np.random.default_rng(0)
    grey = np.full((200, 600), 255, dtype=np.int16)
    grey[:, :200][rng.random((200, 200)) < 0.3] = 60  # sparse line art, no straight edge
    grey[:, 400:] = rng.integers(90, 200, (200, 200))  # a micrograph
    for y in (40, 90, 140, 170):
        grey[y : y + 3, 390:400] = 0
    assert _edge_set_off(grey, (0, 0, 200, 200), (390, 0, 600, 200), in_row=True)


def test_tiles_with_a_solid_piece_of_another_size_stay_whole():
    """Two radiographs of one size over a chart on a grey field (held-out 10 Scientific Reports Figure 2): the grey
    field is a solid piece that is no tile, so the radiographs are no row of the whole picture: no cut by tiles."""
    rng = np.random.default_rng(22)
    sheet = Image.new("RGB", (1000, 800), "white")
    for x in (0, 510):
        sheet.paste(images.skin_photo(rng, 490, 300), (x, 0))
    ImageDraw.Draw(sheet).rectangle((700, 500, 820, 600), fill=(230, 230, 230))  # too small for a tile
    assert _solid_cut(_grey(sheet, GUTTER_SEARCH_PX)) == []


def _ruled_sheet_of_pictures(rows: list[tuple[int, int]]) -> Image.Image:
    """A table printed as one picture: a frame, a heading row, a rule under each row and one after the first column
    ("Layer"), each row's cell holding text over `count` framed pictures `size` pixels wide, per row."""
    rng = np.random.default_rng(12)
    sheet = Image.new("RGB", (600, 700), "white")
    draw = ImageDraw.Draw(sheet)
    for top, (size, count) in zip((30, 250, 450), rows, strict=True):
        draw.text((10, top + 10), "Layer", fill="black")
        draw.text((135, top + 10), "Gives rise to the cells below", fill="black")
        for k in range(count):
            x = 135 + k * (450 // count)
            sheet.paste(images.skin_photo(rng, size, size), (x, top + 40))
            draw.rectangle((x, top + 40, x + size - 1, top + 40 + size - 1), outline="black", width=2)
    draw.text((10, 10), "Germ layer", fill="black")
    draw.rectangle((1, 1, 598, 698), outline="black", width=2)
    for y in (30, 250, 450):
        draw.line((1, y, 598, y), fill="black", width=2)
    draw.line((125, 1, 125, 698), fill="black", width=2)
    return sheet


def test_a_table_printed_as_a_picture_is_one_panel_and_a_ruled_plate_is_not():
    """Held-out 14 Figure 4.3 (seen; issue 13 class 7): a table printed as one raster, framed drawings in its cells.
    The gutter search cut the large drawings of two rows into six panels and left the third row's small ones and all
    the text out. A row as tall as a panel holding ink but no panel says it is a table; a ruled plate whose every row
    holds pictures keeps its panels."""
    figure = Box(0, 0, 300, 350)  # two pixels a point
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    assert find_panels(region, _ruled_sheet_of_pictures([(150, 3), (75, 5), (150, 3)])) == []
    assert len(find_panels(region, _ruled_sheet_of_pictures([(150, 3), (150, 3), (150, 3)]))) == 9


def test_photographs_laid_against_each_other_are_panels_and_strips_or_an_inset_are_not():
    """Held-out 19 (seen; issue 13 class 6): a newsletter's photographs set by hand against or over each other, no
    gutter, ends a point or so off level, came out one panel (the overlap read as an inset, the seam as no jump).
    Tiles of one picture meet edge on edge with their ends level; an inset lies within its photograph."""
    figure = Box(0, 0, 200, 150)  # two pixels a point; one photograph's pixels, so no seam jumps
    picture = images.skin_photo(np.random.default_rng(5), 400, 300)

    def panels(boxes: list[Box], pixels: list[tuple[int, int]] | None = None) -> int:
        rasters = [
            Graphic("image", box, None, size) for box, size in zip(boxes, pixels or [None] * len(boxes), strict=True)
        ]
        return len(find_panels(FigureRegion(None, figure, rasters, []), picture))

    grid = [Box(0, 0, 101, 70), Box(100, 0, 200, 72), Box(0, 65, 101, 150), Box(99, 66.5, 200, 150)]
    assert panels(grid) == 4, "a 2 x 2 grid of overlapping photographs"
    one_density = [(202, 140), (200, 144), (202, 170), (202, 167)]  # ends a point or two off level: set by hand
    assert panels(grid, one_density) == 4, "photographs of one camera's pixel density"
    assert panels([Box(0, 0, 100, 90), Box(100.5, 0, 200, 90), Box(0, 89.4, 200, 150)]) == 3, "a pair over a wide one"
    assert panels([Box(0, 0, 200, 50), Box(0, 50, 200, 100), Box(0, 100, 200, 150)]) == 0, "strips of one picture"
    assert panels([figure, Box(140, 90, 195, 145)]) == 0, "an inset in its photograph"
    ell = [Box(0, 0, 130, 75), Box(0, 75, 130, 150), Box(130, 0, 200, 150)]  # a tall strip beside two tiles
    assert panels(ell, [(260, 150), (260, 150), (140, 300)]) == 0, "tiles of one picture: one pixel density"


def test_a_grid_of_photographs_whose_rows_abut_has_a_panel_for_each_photograph():
    """Held-out 19's 2 x 2 grid: its columns 2.5 pt apart, in each column two photographs abutting, ends level. The
    touching images of each column were taken for one picture, and the two alike columns for its panels (2 of 4).
    Photographs laid against each other (the picture jumps at their seam) are panels; a column of tiles of one
    photograph stays one."""
    figure = Box(0, 0, 200, 150)  # two pixels a point
    cells = [Box(0, 0, 98.75, 75), Box(101.25, 0, 200, 75), Box(0, 75, 98.75, 150), Box(101.25, 75, 200, 150)]
    grid = Image.new("RGB", (400, 300), "white")
    for seed, cell in enumerate(cells):
        photo = images.skin_photo(np.random.default_rng(20 + seed), round(2 * cell.width), round(2 * cell.height))
        grid.paste(photo, (round(2 * cell.x0), round(2 * cell.top)))
    rasters = [Graphic("image", cell, None, (151 + 45 * (k // 2), 164 + 46 * (k // 2))) for k, cell in enumerate(cells)]
    assert len(find_panels(FigureRegion(None, figure, rasters, []), grid)) == 4
    columns = Image.new("RGB", (400, 300), "white")  # each column one photograph stored as two tiles
    for seed, cell in enumerate(cells[:2]):
        photo = images.skin_photo(np.random.default_rng(30 + seed), round(2 * cell.width), 300)
        columns.paste(photo, (round(2 * cell.x0), 0))
    tiles = [Graphic("image", cell, None, (198, 150)) for cell in cells]
    assert len(find_panels(FigureRegion(None, figure, tiles, []), columns)) == 2


def _specimen_on_black(rng: np.random.Generator) -> Image.Image:
    """A gross specimen photographed on black cloth, a ruler propped at the top right (Case Reports in Pathology
    2016, biliary adenofibroma, Figure 1): a band of the black cloth crosses the whole photograph between the
    ruler and the specimen."""
    height, width = 360, 480
    grey = rng.normal(22, 3, (height, width)).astype(np.float32)
    grey[20:150, 380:470] = rng.normal(120, 30, (130, 90))  # the ruler, a fifth of the width
    rows, columns = np.mgrid[:height, :width]
    specimen = ((columns - 250) / 170.0) ** 2 + ((rows - 275) / 90.0) ** 2 < 1
    grey[specimen] = rng.normal(170, 25, int(specimen.sum()))
    return Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("RGB")


def test_the_black_field_of_one_photograph_is_no_gutter_and_a_black_gutter_is(tmp_path):
    # A specimen on black under a ruler was cut into two panels at the band of black cloth between them (and a dark
    # field micrograph into its bright part and its scale bar, PAIN 2014 Figure 2): the lines beside such a band
    # are as black as it but for the ruler's or the specimen's edge. Between two photographs set on a black plate
    # the lines beside the gutter are the photographs'.
    box = Box(0, 0, 160, 120)
    photo = _specimen_on_black(np.random.default_rng(0))
    assert find_panels(FigureRegion(None, box, [Graphic("image", box, None)], []), photo) == []
    plate = Image.new("RGB", (980, 360), (15, 15, 15))
    plate.paste(photo_pixels(1).resize((480, 360)), (0, 0))
    plate.paste(photo_pixels(2).resize((480, 360)), (500, 0))
    assert len(find_panels(FigureRegion(None, box, [Graphic("image", box, None)], []), plate)) == 2


def _slices_on_dark_ground(rng: np.random.Generator, count: int, size: int = 300) -> Image.Image:
    """Axial CT slices side by side in one raster (held-out 25 Figure 1): each a bright skull's rim round textured
    grey brain on its own square of dark ground, the squares abutting. The ground is noisy as printed (40-70 grey
    levels), so no line between two slices is flat black, and the round skulls leave no straight edge there."""
    slices = []
    for _ in range(count):
        ground = rng.normal(55, 8, (size, size))
        rows, columns = np.mgrid[:size, :size]
        reach = ((columns - size / 2) / (0.47 * size)) ** 2 + ((rows - size / 2) / (0.49 * size)) ** 2
        ground[reach < 1] = 245
        ground[reach < 0.85] = rng.normal(125, 18, int((reach < 0.85).sum()))
        slices.append(ground)
    return Image.fromarray(np.clip(np.hstack(slices), 0, 255).astype(np.uint8)).convert("RGB")


def _photograph_crossed_by_a_dark_post(rng: np.random.Generator) -> Image.Image:
    """A photograph of a room (held-out 19's newsletter, held-out 2 Figure 6): a dark post runs down its whole height,
    its edges wavering (no seam), the ceiling in shadow; the corners of the parts beside the post are lit."""
    photo = np.asarray(images.skin_photo(rng, 600, 300)).astype(float)
    rows, columns = np.mgrid[:300, :600]
    wobble = 8 * np.sin(rows / 23.0)
    post = (columns > 250 + wobble) & (columns < 340 + wobble)
    photo[post] = rng.normal(50, 10, (int(post.sum()), 1))
    photo[:40] = np.minimum(photo[:40], rng.normal(60, 10, (40, 600, 1)))
    return Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8))


def test_scans_abutting_on_one_dark_ground_are_cut_at_the_dark_valleys_between_them():
    # Three CT slices on black squares that abut, in one raster, were one panel: no gutter (the ground is noisy, not
    # flat) and no seam. Lines of dark ground across the whole plate between them part them, when the parts are
    # alike photographs each on a dark square (its corners dark). One slice alone, cells scattered over a dark-field
    # micrograph and a photograph crossed by a dark post are not cut.
    box = Box(0, 0, 450, 150)
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    panels = find_panels(region, _slices_on_dark_ground(np.random.default_rng(25), 3))
    assert [round(p.box.x0 // 150) for p in panels] == [0, 1, 2]
    assert all(p.box.width >= 120 and p.box.height >= 145 for p in panels)
    alone = Box(0, 0, 150, 150)
    slice_alone = _slices_on_dark_ground(np.random.default_rng(25), 1)
    assert find_panels(FigureRegion(None, alone, [Graphic("image", alone, None)], []), slice_alone) == []
    for seed in range(3):
        cells = confocal_field(np.random.default_rng(seed), 600)
        assert find_panels(FigureRegion(None, alone, [Graphic("image", alone, None)], []), cells) == []
    room = _photograph_crossed_by_a_dark_post(np.random.default_rng(1))
    wide = Box(0, 0, 300, 150)
    assert find_panels(FigureRegion(None, wide, [Graphic("image", wide, None)], []), room) == []


def test_photographs_edge_to_edge_beside_a_specimen_on_black_are_cut_where_they_jump():
    # PLOS ONE 2014 frog Figure 2, lettered (a)-(d): (a) and (b) meet edge to edge over (c) and a tadpole photographed
    # on black (d), a gutter between those two. The tadpole's panel starts at its photograph's edge: the black field
    # left of the tadpole meets the gutter's paper on one side only, so it is the photograph's own, not a gutter (at
    # the figure's edge a dark margin is left out as before). The top row was one panel: no part was cut where the
    # picture jumps, since the tadpole's black field is no photograph's texture; only the parts cut need to be
    # photographs.
    rng = np.random.default_rng(6)
    sheet = Image.new("RGB", (660, 520), "white")
    sheet.paste(images.skin_photo(rng, 330, 200, tone=2), (0, 0))
    sheet.paste(images.skin_photo(rng, 330, 200, tone=2), (330, 0))
    sheet.paste(images.skin_photo(rng, 325, 315, tone=2), (0, 205))
    tadpole = Image.new("RGB", (325, 315), (10, 10, 10))
    ImageDraw.Draw(tadpole).ellipse((40, 130, 290, 190), fill=(190, 170, 150))
    sheet.paste(tadpole, (335, 205))
    sheet = sheet.filter(ImageFilter.GaussianBlur(0.8))
    box = Box(0, 0, 330, 260)  # half a point a pixel
    panels = find_panels(FigureRegion(None, box, [Graphic("image", box, None)], []), sheet, caption_letters=4)
    cells = [Box(0, 0, 165, 100), Box(165, 0, 330, 100), Box(0, 102.5, 162.5, 260), Box(167.5, 102.5, 312.5, 260)]
    assert len(panels) == 4 and all(p.box.iou(cell) >= 0.9 for p, cell in zip(panels, cells, strict=True))


def _grid_plate(tile: Image.Image | None = None) -> Image.Image:
    """pGREEN Figure 1's layout: a drawing over a band of a 3 x 3 grid of confocal fields (each 100 px of an 800 px
    picture, under a panel's share; 3 px gutters; a row label, a dark block, at each row's left), a bar chart and a
    tall photograph beside it. `tile`: one picture for every tile instead (a heat map's flat cell)."""
    rng = np.random.default_rng(7)
    plate = Image.new("RGB", (800, 580), "white")
    plate.paste(assay_drawing(760), (20, 0))
    draw = ImageDraw.Draw(plate)
    for row in range(3):
        draw.rectangle([4, 300 + 103 * row, 18, 316 + 103 * row], fill="black")
        for column in range(3):
            field = tile or confocal_field(rng).resize((100, 100))
            plate.paste(field, (40 + 103 * column, 260 + 103 * row))
    plate.paste(close_charts_picture(["histogram"]), (390, 280))
    plate.paste(confocal_field(rng, 300).resize((130, 300)), (650, 262))
    return plate


def test_a_regular_grid_of_like_micrographs_under_a_panels_share_is_panels():
    # Held-out 10 micropublication pGREEN Figure 1 (A-F): a plasmid map (A) over a 3 x 3 grid of confocal
    # micrographs whose rows are B-D, a chart (E) and a photograph of wells (F) beside it. Each tile is ~100 px of a
    # 778 px picture, under a panel's share, so the gutter search dropped every column: one panel. A regular grid of
    # like tiles (>= 2 x 2, one size, one gutter) is panels, each tile one, with the pictures above and beside its
    # band: 12, the rows (labelled at their left) taking B-D. A grid of flat cells (a heat map) is no grid of
    # photographs, and an unlettered figure is not searched so.
    def panels(picture: Image.Image, letters: int) -> list[PanelBox]:
        box = Box(0, 0, picture.width / 2, picture.height / 2)
        return find_panels(FigureRegion(None, box, [Graphic("image", box, None)], []), picture, caption_letters=letters)

    found = panels(_grid_plate(), 6)
    assert len(found) == 12
    tiles = [panel for panel in found if panel.box.width < 55]
    assert len(tiles) == 9 and all(48 <= panel.box.width <= 52 for panel in tiles)
    rows = sorted({round(panel.box.top) for panel in tiles})
    assert [sorted({panel.group for panel in tiles if round(panel.box.top) == top}) for top in rows] == [[1], [2], [3]]
    assert len(panels(_grid_plate(Image.new("RGB", (100, 100), (200, 40, 40))), 6)) < 12


def _smear_field(rng: np.random.Generator, width: int, height: int, clear_left: int) -> Image.Image:
    """A blood smear as a micrograph shows it: a white cell (purple, granular) among red cells (pink discs) on a white
    ground, with the grain of a photograph; the left `clear_left` pixels hold no cell (white ground up to the frame)."""
    field = Image.new("RGB", (width, height), (250, 248, 250))
    draw = ImageDraw.Draw(field)
    for _ in range(14):
        x, y, r = rng.integers(clear_left + 30, width), rng.integers(0, height), rng.integers(28, 40)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(228, 120, 130), outline=(200, 90, 100), width=4)
    cx, cy = (clear_left + width) // 2, height // 2
    draw.ellipse([cx - 70, cy - 70, cx + 70, cy + 70], fill=(120, 70, 150))
    for _ in range(300):
        x, y = rng.integers(cx - 60, cx + 60), rng.integers(cy - 60, cy + 60)
        draw.point([(x, y), (x + 1, y), (x, y + 1)], fill=(60, 30, 90))
    grain = np.asarray(field.filter(ImageFilter.GaussianBlur(1)), dtype=float) + rng.normal(0, 4, (height, width, 1))
    return Image.fromarray(np.clip(grain, 0, 255).astype(np.uint8))


def test_framed_micrographs_named_under_them_are_panels():
    """OpenStax A&P Figure 18.13 (held-out 42, calibre and wkhtmltopdf): five micrographs of white cells in one
    raster, each in a thin black frame with its name under it and "Key" over the first; the frames differ in width,
    and the last micrograph's white ground runs from its frame's left side to the cell. Lines down that white ground
    cross only the frame's two thin rules, so the gutter search took them as gutters and lost the last micrograph;
    the columns, each a frame with a name under it, are no pictures to the search either: one panel, truth five."""
    rng = np.random.default_rng(4)
    sheet = Image.new("RGB", (1600, 380), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=30)
    draw.text((14, 4), "Key", fill="black", font=font)
    x = 14
    for width, name in zip(
        (350, 262, 310, 318, 260), ("Basophil", "Eosinophil", "Neutrophil", "Monocyte", "Lymphocyte"), strict=True
    ):
        sheet.paste(_smear_field(rng, width - 6, 240, 40 if name == "Lymphocyte" else 0), (x + 3, 63))
        draw.rectangle([x, 60, x + width - 1, 305], outline="black", width=3)
        draw.text((x + width // 2 - 70, 330), name, fill="black", font=font)
        x += width + 18
    box = Box(0, 0, 400, 95)
    assert len(find_panels(FigureRegion(None, box, [Graphic("image", box, None)], []), sheet)) == 5
