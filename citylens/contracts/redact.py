"""The one URL redactor: credentials never reach a log line, an error, a health event or ``describe()``.

Edge (camera URLs: RTSP, MJPEG, HLS) and center (Redis URLs) use it alike: the whole user-info part of a URL
and secret-looking query parameters are replaced with ``***``, anywhere in a text.
"""

from __future__ import annotations

import re

_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/@\s]+)@")
_SECRET_QUERY = re.compile(r"(?i)(?P<key>[?&](?:password|passwd|pwd|pass|token|access_token|key|apikey|api_key|auth|secret)=)[^&#\s]*")


def redact_url(text: str) -> str:
    """Hide credentials in a URL, or in any text that contains URLs (log lines, error messages).

    Example:
        >>> redact_url("rtsp://admin:hunter2@10.0.0.5:554/live?token=abc&ch=1")
        'rtsp://***@10.0.0.5:554/live?token=***&ch=1'
        >>> redact_url("Redis at redis://user:secret@db:6379/0 is unreachable")
        'Redis at redis://***@db:6379/0 is unreachable'
    """
    text = _USERINFO.sub(lambda m: f"{m.group('scheme')}***@", text)
    return _SECRET_QUERY.sub(lambda m: f"{m.group('key')}***", text)


__all__ = ["redact_url"]
