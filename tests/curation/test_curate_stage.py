"""`mmskin-build curate` end to end on a small synthetic dataset with planted problems."""

from __future__ import annotations

import random
from collections import defaultdict

import cv2
import numpy as np
import pytest
from PIL import Image
from shared_data import require_shared
from typer.testing import CliRunner

from fixtures.factories import Item, encode, photo, png_claiming, write_dataset
from mmskin_build.cli import app
from mmskin_build.curation.splits import SplitConfig
from mmskin_build.curation.stage import CurateConfig, CurateError, run_curate
from mmskin_build.store import Dataset
from mmskin_build.validate import problems

PANELS = "Figure 9.4 Psoriasis in a 40-year-old man. (a) Plaques on the elbows. (b) Nail pitting. (c) Scalp scaling."


def _arrowed(seed: int) -> bytes:
    image = np.array(photo(seed))
    cv2.arrowedLine(image, (80, 60), (180, 140), (255, 255, 255), 3, tipLength=0.3)
    return encode(Image.fromarray(image))


def planted_items() -> list[Item]:
    items = [
        Item(
            encode(photo(i)),
            f"Figure {i}.1 Lichen planus of the wrist in a woman in her fifties.",
            f"fig{i}",
            book=f"book{i % 3}",
            mentions=[f"Figure {i}.1 shows a typical case."],
        )
        for i in range(24)
    ]
    items += [
        Item(
            encode(photo(100 + k)),
            PANELS + " (Courtesy of Dr. P.)",
            "panels",
            book="book0",
            panel_letter=letter,
            panel_index=k,
            subcaption=f"({letter}) {text}",
        )
        for k, (letter, text) in enumerate(
            [
                ("a", "Plaques on the elbows."),
                ("b", "Nail pitting."),
                ("c", "Scalp scaling. (Photo courtesy of K. Lee.)"),
            ]
        )
    ]
    items += [
        # The same bytes reused in another book (exact duplicate of fig3).
        Item(encode(photo(3)), "Figure 2.7 Lichen planus, wrist.", "reused", book="book2"),
        # fig5 re-encoded smaller for a later edition, with a near-identical caption (near duplicate).
        Item(
            encode(photo(5).resize((300, 225)), "JPEG", 70),
            "Fig. 5.1 Lichen planus of the wrist in a woman in her fifties",
            "edition2",
            book="book1",
        ),
        Item(encode(photo(200, (120, 90))), "Figure 8 Small image.", "tiny"),
        Item(encode(photo(201)), None, "uncaptioned"),
        Item(encode(photo(202)), "Figure 3 Incidence chart.", "chart", modality="other"),
        Item(encode(photo(203)), "Figure 4 Condylomata of the penile shaft.", "sensitive"),
        Item(_arrowed(204), "Figure 5 Arrow marks the lesion.", "arrow"),
        Item(
            encode(photo(205)),
            "Figure 7.7 Erythema annulare centrifugum.",
            "mentioned",
            mentions=[
                "Figures 7.7 and 7.8 show a 70-year-old woman.",
                "In Figure 7.7 the 33-year-old man had rings on the thigh.",
            ],
        ),
    ]
    return items


EXPECTED_DROPS = {"duplicate": 2, "low-res": 1, "no-caption": 1, "non-photo": 1, "sensitive": 1, "annotated": 1}


@pytest.fixture
def curated(tmp_path):
    root = tmp_path / "ds"
    write_dataset(root, planted_items())
    summary = run_curate(root, CurateConfig(splits=SplitConfig(seed=1)))
    return root, summary


def _tables(root):
    ds = Dataset.open(root)
    return ds, ds.read_table("pairs").to_pylist(), ds.read_table("dropped").to_pylist()


def test_every_image_is_in_exactly_one_of_pairs_and_dropped(curated):
    root, summary = curated
    ds, pairs, dropped = _tables(root)
    images = ds.read_table("images", columns=["image_id"]).column("image_id").to_pylist()
    kept, gone = [p["image_id"] for p in pairs], [d["image_id"] for d in dropped]
    assert sorted(kept + gone) == sorted(images)
    assert not set(kept) & set(gone)
    assert {r: sum(d["reason"] == r for d in dropped) for r in EXPECTED_DROPS} == EXPECTED_DROPS
    assert summary.pairs == len(pairs) == len(images) - sum(EXPECTED_DROPS.values())
    assert list(problems(root)) == []
    run = ds.manifest.runs[-1]
    assert run.stage == "curate" and run.finished_at and run.counts["pairs"] == len(pairs)


def test_no_figure_or_duplicate_group_straddles_two_splits(curated):
    root, _ = curated
    _, pairs, dropped = _tables(root)
    for key in ("figure_id", "dup_group"):
        splits = defaultdict(set)
        for pair in pairs:
            splits[pair[key]].add(pair["split"])
        assert all(len(s) == 1 for s in splits.values()), key
    duplicates = [d for d in dropped if d["reason"] == "duplicate"]
    kept_groups = {p["dup_group"]: p for p in pairs}
    for dup in duplicates:
        representative = kept_groups[dup["dup_group"]]
        assert representative["dup_count"] == 2
        assert "Lichen planus" in representative["caption"]


def test_keep_duplicates_keeps_the_group_in_one_split(tmp_path):
    root = tmp_path / "ds"
    write_dataset(root, planted_items())
    run_curate(root, CurateConfig(keep_duplicates=True))
    _, pairs, dropped = _tables(root)
    assert not [d for d in dropped if d["reason"] == "duplicate"]
    groups = defaultdict(list)
    for pair in pairs:
        groups[pair["dup_group"]].append(pair)
    shared = [g for g in groups.values() if len(g) > 1]
    assert len(shared) == 2 and all(len({p["split"] for p in g}) == 1 for g in shared)
    assert {p["book_id"] for g in shared for p in g} >= {"book1", "book2"}  # reused across books


def test_captions_panels_and_demographics(curated):
    root, _ = curated
    ds, pairs, _ = _tables(root)
    by_letter = {p["panel_letter"]: p for p in pairs if p["panel_letter"]}
    assert by_letter["b"]["caption"] == "Psoriasis in a 40-year-old man. Nail pitting."
    assert by_letter["b"]["body_sites"] == ["nail"] and by_letter["c"]["body_sites"] == ["scalp"]
    assert by_letter["a"]["figure_label"] == "9.4" and by_letter["a"]["age_min_years"] == 40
    assert by_letter["a"]["credit"] == "Courtesy of Dr. P"
    assert by_letter["c"]["credit"] == "Courtesy of Dr. P; Photo courtesy of K. Lee"
    assert by_letter["c"]["caption"] == "Psoriasis in a 40-year-old man. Scalp scaling."
    plain = next(p for p in pairs if p["caption"].startswith("Lichen planus of the wrist"))
    assert (plain["sex"], plain["age_min_years"], plain["age_max_years"]) == ("female", 50, 59)
    splits = {p["image_id"]: p["split"] for p in pairs}
    qa = ds.read_table("demographics").to_pylist()
    assert {q["field"] for q in qa} == {"age", "sex", "body_site"}
    mentioned = next(p for p in pairs if p["figure_label"] == "7.7")
    assert (mentioned["age_min_years"], mentioned["sex"], mentioned["body_sites"]) == (33, "male", [])
    texts = {
        p["image_id"]: {"caption": p["caption"]} | {f"mentions[{i}]": m for i, m in enumerate(p["mentions"])}
        for p in pairs
    }
    for row in qa:
        text = texts[row["image_id"]][row["evidence_source"]]
        assert text[row["evidence_start"] : row["evidence_end"]] == row["evidence"]
        assert row["split"] == splits[row["image_id"]]
    assert {q["evidence_source"] for q in qa if q["image_id"] == mentioned["image_id"]} == {"mentions[1]"}


def test_rerun_is_deterministic_and_the_seed_matters(curated):
    root, _ = curated
    ds = Dataset.open(root)
    before = {t: ds.read_table(t) for t in ("pairs", "demographics", "dropped")}
    run_curate(root, CurateConfig(splits=SplitConfig(seed=1)))
    ds = Dataset.open(root)
    for table, rows in before.items():
        assert ds.read_table(table).equals(rows), table
    assert [r.stage for r in ds.manifest.runs].count("curate") == 2
    run_curate(root, CurateConfig(splits=SplitConfig(seed=2)))
    after = Dataset.open(root).read_table("pairs").column("split").to_pylist()
    assert after != before["pairs"].column("split").to_pylist()


def test_unclassified_images_need_no_modality(tmp_path):
    root = tmp_path / "ds"
    write_dataset(root, [Item(encode(photo(i)), f"Figure {i} Acne.", f"f{i}", modality=None) for i in range(3)])
    with pytest.raises(CurateError, match="3 of 3 images have no modality"):
        run_curate(root)
    summary = run_curate(root, CurateConfig(no_modality=True))
    assert summary.pairs == 3
    assert Dataset.open(root).read_table("pairs").column("modality").to_pylist() == [None] * 3


def test_images_classify_cannot_label_are_dropped_not_a_dead_end(tmp_path):
    """A panel the extractor cut too thin to classify: classify records it and exits 0, curate drops it."""
    root = tmp_path / "ds"
    thin = Item(encode(photo(7, (283, 23))), "Figure 2 Thin strip of a panel.", "thin", modality=None)
    write_dataset(
        root, [Item(encode(photo(i)), f"Figure {i} Acne.", f"f{i}", modality=None) for i in range(2)] + [thin]
    )
    runner = CliRunner()
    classified = runner.invoke(app, ["classify", str(root), "--device", "cpu"])
    assert classified.exit_code == 0, classified.output
    assert "1 images too small to classify" in " ".join(classified.stdout.split())  # rich wraps lines
    ds = Dataset.open(root)
    errors = [e for e in ds.read_table("errors").to_pylist() if e["stage"] == "classify"]
    assert [e["reason"] for e in errors] == ["too-small"]
    assert [r["modality"] is None for r in ds.read_table("images").to_pylist()] == [False, False, True]
    curated = runner.invoke(app, ["curate", str(root)])
    assert curated.exit_code == 0, curated.output
    _, pairs, dropped = _tables(root)
    assert [(d["image_id"], d["reason"]) for d in dropped if d["reason"] == "unclassified"] == [
        (errors[0]["item_id"], "unclassified")
    ]
    assert "too-small: 283x23 px" in next(d["detail"] for d in dropped if d["reason"] == "unclassified")
    assert len(pairs) + len(dropped) == 3
    assert list(problems(root)) == []


def test_an_image_above_the_pixel_limit_is_dropped_undecoded(tmp_path):
    root = tmp_path / "ds"
    write_dataset(
        root, [Item(encode(photo(1)), "Figure 1 Acne.", "f1"), Item(png_claiming(12000, 12000), "Figure 2 Acne.", "f2")]
    )
    summary = run_curate(root)
    _, pairs, dropped = _tables(root)
    assert summary.pairs == 1 and [d["reason"] for d in dropped] == ["undecodable"]
    assert dropped[0]["detail"].startswith("too-large: image claims 12000x12000 pixels")


def test_cli(tmp_path):
    root = tmp_path / "ds"
    write_dataset(root, planted_items())
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "curate",
            str(root),
            "--seed",
            "5",
            "--split-ratios",
            "0.6,0.2,0.2",
            "--min-side",
            "64",
            "--no-sensitive-filter",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "pairs" in result.stdout and "dropped:" in result.stdout
    _, pairs, dropped = _tables(root)
    assert not {d["reason"] for d in dropped} & {"low-res", "sensitive"}
    config = Dataset.open(root).manifest.runs[-1].config
    assert config["splits"]["seed"] == 5 and config["filters"]["min_side"] == 64
    missing = runner.invoke(app, ["curate", str(tmp_path / "missing")])
    assert missing.exit_code == 2 and "no such dataset directory" in missing.stderr
    assert not (tmp_path / "missing").exists()
    Dataset.create_or_open(tmp_path / "empty")
    empty = runner.invoke(app, ["curate", str(tmp_path / "empty")])
    assert empty.exit_code == 2 and "images table is empty or missing" in empty.stderr
    ratios = runner.invoke(app, ["curate", str(root), "--split-ratios", "1,2"])
    assert ratios.exit_code != 0 and "three non-negative numbers" in ratios.output


def test_no_leakage_with_many_planted_duplicates(tmp_path):
    """Figures reused across books and editions, kept with --keep-duplicates: still no pair of copies in
    two splits, checked against the images themselves (bytes and perceptual hash), not the group ids."""
    items = []
    for i in range(30):
        items.append(
            Item(
                encode(photo(300 + i)),
                f"Figure {i} Tinea corporis, annular plaque number {i}.",
                f"o{i}",
                book=f"book{i % 3}",
            )
        )
    for i in range(0, 30, 2):  # every other figure reprinted in another book, rescaled and re-encoded
        copy = photo(300 + i).resize((288, 216))
        items.append(
            Item(
                encode(copy, "JPEG", 75),
                f"Fig. {i} Tinea corporis, annular plaque number {i}",
                f"r{i}",
                book=f"book{(i + 1) % 3}",
            )
        )
    for i in range(1, 30, 5):  # and some byte-identical
        items.append(Item(encode(photo(300 + i)), f"Figure {i}b Same photograph reused.", f"x{i}", book="book9"))
    root = tmp_path / "ds"
    write_dataset(root, items)
    for seed in range(3):
        run_curate(root, CurateConfig(keep_duplicates=True, splits=SplitConfig(ratios=(0.5, 0.25, 0.25), seed=seed)))
        pairs = Dataset.open(root).read_table("pairs", columns=["sha256", "phash", "split"]).to_pylist()
        assert len(pairs) == len(items)
        assert len({p["split"] for p in pairs}) == 3
        for a in pairs:
            for b in pairs:
                if a["split"] != b["split"]:
                    assert a["sha256"] != b["sha256"]
                    assert (int(a["phash"], 16) ^ int(b["phash"], 16)).bit_count() > 4


def test_real_photos_with_drawn_marks_are_dropped_as_annotated(tmp_path):
    """Real clinical photos, half of them with an arrow, ring or label drawn on: those go to dropped."""
    from test_curate_annotations import draw_mark

    from mmskin_build.curation.annotations import find_annotations

    folder = require_shared("images", "clinical")
    # Photos the check leaves alone as they are (some carry a printed watermark, which it flags).
    photos = [p for p in sorted(folder.glob("*.jpg")) if not find_annotations(cv2.imread(str(p)))][:6]
    rng = random.Random(1)
    items = []
    for index, path in enumerate(photos):
        image = cv2.imread(str(path))
        marked = index % 2 == 1
        if marked:
            image = draw_mark(image, ("arrow", "circle", "text")[index // 2], rng)
        items.append(
            Item(
                cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 92])[1].tobytes(),
                f"Figure {index} Plaque on the shin.",
                f"real{index}",
                book="real",
                label=str(index),
            )
        )
    root = tmp_path / "ds"
    write_dataset(root, items)
    run_curate(root)
    _, pairs, dropped = _tables(root)
    assert len(photos) == 6
    assert [d["reason"] for d in dropped] == ["annotated"] * 3
    assert all(d["detail"].startswith("drawn marks over the photo:") for d in dropped)
    assert sorted(p["figure_label"] for p in pairs) == ["0", "2", "4"]
