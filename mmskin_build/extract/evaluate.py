"""`eval-extract`: figures against ground truth, with pdffigures2's protocol.

A predicted figure is right when it is on the ground truth's page and its box has IoU >= 0.8 with the
truth (one-to-one, best IoU first). Only ground-truth figures are scored (tables are not extracted),
and only on annotated pages; truth that is another model's output (`gt_type` says so) is not scored.
Captions of matched figures are compared on letters and digits; the human annotations sometimes stop
before the caption does, so a caption that starts with the whole annotated text counts as right in
`caption_accuracy`, and `caption_exact` keeps the strict figure. `panel_accuracy` is over truth with 2+
panels; `panel_accuracy_all` also counts single pictures, which must not be split into panels.
`subcaption_accuracy` is over matched figures whose truth gives panel letters and `subcaptions`
(tests/extract/groundtruth/README.md): a figure is right when every lettered panel is found with its letter and its text.
`caption_similarity` is the mean edit-distance similarity, which shows what OCR misreadings cost.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, computed_field
from rapidfuzz import fuzz
from rich.table import Table

from mmskin_build.extract.geometry import Box, reading_order
from mmskin_build.extract.text import normalise_for_match
from mmskin_build.pipeline import UsageError
from mmskin_build.store import Dataset


class Scores(BaseModel):
    truth: int = 0
    predicted: int = 0
    matched: int = 0
    caption_right: int = 0
    caption_exact: int = 0
    caption_similarity_sum: float = 0.0
    multi_panel: int = 0
    panel_count_right: int = 0
    # Matched figures whose truth is one picture (panels == 1), and those not split into panels.
    single_panel: int = 0
    single_panel_kept: int = 0
    # Matched figures whose truth gives sub-captions, and those with every letter and text on the right panel.
    subcaptioned: int = 0
    subcaption_right: int = 0

    def add(self, other: Scores) -> None:
        for name in type(self).model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @computed_field
    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @computed_field
    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 1.0

    @computed_field
    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @computed_field
    @property
    def caption_accuracy(self) -> float:
        return self.caption_right / self.matched if self.matched else 1.0

    @computed_field
    @property
    def caption_similarity(self) -> float:
        """Mean text similarity (0-1) of the captions of matched figures: what OCR misreadings cost."""
        return self.caption_similarity_sum / self.matched if self.matched else 1.0

    @computed_field
    @property
    def panel_accuracy(self) -> float:
        return self.panel_count_right / self.multi_panel if self.multi_panel else 1.0

    @computed_field
    @property
    def panel_accuracy_all(self) -> float:
        """Panel count right over every matched figure whose truth gives one: a single picture split into
        panels (a flow chart cut into its boxes) counts as wrong here."""
        counted = self.multi_panel + self.single_panel
        return (self.panel_count_right + self.single_panel_kept) / counted if counted else 1.0

    @computed_field
    @property
    def subcaption_accuracy(self) -> float:
        return self.subcaption_right / self.subcaptioned if self.subcaptioned else 1.0

    def summary(self) -> dict[str, float]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "caption_accuracy": self.caption_accuracy,
            "caption_exact": self.caption_exact / self.matched if self.matched else 1.0,
            "caption_similarity": self.caption_similarity,
            "panel_accuracy": self.panel_accuracy,
            "panel_accuracy_all": self.panel_accuracy_all,
            "subcaption_accuracy": self.subcaption_accuracy,
        }


class EvalReport(BaseModel):
    iou_threshold: float
    documents: dict[str, Scores]
    sets: dict[str, Scores]
    overall: Scores
    misses: list[str]
    skipped: list[str]
    # Matched figures whose caption or panel count is wrong, with what was found and what is true.
    wrong: list[str] = []
    # Pages where truth and prediction disagree (a miss, a false figure, a wrong caption or panel count).
    pages_to_check: dict[str, list[int]] = {}

    def metrics(self) -> dict[str, dict[str, float]]:
        result = {name: scores.summary() for name, scores in self.sets.items()}
        result["overall"] = self.overall.summary()
        return result


def document_set(stem: str, truth: dict) -> str:
    """The truth's `set` field, else the PDF's name prefix: <set>_<document> (icml13_..., meddiag_...)."""
    return truth.get("set") or stem.split("_", 1)[0]


def truth_files(sources: Path | Iterable[Path]) -> list[Path]:
    """Ground-truth JSON files: each source is a directory of them (not recursive) or one file."""
    files: list[Path] = []
    for source in [sources] if isinstance(sources, Path) else sources:
        files.extend(sorted(source.glob("*.json")) if source.is_dir() else [source])
    return list(dict.fromkeys(files))


_TRUTH_KEYS = frozenset({"page", "figure_bbox"})  # what scoring reads of every truth figure


def read_truth(gt_path: Path) -> tuple[str, dict]:
    """(PDF stem, ground truth) of one ground-truth file; raises UsageError for a file in another format."""
    try:
        truth = json.loads(gt_path.read_text())
    except json.JSONDecodeError as exc:
        raise UsageError(f"{gt_path}: not JSON ({exc.msg}, line {exc.lineno}); give pdf_groundtruth files") from None
    figures = truth.get("figures") if isinstance(truth, dict) else None
    if not isinstance(figures, list) or not all(isinstance(f, dict) and _TRUTH_KEYS <= f.keys() for f in figures):
        raise UsageError(f"{gt_path}: not pdf_groundtruth JSON (a 'figures' list, each with {sorted(_TRUTH_KEYS)})")
    return Path(truth.get("pdf", gt_path.stem)).stem, truth


@dataclass
class _Disagreements:
    """What one document's truth and predictions disagree on, as report lines, and on which pages."""

    stem: str
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)

    def miss(self, page: int, what: str) -> None:
        self.misses.append(f"{self.stem} page {page}: {what}")
        self.pages.add(page)

    def mismatch(self, page: int, what: str, draw: bool = True) -> None:
        """`draw`: the page is worth an overlay (not for text that only runs on past the annotated caption)."""
        self.wrong.append(f"{self.stem} page {page}: {what}")
        if draw:
            self.pages.add(page)


def evaluate_dataset(dataset_dir: Path, gt: Path | Iterable[Path], iou_threshold: float = 0.8) -> EvalReport:
    figures = (
        Dataset.open(dataset_dir)
        .read_table("figures", columns=["source_pdf", "page", "bbox", "caption", "panels"])
        .to_pylist()
    )
    by_pdf: dict[str, list[dict]] = defaultdict(list)
    for row in figures:
        by_pdf[Path(row["source_pdf"]).stem].append(row)
    documents: dict[str, Scores] = {}
    skipped: list[str] = []
    disagreements: list[_Disagreements] = []
    set_of: dict[str, str] = {}
    for gt_path in truth_files(gt):
        stem, truth = read_truth(gt_path)
        if not _is_reference_truth(truth):
            skipped.append(f"{stem}: ground truth is not a human annotation ({truth.get('gt_type')})")
            continue
        if stem not in by_pdf and not _extracted(dataset_dir, stem):
            continue  # that PDF was not part of this dataset
        set_of[stem] = document_set(stem, truth)
        disagreements.append(_Disagreements(stem))
        documents[stem] = _score_document(truth, by_pdf.get(stem, []), iou_threshold, disagreements[-1])
    sets: dict[str, Scores] = defaultdict(Scores)
    overall = Scores()
    for stem, scores in documents.items():
        sets[set_of[stem]].add(scores)
        overall.add(scores)
    return EvalReport(
        iou_threshold=iou_threshold,
        documents=documents,
        sets=dict(sets),
        overall=overall,
        misses=[line for d in disagreements for line in d.misses],
        skipped=skipped,
        wrong=[line for d in disagreements for line in d.wrong],
        pages_to_check={d.stem: sorted(d.pages) for d in disagreements if d.pages},
    )


def _is_reference_truth(truth: dict) -> bool:
    """Human annotations and exact synthetic truth count; another model's output does not."""
    kind = str(truth.get("gt_type", "human")).lower()
    return not ("model_output" in kind or "not a human" in kind)


def _extracted(dataset_dir: Path, stem: str) -> bool:
    manifest = Dataset.open(dataset_dir).manifest
    return any(Path(item.path).stem == stem for item in manifest.inputs.values())


def _score_document(truth: dict, predictions: list[dict], iou_threshold: float, found: _Disagreements) -> Scores:
    pages = truth.get("pages_annotated") or sorted({f["page"] for f in truth["figures"]})
    expected = [f for f in truth["figures"] if f.get("type", "Figure") == "Figure"]
    predicted = [p for p in predictions if pages == "all" or p["page"] in set(pages)]
    scores = Scores(truth=len(expected), predicted=len(predicted))
    pairs = sorted(
        (
            (Box(*t["figure_bbox"]).iou(Box(*p["bbox"])), ti, pi)
            for ti, t in enumerate(expected)
            for pi, p in enumerate(predicted)
            if p["page"] == t["page"]
        ),
        reverse=True,
    )
    used_t: set[int] = set()
    used_p: set[int] = set()
    for iou, ti, pi in pairs:
        if iou < iou_threshold or ti in used_t or pi in used_p:
            continue
        used_t.add(ti)
        used_p.add(pi)
        scores.matched += 1
        t, p = expected[ti], predicted[pi]
        want = normalise_for_match(t.get("caption_text") or "")
        got = normalise_for_match(p["caption"] or "")
        scores.caption_exact += want == got
        caption_right = bool(want) and got.startswith(want) or want == got
        scores.caption_right += caption_right
        scores.caption_similarity_sum += caption_similarity(want, got)
        name = f"{t.get('type', 'Figure')} {t.get('name')}"
        if want != got:
            what = "caption" if not caption_right else "caption runs on past the truth:"
            text = f"{name} {what} {p['caption']!r}, truth {t.get('caption_text')!r}"
            found.mismatch(t["page"], text, draw=not caption_right)
        if isinstance(t.get("panels"), int):
            panels = max(1, len(p["panels"]))
            if t["panels"] > 1:
                scores.multi_panel += 1
                scores.panel_count_right += panels == t["panels"]
            else:
                scores.single_panel += 1
                scores.single_panel_kept += panels == 1
            if panels != t["panels"]:
                found.mismatch(t["page"], f"{name} {panels} panels, truth {t['panels']}")
        if lettered(t):
            scores.subcaptioned += 1
            wrong_panel = subcaption_error(t, p["panels"])
            scores.subcaption_right += wrong_panel is None
            if wrong_panel is not None:
                found.mismatch(t["page"], f"{name} sub-captions: {wrong_panel}")
    for ti, t in enumerate(expected):
        if ti not in used_t:
            found.miss(t["page"], f"missed {t.get('type', 'Figure')} {t.get('name')}")
    for pi, p in enumerate(predicted):
        if pi not in used_p:
            found.miss(p["page"], f"extra figure at {p['bbox']}")
    return scores


def caption_similarity(want: str, got: str) -> float:
    """Similarity of normalised caption texts; text past the annotated end is not counted against it
    (annotations sometimes stop before the caption does, as caption_right allows)."""
    if not want:
        return 1.0 if not got else 0.0
    return fuzz.ratio(want, got[: len(want)] if len(got) > len(want) else got) / 100


_SUBCAPTION_RATIO = 90  # like captions: normalised texts at least this similar (rapidfuzz ratio, 0-100)


def lettered(truth: dict) -> bool:
    """The truth gives a figure's panel letters and what the caption says about each (`subcaptions`)."""
    return bool(truth.get("panel_labels")) and len(truth.get("subcaptions") or []) == len(truth["panel_labels"])


def subcaption_error(truth: dict, panels: list[dict]) -> str | None:
    """None when each of the truth's lettered panels is found with its letter and its text (normalised, ratio >= 90;
    no text where the truth's is "", any where it is null), and no other found panel has a letter; else what is
    wrong. Found panels are paired with the truth's by their boxes (`panel_bboxes`) where the truth gives them, else
    in reading order (the order of `panel_labels`)."""
    letters, texts = truth["panel_labels"], truth["subcaptions"]
    if len(panels) != len(letters) and len(panels) == truth.get("panels"):
        # the truth's unlettered pictures (held-out 11 fpsyg Figure 4: a table under photographs A and B) count in
        # the panel score alone; here only the lettered panels are paired with its letters
        panels = [panel for panel in panels if panel["letter"]]
    if len(panels) != len(letters):
        return f"{len(panels)} panels for {len(letters)} lettered in the truth"
    boxes = truth.get("panel_bboxes") or []
    found = _paired_by_boxes(boxes, panels) if len(boxes) == len(letters) else _reading_order(panels)
    for panel, want_letter, want_text in zip(found, letters, texts, strict=True):
        letter, text = panel["letter"] or "", panel["subcaption"] or ""
        if letter.lower() != want_letter.lower():
            return f"panel {want_letter!r} found as {letter or None!r} with {text!r}"
        if want_text is None:
            continue  # the truth does not say (a generated figure whose sub-captions the generator does not record)
        want, got = normalise_for_match(want_text), normalise_for_match(text)
        if (want or got) and fuzz.ratio(want, got) < _SUBCAPTION_RATIO:
            return f"panel {want_letter!r} text {text!r}, truth {want_text!r}"
    return None


def _paired_by_boxes(boxes: list[list[float]], panels: list[dict]) -> list[dict]:
    """The found panel for each truth box: best IoU first, one to one."""
    pairs = sorted(
        (
            (Box(*box).iou(Box(*panel["bbox"])), ti, pi)
            for ti, box in enumerate(boxes)
            for pi, panel in enumerate(panels)
        ),
        reverse=True,
    )
    chosen: dict[int, int] = {}
    for _, ti, pi in pairs:
        if ti not in chosen and pi not in chosen.values():
            chosen[ti] = pi
    return [panels[chosen[ti]] for ti in range(len(boxes))]


def _reading_order(panels: list[dict]) -> list[dict]:
    """The truth's reading order (groundtruth/README.md): the panels cut apart at the blank gaps that run across all
    of them, rows before columns, the parts read top to bottom or left to right, recursively; panels that no such gap
    parts (offset, overlapping views) are read in rows, left to right."""
    boxes = [Box(*panel["bbox"]) for panel in panels]
    for axis in (1, 0):
        cuts = _blank_gaps(boxes, axis)
        if cuts:
            parts: list[list[dict]] = [[] for _ in range(len(cuts) + 1)]
            for panel, box in zip(panels, boxes, strict=True):
                parts[sum(box.as_list()[axis + 2] > cut for cut in cuts)].append(panel)
            return [panel for part in parts for panel in _reading_order(part)]
    ordered = reading_order(boxes)  # no blank gap across them all: rows as the panel search reads them
    return [panels[next(i for i, box in enumerate(boxes) if box is chosen)] for chosen in ordered]


# Panels may overlap this much (points) across a cut between them: tiles of one raster cut where the picture jumps
# may stand a few points out of line (a row boundary 2.7 pt lower on the left than on the right).
_CUT_TOLERANCE = 3.0


def _blank_gaps(boxes: list[Box], axis: int) -> list[float]:
    """Where the gaps that no box spans along `axis` begin (0: x, gaps between columns; 1: y, between rows)."""
    spans = sorted((box.as_list()[axis], box.as_list()[axis + 2]) for box in boxes)
    cuts = []
    reach = spans[0][1] if spans else 0.0
    for start, end in spans[1:]:
        if start >= reach - _CUT_TOLERANCE:
            cuts.append(reach)
        reach = max(reach, end)
    return cuts


def report_table(report: EvalReport) -> Table:
    """The scores per document, per set and overall, as a table for the CLI to print."""
    table = Table(title=f"figure extraction vs ground truth (IoU >= {report.iou_threshold})")
    columns = ("document", "truth", "found", "P", "R", "F1", "caption", "cap. sim.", "panels", "single", "sub-cap.")
    table.add_column(columns[0], overflow="fold")  # a narrow terminal wraps the names instead of cutting them
    for column in columns[1:]:
        table.add_column(column, justify="right")

    def row(name: str, s: Scores, style: str | None = None) -> None:
        panels = f"{s.panel_count_right}/{s.multi_panel}" if s.multi_panel else "-"
        single = f"{s.single_panel_kept}/{s.single_panel}" if s.single_panel else "-"
        subcaptions = f"{s.subcaption_right}/{s.subcaptioned}" if s.subcaptioned else "-"
        table.add_row(
            name,
            str(s.truth),
            str(s.predicted),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            f"{s.caption_accuracy:.3f}",
            f"{s.caption_similarity:.3f}",
            panels,
            single,
            subcaptions,
            style=style,
        )

    for name, scores in report.documents.items():
        row(name[:48], scores)
    for name, scores in report.sets.items():
        row(f"set {name}", scores, "bold")
    row("overall", report.overall, "bold")
    return table
