"""`mmskin-build review` in Debian's chromium: corrections made with the keyboard and mouse reach the tables.

A dataset is built from real case-report PDFs (extract -> classify -> curate -> generate-vqa --backend rules);
two browser sessions edit it at once through a real server process, which is then killed with SIGKILL; the
re-run stages must show every correction.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from fixtures.factories import Item, encode, photo, write_dataset
from fixtures.review_browser import chromium_browser, review_server
from mmskin_build.cli import app
from mmskin_build.review.corrections import Corrections
from mmskin_build.store import Dataset
from mmskin_build.validate import problems

CASE_REPORTS = (
    "meddiag_A_case_of_dengue_fever_presenting_with_acute_urticaria.pdf",  # panels A-C, sub-captions misassigned
    "meddiag_Dengue_with_a_morbilliform_rash_and_a_positive_tourniquet_test.pdf",
    "meddiag_Skin_rash_from_dengue_fever.pdf",
)
NEW_CAPTION = "Figure 1 Tourniquet test positive: numerous minute red petechiae on the forearm."
BURST = 15  # saves each session fires at once


def _cli(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture
def case_reports(shared_pdfs, tmp_path):
    root = tmp_path / "ds"
    _cli("extract", *(str(shared_pdfs / name) for name in CASE_REPORTS), "-o", str(root))
    _cli("classify", str(root))
    _cli("curate", str(root))
    _cli("generate-vqa", str(root), "--backend", "rules")
    return root


def _figure_ids(root):
    images = Dataset.open(root).read_table("images", columns=["image_id", "figure_id", "caption", "panel_letter"])
    rows = images.to_pylist()
    urticaria = next(r["figure_id"] for r in rows if "wheals" in (r["caption"] or ""))
    panels = {r["panel_letter"]: r["image_id"] for r in rows if r["figure_id"] == urticaria}
    tourniquet = next(r["figure_id"] for r in rows if "Tourniquet" in (r["caption"] or ""))
    return urticaria, panels, tourniquet, rows


def _burst(page, targets: list[str]) -> None:
    """Fire one save per target without waiting, so the two sessions' saves overlap on the server."""
    page.evaluate(
        """targets => { window.burstDone = false;
            Promise.all(targets.map(id => fetch('/api/corrections', {method: 'POST',
              headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({reviewer: 'burst', corrections: [
                {target: 'image', target_id: id, field: 'status', value: 'approved'}]})})
              .then(r => { if (r.status !== 200) { throw new Error('status ' + r.status); } })))
            .then(() => { window.burstDone = true; }, e => { window.burstError = String(e); }); }""",
        targets,
    )


def test_review_in_chromium_reaches_the_tables(case_reports):
    root = case_reports
    urticaria, panels, tourniquet, image_rows = _figure_ids(root)
    vqa = Dataset.open(root).read_table("vqa").to_pylist()
    kept_qa = next(r for r in vqa if not r["image_id"].startswith(urticaria))  # a QA whose caption stays as it is
    curated = {r["image_id"]: r for r in Dataset.open(root).read_table("pairs").to_pylist()}
    moved = curated[panels["B"]]["subcaption"]  # panel B's sub-caption as curated ("legs")
    assert moved
    errors: list[str] = []
    with review_server(root) as (url, server), chromium_browser() as browser:
        one, two = browser.new_context().new_page(), browser.new_context().new_page()
        for page, reason in ((one, "same patient as panel A"), (two, "not visible in the image")):
            page.on("dialog", lambda dialog, reason=reason: dialog.accept(reason))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))

        # Session one: the list, then the urticaria figure.
        one.goto(url + "/")
        assert one.locator(f'[data-figure-id="{urticaria}"]').count() == 1
        one.goto(f"{url}/figure/{urticaria}")
        assert one.locator(".panel").count() == 3 and one.locator(".panel-box").count() == 3
        # Move panel B's sub-caption to panel A (as a reviewer fixes sub-captions shifted by one panel).
        panel_b = one.locator(f'.panel[data-image-id="{panels["B"]}"]')
        panel_b.locator(".move-to").select_option(panels["A"])
        with one.expect_navigation():
            panel_b.locator("button.move").click()
        # Write panel B's sub-caption with the keyboard: 2 selects it, s focuses, Ctrl+Enter saves.
        one.keyboard.press("2")
        one.keyboard.press("s")
        one.keyboard.type("lower legs")
        with one.expect_response(re.compile(r"/api/corrections$")):
            one.keyboard.press("Control+Enter")
        # Reject panel C: 3 selects it, x asks why (the dialog handler answers).
        one.keyboard.press("Escape")
        one.keyboard.press("3")
        with one.expect_navigation():
            one.keyboard.press("x")

        # Session two, at the same time: edit another figure's caption, reject a QA item.
        two.goto(f"{url}/figure/{tourniquet}")
        two.keyboard.press("e")
        two.locator("#caption").fill(NEW_CAPTION)
        with two.expect_response(re.compile(r"/api/corrections$")):
            two.keyboard.press("Control+Enter")
        qa_figure = next(r["figure_id"] for r in image_rows if r["image_id"] == kept_qa["image_id"])
        two.goto(f"{url}/figure/{qa_figure}")
        with two.expect_navigation():
            two.locator(f'.reject-qa[data-id="{kept_qa["qa_id"]}"]').click()

        # Both sessions save at once.
        ids = [r["image_id"] for r in image_rows if r["image_id"] != panels["C"]]  # C stays rejected
        _burst(one, (ids * BURST)[:BURST])
        _burst(two, (ids[::-1] * BURST)[:BURST])
        for page in (one, two):
            page.wait_for_function("window.burstDone === true || window.burstError !== undefined", timeout=60_000)
            assert page.evaluate("window.burstError") is None

        # One key approves the figure and opens the next one.
        one.goto(f"{url}/figure/{urticaria}")
        next_url = one.locator("body").get_attribute("data-next")
        with one.expect_navigation():
            one.keyboard.press("a")
        assert next_url and one.url.endswith(next_url)
        server.kill()  # SIGKILL: whatever was answered "saved" must be on disk
        server.wait()
    assert errors == []

    ui_saves = 2 + 1 + 1 + 1 + 1 + 1  # move (two rows), edit, reject panel, caption, reject QA, approve
    dataset = Dataset.open(root)
    assert dataset.rows("corrections") == ui_saves + 2 * BURST
    assert not list(problems(root))
    corrections = Corrections.load(dataset)
    assert corrections.status("figure", urticaria).new_value == "approved"
    assert {r["reviewer"] for r in dataset.read_table("corrections").to_pylist()} == {"tester", "burst"}

    _cli("curate", str(root))
    _cli("generate-vqa", str(root), "--backend", "rules")
    dataset = Dataset.open(root)
    pairs = {r["image_id"]: r for r in dataset.read_table("pairs").to_pylist()}
    assert pairs[panels["A"]]["subcaption"] == moved
    assert pairs[panels["B"]]["subcaption"] == "lower legs"
    dropped = {r["image_id"]: r for r in dataset.read_table("dropped").to_pylist()}
    assert dropped[panels["C"]]["reason"] == "rejected-in-review" and "same patient" in dropped[panels["C"]]["detail"]
    tourniquet_pair = next(p for p in pairs.values() if p["figure_id"] == tourniquet)
    assert tourniquet_pair["caption"] == NEW_CAPTION.removeprefix("Figure 1 ")
    assert "Tourniquet test positive: showing" in tourniquet_pair["caption_raw"]
    vqa = {r["qa_id"]: r for r in dataset.read_table("vqa").to_pylist()}
    assert kept_qa["qa_id"] not in vqa
    # The edited caption was asked about again: the rules' items cite it, and find the new site ("forearm").
    asked = [r for r in vqa.values() if r["image_id"] == tourniquet_pair["image_id"]]
    assert asked and all(r["evidence"] in tourniquet_pair["caption"] for r in asked)
    assert any("forearm" in r["answer"] for r in asked)
    runs = {run.stage: run for run in dataset.manifest.runs}
    assert runs["curate"].counts["dropped_rejected-in-review"] == 1
    assert runs["curate"].counts["corrections_applied"] == len(corrections.latest)
    assert runs["generate-vqa"].counts["rejected:review"] == 1
    assert dataset.manifest.tables["corrections"].rows == ui_saves + 2 * BURST


def test_a_hundred_figures_take_a_hundred_key_presses(tmp_path):
    root = tmp_path / "ds"
    write_dataset(root, [Item(encode(photo(i, (64, 48)), "JPEG"), f"Figure {i} Plaque.", f"f{i}") for i in range(101)])
    with review_server(root) as (url, _server), chromium_browser() as browser:
        page = browser.new_page()
        page.goto(url + "/")
        with page.expect_navigation():
            page.keyboard.press("a")  # the list's "review from the first"
        for _ in range(100):
            with page.expect_navigation():
                page.keyboard.press("a")
    corrections = Corrections.load(Dataset.open(root))
    approved = {key[1] for key, c in corrections.latest.items() if key[0] == "figure" and c.new_value == "approved"}
    assert len(approved) == 100 and corrections.rows == 100
