"""Incident captions: a compact VLM grounded in the incident's facts, with a deterministic template fallback."""

from pipeline.caption._types import Caption, CaptionRequest, Captioner, CaptionSource
from pipeline.caption.build import build_captioner
from pipeline.caption.template import TemplateCaptioner, format_duration, template_caption

# VlmCaptioner imports torch/transformers only when constructed; the name is re-exported lazily so that
# importing pipeline.caption stays cheap on lean edge boxes.


def __getattr__(name: str):
    if name in {"VlmCaptioner", "facts_prompt", "one_sentence", "DEFAULT_VLM"}:
        from pipeline.caption import vlm

        return getattr(vlm, name)
    raise AttributeError(name)


__all__ = [
    "DEFAULT_VLM",
    "Caption",
    "CaptionRequest",
    "CaptionSource",
    "Captioner",
    "TemplateCaptioner",
    "VlmCaptioner",
    "build_captioner",
    "facts_prompt",
    "format_duration",
    "one_sentence",
    "template_caption",
]
