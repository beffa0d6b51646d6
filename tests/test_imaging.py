import subprocess
import sys

import pytest
from PIL import Image

from fixtures.factories import png_claiming
from mmskin_build.imaging import MAX_PIXELS, ImageDecodeError, decoding, open_image

# Threads open a picture over PIL's own warning limit and under ours, in a fresh process (pytest resets warning
# filters set while it collects, so the process-wide filter is checked outside it).
_OPEN_FROM_THREADS = """
import sys, threading
from mmskin_build.imaging import open_image
data = sys.stdin.buffer.read()
threads = [threading.Thread(target=lambda: open_image(data).close()) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
"""


def test_no_decompression_bomb_warning_from_any_thread():
    """Silenced for the process, not per block: `warnings.catch_warnings` is not thread-safe, and extract decodes on
    two threads at once (one thread leaving its block could restore the filters under another)."""
    assert Image.MAX_IMAGE_PIXELS < 10_000 * 10_000 <= MAX_PIXELS
    run = subprocess.run(
        [sys.executable, "-W", "default", "-c", _OPEN_FROM_THREADS],
        input=png_claiming(10_000, 10_000),
        capture_output=True,
        check=True,
    )
    assert b"DecompressionBombWarning" not in run.stderr, run.stderr.decode()


def test_a_picture_over_our_limit_is_refused_from_its_header():
    with pytest.raises(ImageDecodeError) as refused, decoding():
        open_image(png_claiming(40_000, 40_000))
    assert refused.value.reason == "too-large"
