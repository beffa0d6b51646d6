"""Scanned books: accuracy and speed of `extract --ocr auto` on scanned copies of the real case reports.

    python benchmarks/bench_ocr.py [--pdfs ../shared/data/pdfs] [--gt ../shared/data/pdf_groundtruth] [--json out.json]

Every PDF with a meddiag ground truth is scanned (sample/scan.py: 250 dpi, noise, 0.5-1.5 degree skew,
JPEG) and then, on one core (Tesseract limited to one thread, --workers 1):
1. floor: Tesseract alone (pytesseract word boxes) on each page's scan image, as decoded from the PDF;
2. `extract --ocr auto` on the scans;
3. `extract` on the born-digital originals.
Pages/s of each, the ratio of 2 to the floor (the share of the time that is the OCR engine's), and the
figure F1 and caption similarity of 2 and 3 against the same ground truth.

Wall times on a shared machine are noisy; CPU seconds (this process and its children, Tesseract
included) are reported beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ["OMP_THREAD_LIMIT"] = "1"  # one core: Tesseract's own threads off, as extract runs it

from mmskin_build.extract.document import ExtractConfig  # noqa: E402
from mmskin_build.extract.evaluate import evaluate_dataset  # noqa: E402
from mmskin_build.extract.ocr import OcrMode  # noqa: E402
from mmskin_build.extract.stage import run_extract  # noqa: E402
from mmskin_build.sample.scan import scan_pdf  # noqa: E402


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn):
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = fn()
    return result, time.perf_counter() - wall, cpu_seconds() - cpu


def tesseract_floor(pdfs: list[Path]) -> int:
    """The OCR engine alone: each page's scan decoded and read into word boxes."""
    import pytesseract

    pages = 0
    for path in pdfs:
        with pdfium.PdfDocument(path) as document:
            for page in document:
                image = next(obj for obj in page.get_objects() if isinstance(obj, pdfium.PdfImage))
                picture = image.get_bitmap(render=False).to_pil().convert("L")
                pytesseract.image_to_data(picture, lang="eng", config="--psm 3", output_type=pytesseract.Output.DICT)
                pages += 1
    return pages


def extract_run(pdfs: list[Path], out: Path, ocr: OcrMode) -> int:
    summary = run_extract(pdfs, out, ExtractConfig(ocr=ocr), workers=1)
    return summary.pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdfs", type=Path, default=REPO.parent / "shared" / "data" / "pdfs")
    parser.add_argument("--gt", type=Path, default=REPO.parent / "shared" / "data" / "pdf_groundtruth")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    stems = sorted(p.stem for p in args.gt.glob("meddiag_*.json"))
    originals = [args.pdfs / f"{stem}.pdf" for stem in stems if (args.pdfs / f"{stem}.pdf").exists()]
    if not originals:
        sys.exit(f"no meddiag PDFs with ground truth under {args.pdfs} and {args.gt}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        scans = [root / "scans" / path.name for path in originals]
        for source, target in zip(originals, scans, strict=True):
            scan_pdf(source, target)
        results = {}
        pages, wall, cpu = timed(lambda: tesseract_floor(scans))
        results["tesseract_alone"] = {"pages": pages, "wall_s": wall, "cpu_s": cpu}
        pages, wall, cpu = timed(lambda: extract_run(scans, root / "scanned", OcrMode.auto))
        results["extract_ocr"] = {"pages": pages, "wall_s": wall, "cpu_s": cpu}
        pages, wall, cpu = timed(lambda: extract_run(originals, root / "born", OcrMode.auto))
        results["extract_born_digital"] = {"pages": pages, "wall_s": wall, "cpu_s": cpu}
        for name, dataset in (("extract_ocr", root / "scanned"), ("extract_born_digital", root / "born")):
            overall = evaluate_dataset(dataset, args.gt).sets["meddiag"]
            results[name]["f1"] = overall.f1
            results[name]["caption_similarity"] = overall.caption_similarity
    for entry in results.values():
        entry["pages_per_s"] = entry["pages"] / entry["wall_s"]
        entry["pages_per_cpu_s"] = entry["pages"] / entry["cpu_s"]
    floor = results["tesseract_alone"]
    ocr, born = results["extract_ocr"], results["extract_born_digital"]
    results["ratios"] = {
        "extract_ocr_vs_tesseract_wall": ocr["pages_per_s"] / floor["pages_per_s"],
        "extract_ocr_vs_tesseract_cpu": ocr["pages_per_cpu_s"] / floor["pages_per_cpu_s"],
        "f1_scanned_vs_born_digital": ocr["f1"] / born["f1"] if born["f1"] else 0.0,
    }
    print(f"{len(originals)} PDFs, {floor['pages']} pages, one core")
    for name in ("tesseract_alone", "extract_ocr", "extract_born_digital"):
        entry = results[name]
        scores = (
            f"  F1 {entry['f1']:.3f}  caption similarity {entry['caption_similarity']:.3f}" if "f1" in entry else ""
        )
        print(
            f"{name:22s} {entry['pages_per_s']:7.2f} pages/s (wall {entry['wall_s']:6.1f} s)  "
            f"{entry['pages_per_cpu_s']:7.2f} pages/CPU-s{scores}"
        )
    for name, value in results["ratios"].items():
        print(f"{name:34s} {value:.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
