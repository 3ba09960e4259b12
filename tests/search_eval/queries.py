"""Labelled queries: templates x paraphrases x a generated city, each with its relevant / don't-care incidents.

Windows are the evaluation's own reading of time words (core hours; incidents within a band around a fuzzy
edge such as "evening" are don't-care, neither rewarded nor penalised). Every query is built around a target
incident, then labelled against the whole corpus; the split is by a hash of the query text.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.search_eval import phrasing as P
from tests.search_eval.city import CAMERAS, TZ, Incident

Z = ZoneInfo(TZ)
Interval = tuple[datetime, datetime]
_ORD = {1: "1st", 2: "2nd", 3: "3rd", 21: "21st", 22: "22nd", 23: "23rd", 31: "31st"}
_WD = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def ordinal(n: int) -> str:
    return _ORD.get(n, f"{n}th")


@dataclass
class Intent:
    times: list[Interval] | None = None  # relevant start times (local intervals); None = any
    fuzzy: list[Interval] = field(default_factory=list)  # don't-care start times around fuzzy edges
    places: set[str] | None = None  # camera ids and "zone:<name>"
    types: set[str] | None = None
    classes: set[str] | None = None
    colours: set[str] | None = None
    not_types: set[str] = field(default_factory=set)
    not_classes: set[str] = field(default_factory=set)
    fact: tuple[str, str, float] | None = None  # (fact, "gt"|"lt", value in stored units)
    newest: bool = False


@dataclass
class Query:
    text: str
    category: str
    lang: str
    intent: Intent
    relevant: list[str] = field(default_factory=list)  # ids; for `newest`, exactly one
    ignore: set[str] = field(default_factory=set)
    split: str = "dev"


def _in(t: datetime, ivs: list[Interval]) -> bool:
    return any(a <= t < b for a, b in ivs)


def _fact(inc: Incident, name: str) -> float | None:
    f = inc.revisions[-1].facts.model_dump(exclude_none=True)  # what the system was told last (an open incident
    # only knows its first seconds)
    if name == "duration_min":
        return (f.get("duration_s") or 0) / 60.0 if "duration_s" in f else None
    if name == "count":
        return f.get("count") if inc.cls == "person" or inc.type == "crowding" else None
    if name == "vehicles":
        return f.get("count") if inc.type == "congestion" else None
    if name == "speed":
        return f.get("speed_kmh")
    return None


def label(inc: Incident, it: Intent) -> str:
    """'rel', 'ignore' or 'no' for one incident under an intent."""
    local = inc.local
    if it.places is not None and not ({inc.camera.id, f"zone:{inc.zone}"} & it.places):
        return "no"
    if it.types is not None and inc.type not in it.types:
        return "no"
    if inc.type in it.not_types or (inc.cls in it.not_classes):
        return "no"
    if it.classes is not None and inc.cls not in it.classes:
        return "no"
    if it.colours is not None and inc.colour not in it.colours:
        return "no"
    if it.fact is not None:
        v = _fact(inc, it.fact[0])
        if v is None:
            return "no"
        lo = it.fact[2]
        if abs(v - lo) <= max(0.02 * lo, 0.2):
            return "ignore"
        if (it.fact[1] == "gt" and v <= lo) or (it.fact[1] == "lt" and v >= lo):
            return "no"
    if it.times is not None:
        if _in(local, it.fuzzy):
            return "ignore"
        if not _in(local, it.times):
            return "no"
    return "rel"


# ------------------------------------------------------------------------------------------------ time words
def _at(d: date, h: float) -> datetime:
    return datetime.combine(d, time(0), tzinfo=Z) + timedelta(hours=h)


def _band(d: date, core: tuple[float, float], fuzz: float = 1.0) -> tuple[Interval, list[Interval]]:
    a, b = core
    return (_at(d, a), _at(d, b)), [(_at(d, a - fuzz), _at(d, a + fuzz * 0.5)), (_at(d, b - fuzz * 0.5), _at(d, b + fuzz))]


PARTS = {"morning": (6.5, 11.5), "afternoon": (12.5, 17.5), "evening": (18.5, 21.5), "night": (22.5, 29.5),
         "lunchtime": (12.0, 14.0), "evening peak": (16.5, 19.0), "morning rush hour": (7.5, 9.5), "after dark": (21.0, 29.5)}


def time_phrases(t: Incident, now: datetime, rng: random.Random) -> list[tuple[str, str, list[Interval], list[Interval]]]:
    """(phrase before, phrase after, intervals, fuzzy) that hold the target's start, in many shapes."""
    lt, ln = t.local, now.astimezone(Z)
    today, d = ln.date(), lt.date()
    age = (today - d).days
    hour = lt.hour + lt.minute / 60
    out = []

    def part_of(h: float) -> str | None:
        for name in ("morning", "afternoon", "evening"):
            a, b = PARTS[name]
            if a + 0.25 <= h < b - 0.25:
                return name
        return None

    def day_words(dd: date) -> list[str]:
        k = (today - dd).days
        w = []
        if k == 0:
            w.append("today")
        if k == 1:
            w.append("yesterday")
        if 1 <= k <= 6:
            w += [f"on {_WD[dd.weekday()]}", f"last {_WD[dd.weekday()]}"]
        if 2 <= k <= 25:
            w += [f"on the {ordinal(dd.day)}", f"on {dd.day} {dd.strftime('%B')}"]
        return w

    p = part_of(hour)
    for dw in day_words(d):
        iv = [(_at(d, 0), _at(d, 24))]
        out.append((dw, "", iv, [(_at(d, -0.2), _at(d, 0.2)), (_at(d, 23.8), _at(d, 24.2))]))
        if p:
            core, fz = _band(d, PARTS[p])
            pref = "this" if dw == "today" else dw
            out.append((f"{pref} {p}" if dw in ("today", "yesterday") or dw.startswith("last") else f"{dw} in the {p}", "", [core], fz))
            if dw == "yesterday":
                out.append(("yesterday", f"in the {p}", [core], fz))
            if dw.startswith("on the "):
                out.append((f"the {p} of the {dw[7:]}", "", [core], fz))
    if 20.5 <= hour < 23.5 and 1 <= age <= 6:
        core, fz = _band(d, (20.0, 24.0))
        out.append((f"late {_WD[d.weekday()]}", "", [core], fz))
    if 12.25 <= hour < 13.75:
        days = [today - timedelta(days=k) for k in range(0, 29)]
        ivs, fz = zip(*[_band(x, PARTS["lunchtime"]) for x in days])
        out.append(("around lunchtime", "", list(ivs), [f for fs in fz for f in fs]))
        if age == 1:
            core, f1 = _band(d, PARTS["lunchtime"])
            out.append(("yesterday around lunchtime", "", [core], f1))
    if 16.75 <= hour < 18.75 and age <= 6:
        core, fz = _band(d, PARTS["evening peak"])
        out.append((f"{'during the evening peak today' if age == 0 else 'in the evening peak ' + day_words(d)[0]}", "", [core], fz))
    if hour >= 22.5 or hour < 5.5:
        days = [today - timedelta(days=k) for k in range(-1, 30)]
        ivs, fz = zip(*[_band(x, PARTS["after dark"], 1.5) for x in days])
        out.append((rng.choice(["after dark", "at night"]), "", list(ivs), [f for fs in fz for f in fs]))
        nd = d if hour >= 12 else d - timedelta(days=1)
        if (today - nd).days == 1:
            core, fz1 = _band(nd, (22.5, 29.5), 1.5)
            out.append(("last night", "", [core], fz1))
        if 22.5 <= hour and 1 <= age <= 6:
            out.append((f"after 10pm on {_WD[d.weekday()]}", "", [(_at(d, 22), _at(d, 30))], [(_at(d, 21.9), _at(d, 22.1)), (_at(d, 29), _at(d, 31))]))
    mins = (ln - lt).total_seconds() / 60
    if mins < 170:
        for n, unit, word in ((90, 1, "minutes"), (3, 60, "hours"), (2, 60, "hours")):
            span = n * unit
            if mins < span - 5:
                out.append((f"in the past {n} {word}", "", [(ln - timedelta(minutes=span), ln + timedelta(hours=1))],
                            [(ln - timedelta(minutes=span + 5), ln - timedelta(minutes=span - 5))]))
                break
    monday = today - timedelta(days=today.weekday())
    if d >= monday:
        out.append(("this week", "", [(_at(monday, 0), ln + timedelta(hours=1))], [(_at(monday, -0.2), _at(monday, 0.2))]))
    sat = today - timedelta(days=today.weekday() - 5) if today.weekday() >= 5 else today - timedelta(days=today.weekday() + 2)
    if sat <= d < sat + timedelta(days=2):
        out.append((rng.choice(["over the weekend", "at the weekend", "last weekend"]), "", [(_at(sat, 0), _at(sat, 48))],
                    [(_at(sat, -0.2), _at(sat, 0.2)), (_at(sat, 47.8), _at(sat, 48.2))]))
    if 2 <= age <= 20:
        out.append((f"{age} days ago", "", [(_at(d, 0), _at(d, 24))], [(_at(d, -0.2), _at(d, 0.2)), (_at(d, 23.8), _at(d, 24.2))]))
    if 13.25 <= hour < 15.75 and age == 1:
        out.append(("yesterday between 1 and 4 pm", "", [(_at(d, 13), _at(d, 16))], [(_at(d, 12.95), _at(d, 13.05)), (_at(d, 15.95), _at(d, 16.05))]))
    return out


# --------------------------------------------------------------------------------------------- generation
def _place_key(inc: Incident, rng: random.Random, zone_first: bool) -> str | None:
    zk = f"zone:{inc.zone}"
    if zone_first and zk in P.PLACE_EN:
        return zk
    return inc.camera.id if inc.camera.id in P.PLACE_EN else None


def _place_set(key: str) -> set[str]:
    return {key}


def _type_words(type_: str, rng: random.Random) -> str:
    return rng.choice(P.TYPE_EN[type_])


def implied_classes(phrase: str, lang: str = "en") -> set[str] | None:
    """A type phrase that names an object ("a stalled car", "camión parado") also asks for that class."""
    words = P.CLASS_EN if lang == "en" else P.CLASS_ES if lang == "es" else {}
    out: set[str] = set()
    for w in re.findall(r"[^\W\d_]+", phrase.lower()):
        out |= words.get(w, set())
    return out or None


def _finish(q: Query, corpus: list[Incident], *, max_rel: int = 12, min_rel: int = 1) -> Query | None:
    rel, ign = [], set()
    for inc in corpus:
        lab = label(inc, q.intent)
        if lab == "rel":
            rel.append(inc)
        elif lab == "ignore":
            ign.add(inc.id)
    if q.intent.newest:
        if not rel:
            return None
        rel.sort(key=lambda i: i.started_at)
        q.relevant, q.ignore = [rel[-1].id], set()
        return q
    if len(rel) < min_rel or len(rel) > max_rel:
        return None
    q.relevant, q.ignore = [i.id for i in rel], ign
    return q


def _with_time(base: str, t: Incident, now: datetime, rng: random.Random, it: Intent) -> str | None:
    shapes = time_phrases(t, now, rng)
    if not shapes:
        return None
    pre, post, ivs, fz = rng.choice(shapes)
    it.times, it.fuzzy = ivs, fz
    return f"{base} {pre}{(' ' + post) if post else ''}".strip() if rng.random() < 0.6 else f"{pre} {base}{(' ' + post) if post else ''}".strip()


def generate(corpus: list[Incident], now: datetime, seed: int = 1) -> list[Query]:
    """About 260 labelled queries over ``corpus`` (relative times resolved against ``now``)."""
    rng = random.Random(seed)
    out: list[Query] = []
    seen: set[str] = set()

    def add(q: Query | None) -> None:
        if q is not None and q.text.lower() not in seen:
            seen.add(q.text.lower())
            out.append(q)

    def n_of(cat: str) -> int:
        return sum(1 for q in out if q.category == cat)

    pool = list(corpus)
    tries = 0
    # time: type (+ place) + a time phrase of some shape
    while n_of("time") < 60 and tries < 5000:
        tries += 1
        t = rng.choice(pool)
        base = _type_words(t.type, rng)
        it = Intent(types={t.type}, classes=implied_classes(base))
        if rng.random() < 0.5 and (pk := _place_key(t, rng, False)):
            it.places = {pk}
            base += " at " + rng.choice(P.PLACE_EN[pk])
        text = _with_time(base, t, now, rng, it)
        if text:
            add(_finish(Query(text, "time", "en", it), corpus))
    # place: names and aliases holding class words
    tries = 0
    while n_of("place") < 40 and tries < 5000:
        tries += 1
        t = rng.choice(pool)
        pk = _place_key(t, rng, True)
        if pk is None:
            continue
        tw = _type_words(t.type, rng)
        it = Intent(types={t.type}, places={pk}, classes=implied_classes(tw))
        base = f"{tw} at {rng.choice(P.PLACE_EN[pk])}"
        if t.colour and rng.random() < 0.5 and t.type in P.CLASS_FOR_TYPE:
            word = rng.choice(P.CLASS_FOR_TYPE[t.type])
            if t.cls in P.CLASS_EN[word]:
                it.classes, it.colours = P.CLASS_EN[word], {t.colour}
                base = f"{t.colour} {word} " + base.split(" ", 1)[1] if False else f"{t.colour} {word}, {base}"
        text = base if rng.random() < 0.4 else _with_time(base, t, now, rng, it)
        if text:
            add(_finish(Query(text, "place", "en", it), corpus))
    # soft: places named only through their descriptions
    tries = 0
    while n_of("soft") < 25 and tries < 5000:
        tries += 1
        phrase, keys = rng.choice(P.NEAR_EN)
        cand = [i for i in pool if f"zone:{i.zone}" in keys]
        if not cand:
            continue
        t = rng.choice(cand)
        tw = _type_words(t.type, rng)
        it = Intent(types={t.type}, places=set(keys), classes=implied_classes(tw))
        text = _with_time(f"{tw} {phrase}", t, now, rng, it)
        if text:
            add(_finish(Query(text, "soft", "en", it), corpus))
    # negation: a place and a day, minus one type or class
    tries = 0
    while n_of("negation") < 25 and tries < 5000:
        tries += 1
        t = rng.choice(pool)
        if t.camera.id not in P.PLACE_EN:
            continue
        others = [ty for ty, _ in t.camera.rules if ty != t.type]
        if not others:
            continue
        it = Intent(places={t.camera.id})
        if rng.random() < 0.7:
            ex = rng.choice(others)
            it.not_types = {ex}
            x = rng.choice(P.TYPE_EN[ex]).removeprefix("a ").removeprefix("an ")
        else:
            if t.cls == "person":
                continue
            it.not_classes = {"person"}
            x = rng.choice(["pedestrians", "people", "persons"])
        neg = rng.choice(P.NEGATION_EN).format(x=x)
        text = _with_time(f"{rng.choice(['incidents', 'alerts', 'events'])} at {rng.choice(P.PLACE_EN[t.camera.id])}, {neg}",
                          t, now, rng, it)
        if text:
            add(_finish(Query(text, "negation", "en", it), corpus, max_rel=40))
    # numeric comparisons on facts
    tries = 0
    while n_of("numeric") < 30 and tries < 5000:
        tries += 1
        t = rng.choice(pool)
        kind = rng.choice(list(P.NUMERIC_EN))
        f = t.facts
        if kind.startswith("duration") and t.type in ("loitering", "stopped_vehicle", "illegal_parking", "abandoned_object"):
            m = f["duration_s"] / 60
            n = max(2, int(m * (0.6 if kind.endswith("gt") else 1.6)) // 5 * 5 or 2)
            if kind.endswith("lt") and n >= 60:
                continue
            fact = ("duration_min", kind[-2:], float(n))
        elif kind == "count_gt" and t.type == "crowding":
            n = max(5, int(f["count"] * 0.7) // 5 * 5)
            fact = ("count", "gt", float(n))
        elif kind == "vehicles_gt" and t.type == "congestion":
            n = max(5, int(f["count"] * 0.7) // 5 * 5)
            fact = ("vehicles", "gt", float(n))
        elif kind == "speed_gt" and t.type == "speeding":
            n = int(f["speed_kmh"] * 0.9) // 10 * 10
            fact = ("speed", "gt", float(n))
        else:
            continue
        it = Intent(types={t.type}, fact=fact)
        tw = _type_words(t.type, rng) if t.type != "crowding" else rng.choice(["crowd", "gathering", "crowding"])
        if t.type == "congestion":
            tw = rng.choice(["traffic jam", "congestion", "queue"])
        it.classes = implied_classes(tw)
        base = f"{tw} {rng.choice(P.NUMERIC_EN[kind]).format(n=n)}"
        if (pk := _place_key(t, rng, False)) and rng.random() < 0.7:
            it.places = {pk}
            base += " at " + rng.choice(P.PLACE_EN[pk])
        text = base if rng.random() < 0.5 else _with_time(base, t, now, rng, it)
        if text:
            add(_finish(Query(text, "numeric", "en", it), corpus, max_rel=30))
    # recency: the newest matching incident
    tries = 0
    while n_of("recency") < 20 and tries < 5000:
        tries += 1
        t = rng.choice(pool)
        it = Intent(types={t.type}, newest=True)
        x = _type_words(t.type, rng).removeprefix("a ").removeprefix("an ").removeprefix("someone ")
        it.classes = implied_classes(x)
        base = rng.choice(P.RECENCY_EN).format(x=x)
        if (pk := _place_key(t, rng, rng.random() < 0.5)):
            it.places = {pk}
            base += " at " + rng.choice(P.PLACE_EN[pk])
        add(_finish(Query(base, "recency", "en", it), corpus))
    # no answer: things the system never detects, with a real place and time around them
    for i, thing in enumerate(P.NO_ANSWER_EN):
        t = rng.choice(pool)
        it = Intent(types=set())
        pk = _place_key(t, rng, False)
        text = thing + (f" at {rng.choice(P.PLACE_EN[pk])}" if pk and i % 2 == 0 else "")
        if i % 3 == 0:
            text = _with_time(text, t, now, rng, Intent()) or text
        add(Query(text, "no_answer", "en", it))
    # Chinese and Spanish
    for lang in ("zh", "es"):
        tries = 0
        while n_of(lang) < 30 and tries < 5000:
            tries += 1
            t = rng.choice(pool)
            it = Intent(types={t.type})
            types = P.TYPE_ZH if lang == "zh" else P.TYPE_ES
            parts = [rng.choice(types[t.type])]
            it.classes = implied_classes(parts[0], lang)
            places = P.PLACE_ZH if lang == "zh" else P.PLACE_ES
            pk = f"zone:{t.zone}" if f"zone:{t.zone}" in places else (t.camera.id if t.camera.id in places else None)
            if pk and rng.random() < 0.7:
                it.places = {pk}
                parts.insert(0, places[pk]) if lang == "zh" else parts.append(places[pk])
            colours = P.COLOUR_ZH if lang == "zh" else P.COLOUR_ES
            if t.colour in colours and t.type in ("stopped_vehicle", "illegal_parking", "speeding", "wrong_way") and rng.random() < 0.4:
                it.colours = {t.colour}
                parts.insert(0, colours[t.colour]) if lang == "zh" else parts.append(colours[t.colour])
            key = _time_key(t, now)
            if key is not None:
                word = P.TIME_ZH_ES[key][0 if lang == "zh" else 1]
                ivs, fz = _key_window(key, now)
                it.times, it.fuzzy = ivs, fz
                parts.insert(0, word) if lang == "zh" else parts.append(word)
            text = ("".join(parts) + rng.choice(["", "吗", "的记录"])) if lang == "zh" else " ".join(parts)
            add(_finish(Query(text, lang, lang, it), corpus))
    for q in out:
        h = int(hashlib.sha1(q.text.encode()).hexdigest(), 16)
        q.split = "test" if h % 2 else "dev"
    return out


def _time_key(t: Incident, now: datetime) -> str | None:
    for key in ("past_2h", "this_morning", "yesterday_evening", "yesterday_afternoon", "last_night", "today", "yesterday",
                "weekend", "past_3d", "this_week"):
        ivs, _ = _key_window(key, now)
        if _in(t.local, ivs):
            return key
    return None


def _key_window(key: str, now: datetime) -> tuple[list[Interval], list[Interval]]:
    ln = now.astimezone(Z)
    today = ln.date()
    y = today - timedelta(days=1)
    day = lambda d: ([(_at(d, 0), _at(d, 24))], [(_at(d, -0.2), _at(d, 0.2)), (_at(d, 23.8), _at(d, 24.2))])  # noqa: E731
    if key == "today":
        return day(today)
    if key == "yesterday":
        return day(y)
    if key == "this_morning":
        iv, fz = _band(today, PARTS["morning"])
        return [iv], fz
    if key == "yesterday_afternoon":
        iv, fz = _band(y, (13.0, 17.5), 1.5)
        return [iv], fz
    if key == "yesterday_evening":
        iv, fz = _band(y, (19.0, 22.0), 1.5)
        return [iv], fz
    if key == "last_night":
        iv, fz = _band(y, (22.5, 29.5), 1.5)
        return [iv], fz
    if key == "past_2h":
        return [(ln - timedelta(hours=2), ln + timedelta(hours=1))], [(ln - timedelta(minutes=125), ln - timedelta(minutes=115))]
    if key == "past_3d":
        return [(ln - timedelta(days=3), ln + timedelta(hours=1))], [(ln - timedelta(days=3, hours=1), ln - timedelta(days=3) + timedelta(hours=1))]
    if key == "this_week":
        mon = today - timedelta(days=today.weekday())
        return [(_at(mon, 0), ln + timedelta(hours=1))], [(_at(mon, -0.2), _at(mon, 0.2))]
    if key == "weekend":
        sat = today - timedelta(days=today.weekday() - 5) if today.weekday() >= 5 else today - timedelta(days=today.weekday() + 2)
        return [(_at(sat, 0), _at(sat, 48))], [(_at(sat, -0.2), _at(sat, 0.2)), (_at(sat, 47.8), _at(sat, 48.2))]
    raise KeyError(key)
