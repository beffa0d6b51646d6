"""The top-level panel search (`panels/search.py`): what a figure's caption tells it about the pictures to find."""

from PIL import Image, ImageDraw

from mmskin_build.extract.captions import Caption
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.panels import find_panels
from mmskin_build.extract.regions import FigureRegion, Graphic
from mmskin_build.text.panel_markers import places_named


def _framed_pair() -> Image.Image:
    """Two framed line drawings side by side in one raster, 640 x 220 pixels, 30 pixels apart, the first frame's left
    side cut off at the raster's edge: no frame is whole and the gutter is narrow, so nothing parts them as panels."""
    picture = Image.new("L", (640, 220), 255)
    draw = ImageDraw.Draw(picture)
    for x0, x1 in ((-10, 305), (335, 635)):
        draw.rectangle([x0, 4, x1, 215], outline=0, width=2)
        draw.ellipse([max(x0, 0) + 40, 30, x1 - 40, 190], outline=0, width=3)
        draw.arc([max(x0, 0) + 80, 60, x1 - 80, 160], 0, 180, fill=0, width=2)
    return picture.convert("RGB")


def _captioned(text: str) -> FigureRegion:
    box = Box(0, 0, 235, 80)
    caption = Caption("Figure", "", None, [], Box(0, 90, 235, 98), text, 2.0, 0)
    return FigureRegion(caption, box, [Graphic("image", box, None)], [])


def test_pictures_the_caption_names_by_place_are_panels():
    """Held-out 20 (WHO pocket book p. 295): "Good (left) and poor (right) attachment of infant to the mother's breast",
    two framed drawings in one raster, the first frame cut off at the raster's edge: one panel, truth two. A caption
    naming two or more places names as many pictures, as letters would; one place, or none, names nothing."""
    picture = _framed_pair()
    assert len(find_panels(_captioned("Good (left) and poor (right) attachment of infant"), picture)) == 2
    assert len(find_panels(_captioned("Left: good attachment. Right: poor attachment."), picture)) == 2
    assert find_panels(_captioned("Good and poor attachment of infant"), picture) == []
    assert find_panels(_captioned("Poor attachment: the chin is away from the breast (left)"), picture) == []


def test_places_named_counts_places_not_mentions():
    assert (
        places_named("Idealized workflows of current (left), hybrid (centre) and data-driven (right) prediction") == 3
    )
    assert places_named("Top: the lesion. Bottom: its margin.") == 2
    assert places_named("CT (left) and MRI (center), and the CT again (left)") == 2
    assert places_named("A strip is inserted into a slot on the right side of the machine (left)") == 0
