"""Lines of ink that Tesseract's page layout left out.

Tesseract's page segmentation (`--psm 3`) drops short lines that stand alone: a name in large bold letters under or
beside a logo ("CJIB", "DUO"), a one-word signature line, sometimes a whole signature block after the body. Those are
exactly the lines that name the sender, and a photo makes it worse (a shadow or blur turns a short line into what
looks like a picture). The words are on the page; they were never read.

So after the page is read, the picture is searched for rows of dark pixels, inside the text column, that no line
Tesseract read covers; each such band (of about a text line's height, not a dark area such as a logo square or a
shadow at the paper's edge) is cut out and read as one line (`--psm 7`) together with the re-reading of reread.py.
A band's reading is put into the text at its place on the page only when Tesseract is sure of it: nothing is added
that is not on the page.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

INK = 140  # grey value below which a pixel of the prepared (light-flattened) picture is ink
MAX_BANDS = 12  # a bound on the work: a page rarely drops more than a few lines
MIN_SURE_LINES = 3  # with fewer lines read, there is no text column to search in


def _median(values: list[int]) -> int:
    return sorted(values)[len(values) // 2]


def _runs(flags: np.ndarray, bridge: int) -> list[tuple[int, int]]:
    """Runs of True as (start, end) with gaps of at most `bridge` joined."""
    runs: list[tuple[int, int]] = []
    for at in np.flatnonzero(flags):
        if runs and at - runs[-1][1] <= bridge:
            runs[-1] = (runs[-1][0], int(at) + 1)
        else:
            runs.append((int(at), int(at) + 1))
    return runs


def missed(picture: Image.Image, boxes: list[list[int]], sure: list[list[int]]) -> list[list[int]]:
    """Boxes (left, top, right, bottom) of lines of ink that no box in `boxes` covers, top to bottom.

    `sure` are the boxes of lines read with some confidence: they give the text column and the height of a line.
    """
    if len(sure) < MIN_SURE_LINES:
        return []
    height = max(8, _median([box[3] - box[1] for box in sure]))
    left = max(0, min(box[0] for box in sure) - height)
    right = min(picture.width, max(box[2] for box in sure) + height)
    top = max(0, min(box[1] for box in sure) - 6 * height)
    bottom = min(picture.height, max(box[3] for box in sure) + 6 * height)
    if right - left < 4 * height or bottom - top < 4 * height:
        return []
    ink = np.asarray(picture.convert("L"))[top:bottom, left:right] < INK
    ink = ink.copy()
    margin_y, margin_x = max(2, height // 4), max(2, height // 2)
    for box in boxes:  # everything read already, with a margin for accents and descenders
        ink[max(0, box[1] - top - margin_y):max(0, box[3] - top + margin_y), max(0, box[0] - left - margin_x):max(0, box[2] - left + margin_x)] = False
    found: list[list[int]] = []
    row_ink = ink.sum(axis=1) >= max(4, height // 3)
    for start, end in _runs(row_ink, max(1, height // 5)):
        if not 0.5 * height <= end - start <= 3 * height:
            continue  # a speck, or a dark area (a logo square, the shadow along the paper's edge, a table)
        band = ink[start:end]
        for x0, x1 in _runs(band.sum(axis=0) >= 2, 2 * height):
            if x1 - x0 < height:
                continue
            density = band[:, x0:x1].mean()
            if 0.03 <= density <= 0.8:  # text (bold text at low resolution fills ~60 %), not a filled square or a shadow
                found.append([left + x0, top + start, left + x1, top + end])
    return found[:MAX_BANDS]
