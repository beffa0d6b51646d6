"""Server-rendered HTML of the review app: the filtered figure list and one figure with everything about it."""

from __future__ import annotations

import html
from urllib.parse import quote

from mmskin_build.review.corrections import MODALITIES
from mmskin_build.review.index import PAGE_SIZE, STATUSES, Filters, ReviewIndex

GATE_FILTERS = {
    "with-qa": "has QA",
    "no-qa": "no QA",
    "qa-rejected": "QA rejected in review",
    "qa-edited": "QA edited in review",
}
KEYS = [
    ("a", "approve the figure and open the next"),
    ("r", "reject the figure (asks why)"),
    ("j / k", "next / previous"),
    ("e", "edit the caption"),
    ("1-9", "select panel"),
    ("x", "reject the selected panel"),
    ("s", "edit its sub-caption"),
    ("v", "move its sub-caption to another panel"),
    ("c d p o", "set its modality: clinical, dermoscopy, pathology, other"),
    ("Ctrl+Enter", "save the field you edit"),
    ("Esc", "leave a field"),
]


def e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _layout(title: str, body: str, data: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{e(title)}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/review.css"></head>'
        f'<body {data}><div id="status" role="status"></div>{body}<script src="/static/review.js"></script></body></html>'
    )


def _select(name: str, options: list[tuple[str, str]], chosen: str) -> str:
    items = "".join(
        f'<option value="{e(v)}"{" selected" if v == chosen else ""}>{e(label)}</option>' for v, label in options
    )
    return f'<label>{e(name)} <select name="{e(name)}">{items}</select></label>'


def _gate_counts(index: ReviewIndex) -> str:
    run = index.dataset.manifest.last_done("generate-vqa")
    if run is None:
        return '<p class="meta">No generate-vqa run yet.</p>'
    counts = run.counts
    cells = "".join(
        f"<tr><td>{e(k.split(':', 1)[1])}</td><td>{v}</td></tr>"
        for k, v in sorted(counts.items())
        if k.startswith("rejected:") and v
    )
    return (
        f'<details class="gates"><summary>generate-vqa gates: {counts.get("accepted", 0)} accepted of '
        f"{counts.get('generated', 0)} generated</summary><table>{cells}</table></details>"
    )


def list_page(index: ReviewIndex, filters: Filters, number: int) -> str:
    figures, total = index.page(filters, number)
    pages = max(1, -(-total // PAGE_SIZE))
    form = "".join(
        [
            _select("book", [("", "any book")] + [(b, b) for b in index.books()], filters.book),
            _select("modality", [("", "any modality")] + [(m, m) for m in (*MODALITIES, "none")], filters.modality),
            _select(
                "drop",
                [("", "any drop"), ("kept", "nothing dropped")] + [(r, r) for r in index.drop_reasons()],
                filters.drop,
            ),
            _select(
                "gate",
                [("", "any QA")] + list(GATE_FILTERS.items()) + [(r, f"QA left out: {r}") for r in index.qa_reasons()],
                filters.gate,
            ),
            _select("status", [("", "any status")] + [(s, s) for s in STATUSES], filters.status),
            (
                f'<label><input type="checkbox" name="needs_review" value="1"{" checked" if filters.needs_review else ""}>'
                " flagged by classify only</label>"
            ),
        ]
    )
    rows = []
    for s in figures:
        link = f"/figure/{quote(s.figure_id)}?{filters.query()}"
        thumb = f'<img src="/thumb/images/{quote(s.first_image)}" alt="" loading="lazy">' if s.first_image else ""
        flags = ('<span class="flag">needs review</span>' if s.needs_review else "") + "".join(
            f'<span class="drop">{e(r)}</span>' for r in sorted(s.drop_reasons)
        )
        rows.append(
            f'<a class="card status-{e(index.status(s.figure_id))}" href="{e(link)}" data-figure-id="{e(s.figure_id)}">'
            f'{thumb}<div><b>Fig. {e(s.label or "?")}</b> p.{s.page} <span class="meta">{e(s.book)}</span><br>'
            f"<code>{e(s.figure_id)}</code> {e(', '.join(sorted(s.modalities)))} · {s.qa} QA · "
            f"{e(index.status(s.figure_id))} {flags}</div></a>"
        )
    nav = " ".join(
        f'<a href="/?{e(filters.query(page=p))}" rel="{rel}">{label}</a>'
        for p, rel, label in ((number - 1, "prev", "← previous"), (number + 1, "next", "next →"))
        if 1 <= p <= pages
    )
    first = index.ordered(filters)[:1]
    start = (
        f'<a id="start" href="/figure/{quote(first[0])}?{e(filters.query())}">review from the first (a)</a>'
        if first
        else ""
    )
    body = (
        f"<header><h1>Review: {e(index.root.name)}</h1>{_gate_counts(index)}</header>"
        f'<form method="get" action="/" class="filters">{form} <button>filter</button></form>'
        f"<p>{total} figures, page {number} of {pages}. {start} {nav}</p>"
        f'<div class="list">{"".join(rows) or "<p>No figure matches.</p>"}</div><p>{nav}</p>'
    )
    return _layout(f"review {index.root.name}", body, 'data-page="list"')


def _boxes(figure: dict, frame: tuple[float, float, float, float], images: list[dict]) -> str:
    fx, fy, fw, fh = frame

    def box(bbox: list[float] | None, kind: str, label: str = "") -> str:
        if not bbox:
            return ""
        x0, y0, x1, y1 = bbox
        style = (
            f"left:{(x0 - fx) / fw * 100:.2f}%;top:{(y0 - fy) / fh * 100:.2f}%;"
            f"width:{(x1 - x0) / fw * 100:.2f}%;height:{(y1 - y0) / fh * 100:.2f}%"
        )
        return f'<div class="box {kind}" style="{style}"><span>{e(label)}</span></div>'

    parts = [box(figure["bbox"], "figure-box", "figure"), box(figure["caption_bbox"], "caption-box", "caption")]
    parts += [
        box(i["bbox"], "panel-box", i["panel_letter"] or str(i["panel_index"]))
        for i in images
        if i["panel_index"] is not None
    ]
    return "".join(parts)


def _marked(text: str, start: int | None, end: int | None) -> str:
    if start is None or end is None or not (0 <= start < end <= len(text)):
        return e(text)
    return f"{e(text[:start])}<mark>{e(text[start:end])}</mark>{e(text[end:])}"


def _field(label: str, target: str, target_id: str, field: str, value: object, note: str = "") -> str:
    return (
        f'<label class="field">{e(label)} <input data-target="{target}" data-id="{e(target_id)}" '
        f'data-field="{field}" value="{e(value)}"> <span class="meta">{note}</span></label>'
    )


# (label, the image field a reviewer corrects, the demographics QA field holding its evidence)
_DEMOGRAPHIC_FIELDS = (
    ("age", "age", "age"),
    ("sex", "sex", "sex"),
    ("body sites", "body_sites", "body_site"),
    ("Fitzpatrick", "fitzpatrick", "fitzpatrick"),
)


def _demographics(index: ReviewIndex, image_id: str, pair: dict | None) -> str:
    if pair is None:
        return ""
    evidence = {
        q["field"]: f"evidence: “{e(q['evidence'])}” ({e(q['evidence_source'])})"
        for q in index.tables.demographics.get(image_id, [])
    }
    fields = "".join(
        _field(label, "image", image_id, field, index.current_value("image", image_id, field), evidence.get(key, ""))
        for label, field, key in _DEMOGRAPHIC_FIELDS
    )
    return f'<div class="demographics">{fields}</div>'


LEFT_OUT_WHY = {"review": "rejected in review", "type-balance": "passed the gates; left out by type-balance"}


def _left_out(index: ReviewIndex, image_id: str) -> str:
    """Generated items not in the `vqa` table, and why (the `vqa_dropped` table): a gate, a reviewer, type-balance."""
    if not index.lists_left_out():
        return '<p class="meta">Run generate-vqa again to list the items it left out.</p>'
    rows = []
    for row in index.tables.vqa_dropped.get(image_id, []):
        why = LEFT_OUT_WHY.get(row["reason"], f"gate: {row['reason']}")
        matched = f": “{e(row['detail'])}”" if row["detail"] else ""
        rows.append(
            f'<li class="qa rejected" data-qa-id="{e(row["qa_id"])}">'
            f'<span class="meta">{e(row["question_type"])} · <code>{e(row["qa_id"])}</code> · {e(why)}{matched}'
            f"</span><br>{e(row['question'])} — {e(row['answer'])}"
            f'<div class="evidence">evidence given: “{e(row["evidence"])}”</div></li>'
        )
    return f'<p class="meta">Left out of the vqa table:</p><ul class="qa-list">{"".join(rows)}</ul>' if rows else ""


def _qa(index: ReviewIndex, image_id: str, caption: str) -> str:
    items = []
    for row in index.tables.vqa.get(image_id, []) + index.tables.demographics.get(image_id, []):
        qa_id = row["qa_id"]
        rejected = index.corrections.rejected("qa", qa_id)
        question = index.current_value("qa", qa_id, "question")
        answer = index.current_value("qa", qa_id, "answer")
        evidence = (
            _marked(caption, row["evidence_start"], row["evidence_end"])
            if "evidence_start" in row
            else f"“{e(row['evidence'])}” ({e(row['evidence_source'])})"
        )
        kind = row.get("question_type") or f"demographics: {row['field']}"
        items.append(
            f'<li class="qa{" rejected" if rejected else ""}" data-qa-id="{e(qa_id)}">'
            f'<span class="meta">{e(kind)} · <code>{e(qa_id)}</code> · gates passed'
            f"{' · rejected in review' if rejected else ''}</span>"
            f'<input data-target="qa" data-id="{e(qa_id)}" data-field="question" value="{e(question)}">'
            f'<input data-target="qa" data-id="{e(qa_id)}" data-field="answer" value="{e(answer)}">'
            f'<div class="evidence">evidence: {evidence}</div>'
            f'<button type="button" class="reject-qa" data-id="{e(qa_id)}">reject QA</button></li>'
        )
    listed = f'<ol class="qa-list">{"".join(items)}</ol>' if items else '<p class="meta">No QA for this image.</p>'
    return listed + _left_out(index, image_id)


def _panel(index: ReviewIndex, number: int, image: dict, letters: list[tuple[str, str]]) -> str:
    image_id = image["image_id"]
    pair = index.tables.pairs.get(image_id)
    dropped = index.tables.dropped.get(image_id)
    modality, source = index.modality(image)
    confidence = f"{image['modality_confidence']:.2f}" if image["modality_confidence"] is not None else "?"
    rejected = index.corrections.rejected("image", image_id)
    moves = "".join(f'<option value="{e(i)}">{e(letter)}</option>' for i, letter in letters if i != image_id)
    modalities = "".join(f"<option{' selected' if m == modality else ''}>{m}</option>" for m in MODALITIES)
    caption = pair["caption"] if pair else ""
    state = (
        "rejected in review: " + e(rejected.reason or "")
        if rejected
        else f"dropped: {e(dropped['reason'])} ({e(dropped['detail'])})"
        if dropped
        else f"kept, split {e(pair['split'])}"
        if pair
        else "not curated yet"
    )
    return (
        f'<section class="panel{" rejected" if rejected else ""}" data-panel="{number}" data-image-id="{e(image_id)}" '
        f'data-letter="{e(image["panel_letter"] or number)}">'
        f'<img class="crop" src="/thumb/images/{quote(image_id)}" alt="">'
        f"<div><h3>{number}. panel {e(image['panel_letter'] or '-')} <code>{e(image_id)}</code>"
        f"{' <span class=flag>needs review</span>' if image['needs_review'] else ''}</h3>"
        f'<p class="meta">{state}</p>'
        f'<label>modality <select data-target="image" data-id="{e(image_id)}" data-field="modality">{modalities}</select>'
        f'</label> <span class="meta">confidence {confidence}, source {e(source)}</span>'
        f'<label class="field">sub-caption <textarea rows="2" data-target="image" data-id="{e(image_id)}" '
        f'data-field="subcaption">{e(index.current_value("image", image_id, "subcaption"))}</textarea></label>'
        f'<label>move sub-caption to <select class="move-to">{moves}</select></label> '
        f'<button type="button" class="move">move</button> <button type="button" class="reject-panel">reject panel</button>'
        f'<p class="curated"><b>curated caption:</b> {e(caption)}</p>'
        f"{_demographics(index, image_id, pair)}{_qa(index, image_id, caption)}</div></section>"
    )


def figure_page(
    index: ReviewIndex, figure_id: str, filters: Filters, frame: tuple[float, float, float, float] | None
) -> str:
    figure = index.tables.figures[figure_id]
    images = index.tables.images.get(figure_id, [])
    previous, following = index.neighbours(figure_id, filters)
    query = filters.query()
    link = {k: f"/figure/{quote(v)}?{query}" if v else "" for k, v in (("prev", previous), ("next", following))}
    if frame is not None:
        picture = f'<img src="/page/{quote(figure_id)}" alt="page {figure["page"]}">{_boxes(figure, frame, images)}'
    else:  # no PDF: the figure image, with the panel boxes in the figure's own frame
        x0, y0, x1, y1 = figure["bbox"]
        picture = (
            f'<img src="/image/figures/{quote(figure_id)}" alt="figure">'
            f"{_boxes({**figure, 'bbox': None, 'caption_bbox': None}, (x0, y0, x1 - x0, y1 - y0), images)}"
        )
    letters = [(i["image_id"], i["panel_letter"] or str(n)) for n, i in enumerate(images, start=1)]
    status = index.status(figure_id)
    keys = "".join(f"<li><kbd>{e(k)}</kbd> {e(v)}</li>" for k, v in KEYS)
    back = f'<a id="prev" href="{e(link["prev"])}">← previous (k)</a>' if previous else ""
    forward = f'<a id="next" href="{e(link["next"])}">next (j) →</a>' if following else "<span>last figure</span>"
    body = (
        f'<header><a href="/?{e(query)}">← list</a> {back} {forward}'
        f' <span class="badge status-{e(status)}" id="figure-status">{e(status)}</span>'
        f' <label>reviewer <input id="reviewer" size="10"></label>'
        f'<details class="keys"><summary>keys</summary><ul>{keys}</ul></details></header>'
        f'<main class="figure"><div class="pagebox">{picture}</div><div class="info">'
        f"<h2>Fig. {e(figure['label'] or '?')} · {e(figure['source_pdf'])} p.{figure['page']}</h2>"
        f'<p class="meta"><code>{e(figure_id)}</code> · {len(images)} image(s) · {e(figure.get("kind", ""))}</p>'
        f'<label class="field">caption <textarea id="caption" rows="4" data-target="figure" data-id="{e(figure_id)}" '
        f'data-field="caption">{e(index.current_value("figure", figure_id, "caption"))}</textarea></label>'
        f'<button type="button" id="approve">approve (a)</button> <button type="button" id="reject">reject figure (r)</button>'
        f"{_gate_counts(index)}"
        + "".join(_panel(index, n, image, letters) for n, image in enumerate(images, start=1))
        + "</div></main>"
    )
    data = f'data-page="figure" data-figure-id="{e(figure_id)}" data-next="{e(link["next"])}" data-prev="{e(link["prev"])}"'
    return _layout(f"review {figure['label'] or figure_id}", body, data)
