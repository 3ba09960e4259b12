"""Deterministic one-sentence incident captions built from facts alone (no model, no weights)."""

from __future__ import annotations

import time
from typing import Any, Sequence

from pipeline.caption._types import Caption, CaptionRequest
from pipeline.caption.phrases import article, format_duration, where

TEMPLATE_MODEL = "template"


def template_caption(facts: dict[str, Any]) -> str:
    """One grammatical sentence for any registered rule type (its module's caption phrase), else a generic one.

    Example:
        >>> template_caption({"type": "stopped_vehicle", "object_class": "car", "colour": "white",
        ...                   "zone": "bus-lane", "camera": "Main St", "dwell_s": 130})
        'A white car stopped in zone bus-lane on camera Main St for 2 min 10 s.'
    """
    kind = str(getattr(facts.get("type"), "value", facts.get("type")) or "incident")
    from pipeline.rules.registry import rules  # the rule modules declare their phrases; imported on first use

    spec = rules().get(kind)
    if spec is not None:
        text = spec.caption(facts)
    elif kind == "incident":
        text = f"An incident was detected{where(facts)}"
    else:
        text = f"{article(kind)} {kind.replace('_', ' ')} incident was detected{where(facts)}"
    return text.strip() + "."


class TemplateCaptioner:
    """Captions from facts alone: instant, deterministic, needs no weights (the VLM's fallback).

    Example:
        >>> TemplateCaptioner().caption([CaptionRequest("i", None, {"type": "intrusion", "zone": "gate"})])[0].text
        'A person entered a restricted area in zone gate.'
    """

    model_name = TEMPLATE_MODEL

    def caption(self, reqs: Sequence[CaptionRequest]) -> list[Caption]:
        out = []
        for req in reqs:
            t0 = time.perf_counter()
            text = template_caption(req.facts)
            out.append(Caption(text, "template", TEMPLATE_MODEL, (time.perf_counter() - t0) * 1000.0))
        return out
