"""Which captioner a config asks for: the VLM when it loads, else the template (batching and timeouts are the
Captioner actor's, ``edge_workers/actors.py``)."""

from __future__ import annotations

import logging

from pipeline.caption._types import Captioner
from pipeline.caption.template import TemplateCaptioner
from pipeline.config import CaptionerConfig
from pipeline.exceptions import ModelLoadError

logger = logging.getLogger(__name__)


def build_captioner(cfg: CaptionerConfig, model_dir: str | None = None) -> Captioner:
    """The VLM captioner when ``cfg.backend == "vlm"`` and it loads; otherwise the template captioner.

    A load failure is logged as exactly one warning naming the model and the reason.
    """
    if cfg.backend != "vlm" or not cfg.enabled:
        return TemplateCaptioner()
    try:
        from pipeline.caption.vlm import VlmCaptioner

        return VlmCaptioner(cfg.model, device=cfg.device, max_new_tokens=cfg.max_new_tokens, model_dir=model_dir)
    except (ModelLoadError, ImportError, OSError, ValueError, RuntimeError) as e:
        logger.warning("captioner %r could not load, using template captions instead: %s", cfg.model, e)
        return TemplateCaptioner()
