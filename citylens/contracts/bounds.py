"""Bounds on every wire field, declared once: the edge cannot build an event over them and ingest refuses one.

The ingestor, the store's columns and the API's path parameters use these names.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, TypeAdapter

#: Ids (incident, camera): what a URL path segment and a media path component can hold safely; no leading dot.
SAFE_ID_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$"
MAX_ID_CHARS = 64
MAX_NAME_CHARS = 128  # box, zone, line and count names
MAX_CAPTION_CHARS = 4000
MAX_FACTS_BYTES = 16 << 10  # facts as JSON
MAX_JPEG_BYTES = 2 << 20  # each of snapshot and crop (the edge sends <= 960 px at quality 80: ~100-300 kB)
MAX_JPEG_SIDE = 16384
#: Largest seq a new incident may start at, and largest step between stored and incoming revisions (a day of
#: one revision a second is 86,400): a writer cannot freeze an incident with seq = 2**63 - 1.
MAX_SEQ_STEP = 1_000_000
MAX_ERROR_CHARS = 2000  # a camera's error text; longer ones are cut, not refused (they come from tracebacks)

_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def check_jpeg(data: bytes) -> bytes:
    """``data`` if it is a whole baseline/progressive JPEG within the bounds, else ValueError with the reason.

    Walks the marker segments up to the first scan (no pixel decoding): SOI first, a frame header with a sane
    size before the scan, every segment inside the data, and EOI at the end (a truncated file has none).
    """
    n = len(data)
    if n > MAX_JPEG_BYTES:
        raise ValueError(f"JPEG of {n} bytes is over the limit of {MAX_JPEG_BYTES}")
    if not data.startswith(b"\xff\xd8\xff"):
        raise ValueError(f"not a JPEG: starts with {data[:8]!r}, not the SOI marker")
    i, frame = 2, None
    while i + 4 <= n:
        if data[i] != 0xFF:
            raise ValueError(f"not a JPEG: no marker at byte {i}")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            i += 2
            continue
        seg = int.from_bytes(data[i + 2:i + 4], "big")
        if seg < 2 or i + 2 + seg > n:
            raise ValueError(f"not a JPEG: segment 0x{marker:02X} at byte {i} runs past the data")
        if marker in _SOF_MARKERS:
            if seg < 8:
                raise ValueError("not a JPEG: short frame header")
            h, w = int.from_bytes(data[i + 5:i + 7], "big"), int.from_bytes(data[i + 7:i + 9], "big")
            if not (0 < w <= MAX_JPEG_SIDE and 0 < h <= MAX_JPEG_SIDE):
                raise ValueError(f"not a usable JPEG: frame size {w}x{h}")
            frame = (w, h)
        if marker == 0xDA:  # start of scan: the header is complete
            if frame is None:
                raise ValueError("not a JPEG: scan without a frame header")
            if not data.endswith(b"\xff\xd9"):
                raise ValueError("not a whole JPEG: no end-of-image marker (truncated?)")
            return data
        i += 2 + seg
    raise ValueError("not a JPEG: no image data (no scan)")


SafeId = Annotated[str, Field(pattern=SAFE_ID_PATTERN, max_length=MAX_ID_CHARS,
                              description="letters, digits, '_', '-', '.'; 1-64 characters; no leading dot")]
Name = Annotated[str, Field(max_length=MAX_NAME_CHARS)]
Jpeg = Annotated[bytes, AfterValidator(check_jpeg)]
JPEG = TypeAdapter(Jpeg)


__all__ = ["JPEG", "MAX_CAPTION_CHARS", "MAX_ERROR_CHARS", "MAX_FACTS_BYTES", "MAX_ID_CHARS", "MAX_JPEG_BYTES",
           "MAX_JPEG_SIDE", "MAX_NAME_CHARS", "SAFE_ID_PATTERN", "Jpeg", "Name", "SafeId", "check_jpeg"]
