"""Wire names: Redis stream keys, the center's consumer group and the envelope's extra fields."""

from __future__ import annotations

import hashlib
import hmac

STREAM_INCIDENTS = "citylens:incidents"
STREAM_COUNTS = "citylens:counts"
STREAM_HEALTH = "citylens:health"
STREAM_CONTROL = "citylens:control"
DATA_STREAMS = (STREAM_INCIDENTS, STREAM_COUNTS, STREAM_HEALTH)
CONSUMER_GROUP = "citylens-center"
SOURCE_FIELD = "src"  # extra entry field naming the publishing box ("<box>/<camera>"); decoders ignore it
SIG_FIELD = "sig"  # HMAC-SHA256 (hex) of the entry's other fields with the publishing box's key


def _canonical(fields: dict) -> bytes:
    parts = []
    for k in sorted((k.decode() if isinstance(k, bytes) else str(k)) for k in fields):
        if k == SIG_FIELD:
            continue
        v = fields.get(k, fields.get(k.encode()))
        v = v if isinstance(v, bytes) else str(v).encode()
        parts.append(len(k).to_bytes(4, "big") + k.encode() + len(v).to_bytes(4, "big") + v)
    return b"".join(parts)


def sign_fields(key: bytes, fields: dict) -> str:
    """The signature an edge box adds as ``sig``: HMAC-SHA256 over every other field (names sorted, each name
    and value length-prefixed), so no field can be changed, added or dropped without the box's key."""
    return hmac.new(key, _canonical(fields), hashlib.sha256).hexdigest()


def verify_fields(key: bytes, fields: dict) -> bool:
    sig = fields.get(SIG_FIELD, fields.get(SIG_FIELD.encode()))
    if sig is None:
        return False
    sig = sig.decode(errors="replace") if isinstance(sig, bytes) else str(sig)
    return hmac.compare_digest(sig, sign_fields(key, fields))

__all__ = ["CONSUMER_GROUP", "DATA_STREAMS", "SIG_FIELD", "SOURCE_FIELD", "STREAM_CONTROL", "STREAM_COUNTS",
           "STREAM_HEALTH", "STREAM_INCIDENTS", "sign_fields", "verify_fields"]
