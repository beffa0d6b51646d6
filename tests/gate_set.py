"""The labelled gate set (tests/data/vqa_gate_set/gate_set.jsonl) and each gate's precision and recall on it.

Run as a script to print the table that docs/NOTES.md quotes:
`PYTHONPATH=. python tests/gate_set.py`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from mmskin_build.vqa.gates import GATES, duplicate_flags, row_flags

GATE_SET = Path(__file__).resolve().parent / "data" / "vqa_gate_set" / "gate_set.jsonl"


def load_gate_set() -> list[dict]:
    return [json.loads(line) for line in GATE_SET.read_text().splitlines()]


def flag_rows(rows: list[dict]) -> list[dict[str, str]]:
    """{gate: span} for every row, duplicates found per figure in row order."""
    out: list[dict[str, str]] = []
    for row in rows:
        support = None if row["caption"] is None else "\n".join([row["caption"], *row["mentions"]])
        out.append({flag.gate: flag.span for flag in row_flags(row["question"], row["answer"], support)})
    by_figure: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_figure[row["figure"]].append(index)
    for indices in by_figure.values():
        for index, flag in zip(indices, duplicate_flags(rows[i]["question"] for i in indices), strict=True):
            if flag is not None:
                out[index][flag.gate] = flag.span
    return out


@dataclass(frozen=True)
class GateScore:
    gate: str
    flagged: int
    flagged_faulty: int  # flagged rows labelled faulty (any fault): the precision
    flagged_same: int  # flagged rows labelled with this gate's own fault
    labelled: int  # rows labelled with this gate's fault
    caught: int  # of those, flagged by this gate

    @property
    def precision(self) -> float:
        return self.flagged_faulty / self.flagged if self.flagged else 1.0

    @property
    def strict_precision(self) -> float:
        return self.flagged_same / self.flagged if self.flagged else 1.0

    @property
    def recall(self) -> float:
        return self.caught / self.labelled if self.labelled else 1.0


def gate_scores(rows: list[dict], flags: list[dict[str, str]]) -> list[GateScore]:
    scores = []
    for gate in (*GATES, "any"):
        hit = [bool(f) if gate == "any" else gate in f for f in flags]
        own = [bool(r["faults"]) if gate == "any" else gate in r["faults"] for r in rows]
        scores.append(
            GateScore(
                gate,
                flagged=sum(hit),
                flagged_faulty=sum(h and bool(r["faults"]) for h, r in zip(hit, rows, strict=True)),
                flagged_same=sum(h and o for h, o in zip(hit, own, strict=True)),
                labelled=sum(own),
                caught=sum(h and o for h, o in zip(hit, own, strict=True)),
            )
        )
    return scores


def print_table(title: str, rows: list[dict], flags: list[dict[str, str]]) -> None:
    print(f"\n{title}: {len(rows)} rows, {sum(bool(r['faults']) for r in rows)} labelled faulty")
    print("| gate | flagged | precision (faulty) | precision (this fault) | labelled | recall |")
    print("|---|---:|---:|---:|---:|---:|")
    for s in gate_scores(rows, flags):
        print(
            f"| {s.gate} | {s.flagged} | {s.precision:.2f} | {s.strict_precision:.2f} | {s.labelled} | {s.recall:.2f} |"
        )


def main() -> None:
    rows = load_gate_set()
    flags = flag_rows(rows)
    print_table("all rows", rows, flags)
    llava = [i for i, r in enumerate(rows) if r["source"].startswith("LLaVA-Med")]
    print_table("LLaVA-Med rows only", [rows[i] for i in llava], [flags[i] for i in llava])


if __name__ == "__main__":
    main()
