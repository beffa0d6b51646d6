"""The review app's HTTP answers: filters and pages, checked saves, and a save while a stage holds the dataset."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas
from starlette.testclient import TestClient

from fixtures.factories import Item, encode, photo, write_dataset
from mmskin_build.curation.report import thumbnail_jpeg
from mmskin_build.curation.stage import run_curate
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.stage import run_extract
from mmskin_build.pipeline import writer_lock
from mmskin_build.review.media import THUMB_SIDE
from mmskin_build.review.server import create_app
from mmskin_build.store import Dataset
from mmskin_build.vqa import Backend
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa


@pytest.fixture
def client(tmp_path):
    root = tmp_path / "ds"
    items = [
        Item(
            encode(photo(i)),
            f"Figure {i} Plaques on the elbow.",
            f"f{i}",
            book=f"book{i % 2}",
            modality="dermoscopy" if i == 3 else "clinical",
        )
        for i in range(6)
    ]
    write_dataset(root, items)
    run_curate(root)
    with TestClient(create_app(root, "tester")) as test_client:
        yield root, test_client


def _figures(html: str) -> list[str]:
    return re.findall(r'data-figure-id="(\w+)"', html)


def test_list_filters_and_figure_pages(client):
    root, http = client
    everything = _figures(http.get("/").text)
    assert len(everything) == 6
    assert len(_figures(http.get("/?book=book0.pdf").text)) == 3
    assert len(_figures(http.get("/?modality=dermoscopy").text)) == 1
    images = Dataset.open(root).read_table("images", columns=["image_id", "figure_id"]).to_pylist()
    page = http.get(f"/figure/{everything[0]}").text
    assert 'data-next="/figure/' in page and "gates" in page
    assert http.get(f"/thumb/images/{images[0]['image_id']}").headers["content-type"] == "image/jpeg"
    assert list((root / ".cache" / "review" / "thumbs").glob(f"images-{images[0]['image_id']}-part-*.jpg"))
    assert http.get("/figure/nope").status_code == 404


def test_saves_are_checked_and_wait_for_a_running_stage(client):
    root, http = client
    image = Dataset.open(root).read_table("images", columns=["image_id", "figure_id"]).to_pylist()[0]

    def save(value, target_id=image["image_id"]):
        return http.post(
            "/api/corrections",
            json={"corrections": [{"target": "image", "target_id": target_id, "field": "modality", "value": value}]},
        )

    assert save("xray").status_code == 400 and "choose one of" in save("xray").json()["error"]
    assert save("other", target_id="missing").status_code == 404
    wrong_field = {"target": "figure", "target_id": image["figure_id"], "field": "modality", "value": "other"}
    refused = http.post("/api/corrections", json={"corrections": [wrong_field]})
    assert refused.status_code == 400 and "no correctable field 'modality'" in refused.json()["error"]
    with writer_lock(root, "curate"):  # a stage holds the dataset
        busy = save("pathology")
        assert busy.status_code == 503 and "curate" in busy.json()["error"]
    assert save("pathology").json()["corrections"] == 1
    assert _figures(http.get("/?modality=pathology").text) == [
        image["figure_id"]
    ]  # the list shows the corrected modality at once


def _rejected_in_review(root, http) -> tuple[dict, dict[str, str]]:
    """Generate VQA, reject its first item in review, generate again: (that item's qa_id and image_id, figure id of
    each image id)."""
    run_generate_vqa(root, VqaConfig(backend=Backend.rules))
    figure_of = {r["image_id"]: r["figure_id"] for r in Dataset.open(root).read_table("images").to_pylist()}
    target = Dataset.open(root).read_table("vqa", columns=["qa_id", "image_id"]).to_pylist()[0]
    correction = {"target": "qa", "target_id": target["qa_id"], "field": "status", "value": "rejected"}
    assert http.post("/api/corrections", json={"corrections": [correction]}).status_code == 200
    run_generate_vqa(root, VqaConfig(backend=Backend.rules))
    return target, figure_of


def test_figure_page_says_why_generated_items_are_not_in_the_table(client):
    root, http = client
    target, figure_of = _rejected_in_review(root, http)
    page = http.get(f"/figure/{figure_of[target['image_id']]}").text
    left_out = re.search(rf'<li class="qa rejected" data-qa-id="{target["qa_id"]}">(.*?)</li>', page)
    assert left_out and "rejected in review" in left_out.group(1)
    counts = Dataset.open(root).manifest.last_done("generate-vqa").counts
    assert counts["rejected:review"] == 1 and f"{counts['accepted']} accepted of {counts['generated']}" in page


def test_list_filters_figures_by_the_reason_generate_vqa_left_their_items_out(client):
    root, http = client
    target, figure_of = _rejected_in_review(root, http)
    left_out = Dataset.open(root).read_table("vqa_dropped", columns=["image_id", "reason"]).to_pylist()
    balanced = {figure_of[r["image_id"]] for r in left_out if r["reason"] == "type-balance"}
    assert balanced and len(balanced) < len(figure_of)  # the filter has something to tell apart
    assert set(_figures(http.get("/?gate=type-balance").text)) == balanced
    assert _figures(http.get("/?gate=review").text) == [figure_of[target["image_id"]]]
    assert _figures(http.get("/?gate=leakage").text) == []
    assert '<option value="type-balance">QA left out: type-balance</option>' in http.get("/").text


def test_a_vqa_table_written_before_vqa_dropped_existed_asks_for_a_rerun(client):
    root, http = client
    figure = _figures(http.get("/").text)[0]
    assert "Run generate-vqa again" not in http.get(f"/figure/{figure}").text
    Dataset.open(root).replace_table("vqa", [])  # an older generate-vqa: `vqa` without `vqa_dropped`
    assert "Run generate-vqa again to list the items it left out" in http.get(f"/figure/{figure}").text
    run_generate_vqa(root, VqaConfig(backend=Backend.rules))
    assert "Run generate-vqa again" not in http.get(f"/figure/{figure}").text


def _drawn_chart_pdf(path: Path) -> None:
    """One page with a bar chart drawn in vectors under a caption: `extract` renders it at its --dpi."""
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.setFont("Helvetica", 10)
    for row in range(6):
        canvas.drawString(72, 780 - 14 * row, "Body text of the chapter runs here in lines across the page column.")
    canvas.line(100, 430, 480, 430)
    canvas.line(100, 430, 100, 660)
    for bar, height in enumerate((120, 200, 80, 160, 60)):
        canvas.setFillColorRGB(0.2 + 0.15 * bar, 0.3, 0.6)
        canvas.rect(120 + 70 * bar, 430, 45, height, fill=1, stroke=0)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawString(100, 405, "Figure 1. Lesion counts by body site.")
    canvas.save()


def test_a_thumbnail_follows_its_picture_when_extract_replaces_it(tmp_path):
    """`extract --force` gives a picture new bytes under the same image id (here: another --dpi); the review app's
    thumbnail must not stay the old one from its cache."""
    pdf, root = tmp_path / "chart.pdf", tmp_path / "ds"
    _drawn_chart_pdf(pdf)
    thumbnails = []
    for dpi in (72, 150):
        run_extract([pdf], root, ExtractConfig(dpi=dpi), force=True)
        (row,) = Dataset.open(root).read_table("images", columns=["image_id", "image"]).to_pylist()
        with TestClient(create_app(root, "tester")) as http:
            thumbnail = http.get(f"/thumb/images/{row['image_id']}").content
        assert thumbnail == thumbnail_jpeg(row["image"]["bytes"], THUMB_SIDE)
        thumbnails.append((row["image_id"], thumbnail))
    (first_id, first), (second_id, second) = thumbnails
    assert first_id == second_id and first != second
