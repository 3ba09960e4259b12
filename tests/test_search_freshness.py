"""Freshness: ``semantic_pending`` counts the batch being embedded, so "0" really means every stored incident can
be found by meaning (issue 9: it read 0 for the 5-12 s a 256-incident batch took to embed)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from citylens.bench.synth import make_incident
from services.search import SearchIndex, search, shared_embedder

pytestmark = pytest.mark.slow  # real MiniLM embeddings
STORE_BACKENDS = ("sqlite", "postgresql")  # the `store` fixture runs each test on both (tests/conftest.py)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


class GatedEmbedder:
    """The real embedder, held at a gate while a test looks at the index mid-batch (test instrumentation only)."""

    def __init__(self) -> None:
        self.real = shared_embedder()
        self.name = self.real.name
        self.entered = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def encode(self, texts):
        self.entered.set()
        assert self.release.wait(30), "the test never released the gate"
        return self.real.encode(texts)


def test_pending_counts_the_batch_in_flight_and_reads_zero_only_once_it_is_searchable(store):
    emb = GatedEmbedder()
    index = SearchIndex(store, tz="UTC", embedder=emb, background=False)
    try:
        index.parse("umbrella")  # the model, the type prototypes and this query's vector load outside the gate
        emb.release.clear()
        emb.entered.clear()
        for i in range(5):
            store.upsert_incident(make_incident(f"inc-{i}", camera_id="cam-1", type_="loitering", zone="gate", cls="person",
                                                colour="red", at=T0 + timedelta(minutes=i),
                                                caption="A man with a red umbrella waits by the gate."))
        assert index.pending == 5
        worker = threading.Thread(target=index.flush)
        worker.start()
        assert emb.entered.wait(30)
        # the whole batch has left the queue and is being embedded: still pending
        assert index.pending == 5
        assert search(store, "umbrella", index=index).semantic_pending == 5
        emb.release.set()
        worker.join(30)
        assert index.pending == 0
        labels, _ = index.knn(index.encode_query("someone holding a parasol"), 10)
        assert len(labels) == 5  # every stored incident is now in the vector index
        assert search(store, "umbrella", index=index).semantic_pending == 0
    finally:
        emb.release.set()
        index.close()
