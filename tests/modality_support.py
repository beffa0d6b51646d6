"""Inputs for the classify tests and benchmarks: rows of the `images` table, figures of real annotated PDFs."""

from __future__ import annotations

import io
import json
from pathlib import Path

from mmskin_build.tables import ImageData, ImageRecord

KIND_TO_MODALITY = {"photo": "clinical", "micrograph": "pathology", "radiology": "other", "chart": "other", "diagram": "other"}


def image_record(index: int, data: bytes, caption: str | None, subcaption: str | None = None) -> ImageRecord:
    """An extracted image `img{index}` holding `data`, as `extract` would write it."""
    return ImageRecord(
        image_id=f"img{index}",
        figure_id=f"fig{index}",
        book_id="0" * 16,
        source_pdf="book.pdf",
        page=index + 1,
        panel_index=None,
        panel_letter=None,
        bbox=[0.0, 0.0, 100.0, 100.0],
        caption=caption,
        subcaption=subcaption,
        image=ImageData(bytes=data, path=f"img{index}.jpg"),
        image_format="jpeg",
        width=100,
        height=100,
        sha256=f"{index:064x}",
        origin="embedded",
    )


def pdf_figures(pdfs: Path, truth_dir: Path, resolution: int = 150) -> list[dict]:
    """Ground-truth figures of real PDFs rendered as images, with their caption and expected modality."""
    import pdfplumber

    figures = []
    for path in sorted(truth_dir.glob("*.json")):
        truth = json.loads(path.read_text())
        if not (path.name.startswith("meddiag_") or path.name.startswith("icml13_")):
            continue
        with pdfplumber.open(pdfs / Path(truth["pdf"]).name) as pdf:
            for fig in truth["figures"]:
                if fig.get("type", "Figure") != "Figure":
                    continue
                expected = KIND_TO_MODALITY.get(fig.get("kind", ""), "other" if path.name.startswith("icml13_") else None)
                if expected is None:
                    continue
                page = pdf.pages[fig["page"] - 1]
                box = [max(fig["figure_bbox"][0], page.bbox[0]), max(fig["figure_bbox"][1], page.bbox[1]),
                       min(fig["figure_bbox"][2], page.bbox[2]), min(fig["figure_bbox"][3], page.bbox[3])]
                image = page.crop(box).to_image(resolution=resolution).original.convert("RGB")
                buffer = io.BytesIO()
                image.save(buffer, "PNG")
                figures.append({"name": f"{truth['pdf']} p{fig['page']} fig {fig.get('name')}", "bytes": buffer.getvalue(),
                                "caption": fig.get("caption_text"), "expected": expected})
    return figures
