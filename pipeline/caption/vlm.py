"""Grounded incident captions from a compact vision-language model (SmolVLM by default) via transformers."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any, Sequence

import cv2
import numpy as np

from pipeline.caption._types import Caption, CaptionRequest
from pipeline.caption.template import TemplateCaptioner, format_duration
from pipeline.exceptions import ModelLoadError

logger = logging.getLogger(__name__)

DEFAULT_VLM = "HuggingFaceTB/SmolVLM-256M-Instruct"
_INSTRUCTION = "Describe in one factual sentence what the camera shows."
_FACT_KEYS = (  # (fact key, prompt name, formatter)
    ("type", "type", str), ("zone", "zone", str), ("line", "line", str), ("object_class", "object", str),
    ("colour", "colour", str), ("count", "count", lambda v: str(int(float(v)))),
    ("dwell_s", "dwell", lambda v: format_duration(float(v))), ("speed_kmh", "speed", lambda v: f"{float(v):.0f} km/h"),
    ("direction", "direction", str), ("time_of_day", "time", str),
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def resolve_vlm_path(name: str, model_dir: str | None = None) -> str:
    """Explicit path; else ``<model_dir or $CITYLENS_MODEL_DIR>/<name>`` (also with ``/`` → ``--``); else ``name``.

    A name that looks like a filesystem path but does not exist raises :class:`ModelLoadError` instead of
    being sent to the hub as a repo id.
    """
    from pipeline.models import resolve_model

    resolved = resolve_model(name, model_dir)
    if resolved == name and "/" in name and not name.startswith(("/", ".", "~")):
        flat = resolve_model(name.replace("/", "--"), model_dir)
        if flat != name.replace("/", "--"):
            return flat
    if resolved == name and name.startswith(("/", "./", "../", "~")):
        if not Path(name).expanduser().exists():
            raise ModelLoadError(f"captioner model path {name!r} does not exist")
    return resolved


def facts_prompt(facts: dict[str, Any]) -> str:
    """The grounding text: ``Facts: type=loitering, zone=table, ... . Describe in one factual sentence ...``.

    Example:
        >>> facts_prompt({"type": "loitering", "zone": "table", "dwell_s": 12})
        'Facts: type=loitering, zone=table, dwell=12 s. Describe in one factual sentence what the camera shows.'
    """
    parts = []
    for key, name, fmt in _FACT_KEYS:
        value = facts.get(key)
        if value is None or value == "":
            continue
        value = getattr(value, "value", value)
        try:
            parts.append(f"{name}={fmt(value)}")
        except (TypeError, ValueError):
            continue  # a malformed fact is dropped from the prompt, not fatal
    return (f"Facts: {', '.join(parts)}. " if parts else "") + _INSTRUCTION


def one_sentence(text: str) -> str:
    """First sentence of a generation, whitespace collapsed, capitalised, ending in a full stop."""
    # random or undertrained weights emit control bytes and U+FFFD; keep printable text only
    text = "".join(ch for ch in text if ch.isprintable() or ch.isspace()).replace("\ufffd", "")
    text = " ".join(text.split())
    text = re.sub(r"^(assistant|answer)\s*:\s*", "", text, flags=re.I)
    text = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _to_rgb(image: bytes | np.ndarray) -> np.ndarray | None:
    if isinstance(image, (bytes, bytearray)):
        bgr = cv2.imdecode(np.frombuffer(bytes(image), np.uint8), cv2.IMREAD_COLOR)
        if bgr is None:
            return None
    else:
        bgr = image
    return np.ascontiguousarray(bgr[:, :, ::-1])


class VlmCaptioner:
    """Batched, greedy, fact-grounded captions from a transformers image-text-to-text model.

    Loads with ``AutoProcessor`` + ``AutoModelForImageTextToText`` (SmolVLM-256M is an
    ``Idefics3ForConditionalGeneration``); bf16 on CUDA, fp32 on CPU unless ``dtype`` says otherwise.
    Requests without a decodable image, or whose generation comes out empty, get a template caption.

    Args:
        model: hub name or local path; resolved by :func:`resolve_vlm_path`.
        device: ``"auto"`` (cuda if present), ``"cpu"``, ``"cuda"``, ``"cuda:1"``.
        max_new_tokens: generation budget; one sentence fits in ~32 tokens, more costs latency linearly.
        model_dir: where names resolve before ``$CITYLENS_MODEL_DIR``.
        dtype: ``"float32"``, ``"bfloat16"``, ``"float16"`` or a ``torch.dtype``; ``None`` picks per device.
        image_splitting: let the processor tile big images (SmolVLM: up to 4x4 tiles of 512 px, ~17x the
            image tokens). Off by default: one 512 px view per incident is plenty for a one-line caption.

    Example:
        >>> cap = VlmCaptioner("/models/SmolVLM-256M-Instruct")  # doctest: +SKIP
        >>> cap.caption([CaptionRequest("i", jpeg, {"type": "loitering"})])[0].source  # doctest: +SKIP
        'vlm'
    """

    def __init__(self, model: str = DEFAULT_VLM, device: str = "auto", max_new_tokens: int = 32,
                 model_dir: str | None = None, dtype: Any = None, *, image_splitting: bool = False):
        try:
            import torch
            from transformers import AutoModelForImageTextToText, AutoProcessor
        except ImportError as e:  # lean edge boxes ship without torch/transformers
            raise ModelLoadError(f"captioner needs torch and transformers: {e}") from None
        self.model_name = model
        self.max_new_tokens = int(max_new_tokens)
        self.image_splitting = image_splitting
        self.device = torch.device("cuda" if device == "auto" and torch.cuda.is_available()
                                   else ("cpu" if device == "auto" else device))
        if dtype is None:
            dtype = torch.bfloat16 if self.device.type == "cuda" else torch.float32
        elif isinstance(dtype, str):
            dtype = getattr(torch, dtype)
        self.dtype = dtype
        self.path = resolve_vlm_path(model, model_dir)
        try:
            self.processor = AutoProcessor.from_pretrained(self.path)
            self.model = AutoModelForImageTextToText.from_pretrained(self.path, dtype=dtype).to(self.device).eval()
        except Exception as e:
            raise ModelLoadError(f"cannot load captioner {model!r} from {self.path!r}: {type(e).__name__}: {e}") from e
        # Decoder-only batching: pad on the left so every row's last prompt token sits at the same position.
        self.processor.tokenizer.padding_side = "left"
        self._template = TemplateCaptioner()

    def _generate(self, inputs: Any) -> Any:
        """One ``model.generate`` call for a whole batch (a seam for subclasses that count or time calls)."""
        import torch

        with torch.inference_mode():
            return self.model.generate(**inputs, max_new_tokens=self.max_new_tokens, do_sample=False)

    def caption(self, reqs: Sequence[CaptionRequest]) -> list[Caption]:
        """Caption all requests with a single batched generate call; order is preserved."""
        out: list[Caption | None] = [None] * len(reqs)
        images, prompts, idx = [], [], []
        for i, req in enumerate(reqs):
            rgb = _to_rgb(req.image) if req.image is not None else None
            if rgb is None or rgb.size == 0:
                out[i] = self._template.caption([req])[0]
                continue
            msgs = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": facts_prompt(req.facts)}]}]
            prompts.append(self.processor.apply_chat_template(msgs, add_generation_prompt=True))
            images.append([rgb])
            idx.append(i)
        if idx:
            t0 = time.perf_counter()
            inputs = self.processor(text=prompts, images=images, padding=True, return_tensors="pt",
                                    do_image_splitting=self.image_splitting)
            inputs = {k: (v.to(self.device, dtype=self.dtype) if v.is_floating_point() else v.to(self.device))
                      for k, v in inputs.items()}
            generated = self._generate(inputs)
            texts = self.processor.batch_decode(generated[:, inputs["input_ids"].shape[1]:], skip_special_tokens=True)
            latency = (time.perf_counter() - t0) * 1000.0
            for i, raw in zip(idx, texts):
                text = one_sentence(raw)
                out[i] = (Caption(text, "vlm", self.model_name, latency) if text
                          else self._template.caption([reqs[i]])[0])
        return [c for c in out if c is not None]
