"""`mmskin-build review` on a generated dataset of 10,000 figures: how fast the list and a figure page answer.

The dataset is written through the store as extract would (one image per figure, a quarter of them with
three panels), then curated (`--min-side 32 --no-annotation-check`) and given rules QA. A real server
process answers over HTTP; each page is fetched in rounds and the median and 95th percentile reported,
next to the floor: the same server sending a small static file, measured in the same run. Thumbnails
are timed cold (made and cached on first request) and warm.

    python benchmarks/bench_review.py [--figures 10000] [--rounds 30] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cv2
import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from fixtures.review_browser import review_server
from mmskin_build.curation.filters import FilterConfig
from mmskin_build.curation.stage import CurateConfig, run_curate
from mmskin_build.store import Dataset
from mmskin_build.tables import FigureRecord, ImageData, ImageRecord, Panel
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa

WORDS = (
    "erythematous scaly plaque papules nodule vesicles pustules macule patch elbow knee scalp face trunk "
    "psoriasis eczema lichen planus tinea acne vitiligo melanoma wart annular red brown"
).split()
MODALITIES = ("clinical", "dermoscopy", "pathology", "other")


def _jpeg(rng: np.random.Generator) -> bytes:
    coarse = rng.random((6, 8, 3)).astype(np.float32)
    pixels = (cv2.resize(coarse, (160, 120), interpolation=cv2.INTER_CUBIC) * 150 + 60).clip(0, 255).astype(np.uint8)
    return cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes()


def generate(root: Path, figures: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    dataset = Dataset.create_or_open(root)
    figure_writer, image_writer = dataset.writer("figures"), dataset.writer("images")
    for number in range(figures):
        book = f"book{number % 20:02d}"
        figure_id = hashlib.sha256(f"{book}:{number}".encode()).hexdigest()[:16]
        words = " ".join(rng.choice(WORDS, 14))
        panels = 3 if number % 4 == 0 else 0
        caption = f"Figure {number}.1 {words}" + (" (A) elbow (B) knee (C) scalp." if panels else ".")
        data = _jpeg(rng)
        boxes = [[60.0 + 160 * k, 100.0, 200.0 + 160 * k, 220.0] for k in range(panels)]
        figure_writer.add(
            FigureRecord(
                figure_id=figure_id,
                book_id=book,
                source_pdf=f"{book}.pdf",
                page=1 + number // 3,
                page_width=612,
                page_height=792,
                bbox=[50, 90, 560, 240],
                label=f"{number}.1",
                label_prefix="Figure",
                caption=caption,
                caption_bbox=[50, 245, 560, 270],
                kind="raster",
                mentions=[],
                panels=[
                    Panel(index=k, letter="ABC"[k], bbox=boxes[k], subcaption=["elbow", "knee", "scalp"][k])
                    for k in range(panels)
                ],
                image=ImageData(bytes=data),
                image_width=160,
                image_height=120,
            )
        )
        for k in range(max(panels, 1)):
            image = data if not panels else _jpeg(rng)
            modality = MODALITIES[int(rng.integers(4))] if rng.random() < 0.2 else "clinical"
            confidence = float(rng.uniform(0.4, 1.0))
            image_writer.add(
                ImageRecord(
                    image_id=f"{figure_id}-{'p' + str(k) if panels else 'f'}",
                    figure_id=figure_id,
                    book_id=book,
                    source_pdf=f"{book}.pdf",
                    page=1 + number // 3,
                    panel_index=k if panels else None,
                    panel_letter="ABC"[k] if panels else None,
                    bbox=boxes[k] if panels else [50, 90, 560, 240],
                    caption=caption,
                    subcaption=["elbow", "knee", "scalp"][k] if panels else None,
                    image=ImageData(bytes=image, path="x.jpg"),
                    image_format="jpeg",
                    width=160,
                    height=120,
                    sha256=hashlib.sha256(image).hexdigest(),
                    origin="embedded",
                    modality=modality,
                    modality_confidence=confidence,
                    modality_source="image",
                    needs_review=confidence < 0.7,
                )
            )
    dataset.commit(figure_writer.close() + image_writer.close())
    run_curate(root, CurateConfig(filters=FilterConfig(min_side=32, detect_annotations=False)))
    run_generate_vqa(root, VqaConfig(backend="rules"))


def timed(client: httpx.Client, url: str, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return times


def report(name: str, times: list[float], floor: float) -> None:
    median = statistics.median(times)
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    print(f"{name:<34} median {median * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  x{median / floor:6.1f} the floor")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="Build (or reuse) the dataset here instead of a temp dir.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "ds"
        if not (root / "manifest.json").is_file():
            started = time.perf_counter()
            generate(root, args.figures)
            print(f"generated and curated {args.figures} figures in {time.perf_counter() - started:.1f} s")
        dataset = Dataset.open(root)
        print(
            f"{dataset.rows('figures')} figures, {dataset.rows('images')} images, {dataset.rows('pairs')} pairs, "
            f"{dataset.rows('vqa')} QA"
        )
        figure_ids = dataset.read_table("figures", columns=["figure_id"]).column("figure_id").to_pylist()
        image_ids = dataset.read_table("images", columns=["image_id"]).column("image_id").to_pylist()
        sample = random.Random(0)
        started = time.perf_counter()
        with review_server(root) as (url, _process), httpx.Client(base_url=url, timeout=60) as client:
            print(f"server start-up (process, imports, index of every table): {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            client.get("/")
            print(f"first list page: {(time.perf_counter() - started) * 1000:.0f} ms")
            floor = statistics.median(timed(client, "/static/review.css", args.rounds))
            print(f"{'floor: static file':<34} median {floor * 1000:7.1f} ms")
            report("list page 1", timed(client, "/", args.rounds), floor)
            report("list page 100", timed(client, "/?page=100", args.rounds), floor)
            report(
                "list, filtered (book+modality)",
                timed(client, "/?book=book03.pdf&modality=dermoscopy", args.rounds),
                floor,
            )
            report("list, filtered (gate: type-balance)", timed(client, "/?gate=type-balance", args.rounds), floor)
            figure_times = []
            for figure_id in sample.sample(figure_ids, args.rounds):
                figure_times += timed(client, f"/figure/{figure_id}", 1)
            report("figure page (random figures)", figure_times, floor)
            thumbs = sample.sample(image_ids, args.rounds)
            cold = [timed(client, f"/thumb/images/{i}", 1)[0] for i in thumbs]
            warm = [timed(client, f"/thumb/images/{i}", 1)[0] for i in thumbs]
            report("thumbnail, cold (made + cached)", cold, floor)
            report("thumbnail, warm", warm, floor)
            # The `a` key: save an approval, then load the next figure (whose order the approval just changed).
            save, after = [], []
            for figure_id, following in itertools.pairwise(figure_ids[: args.rounds + 1]):
                start = time.perf_counter()
                response = client.post(
                    "/api/corrections",
                    json={
                        "corrections": [
                            {"target": "figure", "target_id": figure_id, "field": "status", "value": "approved"}
                        ]
                    },
                )
                save.append(time.perf_counter() - start)
                assert response.status_code == 200, response.text
                after += timed(client, f"/figure/{following}", 1)
            report("save one approval", save, floor)
            report("figure page right after a save", after, floor)


if __name__ == "__main__":
    main()
