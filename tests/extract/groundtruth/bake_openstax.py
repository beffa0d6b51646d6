"""Bake chapters of OpenStax *Anatomy and Physiology 2e* (CC BY 4.0 at openstax/osbooks-anatomy-physiology @
b0058a7) into HTML under textbook designs and print them: with headless Chromium, the PDFs of held-out sets 37 and 41;
as reflowed e-books by calibre's `ebook-convert` and by wkhtmltopdf (Debian 12 packages, their defaults), those of
held-out 42 (README.md, sections `heldout37/`, `heldout41/`, `heldout42/`).

    python tests/extract/groundtruth/bake_openstax.py heldout37 \
        --repo /work/.mirror/openstax+osbooks-anatomy-physiology/repo --out /work/pdfs/heldout37

The chapter's modules are read at the pinned commit with `git show` (media too); end-of-section summaries,
questions, references and glossaries are left out, as held-out 14 left them out. Figures are numbered over the
chapter as the book numbers them (the chapter splash is N.1). A design prints each caption in one of two styles:
a title line ("Figure 5.2 Layers of Skin") with the description under it, starting again at the left edge, or a
run-in caption ("Fig. 10.3 Title. Description"); the credit in brackets stays at its end.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

CNXML = "{http://cnx.rice.edu/cnxml}"


@dataclass(frozen=True)
class Book:
    """An OpenStax book's repository at a commit where it is licensed CC BY 4.0, and its collection file there."""

    repository: str
    commit: str
    collection: str


BOOKS = {
    "anatomy": Book("openstax/osbooks-anatomy-physiology", "b0058a7", "anatomy-and-physiology-2e.collection.xml"),
    # CC BY 4.0 up to this commit; the commit after it changed the licence to CC BY-NC-SA 4.0.
    "microbiology": Book("openstax/osbooks-microbiology", "ecf34da", "microbiology.collection.xml"),
    # CC BY 4.0 up to this commit, as the collection's md:license says; the next changed it to CC BY-NC-SA 4.0.
    "psychology": Book("openstax/osbooks-psychology", "e061043", "psychology-2e.collection.xml"),
}
ANATOMY = BOOKS["anatomy"]
LEFT_OUT = {"summary", "multiple-choice", "free-response", "interactive-exercise", "references"}
NOTE_LABELS = {
    "chapter-objectives": "Chapter Objectives",
    "interactive": "Interactive Link",
    "disorders": "Disorders of the ...",
    "everyday": "Everyday Connection",
    "aging": "Aging and the ...",
    "career": "Career Connection",
}
# Handbook design: two figures of one module set side by side when neither is much wider than tall; a figure
# much taller than wide floats at the right of the text.
PAIR_MAX_ASPECT = 1.7
FLOAT_MIN_TALLNESS = 1.25

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

HANDBOOK_CSS = """
@page { size: 6.14in 9.21in; margin: 0.7in 0.75in 0.7in 0.6in;
  @top-center { content: "10 | Muscle Tissue"; font: italic 7.5pt 'DejaVu Sans'; color: #444; }
  @bottom-right { content: counter(page); font: 8pt 'DejaVu Sans'; }
  @right-middle { content: "10"; width: 0.3in; height: 0.85in; margin-left: 0.45in; background: #1d6b57;
    color: #fff; font: bold 9pt 'DejaVu Sans'; text-align: center; vertical-align: middle; } }
body { font: 9.5pt/1.32 'DejaVu Serif'; margin: 0; text-align: justify; hyphens: auto; }
.chapter-head { font: bold 20pt 'DejaVu Sans'; color: #1d6b57; border-bottom: 1pt solid #1d6b57;
  padding-bottom: 4pt; margin: 0 0 10pt; }
h2 { font: bold 12pt 'DejaVu Sans'; color: #1d6b57; margin: 10pt 0 4pt; break-after: avoid; }
h3, h4 { font: bold italic 10pt 'DejaVu Serif'; margin: 8pt 0 3pt; break-after: avoid; }
p { margin: 0; text-indent: 1.2em; }
h2 + p, h3 + p, h4 + p { text-indent: 0; }
figure { margin: 8pt 0 10pt; break-inside: avoid; }
figure img { display: block; max-width: 100%; max-height: 3in; margin: 0 auto; }
figure.float { float: right; width: 2.2in; margin: 2pt 0 6pt 12pt; }
figure.float img { width: 100%; max-height: none; }
.row { display: flex; gap: 0.25in; align-items: flex-start; margin: 8pt 0 10pt; break-inside: avoid; }
.row figure { flex: 1; margin: 0; }
.row figure img { max-height: 2.4in; }
figcaption { font: 7.5pt/1.3 'Liberation Sans'; margin-top: 4pt; text-align: left; text-indent: 0; hyphens: none; }
figcaption .label { font-weight: bold; color: #1d6b57; }
figcaption .title { font-weight: bold; }
.note { border-left: 3pt solid #1d6b57; padding: 3pt 0 3pt 8pt; margin: 8pt 0; font: 8.5pt/1.3 'DejaVu Sans';
  text-align: left; break-inside: avoid; }
.note p { text-indent: 0; margin: 0 0 3pt; }
.note .note-label { font: bold 8.5pt 'DejaVu Sans'; text-transform: uppercase; color: #1d6b57; }
.note .note-title { font-weight: bold; }
ul { margin: 2pt 0 4pt 14pt; padding: 0; }
"""

# An e-book's own stylesheet, as EPUB readers get it: no page rules (the converter sets the page), pictures no wider
# than the text, the caption's title line and description under the picture.
EBOOK_CSS = """
body { font-family: serif; line-height: 1.3; }
.chapter-head { font-size: 1.8em; font-weight: bold; margin: 0 0 1em; }
h2 { font-size: 1.4em; margin: 1.2em 0 0.4em; }
h3, h4 { font-size: 1.1em; margin: 1em 0 0.3em; }
p { margin: 0 0 0.6em; }
figure { margin: 1em 0; }
figure img { display: block; max-width: 100%; margin: 0 auto; }
figcaption { font-size: 0.85em; margin-top: 0.4em; }
figcaption .label { font-weight: bold; }
.note { border: 1px solid #888; padding: 0.4em 0.8em; margin: 1em 0; }
.note-label { font-weight: bold; text-transform: uppercase; }
.note-title { font-weight: bold; }
"""


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    modules: tuple[str, ...]
    slug: str


@dataclass(frozen=True)
class Design:
    css: str
    caption: str  # "title-line", "run-in" ("Fig. N Title. Description") or "paragraph" (the same with "Figure N")
    arranges: bool = False  # pairs and floats figures by their pictures' shapes (the handbook design)
    engine: str = "chromium"  # which program prints the HTML: a key of PRINTERS


CHAPTER_5 = Chapter(5, "The Integumentary System", ("m46059", "m46060", "m46062", "m46064", "m46066"), "skin")
CHAPTER_12 = Chapter(
    12,
    "The Nervous System and Nervous Tissue",
    ("m46504", "m46500", "m46509", "m46531", "m46526", "m46503"),
    "nervous",
)
CHAPTER_18 = Chapter(
    18,
    "The Cardiovascular System: Blood",
    ("m46703", "m46710", "m46691", "m46707", "m46701", "m46705", "m46708"),
    "blood",
)
CHAPTER_10 = Chapter(
    10,
    "Muscle Tissue",
    ("m46450", "m46473", "m46476", "m46447", "m46470", "m46480", "m46438", "m46404", "m46478", "m46407"),
    "muscle",
)
SETS = {
    "heldout37": (
        CHAPTER_5,
        {"twocol": Design(TWO_COLUMN_CSS, "title-line"), "margin": Design(MARGIN_CSS, "title-line")},
    ),
    "heldout41": (CHAPTER_10, {"handbook": Design(HANDBOOK_CSS, "run-in", arranges=True)}),
    "heldout42": (
        CHAPTER_18,
        {
            "ebook": Design(EBOOK_CSS, "title-line", engine="calibre"),
            "ebook_a4": Design(EBOOK_CSS, "title-line", engine="wkhtmltopdf"),
        },
    ),
    "heldout43": (CHAPTER_12, {"document": Design(EBOOK_CSS, "paragraph", engine="libreoffice")}),
}


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


class MirrorLacks(Exception):
    """The git mirror has no file the chapter needs at the pinned commit."""


class Baker:
    def __init__(self, repo: Path, media: Path, chapter: Chapter, design: Design, commit: str = ANATOMY.commit) -> None:
        self.repo, self.media, self.chapter, self.design, self.commit = repo, media, chapter, design, commit
        # Keyed by the figure element: one chapter's modules may repeat a figure id (Psychology 2e, chapter 16).
        self.numbers: dict[ET.Element, str] = {}
        self.placed: dict[ET.Element, str] = {}  # how the handbook design sets a figure ("float", "pair", "")
        self.partner: dict[ET.Element, ET.Element] = {}  # first figure of a pair -> the second

    def _git(self, path: str) -> bytes:
        done = subprocess.run(["git", f"--git-dir={self.repo}", "show", f"{self.commit}:{path}"], capture_output=True)
        if done.returncode:  # a mirror may list a large file without holding its blob
            raise MirrorLacks(f"{self.repo}: no {path} at {self.commit} ({done.stderr.decode().strip()})")
        return done.stdout

    def modules(self) -> list[ET.Element]:
        docs = [ET.fromstring(self._git(f"modules/{m}/index.cnxml")) for m in self.chapter.modules]
        chapter_wide: dict[str, str] = {}  # a link to another module's figure names its first of that id
        for doc in docs:
            for figure in doc.iter(f"{CNXML}figure"):
                self.numbers[figure] = f"{self.chapter.number}.{len(self.numbers) + 1}"
                chapter_wide.setdefault(figure.get("id"), self.numbers[figure])
        for doc in docs:
            own = {figure.get("id"): self.numbers[figure] for figure in doc.iter(f"{CNXML}figure")}
            for link in doc.iter(f"{CNXML}link"):
                if number := own.get(link.get("target-id"), chapter_wide.get(link.get("target-id"))):
                    link.set("_figref", f"Figure {number}")
            if self.design.arranges:
                self._arrange(list(doc.iter(f"{CNXML}figure")))
        return docs

    def _arrange(self, figures: list[ET.Element]) -> None:
        """Pair each figure with the next one of its module where neither is much wider than tall; float a tall
        figure that is not paired."""
        shapes = [Image.open(io.BytesIO(self._git(f"media/{self._src(f)}"))).size for f in figures]
        i = 0
        while i < len(figures):
            figure = figures[i]
            width, height = shapes[i]
            if figure.get("class") == "splash":
                self.placed[figure] = ""
            elif i + 1 < len(figures) and max(width / height, shapes[i + 1][0] / shapes[i + 1][1]) <= PAIR_MAX_ASPECT:
                self.partner[figure] = figures[i + 1]
                self.placed[figure] = self.placed[figures[i + 1]] = "pair"
                i += 1
            else:
                self.placed[figure] = "float" if height / width >= FLOAT_MIN_TALLNESS else ""
            i += 1

    @staticmethod
    def _src(node: ET.Element) -> str:
        return Path(node.find(f".//{CNXML}image").get("src")).name

    def figure(self, node: ET.Element) -> str:
        if node in self.partner:
            return f'<div class="row">{self._figure(node, "")}{self._figure(self.partner[node], "")}</div>'
        if self.placed.get(node) == "pair":  # the second of a pair, set beside the first
            return ""
        return self._figure(node, self.placed.get(node, ""))

    def _figure(self, node: ET.Element, placement: str) -> str:
        name = self._src(node)
        (self.media / name).write_bytes(self._git(f"media/{name}"))
        title = node.find(f"{CNXML}title")
        found = node.find(f"{CNXML}caption")
        caption = "" if found is None else _inline(found)  # a figure may print its title alone
        number = self.numbers[node]
        if self.design.caption in ("run-in", "paragraph"):
            head = f'<span class="label">{"Fig." if self.design.caption == "run-in" else "Figure"} {number}</span>'
            if title is not None:
                text = _inline(title)
                head += f' <span class="title">{text}{"" if text.endswith((".", "?", "!")) else "."}</span>'
            return (
                f'<figure class="{placement}"><img src="media/{name}"/>'
                f"<figcaption>{head} {caption}</figcaption></figure>"
            )
        wide = node.get("class") == "span-all" or number == f"{self.chapter.number}.1"
        head = f'<span class="label">Figure {number}</span>'
        if title is not None:
            head += f" {_inline(title)}"
        return (
            f'<figure class="{"wide" if wide else ""}"><img src="media/{name}"/><figcaption>'
            f'<div class="title">{head}</div><div class="desc">{caption}</div></figcaption></figure>'
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

    def html(self, css: str) -> str:
        parts = []
        for doc in self.modules():
            title = doc.find(f"{CNXML}title").text.strip()
            content = doc.find(f"{CNXML}content")
            number = f"{self.chapter.number}.{len(parts)}"
            head = "" if title == "Introduction" else f"<h2>{number} {html.escape(title)}</h2>"
            parts.append(head + "".join(self.block(child, 3) for child in content))
        return (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'/><style>{css}</style></head><body>"
            f'<div class="chapter-head">{self.chapter.number} | {self.chapter.title}</div>'
            f'<div class="flow">{"".join(parts)}</div></body></html>'
        )


# The printers' environment: calibre's Qt WebEngine, like Chromium, refuses to run as root without --no-sandbox, and
# has no screen here.
PRINT_ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen", QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox")

# How each engine prints a baked page: the commands to run in turn.
PRINTERS = {
    "chromium": lambda page, pdf: [
        ["chromium", "--headless", "--no-sandbox", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", str(page)]
    ],
    "calibre": lambda page, pdf: [["ebook-convert", str(page), str(pdf)]],
    "wkhtmltopdf": lambda page, pdf: [["wkhtmltopdf", "--quiet", "--enable-local-file-access", str(page), str(pdf)]],
    # A word processor's document exported to PDF: pandoc writes the page as a Word file (pictures inline, each
    # caption a paragraph in Word's caption style), LibreOffice Writer lays it out and exports it.
    "libreoffice": lambda page, pdf: [
        ["pandoc", str(page), "--resource-path", str(page.parent), "-o", str(page.with_name(f"{pdf.stem}.docx"))],
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdf.parent),
            str(page.with_name(f"{pdf.stem}.docx")),
        ],
    ],
}


def build(name: str, repo: Path, out: Path) -> None:
    chapter, designs = SETS[name]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for design_name, design in designs.items():
            work = Path(tmp) / design_name
            (work / "media").mkdir(parents=True)
            (work / "chapter.html").write_text(Baker(repo, work / "media", chapter, design).html(design.css))
            pdf = out / f"{name}_{design.engine}_{design_name}_openstax_{chapter.slug}.pdf"
            for command in PRINTERS[design.engine](work / "chapter.html", pdf):
                subprocess.run(command, check=True, capture_output=True, env=PRINT_ENV)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", choices=sorted(SETS), help="which held-out set's PDFs to build")
    parser.add_argument("--repo", type=Path, required=True, help="git directory of openstax/osbooks-anatomy-physiology")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PDFs")
    args = parser.parse_args()
    try:
        build(args.set, args.repo, args.out)
    except MirrorLacks as exc:
        raise SystemExit(f"bake_openstax: {exc}") from None


if __name__ == "__main__":
    main()
