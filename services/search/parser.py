"""Operator query -> structured filters (time, camera, zone, type, class, colour) plus the free text left over."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process

from services.search.times import extract_times
from services.search.vocab import CLASS_SYNONYMS, COLOURS, STOP_WORDS, TYPE_PHRASES, singular, tokens

# Queries are cut here before parsing: nobody types more, and it bounds parse and FTS cost.
MAX_QUERY_CHARS = 2000
# rapidfuzz ratio (0..100) a query window must reach against a camera or zone name to count as naming it.
# 85 accepts "main street 5th avenue" for "Main St / 5th Ave" and "gates" for "gate" but not "late" for
# "gate" (75); raising it misses typos, lowering it turns ordinary words into filters.
NAME_MATCH_THRESHOLD = 85.0
# Type words are matched exactly; a single word of at least this length may also match by typo
# ("loitring") at TYPO_THRESHOLD.
TYPO_MIN_LEN = 6
TYPO_THRESHOLD = 88.0

_ABBREV = {"street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "square": "sq", "lane": "ln",
           "drive": "dr", "place": "pl", "north": "n", "south": "s", "east": "e", "west": "w", "&": "", "and": ""}


class SearchFilters(BaseModel):
    """Structured filters of a search; empty tuples and ``None`` mean "any". Times are UTC, [since, until).

    Example:
        >>> SearchFilters(types=("loitering",)).is_empty()
        False
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    since: datetime | None = Field(None, description="started_at >= since (UTC)")
    until: datetime | None = Field(None, description="started_at < until (UTC)")
    cameras: tuple[str, ...] = Field((), description="camera ids")
    zones: tuple[str, ...] = ()
    types: tuple[str, ...] = Field((), description="incident types (pipeline.types.IncidentType values)")
    classes: tuple[str, ...] = Field((), description="detector classes, e.g. car, truck")
    colours: tuple[str, ...] = Field((), description="canonical colours (services.search.vocab.COLOURS values)")

    def is_empty(self) -> bool:
        return not (self.since or self.until or self.cameras or self.zones or self.types or self.classes or self.colours)

    def merged(self, override: SearchFilters | None) -> SearchFilters:
        """These filters with every field that ``override`` sets replacing ours."""
        if override is None:
            return self
        return self.model_copy(update={k: v for k, v in override if v not in (None, ())})


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: ``filters`` for SQL and ``text`` (stop words removed) for hybrid ranking.

    Example:
        >>> ParsedQuery(SearchFilters(), "white van").text
        'white van'
    """

    filters: SearchFilters
    text: str
    phrases: tuple[str, ...] = ()  # the query phrases that became filters, for the UI to show


@dataclass
class _Tok:
    word: str
    start: int
    end: int
    used: bool = False


def _norm(word: str) -> str:
    return _ABBREV.get(word, word)


def _name_variants(name: str) -> list[str]:
    """A camera/zone name and, for junctions ("Main St / 5th Ave"), each street on its own."""
    parts = [name, *re.split(r"\s*(?:/|&|\band\b|@|,)\s*", name)] if re.search(r"/|&|\band\b|@|,", name) else [name]
    out = []
    for p in parts:
        norm = " ".join(w for w in (_norm(t) for t in tokens(p)) if w)
        if norm and norm not in out:
            out.append(norm)
    return out


def _match_names(toks: list[_Tok], names: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Greedy best-first fuzzy match of (value, name) pairs onto unused query windows; returns values, phrases."""
    cands: list[tuple[float, int, int, str]] = []  # (score, start, end, value)
    words = [_norm(t.word) for t in toks]
    for value, name in names:
        for variant in _name_variants(name):
            n = len(variant.split())
            for width in range(max(1, n - 1), n + 2):
                for i in range(0, len(toks) - width + 1):
                    window = [w for w in words[i: i + width] if w]
                    if not window or any(t.used for t in toks[i: i + width]):
                        continue
                    text = " ".join(window)
                    if n == 1 and len(variant) <= 4:
                        score = 100.0 if singular(text) == variant or text == variant else 0.0  # short: exact only
                    else:
                        score = fuzz.ratio(text, variant)
                    if score >= NAME_MATCH_THRESHOLD:
                        cands.append((score + 0.1 * width, i, i + width, value))
    values: list[str] = []
    phrases: list[str] = []
    cands.sort(key=lambda c: -c[0])
    taken: list[tuple[int, int, float]] = []
    for score, a, b, value in cands:
        clash = [t for t in taken if a < t[1] and t[0] < b]
        # a tie on the same span names several things at once ("5th Ave" is on two junctions)
        if clash and not any(t[0] == a and t[1] == b and abs(t[2] - score) < 1e-9 for t in clash):
            continue
        if value not in values:
            values.append(value)
        if not clash:
            taken.append((a, b, score))
            phrases.append(" ".join(t.word for t in toks[a:b]))
    for a, b, _ in taken:
        for t in toks[a:b]:
            t.used = True
    return values, phrases


def _match_phrases(toks: list[_Tok], table: dict[str, str]) -> tuple[list[str], list[str]]:
    """Exact multi-word phrase match (longest phrase first) of ``table`` keys onto unused tokens."""
    keys = sorted(table, key=lambda k: -len(k.split()))
    values: list[str] = []
    phrases: list[str] = []
    for key in keys:
        kw = tokens(key)
        n = len(kw)
        for i in range(0, len(toks) - n + 1):
            window = toks[i: i + n]
            if any(t.used for t in window):
                continue
            if [singular(t.word) for t in window] == [singular(w) for w in kw] or [t.word for t in window] == kw:
                for t in window:
                    t.used = True
                if table[key] not in values:
                    values.append(table[key])
                phrases.append(key)
    return values, phrases


def parse_query(
    q: str, *, now: datetime, tz: str, cameras: Sequence[tuple[str, str]] = (), zones: Sequence[str] = ()
) -> ParsedQuery:
    """Parse an operator's query into filters and free text.

    Order matters: cameras and zones first (their names may contain words like "bus" or "gate"), then time
    phrases, then incident types, colours and classes. Class words that mean several classes ("van", "bike")
    stay in the free text as well, because the caption can tell them apart where the class filter cannot.

    Example:
        >>> p = parse_query("white van in the bus lane", now=datetime(2024, 3, 6), tz="UTC", zones=["bus lane"])
        >>> (p.filters.zones, p.filters.colours, p.filters.classes, p.text)
        (('bus lane',), ('white',), ('car', 'truck'), 'van')
    """
    q = (q or "")[:MAX_QUERY_CHARS]
    toks = [_Tok(m.group(0).lower(), m.start(), m.end()) for m in re.finditer(r"[^\W_]+(?:['’-][^\W_]+)*|&", q)]
    name_pairs = [(cid, name or cid) for cid, name in cameras] + [(cid, cid) for cid, name in cameras if name and name != cid]
    cam_ids, cam_phrases = _match_names(toks, name_pairs)
    zone_ids, zone_phrases = _match_names(toks, [(z, z) for z in zones])

    # Blank out what the name matchers took, then let the time rules read what is left.
    chars = list(q)
    for t in toks:
        if t.used:
            chars[t.start: t.end] = " " * (t.end - t.start)
    tp = extract_times("".join(chars), now=now, tz=tz)
    rest = [_Tok(w, 0, 0) for w in tokens(tp.rest)]

    types, type_phrases = _match_phrases(rest, TYPE_PHRASES)
    single_type_words = [k for k in TYPE_PHRASES if " " not in k]
    for t in rest:
        if not t.used and len(t.word) >= TYPO_MIN_LEN and t.word not in STOP_WORDS and singular(t.word) not in CLASS_SYNONYMS:
            hit = process.extractOne(t.word, single_type_words, scorer=fuzz.ratio, score_cutoff=TYPO_THRESHOLD)
            if hit:
                t.used = True
                if TYPE_PHRASES[hit[0]] not in types:
                    types.append(TYPE_PHRASES[hit[0]])
                type_phrases.append(t.word)

    colours: list[str] = []
    classes: list[str] = []
    keep: list[str] = []
    for t in rest:
        if t.used:
            continue
        w = singular(t.word)
        if t.word in COLOURS:
            t.used = True
            if COLOURS[t.word] not in colours:
                colours.append(COLOURS[t.word])
        elif w in CLASS_SYNONYMS or t.word in CLASS_SYNONYMS:
            t.used = True
            cls = CLASS_SYNONYMS.get(w) or CLASS_SYNONYMS[t.word]
            classes.extend(c for c in cls if c not in classes)
            if len(cls) > 1:
                keep.append(t.word)

    free = [t.word for t in rest if not t.used and t.word not in STOP_WORDS] + keep
    # keep the operator's word order for the free text
    order = {w: i for i, w in enumerate(t.word for t in rest)}
    free.sort(key=lambda w: order.get(w, 0))
    filters = SearchFilters(
        since=tp.since, until=tp.until, cameras=tuple(cam_ids), zones=tuple(zone_ids), types=tuple(types),
        classes=tuple(classes), colours=tuple(colours),
    )
    phrases = tuple(cam_phrases + zone_phrases + list(tp.phrases) + type_phrases)
    return ParsedQuery(filters=filters, text=" ".join(dict.fromkeys(free)), phrases=phrases)
