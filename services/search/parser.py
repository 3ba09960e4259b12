"""Operator query -> structured filters (time, camera, zone, type, class, colour) plus the free text left over."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from rapidfuzz import fuzz, process

from citylens.contracts import IncidentFilter
from services.search.acts import implied_type, undiminish
from services.search.places import Place
from services.search.quantities import _EN_TENS, _EN_TEENS, _EN_UNITS, normalise_quantities, zh_number
from services.search.script import fold, normalise, to_simplified
from services.search.times import TIME_WORDS, extract_times
from services.search.vocab import (
    CLASS_SYNONYMS, COLOURS, COMPARATORS, FACT_UNITS, INCLUSIVE_COMPARATORS, NEAR_WORDS, NEGATIONS, OLDEST, PLACE_WORDS, RECENCY, RECENCY_LAST, STOP_WORDS, TYPE_PHRASES, singular,
    tokens,
)

# Queries are cut here before parsing: nobody types more, and it bounds parse and FTS cost.
MAX_QUERY_CHARS = 2000
# rapidfuzz ratio (0..100) a query window must reach against a camera or zone name to count as naming it.
# 85 accepts "main street 5th avenue" for "Main St / 5th Ave" and "gates" for "gate" but not "late" for
# "gate" (75); raising it misses typos, lowering it turns ordinary words into filters.
NAME_MATCH_THRESHOLD = 85.0
# Each word of a multi-word window must reach this against some word of the name ("gates" ~ "gate"; words of
# up to 4 letters need 75, "mian" ~ "main"), so a window cannot ride on one long shared word ("pedestrians on"
# is not "pedestrian zone", "car parked" is not "car park").
WORD_MATCH_THRESHOLD = 85.0
# Type words are matched exactly; a single word of at least this length may also match by typo
# ("loitring") at TYPO_THRESHOLD.
TYPO_MIN_LEN = 6
TYPO_THRESHOLD = 88.0

_ABBREV = {"street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "square": "sq", "lane": "ln",
           "drive": "dr", "place": "pl", "north": "n", "south": "s", "east": "e", "west": "w", "&": "", "and": "",
           "stn": "station", "jct": "junction", "junc": "junction", "center": "centre", "ctr": "centre"}


@dataclass(frozen=True)
class FactBound:
    """A comparison on a numeric fact: ``duration_s > 1200``, ``count > 15``, ``speed_kmh > 90``."""

    fact: str  # "duration_s" | "speed_kmh" | "count" | "over_limit_kmh" (speed minus the limit)
    op: str  # "gt" | "lt"
    value: float

    def holds(self, v: float | None) -> bool:
        return v is not None and (v > self.value if self.op == "gt" else v < self.value)


# Incident types about many objects of mixed classes, whose object_class is only the most common one: a class word
# with them is a preference, not a filter (a crowd is people, so crowding is not one of them).
_MIXED_CLASS_TYPES = frozenset({"congestion"})
# Verb particles: stop words elsewhere, but part of a negated action's meaning ("not somebody getting in").
_PARTICLES = frozenset({"in", "out", "off", "up", "down", "away", "around", "over", "through", "about"})
# Words that name a generic person ("someone") are weak evidence of the class: a ranking boost, not a filter.
_WEAK_CLASS_WORDS = frozenset({"someone", "somebody", "anyone", "anybody", "individual", "guy", "alguien", "有人", "的人"})


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query.

    ``filters`` are hard (SQL and mask); ``soft`` only ranks first what matches them; ``exclude`` removes
    types/classes ("not pedestrians"); ``facts`` compare numeric facts; ``hours`` is a recurring local time of
    day ("at night"); ``newest`` / ``oldest`` order by time; ``text`` is what semantic and keyword ranking read;
    ``unknown`` are content words no table of the parser knows (the relevance floor looks at them).

    Example:
        >>> ParsedQuery(IncidentFilter(), "white van").text
        'white van'
    """

    filters: IncidentFilter
    text: str
    phrases: tuple[str, ...] = ()  # the query phrases that became filters, for the UI to show
    soft: IncidentFilter = IncidentFilter()
    exclude: IncidentFilter = IncidentFilter()
    facts: tuple[FactBound, ...] = ()
    hours: tuple[float, float] | None = None
    weekdays: tuple[int, ...] | None = None  # recurring local weekdays allowed (0 = Monday): "weekdays", "except weekends"
    newest: bool = False
    oldest: bool = False  # "the earliest", 最早, "el primero": oldest first
    unknown: tuple[str, ...] = ()
    landmarks: tuple[str, ...] = ()  # words of ``unknown`` inside a phrase that says where ("outside the bakery")
    negated_text: str = ""  # words under a negation that no table read ("not somebody waiting around")
    subject_text: str = ""  # the "what" of the query: places, times, numbers and negations removed
    foreign_text: str = ""  # Chinese words no table read (only a multilingual embedder ranks by them)
    # single Chinese characters left over that are no particle, measure word or function character ("有没有狗" leaves
    # 狗): too short to rank by, but the cross-lingual floor reads them with foreign_text (floor.foreign_input)
    foreign_chars: str = ""
    # classes named inside a negated phrase that says more than the class ("except vehicles standing still"):
    # excluded only when meaning reads no incident type in negated_text (SearchIndex.parse)
    negated_classes: tuple[str, ...] = ()
    lang: str = "en"
    # readings of weak evidence that search may relax when the hard filters leave nothing (rank.search): only
    # "part_of_day" (edges of a part of the day read with no clock) and "meaning_exclusion" (a negated type read
    # by meaning, not by a table); a named camera, a clock, a date or a table's type is never relaxed
    loose: tuple[str, ...] = ()

    def replace(self, **kw) -> ParsedQuery:
        from dataclasses import replace

        return replace(self, **kw)


_ARTICLES = frozenset({"the", "a", "an", "el", "la", "los", "las", "un", "una"})


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
        norm = " ".join(w for w in (_norm(t) for t in tokens(fold(p))) if w)
        if norm and norm not in out:
            out.append(norm)
    return out


_PHRASE_KEYS: dict[int, list[tuple[str, list[str], list[str]]]] = {}


def _phrase_keys(table_id: int, table: dict[str, str]) -> list[tuple[str, list[str], list[str]]]:
    """A table's keys as (key, words without articles, their singulars), longest phrase first (computed once)."""
    if table_id in _PHRASE_KEYS:
        return _PHRASE_KEYS[table_id]
    out = _PHRASE_KEYS[table_id] = []
    for key in sorted(table, key=lambda k: -len(k.split())):
        kw = [w for w in tokens(key) if w not in _ARTICLES]
        if kw:
            out.append((key, kw, [singular(w) for w in kw]))
    return out


_IRREGULAR = {"hung": "hang", "left": "leave", "broke": "break", "broken": "break", "ran": "run", "went": "go", "gone": "go",
              "stood": "stand", "sat": "sit", "drove": "drive", "driven": "drive"}


def _stem(word: str) -> str:
    """A crude verb stem for multi-word phrase matching: "hanging"/"hangs"/"hung" -> "hang", "stopped" -> "stop",
    "queued"/"queue" -> "queu", "crossing"/"crossed" -> "cross"."""
    w = _IRREGULAR.get(word, word)
    for suf in ("ing", "ed", "es", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 3 and not w.endswith("ss"):
            w = w[: -len(suf)]
            if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "sl":  # stopp -> stop
                w = w[:-1]
            break
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


def _match_phrases(toks: list[_Tok], table: dict[str, str]) -> tuple[list[str], list[str]]:
    """Exact multi-word phrase match (longest phrase first) of ``table`` keys onto unused tokens."""
    values: list[str] = []
    phrases: list[str] = []
    toks = [t for t in toks if t.word not in _ARTICLES]  # "against the traffic" reads as "against traffic"
    present = {t.word for t in toks} | {singular(t.word) for t in toks}
    sing = [singular(t.word) for t in toks]
    stems = [_stem(t.word) for t in toks]
    for key, kw, kw_sing in _phrase_keys(id(table), table):
        n = len(kw)
        if kw[0] not in present and kw_sing[0] not in present and not (n > 1 and _stem(kw[0]) in stems):
            continue  # most keys: their first word is not in the query at all
        for i in range(0, len(toks) - n + 1):
            window = toks[i: i + n]
            if any(t.used for t in window):
                continue
            if (sing[i: i + n] == kw_sing or [t.word for t in window] == kw
                    or (n > 1 and stems[i: i + n] == [_stem(w) for w in kw])):  # "hung around", "crossing the line"
                for t in window:
                    t.used = True
                if table[key] not in values:
                    values.append(table[key])
                phrases.append(key)
    return values, phrases


_CJK = re.compile(r"[\u4e00-\u9fff]")
_ES_HINT = re.compile(r"[ñáéíóú¿¡]|\b(?:el|la|los|las|en|del|de|que|con|unos?|unas?|ayer|anoche|hoy|esta|este|por|para"
                      r"|desde|hasta|entre|semana|tarde|noche|coches?|camion|camiones|parados?|hay|alguien|gente)\b")
def _alternation(words, edge: str = r"\w") -> str:
    """Longest-first alternation; Latin words only whole, CJK ones anywhere (Chinese has no word boundaries)."""
    return "|".join(re.escape(w) if _CJK.search(w) else rf"(?<!{edge}){re.escape(w)}(?!{edge})"
                    for w in sorted(words, key=len, reverse=True))


_NEG_RX = re.compile("(" + _alternation(NEGATIONS, r"[\w']") + ")")
_NUM_RX = re.compile(
    r"(?P<cmp>" + "|".join(re.escape(c) for c in sorted(COMPARATORS, key=len, reverse=True)) + r")\s*(?P<n>\d+(?:\.\d+)?)"
    r"\s*(?P<unit>km/h|[^\W\d_]+)?|(?P<n2>\d+(?:\.\d+)?)\s*\+\s*(?P<unit2>km/h|[^\W\d_]+)?")
_NEG_STOP_RX = re.compile(r"[,.;!?，。；！？、]|\b(?:at|in|on|near|from)\b(?!\s*(?:$|[,.;!?]))|\b(?:yesterday|today)\b|以外|之外")
# What may stand between a negation and the place it negates: "except the ones at", "apart from anything in".
_NEG_FILLER = r"(?:(?:the|ones?|those|that|which|were|was|happened|anything|everything|stuff|incidents?|events?|alerts?|what)\s+){0,4}"
_PLACE_PREP_RX = re.compile(r"\s*" + _NEG_FILLER + r"(?:at|in|on|near|from|by|inside|outside)\s+")
_RANGE_RX = re.compile(r"(?<![\w.:])(?P<between>between\s+)?(?P<a>\d+(?:\.\d+)?)\s*(?:and|to|-|–)\s*(?P<b>\d+(?:\.\d+)?)(?![\d:])"
                       r"(?:\s*(?P<unit>km/h|[^\W\d_]+))?")
_LESS_WORDS = frozenset({"less", "fewer", "under", "below", "shorter", "slower"})
_POSTFIX_RX = re.compile(r"(?<![\w.:])(?P<n>\d+(?:\.\d+)?)\s*(?:(?P<u1>km/h|[^\W\d_]+)\s+)?(?P<post>or\s+(?:more|over|above|higher"
                         r"|greater|longer|faster|less|fewer|under|below|shorter|slower)|plus)(?![\w'])(?:\s+(?P<u2>km/h|[^\W\d_]+))?")
# A margin over the speed limit ("40 over the limit", "20 mph above the speed limit", "exceeding the limit by 30",
# "30 km/h por encima del límite", 超过限速30公里): the number bounds speed minus limit, not the speed itself.
_LIMIT = r"(?:the\s+|a\s+|its\s+|their\s+)?(?:posted\s+|legal\s+)?(?:speed\s+)?limit(?:\s+of\s+the\s+road)?"
_MARGIN_RX = re.compile(
    rf"(?<![\w'])(?:over|above|beyond|past|in\s+excess\s+of|more\s+than|faster\s+than)\s+{_LIMIT}(?![\w'])"
    r"|(?<![\w'])(?:por\s+encima\s+del|sobre\s+el|mas\s+alla\s+del)\s+limite(?:\s+de\s+velocidad)?(?![\w'])"
    r"|超过限速|超出限速|超限速|高于限速|比限速(?:高|快)(?:出)?", re.IGNORECASE)
# "exceeding the limit by 30", "over the limit by more than 25", "superando el límite en 30": the number comes after
_MARGIN_BY_RX = re.compile(
    rf"(?<![\w'])(?:(?:exceed\w*|break\w*|broke|went|going|was|were|over|above)\s+)?{_LIMIT}\s+by\s+(?P<cmp>(?:more\s+than|over|at\s+least)\s+)?"
    r"(?=\d)|(?<![\w'])(?:super\w*|exced\w*|rebas\w*)\s+(?:el\s+)?limite(?:\s+de\s+velocidad)?\s+en\s+"
    r"(?P<cmp2>(?:mas\s+de|al\s+menos)\s+)?(?=\d)", re.IGNORECASE)
# A clock that heads a note, after at most two words that are no time bound ("handover 06:00 -", "0745:")
_NOTE_STAMP_RX = re.compile(r"^\s*(?:(?!(?:after|before|since|until|till|at|around|from|by|between|to)\b)[^\W\d_]+\s+){0,2}"
                            r"\d{1,2}:\d{2}(?:\s*h)?\s*(?:[-–—]|:(?!\d))\s+", re.IGNORECASE)
_TIME_WORD_RX = re.compile(r"(?<![\w'])(?:today|yesterday|tonight|night|morning|afternoon|evening|hours|weekend|week|month|"
                           r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|ago|since|last|past|\d{1,2}:\d{2})(?![\w'])",
                           re.IGNORECASE)
# "bar" as a negation after "everything / anything / all", with a place or time between ("everything at X bar the Y")
_BAR_RX = re.compile(r"(?P<head>(?<![\w'])(?:everything|anything|all)(?![\w']).*?)(?<![\w'])bar\s+(?=(?:the|any|all)\s)",
                     re.IGNORECASE)
# Who speaks at the head of a note: up to two words and a role, then a colon or dash ("traffic engineer:", "duty
# officer -"); the words name a job, not an incident type ("traffic" is not congestion there)
_SPEAKER_RX = re.compile(r"^\s*(?:[^\W\d_]+\s+){0,2}(?:engineer|officer|sergeant|inspector|supervisor|operator|controller|"
                         r"dispatcher|analyst|manager|warden|marshal|constable|planner|coordinator|detective|desk|"
                         r"mgr|mngr|supv|supt|sgt|insp|ofc|dispatch|steward|driver)s?(?:(?:['’]s|\s+s)?\s+(?:request|question|query|note))?"
                         r"(?:\s+here)?\s*(?::|[-–—]\s)",
                         re.IGNORECASE)
_TOO_MANY_RX = re.compile(
    r"(?<![\w'])(?:(?:far\s+|way\s+)?too\s+many|demasiad[ao]s?)\s+(?:(?P<p>people|persons|pedestrians|folk|gente|personas|"
    r"peatones)|(?P<v>cars|vehicles|lorries|trucks|coches|vehiculos|camiones))(?![\w'])|(?P<zp>人)太多|(?P<zv>车)太多",
    re.IGNORECASE)
# the place left open: "wherever it was", "anywhere", "any camera", "at any location" (no place preference)
_ANY_PLACE_RX = re.compile(r"(?<![\w'])(?:wherever|anywhere|any\s+(?:camera|cam|location|site|place)s?|all\s+(?:cameras|cams|sites|locations))"
                           r"(?![\w'])(?!\s+(?:at|in|on|near|around|by|along|inside|within|across|around|of|round|about)\b)",
                           re.IGNORECASE)
# A radio call sign ("unit 4", "patrol 12", "call sign 3"; "unidad 4", "4号车组" is not read): the speaker, no filter
_CALL_SIGN_RX = re.compile(r"(?<![\w'])(?:(?:control|dispatch|base|radio|central)\s*[,:-]?\s*(?:(?:this\s+is|from|to)\s+)?)?"
                           r"(?:unit|patrol|call\s*sign|unidad|patrulla)\s*#?\d+[a-z]?(?:\s+(?:to|for)\s+(?:control|dispatch|base))?"
                           r"(?![\w'])", re.IGNORECASE)
# A vehicle calling in by its fleet number ("Bus 41 to control", "van 7 calling base", "this is tram 12"): the
# speaker, not a bus asked about; with it, a radio's "over" that ends a sentence is procedure, not "more than"
_VEH_CALL = r"(?:bus|coach|tram|van|truck|lorry|car|taxi|cab|ambulance|gritter|plough|plow|patrol\s+car|minibus|shuttle)\s*#?\d+[a-z]?"
_VEHICLE_CALL_RX = re.compile(rf"(?<![\w'])(?:this\s+is\s+{_VEH_CALL}|{_VEH_CALL}(?:\s*,?\s+(?:to|for|calling)\s+"
                              r"(?:control|dispatch|base|central|ops)|(?=\s*,?\s*over\s*(?:[.!?,;]|$))))(?![\w'])", re.IGNORECASE)
_RADIO_OVER_RX = re.compile(r"(?<![\w'])over(?:\s+and\s+out)?\s*(?=[.!?]|$)", re.IGNORECASE)
_BARE_MARGIN_RX = re.compile(r"(?<![\w.:])\d+(?:\.\d+)?\s*(?:km/h|kmh|kph|mph)\s+(?P<w>over|above)(?=\s*(?:$|[,.;!?)]))",
                             re.IGNORECASE)
_MARGIN_NUM_RX = re.compile(r"(?<![\w.:])\d+(?:\.\d+)?\s*(?:km/h|kmh|kph|mph|kms?|公里)?\s*$", re.IGNORECASE)
_MARGIN_PRE_RX = re.compile(r"(?<![\w.:])\d+(?:\.\d+)?\s*(?:km/h|kmh|kph|mph|kms?|公里)?\s*(?:\+|or\s+(?:more|over|above|less|under)|plus)?\s*$",
                            re.IGNORECASE)
_CMP_END_RX = re.compile("(?:" + "|".join(re.escape(c) for c in sorted(COMPARATORS, key=len, reverse=True)) + r")\s*$",
                         re.IGNORECASE)
_UNIT_PLUS_RX = re.compile(r"(?<![\w.:])(?P<n>\d+(?:\.\d+)?)\s*(?P<u>km/h|[^\W\d_]+)\s*\+(?![\w+])")
# A number with no unit is a speed when the query talks of speed ("speeds of at least 150").
_SPEED_HINT_RX = re.compile(r"(?<![\w'])(?:speeds?|velocity|velocidad)(?![\w'])|速度|车速|时速|开到", re.IGNORECASE)
_REC_RX = re.compile("(" + _alternation(RECENCY) + ")")
_OLD_RX = re.compile("(" + _alternation(OLDEST) + ")")
# An ordering said outright: newest first ("newest first", "latest on top", "reverse chronological") or oldest first
# ("oldest first", "earliest to latest", "in chronological order", "in order of time")
# (a noun may stand between: "recent ones first", "latest alerts on top"); a sort by time with a direction
# ("sorted by date desc", "order by time, newest", "sort by most recent") says the same
# a time column as a data person names it in a sort: "order by started_at desc", "sort by timestamp asc"
_TIME_COL = (r"(?:time|date|datetime|timestamp|ts|(?:started|start|created|updated|opened|raised|detected|event)"
             r"(?:_at|_time|_ts|\s+at|\s+time)?|start_time|event_time)")
_ORDER_NOUN = r"(?:(?:ones?|alerts?|incidents?|events?|entries|items?|results?)\s+)?"
_ORDER_RX = re.compile(
    r"\b(?:(?P<new>(?:newest|latest|most\s+recent|recent|last)\s+" + _ORDER_NOUN
    + r"(?:first|on\s+top|to\s+(?:oldest|earliest|first))"
    r"|reverse\s+chronological(?:ly)?(?:\s+order)?|freshest"
    r"|(?:sort(?:ed)?|order(?:ed)?|rank(?:ed)?)\s+(?:(?:them|it|results?)\s+)?by\s+(?:(?:" + _TIME_COL + r"|recency)\s*,?\s*(?:desc(?:ending)?"
    r"|newest(?:\s+first)?|latest(?:\s+first)?)|newest|latest|most\s+recent|recency)"
    r"|(?:" + _TIME_COL + r")\s+desc(?:ending)?)"
    r"|(?:oldest|earliest|first)\s+" + _ORDER_NOUN + r"(?:first|on\s+top|to\s+(?:newest|latest|last|most\s+recent))"
    r"|(?:sort(?:ed)?|order(?:ed)?|rank(?:ed)?)\s+(?:(?:them|it|results?)\s+)?by\s+(?:(?:" + _TIME_COL + r")\s*,?\s*(?:asc(?:ending)?"
    r"|oldest(?:\s+first)?|earliest(?:\s+first)?)|oldest|earliest)"
    r"|(?:" + _TIME_COL + r")\s+asc(?:ending)?"
    r"|(?:in\s+)?chronological(?:ly)?(?:\s+order)?|in\s+(?:time\s+)?order(?:\s+of\s+time)?)\b")
# A "first" the time grammar left ("first thing", "first light" are times) asks for the oldest: "the first intrusion
# at the depot today", "what happened first"; not an ordinal of a place ("the first floor", "first and second floors")
_FIRST_RX = re.compile(r"\b(?:the\s+)?(?:very\s+)?first(?:\s+(?:one|ones|reported|seen|recorded|logged|time))?\b"
                       r"(?!\s+(?:and|or|floor|floors|level|levels|lane|lanes|exit|exits|gate|gates|platform|storey|aid|class|light|thing)\b)")


def _oldest_cue(s: str) -> re.Match[str] | None:
    """Where ``s`` asks for the oldest first: a word of ``vocab.OLDEST`` or a "first" that is no place's ordinal."""
    m = _OLD_RX.search(s)
    if m and "first" in m.group(0) and not _FIRST_RX.match(s, m.start()):
        m = None
    return m or _FIRST_RX.search(s)


_REC_LAST_RX = re.compile(rf"(?<![\w'])(?:{RECENCY_LAST})(?![\w'])", re.IGNORECASE)  # run after the time grammar took its "last"s
# A negation cue right before a place name, with only prepositions/articles between: "except the ring road",
# "not at the station" -> that place is excluded, not required.
_NEG_PLACE_RX = re.compile("(?:" + _alternation(NEGATIONS, r"[\w']") + r")\s+" + _NEG_FILLER
                           + r"(?:(?:at|in|on|near|by|from|the|a|an|en|el|la|los|las|lo|del|de|al|que|ocurrido|pasado)\s+)*$")
# "..., and nothing from the fuel bay", "but none at the harbour": a second clause that leaves a place out
_NOTHING_PLACE_RX = re.compile(r"(?:(?<![\w'])(?:and|but|or|y|pero)\s+|[,;]\s*)(?:nothing|none|nada)\s+" + _NEG_FILLER
                               + r"(?:(?:at|in|on|near|by|from|inside|the|en|el|la|los|las|del|de)\s+)*$")
_POSTFIX_NEG_RX = re.compile(r"(?<=\s)(?:aside|excepted|excluded|not\s+included|left\s+out|not\s+wanted|exceptuados?|excluidos?"
                             r"|aparte)(?!\s+(?:from|de)\b)(?![\w'])")
_CAMERA_NOUNS = frozenset({"camera", "cameras", "cam", "cams", "feed", "feeds", "camara", "camaras"})
# What joins a second place to an excluded one ("not the harbour or the depot", "leaving out the tram stop and the
# station", "excepto el puerto y la estación", 除了港口和车站)
_NEG_JOIN_RX = re.compile(r"\s*(?:,|&|/|\band\b|\bor\b|\bnor\b|\by\b|\bni\b|\bo\b|和|或|与|及|、)\s*"
                          r"(?:(?:also|the|el|la|los|las|at|in|on|en|del?)\s+)*")
# A Chinese negation cue right before a place alias, with at most 在/于/的 between: 除了停车场, 不是在车站, 排除加油站
_ZH_NEG_PLACE_RX = re.compile(r"(?:除了|除去|除开|排除|不包括|不含|不是|不要|不看|非)\s*(?:在|于)?\s*$")
# 以外 / 之外 right after a place ("停车场以外的违章停车": illegal parking other than at the car park): that place is out
_ZH_OUTSIDE_RX = re.compile(r"\s*(?:的)?(?:以外|之外)")
# Number words after a comparison word -> digits, so the fact reader sees them ("more than twenty people",
# "longer than an hour", "over half an hour", "over a dozen vehicles").
_UNITS_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19, "a dozen": 12, "dozen": 12, "a hundred": 100, "hundred": 100}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_NUM = (r"(?P<half>half\s+an?\s+hour)|(?P<anhour>an\s+hour)|(?P<tens>" + "|".join(_TENS) + r")(?:[\s-](?P<tu>"
             + "|".join(_UNITS_WORDS) + r"))?|(?P<teen>" + "|".join(sorted(_TEENS, key=len, reverse=True)) + r")|(?P<unit>"
             + "|".join(_UNITS_WORDS) + r")")
_CMP_WORD_RX = re.compile(r"(?P<cmp>(?<![\w'])(?:" + "|".join(re.escape(c) for c in sorted(COMPARATORS, key=len, reverse=True)
                          if not _CJK.search(c)) + r"))\s+(?:" + _WORD_NUM + r")(?![\w'])")


_CJK_UNITS = sorted((k for k in FACT_UNITS if _CJK.search(k)), key=len, reverse=True)


# "neither X nor Y" leaves out both, as "not X and not Y" does
_NEITHER_RX = re.compile(r"(?<![\w'])neither\s+(?P<x>.+?)\s*,?\s+nor(?![\w'])", re.IGNORECASE)
# hundreds in words: "a hundred and twenty", "one hundred fifty", "two hundred and five"
_HUNDREDS_RX = re.compile(r"(?<![\w'])(?P<h>a|one|two|three|four|five|six|seven|eight|nine)\s+hundred(?:\s+and)?"
                          r"(?:\s+(?P<tens>" + "|".join(_TENS) + r")(?:[\s-](?P<tu>" + "|".join(_UNITS_WORDS) + r"))?"
                          r"|\s+(?P<teen>" + "|".join(k for k in _TEENS if " " not in k and "hundred" not in k and "dozen" not in k)
                          + r")|\s+(?P<unit>" + "|".join(_UNITS_WORDS) + r"))?(?![\w'])", re.IGNORECASE)


def _hundreds(m: re.Match[str]) -> str:
    h = 1 if m.group("h").lower() in ("a", "one") else _UNITS_WORDS[m.group("h").lower()]
    n = 100 * h
    if m.group("tens"):
        n += _TENS[m.group("tens").lower()] + (_UNITS_WORDS[m.group("tu").lower()] if m.group("tu") else 0)
    elif m.group("teen"):
        n += _TEENS[m.group("teen").lower()]
    elif m.group("unit"):
        n += _UNITS_WORDS[m.group("unit").lower()]
    return str(n)


def _digits(m: re.Match[str]) -> str:
    if m.group("half"):
        n = "30 minutes"
    elif m.group("anhour"):
        n = "1 hour"
    elif m.group("tens"):
        n = str(_TENS[m.group("tens")] + (_UNITS_WORDS[m.group("tu")] if m.group("tu") else 0))
    elif m.group("teen"):
        n = str(_TEENS[m.group("teen")])
    else:
        n = str(_UNITS_WORDS[m.group("unit")])
    return f"{m.group('cmp')} {n}"


_NEAR_RX = re.compile(r"(?:" + "|".join(re.escape(w) for w in sorted(NEAR_WORDS, key=len, reverse=True)) + r")\s+(?:the\s+)?$")
# A place preposition right before a phrase: what follows is where, not what ("logged at left luggage").
# Within a place phrase: a place preposition at most two words back ("at the old market", "on the north ramp").
_PLACE_PHRASE_RX = re.compile(r"\b(?:at|in|on|inside|outside|by|near|beside|behind|along|opposite|next\s+to|to|from|of)\s+"
                              r"(?:the\s+)?(?:[^\W\d_]+\s+){0,2}$")
_AT_PLACE_RX = re.compile(r"\b(?:at|in|inside|outside|by|near|beside|behind|next\s+to)\s+(?:the\s+)?$")
# A word in a phrase that says where ("outside the old bakery", "near the flower stall", "opposite the town hall"):
# a locative preposition at most two words back. Such a word names a landmark, not what happened: when no place
# of the deployment holds it, it is in ``ParsedQuery.landmarks`` and the "nothing matches" floor does not count it
# as an unknown thing. Not "in", "on", "with": "a man in a clown costume", "someone on stilts" say what, not where.
_LOCATIVE_RX = re.compile(r"\b(?:at|inside|outside|by|near|nearby|beside|behind|opposite|along|next\s+to|in\s+front\s+of"
                          r"|across\s+from|close\s+to|round\s+the\s+back\s+of)\s+(?:the\s+|a\s+|an\s+)?(?:[^\W\d_]+\s+){0,2}$")
_NEAR_TOKENS = frozenset(w for k in NEAR_WORDS for w in tokens(k))  # "next", "outside": never a description word
_TYPE_TOKENS = frozenset(w for k in TYPE_PHRASES for w in tokens(k)) | {"parked", "parking", "stopped"}
_CJK_TYPES = sorted((k for k in TYPE_PHRASES if _CJK.search(k)), key=len, reverse=True)
_CJK_CLASSES = sorted((k for k in CLASS_SYNONYMS if _CJK.search(k)), key=len, reverse=True)
# Chinese incident types as verb + complement forms (a grammar of how the act is said, not a list of phrases):
# a vehicle that stops somewhere / for a while, drives against the flow or fast, people climbing over or in, a
# queue forming, a thing dropped or forgotten somewhere. Read after the type table, on what it left.
_ZH_DEG = r"(?:很|太|特别|非常|超级|极|飞|贼|挺|好)?"
_ZH_TYPE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"停(?:在|了|着|靠在)(?!车场|车库|车位|车区)"), "stopped_vehicle"),
    (re.compile(r"逆着(?:开|走|行驶|跑|骑)"), "wrong_way"),
    (re.compile(r"(?:开|跑|骑|驾驶|行驶)得?" + _ZH_DEG + r"快"), "speeding"),
    (re.compile(r"(?:翻|爬|跳)(?:过|进|越|入)(?:了)?"), "intrusion"),
    # 闯 / 钻 / 溜 with a direction or 乱 ("乱闯", "闯进来", "钻进了围栏", "溜进去"): going in where one may not
    (re.compile(r"乱闯|(?:闯|钻|溜|摸)(?:进|入)(?:了|来|去)?"), "intrusion"),
    (re.compile(r"排(?:成|起|着|了)?(?:一条)?长?队|车(?:排|堵)成|堵(?!墙)"), "congestion"),  # 堵不堵 is 堵 (script)
    (re.compile(r"(?:落|丢|忘|扔)(?:在|下)(?:了)?"), "abandoned_object"),
)
_CJK_FILLER = frozenset({"记录", "情况", "事件", "有没有", "是否", "哪些", "什么", "多少", "一下", "查询", "显示", "事情", "所有",
                         "全部", "任何", "发生", "出现", "告诉我", "看看", "一切", "东西", "以外", "之外", "还有", "旁边",
                         "附近", "一下子", "请问", "帮我", "列出", "汇总", "情形", "方向", "往", "异常", "报警", "告警",
                         "警报", "动静", "状况", "问题", "出事", "有啥", "怎么样", "如何", "哪里", "哪儿", "几次", "几起",
                         "统计", "列表", "帮忙", "麻烦", "查一下", "查看", "看一下", "看下", "总结", "交班", "报告",
                         "活动", "目前", "现在", "为止", "到现在", "期间", "时候", "时段", "时间", "那边", "这边", "那里",
                         "这里", "区域", "地方", "一带", "周围", "整个", "全部的", "请列出", "汇报", "都",
                         "不对劲", "异样", "不正常", "可疑", "奇怪", "新情况", "动态", "状态"})
_CJK_FILLER_RX = re.compile("|".join(re.escape(w) for w in sorted(_CJK_FILLER, key=len, reverse=True)))
_CJK_PARTICLES = "的了吗呢吧在有是和与或上里过请我事"
# single characters that say how many, which, where or how rather than what (measure words, pronouns, directions,
# degree and motion words): never a thing on their own
_CJK_FUNCTION_CHARS = frozenset("个只条辆位名次起件台头多少大小很太最更近新旧快慢去来走到从向往被把给让跟及又也还就才些这那哪谁"
                                "啥么怎样啊呀哦嘛着地得之其中内外前后左右边面侧今昨明天年月日号点分时周看查找要想会能可没不"
                                "一二三四五六七八九十两几每各该本此车人区底初末")
_CJK_COLOURS = sorted((k for k in COLOURS if _CJK.search(k)), key=len, reverse=True)
# A colour character without 色 ("白车", "红的轿车", "穿黑衣服的人") is a colour only right before a class or clothing
# word, or after 穿 (wearing): alone it is too often part of another word (白天 daytime, 红绿灯 traffic lights).
_ZH_COLOUR_CHARS = {k[0]: v for k, v in COLOURS.items() if len(k) == 2 and k.endswith("色") and _CJK.search(k[0])}
_ZH_CLOTHES = ("衣服", "上衣", "外套", "衣", "裤子", "裤", "裙子", "裙", "帽子", "帽", "T恤", "夹克", "大衣")
_ZH_COLOUR_RX = re.compile(
    "(?:(?<=穿)|(?<=穿着))(?P<a>[" + "".join(_ZH_COLOUR_CHARS) + "])"
    "|(?P<b>[" + "".join(_ZH_COLOUR_CHARS) + "])(?=的?(?:" + "|".join(re.escape(w) for w in sorted(
        (*_ZH_CLOTHES, *(k for k in CLASS_SYNONYMS if _CJK.search(k)), "车"), key=len, reverse=True)) + "))")


def detect_language(q: str) -> str:
    """'zh', 'es' or 'en' from the script and a few Spanish markers (enough to pick vocabularies)."""
    if _CJK.search(q):
        return "zh"
    return "es" if _ES_HINT.search(q.lower()) else "en"


def _compounds(places: Sequence[Place]) -> dict[str, str]:
    """Two adjacent words of a place's name or alias written as one word -> the two words ("carpark" -> "car park").
    Only pairs whose joined form is no word of any name itself; each word at least two letters."""
    out: dict[str, str] = {}
    names = [n.lower() for p in places for n in (p.name, *p.aliases) if not _CJK.search(n)]  # not ids ("cam-carpark")
    own = {w for n in names for w in re.findall(r"[^\W\d_]+", n)}
    for n in names:
        ws = re.findall(r"[^\W\d_]+", n)
        for a, b in zip(ws, ws[1:]):
            if len(a) >= 2 and len(b) >= 2 and (a + b) not in own:
                out.setdefault(a + b, f"{a} {b}")
    # a hyphenated word of a description written as one ("multistorey" for "multi-storey", "carfree" for "car-free")
    for p in places:
        for a, b in re.findall(r"(?<![\w-])([^\W\d_]{2,})-([^\W\d_]{2,})(?![\w-])", p.description.lower()):
            if (a + b) not in own:
                out.setdefault(a + b, f"{a} {b}")
    return out


def _clipped_words(places: Sequence[Place]) -> dict[tuple[str, str], str]:
    """A word of a place name cut short, before the word that follows it in that name ("plat 3" for "platform 3",
    "cont yard" for "container yard"): (clipped, next word) -> the whole word. At least three letters and one short of
    the word; a clipped form that is itself a word of some name is left alone."""
    names = [n.lower() for p in places for n in (p.name, *p.aliases) if not _CJK.search(n)]
    own = {w for n in names for w in re.findall(r"[^\W_]+", n)}
    out: dict[tuple[str, str], str] = {}
    for n in names:
        ws = re.findall(r"[^\W_]+", n)
        for a, b in zip(ws, ws[1:]):
            for k in range(3, len(a)):
                if a[:k] not in own:
                    out.setdefault((a[:k], b), a)
    return out


def _numbered_heads(places: Sequence[Place]) -> frozenset[str]:
    """Words that a number follows in some place name or alias ("platform 3", "level 2 ramp", "km 12"): a number
    word after one of them is that number ("platform three", "level two ramp")."""
    names = [n.lower() for p in places for n in (p.name, *p.aliases) if not _CJK.search(n)]
    return frozenset(m for n in names for m in re.findall(r"([^\W\d_]+)\s+\d+\b", n))


_COMPOUND_CACHE: dict[int, tuple[Sequence[Place], tuple[dict[str, str], frozenset[str], dict[tuple[str, str], str]]]] = {}


def _split_compounds(q: str, places: Sequence[Place]) -> str:
    if not places:
        return q
    hit = _COMPOUND_CACHE.get(id(places))
    if hit is None or hit[0] is not places:
        _COMPOUND_CACHE.clear()
        hit = _COMPOUND_CACHE[id(places)] = (places, (_compounds(places), _numbered_heads(places), _clipped_words(places)))
    table, heads, clipped = hit[1]
    if clipped:
        q = re.sub(r"(?i)\b([^\W\d_]{3,})(?=\.?\s+([^\W_]+)\b)",
                   lambda m: clipped.get((m.group(1).lower(), m.group(2).lower()), m.group(1)), q)
    if heads:
        q = re.sub(rf"(?i)\b({'|'.join(map(re.escape, sorted(heads, key=len, reverse=True)))})\s+({_NUMBER_WORD})\b",
                   lambda m: f"{m.group(1)} {_number_word(m.group(2))}", q)
    if not table:
        return q
    # a plural ("carparks") keeps its s on the second word
    return re.sub(r"(?<![\w-])([^\W\d_]{4,}?)(s?)(?![\w-])",
                  lambda m: table[m.group(1).lower()] + m.group(2) if m.group(1).lower() in table else m.group(0), q)


_NUMBER_WORDS = {**_EN_UNITS, **_EN_TEENS, **_EN_TENS}
_NUMBER_WORD = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))


def _number_word(w: str) -> str:
    return str(_NUMBER_WORDS[w.lower()])


def _blank(s: str, a: int, b: int) -> str:
    return s[:a] + " " * (b - a) + s[b:]


def _cjk_take(s: str, keys: list[str], table: dict, neg_spans: Sequence[tuple[int, int]] = ()) -> tuple[str, list, list[str], list]:
    """Substring matches of CJK vocabulary keys (longest first), blanked out of ``s``: (s, values, phrases,
    values of matches inside a negation scope)."""
    vals: list = []
    neg_vals: list = []
    phrases: list[str] = []
    for k in keys:
        while (i := s.find(k)) >= 0:
            s = _blank(s, i, i + len(k))
            v = table[k]
            target = neg_vals if any(a <= i < b for a, b in neg_spans) else vals
            if v not in target:
                target.append(v)
            phrases.append(k)
    return s, vals, phrases, neg_vals


def _unscoped(s: str, spans: list[tuple[int, int]]) -> str:
    for a, b in spans:
        s = _blank(s, a, b)
    return s


# A count bound at or above this on people / vehicles with no type read means a crowd / a jam (the only incidents
# that count that many); below it, a preference. Five is where operators start saying "a group" of people.
GROUP_MIN = 5
_COUNT_KINDS = {**{w: "crowding" for w in ("people", "persons", "person", "pedestrians", "pedestrian", "ppl", "peds",
                                           "personas", "persona", "peatones", "individuos", "人", "名", "位")},
                **{w: "congestion" for w in ("vehicles", "vehicle", "vehs", "veh", "cars", "car", "vehiculos", "vehículos",
                                             "coches", "辆")}}


BARE_SPEED_SLACK = 0.1
_BARE_SPEED_RX = re.compile(r"(?<![\w.+-])(?P<n>\d{2,3}(?:\.\d+)?)\s*(?P<unit>km/h|kmh|kph|mph)(?![\w/])")


def _fact_for(unit: str | None, cmp: str, types: list[str], *, speed_hint: bool = False) -> tuple[str, float] | None:
    u = (unit or "").lower()
    if u in FACT_UNITS:
        return FACT_UNITS[u]
    if u and singular(u) in FACT_UNITS:
        return FACT_UNITS[singular(u)]
    if cmp in ("faster than", "slower than", "no faster than") or cmp.startswith("doing") or "speeding" in types or speed_hint:
        return "speed_kmh", 1.0
    if any(t in ("crowding", "congestion") for t in types):
        return "count", 1.0
    return None


_WALL = "|"
# "X's" of a noun (not "it's", "what's", "there's": a verb)
_POSSESSIVE_RX = re.compile(r"\b(?!(?:it|he|she|that|what|there|here|who|where|how|let|when|why|this|everyone|everything|"
                            r"nothing|something|anything|someone|somebody|nobody|noone|today|tonight|yesterday)['’]s\b)"
                            r"([^\W\d_]{3,})['’]s\b", re.IGNORECASE)


def _place_walls(before: str, after: str) -> str:
    """``after`` with a wall (``_WALL``) where a place was blanked out of ``before`` (same length, else unchanged): the
    time grammar must not read the words either side of a place as adjacent."""
    if len(before) != len(after):
        return after
    out = list(after)
    for i, (a, b) in enumerate(zip(before, after)):
        if b == " " and a != " " and (i == 0 or before[i - 1] == " " or after[i - 1] != " "):
            out[i] = _WALL  # the first blanked letter of each word of the place
    return "".join(out)


def parse_query(
    q: str, *, now: datetime, tz: str, cameras: Sequence[tuple[str, str]] = (), zones: Sequence[str] = (),
    places: Sequence[Place] = (),
) -> ParsedQuery:
    """Parse an operator's query into hard filters, soft preferences, exclusions, fact bounds and free text.

    Order matters: places first (camera/zone names and aliases may hold class words: "tram stop", "car park
    entrance", "bus depot gate"), then time components, recency, numeric comparisons, negation scopes, then
    incident types, colours and classes. A zone named after "near"/"by"/"next to" is a preference, not a filter;
    words found only in a place's description ("by the kiosk") prefer that place. Class words that mean several
    classes ("van", "bike") stay in the free text as well, because the caption can tell them apart.

    Example:
        >>> p = parse_query("white van in the bus lane", now=datetime(2024, 3, 6), tz="UTC", zones=["bus lane"])
        >>> (p.filters.zones, p.filters.colours, p.filters.classes, p.text)
        (('bus lane',), ('white',), ('car', 'truck'), 'van')
    """
    q = normalise((q or "")[:MAX_QUERY_CHARS])  # one script and one spelling: 貨車 -> 货车, ８ -> 8
    lang = detect_language(q)
    q = fold(q)  # accents are optional to a typist ("camion", "manana"); the tables hold both spellings
    if lang == "es" and (low := q.lower()) != (short := undiminish(low)):
        q = short  # diminutives: "mañanita", "carritos", "camioncito" are the words they shrink (acts.undiminish)
    if lang == "en":
        q = _NEITHER_RX.sub(lambda m: f"not {m.group('x')} and not ", q)  # "neither at X nor at Y": both left out
        q = _HUNDREDS_RX.sub(_hundreds, q)  # "a hundred and twenty" -> "120"
    cam_places = [p for p in places if p.kind == "camera"]
    zone_places = [p for p in places if p.kind == "zone"]
    phrases: list[str] = []

    # ---- places: CJK aliases by substring, then names/aliases by fuzzy word windows
    # a possessive says whose ("the garage's ramp", "the terminal's bike rack"): the owner's name is read as it is
    work = _POSSESSIVE_RX.sub(lambda m: m.group(1) + " " * (m.end() - m.end(1)), q) if lang == "en" else q
    work = _split_compounds(work, places)  # "carpark", "ringroad": two words of a place name written as one
    before_places = work
    cam_ids: list[str] = []
    zone_ids: list[str] = []
    soft_zones: list[str] = []
    soft_cams: list[str] = []
    ex_cams: list[str] = []
    ex_zones: list[str] = []
    for p in sorted(places, key=lambda p: -max((len(a) for a in p.names() if _CJK.search(a)), default=0)):
        for alias in p.names():
            if _CJK.search(alias) and (i := work.find(alias := to_simplified(alias))) >= 0:
                work = _blank(work, i, i + len(alias))
                post = _ZH_OUTSIDE_RX.match(work, i + len(alias))  # 停车场以外的…, 车站之外: other than that place
                if (neg := _ZH_NEG_PLACE_RX.search(work, 0, i)) or post:  # 除了停车场以外: that place is excluded
                    for cue in (neg, post):
                        if cue:
                            work = _blank(work, cue.start(), cue.end())
                    (ex_cams if p.kind == "camera" else ex_zones).append(p.id)
                else:
                    (cam_ids if p.kind == "camera" else zone_ids).append(p.id)
                phrases.append(alias)
    name_pairs = [(cid, name or cid) for cid, name in cameras] + [(cid, cid) for cid, name in cameras if name and name != cid]
    name_pairs += [(p.id, a) for p in cam_places for a in p.names() if not _CJK.search(a)]
    zone_pairs = [(z, z) for z in zones] + [(p.id, a) for p in zone_places for a in p.names() if not _CJK.search(a)]
    both = [("cam", v, n) for v, n in name_pairs] + [("zone", v, n) for v, n in zone_pairs]
    translated: set[str] = set()
    # Round 1 reads the deployment's own names and aliases; round 2 (Chinese / Spanish only) reads what is left
    # after generic place-kind words were put into English ("zona peatonal" -> "pedestrian zone", 加油区 -> "fuel ...").
    for round_ in range(2):
        if round_ == 1:
            work, translated = _translate_places(work) if lang != "en" else (work, set())
            if not translated:
                break
        work = _read_places(work, both, phrases, cam_ids, zone_ids, soft_zones, ex_cams, ex_zones,
                            owners=_zone_owner_words(places),
                            zone_cams={(p.id, p.camera_id) for p in zone_places if p.camera_id})

    if lang == "en":
        # a place read out of the words is a wall between the words either side of it: "in the old town square last
        # week" is the calendar week before this one, not "in the last week" (a rolling 7 days) once it is blanked
        work = _place_walls(before_places, work)

    # ---- time (quantities in words are digits first: "the last half hour", "over a quarter of an hour", 四十辆)
    work = normalise_quantities(work)
    # a clock at the head of a note, set off by a dash or colon ("handover 06:00 - ...", "07:45: ..."), is when the
    # note was written, not the time asked about, when the rest of the note names its own time
    if (m := _NOTE_STAMP_RX.match(work)) and _TIME_WORD_RX.search(work, m.end()):
        work = _blank(work, m.start(), m.end())
    # "everything at the tram stop bar the loitering": "bar" leaves out what follows (after everything / anything)
    work = _BAR_RX.sub(lambda m: m.group("head") + "except ", work)
    # "too many people" / "demasiada gente" / 人太多 is a crowd; too many cars / vehicles a jam (a number too large)
    work = _TOO_MANY_RX.sub(lambda m: " crowd " if m.group("p") or m.group("zp") else " jam ", work)
    # "north of 70 km/h" is more than 70, "south of 20 minutes" less than 20
    work = re.sub(r"(?<![\w'])north\s+of\s+(?=\d)", "more than ", work)
    work = re.sub(r"(?<![\w'])south\s+of\s+(?=\d)", "less than ", work)
    work, neg_tp = _negated_times(work, now=now, tz=tz)  # "except at night", "not yesterday": times left out
    work = _without_told_times(work, now=now, tz=tz)  # "FYI the rota starts Monday. What came in yesterday?"
    tp = extract_times(work, now=now, tz=tz)
    s = tp.rest.replace(_WALL, " ")
    phrases += list(tp.phrases)

    s = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", s)  # "break-in" reads as "break in" (places are already read)

    # ---- recency
    newest = oldest = False
    if m := _ORDER_RX.search(s):  # "newest first", "oldest to newest", "in chronological order": an ordering said
        newest = bool(m.group("new"))
        oldest = not newest
        phrases.append(m.group(0))
        s = _blank(s, m.start(), m.end())
    elif m := _oldest_cue(s):  # "the earliest", 最早: oldest first (before "último" / 最 words are read as newest)
        oldest = True
        phrases.append(m.group(0))
        s = _blank(s, m.start(), m.end())
    elif (m := _REC_RX.search(s)) or (m := _REC_LAST_RX.search(s)):
        newest = True
        phrases.append(m.group(0))
        s = _blank(s, m.start(), m.end())
        s = _REC_LAST_RX.sub(lambda x: " " * len(x.group(0)), s)  # "how long since the last intrusion": said once

    # ---- numeric comparisons (the fact is settled once types are known)
    s = _CALL_SIGN_RX.sub(lambda m: " " * len(m.group(0)), s)  # "control, unit 4: ...": who speaks, not what
    if _VEHICLE_CALL_RX.search(s):  # "Bus 41 to control, over.": a driver calling in, not a bus asked about
        s = _VEHICLE_CALL_RX.sub(lambda m: " " * len(m.group(0)), s)
        s = _RADIO_OVER_RX.sub(lambda m: " " * len(m.group(0)), s)
    s = _SPEAKER_RX.sub(lambda m: " " * len(m.group(0)), s)  # "traffic engineer: ...": a role, not congestion
    s = _CMP_WORD_RX.sub(_digits, s)
    # a margin over the speed limit: the phrase is blanked and the number's bound goes to over_limit_kmh below
    margin = False
    if m := _MARGIN_BY_RX.search(s):  # "exceeding the limit by 30": "at least 30" (a margin said is reached)
        margin = True
        phrases.append(m.group(0).strip())
        cmp_ = "more than " if (m.group("cmp") or m.group("cmp2") or "").strip().startswith(("more", "over", "mas")) else "at least "
        s = s[: m.start()] + " " * max(0, m.end() - m.start() - len(cmp_)) + cmp_ + s[m.end():]
    for m in list(_MARGIN_RX.finditer(s)):
        pre = s[: m.start()]
        if not (_MARGIN_PRE_RX.search(pre) or re.match(r"\s*(?:超过|大于|高于|多于|至少|by\s+)?\s*\d", s[m.end():])):
            continue  # no margin said ("cars going over the limit"): the words stay for meaning
        margin = True
        phrases.append(m.group(0).strip())
        # a bare number before it is a margin reached ("doing 20 mph above the speed limit": at least 20)
        if (b := _MARGIN_NUM_RX.search(pre)) and not _CMP_END_RX.search(pre[: b.start()]):
            s = pre[: b.start()] + " at least " + pre[b.start():].lstrip() + " " * (m.end() - m.start()) + s[m.end():]
        else:
            s = _blank(s, m.start(), m.end())
    # a speed then a bare "over" that ends the clause ("less than 10 km/h over", "20 mph above"): over the limit
    while m := _BARE_MARGIN_RX.search(s):
        margin = True
        phrases.append(m.group(0).strip())
        pre, post = s[: m.start("w")], " " * (m.end("w") - m.start("w")) + s[m.end("w"):]
        if (b := _MARGIN_NUM_RX.search(pre)) and not _CMP_END_RX.search(pre[: b.start()]):  # a margin said is reached
            pre = pre[: b.start()] + " at least " + pre[b.start():].lstrip()
        s = pre + post
    s = _UNIT_PLUS_RX.sub(r"\g<n>+ \g<u>", s)  # "1h+", "45 mins+", "30 people+": the plus after the unit is "20+ people"'s
    pending_facts: list[tuple[str, float, str | None, str]] = []
    # ranges ("between 90 and 110", "20 to 30 people": a bound each side, both included) and a comparison after
    # the number ("30 or more cars", "25 plus", "10 minutes or less"); times were read already
    for m in list(_RANGE_RX.finditer(s)):
        unit = m.group("unit")
        is_unit = bool(unit) and (unit.lower() in FACT_UNITS or singular(unit.lower()) in FACT_UNITS)
        if not (m.group("between") or is_unit):
            continue
        a, b = sorted((float(m.group("a")), float(m.group("b"))))
        pending_facts += [("gt", a, unit if is_unit else None, "at least"), ("lt", b, unit if is_unit else None, "at most")]
        end = m.end() if is_unit or not unit else m.start("unit")
        phrases.append(s[m.start(): end].strip())
        s = _blank(s, m.start(), end)
    for m in list(_POSTFIX_RX.finditer(s)):
        units = [(u, m.start(g), m.end(g)) for g in ("u1", "u2") if (u := m.group(g))
                 and (u.lower() in FACT_UNITS or singular(u.lower()) in FACT_UNITS)]
        op = "lt" if m.group("post").split()[-1] in _LESS_WORDS else "gt"
        pending_facts.append((op, float(m.group("n")), units[0][0] if units else None, "at least" if op == "gt" else "at most"))
        phrases.append(m.group(0).strip())
        for a, b in [(m.start("n"), m.end("n")), (m.start("post"), m.end("post")), *[(x, y) for _, x, y in units]]:
            s = _blank(s, a, b)
    for m in list(_NUM_RX.finditer(s)):
        if m.group("cmp"):
            op, n, unit, cmp = COMPARATORS[m.group("cmp")], float(m.group("n")), m.group("unit"), m.group("cmp")
        else:
            op, n, unit, cmp = "gt", float(m.group("n2")), m.group("unit2"), "+"
        end = m.end()
        if unit and _CJK.search(unit):  # Chinese runs on after the unit: "40辆车", "30分钟的人"
            key = next((k for k in _CJK_UNITS if unit.startswith(k)), None)
            end -= len(unit) - (len(key) if key else 0)
            unit = key
        if unit and unit.lower() not in FACT_UNITS and singular(unit.lower()) not in FACT_UNITS:
            end -= len(unit)  # "over 20 lorries": the noun is not a unit, leave it to the class reader
            unit = None
        pending_facts.append((op, n, unit, cmp))
        phrases.append(s[m.start(): end].strip())
        s = _blank(s, m.start(), end)
    # a speed with its unit and no comparison ("a van doing 130 km/h", "clocked at 95 mph"): about that speed, a
    # tenth either side (a radar reading is not exact; nobody quotes the figure to the km/h)
    for m in list(_BARE_SPEED_RX.finditer(s)):
        if (re.search(r"(?:limit|limited|signed|posted)(?:\s+(?:of|is|was|at|to))?\s*[:=(]?\s*$", s[max(0, m.start() - 24): m.start()])
                or re.match(r"\s*(?:zones?|limits?|areas?|roads?|streets?|signs?)\b", s[m.end():])):
            continue  # "limit 80 km/h", "a 30 km/h zone": the rule's limit, not a speed driven
        n = float(m.group("n"))
        pending_facts += [("gt", n * (1 - BARE_SPEED_SLACK), m.group("unit"), "about"),
                          ("lt", n * (1 + BARE_SPEED_SLACK), m.group("unit"), "about")]
        phrases.append(m.group(0).strip())
        s = _blank(s, m.start(), m.end())

    # ---- negation scopes: from the cue to the next comma / full stop (at most 6 words)
    neg_spans: list[tuple[int, int]] = []
    # a cue after what it leaves out: "congestion aside, ...", "lorries excepted", "crowding not included" (the scope is
    # the words before it, back to a comma, at most three)
    for m in list(_POSTFIX_NEG_RX.finditer(s)):
        head = s[: m.start()]
        cut = max(head.rfind(c) for c in ",.;:!?") + 1
        if w := re.search(r"(?:[^\W\d_][\w'-]*\s+){1,3}$", head[cut:]):
            neg_spans.append((cut + w.start(), m.start()))
            phrases.append(m.group(0).strip())
            s = _blank(s, m.start(), m.end())

    guarded_spans = [(m.start(), m.end()) for k, _ in _MULTI_TYPE if k in s
                     for m in re.finditer(r"(?<!\w)" + re.escape(k) + r"(?!\w)", s)]
    # Chinese type words may hold a negation character ("非法进入" is intrusion, not "not 法进入")
    guarded_spans += [(m.start(), m.end()) for k in _CJK_TYPES if k in s for m in re.finditer(re.escape(k), s)]
    for m in _NEG_RX.finditer(s):
        if any(a <= m.start() < b for a, b in guarded_spans):
            continue
        rest = s[m.end():]
        # a place preposition ends the scope only when words follow it: "not in the car park" leaves the scope,
        # "excluding somebody getting in" is one phrase (a verb particle at the end)
        stop = _NEG_STOP_RX.search(rest)
        if stop and (pre := _PLACE_PREP_RX.match(rest)) and pre.end() > stop.start():
            # "not at the station": the cue is on a place phrase that no name matched (names were read already);
            # the scope runs over it, and a place its words describe is excluded (below)
            stop = _NEG_STOP_RX.search(rest, pre.end())
        end = m.end() + (stop.start() if stop else len(rest))
        words = list(re.finditer(r"\S+", s[m.end(): end]))
        if len(words) > 6:
            end = m.end() + words[5].end()
        if m.group(0).lower() == "non" and words:  # a prefix: "non-white vans", "non-vehicle alerts" negate one word
            end = m.end() + words[0].end()
        elif len(words) > 1 and words[0].group(0).lower() in COLOURS and not _class_word(words[1].group(0).lower()):
            end = m.end() + words[0].end()  # "cars that weren't white parked illegally": the colour is the predicate
        if words:
            neg_spans.append((m.end(), end))
            s = _blank(s, m.start(), m.end())
            phrases.append(m.group(0))

    if lang == "zh":  # a type, class or colour word followed by 不算 / 除外 ("卡车不算": trucks do not count; "白色的除外":
        # white ones excepted) is excluded
        for m in re.finditer("(" + "|".join(re.escape(k) for k in (*_CJK_TYPES, *_CJK_CLASSES, *_CJK_COLOURS))
                             + r")\s*[的车辆那些]{0,3}\s*(?:不算|除外|不要|不用看)", s):
            neg_spans.append((m.start(1), m.end(1)))
            phrases.append(m.group(0))
            s = _blank(s, m.end(1), m.end())

    subject_words = tokens(_unscoped(s, neg_spans))
    # a verb's particle stays with it ("somebody getting in", "people hanging about"): it carries the meaning
    subject_text = " ".join(w for i, w in enumerate(subject_words)
                            if w not in STOP_WORDS or (w in _PARTICLES and i and subject_words[i - 1] not in STOP_WORDS
                                                       and subject_words[i - 1].endswith(("ing", "ed"))))

    # ---- CJK vocabulary (Chinese is written without spaces)
    types: list[str] = []
    colours: list[str] = []
    classes: list[str] = []
    soft_classes: list[str] = []
    soft_types: list[str] = []
    cjk_rest = cjk_chars = ""
    zh_ex_types: list[str] = []
    zh_ex_classes: list[str] = []
    zh_neg_colours: list[str] = []  # colours inside a negation scope (…，除了白色的: not the white ones)
    if lang == "zh":
        s, v, ph, nv = _cjk_take(s, _CJK_TYPES, TYPE_PHRASES, neg_spans)
        for rx, t in _ZH_TYPE_FORMS:  # verb + complement forms no table lists whole: 停在…, 开得特别快, 翻过, 排成长队
            for m in list(rx.finditer(s)):
                target = zh_ex_types if any(a <= m.start() < b for a, b in neg_spans) else v
                if t not in target and t not in types and t not in zh_ex_types:
                    target.append(t)
                ph.append(m.group(0))
                s = _blank(s, m.start(), m.end())
        types += v
        zh_ex_types += nv
        phrases += ph
        s, v, ph, nv = _cjk_take(s, _CJK_COLOURS, COLOURS, neg_spans)
        colours += v
        zh_neg_colours += [c for c in nv if c not in zh_neg_colours]
        phrases += ph
        for m in list(_ZH_COLOUR_RX.finditer(s)):
            c = _ZH_COLOUR_CHARS[m.group("a") or m.group("b")]
            target = zh_neg_colours if any(a <= m.start() < b for a, b in neg_spans) else colours
            if c not in target:
                target.append(c)
            phrases.append(m.group(0))
            s = _blank(s, m.start(), m.end())
        s, v, ph, nv = _cjk_take(s, _CJK_CLASSES, CLASS_SYNONYMS, neg_spans)
        for word in ph:
            cls = CLASS_SYNONYMS[word]
            if cls in v:
                target = soft_classes if word in _WEAK_CLASS_WORDS else classes
                target.extend(c for c in cls if c not in target)
        zh_ex_classes += [c for cls in nv for c in cls]
        phrases += ph
        if zh_neg_colours and (zh_ex_types or zh_ex_classes):  # 除了白色的卡车: the cue is on the thing, the colour
            colours += [c for c in zh_neg_colours if c not in colours]  # describes it (as before)
            zh_neg_colours = []
        # what is left of Chinese carries no filter; a multilingual embedder may still rank by it ("foreign_text")
        # (filler taken out of each run, particles off its ends: "有什么事" leaves nothing, "着火了" leaves 着火)
        cjk_runs = [w for m in re.finditer(r"[\u4e00-\u9fff]+", s)
                    for w in (x.strip(_CJK_PARTICLES) for x in _CJK_FILLER_RX.sub(" ", m.group(0)).split())]
        cjk_rest = " ".join(w for w in cjk_runs if len(w) >= 2)
        cjk_chars = " ".join(w for w in cjk_runs if len(w) == 1 and w not in _CJK_FUNCTION_CHARS)
        s = _CJK.sub(" ", s)

    # ---- words: types, colours, classes, in or out of a negation scope
    rest = [_Tok(m.group(0).lower(), m.start(), m.end()) for m in re.finditer(r"[^\W_]+(?:['’-][^\W_]+)*", s)]
    told = _told_spans(s)

    def is_told(t: _Tok) -> bool:
        return any(a <= t.start < b for a, b in told)

    def negated(t: _Tok) -> bool:
        return any(a <= t.start < b for a, b in neg_spans)

    pos = [t for t in rest if not negated(t)]
    neg = [t for t in rest if negated(t)]
    # ---- a place's description phrase that holds a class word ("cycle lane", "bus wash") names that place (a
    # preference), not the class: places are read before class words (type words keep their meaning: "heavy
    # traffic" stays congestion even where a description says so)
    bigram_words: dict[tuple[str, str], list[str]] = {}
    umbrella_ex: list[str] = []
    if places:
        bigrams = _description_bigrams(tuple(places))
        content_toks = [t for t in pos if t.word not in _ARTICLES]
        for x, y in zip(content_toks, content_toks[1:]):
            if x.used or y.used or not (_class_word(x.word) or _class_word(y.word)):
                continue
            # a pair that is also an incident type ("left luggage") names the place only where a place is expected:
            # "anything at left luggage" is the lockers; "left luggage at the harbour" is the type
            if ((f"{x.word} {y.word}" in TYPE_PHRASES or f"{singular(x.word)} {singular(y.word)}" in TYPE_PHRASES)
                    and not _AT_PLACE_RX.search(s[: x.start])):
                continue
            hits = bigrams.get((singular(x.word), singular(y.word)), ())
            if 0 < len(hits) <= 3:
                x.used = y.used = True
                for p in hits:
                    (soft_zones if p.kind == "zone" else soft_cams).append(p.id)
                    bigram_words.setdefault((p.kind, p.id), []).append(f"{x.word} {y.word}")
                phrases.append(f"{x.word} {y.word}")
                subject_text = " ".join(w for w in subject_text.split() if w not in (x.word, y.word))
    # umbrella words: a domain word and a word for trouble ("traffic problems", "road incidents", "security issues")
    # ask for every type of the domain, not the one the domain word alone would read ("traffic" is congestion)
    for group, target in ((pos, types), (neg, umbrella_ex)):
        words = [t for t in group if t.word not in _ARTICLES]
        for x, y in zip(words, words[1:]):
            if not x.used and not y.used and x.word in _UMBRELLA_DOMAINS and singular(y.word) in _TROUBLE_WORDS:
                x.used = y.used = True
                target.extend(t for t in _UMBRELLA_DOMAINS[x.word] if t not in target)
                phrases.append(f"{x.word} {y.word}")
    t_pos, ph = _match_phrases(pos, TYPE_PHRASES)
    types += [x for x in t_pos if x not in types]
    phrases += ph
    ex_types, ph = _match_phrases(neg, TYPE_PHRASES)
    ex_types += [t for t in umbrella_ex if t not in ex_types]
    phrases += ph
    # a bare word that names a type only among types ("speeding or parking", "other than loitering and parking"):
    # joined to a type read in the same scope, it is that type too; alone it stays a word (the car park)
    for group, target in ((pos, types), (neg, ex_types)):
        if not target:
            continue
        for i, t in enumerate(group):
            head = _LIST_HEADS.get(t.word)
            nxt = group[i + 1].word if i + 1 < len(group) else ""
            if (head and not t.used and head not in target and nxt not in _PLACE_NOUNS
                    and _joined(s, [t.word], rf"(?:{_OR}|{_AND}|,|\bnor\b)")):
                t.used = True
                target.append(head)
                phrases.append(t.word)
    single_type_words = [k for k in TYPE_PHRASES if " " not in k and not _CJK.search(k)]
    for t in pos:
        if not t.used and len(t.word) >= TYPO_MIN_LEN and t.word not in STOP_WORDS and singular(t.word) not in CLASS_SYNONYMS:
            hit = process.extractOne(t.word, single_type_words, scorer=fuzz.ratio, score_cutoff=TYPO_THRESHOLD)
            if hit:
                t.used = True
                if TYPE_PHRASES[hit[0]] not in soft_types:
                    soft_types.append(TYPE_PHRASES[hit[0]])
                phrases.append(t.word)

    keep: list[str] = []
    ex_classes: list[str] = []
    ex_colours: list[str] = []
    # "except vehicles standing still", "not people waiting around": the class word with words no table reads is
    # an incident described, not the class (excluding every vehicle would empty a road camera): the whole phrase
    # goes to meaning (SearchIndex.parse reads its type), and the class is excluded only if meaning reads none
    described = any(not t.used and t.word not in STOP_WORDS and t.word not in COLOURS and not _class_word(t.word)
                    and not t.word.isdigit() for t in neg)
    negated_classes: list[str] = []
    for group, is_neg in ((pos, False), (neg, True)):
        for t in group:
            if t.used:
                continue
            w = singular(t.word)
            if t.word in COLOURS and not is_neg:
                t.used = True
                if COLOURS[t.word] not in colours:
                    colours.append(COLOURS[t.word])
            elif (t.word in COLOURS and is_neg and not ex_types
                  and (not _class_word(after := next((u.word for u in neg if u.start > t.end and not u.used), ""))
                       or _generic_class(after))):
                # "non-white vans", "cars that weren't red", "not white": that colour is out ("not red buses" excludes
                # the class: an exclusion removes each field on its own, so the colour says nothing more there);
                # "excluding white vehicles": a word for every vehicle class only carries the colour, which is out
                t.used = True
                if _generic_class(after):
                    for u in neg:
                        if u.start > t.end and u.word == after:
                            u.used = True
                            break
                if COLOURS[t.word] not in ex_colours:
                    ex_colours.append(COLOURS[t.word])
            elif w in CLASS_SYNONYMS or t.word in CLASS_SYNONYMS:
                cls = CLASS_SYNONYMS.get(t.word) or CLASS_SYNONYMS[w]
                if is_neg:
                    if not ex_types and t.word not in _WEAK_CLASS_WORDS:  # "not somebody loitering" excludes the type, not every person
                        if described:
                            negated_classes.extend(c for c in cls if c not in negated_classes)
                            continue  # the word stays in negated_text
                        t.used = True
                        ex_classes.extend(c for c in cls if c not in ex_classes)
                    continue
                t.used = True
                # a class word that modifies a place noun ("the cycle path", "a bike rack", "the bus shelter") names
                # a place no name matched, not the class: no class is read, and the words stay for ranking
                nxt = next((u for u in rest if u.start > t.end), None)
                compound = (not is_neg and nxt is not None and singular(nxt.word) in _PLACE_HEADS
                            and not s[t.end: nxt.start].strip())
                if compound:
                    keep.append(t.word)
                    continue
                # a class word that modifies another noun ("bus control", "the tram dispatch desk", "taxi company") names
                # a role or an organisation, and one in a clause that says when ("before the buses go out") a moment:
                # the class is a preference there, not a filter
                target = (soft_classes if t.word in _WEAK_CLASS_WORDS or _modifies_noun(t, nxt, s)
                          or _TIME_CLAUSE_RX.search(s, 0, t.start) or _for_place(s[: t.start]) or is_told(t) else classes)
                target.extend(c for c in cls if c not in target)
                if len(cls) > 1:
                    keep.append(t.word)

    if classes and types and all(t in _MIXED_CLASS_TYPES for t in types):
        # "jams where cars queue": a jam holds cars, lorries and buses, and the incident names only the most common
        # class, so the class word ranks (a preference) instead of filtering
        soft_classes.extend(c for c in classes if c not in soft_classes)
        classes = []
    facts: list[FactBound] = []
    speed_hint = bool(_SPEED_HINT_RX.search(q))
    for op, n, unit, cmp in pending_facts:
        got = _fact_for(unit, cmp, types + soft_types, speed_hint=speed_hint or margin)
        if margin and got is not None and got[0] == "speed_kmh":
            got = ("over_limit_kmh", got[1])  # "40 or more over the limit": speed minus limit
        if got is not None:
            value = n * got[1]
            if got[0] == "count" and cmp in INCLUSIVE_COMPARATORS:  # "at least 20 people": a crowd of 20 counts
                value += -0.5 if op == "gt" else 0.5
            facts.append(FactBound(got[0], op, value))
            # a lower bound of a group ("more than 15 people", 超过二十辆) with no type read: only a crowd or a jam
            # counts that many; a small number may be any zone rule's count ("more than one person in the yard")
            kind = _COUNT_KINDS.get((unit or "").lower()) or _COUNT_KINDS.get(singular((unit or "").lower()))
            if got[0] == "count" and op == "gt" and kind and not types and not soft_types and not ex_types:
                (types if value >= GROUP_MIN else soft_types).append(kind)
    if margin and not types and not soft_types and "speeding" not in ex_types and any(b.fact == "over_limit_kmh" for b in facts):
        types.append("speeding")  # a margin over the limit is speeding (only speeding has one)
    if not types and not soft_types and "speeding" not in ex_types and any(b.fact == "speed_kmh" and b.op == "gt" for b in facts):
        types.append("speeding")  # "vehicles over 70 km/h", 时速超过150公里: only the speeding rule measures a speed

    if lang != "en" and not soft_types and not ex_types and not ex_classes:
        # an act at a kind of place says the type where no type word did: "motos aparcadas en la acera", "peatones en
        # las vías", 停在自行车道上, 应急车道停车, "vehículos que llevan más de media hora" (acts.implied_type)
        implied = implied_type(q, lang, classes=(*classes, *soft_classes), facts=facts, current=types)
        if implied is not None:
            types[:] = [implied] if implied else []
    free = [t.word for t in pos if not t.used and t.word not in STOP_WORDS] + keep
    order = {w: i for i, w in enumerate(t.word for t in pos)}
    free.sort(key=lambda w: order.get(w, 0))
    free = list(dict.fromkeys(free))
    neg_free = [t.word for t in neg if not t.used and t.word not in STOP_WORDS]
    if neg_free:  # a verb's particle carries its meaning ("getting in", "hanging around"): kept for the type reader
        neg_free = [t.word for t in neg if not t.used and (t.word not in STOP_WORDS or t.word in _PARTICLES)]

    # ---- description and name words: a place whose description or name holds a leftover word is preferred ("by
    # the kiosk", "at the crossing"); under a negation it is excluded ("not at the station")
    explained: set[str] = set()
    desc_hits: dict[tuple[str, str], int] = {}
    place_words: dict[tuple[str, str], list[str]] = {}  # the leftover words that found each preferred place
    ex_place_words: set[str] = set()
    if places:
        at_place = {t.word for t in rest if _AT_PLACE_RX.search(s[: t.start])}  # right after "at (the)"
        in_place_phrase = {t.word for t in rest if _PLACE_PHRASE_RX.search(s[: t.start])}  # "at the old market"
        # a word right after "the" may name a place by a word of its name ("did the concourse raise"), not only by one
        # of its description's
        after_the = {t.word for t in rest if re.search(r"(?<![\w'])the\s+$", s[: t.start])}
        # the first word a negation reaches ("everywhere except the station") is where a place is expected
        in_place_phrase |= {next(t.word for t in rest if a <= t.start < b and t.word not in _ARTICLES)
                            for a, b in neg_spans if any(a <= t.start < b and t.word not in _ARTICLES for t in rest)}
        # a word before a camera noun names a place too ("excluding the school camera", "not the harbour cam")
        in_place_phrase |= {t.word for t, u in zip(rest, rest[1:]) if u.word in _CAMERA_NOUNS and not s[t.end: u.start].strip()}
        for w, is_neg in [*((w, False) for w in free), *((w, True) for w in neg_free)]:
            if len(w) < 3 or w in keep or w in _NEAR_TOKENS or w.isdigit() or (is_neg and _class_word(w)):
                continue
            if (w in _TYPE_TOKENS or singular(w) in _TYPE_TOKENS) and w not in at_place:  # "crossing" after "at the" is
                continue  # a place, else maybe a type word ("excluding tripwire crossings")
            if is_neg and w not in in_place_phrase:  # an exclusion needs a place phrase: "not at the station"
                continue
            hits = _place_hits(w, tuple(places), w in translated, w in in_place_phrase or (not is_neg and w in after_the))
            if cam_ids and not is_neg and (own := _place_hits(w, tuple(p for p in zone_places if p.camera_id in cam_ids), True, True)):
                hits = own  # a camera is named: its own zones first (停车场入口, "la puerta del colegio")
            owners = {p.id if p.kind == "camera" else p.camera_id for p in hits}
            if len(hits) > 3 and len(owners) == 1 and None not in owners:
                # a word every description of one camera shares ("school" at the school crossing and its gate,
                # crossing and cycle lane) says that camera, not one of its zones
                hits = [p for p in cam_places if p.id in owners] or hits
            if not 0 < len(hits) <= 3:
                continue
            if is_neg:
                ex_place_words.add(w)
                for p in hits:
                    (ex_zones if p.kind == "zone" else ex_cams).append(p.id)
                continue
            explained.add(w)
            for p in hits:
                desc_hits[(p.kind, p.id)] = desc_hits.get((p.kind, p.id), 0) + 1
                place_words.setdefault((p.kind, p.id), []).append(w)
        # two adjacent leftover words that are a pair of a description ("the exit ramp", "the diesel pumps") say that
        # place more surely than either word alone (a word held by many descriptions, "ramp", counts in the pair)
        for a_, b_ in zip(free, free[1:]):  # ``bigrams``: the description pairs read above
            hits = bigrams.get((singular(a_), singular(b_)), ())
            if 0 < len(hits) <= 3:
                explained.update((a_, b_))
                for p in hits:
                    desc_hits[(p.kind, p.id)] = desc_hits.get((p.kind, p.id), 0) + 2
                    place_words.setdefault((p.kind, p.id), []).append(f"{a_} {b_}")
        # the places whose descriptions hold the most of those words ("the airport exit": the exit ramp to the
        # airport road, not every exit nor every road to the airport)
        for kind, target in (("zone", soft_zones), ("camera", soft_cams)):
            best = max((n for (k, _), n in desc_hits.items() if k == kind), default=0)
            target.extend(pid for (k, pid), n in desc_hits.items() if k == kind and n == best)
    neg_free = [w for w in neg_free if w not in ex_place_words]
    subject_text = " ".join(w for w in subject_text.split() if w not in explained)
    vocab_words = set(TYPE_PHRASES) | set(CLASS_SYNONYMS) | set(COLOURS)
    # a word put into English from a place-kind word ("fuel petrol diesel pumps" for 加油区) is known even where no
    # place holds it: the place kind is named, only this deployment spells it another way
    told_only = {t.word for t in pos if is_told(t)} - {t.word for t in pos if not is_told(t)}  # said, not asked about
    unknown = tuple(w for w in free if w not in explained and w not in keep and w not in vocab_words and w not in _NEAR_TOKENS
                    and w not in translated and w not in told_only
                    and singular(w) not in vocab_words and not w.isdigit())
    landmarks = tuple(w for w in unknown if any(t.word == w and _LOCATIVE_RX.search(s[: t.start]) for t in pos))

    if places:
        for k, v in bigram_words.items():
            place_words.setdefault(k, []).extend(v)
        cam_ids, zone_ids, soft_cams, soft_zones = _disjoin(q, places, cam_ids, zone_ids, soft_cams, soft_zones, place_words)
    if _ANY_PLACE_RX.search(q):  # "the latest wrong-way alert, wherever it was": a place said in passing is no preference
        soft_cams, soft_zones = [], []
    filters = IncidentFilter(
        since=tp.since, until=tp.until, cameras=tuple(dict.fromkeys(cam_ids)), zones=tuple(dict.fromkeys(zone_ids)),
        types=tuple(types), classes=tuple(classes), colours=tuple(colours),
    )
    soft = IncidentFilter(types=tuple(t for t in soft_types if t not in types),
                          classes=tuple(c for c in soft_classes if c not in classes),
                          zones=tuple(dict.fromkeys(z for z in soft_zones if z not in zone_ids)),
                          cameras=tuple(dict.fromkeys(c for c in soft_cams if c not in cam_ids)))
    ex_types += [t for t in zh_ex_types if t not in ex_types and t not in types]
    ex_classes += [c for c in zh_ex_classes if c not in ex_classes and c not in classes]
    ex_colours += [c for c in zh_neg_colours if c not in ex_colours and c not in colours]
    hours = tp.hours
    weekdays = tp.weekdays
    ex_since = ex_until = None
    for ntp in neg_tp:
        phrases.extend(ntp.phrases)
        if ntp.weekdays is not None and ntp.since is None and ntp.until is None:
            # days of the week left out are the other days: "except weekends" is Monday-Friday, "not on Mondays"
            weekdays = tuple(d for d in (weekdays if weekdays is not None else range(7)) if d not in ntp.weekdays)
            if ntp.hours is None:
                continue
        if ntp.hours is not None and ntp.since is None and ntp.until is None:
            if hours is None:  # a recurring part left out is the rest of the day: "except at night" is 06-21
                lo, hi = ntp.hours
                hi = hi - 24 if hi > 24 else hi
                hours = (hi, lo if lo > hi else lo + 24)
        elif ex_since is None and ex_until is None:  # one window is left out ("not yesterday", "apart from last night")
            ex_since, ex_until = ntp.since, ntp.until
    exclude = IncidentFilter(since=ex_since, until=ex_until, types=tuple(ex_types), classes=tuple(ex_classes),
                             colours=tuple(ex_colours),
                             cameras=tuple(dict.fromkeys(ex_cams)),
                             zones=tuple(dict.fromkeys(ex_zones)))
    return ParsedQuery(filters=filters, text=" ".join(free), phrases=tuple(phrases), soft=soft, exclude=exclude,
                       facts=tuple(facts), hours=hours, weekdays=weekdays, newest=newest, oldest=oldest, unknown=unknown, landmarks=landmarks,
                       negated_text=" ".join(neg_free),
                       lang=lang, subject_text=subject_text, foreign_text=cjk_rest, foreign_chars=cjk_chars, negated_classes=tuple(negated_classes),
                       loose=("part_of_day",) if tp.loose_part else ())


# A negation cue, then at most a preposition, before what may be a time: "except at night", "not yesterday", "apart
# from last night", "but not during the rush hour". Not "no" / "never" / "without" ("no incidents since Monday?" asks
# about the time, it does not leave it out), and not a bound ("not since", "not before": the window is what is asked).
_NEG_TIME_RX = re.compile("(?:" + _alternation([n for n in NEGATIONS if n not in ("no", "never", "without", "sin", "non")],
                                               r"[\w']") + r")\s*(?:(?:at|in|on|during|over|for|from|在)\s*)?"
                          r"(?!(?:since|before|after|until|till|by|from|desde|antes|despues)\b)")
_NEG_TIME_END_RX = re.compile(r"[,.;!?，。；！？、]|\b(?:and|or|but|y|o|pero)\b|$")


def _negated_times(work: str, *, now: datetime, tz: str) -> tuple[str, list]:
    """Time phrases under a negation, read by the same grammar and blanked: ``(work, [TimeParse, ...])``.

    The phrase must be all time (the longest run of words after the cue that the grammar reads whole, up to the next
    comma or conjunction): "except at night", "not yesterday", "apart from last night", "excepto por la noche";
    "not pedestrians yesterday" keeps its time (the cue is on the class).
    """
    out = []
    for m in list(_NEG_TIME_RX.finditer(work)):
        stop = _NEG_TIME_END_RX.search(work, m.end())
        scope = work[m.end(): stop.start()]
        # the ends to try, longest first: word ends, or character ends in Chinese (除了晚上以外: 晚上)
        ends = ([i + 1 for i in range(min(len(scope), 8))] if _CJK.match(scope)
                else [w.end() for w in re.finditer(r"\S+", scope)][:6])
        for e in reversed(ends):
            end = m.end() + e
            # a weekday left out is that day of every week ("not on Monday", "except on a Sunday")
            said = _ONE_WEEKDAY_RX.sub(lambda d: f" on {_WD_FULL.get(d.group(1).lower(), d.group(1).lower())}s", work[m.end(): end])
            ntp = extract_times(said, now=now, tz=tz)
            if (ntp.since or ntp.until or ntp.hours or ntp.weekdays) and not [w for w in tokens(ntp.rest) if w not in STOP_WORDS
                                                               and w not in _ARTICLES]:
                out.append(ntp)
                work = _blank(work, m.start(), end)
                break
    return work, out


_WD_FULL = {"mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday", "weds": "wednesday", "thu": "thursday",
            "thur": "thursday", "thurs": "thursday", "fri": "friday", "sat": "saturday", "sun": "sunday"}
_ONE_WEEKDAY_RX = re.compile(r"^\s*(?:(?:on|at)\s+)?(?:a\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|"
                             r"weds?|thu|thurs?|fri|sat|sun)s?\s*$", re.IGNORECASE)


# Place nouns that a class word may modify ("cycle path", "bike rack", "bus shelter", "taxi stand"): the pair is a
# place, not the class (a name or alias on the same words is read first, as a place)
_PLACE_HEADS = frozenset("""path lane track stop stand rack park parking bay rank station depot shelter garage lot
    route wash yard platform terminal entrance exit ramp gate interchange""".split())
# Words that follow a class word as what it does or is, not as a noun it modifies ("a bus stuck", "cars queue")
_PREDICATES = frozenset("""stuck left gone go goes come stop wait sit stand block park turn run drive move pass enter cross
    leave idle queue speed jump climb get got hit break broke broken seen spotted caught there here which that who
    with without near alone together nearby outside inside around about again away back""".split())
# A clause that says when, right before a class word: "before the buses go out", "after the trams stop", "once the lorries
# have left"
_TIME_CLAUSE_RX = re.compile(r"(?<![\w'])(?:before|after|until|till|when|whenever|once|while)\s+(?:the\s+|all\s+the\s+|our\s+)?$")


# A query of several sentences, one of them a question: the other sentences are what the operator tells ("FYI the
# new rota starts Monday.", "Our vans use the bay every morning.", "Unit 3 to control, over."), not what is asked.
_SENTENCE_END_RX = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")
_ASKS_RX = re.compile(r"^\W*(?:any|anything|anyone|anybody|what|which|who|where|when|how|was|were|did|do|does|is|are|has|"
                      r"have|had|can|could|show|list|find|give|tell|check)\b", re.IGNORECASE)
# a sentence that tells says who or what with a pronoun, an auxiliary or a note word ("our vans use ...", "FYI the rota
# starts ...", "it was ..."); a bare noun phrase before a question ("lorries on the ramp. any last night?") is its topic
_TELLS_RX = re.compile(r"(?<![\w'])(?:i|i'm|i've|i'll|we|we're|we've|we'll|our|my|us|you|your|they|they're|their|it|it's|"
                       r"there|he|she|his|her|fyi|btw|note|heads|is|are|was|were|will|would|has|have|had|been)(?![\w'])",
                       re.IGNORECASE)
# a day or a span of days said in the question itself ("... yesterday?", "... this past week?")
_DAY_SAID_RX = re.compile(r"(?<![\w'])(?:today|yesterday|tonight|weekend|week|month|fortnight|monday|tuesday|wednesday|"
                          r"thursday|friday|saturday|sunday|ago|since|last|past|\d{1,2}(?:st|nd|rd|th)|\d{4}-\d{2}-\d{2})(?![\w'])",
                          re.IGNORECASE)


def _sentences(s: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``s`` that hold more than white space."""
    cuts = [0, *(m.end() for m in _SENTENCE_END_RX.finditer(s)), len(s)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if s[a:b].strip()]


def _told_spans(s: str) -> list[tuple[int, int]]:
    """Spans of the sentences that tell rather than ask, when another sentence asks (ends with a question mark):
    their classes are preferences and their words no things the question asks about. [] for a one-sentence query,
    or one with no question mark (a note, a list, a request that asks nothing)."""
    spans = _sentences(s)
    if len(spans) < 2:
        return []
    asks = [s[a:b].rstrip().endswith(("?", "？")) for a, b in spans]
    if not any(asks) or all(asks):
        return []
    return [(a, b) for (a, b), q in zip(spans, asks) if not q and not _ASKS_RX.match(s[a:b]) and _TELLS_RX.search(s[a:b])]


# a question that points back at the times told before it ("... between 5 and 9am. Anyone there in that slot on any
# day this week?"): the told hours are the question's, on the days it names
_BACK_REF_RX = re.compile(r"(?<![\w'])(?:that|this|those|these|the\s+same)\s+(?:time\s+)?(?:slot|slots|window|windows|period|"
                          r"hours|span|interval|timeframe|time\s+frame|times)(?![\w'])", re.IGNORECASE)


def _without_told_times(work: str, *, now: datetime, tz: str) -> str:
    """``work`` with the time words of its told sentences taken out when a sentence that asks names its own day
    ("FYI the new rota starts Monday. What came in yesterday?": yesterday, not Monday)."""
    told = _told_spans(work)
    if not told:
        return work
    told_set = set(told)
    asked = " ".join(work[a:b] for a, b in _sentences(work) if (a, b) not in told_set)
    if not _DAY_SAID_RX.search(asked) or not extract_times(asked, now=now, tz=tz).phrases or _BACK_REF_RX.search(asked):
        return work
    for a, b in reversed(told):
        rest = extract_times(work[a:b], now=now, tz=tz).rest
        work = work[:a] + rest + " " + work[b:]
    return work


_FOR_RX = re.compile(r"(?<![\w'])(?P<head>[^\W\d_]{3,})\s+(?:for|para)\s+(?:(?:the|las|los|el|la)\s+)?(?:[^\W\d_]+\s+)?$")


def _for_place(before: str) -> bool:
    """Whether a class word is what a place is for ("bays for disabled people", "plazas para personas con movilidad
    reducida", "a lane for buses"): after "for" / "para" and a plural noun or a place noun."""
    m = _FOR_RX.search(before)
    if not m:
        return False
    h = m.group("head").lower()
    return (singular(h) in _PLACE_HEADS or singular(h) in _PLACE_NOUNS or h in _PLACE_NOUNS
            or (h.endswith("s") and not h.endswith(("ss", "ings")) and h not in STOP_WORDS and singular(h) != h))


def _modifies_noun(t: _Tok, nxt: _Tok | None, s: str) -> bool:
    """Whether the class word ``t`` stands right before a noun it modifies ("bus control", "tram dispatch", "the taxi
    company"): a singular class word, then (no punctuation between) a word that is no class, colour, type, stop or
    predicate word, and no verb form (-ing, -ed, -s)."""
    if nxt is None or s[t.end: nxt.start].strip() or singular(t.word) != t.word:
        return False
    w = nxt.word
    return (w.isalpha() and len(w) >= 3 and not _class_word(w) and w not in COLOURS and w not in STOP_WORDS
            and w not in _PREDICATES and w not in _TYPE_TOKENS and singular(w) not in _TYPE_TOKENS and w not in _NEAR_TOKENS
            and not w.endswith(("ing", "ed")) and not (w.endswith("s") and not w.endswith("ss")))


# Umbrella words: a domain word before a word for trouble names every incident type of the domain.
_VEHICLE_TYPES = ("congestion", "stopped_vehicle", "wrong_way", "speeding", "illegal_parking")
# ("vehicle incidents" stays the class: a car crossing a tripwire is one; "security alerts" may mean any alert)
# Words that name an incident type only in a list of types (alone, "parking" is as often the car park)
_LIST_HEADS = {"parking": "illegal_parking", "aparcamiento": "illegal_parking", "estacionamiento": "illegal_parking"}
# Nouns after which such a word is a place ("parking lot", "parking bay")
_PLACE_NOUNS = frozenset("lot lots garage space spaces bay bays area zone meter meters deck structure spot spots".split())
_UMBRELLA_DOMAINS = {**{w: _VEHICLE_TYPES for w in ("traffic", "road", "roads", "driving", "motoring", "motorist",
                                                     "motorists")},
                     "perimeter": ("intrusion", "loitering", "tripwire")}
_TROUBLE_WORDS = frozenset("""problem issue trouble incident offence offense violation infraction breach event alert
    hazard disruption""".split())
# Words that join alternatives: "the harbour or the station", "either ... or", "km 12 / the school", 或 / 还是, "o" / "u"
_OR = r"(?:\bor\b|\beither\b|/|或者|或|还是|\bo\b(?!['’])|\bu\b)"  # not the o of "8 o'clock"


# "the station and the tram stop": places joined by "and" are both asked about (an incident is at one place, so
# "and" between two places can only mean either); the pattern stands only between a named place and a place word
_AND = r"(?:\band\b|&|\by\b|\be\b|和|与|及|跟)"


def _joined(q: str, words: Sequence[str], join: str = _OR) -> bool:
    """Whether one of ``words`` stands within three words of ``join`` ("or"; after it, or before it)."""
    for w in words:
        wx = re.escape(w)
        if re.search(rf"{join}\s*(?:[^\W_]+\s+){{0,3}}?{wx}(?!\w)|(?<!\w){wx}\s+(?:[^\W_]+\s+){{0,3}}?{join}", q, re.I):
            return True
    return False


def _disjoin(q: str, places: Sequence[Place], cam_ids: list[str], zone_ids: list[str], soft_cams: list[str],
             soft_zones: list[str], place_words: dict[tuple[str, str], list[str]]) -> tuple[list[str], list[str], list[str], list[str]]:
    """Several places named as alternatives are one filter over all of them (an incident is at one place).

    A place found only through a word (a preference) joined by "or" to a named place ("the harbour or the station")
    joins the filter. When the places span two cameras or more and a zone is among them ("the hard shoulder or the
    school crossing"), the filter is their cameras (a zone filter would AND with the other camera and leave
    nothing) and the zones are preferred within it. Returns cameras, zones, preferred cameras, preferred zones."""
    owners: dict[str, set[str]] = {}
    for p in places:
        if p.kind == "zone" and p.camera_id:
            owners.setdefault(p.id, set()).add(p.camera_id)
    if cam_ids or zone_ids:
        up_c = [c for c in soft_cams if c not in cam_ids and _joined(q, place_words.get(("camera", c), ()))]
        up_z = [z for z in soft_zones if z not in zone_ids and _joined(q, place_words.get(("zone", z), ()))]
        if not up_c and not up_z and not zone_ids:  # "the station and the tram stop": a camera word joined by "and"
            up_c = [c for c in soft_cams if c not in cam_ids and _joined(q, place_words.get(("camera", c), ()), _AND)]
        if up_c or up_z:
            cam_ids, zone_ids = [*cam_ids, *up_c], [*zone_ids, *up_z]
            soft_cams = [c for c in soft_cams if c not in up_c]
            soft_zones = [z for z in soft_zones if z not in up_z]
    if cam_ids and zone_ids and all(z in owners for z in zone_ids):
        spanned = set(cam_ids) | {c for z in zone_ids for c in owners[z]}
        if len(spanned) >= 2:
            cam_ids = list(dict.fromkeys([*cam_ids, *(c for z in zone_ids for c in sorted(owners[z]))]))
            soft_zones = list(dict.fromkeys([*zone_ids, *soft_zones]))
            zone_ids = []
    return cam_ids, zone_ids, soft_cams, soft_zones


def _zone_owner_words(places: Sequence[Place]) -> dict[str, frozenset[str]]:
    """zone id -> the words (singular) of its camera's name, aliases and description ("station" for the lockers)."""
    cams = {p.id: p for p in places if p.kind == "camera"}
    out: dict[str, set[str]] = {}
    for z in places:
        if z.kind == "zone" and (c := cams.get(z.camera_id or "")):
            text = " ".join([*(n for n in c.names() if not _CJK.search(n)), c.description])
            out.setdefault(z.id, set()).update(singular(w) for w in tokens(fold(text).replace("-", " "))
                                               if w not in STOP_WORDS and len(w) > 2)
    return {k: frozenset(v) for k, v in out.items()}


def _read_places(work: str, both, phrases: list[str], cam_ids: list[str], zone_ids: list[str], soft_zones: list[str],
                 ex_cams: list[str], ex_zones: list[str], owners: dict[str, frozenset[str]] | None = None,
                 zone_cams: set[tuple[str, str]] | frozenset = frozenset()) -> str:
    """Match camera/zone names and aliases onto ``work``'s words; append what they name to the lists (negated ->
    excluded, after "near" -> a zone preference) and return ``work`` with the words used blanked out.

    A camera's word right before one of its own zones ("the station lockers", "the depot's fuel bay") names that
    zone: the camera word only says whose it is, so "except the station lockers" leaves out the lockers, not the
    whole station (``owners``: zone -> its camera's words; ``zone_cams``: (zone, camera id) pairs)."""
    toks = [_Tok(m.group(0).lower(), m.start(), m.end()) for m in re.finditer(r"[^\W_]+(?:['’-][^\W_]+)*|&", work)]
    toks = [t for t in toks if not _CJK.search(t.word)] or []
    guarded = _guard_type_phrases(toks)  # "aparcamiento indebido" is a type, not the car park's alias
    _, spans = _match_places(toks, both)
    for t in guarded:
        t.used = False
    neg_cues: list[tuple[int, int]] = []
    ex_end = -1  # where the last excluded place ended: a place joined to it is excluded too
    ex_joined = False
    ordered: list = sorted(spans, key=lambda sp: sp[2])
    for i in range(len(ordered) - 1):  # "the depot fuel bay", "the central station's lockers": the zone
        (k1, v1, a1, b1), (k2, v2, a2, b2) = ordered[i], ordered[i + 1]
        if (k1 == "cam" and k2 == "zone" and (v2, v1) in zone_cams and a2 == b1
                and re.fullmatch(r"(?:['’]s)?\s*", work[toks[b1 - 1].end: toks[a2].start])):
            ordered[i], ordered[i + 1] = None, (k2, v2, a1, b2)
    for kind, value, a, b in (sp for sp in ordered if sp is not None):
        phrase = " ".join(t.word for t in toks[a:b])
        before = work[: toks[a].start].lower()
        own = (owners or {}).get(value, frozenset()) if kind == "zone" else frozenset()
        if own and not (_NEG_PLACE_RX.search(before) or _NOTHING_PLACE_RX.search(before)):
            # "except the station lockers": one or two words of the zone's own camera between the cue and the zone
            tail = list(re.finditer(r"(?<![\w'’])([a-z]+)(?:['’]s)?\s+", before))[-2:]
            cue = None
            for k in (1, 2):
                if (len(tail) < k or tail[-1].end() != len(before) or (k == 2 and tail[-2].end() != tail[-1].start())
                        or not all(singular(t.group(1)) in own for t in tail[-k:])):
                    break
                head = before[: tail[-k].start()]
                if cue := _NEG_PLACE_RX.search(head) or _NOTHING_PLACE_RX.search(head):
                    break
            if cue:
                neg_cues.append((cue.start(), toks[a].start))
                ex_zones.append(value)
                phrases.append(phrase)
                ex_end, ex_joined = toks[b - 1].end, False
                continue
        gap = work[ex_end: toks[a].start].lower()
        joined = ex_end >= 0 and (_NEG_JOIN_RX.fullmatch(gap) or (ex_joined and _NEG_JOIN_RX.fullmatch(" and " + gap)))
        if joined or (neg := _NEG_PLACE_RX.search(before) or _NOTHING_PLACE_RX.search(before)):  # "everything except the ring road (and the depot)"
            (ex_zones if kind == "zone" else ex_cams).append(value)
            if not joined:
                neg_cues.append((neg.start(), neg.end()))
            phrases.append(phrase)
            ex_end = toks[b - 1].end
            ex_joined = toks[b - 1].word in ("and", "or", "nor", "&", "y", "o", "ni")  # a fuzzy window took the "and"
            continue
        near = _NEAR_RX.search(before)
        if near and " ".join([w for w in tokens(before) if w not in _ARTICLES][-2:]) in TYPE_PHRASES:
            near = None  # "hanging around the playground": part of a type phrase, not "near"
        if kind == "zone":
            (soft_zones if near else zone_ids).append(value)
        else:
            cam_ids.append(value)
        phrases.append(phrase)
    chars = list(work)
    for a, b in neg_cues:
        chars[a:b] = " " * (b - a)
    for t in toks:
        if t.used:
            chars[t.start: t.end] = " " * (t.end - t.start)
    work = "".join(chars)
    return work


_PLACE_KEYS = sorted(PLACE_WORDS, key=len, reverse=True)
# "number N" right before a Chinese place word: 三号站台 is platform 3 (English puts the number after the noun)
_ZH_ORDINAL_RX = re.compile(r"(\d+|[零一二两三四五六七八九十百]+)\s*号\s*$")


def _translate_places(work: str) -> tuple[str, set[str]]:
    """Chinese / Spanish place-kind words of ``work`` (``vocab.PLACE_WORDS``) rewritten to English, except inside
    an incident-type phrase ("cruce de línea" is the tripwire type, not a junction). Returns the new text and the
    English words put in."""
    low = work.lower()
    # a plain substring test first: only the few keys present are matched as words (the tables hold ~2,000 keys)
    guarded = [(m.start(), m.end()) for k in _TYPE_KEYS_LONGEST if k in low for m in re.finditer(
        re.escape(k) if _CJK.search(k) else r"(?<!\w)" + re.escape(k) + r"(?!\w)", low)]
    out: list[tuple[int, int, str]] = []
    # every key found, then the longest first and, of equal length, the leftmost (校门口 is 校门 "school gate" + 口,
    # not 校 + 门口 "gate"); a type phrase wholly inside a place word does not guard it (出租车停靠站 is a taxi rank
    # although 停靠 alone says "stopped")
    found = sorted(((m.start(), m.end(), k) for k in _PLACE_KEYS if k in low for m in re.finditer(
        re.escape(k) if _CJK.search(k) else r"(?<!\w)" + re.escape(k) + r"(?!\w)", low)), key=lambda f: (f[0] - f[1], f[0]))
    for a, b, k in found:
        if any(a < y and x < b and not (a <= x and y <= b) for x, y in guarded) or any(a < y and x < b for x, y, _ in out):
            continue
        en = PLACE_WORDS[k]
        if _CJK.search(k) and (num := _ZH_ORDINAL_RX.search(low, 0, a)):  # 三号站台 / 2号口 -> "platform 3"
            n = zh_number(num.group(1))
            if n is not None and not any(num.start() < y and x < a for x, y, _ in out):
                a, en = num.start(), f"{en} {n}"
        out.append((a, b, en))
    if not out:
        return work, set()
    # Spanish puts the head first and joins with "de": "las vías del tranvía" is the tram tracks, "la salida del
    # túnel" the tunnel exit. Two place-kind words joined by de / del / de la(s) / de los become one English compound
    # in English order (modifier first), so a name like "tram tracks" reads them as one place.
    out.sort()
    merged: list[tuple[int, int, str]] = []
    for a, b, en in out:
        if merged and re.fullmatch(r"\s*de(?:l|\s+la|\s+las|\s+los)?\s*", low[merged[-1][1]:a]):
            pa, _, pen = merged.pop()
            merged.append((pa, b, f"{en} {pen}"))
        else:
            merged.append((a, b, en))
    for a, b, en in sorted(merged, reverse=True):
        work = work[:a] + f" {en} " + work[b:]
    return work, {w for *_, en in merged for w in en.split()}


@lru_cache(maxsize=4096)
def _place_hits(w: str, places: tuple[Place, ...], translated: bool, place_phrase: bool) -> list[Place]:
    """The places whose description holds the word ``w`` (singular forms compared) and, where ``w`` stands in a
    place phrase ("at the crossing", "by the old market"; elsewhere a name's word may be a thing: "long stops" is
    not the tram stop), whose name or (Latin) aliases hold it. A word put into English from a place-kind word
    ("fuel") is looked up in names when no description holds it."""
    stem = singular(w)
    desc = [p for p in places if p.description and stem in {singular(x) for x in tokens(fold(p.description).replace("-", " "))}]
    if not (place_phrase or (translated and not desc)):
        return desc
    names = [p for p in places if stem in {singular(x) for n in p.names() if not _CJK.search(n) for x in tokens(fold(n))}
             and (p.kind == "zone" or not re.fullmatch(r"[\w-]*\d[\w-]*", w))]
    if translated and desc:
        return desc
    return list(dict.fromkeys([*desc, *names]))


def _class_word(w: str) -> bool:
    return w in CLASS_SYNONYMS or singular(w) in CLASS_SYNONYMS


def _generic_class(w: str) -> bool:
    """A class word that covers every vehicle class, or every class ("vehicles", "traffic", "things")."""
    cls = CLASS_SYNONYMS.get(w) or CLASS_SYNONYMS.get(singular(w)) or ()
    return len(cls) >= 4


@lru_cache(maxsize=64)
def _description_bigrams(places: tuple[Place, ...]) -> dict[tuple[str, str], tuple[Place, ...]]:
    """Adjacent content-word pairs of each place's description (singular), and the places that hold them."""
    out: dict[tuple[str, str], list[Place]] = {}
    for p in places:
        words = [singular(w) for w in tokens(fold(p.description or "").replace("-", " "))]  # "left-luggage lockers"
        for a, b in zip(words, words[1:]):
            if a not in STOP_WORDS and b not in STOP_WORDS and p not in out.setdefault((a, b), []):
                out[(a, b)].append(p)
    return {k: tuple(v) for k, v in out.items()}


_TYPE_KEYS_LONGEST = sorted((k for k in TYPE_PHRASES if " " in k or _CJK.search(k)), key=len, reverse=True)
_MULTI_TYPE = sorted(((k, tokens(k)) for k in TYPE_PHRASES if len(tokens(k)) > 1), key=lambda kv: -len(kv[1]))


def _guard_type_phrases(toks: list[_Tok]) -> list[_Tok]:
    """Mark tokens of multi-word type phrases used (so place matching skips them); returns them to release."""
    out: list[_Tok] = []
    words = [t.word for t in toks]
    present = set(words)
    for _, kw in _MULTI_TYPE:
        if kw[0] not in present:
            continue
        n = len(kw)
        for i in range(len(toks) - n + 1):
            if words[i:i + n] == kw and not any(t.used for t in toks[i:i + n]):
                for t in toks[i:i + n]:
                    t.used = True
                    out.append(t)
    return out


def _words_agree(window: list[str], name: list[str]) -> bool:
    """Every word of the window must be (nearly) a word of the name: "pedestrians on" is not "pedestrian zone"."""
    return all(max(fuzz.ratio(singular(w), singular(n)) for n in name) >= (WORD_MATCH_THRESHOLD if len(w) > 4 else 75.0)
               for w in window)


def _partial_name_matches(toks: list[_Tok], words: list[str], name: list[str], value: str) -> list[tuple[float, int, int, str, str]]:
    """A camera named by a run of at least two of its name's words ("station concourse" for "Central Station
    Concourse"): exact words only (singular), no stop word or number, one of 3 letters or more. Scored at the match
    threshold, so a full name or alias on the same words wins; two cameras sharing the run are both named."""
    out: list[tuple[float, int, int, str, str]] = []
    n = len(name)
    if n < 3:
        return out
    stem = [singular(w) for w in name]
    for a in range(n):
        for b in range(a + 2, n + (a > 0)):  # shorter than the name
            run = name[a:b]
            # a number may close a run after a word ("km 12" of "Ring Road Km 12"), never open it ("12 km" is a speed)
            if (run[0].isdigit() or any(w.isdigit() for w in run[:-1]) or any(w in STOP_WORDS for w in run)
                    or not any(len(w) >= (2 if run[-1].isdigit() else 3) and not w.isdigit() for w in run)):
                continue
            width = b - a
            for i in range(len(toks) - width + 1):
                if not any(t.used for t in toks[i: i + width]) and [singular(w) for w in words[i: i + width]] == stem[a:b]:
                    out.append((NAME_MATCH_THRESHOLD + 0.1 * width, i, i + width, "cam", value))
    return out


try:  # phonetic codes (Metaphone) for place names heard by a voice-to-text box ("the key" for the quay)
    from jellyfish import metaphone as _metaphone
except ImportError:  # pragma: no cover - a dependency of citylens[api]
    _metaphone = None
_SOUND_PLACE_PRE = frozenset({"at", "on", "in", "by", "near", "from", "onto", "along", "off", "outside", "inside", "to"})


@lru_cache(maxsize=8192)
def _sound(word: str) -> str:
    return _metaphone(word) if _metaphone is not None and word.isascii() and word.isalpha() else ""


def _known_word(w: str) -> bool:
    return (w in STOP_WORDS or w in TYPE_PHRASES or w in CLASS_SYNONYMS or singular(w) in CLASS_SYNONYMS or w in COLOURS
            or w in TIME_WORDS)


def _sound_alike_matches(toks: list[_Tok], words: list[str], name: list[str], kind: str, value: str) -> list[tuple[float, int, int, str, str]]:
    """A place name written as it sounds, the way a voice-to-text box writes it: "on the key" (quay), "at the fairy
    ramp" (ferry ramp). Only right after a place preposition and "the", each word the name's word or one that sounds
    the same (Metaphone) and that no table knows, one of them at least four letters of the name; scored at the
    bottom of the name threshold, so any written match wins."""
    if _metaphone is None:
        return []
    n, out = len(name), []
    for i in range(2, len(toks) - n + 1):
        if toks[i - 1].word != "the" or toks[i - 2].word not in _SOUND_PLACE_PRE:
            continue
        window = words[i: i + n]
        if len(window) != n or any(not w for w in window) or any(t.used for t in toks[i: i + n]):
            continue
        heard = [(w, v) for w, v in zip(window, name) if w != v and singular(w) != v]
        if heard and all(len(v) >= 4 and not _known_word(w) and _sound(w) and _sound(w) == _sound(v) for w, v in heard):
            out.append((NAME_MATCH_THRESHOLD, i, i + n, kind, value))
    return out


def _match_places(toks: list[_Tok], names: Sequence[tuple[str, str, str]]) -> tuple[list[str], list[tuple[str, str, int, int]]]:
    """Greedy best-first fuzzy match of (kind, value, name) onto unused word windows; returns values and spans."""
    cands: list[tuple[float, int, int, str, str]] = []
    words = [_norm(t.word) for t in toks]
    name_words = [((kind, value), {singular(w) for w in v.split()}) for kind, value, name in names for v in _name_variants(name)]
    for kind, value, name in names:
        for variant in _name_variants(name):
            n = len(variant.split())
            for width in range(max(1, n - 1), n + 2):
                for i in range(0, len(toks) - width + 1):
                    window = [w for w in words[i: i + width] if w]
                    if not window or any(t.used for t in toks[i: i + width]):
                        continue
                    text = " ".join(window)
                    if n == 1 and len(variant) <= 5:
                        score = 100.0 if singular(text) == variant or text == variant else 0.0  # short: exact only
                    else:
                        score = fuzz.ratio(text, variant)
                        if score >= NAME_MATCH_THRESHOLD and not _words_agree(window, variant.split()):
                            score = 0.0
                    if score >= NAME_MATCH_THRESHOLD and width < n and any(
                            key != (kind, value) and {singular(w) for w in window} <= ws for key, ws in name_words):
                        score = 0.0  # part of a name that is also part of another ("the platform": tram platform or platform 3?)
                    if score >= NAME_MATCH_THRESHOLD:
                        cands.append((score + 0.1 * width, i, i + width, kind, value))
            if kind == "cam":
                cands += _partial_name_matches(toks, words, variant.split(), value)
            cands += _sound_alike_matches(toks, words, variant.split(), kind, value)
    cands.sort(key=lambda c: -c[0])
    taken: list[tuple[int, int, float]] = []
    spans: list[tuple[str, str, int, int]] = []
    values: list[str] = []
    for score, a, b, kind, value in cands:
        clash = [t for t in taken if a < t[1] and t[0] < b]
        # a tie on the same span names several things at once ("5th Ave" is on two junctions)
        if clash and not any(t[0] == a and t[1] == b and abs(t[2] - score) < 1e-9 for t in clash):
            continue
        if (kind, value) in {(k, v) for k, v, *_ in spans}:
            continue
        spans.append((kind, value, a, b))
        values.append(value)
        if not clash:
            taken.append((a, b, score))
    for a, b, _ in taken:
        for t in toks[a:b]:
            t.used = True
    return values, spans
