"""Filtered semantic ranking over the in-memory attribute table and the int8 vector copy."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import hnswlib
import numpy as np
import pytest
from sqlalchemy import select

from citylens.bench.synth import CAMERA_NAMES, TZ, ZONES, random_incident
from citylens.contracts import FILTER_COLUMNS, IncidentFilter
from services.search import SearchIndex
from services.search.attrs import HELD
from services.search.rank import semantic_ranking
from services.search.vecs import QuantizedVectors
from services.store import IncidentRow, Store, incident_attrs, incident_column, incident_where
from tests.pg import store_url_for

START = datetime(2024, 3, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def indexed(request, tmp_path_factory):
    d = tmp_path_factory.mktemp("search_filtered")
    store = Store(store_url_for(request, request.param, d), d / "media")
    index = SearchIndex(store, tz=TZ, cameras=CAMERA_NAMES, zones=ZONES, background=False)
    rng = random.Random(5)
    with store.session() as s:
        for i in range(300):
            store.upsert_incident(random_incident(f"inc-{i}", rng, START, START + timedelta(days=10)), session=s)
    index.flush()
    yield store, index
    index.close()
    store.close()


def _sql_labels(store: Store, f: IncidentFilter) -> set[int]:
    """Labels of the incidents the store's SQL translation of ``f`` passes."""
    stmt = (select(incident_attrs.c.label).select_from(IncidentRow)
            .join(incident_attrs, incident_attrs.c.incident_id == IncidentRow.id).where(*incident_where(f)))
    with store.session() as s:
        return {int(r[0]) for r in s.execute(stmt)}


@pytest.mark.parametrize("f", [
    IncidentFilter(classes=("person",)),
    IncidentFilter(colours=("red", "blue"), since=START + timedelta(days=3)),
    IncidentFilter(until=START + timedelta(days=5), zones=("gate", "bus lane")),
])
def test_the_attribute_mask_passes_exactly_the_incidents_the_sql_filters_pass(indexed, f):
    store, index = indexed
    mask = index.attrs.mask(f)
    assert set(np.flatnonzero(mask).tolist()) == _sql_labels(store, f)


def test_an_excluded_time_window_removes_only_the_incidents_inside_it(indexed):
    """Exclusions remove each field's matches; ``since`` and ``until`` together are one window ("not yesterday")."""
    store, index = indexed
    a, b = START + timedelta(days=3), START + timedelta(days=5)
    everything = index.attrs.mask(IncidentFilter())
    kept = index.attrs.refine(everything, exclude=IncidentFilter(since=a, until=b, colours=("red",)))
    inside = _sql_labels(store, IncidentFilter(since=a, until=b))
    red = _sql_labels(store, IncidentFilter(colours=("red",)))
    assert inside and set(np.flatnonzero(kept).tolist()) == set(np.flatnonzero(everything).tolist()) - inside - red


def test_a_weekday_mask_keeps_only_incidents_started_on_those_local_weekdays(indexed):
    """``weekdays`` ("except weekends", "on Mondays") is read on the local calendar, as ``hours`` is."""
    from zoneinfo import ZoneInfo
    store, index = indexed
    everything = index.attrs.mask(IncidentFilter())
    kept = set(np.flatnonzero(index.attrs.refine(everything, weekdays=(0, 1, 2, 3, 4))).tolist())
    with store.session() as s:
        rows = s.execute(select(incident_attrs.c.label, IncidentRow.started_at)
                         .join(incident_attrs, incident_attrs.c.incident_id == IncidentRow.id)).all()
    local = {int(lab): at.replace(tzinfo=at.tzinfo or timezone.utc).astimezone(ZoneInfo(TZ)).weekday() for lab, at in rows}
    assert kept and kept == {lab for lab, wd in local.items() if wd < 5} and len(kept) < len(local)


def test_random_filters_select_the_same_incidents_in_sql_and_in_the_attribute_mask(indexed):
    """The mask and the SQL translation read one declaration (FILTER_COLUMNS): any filter over the columns
    the attribute table holds passes the same incidents both ways; a field on another column is refused."""
    store, index = indexed
    held = {name: col for name, col in FILTER_COLUMNS.items() if col.name in HELD}
    assert {"since", "until", "cameras", "zones", "types", "classes", "colours"} <= set(held)
    with store.session() as s:
        joined = select().select_from(IncidentRow).join(incident_attrs, incident_attrs.c.incident_id == IncidentRow.id)
        seen = {name: sorted(v for (v,) in s.execute(joined.add_columns(incident_column(col.name)).distinct()) if v)
                for name, col in held.items() if col.op in ("in", "eq")}
    rng = random.Random(11)
    sizes = []
    for _ in range(150):
        kw: dict = {}
        for name, col in held.items():
            if rng.random() > 0.35:
                continue
            if col.op in ("ge", "lt"):
                kw[name] = START + timedelta(hours=rng.uniform(-24, 11 * 24))
            else:
                pool = seen[name] + ["no-such-value"]
                kw[name] = tuple(rng.sample(pool, rng.randint(1, min(3, len(pool)))))
        f = IncidentFilter(**kw)
        sql = _sql_labels(store, f)
        assert set(np.flatnonzero(index.attrs.mask(f)).tolist()) == sql, f
        sizes.append(len(sql))
    assert sum(0 < n < 300 for n in sizes) >= 50  # most draws narrow without emptying: the test has teeth
    for name, col in FILTER_COLUMNS.items():
        if col.name not in HELD:
            with pytest.raises(ValueError, match="does not hold"):
                index.attrs.mask(IncidentFilter(**{name: "x" if col.op == "eq" else ("x",)}))


def test_filtered_semantic_ranking_is_the_exact_cosine_order_of_the_filtered_incidents(indexed):
    store, index = indexed
    f = IncidentFilter(classes=("person",))
    allowed = sorted(_sql_labels(store, f))
    qvec = index.encode_query("someone hanging around")
    vecs = np.asarray(index._hnsw.get_items(allowed, return_type="numpy"), np.float32)
    exact = [allowed[i] for i in np.argsort(-(vecs @ qvec))[:10]]
    with store.session() as s:
        got = semantic_ranking(index, s, f, "someone hanging around", 10)
    assert len(set(got) & set(exact)) >= 9  # int8 copy: ties within ~1e-3 may swap at the boundary


def test_a_stale_attribute_entry_never_lets_a_non_matching_incident_through(indexed):
    store, index = indexed
    f = IncidentFilter(classes=("person",))
    outsider = min(_sql_labels(store, IncidentFilter(classes=("car",))))
    # Pretend another writer changed the incident behind the table's back: the table now says "person".
    index.attrs.set(outsider, type="loitering", camera_id="cam-main5", zone="gate", object_class="person",
                    started_at=START)
    with store.session() as s:
        got = semantic_ranking(index, s, f, "car", 300)
    assert outsider not in got
    assert set(got) <= _sql_labels(store, f)
    assert not index.attrs.mask(f)[outsider]  # the SQL re-check re-read the stale entry
    assert index.attrs.mask(IncidentFilter(classes=("car",)))[outsider]


def test_deleting_incidents_removes_them_from_the_attribute_table(indexed):
    store, index = indexed
    f = IncidentFilter(classes=("car",))
    with store.session() as s:
        from sqlalchemy import text

        victim, label = s.execute(text("SELECT incident_id, label FROM incident_attrs ORDER BY label DESC LIMIT 1")).one()
        store.delete_incidents(s, [victim])
    assert not index.attrs.mask(IncidentFilter())[int(label)]
    assert set(np.flatnonzero(index.attrs.mask(f)).tolist()) == _sql_labels(store, f)


def test_the_int8_copy_reads_a_saved_hnswlib_file_back_to_the_same_vectors(tmp_path):
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(500, 32)).astype(np.float32)
    labels = np.arange(10, 510)
    idx = hnswlib.Index(space="cosine", dim=32)
    idx.init_index(max_elements=1000, ef_construction=50, M=8)
    idx.add_items(vecs, labels)
    idx.save_index(str(tmp_path / "v.hnsw"))
    loaded = hnswlib.Index(space="cosine", dim=32)
    loaded.load_index(str(tmp_path / "v.hnsw"), max_elements=0)
    copy = QuantizedVectors.copy_of(loaded, set(labels.tolist()), tmp_path / "v.hnsw")
    unit = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
    assert copy.has(labels).all()
    np.testing.assert_allclose(copy.similarities(unit[0], labels), unit @ unit[0], atol=0.01)
