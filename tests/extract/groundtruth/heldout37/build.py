"""Rebuild held-out 37's two PDFs: OpenStax *Anatomy and Physiology 2e* chapter 5 "The Integumentary System"
(CC BY 4.0 at openstax/osbooks-anatomy-physiology @ b0058a7) baked into HTML under two textbook designs and printed
by headless Chromium (README.md, section `heldout37/`).

    python tests/extract/groundtruth/heldout37/build.py --repo /work/.mirror/openstax+osbooks-anatomy-physiology/repo \
        --out /work/pdfs/heldout37

The chapter's modules are read at the pinned commit with `git show` (media too); end-of-section summaries,
questions, references and glossaries are left out, as held-out 14 left them out. Figures are numbered 5.1-5.23 over
the chapter as the book numbers them (the chapter splash is 5.1). Each caption is printed as the book's figure
markup gives it: a title line ("Figure 5.2 Layers of Skin") and the description under it, starting again at the
left edge, the credit in brackets at its end.
"""

from __future__ import annotations

import argparse
import html
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

COMMIT = "b0058a7"
MODULES = ["m46059", "m46060", "m46062", "m46064", "m46066"]
CNXML = "{http://cnx.rice.edu/cnxml}"
LEFT_OUT = {"summary", "multiple-choice", "free-response", "interactive-exercise", "references"}
NOTE_LABELS = {
    "chapter-objectives": "Chapter Objectives",
    "interactive": "Interactive Link",
    "disorders": "Disorders of the ...",
    "everyday": "Everyday Connection",
    "aging": "Aging and the ...",
    "career": "Career Connection",
}

TWO_COLUMN_CSS = """
@page { size: 8.5in 11in; margin: 0.8in 0.7in 0.75in 0.7in;
  @top-left { content: "Chapter 5 | The Integumentary System"; font: italic 8pt 'Liberation Sans'; color: #555; }
  @bottom-center { content: counter(page); font: 9pt 'Liberation Sans'; } }
body { font: 10pt/1.35 'Liberation Serif'; margin: 0; }
.chapter-head { font: bold 22pt 'Liberation Sans'; color: #7a1f2b; border-bottom: 3pt solid #7a1f2b; margin: 0 0 8pt; }
.flow { column-count: 2; column-gap: 0.3in; text-align: justify; hyphens: auto; }
h2 { font: bold 13pt 'Liberation Sans'; color: #7a1f2b; margin: 10pt 0 4pt; break-after: avoid; }
h3, h4 { font: bold 10.5pt 'Liberation Sans'; margin: 8pt 0 3pt; break-after: avoid; }
p { margin: 0 0 5pt; }
figure { margin: 6pt 0 9pt; break-inside: avoid; }
figure img { display: block; width: 100%; max-height: 3.4in; object-fit: contain; object-position: left top; }
figure.wide { column-span: all; }
figure.wide img { width: auto; max-width: 100%; max-height: 3.6in; margin: 0 auto; }
figcaption { font: 8.5pt/1.3 'Liberation Sans'; margin-top: 5pt; text-align: left; hyphens: none; }
figcaption .title { font-weight: bold; }
figcaption .label { color: #7a1f2b; }
.note { background: #f3e9e4; border-top: 2pt solid #7a1f2b; padding: 5pt 7pt; margin: 6pt 0 9pt;
  font: 9pt/1.3 'Liberation Sans'; break-inside: avoid; text-align: left; }
.note .note-label { font: bold 9pt 'Liberation Sans'; text-transform: uppercase; color: #7a1f2b; margin-bottom: 3pt; }
.note .note-title { font-weight: bold; }
ul { margin: 0 0 5pt 14pt; padding: 0; }
"""

MARGIN_CSS = """
@page { size: 8.5in 11in; margin: 0.75in 0.6in 0.75in 0.75in;
  @bottom-left { content: counter(page) "   Chapter 5 The Integumentary System"; font: 8pt 'DejaVu Sans'; } }
body { font: 10.5pt/1.4 'DejaVu Serif'; margin: 0; }
.chapter-head { font: 24pt 'DejaVu Sans'; margin: 0 0 10pt; }
.flow { width: 4.6in; }
h2 { font: bold 14pt 'DejaVu Sans'; color: #1f4e79; margin: 12pt 0 5pt; break-after: avoid; }
h3, h4 { font: bold 11pt 'DejaVu Sans'; color: #1f4e79; margin: 9pt 0 3pt; break-after: avoid; }
p { margin: 0 0 6pt; }
figure { margin: 8pt 0 10pt; display: grid; grid-template-columns: 4.6in 1.85in; column-gap: 0.25in;
  width: 6.7in; break-inside: avoid; }
figure img { display: block; max-width: 4.6in; max-height: 3.3in; }
figcaption { font: 8pt/1.3 'DejaVu Sans'; color: #222; align-self: start; }
figure.wide { display: block; }
figure.wide img { max-width: 6.7in; max-height: 3.6in; }
figure.wide figcaption { width: 4.6in; margin-top: 5pt; }
figcaption .title { font-weight: bold; display: block; }
.note { border: 1pt solid #1f4e79; padding: 5pt 8pt; margin: 8pt 0 10pt; font: 9.5pt/1.35 'DejaVu Sans';
  break-inside: avoid; }
.note .note-label { font: bold 9.5pt 'DejaVu Sans'; color: #1f4e79; margin-bottom: 3pt; }
.note .note-title { font-weight: bold; }
ul { margin: 0 0 6pt 16pt; padding: 0; }
"""

DESIGNS = {"twocol": TWO_COLUMN_CSS, "margin": MARGIN_CSS}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _inline(node: ET.Element) -> str:
    """The node's text with its inline children (terms, emphasis, links, sub/sup) as HTML."""
    out = [html.escape(node.text or "")]
    for child in node:
        name = _local(child.tag)
        inner = _inline(child)
        if name == "emphasis" and child.get("effect") == "italics":
            out.append(f"<em>{inner}</em>")
        elif name in ("term", "emphasis"):
            out.append(f"<b>{inner}</b>")
        elif name == "link" and child.get("target-id"):
            out.append(html.escape(child.get("_figref", "this figure")))
        elif name in ("sub", "sup"):
            out.append(f"<{name}>{inner}</{name}>")
        else:
            out.append(inner)
        out.append(html.escape(child.tail or ""))
    return "".join(out).strip()


class Baker:
    def __init__(self, repo: Path, media: Path) -> None:
        self.repo, self.media = repo, media
        self.numbers: dict[str, str] = {}

    def _git(self, path: str) -> bytes:
        return subprocess.run(
            ["git", f"--git-dir={self.repo}", "show", f"{COMMIT}:{path}"], capture_output=True, check=True
        ).stdout

    def modules(self) -> list[ET.Element]:
        docs = [ET.fromstring(self._git(f"modules/{m}/index.cnxml")) for m in MODULES]
        for doc in docs:
            for figure in doc.iter(f"{CNXML}figure"):
                self.numbers[figure.get("id")] = f"5.{len(self.numbers) + 1}"
        for doc in docs:
            for link in doc.iter(f"{CNXML}link"):
                if link.get("target-id") in self.numbers:
                    link.set("_figref", f"Figure {self.numbers[link.get('target-id')]}")
        return docs

    def figure(self, node: ET.Element) -> str:
        image = node.find(f".//{CNXML}image")
        name = Path(image.get("src")).name
        (self.media / name).write_bytes(self._git(f"media/{name}"))
        title = node.find(f"{CNXML}title")
        caption = node.find(f"{CNXML}caption")
        wide = node.get("class") == "span-all" or self.numbers[node.get("id")] == "5.1"
        head = f'<span class="label">Figure {self.numbers[node.get("id")]}</span>'
        if title is not None:
            head += f" {_inline(title)}"
        return (
            f'<figure class="{"wide" if wide else ""}"><img src="media/{name}"/><figcaption>'
            f'<div class="title">{head}</div><div class="desc">{_inline(caption)}</div></figcaption></figure>'
        )

    def block(self, node: ET.Element, depth: int) -> str:
        name = _local(node.tag)
        if name == "para":
            return f"<p>{_inline(node)}</p>"
        if name == "figure":
            return self.figure(node)
        if name == "list":
            return "<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in node.iter(f"{CNXML}item")) + "</ul>"
        if name == "note":
            kinds = (node.get("class") or "").split()
            label = next((NOTE_LABELS[k] for k in reversed(kinds) if k in NOTE_LABELS), "")
            title = node.find(f"{CNXML}title")
            body = "".join(self.block(child, depth) for child in node if _local(child.tag) not in ("title", "label"))
            head = f'<div class="note-title">{_inline(title)}</div>' if title is not None else ""
            return f'<div class="note"><div class="note-label">{label}</div>{head}{body}</div>'
        if name == "section":
            if node.get("class") in LEFT_OUT:
                return ""
            title = node.find(f"{CNXML}title")
            head = f"<h{depth}>{_inline(title)}</h{depth}>" if title is not None else ""
            return head + "".join(self.block(child, depth + 1) for child in node if _local(child.tag) != "title")
        return ""

    def chapter(self, css: str) -> str:
        parts = []
        for doc in self.modules():
            title = doc.find(f"{CNXML}title").text.strip()
            content = doc.find(f"{CNXML}content")
            head = "" if title == "Introduction" else f"<h2>5.{len(parts)} {html.escape(title)}</h2>"
            parts.append(head + "".join(self.block(child, 3) for child in content))
        return (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'/><style>{css}</style></head><body>"
            '<div class="chapter-head">5 | The Integumentary System</div>'
            f'<div class="flow">{"".join(parts)}</div></body></html>'
        )


def build(repo: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for design, css in DESIGNS.items():
            work = Path(tmp) / design
            (work / "media").mkdir(parents=True)
            (work / "chapter.html").write_text(Baker(repo, work / "media").chapter(css))
            pdf = out / f"heldout37_chromium_{design}_openstax_skin.pdf"
            subprocess.run(
                [
                    "chromium",
                    "--headless",
                    "--no-sandbox",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}",
                    str(work / "chapter.html"),
                ],
                check=True,
                capture_output=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, required=True, help="git directory of openstax/osbooks-anatomy-physiology")
    parser.add_argument("--out", type=Path, required=True, help="folder for the two PDFs")
    args = parser.parse_args()
    build(args.repo, args.out)


if __name__ == "__main__":
    main()
