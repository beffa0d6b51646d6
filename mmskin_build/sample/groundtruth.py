"""Ground truth of a generated book, in the format of ../shared/data/pdf_groundtruth/meddiag_*.json.

The meddiag keys come first and mean the same; the extra keys (`label_prefix`, `panel_bboxes`,
`subcaptions`, `modalities`, `mentions`) carry what only a generator knows exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from mmskin_build.store.dataset import atomic_write_bytes

Box = list[float]


class FigureTruth(BaseModel):
    page: int = Field(description="1-based page number.")
    page_width: float
    page_height: float
    type: Literal["Figure", "Table"]
    name: str | None = Field(description="The number as printed ('2.1', '2-3', '4a', '4'); null when uncaptioned.")
    figure_bbox: Box = Field(description="Drawn images/graphics, caption excluded; [x0, top, x1, bottom] points.")
    caption_bbox: Box | None = Field(description="Union of the caption's word boxes as pdfplumber reports them.")
    caption_text: str | None = Field(description="The caption as printed, label first, lines joined by spaces.")
    panels: int = Field(description="Distinct sub-images (1 if single; 0 for a table).")
    kind: str = Field(description="photo | micrograph | chart | other (as in meddiag).")
    panel_labels: list[str] = Field(description="Printed panel letters ([] if none).")
    label_prefix: str | None = Field(
        description="The label word as printed: 'Figure', 'Fig.', 'FIGURE', 'Plate', 'Table'."
    )
    panel_bboxes: list[Box] = Field(description="Each panel's box, reading order ([] for a single image).")
    subcaptions: list[str | None] = Field(
        description="Each panel's sub-caption, without its letter ([] for a single image)."
    )
    modalities: list[str] = Field(
        description="clinical | dermoscopy | pathology | other, per panel (one entry if single)."
    )
    mentions: list[str] = Field(
        default_factory=list, description="Body-text sentences that cite this figure, as written."
    )


class GroundTruth(BaseModel):
    pdf: str
    gt_source: str = "generated: boxes computed from the generator's own drawing coordinates (mmskin_build.sample)"
    gt_type: str = "synthetic (exact)"
    coords: str = "PDF points, top-left origin, [x0,y0,x1,y1], 1-based pages"
    pages_annotated: list[int]
    bbox_method: str = (
        "figure_bbox = extent of the drawn image XObjects (union of strips/panels) or of the chart frame or table "
        "rules; text-layer panel letters lie inside it. caption_bbox = union of the caption lines' character boxes "
        "(pdfminer's: baseline + font descent, one font size tall)"
    )
    panels_rule: str = "panels = number of distinct sub-images (lettered or not); 1 if single; 0 for a table"
    figures: list[FigureTruth]
    notes: str = ""

    def write(self, path: Path) -> None:
        atomic_write_bytes(Path(path), (self.model_dump_json(indent=1) + "\n").encode())

    @classmethod
    def read(cls, path: Path) -> GroundTruth:
        return cls.model_validate_json(Path(path).read_text())
