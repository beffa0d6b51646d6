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


def thumbnail_uri(data: bytes) -> str | None:
    """A small JPEG of the image as a data: URI (None when the bytes do not decode)."""
    try:
        with decoding(), open_image(data) as image:
            image = image.convert("RGB")
            image.thumbnail((THUMB_SIDE, THUMB_SIDE))
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=80)
    except ImageDecodeError:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


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
        f'{_e(unit)}: {c}</title></rect>'
        for i, c in enumerate(counts)
    )
    axis = (f'<text x="{pad}" y="{height - 8}" font-size="11">{low:.0f}</text>'
            f'<text x="{width - pad}" y="{height - 8}" font-size="11" text-anchor="end">{high:.0f} {_e(unit)}</text>'
            f'<text x="4" y="{pad - 8}" font-size="11">max {top}</text>')
    return (f'<div class="hist"><b>{_e(title)}</b><br><svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" role="img" aria-label="{_e(title)}">{bars}{axis}</svg></div>')


def _card(uri: str | None, caption: str, meta: str) -> str:
    image = f'<img src="{uri}" alt="">' if uri else "<p>(image does not decode)</p>"
    short = caption if len(caption) <= 220 else caption[:217] + "..."
    return f'<figure>{image}<figcaption>{_e(short)}<div class="meta">{_e(meta)}</div></figcaption></figure>'


def _images_by_id(dataset: Dataset, table: str, wanted: set[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    if not wanted:
        return found
    for batch in dataset.iter_batches(table, batch_size=64, columns=["image_id", "image"]):
        for image_id, image in zip(batch.column("image_id").to_pylist(), batch.column("image").to_pylist()):
            if image_id in wanted:
                found[image_id] = thumbnail_uri(image["bytes"])
    return found


def render_report(dataset: Dataset, thumbnails: int = 12) -> str:
    columns = ["image_id", "book_id", "source_pdf", "modality", "split", "caption", "width", "height",
               "figure_label", "age_text", "sex", "body_sites", "fitzpatrick", "dup_count"]
    pairs = dataset.read_table("pairs", columns=columns).to_pylist()
    dropped = dataset.read_table("dropped").to_pylist()
    qa = dataset.read_table("demographics", columns=["field"]).to_pylist()
    images_total = dataset.rows("images")
    splits = ["train", "val", "test"]
    for row in pairs:
        row["modality"] = row["modality"] or "unknown"
        row["book"] = row["source_pdf"]

    parts = [f"<h1>mmskin-build dataset report</h1><p>{_e(dataset.root.resolve())}</p>"]
    parts.append(_table(
        ["images", "pairs", "dropped", "demographics QA"], [[images_total, len(pairs), len(dropped), len(qa)]]
    ))
    curate_runs = [r for r in dataset.manifest.runs if r.stage == "curate"]
    if curate_runs:
        run = curate_runs[-1]
        parts.append(f'<p class="meta">curate run {_e(run.started_at)}, tool {_e(run.tool_version)}, '
                     f'seed {_e(run.config.get("splits", {}).get("seed"))}</p>')
    else:
        parts.append("<p><b>No curate run yet</b>: run <code>mmskin-build curate DATASET</code>.</p>")

    parts.append("<h2>Pairs per book</h2>" + _crosstab(pairs, "book", splits))
    parts.append("<h2>Pairs per modality</h2>" + _crosstab(pairs, "modality", splits))
    fields = Counter(r["field"] for r in qa)
    parts.append("<h2>Demographics found</h2>" + _table(
        ["field", "QA rows"], [[f, fields[f]] for f in ("age", "sex", "body_site", "fitzpatrick")]
    ))
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
            _card(uris.get(r["image_id"]), r["caption"],
                  f"{r['split']} | {r['book']} | Fig. {r['figure_label'] or '?'} | {r['width']}x{r['height']}")
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
        cards = "".join(_card(uris.get(r["image_id"]), r["caption"] or "(no caption)", r["detail"]) for r in examples[reason])
        parts.append(f'<h3>{_e(reason)}</h3><div class="grid">{cards}</div>')

    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>mmskin-build report: {_e(dataset.root.name)}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(parts)}<script>{_CHECK_IMAGES}</script></body></html>"
    )


def write_report(root: Path | str, out: Path | str, thumbnails: int = 12) -> Path:
    """Render the report of the dataset at `root` to `out` (atomically); returns the path written."""
    dataset = Dataset.open(root)
    out = Path(out)
    atomic_write_bytes(out, render_report(dataset, thumbnails).encode())
    return out
