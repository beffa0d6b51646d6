"""extract's output thread: jobs in order, a bounded wait, errors kept; jobs needing no order (OCR) beside them;
PNGs encoded when their bytes are asked for; a PDF's last rows written while the next PDF is read."""

from __future__ import annotations

import io
import threading

import numpy as np
import pytest
from PIL import Image

from fixtures.factories import staged_rows
from mmskin_build.extract import document
from mmskin_build.extract.document import ExtractConfig, extract_pdf
from mmskin_build.extract.images import encode
from mmskin_build.extract.output import OutputThread
from mmskin_build.extract.stage import _completed
from mmskin_build.extract.task import PdfTask, run_task
from mmskin_build.sample.textbook import build_textbook


def test_jobs_run_in_the_order_handed_over_on_one_other_thread():
    output, done, threads = OutputThread(waiting=3), [], set()
    for number in range(20):
        output.submit(lambda number=number: (done.append(number), threads.add(threading.get_ident())))
    output.close()
    assert done == list(range(20))
    assert len(threads) == 1 and threading.get_ident() not in threads


def test_submit_waits_while_the_limit_of_jobs_is_not_done():
    output, gate = OutputThread(waiting=2), threading.Event()
    output.submit(gate.wait)
    output.submit(lambda: None)
    third = threading.Thread(target=output.submit, args=(lambda: None,))
    third.start()
    third.join(timeout=0.3)
    assert third.is_alive()  # two jobs not done: the third waits
    gate.set()
    third.join(timeout=5)
    assert not third.is_alive()
    output.close()


def test_waiting_until_holding_few_enough_pixels_waits_for_the_jobs_that_hold_them():
    output, gate = OutputThread(waiting=4), threading.Event()
    output.submit(gate.wait, holds=300)
    output.submit(lambda: None, holds=50)
    waiter = threading.Thread(target=output.wait_until_holding, args=(100,))
    waiter.start()
    waiter.join(timeout=0.3)
    assert waiter.is_alive()  # the first job still holds 300 bytes
    gate.set()
    waiter.join(timeout=5)
    assert not waiter.is_alive()
    output.wait_until_holding(-1)  # below zero: until no job holds any
    output.close()


def test_the_pixels_of_a_pdf_s_rows_still_being_written_count_for_the_next_pdf():
    # extract's finish_later: a PDF's last rows are written while the next PDF is read, on the same write thread.
    earlier, gate = OutputThread(), threading.Event()
    earlier.submit(gate.wait, holds=300)
    later = OutputThread()
    assert later.holding() == 300
    waiter = threading.Thread(target=later.wait_until_holding, args=(100,))
    waiter.start()
    waiter.join(timeout=0.3)
    assert waiter.is_alive()
    gate.set()
    waiter.join(timeout=5)
    assert not waiter.is_alive() and later.holding() == 0
    earlier.close()
    later.close()


def test_a_failing_job_stops_the_rest_and_close_raises_it():
    output, done = OutputThread(), []
    output.submit(lambda: done.append(1))
    output.submit(lambda: 1 / 0)
    output.submit(lambda: done.append(3))
    with pytest.raises(ZeroDivisionError):
        output.close()
    assert done == [1]


def test_close_with_cancel_drops_waiting_jobs_and_raises_nothing():
    output, gate, done = OutputThread(waiting=3), threading.Event(), []
    output.submit(gate.wait)
    output.submit(lambda: done.append("late"))
    threading.Timer(0.2, gate.set).start()
    output.close(cancel=True)
    assert done == []


def test_png_is_encoded_when_asked_for_into_the_bytes_an_eager_save_gives():
    pixels = Image.fromarray(np.random.default_rng(0).integers(0, 255, (40, 60, 3), dtype=np.uint8))
    picture = encode(pixels, photo=False)
    assert picture._data is None  # nothing encoded yet
    eager = io.BytesIO()
    pixels.save(eager, format="PNG", compress_level=1)
    assert picture.data == eager.getvalue()
    assert (picture.width, picture.height, picture.format) == (60, 40, "png")
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(picture.data))), np.asarray(pixels))


def test_compute_gives_its_result_or_error_to_its_future():
    output = OutputThread()
    result = output.compute(lambda: 2)
    failing = output.compute(lambda: 1 / 0)
    after = output.compute(lambda: "still runs")
    assert result.result(timeout=5) == 2
    with pytest.raises(ZeroDivisionError):
        failing.result(timeout=5)
    assert after.result(timeout=5) == "still runs"
    output.close()  # a compute job's error is its caller's, not the writes'


def test_compute_runs_two_jobs_at_once_beside_a_blocked_write_and_counts_toward_the_limit():
    output, gate, started = OutputThread(waiting=3), threading.Event(), threading.Barrier(3)
    output.submit(gate.wait)  # the writes are stuck behind this one
    both = [output.compute(lambda: started.wait(timeout=5) >= 0) for _ in range(2)]
    started.wait(timeout=5)  # both compute jobs are running at once, while the write still waits
    assert [future.result(timeout=5) for future in both] == [True, True]
    output.compute(gate.wait)
    output.compute(gate.wait)
    fourth = threading.Thread(target=output.compute, args=(lambda: None,))
    fourth.start()
    fourth.join(timeout=0.3)
    assert fourth.is_alive()  # three jobs not done, of both kinds: the next one waits
    gate.set()
    fourth.join(timeout=5)
    assert not fourth.is_alive()
    output.close()


def test_close_with_cancel_drops_waiting_compute_jobs_too():
    output, gate, done = OutputThread(waiting=4), threading.Event(), []
    output.compute(gate.wait)
    output.compute(gate.wait)
    late = output.compute(lambda: done.append("late"))
    threading.Timer(0.2, gate.set).start()
    output.close(cancel=True)
    assert done == [] and late.cancelled()


def test_a_pdf_returned_before_its_last_rows_has_every_row_once_finished(tmp_path):
    pdf = tmp_path / "book.pdf"
    build_textbook(pdf)
    whole = extract_pdf(pdf, tmp_path / "whole", ExtractConfig(dpi=72))
    later = extract_pdf(pdf, tmp_path / "later", ExtractConfig(dpi=72), finish_later=True)
    assert later.unfinished is not None
    later.finish()
    assert later.unfinished is None and later.figures == whole.figures > 0
    for table in ("figures", "images"):
        assert staged_rows(later, table) == staged_rows(whole, table)


def test_figures_over_the_pixel_budget_are_taken_one_at_a_time_with_the_same_rows(tmp_path, shared_pdfs, monkeypatch):
    """A budget below any figure's pixels: each figure's picture is taken only once every figure before it is written
    (a 100 Mpx picture is 300 MB as RGB), and the rows are those of the default budget."""
    pdf = shared_pdfs / "meddiag_Exanthematic_dengue_fever_mimicking_rubella.pdf"
    free = extract_pdf(pdf, tmp_path / "free", ExtractConfig(dpi=72))
    in_flight, take = [], document._Extraction._figure_picture

    def taking(self, *args):
        in_flight.append(self._waiting_bytes() + self.output.holding())
        return take(self, *args)

    monkeypatch.setattr(document, "PIXELS_IN_FLIGHT", 1)
    monkeypatch.setattr(document._Extraction, "_figure_picture", taking)
    tight = extract_pdf(pdf, tmp_path / "tight", ExtractConfig(dpi=72))
    assert len(in_flight) == tight.figures >= 2 and set(in_flight) == {0}
    for table in ("figures", "images"):
        assert staged_rows(tight, table) == staged_rows(free, table)


def test_the_stage_gets_each_pdf_complete_after_the_next_one_is_read(tmp_path):
    """In one process, a PDF's last rows are written while the next PDF is read: the stage receives the PDF (to
    commit it) once the next one's task has returned, finished; closing early stops the held PDF's writing."""
    pdfs = []
    for name in ("a", "b", "c"):
        build_textbook(tmp_path / f"{name}.pdf")
        pdfs.append(tmp_path / f"{name}.pdf")
    events, outcomes = [], {}

    def engine_results():
        for pdf in pdfs:
            outcome = outcomes[pdf.stem] = run_task(
                PdfTask(pdf), tmp_path / "ds", ExtractConfig(dpi=72), finish_later=True
            )
            events.append(("read", pdf.stem, outcome.unfinished is not None))
            yield PdfTask(pdf), outcome

    for task, outcome in _completed(engine_results()):
        events.append(("got", task.path.stem, outcome.unfinished is None and bool(staged_rows(outcome, "figures"))))
    assert events == [
        ("read", "a", True), ("read", "b", True), ("got", "a", True),
        ("read", "c", True), ("got", "b", True), ("got", "c", True),
    ]  # fmt: skip
    events.clear()
    results = _completed(engine_results())
    next(results)  # "a", complete; "b" is held, its rows perhaps still being written
    results.close()
    assert events == [("read", "a", True), ("read", "b", True)]
    assert outcomes["b"].unfinished is None  # its writing stopped, its shards closed
