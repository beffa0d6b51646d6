"""extract.layout on generated pages: which lines are the text flow's and which a figure's."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract.geometry import Box
from tests.fixtures.layout_pages import only_figure, running_prose, text_boxes

_HEIGHT = 792
_NODE_TEXT = "Stimulate by rubbing the back two or three times."


def test_lines_of_body_type_in_flow_chart_boxes_tied_by_arrows_are_the_chart_s(tmp_path):
    """WHO pocket book Chart 12: a flow chart whose boxes hold several lines each in the body's type, tied by arrows
    drawn from box to box, under its title. Taken for paragraphs, the boxes' lines stopped the search under the title
    at once, and the chart was not found (or only its column of short lines)."""
    path = tmp_path / "chart.pdf"
    pdf = Canvas(str(path), pagesize=(612, _HEIGHT))
    pdf.setFont("Times-Roman", 7)
    running_prose(pdf, 72, _HEIGHT - 100, 8, leading=8, per_line=14)
    pdf.setFont("Times-Bold", 9)
    pdf.drawString(72, _HEIGHT - 190, "Chart 12. Neonatal resuscitation: Flow chart")
    pdf.setFont("Times-Roman", 7)
    text_boxes(pdf, _HEIGHT, [(72, 205, 282, 240), (72, 255, 282, 290), (72, 305, 282, 350)], _NODE_TEXT)
    text_boxes(pdf, _HEIGHT, [(320, 205, 420, 240), (320, 255, 420, 290)], "Routine care")
    for x0, top, x1, bottom in ((177, 240, 177, 255), (177, 290, 177, 305), (282, 222, 320, 222), (282, 272, 320, 272)):
        pdf.line(x0, _HEIGHT - top, x1, _HEIGHT - bottom)  # the arrows from box to box
    running_prose(pdf, 72, _HEIGHT - 400, 8, leading=8, per_line=14)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["caption"] == "Chart 12. Neonatal resuscitation: Flow chart"
    assert Box(*figure["bbox"]).contains(Box(72, 205, 420, 350), tolerance=1.5), figure["bbox"]
