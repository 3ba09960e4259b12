"""Natural-language time phrases ("last night", "yesterday between 2 and 4 pm") -> a UTC [since, until) window."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import dateparser

# Parts of the day, local time, as [start hour, end hour) — night runs past midnight into the next day.
PARTS_OF_DAY: dict[str, tuple[int, int]] = {
    "morning": (6, 12), "afternoon": (12, 18), "evening": (18, 24), "night": (18, 30),
}
# "at 3pm" means this much either side of the stated time.
AT_SLACK = timedelta(minutes=30)

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# Full names plus unambiguous abbreviations only: "sat", "sun" and "wed" are ordinary English words.
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|thurs|thu|fri)"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_T = r"(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|noon|midnight)"
_TSTRONG = r"(?:\d{1,2}:\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?|\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)|noon|midnight)"
_NUMS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
         "few": 3, "couple of": 2, "couple": 2}
_UNITS = {"min": timedelta(minutes=1), "minute": timedelta(minutes=1), "hr": timedelta(hours=1),
          "hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1),
          "month": timedelta(days=30)}
_NOT_TIME_UNIT = r"(?!\s*(?:min|minutes?|hours?|hrs?|days?|weeks?|secs?|seconds?|people|persons?|cars?|vehicles?|st\b|nd\b|rd\b|th\b))"

_RE_RELATIVE = re.compile(
    r"\b(?:in|within|during|over)?\s*(?:the\s+)?(?:last|past|previous)\s+"
    r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|few|couple of|couple)?\s*"
    r"(?P<unit>min|minute|hr|hour|day|week|month)s?\b")
_RE_PART = re.compile(
    rf"\b(?P<day>this|last|yesterday|today|tomorrow|{_WD})?\s*(?P<part>morning|afternoon|evening|night|tonight|overnight)\b")
_RE_TONIGHT = re.compile(r"\b(?:tonight|overnight)\b")
_RE_DAYWORD = re.compile(rf"\b(?:(?:on|last|this|past)\s+)?(?P<day>day before yesterday|yesterday|today|{_WD})\b")
_RE_DATE = re.compile(
    rf"\b(?:on\s+)?(?P<date>\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s*\d{{4}})?"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s*\d{{4}})?)(?![\w/-])")
_RE_BETWEEN = re.compile(rf"\b(?:between|from)\s+(?P<a>{_T})\s*(?:and|to|till|until|-|–)\s*(?P<b>{_T}){_NOT_TIME_UNIT}")
_RE_DASH = re.compile(rf"\b(?P<a>{_T})\s*(?:-|–|to)\s*(?P<b>{_TSTRONG})")
_RE_SINCE_DAY = re.compile(rf"\bsince\s+(?P<day>yesterday|today|this morning|last night|{_WD})\b")
_RE_BOUND = re.compile(rf"\b(?P<op>since|after|before|until|till)\s+(?P<t>{_T}){_NOT_TIME_UNIT}")
_RE_AT = re.compile(rf"\b(?:at|around|about|circa)\s+(?P<t>{_TSTRONG})")


@dataclass(frozen=True)
class TimeParse:
    """Result of `extract_times`: the UTC window and the text left over.

    Example:
        >>> tp = extract_times("car last night", now=datetime(2024, 3, 6, 12, tzinfo=timezone.utc), tz="UTC")
        >>> (tp.since.hour, tp.until.hour, tp.rest.strip())
        (18, 6, 'car')
    """

    since: datetime | None
    until: datetime | None
    rest: str
    phrases: tuple[str, ...] = ()


def _clock(tok: str) -> tuple[int, int, str | None]:
    tok = tok.strip().lower().replace(".", "")
    if tok == "noon":
        return 12, 0, None
    if tok == "midnight":
        return 0, 0, None
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", tok)
    if not m:
        raise ValueError(tok)
    return int(m.group(1)), int(m.group(2) or 0), m.group(3)


def _to_24(h: int, suffix: str | None) -> int:
    if suffix == "pm" and h < 12:
        return h + 12
    if suffix == "am" and h == 12:
        return 0
    return h


def _clock_range(a: str, b: str) -> tuple[time, time] | None:
    ha, ma, sa = _clock(a)
    hb, mb, sb = _clock(b)
    # "between 2 and 4 pm": the suffix on one end applies to the other; "11 to 1 pm" is 11 am to 1 pm.
    if sa is None and sb is not None:
        sa = sb if _to_24(ha, sb) * 60 + ma <= _to_24(hb, sb) * 60 + mb else ("am" if sb == "pm" else "pm")
    if sb is None and sa is not None:
        sb = sa
    ha, hb = _to_24(ha, sa), _to_24(hb, sb)
    if ha > 23 or hb > 24 or ma > 59 or mb > 59:
        return None
    return time(ha, ma), (time(hb, mb) if hb < 24 else time(0, 0))


def _one_clock(t: str) -> time | None:
    h, m, s = _clock(t)
    h = _to_24(h, s)
    return time(h, m) if h <= 23 and m <= 59 else None


def _weekday_date(word: str, today: date) -> date:
    idx = next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(word[:3]))
    # the most recent such day, today included: operators search the past
    return today - timedelta(days=(today.weekday() - idx) % 7)


def _day_of(word: str, today: date) -> date:
    if word == "today" or word == "this":
        return today
    if word in ("yesterday", "last"):
        return today - timedelta(days=1)
    if word == "day before yesterday":
        return today - timedelta(days=2)
    return _weekday_date(word, today)


def extract_times(text: str, *, now: datetime, tz: str) -> TimeParse:
    """Find time phrases in ``text``; return the UTC window and the text with those phrases blanked out.

    Rules cover what dateparser does not know (parts of the day, ranges, "since"); dateparser parses explicit
    dates ("3 March", "2024-03-01", "5/3" day-first) relative to ``now`` in ``tz``, preferring the past.
    """
    zone = ZoneInfo(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    local_now = now.astimezone(zone)
    today = local_now.date()
    s = text.lower()
    phrases: list[str] = []

    def take(m: re.Match[str]) -> None:
        nonlocal s
        phrases.append(m.group(0).strip())
        s = s[: m.start()] + " " * (m.end() - m.start()) + s[m.end():]

    def at(d: date, t: time = time(0)) -> datetime:
        return datetime.combine(d, t, tzinfo=zone)

    since: datetime | None = None
    until: datetime | None = None
    day: date | None = None

    if m := _RE_RELATIVE.search(s):
        n = m.group("n")
        count = int(n) if n and n.isdigit() else _NUMS.get(n or "", 1)
        since, until = now - count * _UNITS[m.group("unit")], None
        take(m)
    if m := _RE_SINCE_DAY.search(s):
        w = m.group("day")
        if w == "this morning":
            since = at(today, time(6))
        elif w == "last night":
            since = at(today - timedelta(days=1), time(18))
        else:
            since = at(_day_of(w, today))
        until = None
        take(m)

    part: tuple[int, int] | None = None
    if m := _RE_PART.search(s):
        word, name = m.group("day"), m.group("part")
        if name in ("tonight", "overnight"):
            name, word = "night", ("last" if name == "overnight" or local_now.hour < 12 else "this")
        if name == "night" and word is None:
            word = "last" if local_now.hour < 18 else "this"
        part = PARTS_OF_DAY[name]
        day = today if word in (None, "this", "today") else _day_of(word, today)
        take(m)

    if m := _RE_DATE.search(s):
        parsed = dateparser.parse(
            m.group("date"), languages=["en"],
            settings={"RELATIVE_BASE": local_now.replace(tzinfo=None), "PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY"},
        )
        if parsed is not None:
            day = parsed.date()
            take(m)
    if day is None and (m := _RE_DAYWORD.search(s)):
        day = _day_of(m.group("day"), today)
        take(m)

    clock: tuple[time | None, time | None] | None = None  # local [from, to) within the day
    for rx in (_RE_BETWEEN, _RE_DASH):
        if clock is None and (m := rx.search(s)):
            rng = _clock_range(m.group("a"), m.group("b"))
            if rng:
                clock = rng
                take(m)
    if clock is None and (m := _RE_BOUND.search(s)):
        t = _one_clock(m.group("t"))
        if t is not None:
            clock = (None, t) if m.group("op") in ("before", "until", "till") else (t, None)
            open_end = m.group("op") == "since"
            take(m)
            if open_end and day is None:
                start = at(today, t)
                since, until = (start if start <= local_now else start - timedelta(days=1)), None
                clock = None
    if clock is None and (m := _RE_AT.search(s)):
        t = _one_clock(m.group("t"))
        if t is not None:
            centre = datetime.combine(today, t)
            clock = ((centre - AT_SLACK).time(), (centre + AT_SLACK).time())
            take(m)

    if clock is not None:
        explicit_day = day is not None
        d = day or today
        lo, hi = clock
        start = at(d, lo) if lo is not None else at(d)
        end = at(d, hi) if hi is not None else at(d + timedelta(days=1))
        if hi is not None and lo is not None and hi <= lo:
            end += timedelta(days=1)  # "between 22:00 and 02:00" runs past midnight
        if part is not None and lo is None:
            start = at(d, time(part[0]))
        if not explicit_day and start > local_now:
            start, end = start - timedelta(days=1), end - timedelta(days=1)  # "at 3pm" said at 10am = yesterday
        since, until = start, end
    elif part is not None and day is not None:
        since = at(day) + timedelta(hours=part[0])
        until = at(day) + timedelta(hours=part[1])
    elif day is not None:
        since, until = at(day), at(day + timedelta(days=1))

    def utc(x: datetime | None) -> datetime | None:
        return x.astimezone(timezone.utc) if x is not None else None

    return TimeParse(utc(since), utc(until), s, tuple(phrases))
