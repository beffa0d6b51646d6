"""report.html of `mmskin-build audit`: one self-contained page (no scripts, no network) for a reviewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mmskin_build.curation.report import _STYLE, _e, _table, histogram_svg
from mmskin_build.vqa.audit import AuditRows
from mmskin_build.vqa.gates import GATES, Flag

EXAMPLES_PER_GATE = 8


def _examples(rows: AuditRows, flags: list[list[Flag]], gate: str) -> str:
    hits = [(i, f.span) for i, row in enumerate(flags) for f in row if f.gate == gate][:EXAMPLES_PER_GATE]
    if not hits:
        return ""
    body = [[i, rows.image[i], rows.question[i], rows.answer[i][:300], span[:120]] for i, span in hits]
    return f"<h3>{_e(gate)}</h3>" + _table(["row", "image", "question", "answer", "matched"], body)


def render_audit_report(source: Path, rows: AuditRows, flags: list[list[Flag]], summary: dict[str, Any]) -> str:
    n = summary["rows"]
    gates = _table(
        ["gate", "rows flagged", "share"], [[g, c, f"{c / n:.1%}"] for g, c in summary["gate_counts"].items()]
    )
    skipped = "".join(f"<p>{_e(g)} not run: {_e(why)}</p>" for g, why in summary["gates_skipped"].items())
    types = _table(
        ["question type", "rows", "share"], [[t, c, f"{c / n:.1%}"] for t, c in summary["question_types"].items()]
    )
    splits = _table(
        ["split", "rows", "failed"],
        [[s, c.get("rows", 0), c.get("failed", 0)] for s, c in summary["per_split"].items()],
    )
    words = summary["answer_words"]
    yes_no = summary["yes_no"]
    facts = _table(
        ["measure", "value"],
        [
            ["closed questions", f"{summary['closed_share']:.1%}"],
            ["yes / no answers to closed questions", f"{yes_no['yes']} / {yes_no['no']}"],
            ["answer words: mean / median / p90", f"{words['mean']} / {words['median']} / {words['p90']}"],
            ["distinct questions", summary["templates"]["distinct_questions"]],
            ["rows asking one of the 10 commonest questions", f"{summary['templates']['top10_share']:.1%}"],
            ["images in two splits", summary["images_in_two_splits"]["count"]],
        ],
    )
    top = _table(["question", "rows"], summary["templates"]["top10"])
    sample = _table(
        ["row", "image", "question", "answer", "reasons"],
        [
            [r["row"], r["image"], r["question"], r["answer"][:300], ";".join(r["reasons"]) or "passed"]
            for r in summary["review_sample"]["rows"]
        ],
    )
    lengths = histogram_svg([float(len(a.split())) for a in rows.answer], "answer length", "words")
    examples = "".join(_examples(rows, flags, gate) for gate in GATES)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>mmskin-build audit: {_e(source.name)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>VQA audit of {_e(source)}</h1><p>{n} question-answer rows; {summary['failed']} failed at least one gate"
        f" ({summary['failed'] / n:.1%}).</p>"
        f"<h2>Gates</h2>{gates}{skipped}<h2>Question mix and answers</h2>{types}{facts}{lengths}"
        f"<h2>Commonest questions</h2>{top}<h2>Splits</h2>{splits}"
        f"<h2>Review sample (seed {summary['review_sample']['seed']})</h2>{sample}"
        f"<h2>Flagged examples</h2>{examples}</body></html>"
    )
