"""Restore the real PDFs the held-out ground truth scores, from git mirrors of their source repositories.

    python tests/extract/groundtruth/restore_pdfs.py --mirrors /work/.mirror --out /work/pdfs

A truth JSON with `pdf_repo` and `pdf_blob` names the repository and the git blob of its PDF (a blob id names
the bytes, so a later commit that rewrites the file cannot change what is scored). The mirror of `owner/name`
is MIRRORS/owner+name/repo, a bare git directory or a clone. Each PDF is written to OUT/<set folder>/<pdf>
and checked against `pdf_sha256` (the blob's); where the truth scores pages cut from a longer book, `pdf_pages`
([first, last], 1-based) names them and they are copied into the file with pypdfium2. One line names each PDF
that could not be restored. Then score a set with
`mmskin-build extract OUT/heldout19 -o ds --dpi 72 && mmskin-build eval-extract ds --gt
tests/extract/groundtruth/heldout19`. Sets made by our own build scripts (no `pdf_blob`) are not restored.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

GROUND_TRUTH = Path(__file__).resolve().parent


def _git_dir(mirrors: Path, repo: str) -> Path:
    clone = mirrors / repo.replace("/", "+") / "repo"
    return clone / ".git" if (clone / ".git").is_dir() else clone


def _restore(truth: dict, mirrors: Path, dest: Path) -> str | None:
    """Write the PDF of one truth file to dest; return why it could not be, or None."""
    git_dir = _git_dir(mirrors, truth["pdf_repo"])
    if not git_dir.is_dir():
        return f"no mirror of {truth['pdf_repo']} at {git_dir}"
    blob = subprocess.run(
        ["git", f"--git-dir={git_dir}", "cat-file", "blob", truth["pdf_blob"]], capture_output=True, check=False
    )
    if blob.returncode != 0:
        return f"blob {truth['pdf_blob']} is not in {git_dir}"
    if hashlib.sha256(blob.stdout).hexdigest() != truth["pdf_sha256"]:
        return "SHA-256 differs from pdf_sha256"
    dest.parent.mkdir(parents=True, exist_ok=True)
    if "pdf_pages" in truth:
        _write_pages(blob.stdout, truth["pdf_pages"], dest)
    else:
        dest.write_bytes(blob.stdout)
    return None


def _write_pages(pdf: bytes, pages: list[int], dest: Path) -> None:
    """Pages first..last (1-based) of the PDF, copied whole (page objects, resources) into dest."""
    import pypdfium2 as pdfium  # only this path needs it; the rest runs on git alone

    first, last = pages
    cut = pdfium.PdfDocument.new()
    cut.import_pages(pdfium.PdfDocument(pdf), list(range(first - 1, last)))
    cut.save(dest)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirrors", type=Path, required=True, help="folder of git mirrors named owner+name/repo")
    parser.add_argument("--out", type=Path, required=True, help="folder to write <set folder>/<pdf> into")
    args = parser.parse_args()
    failed = 0
    for path in sorted(GROUND_TRUTH.glob("*/*.json")):
        truth = json.loads(path.read_text())
        if "pdf_blob" not in truth:
            continue
        dest = args.out / path.parent.name / truth["pdf"]
        problem = _restore(truth, args.mirrors, dest)
        if problem:
            failed += 1
            print(f"{path.relative_to(GROUND_TRUTH)}: {problem}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
