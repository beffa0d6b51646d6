"""Tables written by `mmskin-build extract`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from mmskin_build.tables.common import Bbox, ImageData


class Panel(BaseModel):
    """One sub-image of a multi-panel figure."""

    index: int = Field(description="0-based reading-order position of the panel in its figure.")
    letter: str | None = Field(description="Panel letter as printed ('a', 'B'), or null when unlettered.")
    bbox: Bbox = Field(description="Panel box in page points, top-left origin.")
    subcaption: str | None = Field(description="The part of the caption about this panel, when the caption has one.")


class FigureRecord(BaseModel):
    """One whole figure of a PDF page, with its caption."""

    figure_id: str = Field(description="Stable id: hash of the book content, page and figure box.")
    book_id: str = Field(description="First 16 hex digits of the PDF's SHA-256.")
    source_pdf: str = Field(description="PDF file name.")
    page: int = Field(description="1-based page number.")
    page_width: float
    page_height: float
    bbox: Bbox = Field(description="Figure region, caption excluded: [x0, y0, x1, y1] points, top-left origin.")
    label: str | None = Field(description="Figure number as printed, e.g. '12.3', '3a', '4'; null if uncaptioned.")
    label_prefix: str | None = Field(description="The label's word as printed: 'Figure', 'Fig.', 'FIGURE', 'Plate'.")
    caption: str | None = Field(description="Full caption as printed, label first, lines joined, hyphenation repaired.")
    caption_bbox: Bbox | None
    kind: Literal["raster", "vector", "mixed"] = Field(description="What the figure region is drawn with.")
    mentions: list[str] = Field(description="Body-text sentences that cite this figure.")
    panels: list[Panel] = Field(description="Sub-images of a multi-panel figure; empty for a single image.")
    image: ImageData = Field(description="The whole figure: original embedded bytes or a render at --dpi.")
    image_width: int
    image_height: int
    ocr: str | None = Field(
        default=None,
        description="OCR engine and version that read this page's text (a scanned page), e.g. 'tesseract 5.3.0'; "
        "null when the text came from the PDF's text layer.",
    )


class ImageRecord(BaseModel):
    """One trainable image: a panel of a multi-panel figure, or the whole figure."""

    image_id: str = Field(description="Stable id: figure_id plus the panel index.")
    figure_id: str
    book_id: str
    source_pdf: str
    page: int
    panel_index: int | None = Field(description="Index into the figure's panels; null for a whole figure.")
    panel_letter: str | None
    bbox: Bbox = Field(description="Image region in page points, top-left origin.")
    caption: str | None = Field(description="The whole figure's caption.")
    subcaption: str | None = Field(description="The caption part about this panel, if any.")
    image: ImageData
    image_format: Literal["png", "jpeg"]
    width: int
    height: int
    sha256: str = Field(description="SHA-256 of the image bytes.")
    origin: Literal["embedded", "render", "crop", "scan"] = Field(
        description="Original embedded bytes, a render of the page region, a crop of the figure's picture, "
        "or a cut from a scanned page's straightened raster at its own resolution."
    )
    modality: Literal["clinical", "dermoscopy", "pathology", "other"] | None = Field(
        default=None, description="Set by `classify`."
    )
    modality_confidence: float | None = Field(default=None, description="Probability of the chosen modality.")
    modality_source: Literal["image", "caption", "both"] | None = Field(
        default=None, description="What decided the modality: the image model, caption cues, or both agreeing."
    )
    prob_clinical: float | None = None
    prob_dermoscopy: float | None = None
    prob_pathology: float | None = None
    prob_other: float | None = None
    needs_review: bool | None = Field(default=None, description="Confidence under the review threshold.")
