"""Caption worker: bounded queue, batching, per-call timeout and template fallback, results by callback."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Callable

from pipeline.caption._types import Caption, CaptionRequest, Captioner
from pipeline.caption.template import TemplateCaptioner
from pipeline.config import CaptionerConfig
from pipeline.exceptions import ModelLoadError

logger = logging.getLogger(__name__)

OnCaption = Callable[[str, Caption], None]


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


@dataclass
class CaptionStats:
    """Counters of a :class:`CaptionService` (exported as metrics by the actor that wraps it)."""

    submitted: int = 0
    vlm: int = 0
    template: int = 0
    overflowed: int = 0  # oldest requests pushed out of a full queue (captioned by template)
    timed_out: int = 0  # requests whose VLM call exceeded timeout_s
    failed: int = 0  # requests whose VLM call raised
    batches: int = 0


class CaptionService:
    """Caption incidents off the hot path: a worker thread batches queued requests through a captioner.

    * The queue holds ``cfg.queue_size`` requests; when full, the **oldest** is captioned by template at
      once (in the submitting thread) rather than lost, so a slow VLM bounds memory, not correctness.
    * The worker takes up to ``cfg.max_batch`` requests per call, waiting ``collect_s`` for a batch to fill.
    * A captioner call that exceeds ``cfg.timeout_s`` (or raises) yields template captions for its batch.
      The stuck call keeps its thread; later batches wait for it only within their own timeout.
    * Each result goes to ``on_caption(incident_id, caption)`` from the worker thread (or the submitter's,
      for overflow), so the callback must be thread-safe.

    Build it inside the process that runs it (a Ray actor's ``__init__``): it owns threads and a model.

    Example:
        >>> got = []
        >>> svc = CaptionService(TemplateCaptioner(), CaptionerConfig(), lambda i, c: got.append(i))
        >>> svc.start(); svc.submit(CaptionRequest("a", None, {"type": "intrusion"})); svc.wait_idle(5)
        True
        >>> svc.stop(); got
        ['a']
    """

    def __init__(self, captioner: Captioner, cfg: CaptionerConfig, on_caption: OnCaption, *,
                 collect_s: float = 0.02, fallback: TemplateCaptioner | None = None):
        self.captioner = captioner
        self.cfg = cfg
        self.on_caption = on_caption
        self.collect_s = collect_s  # higher fills bigger batches under light load, at that much added latency
        self.fallback = fallback or TemplateCaptioner()
        self.stats = CaptionStats()
        self._queue: deque[CaptionRequest] = deque()
        self._cond = threading.Condition()
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._inflight: Future | None = None

    @classmethod
    def from_config(cls, cfg: CaptionerConfig, on_caption: OnCaption, model_dir: str | None = None,
                    **kwargs) -> "CaptionService":
        return cls(build_captioner(cfg, model_dir), cfg, on_caption, **kwargs)

    # -- lifecycle ------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker (idempotent)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="caption-model")
        self._thread = threading.Thread(target=self._run, name="caption-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Caption what is queued, then stop the worker."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def submit(self, req: CaptionRequest) -> None:
        """Queue a request; if the queue is full, the oldest request is captioned by template now."""
        evicted = None
        with self._cond:
            self.stats.submitted += 1
            if len(self._queue) >= self.cfg.queue_size:
                evicted = self._queue.popleft()
                self.stats.overflowed += 1
            self._queue.append(req)
            self._cond.notify_all()
        if evicted is not None:
            self._deliver_template([evicted])

    def pending(self) -> int:
        with self._cond:
            return len(self._queue)

    def wait_idle(self, timeout: float) -> bool:
        """Block until the queue is empty and no batch is being captioned; ``False`` on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    # -- worker ---------------------------------------------------------------------------------------------
    def _take_batch(self) -> list[CaptionRequest] | None:
        with self._cond:
            while not self._queue and not self._stopping:
                self._cond.wait()
            if not self._queue:
                return None
            if len(self._queue) < self.cfg.max_batch and not self._stopping and self.collect_s > 0:
                self._cond.wait(self.collect_s)
            n = min(self.cfg.max_batch, len(self._queue))
            batch = [self._queue.popleft() for _ in range(n)]
            self._busy = True
            return batch

    def _run(self) -> None:
        while True:
            try:
                batch = self._take_batch()
                if batch is None:
                    return
                self._caption_batch(batch)
            except Exception:  # the worker must survive anything; one batch lost to template at worst
                logger.exception("caption worker error")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _caption_batch(self, batch: list[CaptionRequest]) -> None:
        self.stats.batches += 1
        if isinstance(self.captioner, TemplateCaptioner):
            self._deliver_template(batch)
            return
        deadline = time.monotonic() + self.cfg.timeout_s
        assert self._executor is not None
        if self._inflight is not None and not self._inflight.done():
            try:  # a previous call overran its timeout and still holds the model
                self._inflight.result(timeout=max(0.0, deadline - time.monotonic()))
            except FutureTimeout:
                self._timeout(batch)
                return
            except Exception:
                pass  # its failure was already handled by its own batch
        self._inflight = self._executor.submit(self.captioner.caption, batch)
        try:
            captions = self._inflight.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            self._timeout(batch)
            return
        except Exception as e:
            logger.warning("captioner %s failed on a batch of %d, using templates: %s",
                           self.captioner.model_name, len(batch), e)
            self.stats.failed += len(batch)
            self._deliver_template(batch)
            return
        for req, cap in zip(batch, captions):
            if cap.source == "vlm":
                self.stats.vlm += 1
            else:
                self.stats.template += 1
            self._emit(req.incident_id, cap)

    def _timeout(self, batch: list[CaptionRequest]) -> None:
        logger.warning("captioner %s exceeded %.3g s on a batch of %d, using templates",
                       self.captioner.model_name, self.cfg.timeout_s, len(batch))
        self.stats.timed_out += len(batch)
        self._deliver_template(batch)

    def _deliver_template(self, reqs: list[CaptionRequest]) -> None:
        for req, cap in zip(reqs, self.fallback.caption(reqs)):
            self.stats.template += 1
            self._emit(req.incident_id, cap)

    def _emit(self, incident_id: str, cap: Caption) -> None:
        try:
            self.on_caption(incident_id, cap)
        except Exception:
            logger.exception("on_caption callback failed for incident %s", incident_id)
