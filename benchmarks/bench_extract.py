"""Extraction speed and memory, as ratios against parse floors measured in the same run.

    python benchmarks/bench_extract.py [--pdfs ../shared/data/pdfs] [--long-pages 100 1000] [--json out.json]

1. Floors on the shared PDFs, one core: pypdfium2 reading every page's text and page objects (with
   their boxes), and pdfplumber reading chars, images and graphics.
2. `extract` end to end on the same PDFs with --workers 1 and 2 (pages/s, wall and CPU time).
3. A generated long book of 100 and 1,000 pages, each extracted in a fresh process: time and peak RSS.

Wall times on a shared machine are noisy; CPU seconds of the measuring process are reported beside them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mmskin_build.extract.document import ExtractConfig  # noqa: E402
from mmskin_build.extract.stage import run_extract  # noqa: E402
from mmskin_build.sample.textbook import build_long_book  # noqa: E402


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def pypdfium2_floor(pdfs: list[Path]) -> int:
    pages = 0
    for path in pdfs:
        with pdfium.PdfDocument(path) as document:
            for page in document:
                textpage = page.get_textpage()
                textpage.get_text_range()
                for obj in page.get_objects():
                    obj.get_bounds()
                pages += 1
    return pages


def pdfplumber_floor(pdfs: list[Path]) -> int:
    pages = 0
    for path in pdfs:
        with pdfplumber.open(path) as document:
            for page in document.pages:
                _ = page.chars, page.images, page.rects, page.curves, page.lines
                pages += 1
                page.flush_cache()
    return pages


def extract_run(pdfs: list[Path], workers: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        summary = run_extract(pdfs, Path(tmp) / "ds", ExtractConfig(), workers=workers)
        return summary.pages


def long_book(pages: int, workdir: Path) -> dict:
    pdf = workdir / f"long-{pages}.pdf"
    build_long_book(pdf, pages=pages)
    code = (
        "import sys, time, resource; from pathlib import Path;"
        "from mmskin_build.extract.document import ExtractConfig;"
        "from mmskin_build.extract.stage import run_extract;"
        "t = time.perf_counter();"
        f"s = run_extract([Path({str(pdf)!r})], Path({str(workdir / f'ds-{pages}')!r}), ExtractConfig());"
        "print(s.pages, s.figures, time.perf_counter() - t, time.process_time(),"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=REPO).stdout
    done, figures, wall, cpu, rss_kb = out.split()
    return {
        "pages": int(done),
        "figures": int(figures),
        "wall_s": float(wall),
        "cpu_s": float(cpu),
        "peak_rss_mb": int(rss_kb) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdfs", type=Path, default=REPO.parent / "shared" / "data" / "pdfs")
    parser.add_argument("--long-pages", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    pdfs = sorted(args.pdfs.glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs under {args.pdfs}")
    report: dict = {}
    for name, fn in (
        ("pypdfium2_floor", lambda: pypdfium2_floor(pdfs)),
        ("pdfplumber_floor", lambda: pdfplumber_floor(pdfs)),
        ("extract_workers_1", lambda: extract_run(pdfs, 1)),
        ("extract_workers_2", lambda: extract_run(pdfs, 2)),
    ):
        pages, wall, cpu = timed(fn)
        report[name] = {
            "pages": pages,
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "pages_per_s": round(pages / wall, 1),
        }
        print(
            f"{name:20s} {pages} pages  {wall:7.2f} s wall  {cpu:7.2f} s cpu  {pages / wall:7.1f} pages/s", flush=True
        )
    ours = report["extract_workers_1"]
    report["ratios"] = {
        "extract_vs_pypdfium2_floor_time": round(ours["wall_s"] / report["pypdfium2_floor"]["wall_s"], 2),
        "extract_vs_pdfplumber_floor_time": round(ours["wall_s"] / report["pdfplumber_floor"]["wall_s"], 2),
        "speedup_workers_2": round(ours["wall_s"] / report["extract_workers_2"]["wall_s"], 2),
    }
    print(json.dumps(report["ratios"]))
    with tempfile.TemporaryDirectory() as tmp:
        for pages in args.long_pages:
            result = long_book(pages, Path(tmp))
            report[f"long_book_{pages}"] = result
            print(
                f"long book {pages:5d} pages: {result['wall_s']:.1f} s wall, {result['cpu_s']:.1f} s cpu, "
                f"{result['figures']} figures, peak RSS {result['peak_rss_mb']:.0f} MB",
                flush=True,
            )
    if len(args.long_pages) == 2:
        small, large = (report[f"long_book_{p}"] for p in args.long_pages)
        report["ratios"]["long_book_time_ratio"] = round(large["wall_s"] / small["wall_s"], 2)
        report["ratios"]["long_book_page_ratio"] = args.long_pages[1] / args.long_pages[0]
        print(json.dumps(report["ratios"]))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
