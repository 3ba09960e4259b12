"""The search filter fields as compact numpy arrays indexed by hnswlib label, for vectorised filtering."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from citylens.contracts import FILTER_COLUMNS, IncidentFilter
from services.store import IncidentRow, incident_attrs

# The incident columns held in memory: these as integer codes of their values, ``started_at`` as time. A
# filter field (citylens.contracts.IncidentFilter) on one of them is evaluated here as on SQL; a field on any
# other column (ids, state, severities, run_id) is SQL-only, and mask() refuses it rather than ignore it.
CODED = ("type", "camera_id", "zone", "object_class", "colour")
TIME = "started_at"
HELD = (*CODED, TIME)
# Numeric facts a query can compare ("longer than 20 minutes", "more than 15 people", "faster than 90").
# "over_limit_kmh" is speed minus the rule's limit ("40 or more over the limit").
FACTS = ("duration_s", "speed_kmh", "count", "over_limit_kmh")
_NAT = np.datetime64("NaT", "us")
_SELECT = (f"SELECT a.label, {', '.join(('a.' if c in incident_attrs.c else 'i.') + c for c in HELD)}, i.facts "
           "FROM incident_attrs a JOIN incidents i ON i.id = a.incident_id ")
_LOAD_SQL = text(_SELECT + "WHERE a.label > :lo AND a.label <= :hi")
_REFRESH_SQL = text(_SELECT + "WHERE a.label IN :labels").bindparams(bindparam("labels", expanding=True))
_TIME_OPS = {"ge": np.greater_equal, "lt": np.less}  # NaT compares False: no start time never passes


def _utc_us(value: datetime | None) -> np.datetime64:
    if value is None:
        return _NAT
    return np.datetime64(value.astimezone(timezone.utc).replace(tzinfo=None), "us")


class AttrTable:
    """Filter fields of every indexed incident, one slot per label (~15 bytes a slot: 15 MB at 1M).

    Strings are stored as integer codes (-1 = none; int16, widened to int32 past 32,767 distinct values), ``started_at`` as UTC ``datetime64[us]`` (NaT =
    none), so a filter is a handful of vectorised comparisons over the whole store (a few ms at 1M) instead
    of an SQL walk over every filtered row. The table is a cache of ``incidents`` + ``incident_attrs``: the
    ranker re-checks its final picks in SQL and calls :meth:`refresh` for any it finds stale.
    """

    def __init__(self, capacity: int = 1024, tz: str = "UTC") -> None:
        self._lock = threading.Lock()
        self._tz = ZoneInfo(tz)
        self._hour = np.full(capacity, np.nan, np.float32)  # local hour of day of started_at (0..24)
        self._wday = np.full(capacity, -1, np.int8)  # local weekday of started_at (0 = Monday, -1 = none)
        self._facts = {name: np.full(capacity, np.nan, np.float32) for name in FACTS}
        self._vocab: dict[str, dict[str, int]] = {name: {} for name in CODED}
        self._codes = {name: np.full(capacity, -1, np.int16) for name in CODED}
        self._started = np.full(capacity, _NAT, "datetime64[us]")
        self._alive = np.zeros(capacity, bool)

    def __len__(self) -> int:
        return int(self._alive.sum())

    def _code(self, name: str, value: str | None) -> int:
        if value is None:
            return -1
        vocab = self._vocab[name]
        code = vocab.get(value)
        if code is None:
            code = vocab[value] = len(vocab)
            if code > np.iinfo(self._codes[name].dtype).max:
                # Codes start as int16 (compact); a field with more distinct values (a city's cameras over its
                # lifetime) widens to int32 once, in place of refusing the value.
                self._codes[name] = self._codes[name].astype(np.int32)
        return code

    def _grow(self, top: int) -> None:
        size = len(self._alive)
        if top < size:
            return
        new = max(top + 1, 2 * size)
        for name, arr in self._codes.items():
            self._codes[name] = np.concatenate([arr, np.full(new - size, -1, arr.dtype)])
        self._started = np.concatenate([self._started, np.full(new - size, _NAT, "datetime64[us]")])
        self._hour = np.concatenate([self._hour, np.full(new - size, np.nan, np.float32)])
        self._wday = np.concatenate([self._wday, np.full(new - size, -1, np.int8)])
        for name, arr in self._facts.items():
            self._facts[name] = np.concatenate([arr, np.full(new - size, np.nan, np.float32)])
        self._alive = np.concatenate([self._alive, np.zeros(new - size, bool)])

    def _local_hour(self, at: datetime | None) -> float:
        if at is None:
            return float("nan")
        loc = (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(self._tz)
        return loc.hour + loc.minute / 60.0 + loc.second / 3600.0

    def _local_wday(self, at: datetime | None) -> int:
        if at is None:
            return -1
        return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(self._tz).weekday()

    def set(self, label: int, facts=None, **columns) -> None:
        """Record (or replace) one incident: ``columns`` by name (:data:`HELD`; a missing one is None)."""
        values = fact_values(facts)
        started_at = columns.get(TIME)
        with self._lock:
            self._grow(label)
            for name in CODED:
                self._codes[name][label] = self._code(name, columns.get(name))
            self._started[label] = _utc_us(started_at)
            self._hour[label] = self._local_hour(started_at)
            self._wday[label] = self._local_wday(started_at)
            for name in FACTS:
                self._facts[name][label] = values[name]
            self._alive[label] = True

    def known(self, labels: np.ndarray) -> np.ndarray:
        """Boolean per label: True where the table holds the incident."""
        labels = np.asarray(labels, np.int64)
        with self._lock:
            ok = labels < len(self._alive)
            ok[ok] = self._alive[labels[ok]]
        return ok

    def set_row(self, label: int, row: IncidentRow, colour: str | None) -> None:
        """Record an incident from its row and the colour the index derived for it (``incident_attrs``)."""
        self.set(label, facts=row.facts, **{c: colour if c in incident_attrs.c else getattr(row, c) for c in HELD})

    def drop(self, labels: Sequence[int]) -> None:
        """Forget incidents (deleted, or found stale by the ranker's SQL re-check)."""
        with self._lock:
            for label in labels:
                if 0 <= label < len(self._alive):
                    self._alive[label] = False

    def refresh(self, session: Session, labels: Sequence[int]) -> None:
        """Re-read ``labels`` from the store (found stale by the ranker): gone ones are forgotten."""
        rows = session.execute(_REFRESH_SQL, {"labels": list(labels)}).all()
        self.drop(labels)
        for label, *held, facts in rows:
            columns = dict(zip(HELD, held))
            columns[TIME] = _naive_utc(columns[TIME])
            self.set(int(label), facts=_json(facts), **columns)

    def load(self, session: Session, chunk: int = 200_000) -> int:
        """Fill the table from the store, ``chunk`` labels at a time (bounded transient memory)."""
        top = int(session.execute(text("SELECT COALESCE(MAX(label), 0) FROM incident_attrs")).scalar_one())
        with self._lock:
            self._grow(top)
        n = 0
        for lo in range(0, top, chunk):
            rows = session.execute(_LOAD_SQL, {"lo": lo, "hi": lo + chunk}).all()
            if not rows:
                continue
            cols = list(zip(*rows))
            labels = np.asarray(cols[0], np.int64)
            with self._lock:
                held = dict(zip(HELD, cols[1:-1]))
                for name in CODED:
                    codes = [self._code(name, v) for v in held[name]]  # may widen the field's array first
                    self._codes[name][labels] = np.asarray(codes, self._codes[name].dtype)
                # SQLite hands back the stored naive-UTC text ('YYYY-MM-DD HH:MM:SS[.ffffff]'), PostgreSQL a
                # naive-UTC datetime; numpy parses both.
                self._started[labels] = np.array([v if v else "NaT" for v in held[TIME]], "datetime64[us]")
                self._hour[labels] = [self._local_hour(_naive_utc(v)) for v in held[TIME]]
                self._wday[labels] = [self._local_wday(_naive_utc(v)) for v in held[TIME]]
                vals = [fact_values(_json(v)) for v in cols[-1]]
                for name in FACTS:
                    self._facts[name][labels] = [v[name] for v in vals]
                self._alive[labels] = True
            n += len(labels)
        return n

    def _field(self, name: str, value, n: int) -> np.ndarray:
        """Labels ``0..n-1`` that pass the filter field ``name`` = ``value``, through the column the contract
        declares for it (:data:`citylens.contracts.FILTER_COLUMNS`), as the SQL translation reads it. Lock held."""
        col = FILTER_COLUMNS[name]
        if col.name == TIME:
            return _TIME_OPS[col.op](self._started[:n], _utc_us(value))
        if col.name not in self._codes:
            raise ValueError(f"filter field {name!r} tests {col.name!r}, which the search's attribute table does not "
                             f"hold (it holds {', '.join(HELD)}); filter on it in SQL")
        vocab = self._vocab[col.name]
        # A lookup table indexed by code beats np.isin ~4x; its extra last slot serves code -1 (none).
        lut = np.zeros(len(vocab) + 1, bool)
        lut[[vocab[v] for v in (value if col.op == "in" else (value,)) if v in vocab]] = True
        return lut[self._codes[col.name][:n]]

    def mask(self, f: IncidentFilter) -> np.ndarray:
        """Boolean array over labels: True where the incident passes every field of ``f``."""
        with self._lock:
            m = self._alive.copy()
            for name, value in f.set_fields().items():
                m &= self._field(name, value, len(m))
        return m

    def refine(self, m: np.ndarray, *, exclude=None, facts=(), hours: tuple[float, float] | None = None,
               weekdays: tuple[int, ...] | None = None) -> np.ndarray:
        """``m`` narrowed by exclusions (each field set in ``exclude`` removes what it matches; ``since`` and
        ``until`` together remove the one window between them), fact bounds, a recurring local hour window and
        the local weekdays allowed (0 = Monday; "except weekends" is 0-4)."""
        with self._lock:
            n = len(m)
            if exclude is not None:
                fields = exclude.set_fields()
                # an excluded time is one window ("not last night", "except yesterday"): since and until together
                window = [self._field(k, fields.pop(k), n) for k in ("since", "until") if k in fields]
                if window:
                    m = m & ~np.logical_and.reduce(window)
                for name, value in fields.items():
                    m = m & ~self._field(name, value, n)
            for b in facts:
                col = self._facts[b.fact][:n]
                with np.errstate(invalid="ignore"):
                    m = m & ((col > b.value) if b.op == "gt" else (col < b.value))
            if hours is not None:
                lo, hi = hours
                h = self._hour[:n]
                with np.errstate(invalid="ignore"):
                    if hi <= 24:
                        m = m & (h >= lo) & (h < hi)
                    else:  # runs past midnight
                        m = m & ((h >= lo) | (h < hi - 24))
            if weekdays is not None:
                m = m & np.isin(self._wday[:n], np.asarray(weekdays, np.int8))
        return m

    def level(self, soft: IncidentFilter, n: int) -> tuple[np.ndarray, int]:
        """How many soft preferences (fields set in ``soft``) each label meets (int8 array of length ``n``) and
        how many there are."""
        out = np.zeros(n, np.int8)
        prefs = soft.set_fields()
        with self._lock:
            for name, value in prefs.items():
                out += self._field(name, value, n)
        return out, len(prefs)

    def started(self, labels: np.ndarray) -> np.ndarray:
        with self._lock:
            return self._started[labels]


def _naive_utc(v: str | datetime | None) -> datetime | None:
    """A started_at read by raw SQL (naive UTC: text from SQLite, a datetime from PostgreSQL) as aware UTC."""
    if v is None or v == "":
        return None
    at = datetime.fromisoformat(v) if isinstance(v, str) else v
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at


def _json(v) -> dict:
    if isinstance(v, dict):
        return v
    try:
        return json.loads(v) if v else {}
    except (TypeError, ValueError):
        return {}


def fact_values(facts) -> dict[str, float]:
    """The comparable numeric facts of an incident (NaN where absent): duration at close, speed, count."""
    if hasattr(facts, "model_dump"):  # citylens.contracts.IncidentFacts
        facts = facts.model_dump(exclude_none=True)
    f = facts or {}

    def num(*keys: str) -> float:
        for k in keys:
            v = f.get(k)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                return float(v)
        return float("nan")

    dur = num("duration_s")
    dwell = num("dwell_s")
    speed = num("speed_kmh", "max_speed_kmh")
    return {"duration_s": np.nanmax([dur, dwell]) if not (np.isnan(dur) and np.isnan(dwell)) else float("nan"),
            "speed_kmh": speed, "count": num("count"), "over_limit_kmh": speed - num("limit_kmh")}


def label_filter(allowed: np.ndarray) -> Callable[[int], bool]:
    """An hnswlib ``knn_query(filter=...)`` callable for a boolean mask indexed by label.

    hnswlib calls it once per visited node (~1 us each): set membership is the cheapest callable, but
    building a set of 100k+ labels costs more than it saves, so big masks are tested through a bytes copy.
    """
    passing = np.flatnonzero(allowed)
    if len(passing) <= 20_000:
        return set(passing.tolist()).__contains__
    flags, n = allowed.astype(np.uint8).tobytes(), len(allowed)
    return lambda label: label < n and flags[label] == 1


__all__ = ["AttrTable", "label_filter"]
