"""`mmskin-build report`: one self-contained HTML page about a curated dataset.

Everything is inline (styles, SVG histograms, thumbnails as data: URIs), so the file can be mailed or
opened from disk with no network. A short script only checks, for the reader and for tests, that every
embedded image decoded.
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from mmskin_build.imaging import ImageDecodeError, decoding, open_image
from mmskin_build.store import Dataset
from mmskin_build.store.dataset import atomic_write_bytes

THUMB_SIDE = 160

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}
figure{margin:0;border:1px solid #e4e4e4;border-radius:4px;padding:6px;background:#fafafa}
figure img{display:block;max-width:100%;height:auto;margin:0 auto}
figcaption{font-size:12px;color:#444;margin-top:4px;overflow-wrap:anywhere}
code.id{display:block;font-size:11px;color:#1565c0}
.meta{color:#777;font-size:11px}.hist{display:inline-block;margin-right:24px;vertical-align:top}
"""

_CHECK_IMAGES = """
window.addEventListener('load', function () {
  var images = Array.prototype.slice.call(document.images);
  var ok = images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
  document.body.setAttribute('data-images-decoded', ok + '/' + images.length);
});
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def thumbnail_jpeg(data: bytes, side: int = THUMB_SIDE) -> bytes | None:
    """A JPEG of the image shrunk to fit `side` x `side` (None when the bytes do not decode)."""
    try:
        with decoding(), open_image(data) as image:
            image.draft("RGB", (side, side))  # JPEGs decode at a reduced scale: much faster for big photos
            image = image.convert("RGB")
            image.thumbnail((side, side))
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=80)
    except ImageDecodeError:
        return None
    return buffer.getvalue()


def thumbnail_uri(data: bytes) -> str | None:
    """A small JPEG of the image as a data: URI (None when the bytes do not decode)."""
    jpeg = thumbnail_jpeg(data)
    return None if jpeg is None else "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()


def _table(headers: list[str], rows: Iterable[list[object]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _crosstab(rows: list[dict], key: str, columns: list[str]) -> str:
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        counts[str(row[key])][row["split"]] += 1
    body = [[k] + [counts[k][c] for c in columns] + [sum(counts[k].values())] for k in sorted(counts)]
    body.append(["all"] + [sum(counts[k][c] for k in counts) for c in columns] + [len(rows)])
    return _table([key] + columns + ["total"], body)


def histogram_svg(values: list[float], title: str, unit: str, bins: int = 20) -> str:
    """An inline SVG bar chart of `values` in `bins` equal-width bins."""
    width, height, pad = 420, 180, 30
    if not values:
        return f'<div class="hist"><b>{_e(title)}</b><p>no data</p></div>'
    low, high = min(values), max(values)
    step = (high - low) / bins or 1
    counts = [0] * bins
    for v in values:
        counts[min(int((v - low) / step), bins - 1)] += 1
    top = max(counts)
    bar = (width - 2 * pad) / bins
    bars = "".join(
        f'<rect x="{pad + i * bar:.1f}" y="{height - pad - (c / top) * (height - 2 * pad):.1f}" width="{bar - 1:.1f}" '
        f'height="{(c / top) * (height - 2 * pad):.1f}" fill="#4a78b5"><title>{low + i * step:.0f}-{low + (i + 1) * step:.0f} '
        f"{_e(unit)}: {c}</title></rect>"
        for i, c in enumerate(counts)
    )
    axis = (
        f'<text x="{pad}" y="{height - 8}" font-size="11">{low:.0f}</text>'
        f'<text x="{width - pad}" y="{height - 8}" font-size="11" text-anchor="end">{high:.0f} {_e(unit)}</text>'
        f'<text x="4" y="{pad - 8}" font-size="11">max {top}</text>'
    )
    return (
        f'<div class="hist"><b>{_e(title)}</b><br><svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" role="img" aria-label="{_e(title)}">{bars}{axis}</svg></div>'
    )


def _card(uri: str | None, caption: str, meta: str, item_id: str) -> str:
    """A thumbnail with its id (what `review` and the tables call it), a caption and a line of facts."""
    image = f'<img src="{uri}" alt="{_e(item_id)}">' if uri else "<p>(image does not decode)</p>"
    short = caption if len(caption) <= 220 else caption[:217] + "..."
    return (
        f'<figure data-id="{_e(item_id)}">{image}<figcaption><code class="id">{_e(item_id)}</code> {_e(short)}'
        f'<div class="meta">{_e(meta)}</div></figcaption></figure>'
    )


def _images_by_id(dataset: Dataset, table: str, wanted: set[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    if not wanted:
        return found
    for batch in dataset.iter_batches(table, batch_size=64, columns=["image_id", "image"]):
        for image_id, image in zip(
            batch.column("image_id").to_pylist(), batch.column("image").to_pylist(), strict=True
        ):
            if image_id in wanted:
                found[image_id] = thumbnail_uri(image["bytes"])
    return found


def render_report(dataset: Dataset, thumbnails: int = 12) -> str:
    columns = [
        "image_id",
        "book_id",
        "source_pdf",
        "modality",
        "split",
        "caption",
        "width",
        "height",
        "figure_label",
        "age_text",
        "sex",
        "body_sites",
        "fitzpatrick",
        "dup_count",
    ]
    pairs = dataset.read_table("pairs", columns=columns).to_pylist()
    dropped = dataset.read_table("dropped").to_pylist()
    qa = dataset.read_table("demographics", columns=["field"]).to_pylist()
    images_total = dataset.rows("images")
    splits = ["train", "val", "test"]
    for row in pairs:
        row["modality"] = row["modality"] or "unknown"
        row["book"] = row["source_pdf"]

    parts = [f"<h1>mmskin-build dataset report</h1><p>{_e(dataset.root.resolve())}</p>"]
    parts.append(
        _table(["images", "pairs", "dropped", "demographics QA"], [[images_total, len(pairs), len(dropped), len(qa)]])
    )
    curate_runs = [r for r in dataset.manifest.runs if r.stage == "curate"]
    if curate_runs:
        run = curate_runs[-1]
        parts.append(
            f'<p class="meta">curate run {_e(run.started_at)}, tool {_e(run.tool_version)}, '
            f"seed {_e(run.config.get('splits', {}).get('seed'))}</p>"
        )
    else:
        parts.append("<p><b>No curate run yet</b>: run <code>mmskin-build curate DATASET</code>.</p>")

    parts.append("<h2>Pairs per book</h2>" + _crosstab(pairs, "book", splits))
    parts.append("<h2>Pairs per modality</h2>" + _crosstab(pairs, "modality", splits))
    fields = Counter(r["field"] for r in qa)
    parts.append(
        "<h2>Demographics found</h2>"
        + _table(["field", "QA rows"], [[f, fields[f]] for f in ("age", "sex", "body_site", "fitzpatrick")])
    )
    parts.append("<h2>Distributions</h2>")
    parts.append(histogram_svg([len(r["caption"].split()) for r in pairs], "Caption length", "words"))
    parts.append(histogram_svg([min(r["width"], r["height"]) for r in pairs], "Image size (shortest side)", "px"))

    shown: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(pairs, key=lambda r: r["image_id"]):
        if len(shown[row["modality"]]) < thumbnails:
            shown[row["modality"]].append(row)
    uris = _images_by_id(dataset, "pairs", {r["image_id"] for rows in shown.values() for r in rows})
    parts.append("<h2>Examples per modality</h2>")
    for modality in sorted(shown):
        cards = "".join(
            _card(
                uris.get(r["image_id"]),
                r["caption"],
                f"{r['split']} | {r['book']} | Fig. {r['figure_label'] or '?'} | {r['width']}x{r['height']}",
                r["image_id"],
            )
            for r in shown[modality]
        )
        parts.append(f'<h3>{_e(modality)}</h3><div class="grid">{cards}</div>')

    reasons = Counter(r["reason"] for r in dropped)
    parts.append("<h2>Drop reasons</h2>" + _table(["reason", "images"], reasons.most_common()))
    examples: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(dropped, key=lambda r: r["image_id"]):
        if len(examples[row["reason"]]) < thumbnails:
            examples[row["reason"]].append(row)
    uris = _images_by_id(dataset, "images", {r["image_id"] for rows in examples.values() for r in rows})
    for reason, _count in reasons.most_common():
        cards = "".join(
            _card(uris.get(r["image_id"]), r["caption"] or "(no caption)", r["detail"], r["image_id"])
            for r in examples[reason]
        )
        parts.append(f'<h3>{_e(reason)}</h3><div class="grid">{cards}</div>')

    parts += _review_sections(dataset, pairs, dropped, thumbnails)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>mmskin-build report: {_e(dataset.root.name)}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(parts)}<script>{_CHECK_IMAGES}</script></body></html>"
    )


def _errors_section(dataset: Dataset, shown: int) -> str:
    errors = dataset.read_table("errors").to_pylist()
    if not errors:
        return "<h2>Errors</h2><p>No stage recorded an error.</p>"
    reasons = Counter((r["stage"], r["reason"]) for r in errors)
    rows = [
        [r["stage"], r["source"], r["page"] or "", r["item_id"] or "", r["reason"], r["detail"]] for r in errors[:shown]
    ]
    more = f"<p class='meta'>{len(errors) - shown} more in DATASET/errors.</p>" if len(errors) > shown else ""
    return (
        "<h2>Errors</h2>"
        + _table(["stage", "reason", "rows"], [[s, r, n] for (s, r), n in reasons.most_common()])
        + _table(["stage", "source", "page", "id", "reason", "detail"], rows)
        + more
    )


def _needs_review_section(dataset: Dataset, shown: int) -> str:
    columns = ["image_id", "source_pdf", "page", "caption", "modality", "modality_confidence", "needs_review"]
    flagged = [r for r in dataset.read_table("images", columns=columns).to_pylist() if r["needs_review"]]
    decided = {}
    if dataset.rows("corrections"):
        for row in dataset.read_table("corrections").to_pylist():
            if row["field"] == "status" and row["target"] in ("figure", "image"):
                decided[(row["target"], row["target_id"])] = row["new_value"]
    counts = Counter(decided.values())
    head = (
        f"<h2>Images needing review</h2><p>{len(flagged)} images flagged by classify (confidence under the "
        f"threshold); figures and images decided in review so far: {counts['approved']} approved, "
        f"{counts['rejected']} rejected "
        "(<code>mmskin-build review DATASET</code>).</p>"
    )
    flagged.sort(key=lambda r: (r["modality_confidence"] or 0, r["image_id"]))
    uris = _images_by_id(dataset, "images", {r["image_id"] for r in flagged[:shown]})
    cards = "".join(
        _card(
            uris.get(r["image_id"]),
            r["caption"] or "(no caption)",
            f"{r['modality']} {r['modality_confidence']:.2f} | {r['source_pdf']} p.{r['page']} | "
            f"{decided.get(('image', r['image_id']), 'unreviewed')}",
            r["image_id"],
        )
        for r in flagged[:shown]
    )
    return head + f'<div class="grid">{cards}</div>'


def _vqa_section(dataset: Dataset, shown: int) -> str:
    run = dataset.manifest.last_done("generate-vqa")
    if run is None:
        return "<h2>VQA</h2><p>No generate-vqa run yet.</p>"
    counts = run.counts
    gates = [[k.split(":", 1)[1], v] for k, v in sorted(counts.items()) if k.startswith("rejected:")]
    types = [[k.split(":", 1)[1], v] for k, v in sorted(counts.items()) if k.startswith("type:") and v]
    qa = sorted(
        dataset.read_table(
            "vqa", columns=["qa_id", "image_id", "question", "answer", "question_type", "evidence"]
        ).to_pylist(),
        key=lambda r: r["qa_id"],
    )[:shown]
    uris = _images_by_id(dataset, "pairs", {r["image_id"] for r in qa})
    cards = "".join(
        _card(
            uris.get(r["image_id"]),
            f"Q: {r['question']} A: {r['answer']}",
            f"{r['question_type']} | evidence: {r['evidence']} | image {r['image_id']}",
            r["qa_id"],
        )
        for r in qa
    )
    return (
        f"<h2>VQA</h2><p>{counts.get('accepted', 0)} accepted of {counts.get('generated', 0)} generated "
        f"(last run {_e(run.started_at)}, {_e(run.config.get('backend', ''))} backend).</p>"
        + _table(["gate", "rejected"], gates)
        + _table(["question type", "accepted"], types)
        + f'<h3>Samples</h3><div class="grid">{cards}</div>'
    )


def _per_book_section(dataset: Dataset, pairs: list[dict], dropped: list[dict]) -> str:
    figures = Counter(dataset.read_table("figures", columns=["source_pdf"]).column("source_pdf").to_pylist())
    images = dataset.read_table("images", columns=["source_pdf", "needs_review"]).to_pylist()
    flagged = Counter(r["source_pdf"] for r in images if r["needs_review"])
    all_images = Counter(r["source_pdf"] for r in images)
    kept = Counter(r["source_pdf"] for r in pairs)
    lost = Counter(r["source_pdf"] for r in dropped)
    pair_book = {r["image_id"]: r["source_pdf"] for r in pairs}
    qa = Counter(
        pair_book.get(i) for i in dataset.read_table("vqa", columns=["image_id"]).column("image_id").to_pylist()
    )
    rows = [
        [
            book,
            figures[book],
            all_images[book],
            kept[book],
            lost[book],
            f"{kept[book] / all_images[book]:.0%}" if all_images[book] else "-",
            flagged[book],
            qa[book],
        ]
        for book in sorted(set(figures) | set(all_images))
    ]
    return "<h2>Per book</h2>" + _table(
        ["book", "figures", "images", "pairs", "dropped", "kept", "needs review", "VQA"], rows
    )


def _review_sections(dataset: Dataset, pairs: list[dict], dropped: list[dict], thumbnails: int) -> list[str]:
    return [
        _per_book_section(dataset, pairs, dropped),
        _needs_review_section(dataset, thumbnails),
        _vqa_section(dataset, thumbnails),
        _errors_section(dataset, 50),
    ]


def write_report(root: Path | str, out: Path | str, thumbnails: int = 12) -> Path:
    """Render the report of the dataset at `root` to `out` (atomically); returns the path written."""
    dataset = Dataset.open(root)
    out = Path(out)
    atomic_write_bytes(out, render_report(dataset, thumbnails).encode())
    return out
