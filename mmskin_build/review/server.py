"""The review web app: Starlette routes over a `ReviewIndex`; saving appends to the corrections table.

Handlers are plain functions, which Starlette runs in a thread pool: they read Parquet and wait for the
dataset lock, which must not block the event loop.
"""

from __future__ import annotations

import threading
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from mmskin_build.pipeline import UsageError
from mmskin_build.review.corrections import CorrectionError, append_corrections
from mmskin_build.review.index import Filters, ReviewIndex, UnknownTarget
from mmskin_build.review.media import Media
from mmskin_build.review.pages import figure_page, list_page

STATIC = Path(__file__).with_name("static")
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css"}


class CorrectionRequestError(ValueError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def corrections_from_request(index: ReviewIndex, payload: dict, reviewer: str) -> list:
    """Checked correction rows for a save request: each names a target the dataset holds and a valid value."""
    items = payload.get("corrections")
    if not isinstance(items, list) or not items:
        raise CorrectionRequestError("expected {'corrections': [{target, target_id, field, value, reason}, ...]}", 400)
    rows = []
    for item in items:
        target, target_id = str(item.get("target")), str(item.get("target_id"))
        try:
            reviewer_name = str(payload.get("reviewer") or reviewer)
            rows.append(
                index.correction(
                    target, target_id, str(item.get("field")), item.get("value"), reviewer_name, item.get("reason")
                )
            )
        except UnknownTarget as exc:
            raise CorrectionRequestError(str(exc), 404) from None
        except CorrectionError as exc:
            raise CorrectionRequestError(f"{target} {target_id}: {exc}", 400) from None
    return rows


def create_app(root: Path | str, reviewer: str) -> Starlette:
    index = ReviewIndex(root)
    media = Media(index)
    saving = threading.Lock()  # this server's request threads take turns; other processes meet the dataset lock

    def home(request: Request) -> Response:
        index.refresh()
        try:
            number = int(request.query_params.get("page", "1"))
        except ValueError:
            number = 1
        return HTMLResponse(list_page(index, Filters.from_query(dict(request.query_params)), number))

    def figure(request: Request) -> Response:
        index.refresh()
        figure_id = request.path_params["figure_id"]
        if figure_id not in index.tables.figures:
            return HTMLResponse(f"no figure {figure_id}", 404)
        frame = media.page_frame(index.tables.figures[figure_id])
        return HTMLResponse(figure_page(index, figure_id, Filters.from_query(dict(request.query_params)), frame))

    def thumbnail(request: Request) -> Response:
        data = media.thumbnail(request.path_params["table"], request.path_params["item_id"])
        return _image(data, "image/jpeg")

    def image(request: Request) -> Response:
        data = index.image_bytes(request.path_params["table"], request.path_params["item_id"])
        kind = "image/png" if data and data.startswith(b"\x89PNG") else "image/jpeg"
        return _image(data, kind)

    def page(request: Request) -> Response:
        return _image(media.page(request.path_params["figure_id"]), "image/jpeg")

    def static(request: Request) -> Response:
        path = STATIC / request.path_params["name"]
        if path.suffix not in STATIC_TYPES or not path.is_file():
            return Response("not found", 404)
        return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix])

    async def save(request: Request) -> Response:
        try:
            payload = await request.json()
        except ValueError:
            return JSONResponse({"error": "the body is not JSON"}, 400)
        return await run_in_threadpool(_save, payload)

    def _save(payload: dict) -> Response:
        index.refresh()
        try:
            rows = corrections_from_request(index, payload, reviewer)
            with saving:
                total = append_corrections(index.root, rows, wait=False)
        except CorrectionRequestError as exc:
            return JSONResponse({"error": str(exc)}, exc.status)
        except UsageError as exc:  # a stage (curate, generate-vqa) holds the dataset: the page retries
            return JSONResponse({"error": str(exc)}, 503)
        index.refresh()
        return JSONResponse({"saved": len(rows), "corrections": total, "ids": [r.correction_id for r in rows]})

    routes = [
        Route("/", home),
        Route("/figure/{figure_id}", figure),
        Route("/thumb/{table:str}/{item_id}", thumbnail),
        Route("/image/{table:str}/{item_id}", image),
        Route("/page/{figure_id}", page),
        Route("/static/{name}", static),
        Route("/api/corrections", save, methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    app.state.index = index
    return app


def _image(data: bytes | None, media_type: str) -> Response:
    if data is None:
        return Response("no image", 404)
    return Response(data, media_type=media_type, headers={"Cache-Control": "max-age=3600"})
