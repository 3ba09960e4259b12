"""Time expressions -> a UTC [since, until) window and/or a recurring local time-of-day window.

A small compositional grammar instead of a list of whole phrases. The query is scanned for independent
*components*, wherever they stand ("yesterday … in the morning" is one day and one part of the day):

* span     — "in the past 90 minutes", "last 3 days", "this week", "last week", "over the weekend", "2 days ago"
* day      — today / yesterday / day before yesterday / weekday (+ on/last/this) / "the 3rd" / "3 March" / ISO
* part     — morning, afternoon, evening, night, lunchtime, after dark, rush hour, evening peak, … with
             "early"/"late" modifiers ("late Friday" = that evening's last hours)
* clock    — between A and B, from A to B, A-B, after A, before A, since A, until A, at/around A

and then composed: span, else day, narrowed by the part and the clock. A part or clock with no day named is
*recurring* ("at night", "around lunchtime": every night / every lunchtime), returned as local hours for the
ranker to mask. Chinese and Spanish time words are first rewritten to the English ones (``_LANG``), so the
grammar exists once. Explicit calendar dates go to dateparser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import dateparser

from services.search.script import fold, normalise

# Parts of the day as local [start hour, end hour); past 24 runs into the next day.
PARTS_OF_DAY: dict[str, tuple[float, float]] = {
    "morning": (6, 12), "afternoon": (12, 18), "evening": (18, 22), "night": (21, 30), "overnight": (21, 30),
    "evening and night": (18, 30),  # Chinese 晚上 is both: from dusk until the small hours
    "afternoon and early evening": (12, 20),  # Spanish "la tarde": from lunch until dusk, not until 18:00
    "midday hours": (11, 14),  # Chinese 中午: late morning to the end of the lunch break
    "tonight": (18, 30), "after dark": (20, 30), "lunchtime": (11.5, 14.5), "lunch": (11.5, 14.5),
    "midday": (11, 13), "noon": (11, 13), "dawn": (5, 8), "dusk": (17, 20), "small hours": (0, 6),
    "daybreak": (5, 8), "first light": (5, 8), "sunrise": (5, 8), "sunset": (17, 20), "nightfall": (17, 20),
    "morning commute": (7, 10), "evening commute": (16, 19.5), "afternoon rush": (16, 19.5),
    "afternoon rush hour": (16, 19.5), "afternoon peak": (16, 19.5),
    "morning rush hour": (7, 10), "morning rush": (7, 10), "morning peak": (7, 10), "rush hour": (7, 10),
    "evening rush hour": (16, 19.5), "evening rush": (16, 19.5), "evening peak": (16, 19.5), "school run": (7.5, 9),
    # the end of the school day, when children are collected (a primary school lets out around 15:00-15:30)
    "home time": (14.5, 16.5), "hometime": (14.5, 16.5), "pick-up time": (14.5, 16.5), "pickup time": (14.5, 16.5),
    "school pick-up": (14.5, 16.5), "school pickup": (14.5, 16.5), "afternoon school run": (14.5, 16.5),
    "end of school": (14.5, 16.5),
    "daytime": (7, 19), "start of the day": (6, 9), "start of day": (6, 9), "beginning of the day": (6, 9),
    "end of the day": (18, 24), "end of day": (18, 24), "late in the day": (20, 24), "close of business": (17, 20), "working hours": (8, 18), "office hours": (9, 17), "early hours": (0, 6), "wee hours": (0, 6),
    # the light and the working day as people say them (2026-11-29): "in daylight" is the daytime, "after work" the
    # evening commute's end, "after school" the pupils' afternoon, "teatime" late afternoon
    "daylight": (7, 19), "daylight hours": (7, 19), "after work": (17, 20), "after school": (15, 17.5),
    "teatime": (16, 19), "tea time": (16, 19),
}
# Parts that name a moment, not a stretch: as a bound ("since midday", "until noon") they mean the moment.
POINTS: dict[str, float] = {"midday": 12.0, "noon": 12.0, "midday hours": 12.0}
# "after <part>" that is not the rest of the day from the part's end: "after lunch" is the afternoon from about one
# o'clock (not from the end of the widest lunch break, 14:30, until midnight)
AFTER_PARTS: dict[str, tuple[float, float]] = {"lunch": (13.0, 18.0), "lunchtime": (13.0, 18.0)}
# Parts that, with no day named, mean their most recent occurrence (not every day's): the early hours are
# always this morning's.
CONCRETE_PARTS = frozenset({"early hours", "small hours", "wee hours", "start of the day", "start of day",
                            "beginning of the day", "end of the day", "end of day", "late in the day", "close of business"})
# Work shifts as local hours; "the night shift" with no day named is the most recent one that has begun.
SHIFTS: dict[str, tuple[float, float]] = {
    "night": (22, 30), "overnight": (22, 30), "graveyard": (22, 30), "day": (6, 18), "early": (6, 14),
    "morning": (6, 14), "late": (14, 22), "afternoon": (14, 22), "evening": (14, 22), "back": (14, 22),
}
# A modifier on a part of the day where halving the part is not what people mean ("late last night" is 22-02,
# not the small hours).
_MOD_PARTS: dict[tuple[str, str], tuple[float, float]] = {
    ("late", "night"): (22, 26), ("early", "night"): (20, 23), ("late", "tonight"): (22, 26),
    ("early", "evening"): (17, 20), ("late", "evening"): (20, 23),
}
# "at 3pm" means this much either side of the stated time.
AT_SLACK = timedelta(minutes=30)
# "after 10pm", on a named day or not ("after 10pm on Monday", "2026-11-14 after 9pm"), runs on into the night until
# this hour of the next day, not to midnight: the issue's own operators count Monday 00:30 in "after 10pm on
# Monday" (issue 9 lists ending at midnight as a defect); our blind sets leave the small hours don't-care.
NIGHT_ENDS_H = 6

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|thurs|thur|thu|fri)"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_T = r"(?:\d{1,2}(?!\d)(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|h)?|noon|midnight)"  # never the head of a longer number
_TSTRONG = r"(?:\d{1,2}:\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?|\d{1,2}(?!\d)\s*(?:am|pm|a\.m\.|p\.m\.|h)|noon|midnight)"
_NUM = r"(?:\d+|half\s+an?|half|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|sixty|ninety|few|couple of|couple|several)"
_NUMS = {"half a": 0.5, "half an": 0.5, "half": 0.5, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
         "sixty": 60, "ninety": 90, "few": 3, "couple of": 2, "couple": 2, "several": 3}
_UNITS = {"min": timedelta(minutes=1), "minute": timedelta(minutes=1), "hr": timedelta(hours=1),
          "hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1), "fortnight": timedelta(weeks=2),
          "month": timedelta(days=30), "h": timedelta(hours=1), "d": timedelta(days=1), "wk": timedelta(weeks=1),
          "sec": timedelta(seconds=1), "second": timedelta(seconds=1)}
_NOT_UNIT = (r"(?!\s*(?:min|minutes?|hours?|hrs?|days?|weeks?|secs?|seconds?|people|persons?|cars?|vehicles?|km|kmh|mph"
             r"|st\b|nd\b|rd\b|th\b))")
_PARTS_RX = "|".join(sorted((re.escape(k) for k in PARTS_OF_DAY), key=len, reverse=True))

# Every English word of the grammar's own tables (parts of the day, shifts, units, weekdays, months): a word of
# the time vocabulary that the grammar left unread in one phrasing ("during peak", "the lunch break") names a
# time, never a thing the system could fail to see; the "nothing matches" floor (floor.py) does not count it.
# Words of these tables that also name things ("light", "run", "school", "office", "business") are left out.
_TIME_WORDS_THAT_NAME_THINGS = frozenset({"light", "run", "school", "office", "business", "working", "back", "close", "end",
                                          "start", "beginning", "first", "early", "late", "half", "few", "several", "couple",
                                          "march", "small", "wee", "and", "the", "work", "tea"})
TIME_WORDS: frozenset[str] = frozenset(
    w for w in re.findall(r"[a-z]+", " ".join([*PARTS_OF_DAY, *POINTS, *SHIFTS, *CONCRETE_PARTS, *_UNITS, *_WEEKDAYS,
                                               "january february march april june july august september october",
                                               "november december weekend weekday midnight shift yesterday today",
                                               "tomorrow ago fortnight before after during until till since"]))
    if len(w) > 2 and w not in _TIME_WORDS_THAT_NAME_THINGS
) | frozenset(u + "s" for u in _UNITS if len(u) > 2) | {"hrs"}

# Chinese / Spanish time words -> the English the grammar reads (longest first). Numbers in Chinese spans are
# rewritten by _zh_numbers before this. Spanish "la noche" ("ayer en la noche", "el martes por la noche") is the
# evening and the night, from dusk, as "anoche" and Chinese 晚上 are: Spanish names no evening between "la tarde" and it.
_LANG: list[tuple[str, str]] = [
    ("前天", " day before yesterday "), ("昨晚", " yesterday evening and night "), ("今晚", " tonight "), ("昨天", " yesterday "),
    ("今天", " today "), ("今早", " this morning "), ("早上", " morning "), ("上午", " morning "), ("早晨", " morning "),
    ("中午", " midday hours "), ("下午", " afternoon "), ("傍晚", " dusk "), ("晚上", " evening and night "), ("夜里", " night "),
    ("夜间", " night "), ("深夜", " night "), ("凌晨", " small hours "), ("本周", " this week "), ("这周", " this week "),
    ("上周末", " last weekend "), ("周末", " weekend "), ("上周", " last week "), ("高峰", " rush hour "),
    ("天黑后", " after dark "), ("刚才", " in the past 1 hour "), ("刚刚", " in the past 1 hour "), ("星期一", " monday "), ("星期二", " tuesday "),
    ("星期三", " wednesday "), ("星期四", " thursday "), ("星期五", " friday "), ("星期六", " saturday "),
    ("星期日", " sunday "), ("星期天", " sunday "), ("周一", " monday "), ("周二", " tuesday "), ("周三", " wednesday "),
    ("周四", " thursday "), ("周五", " friday "), ("周六", " saturday "), ("周日", " sunday "),
    ("al anochecer", " in the evening "), ("anochecer", " evening "), ("anoche", " last night "), ("esta noche", " tonight "), ("anteayer", " day before yesterday "),
    ("antes de ayer", " day before yesterday "), ("ayer", " yesterday "), ("hoy", " today "),
    ("esta mañana", " this morning "), ("esta tarde", " this afternoon and early evening "), ("por la mañana", " in the morning "),
    ("de la mañana", " in the morning "), ("por la tarde", " in the afternoon and early evening "),
    ("de la tarde", " in the afternoon and early evening "),
    ("al atardecer", " in the evening "), ("atardecer", " evening "), ("por la noche", " evening and night "),
    ("de la noche", " evening and night "), ("de madrugada", " small hours "), ("madrugada", " small hours "),
    ("mediodía", " midday "), ("mediodia", " midday "), ("hora punta", " rush hour "), ("esta semana", " this week "),
    ("la semana pasada", " last week "), ("el fin de semana", " weekend "), ("fin de semana", " weekend "),
    ("lunes", " monday "), ("martes", " tuesday "), ("miércoles", " wednesday "), ("miercoles", " wednesday "),
    ("jueves", " thursday "), ("viernes", " friday "), ("sábado", " saturday "), ("sabado", " saturday "),
    ("domingo", " sunday "), ("en las últimas", " in the past "), ("en los últimos", " in the past "),
    ("las últimas", " past "), ("los últimos", " past "), ("últimas", " past "), ("últimos", " past "),
    ("horas", " hours "), ("hora", " hour "), ("minutos", " minutes "), ("días", " days "), ("dias", " days "),
    ("semanas", " weeks "), ("después de las", " after "), ("despues de las", " after "), ("antes de las", " before "),
    ("desde las", " since "), ("entre las", " between "), ("y las", " and "), ("a las", " at "), ("hace", " ago: "),
    ("de noche", " evening and night "), ("entre el", " between "), ("entre", " between "),
    # more generic operator time words
    ("午饭时间", " lunchtime "), ("午餐时间", " lunchtime "), ("午休", " lunchtime "), ("晚高峰", " evening rush hour "),
    ("早高峰", " morning rush hour "), ("午夜", " around midnight "), ("半夜", " night "), ("夜晚", " night "), ("黄昏", " dusk "),
    ("清晨", " dawn or early morning "), ("白天", " daytime "), ("上个月", " last month "), ("这个月", " this month "),
    ("本月", " this month "), ("上个星期", " last week "), ("上星期", " last week "), ("这个星期", " this week "),
    ("这星期", " this week "), ("上个周末", " last weekend "), ("大前天", " 3 days ago "),
    ("el mes pasado", " last month "), ("este mes", " this month "), ("en la última hora", " in the past hour "),
    ("la última hora", " past hour "), ("hace un rato", " in the past hour "), ("al amanecer", " at dawn "),
    ("amanecer", " dawn "), ("horas pico", " rush hour "), ("hora pico", " rush hour "), ("horas punta", " rush hour "),
    ("en la mañana", " in the morning "), ("durante la mañana", " in the morning "), ("la mañana", " morning "), ("en la tarde", " in the afternoon and early evening "), ("en la noche", " evening and night "),
    ("medianoche", " midnight "), ("después del anochecer", " after dark "), ("despues del anochecer", " after dark "),
    ("tras el anochecer", " after dark "), ("el fin de semana pasado", " last weekend "), ("el finde", " weekend "),
    ("finde", " weekend "), ("la hora de comer", " lunchtime "), ("hora de comer", " lunchtime "),
    ("hora del almuerzo", " lunchtime "),
    # shifts, open ends, first / last thing
    ("turno de noche", " night shift "), ("turno nocturno", " night shift "), ("turno de mañana", " morning shift "),
    ("turno de tarde", " late shift "), ("turno de día", " day shift "), ("夜班", " night shift "), ("白班", " day shift "),
    ("早班", " early shift "), ("晚班", " late shift "), ("中班", " late shift "),
    ("hasta ahora", " until now "), ("hasta el momento", " so far "), ("hasta la fecha", " so far "),
    ("a primera hora de la mañana", " first thing in the morning "), ("a primera hora de", " first thing "), ("a primera hora", " first thing "),
    ("a última hora de la tarde", " late afternoon "), ("a última hora de la noche", " late night "),
    ("esta madrugada", " early hours of this morning "), ("anoche tarde", " late last night "),
    ("到现在", " 到现在 "), ("至今", " 至今 "),
    ("anteanoche", " night before last "), ("la semana antepasada", " the week before last "),
    ("semana antepasada", " week before last "), ("este fin de semana", " this weekend "),
    ("a última hora de", " late "), ("sobre las", " around "), ("hacia las", " around "),
    ("alrededor de las", " around "), ("por la mañana temprano", " early morning "),
    ("temprano por la mañana", " early morning "),
    ("durante el día", " daytime "),
    # more forms (regional, colloquial, written) for the same times
    ("昨夜", " yesterday evening and night "), ("前晚", " day before yesterday evening and night "),
    ("昨早", " yesterday morning "), ("昨天早上", " yesterday morning "), ("今晨", " this morning "),
    ("一大早", " early morning "), ("大清早", " early morning "), ("清早", " early morning "), ("午后", " afternoon "),
    ("晚间", " evening and night "), ("后半夜", " small hours "), ("下半夜", " small hours "), ("上半夜", " late evening "),
    ("黎明", " dawn "), ("今日", " today "), ("昨日", " yesterday "), ("前日", " day before yesterday "),
    ("这周末", " this weekend "), ("本周末", " this weekend "), ("这个周末", " this weekend "), ("不久前", " in the past 2 hours "), ("一早", " first thing "), ("天亮", " dawn "), ("天亮前", " small hours "), ("早些时候", " "), ("上周末", " last weekend "),
    ("antenoche", " day before yesterday after dark "), ("antier", " day before yesterday "), ("ayer en la noche", " yesterday evening and night "),
    ("a partir de las", " since "), ("a partir del", " since "), ("a partir de", " since "), ("a eso de las", " around "),
    ("como a las", " around "), ("cerca de las", " around "), ("pasadas las", " after "), ("tras las", " after "),
    ("el finde pasado", " last weekend "), ("fin de semana pasado", " last weekend "),
    ("anteanoche", " day before yesterday after dark "), ("la noche", " evening and night "), ("noche", " evening and night "),
    ("en las últimas", " in the past "), ("en la última", " in the past "), ("durante la noche", " evening and night "),
    ("a medianoche", " at midnight "),
    ("semana", " week "), ("la última semana", " past week "), ("la ultima semana", " past week "), ("el último mes", " past month "),
    ("los últimos días", " in the past 3 days "), ("estos días", " in the past 3 days "), ("estos últimos días", " in the past 3 days "),
    ("todo el día", " "), ("en lo que va de semana", " this week "), ("lo que va de semana", " this week "),
    ("en lo que va del día", " today "), ("en lo que va de día", " today "), ("en lo que va de mes", " this month "),
    ("en lo que va del mes", " this month "), ("hace poco", " in the past 2 hours "), ("hace un momento", " in the past 1 hour "),
    ("hace nada", " in the past 1 hour "), ("hoy temprano", " early today "), ("ayer temprano", " early yesterday "), ("antes del", " before "), ("antes de", " before "), ("después del", " after "),
    ("después de", " after "), ("después de comer", " after lunch "), ("antes de comer", " before lunch "),
    ("todas las noches", " every night "), ("cada noche", " every night "), ("todas las mañanas", " every morning "),
    ("cada mañana", " every morning "), ("todas las tardes", " every afternoon and early evening "),
    ("a media tarde", " mid afternoon "), ("media tarde", " mid afternoon "), ("a media mañana", " mid morning "),
    ("media mañana", " mid morning "), ("每晚", " every night "), ("每天晚上", " every evening and night "),
    ("每天早上", " every morning "), ("每天下午", " every afternoon "),
    # the start / end of a month or week (月底 the end of the month, 上个月初 the start of last month, 周初 / 周末 is the weekend)
    ("上个月底", " the end of last month "), ("上月底", " the end of last month "), ("上个月初", " the beginning of last month "),
    ("上月初", " the beginning of last month "), ("这个月初", " the beginning of this month "), ("本月初", " the beginning of this month "),
    ("月初", " the beginning of this month "), ("月底", " the end of this month "), ("上个月中", " the middle of last month "),
    ("上周初", " the start of last week "), ("这周初", " the start of this week "), ("本周初", " the start of this week "),
    ("el día entero", " "), ("durante todo el día", " "), ("al mediodía", " at midday "), ("a mediodía", " at midday "),
    # recurring days of the week ("los lunes" is every Monday, "el lunes" one Monday)
    ("los fines de semana", " weekends "), ("fines de semana", " weekends "), ("entre semana", " weekdays "),
    ("días laborables", " weekdays "), ("días laborales", " weekdays "), ("los lunes", " mondays "),
    ("los martes", " tuesdays "), ("los miércoles", " wednesdays "), ("los jueves", " thursdays "),
    ("los viernes", " fridays "), ("los sábados", " saturdays "), ("los domingos", " sundays "),
    ("工作日", " weekdays "), ("每个周末", " every weekend "), ("每周末", " every weekend "), ("周末除外", " except weekends "),
    # regional and colloquial forms (29 Nov 2026, search11es): Mexico's "ahorita" / "hace rato" (just now, a while
    # ago), the River Plate's "a la tarde / a la mañana / a la noche" (in the …), "hoy / ayer de mañana / de tarde"
    # (in the morning / afternoon: "mañana" alone is tomorrow), "la hora de la comida" (Mexico's lunch), a day "de
    # la semana pasada / de esta semana" (of last / this week); Chinese 上班 / 下班高峰 (the morning / evening
    # commute), 大半夜 / 深更半夜 (the dead of night), 前半夜 (the evening's first half)
    ("ahorita", " in the past 1 hour "), ("ahoritita", " in the past 1 hour "), ("ahora mismo", " in the past 1 hour "),
    ("hace rato", " in the past 2 hours "), ("hace un ratito", " in the past 1 hour "), ("hace ratito", " in the past 1 hour "),
    ("hace unos minutos", " in the past 30 minutes "), ("hace unos pocos minutos", " in the past 30 minutes "),
    ("hace unas horas", " in the past 4 hours "), ("hace unas pocas horas", " in the past 4 hours "),
    ("hace unos días", " in the past 4 days "), ("hace unos dias", " in the past 4 days "), ("recién", " in the past 1 hour "),
    ("a la tarde", " in the afternoon and early evening "), ("a la mañana", " in the morning "), ("a la noche", " evening and night "),
    ("temprano hoy", " early today "), ("temprano ayer", " early yesterday "), ("hoy de mañana", " this morning "), ("ayer de mañana", " yesterday morning "),
    ("hoy de tarde", " this afternoon and early evening "), ("ayer de tarde", " yesterday in the afternoon and early evening "), ("hora de la comida", " lunchtime "), ("la hora de la comida", " lunchtime "),
    ("hora del almuerzo", " lunchtime "), ("a la hora del almuerzo", " lunchtime "),
    ("de la semana pasada", " of last week "), ("de esta semana", " of this week "),
    ("horario nocturno", " night "), ("en horario nocturno", " at night "), ("horario diurno", " daytime "),
    ("de día", " daytime "), ("hasta las", " until "), ("hasta el", " until "),
    ("hace hora y media", " 90 minutes ago "), ("hace una hora y media", " 90 minutes ago "),
    ("hace hora y cuarto", " 75 minutes ago "), ("hace una hora y cuarto", " 75 minutes ago "),
    ("por las mañanas", " in the mornings "), ("por las tardes", " in the afternoons "), ("por las noches", " at night "),
    ("en las mañanas", " in the mornings "), ("en las tardes", " in the afternoons "), ("en las noches", " at night "),
    ("el fin de semana antepasado", " the weekend before last "), ("fin de semana antepasado", " the weekend before last "),
    ("el finde antepasado", " the weekend before last "),
    # Cantonese (Hong Kong) day words, after OpenCC: 琴日 / 寻日 yesterday, 琴晚 / 寻晚 last night, 今朝 this morning,
    # 朝早 the morning, 晏昼 the afternoon, 夜晚 ✓
    ("琴日", " yesterday "), ("寻日", " yesterday "), ("琴晚", " yesterday evening and night "),
    ("寻晚", " yesterday evening and night "), ("今朝", " this morning "), ("朝早", " morning "), ("晏昼", " afternoon "),
    ("上班高峰", " morning rush hour "), ("下班高峰", " evening rush hour "), ("早上高峰", " morning rush hour "),
    ("晚上高峰", " evening rush hour "), ("大半夜", " night "), ("深更半夜", " night "), ("前半夜", " late evening "),
]
_LANG = [*_LANG, *((fold(k), v) for k, v in _LANG if fold(k) != k)]  # accents optional: the query is folded
_LANG_MAP = dict(_LANG)
# Latin-script words only whole ("anoche" is not inside "anochecer"); Chinese has no word boundaries.
_LANG_RX = re.compile("|".join(
    (re.escape(k) if re.search(r"[\u4e00-\u9fff]", k) else r"(?<!\w)" + re.escape(k.strip()) + r"(?!\w)")
    for k, _ in sorted(_LANG, key=lambda kv: -len(kv[0]))))
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _zh_numbers(s: str) -> str:
    """过去两小时 -> "in the past 2 hours"; 过去三天 -> "in the past 3 days"; 3天前 -> "3 days ago"."""
    def num(tok: str) -> int:
        if tok.isdigit():
            return int(tok)
        if tok.startswith("十"):
            return 10 + (_ZH_DIGITS.get(tok[1:], 0) if len(tok) > 1 else 0)
        if "十" in tok:
            a, _, b = tok.partition("十")
            return _ZH_DIGITS.get(a, 1) * 10 + (_ZH_DIGITS.get(b, 0) if b else 0)
        return _ZH_DIGITS.get(tok, 1)

    n = r"(\d+|[零一二两三四五六七八九十]+)"
    unit = {"小时": "hours", "个小时": "hours", "分钟": "minutes", "天": "days", "周": "weeks", "星期": "weeks",
            "个星期": "weeks", "礼拜": "weeks", "个礼拜": "weeks", "个月": "months"}
    u = "(个小时|小时|分钟|天|个星期|星期|周|个礼拜|礼拜|个月)"
    # 半小时 / 半个小时 is 30 minutes; 一个半小时 90 (before the numbers below are read)
    s = re.sub(r"(?:一)?个半(?:个)?小时", "90分钟", s)
    s = re.sub(r"半(?:个)?小时", "30分钟", s)
    s = re.sub(r"半个?月", "15天", s)
    s = re.sub(r"(?<![0-9一二两三四五六七八九十])前(?:两|几|2)天", " in the past 3 days ", s)  # a day or two back, a few days back
    # 十点多 (a little after ten) is that hour; 七八点 (seven or eight) runs from the first to the end of the second
    s = re.sub(rf"{n}\s*[点點]多", lambda m: f" {num(m.group(1))}:00到{num(m.group(1)) + 1}:00 ", s)
    s = re.sub(r"([一二三四五六七八九])([二三四五六七八九十])\s*[点點](?!多)",
               lambda m: (f" {num(m.group(1))}:00到{num(m.group(2)) + 1}:00 " if num(m.group(2)) == num(m.group(1)) + 1
                          else m.group(0)), s)
    # Chinese numerals of a calendar date: 十一月二十三日 -> 11月23日
    s = re.sub(r"[零一二两三四五六七八九十]+(?=\s*[月日号])", lambda m: str(num(m.group(0))), s)
    s = re.sub(rf"(?:过去|最近|近|这)\s*(?:的)?\s*{n}\s*{u}", lambda m: f" in the past {num(m.group(1))} {unit[m.group(2)]} ", s)
    s = re.sub(rf"(?:过去|最近|近|这)\s*几\s*{u}", lambda m: f" in the past 3 {unit[m.group(1)]} ", s)  # 这几天: a few
    s = re.sub(rf"{n}\s*{u}(?:以内|之内|内)", lambda m: f" in the past {num(m.group(1))} {unit[m.group(2)]} ", s)
    s = re.sub(rf"{n}\s*{u}(?:之前|以前|前)", lambda m: f" {num(m.group(1))} {unit[m.group(2)]} ago ", s)
    s = re.sub(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[号日]", lambda m: f" {m.group(2)} {_MONTHS_EN[int(m.group(1)) - 1]} ", s)
    # 25号 / 25日 is a date only where a time word, a particle or the end follows: 3号站台 is platform 3
    s = re.sub(r"(?<!\d)([1-9]|[12]\d|3[01])\s*[号日](?=\s*(?:$|[,.;!?，。；！？、的到至和或]|早|上午|中午|下午|晚|夜|凌晨|那天|当天"
               r"|以来|开始|起|前|之前|以前|后|之后|以后|白天|全天|一整天))", lambda m: f" the {m.group(1)}th ", s)
    # clocks: 三点 / 10点半 / 7点15分 -> 3:00 / 10:30 / 7:15; 到 between two clocks, 以后/之后, 以前/之前, 左右 around
    s = re.sub(rf"{n}\s*(?:[点點]|时(?!间|候|段))(?:钟)?\s*(?:(半)|(一刻)|(三刻)|(\d+|[零一二三四五六七八九十]+)\s*分?)?",
               lambda m: f" {num(m.group(1))}:{30 if m.group(2) else 15 if m.group(3) else 45 if m.group(4) else num(m.group(5)) if m.group(5) else 0:02d} ", s)
    clk = r"(\d{1,2}:\d{2})"
    if not re.search(r"[\u4e00-\u9fff]", s):
        return s  # the clock forms below are Chinese ones ("las 18:00" is read by the Spanish rules)
    # a part of the day on each end of a range sets each clock's half: 晚上十点到早上六点 is 22:00 to 06:00
    s = re.sub(rf"(?P<p1>{_ZH_PARTS})?\s*(?P<a>\d{{1,2}}:\d{{2}})\s*(?:到|至|-|~)\s*(?P<p2>{_ZH_PARTS})\s*(?P<b>\d{{1,2}}:\d{{2}})",
               lambda m: f" {m.group('p1') or ''} from {_zh_half(m.group('a'), m.group('p1'))} to {_zh_half(m.group('b'), m.group('p2'))} ", s)
    s = re.sub(rf"{clk}\s*(?:到|至|-|~)\s*{clk}", r" from \1 to \2 ", s)
    # 下午五点以后 is "after 17:00" (to the end of the day), not the rest of the afternoon: the part only says which
    # half of the clock; a part that names a day too (昨晚, 今早) keeps the day, one that names the night (晚上) the night
    s = re.sub(rf"(?P<p>{_ZH_PARTS})\s*(?P<a>\d{{1,2}}:\d{{2}})\s*(?=以后|之后|后|到现在|至今|以来|起|开始)",
               lambda m: f" {m.group('p') if m.group('p') in _ZH_DAY_PARTS else 'evening and night' if m.group('p') in _ZH_NIGHT else ''}"
                         f" {_zh_half(m.group('a'), m.group('p'))}", s)
    # any other part right before a clock sets its half too (下午三点 15:00, 夜里十二点 00:00 of the next day)
    s = re.sub(rf"(?P<p>{_ZH_PARTS})\s*(?P<a>\d{{1,2}}:\d{{2}})", lambda m: f"{m.group('p')} {_zh_half(m.group('a'), m.group('p'))}", s)
    s = re.sub(rf"(?:从|自)?\s*{clk}\s*(?:到现在|至今|以来|到目前为止|起|开始)", r" since \1 ", s)
    s = re.sub(rf"{clk}\s*(?:左右|前后)", r" around \1 ", s)
    s = re.sub(rf"{clk}\s*(?:以后|之后|后)", r" after \1 ", s)
    s = re.sub(rf"{clk}\s*(?:以前|之前|前)", r" before \1 ", s)
    s = re.sub(rf"(?:在\s*)?{clk}", r" at \1 ", s) if not re.search(r"(?:from|after|before|around|since)\s+\d{1,2}:\d{2}", s) else s
    return s


# Chinese parts of the day that fix a clock's half (an hour after them is am or pm)
_ZH_PM = ("下午", "晚上", "傍晚", "夜里", "夜间", "深夜", "今晚", "昨晚", "午后", "黄昏", "晚间")
_ZH_AM = ("早上", "上午", "早晨", "凌晨", "清晨", "今早", "一早", "半夜", "午夜")
_ZH_DAY_PARTS = ("今晚", "昨晚", "今早")
# parts that name the night as well: a clock after them still runs on into the night (昨天晚上九点以后: 21:00-06:00)
_ZH_NIGHT = ("晚上", "夜里", "夜间", "深夜", "晚间")
_ZH_PARTS = "|".join(sorted((*_ZH_PM, *_ZH_AM, "中午"), key=len, reverse=True))


def _zh_half(clock: str, part: str | None) -> str:
    """A clock read after a Chinese part of the day, on the 24 h clock: 晚上 10:00 -> 22:00, 凌晨 12:00 -> 00:00."""
    h, _, mm = clock.partition(":")
    hh = int(h)
    if part in _ZH_PM and 1 <= hh < 12 and not (part in ("深夜", "夜里", "夜间") and hh <= 5):
        hh += 12
    elif part == "中午" and hh <= 2:
        hh += 12
    elif (part in _ZH_AM or part in _ZH_NIGHT) and hh == 12:  # 夜里十二点 / 晚上十二点 is midnight, not noon
        hh = 0
    return f"{hh}:{mm}"


def _month_day(n: int, which: str, today: date) -> date | None:
    """Day ``n`` of this month ("this") or of the month before ("last"); None if there is none (31 November)."""
    first = today.replace(day=1)
    if which == "last":
        first = (first - timedelta(days=1)).replace(day=1)
    try:
        return first.replace(day=n)
    except ValueError:
        return None


# "day N of last / this month" in three languages -> "on YYYY-MM-DD" (before 上个月 / "el mes pasado" read as a span)
_MONTH_DAY_RX = re.compile(
    r"(?P<zw>上个?月|这个?月|本月|当月)\s*(?P<zn>\d{1,2}|[一二三四五六七八九十]+)\s*[号日]"
    r"|\b(?:on\s+)?the\s+(?P<en>\d{1,2})(?:st|nd|rd|th)?\s+of\s+(?:the\s+)?(?P<ew>last|this|previous|past)\s+month\b"
    r"|\b(?:el\s+)?(?:dia\s+)?(?P<sn>\d{1,2})\s+(?:del|de\s+este)\s+mes(?P<sw>\s+(?:pasado|anterior))?\b")


# Two days of the month joined: 20号到22号, "del 20 al 22", "from the 20th to the 22nd" -> "from ISO to ISO"
_DAY_RANGE_RX = re.compile(
    r"(?:(?P<zm>\d{1,2}|[一二三四五六七八九十]+)\s*月\s*)?(?P<za>\d{1,2}|[一二三四五六七八九十]+)\s*[号日]?\s*(?:到|至|~|-)\s*(?P<zb>\d{1,2}|[一二三四五六七八九十]+)\s*[号日]"
    r"|\bdel\s+(?:dia\s+)?(?P<sa>\d{1,2})\s+al\s+(?:dia\s+)?(?P<sb>\d{1,2})\b(?!\s*(?::|am|pm|h\b|de\s+la))"
    r"(?:\s+de\s+(?P<sm>enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre))?"
    r"|\b(?:from|between)\s+the\s+(?P<ea>\d{1,2})(?:st|nd|rd|th)\s+(?:to|and|until|till|through|-)\s+(?:the\s+)?(?P<eb>\d{1,2})(?:st|nd|rd|th)\b"
    r"(?!\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)")  # a month named: calendar_dates


def _day_range_sub(m: re.Match[str], today: date) -> str:
    from services.search.quantities import zh_number

    a = next(iter([zh_number(m.group(g)) for g in ("za", "sa", "ea") if m.group(g)]), None)
    b = next(iter([zh_number(m.group(g)) for g in ("zb", "sb", "eb") if m.group(g)]), None)
    if not a or not b or not (1 <= a <= 31 and 1 <= b <= 31):
        return m.group(0)
    month = (zh_number(m.group("zm")) if m.group("zm") else _MONTHS_ES.index(m.group("sm").replace("setiembre", "septiembre")) + 1
             if m.group("sm") else None)
    end = _ordinal_date(b, today) if month is None else _dated(today.year, month, b, today)
    if end is None:
        return m.group(0)
    start = _month_day(a, "this", end) if a <= b else _month_day(a, "last", end)
    return m.group(0) if start is None else f" from {start.isoformat()} to {end.isoformat()} "


def _dated(year: int, month: int, day: int, today: date) -> date | None:
    """That day of that month, this year if it is not ahead, else last year; None if no such day."""
    try:
        d = date(year, month, day)
        return d if d <= today else date(year - 1, month, day)
    except ValueError:
        return None


def _month_day_sub(m: re.Match[str], today: date) -> str:
    from services.search.quantities import zh_number

    if m.group("zw"):
        n, which = zh_number(m.group("zn")), "last" if m.group("zw").startswith("上") else "this"
    elif m.group("en"):
        n, which = int(m.group("en")), "this" if m.group("ew") == "this" else "last"
    else:
        n, which = int(m.group("sn")), "last" if m.group("sw") else "this"
    d = _month_day(n, which, today) if n else None
    return m.group(0) if d is None else f" on {d.isoformat()} "


# Spanish clock halves: "las 10 de la noche" is 22:00, "las 3 de la madrugada" 03:00, "las 5 de la tarde" 17:00
def _es_half(m: re.Match[str]) -> str:
    h, word = int(m.group("h")), m.group("w")
    pm = word == "tarde" or (word == "noche" and h >= 6)
    return f"{m.group('h')}{m.group('mm') or ''}{'pm' if pm else 'am'}"


_ES_CLOCK_WORDS = {"una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
                   "diez": 10, "once": 11, "doce": 12}


_MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december"]
_MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre"]


def _es_clocks(s: str) -> str:
    """Spanish clock forms -> digits: "las 3 y media" -> "las 3:30", "y cuarto" -> ":15", "las 4 menos cuarto" ->
    "las 3:45", "las 18 hs" / "18 hrs" / "las 9 horas" -> "las 18:00", "de 2 a 4 (de la tarde)" -> "from 2 to 4"."""
    # "las diez", "a la una": a number word after the clock's article is the hour
    s = re.sub(r"\b(las|la)\s+(" + "|".join(_ES_CLOCK_WORDS) + r")\b", lambda m: f"{m.group(1)} {_ES_CLOCK_WORDS[m.group(2)]}", s)
    s = re.sub(r"\b(\d{1,2})\s+y\s+(?:pico|algo|tantos)\b", r"\1:30", s)  # "las 3 y pico": a little after 3 (3:00-4:00)
    s = re.sub(r"\b(\d{1,2})\s+y\s+media\b", r"\1:30", s)
    s = re.sub(r"\b(\d{1,2})\s+y\s+cuarto\b", r"\1:15", s)
    s = re.sub(r"\b(\d{1,2})\s+menos\s+cuarto\b", lambda m: f"{(int(m.group(1)) - 1) % 24}:45", s)
    s = re.sub(r"\b(\d{1,2})\s+en\s+punto\b", r"\1:00", s)
    s = re.sub(r"\b(las|la)\s+(\d{1,2})\s*(?:hs|hrs|h|horas)\b", r"\1 \2:00", s)
    s = re.sub(r"\b(las|la)\s+una\b", r"\1 1:00", s)
    s = re.sub(r"\b12(?::00)?\s+de\s+la\s+noche\b", "midnight", s)  # "las 12 de la noche" is midnight, not noon
    s = re.sub(r"\b(?P<h>\d{1,2})(?P<mm>:\d{2})?\s+de\s+la\s+(?P<w>manana|mañana|tarde|noche|madrugada)\b", _es_half, s)
    return re.sub(r"\b(?:de|desde)\s+(?:las\s+|la\s+)?(\d{1,2}(?::\d{2})?(?:am|pm)?)\s+(?:a|hasta)\s+(?:las\s+|la\s+)?(\d{1,2}(?::\d{2})?(?:am|pm)?|midnight)(?![\w:])(?!\s*(?:minutos|horas|dias|semanas))",
                  r" from \1 to \2 ", s)


def _es_ago(s: str) -> str:
    """Spanish word order: "hace 2 horas" -> "2 hours ago", "el lunes pasado" -> "last monday", "el día 5" -> "the
    5th", "23 de noviembre" -> "23 november", "en la última 30 minutos" (media hora read) -> "in the past 30 minutes"."""
    s = re.sub(r"ago:\s*(\S+)\s+(\w+)", r"\1 \2 ago", s)
    s = re.sub(rf"\b({_WD})\s+pasad[oa]\b|\bpasad[oa]\s+({_WD})\b", lambda m: f"last {m.group(1) or m.group(2)}", s)
    s = re.sub(r"\b(?:en\s+)?(?:la|las|los|el)\s+[uú]ltim[oa]s?\s+(?=\d)", " in the past ", s)
    # "a las 8", "sobre las 8": "las" says it is a clock, so it reads as one ("at 8:00")
    s = re.sub(r"\b(at|around|after|before|since|between|and)\s+(\d{1,2})(?![\d:])(?!\s*(?:am|pm|a\.m\.|p\.m\.|h)\b)", r"\1 \2:00", s)
    return s


def _es_dates(s: str) -> str:
    """"el día 5" -> "the 5th", "23 de noviembre" -> "23 november" (Spanish dates the grammar reads)."""
    # "el 28 por la noche", "el 30 a las 9": a day of the month where a part or a clock follows (not "el 28 de noviembre")
    s = re.sub(r"\bel\s+([12]\d|3[01]|0?[1-9])\s+(?=(?:in\s+the|evening|night|morning|afternoon|small\s+hours|at|after|before|around"
               r"|since|between|until|dusk|midday|lunchtime|daytime|early|late)\b)", r"the \1th ", s)
    if "de" not in s and "dia" not in s and "día" not in s:
        return s
    s = re.sub(r"\b(?:el\s+)?d[ií]a\s+(\d{1,2})\b", r"the \1th", s)
    return re.sub(rf"\b(\d{{1,2}})\s+de\s+({'|'.join(_MONTHS_ES)})\b",
                  lambda m: f"{m.group(1)} {_MONTHS_EN[_MONTHS_ES.index(m.group(2))]}", s)


# ---- calendar dates in any written form -> ISO ("2026-11-23"), read once before the grammar: "23/11", "23/11/2026",
# "23.11.2026", "2026-11-23", "23 November", "23rd of Nov", "Nov 23", "November the 23rd, 2026"; ranges sharing a
# month ("20-22 November", "between the 20th and 22nd of Nov", "Nov 20 to 22") -> "from ISO to ISO"; a weekday
# beside a date ("Monday 23/11", "Mon, 23 Nov", "23/11 (Mon)") says nothing more and is absorbed. With no year, a
# date is the latest one not ahead of today (operators search the past). Numeric dates are day/month (a first
# number over 12 that cannot be a month reads month/day: "11/23").
_MONTH_NUM = {**{m: i + 1 for i, m in enumerate(_MONTHS_EN)}, **{m[:3]: i + 1 for i, m in enumerate(_MONTHS_EN)}, "sept": 9}
_MON = r"(?:" + "|".join(sorted(_MONTH_NUM, key=len, reverse=True)) + r")\.?(?![\w])"
_DOM = r"(?:[12]\d|3[01]|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)?"
_YR = r"(?:,?\s+(?P<y>(?:19|20)\d{2})(?![\d:]))?"
_ISO = r"\d{4}-\d{2}-\d{2}"
_NUMERIC_DATE_RX = re.compile(
    r"(?<![\w/.:-])(?:(?P<Y>(?:19|20)\d{2})-(?P<M>\d{1,2})-(?P<D>\d{1,2})"
    r"|(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<c>\d{4}|\d{2}))?"
    r"|(?P<da>\d{1,2})\.(?P<db>\d{1,2})\.(?P<dc>\d{4}|\d{2})?)(?![\w/:]|\.\d)")
_NAMED_DATE_RX = re.compile(
    # a count after the month's number ("Nov 13 people") is a count; after the month ("13 November people") the day
    # is read already
    rf"\b(?:(?P<d1>{_DOM}){_ORD}\s+(?:of\s+)?(?P<m1>{_MON})|(?P<m2>{_MON})\s+(?:the\s+)?(?P<d2>{_DOM}){_ORD}(?![\d:])"
    r"(?!\s*(?:min|minutes?|hours?|hrs?|days?|weeks?|people|persons?|cars?|vehicles?|km|kmh|mph)\b))"
    + _YR + r"(?!\s*(?:min|minutes?|hours?|hrs?|days?|weeks?|km|kmh|mph)\b)")
_NAMED_RANGE_RX = re.compile(
    rf"\b(?:(?:from|between)\s+)?(?:the\s+)?(?:(?P<a1>{_DOM}){_ORD}\s*(?:-|–|to|till|until|through|thru|and)\s*(?:the\s+)?"
    rf"(?P<b1>{_DOM}){_ORD}\s+(?:of\s+)?(?P<m1>{_MON})|(?P<m2>{_MON})\s+(?:the\s+)?(?P<a2>{_DOM}){_ORD}\s*"
    rf"(?:-|–|to|till|until|through|thru|and)\s*(?:the\s+)?(?P<b2>{_DOM}){_ORD}(?![\d:]))" + _YR)
# every weekday name and its usual short forms
_WD_ALL = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun)"
_DATE_WD = _WD_ALL + r"\.?"
_WD_DATE_RX = re.compile(rf"\b(?:on\s+)?{_DATE_WD},?\s+(?:the\s+)?(?=(?:on\s+)?{_ISO}\b)|(?<=\d{{4}}-\d{{2}}-\d{{2}})(?P<tail>\s*,?\s*\(?{_DATE_WD}\)?)(?!\w)")


def _year_for(month: int, day: int, year: str | None, today: date) -> date | None:
    if year:
        y = int(year)
        try:
            return date(y + 2000 if y < 100 else y, month, day)
        except ValueError:
            return None
    return _dated(today.year, month, day, today)


def _numeric_date(m: re.Match[str], today: date) -> str:
    if m.group("Y"):
        y, mo, d = m.group("Y"), int(m.group("M")), int(m.group("D"))
    elif m.group("a"):
        d, mo, y = int(m.group("a")), int(m.group("b")), m.group("c")
        if mo > 12 and d <= 12:  # "11/23": month first
            d, mo = mo, d
    else:
        d, mo, y = int(m.group("da")), int(m.group("db")), m.group("dc")
        if not y and not m.group(0).endswith("."):
            return m.group(0)  # "23.11" alone may be a number; "23.11." and "23.11.2026" are dates
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return m.group(0)
    got = _year_for(mo, d, y, today)
    return m.group(0) if got is None else f" {got.isoformat()} "


def _named_date(m: re.Match[str], today: date) -> str:
    d = int(m.group("d1") or m.group("d2"))
    got = _year_for(_MONTH_NUM[(m.group("m1") or m.group("m2")).rstrip(".")], d, m.group("y"), today)
    return m.group(0) if got is None else f" {got.isoformat()} "


def _named_range(m: re.Match[str], today: date) -> str:
    a, b = int(m.group("a1") or m.group("a2")), int(m.group("b1") or m.group("b2"))
    month = _MONTH_NUM[(m.group("m1") or m.group("m2")).rstrip(".")]
    end = _year_for(month, b, m.group("y"), today)
    if end is None or a > b:
        return m.group(0)
    try:
        start = end.replace(day=a)
    except ValueError:
        return m.group(0)
    return f" from {start.isoformat()} to {end.isoformat()} "


# A month named with no day: "in November", "during march 2024", "en marzo", "marzo de 2025", 3月份, 2024年3月 -> that
# month, "from ISO to ISO" (both ends included). Words that are also verbs ("may", "march") and short forms need a
# preposition before them or a year after; with no year, the latest such month not ahead of today.
_MONTH_WORD = "|".join(_MONTHS_EN + _MONTHS_ES + ["setiembre"])
_WHOLE_MONTH_RX = re.compile(
    rf"\b(?P<pre>(?:(?:in|during|for|of|throughout|from|en|durante|de)\s+)?(?:(?:the\s+)?month\s+of\s+|el\s+mes\s+de\s+)"
    rf"|(?:in|during|for|of|throughout|from|en|durante|de)\s+)?"
    rf"(?P<m>{_MONTH_WORD}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b(?!\s*\d{{1,2}}\b)"
    r"(?:\s*(?:de\s+|del\s+|,\s*)?(?P<y>(?:19|20)\d{2})\b)?"
    r"|(?:(?P<zy>(?:19|20)\d{2})\s*年\s*)?(?P<zm>1[0-2]|[1-9])\s*月(?:份)?(?![\d号日初中底末])")


def _whole_month(m: re.Match[str], today: date) -> str:
    if m.group("zm"):
        month, year = int(m.group("zm")), m.group("zy")
    else:
        word = m.group("m")
        if not (m.group("pre") or m.group("y")) and (word in ("may", "march") or len(word) <= 4):
            return m.group(0)
        month = (_MONTHS_EN.index(word) + 1 if word in _MONTHS_EN else _MONTHS_ES.index(word) + 1 if word in _MONTHS_ES
                 else 9 if word == "setiembre" else _MONTH_NUM[word])
        year = m.group("y")
    y = int(year) if year else (today.year if month <= today.month else today.year - 1)
    first = date(y, month, 1)
    last = (date(y + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
    return f" from {first.isoformat()} to {last.isoformat()} "


def calendar_dates(s: str, today: date) -> str:
    """Every written calendar date of ``s`` (lower case) as ISO; ranges sharing a month as "from ISO to ISO"; a
    weekday beside a date absorbed (see ``_NUMERIC_DATE_RX`` and its neighbours)."""
    if not re.search(r"\d", s):
        return s
    s = re.sub(r"(?<![\d/])24/7(?![\d/])", " ", s)  # round the clock, not 24 July
    # an ISO timestamp "2026-11-23T14:30(:00)(Z)": that day at that clock
    s = re.sub(r"\b(\d{4}-\d{2}-\d{2})t(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?(?!\w)", r" \1 at \2 ", s)
    s = _NAMED_RANGE_RX.sub(lambda m: _named_range(m, today), s)
    s = _NAMED_DATE_RX.sub(lambda m: _named_date(m, today), s)
    s = _NUMERIC_DATE_RX.sub(lambda m: _numeric_date(m, today), s)
    if re.search(_ISO, s):
        s = _WD_DATE_RX.sub(lambda m: " " if m.group("tail") is None else " ", s)
        # "the night of 2026-11-24 to 2026-11-25", "... into the 25th": one night, the first date's
        s = re.sub(rf"\b(night\s+of\s+)(?:from\s+)?({_ISO})\s*(?:to|into|-|–|/|and)\s*(?:the\s+)?(?:{_ISO}|{_DOM}{_ORD})\b",
                   r"\1\2", s)
    # "Tuesday the 24th", "the 24th (Tue)": the ordinal says the day
    s = re.sub(rf"\b(?:on\s+)?{_DATE_WD},?\s+(?:the\s+)?({_DOM}(?:st|nd|rd|th))\b", r" the \1 ", s)
    s = re.sub(rf"\b(the\s+{_DOM}(?:st|nd|rd|th))\s*,?\s*\(?{_DATE_WD}\)?(?!\w)", r"\1 ", s)
    s = re.sub(rf"\b(night\s+of\s+(?:the\s+)?{_DOM}(?:st|nd|rd|th))\s*(?:into|to|-|–|/)\s*(?:the\s+)?{_DOM}(?:st|nd|rd|th)\b", r"\1", s)
    return s


@dataclass(frozen=True)
class TimeParse:
    """What `extract_times` read: the UTC window, a recurring local window, and the text left over.

    Example:
        >>> tp = extract_times("car last night", now=datetime(2024, 3, 6, 12, tzinfo=timezone.utc), tz="UTC")
        >>> (tp.since.hour, tp.until.hour, tp.rest.strip())
        (18, 6, 'car')
    """

    since: datetime | None
    until: datetime | None
    rest: str
    phrases: tuple[str, ...] = ()
    hours: tuple[float, float] | None = None  # recurring local [start, end) hours, end may pass 24
    # the window's or the recurring hours' edges come from a part of the day with no clock ("this evening", "at
    # night"): where they fall is a convention, so search may widen them when nothing matches (rank.search)
    loose_part: bool = False
    weekdays: tuple[int, ...] | None = None  # recurring local weekdays allowed (0 = Monday): "on weekdays", "weekends"


# Recurring days of the week (a set of weekdays, not one day): a plural ("weekends", "on mondays"), "every" / "each"
# before a day or "weekend", "weekday(s)" / "working days" in any form; "the weekend" alone stays the concrete one.
_DAYSET_RX = re.compile(
    r"\b(?:(?:on|at|during|over|for|in)\s+)?(?:(?:every|each)\s+(?:the\s+)?(?:(?P<ewd>monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday)s?|(?P<ewe>weekend)s?|(?P<ewk>weekday)s?)|(?:(?:a|the)\s+)?(?P<wk>weekdays?|week\s+days|working\s+days|"
    r"workdays|business\s+days)|(?P<we>weekends)|(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s|(?P<ds>dayset[0-6]+))"
    r"(?:\s+only)?\b(?!\s+(?:ago|back|before|earlier)\b)")


_OF_THE_RX = re.compile(r"\b(?P<w>[a-z]+)\s+of\s+the\s+(?P<u>week|month)\b(?!\s+(?:before|of|ago))")
# words whose "of the week / month" is a part of it, read by the grammar ("the end of the week", "the 3rd of the month")
_OF_THE_KEEP = frozenset("""end start beginning middle half rest part day days weekend weekends time st nd rd th
    first second third last""".split())


# A part of the day in the plural is every such part ("in the mornings" = every morning); a day word right before it
# ("weekday mornings", "weekend evenings", "saturday nights") is every such day too, not one of them.
# Any part of the day's name counts: "the morning peaks", "evening rushes", "school runs" (its last word plural).
_PLURAL_PART_RX = re.compile(
    r"\b(?:(?P<d>weekday|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\s+)?"
    r"(?P<p>" + "|".join(sorted((re.escape(k) for k in PARTS_OF_DAY if not k.endswith("s")), key=len, reverse=True))
    + r")(?:(?<=h)es|(?<!h)s)\b")


def _plural_parts(s: str) -> str:
    def every(m: re.Match[str]) -> str:
        if re.search(rf"\b(?:{_NUM}|last|past|previous|\d+)\s*$", s[: m.start()]):  # "the last 2 saturday nights": a span
            return m.group(0)
        return (f"every {m.group('d')} " if m.group("d") else "") + f"every {m.group('p')}"

    return _PLURAL_PART_RX.sub(every, s)


_PART_SG = "|".join(sorted((re.escape(k) for k in PARTS_OF_DAY if not k.endswith("s")), key=len, reverse=True))
# Two weekdays joined, then a part of the day in the plural ("monday to friday mornings", "tuesday and wednesday
# nights", "sat or sun evenings"), or two weekdays both in the plural ("mondays and thursdays"): a set of weekdays,
# every such part; "to" / "through" / a dash is every day from one to the other, "and" / "or" / "&" / "," the two.
_DAY_LIST_RX = re.compile(
    rf"\b(?:(?:on|every)\s+)?(?P<a>{_WD_ALL})(?P<pa>s)?\s*(?P<sep>to|through|thru|till|until|-|–|and|or|&|,)\s*(?P<b>{_WD_ALL})(?P<pb>s)?"
    rf"(?:\s+(?P<p>{_PART_SG})(?P<pp>(?<=h)es|(?<!h)s))?\b")


def _weekday_index(word: str) -> int:
    return next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(word[:3]))


# a span of weeks said beside a weekday range: "last week, Mon-Fri", "this week mon to wed" are those days of it
_WEEK_SPAN_RX = re.compile(r"\b(?:(?:last|this|past|previous)\s+(?:\d+\s+)?(?:weeks?|fortnight)|week\s+before\s+last"
                           r"|(?:\d+|two|three)\s+weeks\s+ago)\b")


def _day_lists(s: str) -> str:
    in_weeks = bool(_WEEK_SPAN_RX.search(s))

    def one(m: re.Match[str]) -> str:
        if not (m.group("pp") or (m.group("pa") and m.group("pb"))) and not (
                in_weeks and m.group("sep") in ("to", "through", "thru", "till", "until", "-", "–")):
            if m.group("sep") == "or" and not (m.group("pa") or m.group("pb")):
                # "friday or saturday night", "on tue or wed": one of two concrete days, so both (a day range of
                # the nearer way round: "sunday or monday" is Sunday to Monday, not the week from Monday)
                a, b = _weekday_index(m.group("a")), _weekday_index(m.group("b"))
                if (b - a) % 7 > 3:
                    a, b = b, a
                tail = f" {m.group('p')}" if m.group("p") else ""
                return f" {_WEEKDAYS[a]} to {_WEEKDAYS[b]}{tail} "
            return m.group(0)  # "monday to wednesday", "friday and saturday night": concrete days, read by the grammar
        a, b = _weekday_index(m.group("a")), _weekday_index(m.group("b"))
        days = ({(a + i) % 7 for i in range((b - a) % 7 + 1)} if m.group("sep") in ("to", "through", "thru", "till",
                                                                                    "until", "-", "–") else {a, b})
        return f" dayset{''.join(str(d) for d in sorted(days))} " + (f"every {m.group('p')} " if m.group("p") else "")

    return _DAY_LIST_RX.sub(one, s)


def _dayset(m: re.Match[str]) -> tuple[int, ...]:
    if m.group("ds"):  # a list or range of weekdays written out ("monday to friday mornings"; _day_lists)
        return tuple(int(c) for c in m.group("ds")[6:])
    if m.group("ewe") or m.group("we"):
        return (5, 6)
    if m.group("ewk") or m.group("wk"):
        return (0, 1, 2, 3, 4)
    return (_WEEKDAYS.index(m.group("ewd") or m.group("wd")),)


def _clock(tok: str) -> tuple[int, int, str | None]:
    tok = tok.strip().lower().replace(".", "")
    if tok == "noon":
        return 12, 0, None
    if tok == "midnight":
        return 0, 0, None
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|h)?", tok)
    if not m:
        raise ValueError(tok)
    suffix = m.group(3)
    return int(m.group(1)), int(m.group(2) or 0), (None if suffix == "h" else suffix)


def _to_24(h: int, suffix: str | None) -> int:
    if suffix == "pm" and h < 12:
        return h + 12
    if suffix == "am" and h == 12:
        return 0
    return h


def _hours(h: int, m: int) -> float:
    return h + m / 60.0


def _clock_range(a: str, b: str, *, pm_hint: bool = False, am_hint: bool = False) -> tuple[float, float] | None:
    ha, ma, sa = _clock(a)
    hb, mb, sb = _clock(b)
    named_a, named_b = (x.strip().lower() in ("noon", "midnight") for x in (a, b))  # already on the 24 h clock
    # "between 2 and 4 pm": the suffix on one end applies to the other; "11 to 1 pm" is 11 am to 1 pm.
    if sa is None and sb is not None and not named_a:
        sa = sb if _to_24(ha, sb) * 60 + ma <= _to_24(hb, sb) * 60 + mb else ("am" if sb == "pm" else "pm")
    if sb is None and sa is not None and not named_b:
        sb = sa
    if named_b and hb == 0 and sa is None and not named_a and 1 <= ha < 12:  # "from 10 to midnight": 22:00
        sa = "pm"
    if named_a and ha == 12 and sb is None and not named_b and hb < 12:  # "from noon to 3"
        sb = "pm"
    if sa is None and sb is None and pm_hint and hb <= 12 and ha <= 12:
        # the later end takes whichever half of the clock makes the shorter span: "between 11 and 1 last night"
        # is 23:00-01:00, "between 12 and 2 in the afternoon" 12:00-14:00
        sa, a24 = "pm", _to_24(ha, "pm") * 60 + ma
        sb = min(("pm", "am"), key=lambda x: (_to_24(hb, x) * 60 + mb - a24) % 1440 or 1440)
    if sa is None and sb is None and not named_a and not named_b and not pm_hint and 8 <= ha <= 12 and hb < ha:
        sb = "pm"  # "between 11 and 1": 11:00-13:00, not 11:00 to 01:00
    if sa is None and sb is None and not named_a and not am_hint and ha <= 7 and hb <= 8 and ha < hb:  # "between 2 and 4": afternoon, not night
        sa = sb = "pm"
    ha, hb = _to_24(ha, sa), _to_24(hb, sb)
    if ha > 23 or hb > 24 or ma > 59 or mb > 59:
        return None
    lo, hi = _hours(ha, ma), _hours(hb, mb)
    return lo, (hi if hi > lo else hi + 24)


def _one_clock(t: str, *, pm_hint: bool = False) -> float | None:
    h, m, s = _clock(t)
    if s is None and pm_hint and 1 <= h <= 11:
        s = "pm"
    h = _to_24(h, s)
    return _hours(h, m) if h <= 23 and m <= 59 else None


def _weekday_date(word: str, today: date, *, strictly_past: bool = False) -> date:
    idx = _weekday_index(word)
    back = (today.weekday() - idx) % 7
    if strictly_past and back == 0:
        back = 7
    return today - timedelta(days=back)  # the most recent such day: operators search the past


def _ordinal_date(n: int, today: date) -> date | None:
    """'the 3rd': the most recent 3rd of a month, today included."""
    d = today
    for _ in range(2):
        try:
            cand = d.replace(day=n)
        except ValueError:
            cand = None
        if cand is not None and cand <= today:
            return cand
        d = (d.replace(day=1) - timedelta(days=1))
    return None


_DTDAY = rf"(?:day before yesterday|yesterday|today|{_WD}|\d{{4}}-\d{{2}}-\d{{2}})"
_RX = {
    # "last week" / "last month" with no number are the calendar week / month before this one (the "week" and
    # "month" components); "past week", "last 7 days", "last 2 weeks" are rolling spans
    "span": re.compile(rf"\b(?:(?:in|within|during|over|for)\s+)?(?:the\s+)?(?:(?:last|previous)\s+(?!(?:week|month)\b)|past\s+)"
                       rf"(?P<n>{_NUM})?\s*(?P<unit>min|minute|hr|hour|h|day|d|week|wk|fortnight|month|sec|second)s?\b"
                       rf"|\bwithin\s+the\s+(?P<unit1>hour|day|week)\b"),
    # the age of an incident: "older than 2 hours", "more than 3 days ago", "at least an hour ago" (until then);
    # "newer than 30 minutes", "less than an hour old", "under 2 hours ago" (since then)
    "age": re.compile(rf"\b(?:(?:older\s+than|(?P<new>(?:newer|fresher|younger)\s+than))\s+(?:the\s+)?(?P<n>{_NUM})\s+"
                      rf"(?P<unit>min|minute|hr|hour|day|week)s?(?:\s+(?:old|ago))?"
                      rf"|(?:(?P<lt>less\s+than|under)|more\s+than|over|at\s+least|upwards\s+of)\s+(?P<n2>{_NUM})\s+"
                      rf"(?P<unit2>min|minute|hr|hour|day|week)s?\s+(?:ago|old))\b"),
    "ago": re.compile(rf"\b(?P<n>{_NUM})\s+(?P<unit>min|minute|hr|hour|day|week)s?\s+ago\b"),
    "week": re.compile(r"\b(?:(?:during|over|in|for|earlier|later)\s+)?(?:(?P<which>this|last|past|previous)\s+week"
                       r"|(?:the\s+)?(?P<before>week\s+before\s+last))\b"),
    "weekend": re.compile(rf"\b(?:(?:over|at|during|on|for)\s+)?(?:the\s+)?(?:(?P<which>this|last|past)?\s*weekend"
                          rf"(?P<before>\s+before\s+last)?|(?P<n>{_NUM})\s+weekends\s+ago)\b"),
    "month": re.compile(r"\b(?:(?:during|in)\s+)?(?P<which>this|last)\s+month\b"),
    "daterange": re.compile(r"\b(?:(?:from|between)\s+)?(?:on\s+)?(?P<a>\d{4}-\d{2}-\d{2})\s*(?:to|and|until|till|through|thru|-|–)\s*"
                            r"(?:on\s+)?(?P<b>\d{4}-\d{2}-\d{2})\b"),
    # a bound on a whole day: "before 2026-11-20" (up to its start), "after" (from the next day), "until / by" (to its end)
    "datebound": re.compile(r"\b(?P<op>before|prior\s+to|after|until|till|up\s+to|by|through)\s+(?:the\s+)?(?P<d>\d{4}-\d{2}-\d{2})\b"),
    "shift": re.compile(rf"\b(?:(?:on|during|in|over|from|for)\s+)?(?:the\s+)?(?P<which>{'|'.join(SHIFTS)})\s+shifts?\b"),
    "last_night": re.compile(r"\b(?:(?P<mod>early|late)\s+)?(?:(?:last|previous)\s+night|overnight|tonight)\b"),
    "part": re.compile(rf"\b(?:(?:earlier|later)\s+)?(?:(?:in|during|at|on|around|about|over|by)\s+)?(?:the\s+)?(?:(?P<mod>early|late|mid|first\s+thing(?:\s+in\s+the)?)"
                       rf"(?:[\s-]+|(?=morning|afternoon|evening)))?(?P<part>{_PARTS_RX})\b"),
    "late_day": re.compile(rf"\b(?P<mod>late|early)\s+(?:on\s+)?(?P<day>{_WD}|yesterday|today)\b"),
    "date": re.compile(rf"\b(?:on\s+)?(?P<date>\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?"
                       rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s*\d{{4}})?"
                       rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s*\d{{4}})?)(?![\w/-])"),
    # "the 3rd", "on the 14th", "14th after 6pm"; not "the 2nd floor", "3rd exit"
    "ordinal": re.compile(r"\b(?:(?:on|of)\s+)?(?:the\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)\b(?!\s(?:floor|level|platform|lane|street"
                          r"|st|avenue|ave|road|rd|exit|gate|bay|entrance)s?\b)"),
    # "monday to wednesday", "from tuesday until today", "between monday and wednesday": whole days, both included
    # a window from one day's clock to another's: "from 3pm yesterday to 8am today", "since yesterday at 3pm
    # hasta today at 8am" (Spanish), "从 yesterday afternoon at 15:00 到 today morning at 8:00" (Chinese, rewritten)
    "dtrange": re.compile(
        rf"(?:\b(?:from|since|between)\s+|从|自)?\s*(?:(?P<a1>{_TSTRONG})\s+(?:on\s+)?(?P<d1>{_DTDAY})|(?:on\s+)?(?P<d1b>{_DTDAY})"
        rf"\s+(?:(?:in\s+the\s+)?(?P<p1>{_PARTS_RX})\s+)?(?:at\s+)?(?P<a1b>{_T}))\s*(?:\b(?:to|until|till|and|hasta)\b|到|至|-|–)\s*"
        rf"(?:(?P<a2>{_TSTRONG})\s+(?:on\s+)?(?P<d2>{_DTDAY})|(?:on\s+)?(?P<d2b>{_DTDAY})\s+(?:(?:in\s+the\s+)?(?P<p2>{_PARTS_RX})\s+)?"
        rf"(?:at\s+)?(?P<a2b>{_T}))(?![\w:])"),
    # from one day's part to another's: "from friday evening until saturday morning", "desde el viernes en la noche
    # hasta el sábado en la mañana" (rewritten): the first part's start to the second part's end
    "dprange": re.compile(
        rf"\b(?:(?:from|since|between)\s+)?(?:on\s+)?(?P<d1>{_DTDAY})\s+(?:in\s+the\s+|at\s+)?(?P<p1>{_PARTS_RX})\s+"
        rf"(?:to|until|till|and|hasta|到|至)\s*(?:on\s+)?(?P<d2>{_DTDAY})\s+(?:in\s+the\s+|at\s+)?(?P<p2>{_PARTS_RX})\b"),
    "dayrange": re.compile(rf"\b(?:(?:from|between)\s+)?(?:on\s+)?(?P<a>{_WD}|yesterday|today)\s+(?:to|until|till|through|thru|and|-|–)\s+"
                           rf"(?:on\s+)?(?P<b>{_WD}|yesterday|today)\b"),
    "dayword": re.compile(rf"\b(?:(?:on|last|this|past|earlier|later)\s+)?(?P<day>day before yesterday|yesterday|yday|yest|today|tdy|{_WD})\b"),
    "between": re.compile(rf"\b(?:between|from)\s+(?P<a>{_T})\s*(?:and|to|till|until|-|–)\s*(?P<b>{_T}){_NOT_UNIT}"),
    # "8am till noon", "9 until 5pm": a range needs no "from" when its end is a clock for sure
    "dash": re.compile(rf"\b(?P<a>{_T})\s*(?:-|–|to|till|until|til)\s*(?P<b>{_TSTRONG})"),
    "bound": re.compile(rf"\b(?P<op>since|after|before|until|till|til|up\s+to|up\s+till|by)\s+(?P<t>{_T}){_NOT_UNIT}"),
    "at": re.compile(rf"\b(?:at|around|about|circa|approx\.?|approximately|roughly|ca\.)\s+(?P<t>{_TSTRONG})"),
    "bare": re.compile(rf"\b(?P<t>\d{{1,2}}(?::\d{{2}})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{{1,2}}:\d{{2}})(?![\w:])"),  # a colon says clock
    "at_weak": re.compile(rf"\b(?:at|around|about|circa|approx\.?|approximately|roughly|ca\.)\s+(?P<t>\d{{1,2}}(?::\d{{2}})?){_NOT_UNIT}\b(?![:/.-]\d)"),
}


# "since Monday", "from midday today until now": an open window from the start of the time expression that follows.
_SINCE_AHEAD = (rf"(?=(?:the\s+)?(?:(?:this|last|early|late|first\s+thing)\s+)?(?:{_PARTS_RX}|day before yesterday|yesterday|today"
                rf"|last\s+night|{_WD}|{_MONTH}|\d{{1,2}}(?:st|nd|rd|th)\b|\d{{1,2}}\s+{_MONTH}|\d{{4}}-|{_TSTRONG}"
                rf"|week|month|weekend)\b)")  # "since last week", "since the weekend": from its start until now
# "from 9am", "from 19:00 yesterday" with no end named is "since" that clock (an end: "from 9am to 11am", "from 7 - 9pm")
_RANGE_END_RX = re.compile(r"\s*(?:-|–|to\b|till\b|until\b|til\b|and\b|through\b|thru\b)")
_SINCE_RX = re.compile(rf"\b(?P<op>since|from|starting|beginning)\s+{_SINCE_AHEAD}")
_CLOCK_AHEAD = re.compile(rf"\s*{_TSTRONG}")
_DAY_AFTER_CLOCK_RX = re.compile(rf"\s*(?:on\s+)?(?:yesterday|today|this\s+morning|this\s+afternoon|this\s+evening|{_WD})\b")
# a clock written with a dot ("7.30pm", "at 6.45", "from 21.15", "4.30 to 7.30"): the colon's, when an am / pm, a
# clock word or a second dotted clock joined to it says so
_DOT_RANGE_RX = re.compile(r"(?<![\d.])([01]?\d|2[0-3])\.([0-5]\d)(\s*(?:-|–|to|till|until|and)\s*)([01]?\d|2[0-3])\.([0-5]\d)"
                           r"(?![\d.])(?!\s*(?:%|km|kmh|mph|m\b|metres|meters|min|mins|minutes|hours?|hrs?|secs?|seconds))")
_DOT_CLOCK_RX = re.compile(
    r"(?<![\d.])(?P<h>[01]?\d|2[0-3])\.(?P<m>[0-5]\d)(?![\d.])(?=\s*(?:am|pm|a\.m\.|p\.m\.|h\b|hrs\b))"
    r"|(?P<pre>\b(?:at|around|about|from|after|before|until|till|by|since|between|approx|approximately|circa)\s+)"
    r"(?P<h2>[01]?\d|2[0-3])\.(?P<m2>[0-5]\d)(?![\d.])(?!\s*(?:%|km|kmh|mph|m\b|metres|meters|min|mins|minutes|hours?|hrs?|secs?|seconds|people|persons|cars|vehicles|x\b))")
# "... until now", "so far", "onwards": the window runs to the present
_OPEN_END_RX = re.compile(r"\b(?:(?:up\s+)?(?:until|till|til|to)\s+(?:now|the\s+present|present)|so\s+far|onwards?|up\s+to\s+date)\b")
# A bound on a part of the day: "before the morning rush", "after lunch", "until the evening"
_PART_BOUND_RX = re.compile(r"\b(?P<op>before|after|until|till|by)\s+$")
# Short weekday names that are also English words ("sat", "sun", "wed") are days only beside a part of the day or
# after a day preposition: "sat night", "on sun", "since wed".
_SHORT_DAYS = {"sat": "saturday", "sun": "sunday", "wed": "wednesday"}
_SHORT_DAY_RX = re.compile(rf"\b(?:(?P<pre>on|last|this|since|from|until|before|after|every)\s+)?(?P<d>sat|sun|wed)\b"
                           rf"(?P<post>(?=\s+(?:(?:{_PARTS_RX})\b|shift\b|am\b|pm\b|\d)))?")
# "late yesterday evening", "early this morning", "first thing on Monday morning": the modifier moves next to the part
_MOD_DAY_RX = re.compile(rf"\b(?P<mod>early|late|mid|first\s+thing)\s+(?P<day>(?:on\s+)?(?:this|yesterday|today|{_WD})(?:'s)?)\s+"
                         rf"(?=(?:in\s+the\s+)?(?:{_PARTS_RX})\b)")
# Chinese / Spanish "since": 从周一起, 周一以来, 自昨天, desde el lunes (after the time words are in English)
_DAY_EN = rf"(?:day before yesterday|yesterday|today|this morning|last night|{_WD}|the \d{{1,2}}th|\d{{4}}-\d{{2}}-\d{{2}}|{_PARTS_RX})"
_ZH_SINCE_RX = re.compile(rf"(?:从|自从|自)\s*(?:这|本)?\s*(?P<x>{_DAY_EN}(?:\s*{_DAY_EN})*)\s*(?:起|开始|以来|至今|到现在)?"
                          rf"|(?:这|本)?\s*(?P<y>{_DAY_EN}(?:\s*{_DAY_EN})*)\s*(?:以来|起|开始|至今|到现在)")
# 中午以后 = after midday, 早高峰之前 = before the morning rush (after the time words are in English)
_ZH_PART_BOUND_RX = re.compile(rf"(?P<p>(?:morning |evening )?(?:{_PARTS_RX}))\s*(?P<op>以后|之后|以前|之前)")
_ES_SINCE_RX = re.compile(rf"\bdesde\s+(?:el\s+|la\s+|las\s+|los\s+)?(?={_DAY_EN}|since\b|\d)")


# "0700", "2130hrs": a 24-hour clock written without a colon (after a clock word or with an "h"/"hrs" after it)
_MIL_RX = re.compile(r"\b(?:(?P<pre>(?:at|around|about|approx\.?|approximately|circa|from|since|before|after|until|till"
                     r"|between|and|to|by)\s+)(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)(?:\s*(?:h|hrs|hours)\b)?"
                     r"|(?P<h2>[01]\d|2[0-3])(?P<m2>[0-5]\d)\s*(?:h|hrs|hours)\b)(?![\d/-])")
# "this am", "yesterday pm", "monday a.m.": the morning / the afternoon of that day
_AMPM_DAY_RX = re.compile(rf"\b(?P<d>this|yesterday|yday|yest|today|tdy|{_WD})\s+(?P<ap>am|pm|a\.m\.|p\.m\.)(?!\w)")


# "saturday last week", "last week's saturday", "wednesday of this week": a weekday of a named calendar week
_WEEK_DAY_RX = re.compile(rf"\b(?:on\s+)?(?P<d>{_WD})(?:\s+of)?\s+(?P<w>last|this|previous)\s+week\b"
                          rf"|\b(?P<w2>last|this|previous)\s+week'?s?\s+(?P<d2>{_WD})\b")


def _week_day(m: re.Match[str], today: date) -> str:
    word, which = m.group("d") or m.group("d2"), m.group("w") or m.group("w2")
    idx = _weekday_index(word)
    monday = today - timedelta(days=today.weekday() + (0 if which == "this" else 7))
    return f"on {(monday + timedelta(days=idx)).isoformat()}"


# Days ahead: "next tuesday", "tomorrow", "next week", "el próximo martes", "el martes que viene", 下周二, 明天. Operators
# search the past, so a weekday alone is the latest one gone (Spanish "mañana" with no article, left after "esta /
# por la mañana" were read, is tomorrow: "incidencias de mañana"); a day said to lie ahead is put as its ISO date (or a
# range of them), so the window is in the future and a question about it answers "nothing" instead of last week's.
_ZH_NEXT_RX = re.compile(r"下(?:个)?(?:周|星期)([一二三四五六日天])|(明天|明日)|下(?:个)?(?:周|星期)(?![一二三四五六日天])|(下(?:个)?月)")
_NEXT_RX = re.compile(rf"\b(?:(?:the\s+)?(?:next|coming|(?:el\s+|la\s+)?proxim[oa])\s+(?P<d>{_WD})|(?:el\s+)?(?P<d2>{_WD})\s+que\s+viene"
                      rf"|(?P<tm>tomorrow|tmrw|tmw|(?<!la\s)(?:pasado\s+)?manana)|(?:the\s+)?(?:next|coming)\s+(?P<u>week|month)|(?:la\s+)?(?:proxima\s+(?P<ue>semana|week)"
                      rf"|(?:semana|week)\s+que\s+viene)|(?:el\s+)?(?:proximo\s+(?P<um>mes)|mes\s+que\s+viene))\b")


def _zh_future(s: str) -> str:
    def zh(m: re.Match[str]) -> str:
        if m.group(1):
            return f" next {_WEEKDAYS[min(_ZH_WD.index(m.group(1)), 6)]} "
        return " tomorrow " if m.group(2) else " next month " if m.group(3) else " next week "

    if "下" in s or "明" in s:  # before the weekday and month words are put into English (周二 -> tuesday)
        s = _ZH_NEXT_RX.sub(zh, s)
    return s



# ---- operator forms read as the grammar's own (helper search9, from the ninth blind set's dev misses; unit tests on
# made-up wordings in tests/test_search_time_forms.py)

_ES_WD_PLURAL = {"lunes": "monday", "martes": "tuesday", "miercoles": "wednesday", "jueves": "thursday",
                 "viernes": "friday", "sabados": "saturday", "domingos": "sunday"}
# counts of weeks back, from the module's number words (English, Spanish)
_COUNT_WORDS = {w: int(_NUMS[w]) for w in ("one", "a", "two", "three", "four", "five", "six")} | \
    {w: _ES_CLOCK_WORDS[w] for w in ("dos", "tres", "cuatro", "cinco", "seis")} | {"uno": 1, "un": 1}
# "two Sundays ago", "three saturdays back", "hace dos domingos" (-> "dos domingos ago"), 两个星期天前 (-> "2 sundays
# ago"): the K-th most recent such weekday before today; "the Sunday before last" is the second
_NTH_WD_AGO_RX = re.compile(
    rf"\b(?:the\s+)?(?P<n>\d|one|two|three|four|five|six|uno|un|dos|tres|cuatro|cinco|seis)\s+"
    rf"(?P<d>{_WD}|sabado|domingo|lunes|martes|miercoles|jueves|viernes)s?\s+(?:ago|back|before|earlier|previously)\b"
    rf"|\b(?:the\s+)?(?P<d2>{_WD})\s+(?:before\s+last|antepasad[oa])\b")
_ZH_NTH_WD_AGO_RX = re.compile(r"(\d+|[两二三四五六])\s*个?\s*(?:星期|周)([一二三四五六日天])\s*(?:之前|以前|前)")


def _nth_weekday_ago(m: re.Match[str], today: date) -> str:
    word = m.group("d") or m.group("d2")
    word = _ES_WD_PLURAL.get(word, word)
    idx = next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(word[:3]) or (word[:3] == "dom" and w == "sunday")
               or (word[:3] == "sab" and w == "saturday"))
    k = 2 if m.group("d2") else int(m.group("n")) if m.group("n").isdigit() else _COUNT_WORDS[m.group("n")]
    back = ((today.weekday() - idx) % 7 or 7) + 7 * (k - 1)
    return f" on {(today - timedelta(days=back)).isoformat()} "


def _zh_nth_weekday_ago(m: re.Match[str]) -> str:
    n = m.group(1) if m.group(1).isdigit() else str(_ZH_DIGITS[m.group(1)])
    return f" {n} {_WEEKDAYS[min(_ZH_WD.index(m.group(2)), 6)]}s ago "


# "this time yesterday", "yesterday at the same time", "same time last Friday", "at this time 3 days ago": an hour
# either side of now's wall-clock time on that day (Chinese 昨天这个时候, Spanish "a esta hora ayer" are put in this form)
_SAME_TIME = r"(?:at\s+|around\s+|about\s+)?(?:this|the\s+same|same)\s+(?:time|hour)(?:\s+of\s+(?:the\s+)?day)?"
_SAME_DAY = (r"(?P<d{i}>day\s+before\s+yesterday|yesterday|last\s+week|a\s+week\s+ago|(?P<n{i}>\d+|two|three|four|five|six)\s+days\s+ago"
             r"|(?:on\s+|last\s+)?" + _WD + ")")
_SAME_TIME_RX = re.compile(rf"\b{_SAME_TIME}\s+{_SAME_DAY.format(i=1)}\b|\b{_SAME_DAY.format(i=2)}\s+(?:at\s+|around\s+)?(?:this|the\s+same)\s+(?:time|hour)\b")
_ZH_SAME_TIME_RX = re.compile(r"(昨天|昨日|前天|上周|上个星期|上星期)\s*的?\s*(?:这个时候|这个时间|这时候|这时|此时|同一时间|同一时刻|同一个时间|这个点|这会儿|此刻|同一时段|这个钟点)")
_ES_SAME_TIME_RX = re.compile(r"\b(?:a\s+|por\s+|sobre\s+)?(?:esta|estas|la\s+misma)\s+(?:misma\s+)?horas?\s+(?:de\s+)?(?P<a>ayer|anteayer)\b"
                              r"|\b(?P<b>ayer|anteayer)\s+(?:a|por|sobre)\s+(?:esta|la\s+misma|estas)\s+(?:misma\s+)?horas?\b")
SAME_TIME_SLACK = timedelta(hours=1)


def _same_time(m: re.Match[str], local_now: datetime) -> str:
    d = re.sub(r"\s+", " ", m.group("d1") or m.group("d2"))
    n = m.group("n1") or m.group("n2")
    if d in ("yesterday",):
        back = 1
    elif d == "day before yesterday":
        back = 2
    elif d in ("last week", "a week ago"):
        back = 7
    elif n:
        back = int(n) if n.isdigit() else _COUNT_WORDS[n]
    else:
        word = d.split()[-1]
        idx = _weekday_index(word)
        back = (local_now.weekday() - idx) % 7 or 7
    naive = local_now.replace(tzinfo=None) - timedelta(days=back)
    a, b = naive - SAME_TIME_SLACK, naive + SAME_TIME_SLACK
    return f" from {a:%H:%M} {a.date().isoformat()} to {b:%H:%M} {b.date().isoformat()} "


# "since the shift began at 6", "since I came on at 22:00", "desde que empezó el turno a las 6" (-> "desde que empezo
# el turno at 6:00"): "since" a clock, whatever started then (a start verb or "shift" in between, no day word)
_START_WORDS = frozenset("""began begun begin begins started start starts came come clocked opened open opens kicked
    logged signed arrived got took takes shift shifts handover turno empezo empece empezamos comenzo comence inicio
    entre entro llegue llego abrio""".split())
_SINCE_CLAUSE_RX = re.compile(rf"\b(?:since|desde\s+que)\s+(?P<mid>(?:[a-z']+\s+){{1,5}}?)(?:at|around|about)\s+(?P<t>{_T})(?![\w:])")


def _since_clause(m: re.Match[str]) -> str:
    words = m.group("mid").split()
    if not any(w in _START_WORDS for w in words) or any(re.fullmatch(rf"{_WD}|yesterday|today|tonight|last|morning|"
                                                                     rf"afternoon|evening|night", w) for w in words):
        return m.group(0)
    return f" since {m.group('t')} "


# a clock in words after a bound: "after eleven", "before six tonight", "since seven" (never "after two hours")
_CLOCK_WORDS = {w: int(n) for w, n in _NUMS.items() if w.isalpha() and w not in ("a", "an", "half", "few", "couple",
                                                                                  "several") and 1 <= n <= 12}
_WORD_CLOCK_RX = re.compile(
    r"\b(?P<op>after|before|since|until|till|by|around|about|at)\s+(?P<w>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?:\s+o['’]?\s?clock)?(?=\s*(?:$|[,.;:?!)]|(?:am|pm|a\.m\.|p\.m\.|last|yesterday|today|tonight|this|in\s+the|at\s+night|on|and|or|"
    r"but|please|then|when|the\s+(?:night|evening|morning))\b))")


def _word_clock(m: re.Match[str]) -> str:
    if m.group("op") in ("around", "about", "at") and not re.search(r"o['’]?\s?clock|\b(?:am|pm|a\.m\.|p\.m\.|last|tonight|at\s+night)\b",
                                                                   m.string[m.start(): m.end() + 12]):
        return m.group(0)  # "at one" / "about two" alone may count things
    return f"{m.group('op')} {_CLOCK_WORDS[m.group('w')]}" + (":00" if "clock" in m.group(0) else "")


# the small hours of a named night are the next day's: "Friday night, the early hours", "the wee hours of Monday
# night", "last night in the small hours" (today's small hours; "the small hours of friday" alone stays Friday's)
_SMALL = r"(?:small|wee|early)\s+hours"
_NIGHT_SMALL_RX = re.compile(
    rf"\b(?P<d>{_WD_ALL}|last|yesterday)\s+night\s*(?:,|-|–)?\s*(?:(?:in|during)\s+)?(?:the\s+)?{_SMALL}\b"
    rf"|\b(?:in\s+|during\s+)?(?:the\s+)?{_SMALL}\s+(?:of|on)\s+(?P<d2>{_WD_ALL}|last|yesterday)(?:'s)?\s+night\b")


def _night_small(m: re.Match[str]) -> str:
    d = m.group("d") or m.group("d2")
    if d in ("last", "yesterday"):
        return " today small hours "
    return f" {_WEEKDAYS[(_weekday_index(d) + 1) % 7]} small hours "


# a time filter typed as a comparison: "06:00<=t<10:00", "time >= 22:00", "hour<6" (hours only, never a count)
_CMP_VAR = r"(?:t|time|hour|hr|hh|ts|timestamp|started_at|start|time_of_day|tod)"
_CMP_T = r"(?:\d{1,2}:\d{2}|\d{1,2}\s*(?:am|pm)|\d{1,2}(?=\s*(?:<|$|\)|\s+and\b|\s+&)))"
_CMP_RANGE_RX = re.compile(rf"(?<![\w:])(?P<a>{_CMP_T})\s*<=?\s*{_CMP_VAR}\s*<=?\s*(?P<b>{_CMP_T})(?![\w:])"
                           rf"|\b{_CMP_VAR}\s*>=?\s*(?P<a2>{_CMP_T})\s*(?:and|&&|&|,)\s*{_CMP_VAR}\s*<=?\s*(?P<b2>{_CMP_T})(?![\w:])",
                           re.IGNORECASE)
_CMP_BOUND_RX = re.compile(rf"\b{_CMP_VAR}\s*(?P<op>>=?|<=?)\s*(?P<t>\d{{1,2}}:\d{{2}}|\d{{1,2}}\s*(?:am|pm)|\d{{1,2}}(?![\d.:]))(?![\w:])")


# a range of clocks in words: "from six till ten", "between seven and nine ish"; "gone ten" as its end is a while after
# ten (British "it was gone ten": past it), read as half past. Never a count: "from six to ten people" stays.
_WORD_NUM = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
_WORD_RANGE_RX = re.compile(
    rf"\b(?P<op>from|between)\s+(?:about\s+|around\s+)?(?P<a>{_WORD_NUM})(?:\s*ish)?\s+(?P<sep>and|to|till|until|til)\s+"
    rf"(?:about\s+|around\s+)?(?P<gone>gone\s+|past\s+)?(?P<b>{_WORD_NUM})(?:\s*ish)?(?![\w:.])"
    rf"(?!\s*(?:%|km|mph|m\b|metres|meters|min|mins|minutes|hours?|hrs?|secs?|seconds|people|persons|cars|vehicles|times|x\b))")


def _word_range(m: re.Match[str]) -> str:
    a, b = (_CLOCK_WORDS.get(m.group(k), m.group(k)) for k in ("a", "b"))
    if not m.group("gone") and all(m.group(k).isdigit() for k in ("a", "b")):
        return m.group(0)  # digits are read by the clock rules themselves
    return f"{m.group('op')} {a} {m.group('sep')} {b}" + (":30" if m.group("gone") else "")


# a day ahead said of the operator's own plan ("we're re-tiling the hall next month, what do your cameras flag there"):
# the window is the plan's, not the incidents'; a question about a day ahead keeps it ("what happens tomorrow": nothing)
_OWN_PLAN_RX = re.compile(r"\b(?:we|i)(?:['’](?:re|m|ll)|\s+(?:are|am|will|shall|plan|intend|want\s+to|have\s+to|need\s+to)"
                          r"|\s+(?:are|am)\s+going\s+to)\b")


def _own_plan(s: str, a: int, b: int) -> bool:
    left = max([0] + [x.end() for x in re.finditer(r"[.;:!?,]|\b(?:and|but|so|then)\b|[，。；！？]", s[:a])])
    right = next((x.start() + b for x in re.finditer(r"[.;:!?,]|\b(?:and|but|so|then)\b|[，。；！？]", s[b:])), len(s))
    return bool(_OWN_PLAN_RX.search(s[left:a]) or _OWN_PLAN_RX.search(s[b:right]))


def _future_days(s: str, today: date) -> str:
    def en(m: re.Match[str]) -> str:
        if _own_plan(s, m.start(), m.end()):
            return " "
        if wd := m.group("d") or m.group("d2"):
            idx = _weekday_index(wd)
            return f" on {(today + timedelta(days=(idx - today.weekday()) % 7 or 7)).isoformat()} "
        if m.group("tm"):
            return f" on {(today + timedelta(days=1)).isoformat()} "
        if m.group("u") == "week" or m.group("ue") or re.search(r"semana|week", m.group(0)):
            mon = today + timedelta(days=7 - today.weekday())
            return f" from {mon.isoformat()} to {(mon + timedelta(days=6)).isoformat()} "
        first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return f" from {first.isoformat()} to {last.isoformat()} "

    return _NEXT_RX.sub(en, s)


def _short_day(m: re.Match[str]) -> str:
    if m.group("pre") is None and m.group("post") is None:
        return m.group(0)
    return (m.group("pre") + " " if m.group("pre") else "") + _SHORT_DAYS[m.group("d")]


# The start / middle / end of a week or a month: its first, middle or last days ("end of last week" Fri-Sun, "the
# start of the month" days 1-10, "mid-week" Tue-Thu) -> "from ISO to ISO" (whole days, both included)
_PART_OF_SPAN_RX = re.compile(r"\b(?:(?:at|in|during|over|towards?)\s+)?(?:the\s+)?(?P<pos>start|beginning|middle|mid|end)(?:\s+of|-)\s*"
                              r"(?:the\s+)?(?P<which>this|last|previous|past)?\s*(?P<unit>week|month)\b(?!\s*(?:before|ago))")


def _part_of_span(m: re.Match[str], today: date) -> str:
    last = m.group("which") in ("last", "previous", "past")
    if m.group("unit") == "week":
        first = today - timedelta(days=today.weekday() + (7 if last else 0))
        n_days = 7
    else:
        first = today.replace(day=1)
        if last:
            first = (first - timedelta(days=1)).replace(day=1)
        n_days = ((first.replace(day=28) + timedelta(days=4)).replace(day=1) - first).days
    pos = m.group("pos")
    a, b = ((0, n_days // 3) if pos in ("start", "beginning") else (n_days - n_days // 3 - (n_days == 7), n_days) if pos == "end"
            else (1, 4) if n_days == 7 else (n_days // 3, n_days - n_days // 3))  # mid-week: Tuesday to Thursday
    start, end = first + timedelta(days=a), first + timedelta(days=b - 1)
    if start > today:
        return m.group(0)
    return f" from {start.isoformat()} to {end.isoformat()} "


# The start / middle / end of a named month ("early November", "mid-Oct", "the end of March", "late june"): its first,
# middle or last third, of the latest such month not ahead of today (as a month named alone)
_MONTH_PART_RX = re.compile(
    r"\b(?:(?:at|in|during|over|towards?)\s+)?(?:the\s+)?(?P<pos>early|mid|middle|late|start|beginning|end)(?:\s+of|-|\s)\s*"
    r"(?P<m>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun"
    r"|jul|aug|sep|sept|oct|nov|dec)\b(?!\s*\d{1,2}\b)(?:\s*,?\s*(?P<y>(?:19|20)\d{2})\b)?")


def _month_part(m: re.Match[str], today: date) -> str:
    word = m.group("m")
    month = _MONTHS_EN.index(word) + 1 if word in _MONTHS_EN else _MONTH_NUM[word]
    y = int(m.group("y")) if m.group("y") else (today.year if month <= today.month else today.year - 1)
    first = date(y, month, 1)
    n_days = ((first.replace(day=28) + timedelta(days=4)).replace(day=1) - first).days
    pos = m.group("pos")
    a, b = ((0, n_days // 3) if pos in ("early", "start", "beginning") else (n_days - n_days // 3, n_days)
            if pos in ("late", "end") else (n_days // 3, n_days - n_days // 3))
    start, end = first + timedelta(days=a), first + timedelta(days=b - 1)
    if start > today:
        return m.group(0)
    return f" from {start.isoformat()} to {end.isoformat()} "


def _modify(part: tuple[float, float], mod: str | None, name: str = "") -> tuple[float, float]:
    a, b = part
    mod = mod.split()[0] if mod else mod
    if (mod, name) in _MOD_PARTS:
        return _MOD_PARTS[(mod, name)]
    if mod == "first":  # "first thing": the first three hours
        return a, min(b, a + 3)
    if mod == "early":
        return a, a + (b - a) / 2
    if mod == "late":
        return a + (b - a) / 2, b
    if mod == "mid":
        return a + (b - a) / 4, b - (b - a) / 4
    return part


_ZH_WD = "一二三四五六日天"
_ZH_WEEK_DAY_RX = re.compile(rf"(上上|上|这|本)(?:个)?(?:周|星期|礼拜)([{_ZH_WD}])"
                             rf"(?:\s*(?:到|至|和|与|及|、|-|~)\s*(?:(上上|上|这|本)(?:个)?)?(?:周|星期|礼拜)([{_ZH_WD}]))?")


def _zh_week_day(m: re.Match, today) -> str:
    def day(prefix: str, wd: str):
        back = {"上上": 14, "上": 7}.get(prefix, 0)
        return today - timedelta(days=today.weekday() + back) + timedelta(days=min(_ZH_WD.index(wd), 6))

    first = day(m.group(1), m.group(2))
    if not m.group(4):
        return f" {first.isoformat()} "
    last = day(m.group(3) or m.group(1), m.group(4))
    return f" from {first.isoformat()} to {last.isoformat()} " if last > first else f" {first.isoformat()} "


# The grammar's own day and part-of-day words, for typos ("saterday", "yesterady", "wensday"); informal spellings
# ("tonite", "nite") are spellings, not typos. Only words of six letters or more are corrected (shorter ones are too
# near other words: "today" / "toady"), and only to one word of this list (never to free text).
_TYPO_VOCAB = (*_WEEKDAYS, "yesterday", "tonight", "tomorrow", "morning", "afternoon", "evening", "midnight", "overnight",
               "weekend", "fortnight", "january", "february", "april", "august", "september", "october", "november",
               "december", "miercoles", "viernes", "sabado", "domingo", "anoche")
# informal and text-message spellings of the grammar's words ("ystrdy", "2day", "b4 7am")
_SPELLINGS = {"tonite": "tonight", "2nite": "tonight", "nite": "night", "nites": "nights", "tmrw": "tomorrow",
              "2moro": "tomorrow", "2morrow": "tomorrow", "ystrdy": "yesterday", "ystdy": "yesterday", "yday": "yesterday",
              "yest": "yesterday", "yesterdy": "yesterday", "2day": "today", "tdy": "today", "b4": "before",
              "arvo": "afternoon", "mornin": "morning", "wkend": "weekend", "wknd": "weekend"}


def _osa(a: str, b: str, cap: int) -> int:
    """Optimal string alignment distance (Damerau: an adjacent swap is one edit), stopped above ``cap``."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > cap:
            return cap + 1
        prev2, prev = prev, cur
    return prev[-1]


def time_word_typo(w: str) -> str | None:
    """The one word of the grammar's day / part-of-day vocabulary that ``w`` is a typo of, or None: one edit for
    words under eight letters, two from eight on (the distance to every other word of the list must be larger)."""
    w = w.lower()
    if w in _SPELLINGS:
        return _SPELLINGS[w]
    if len(w) < 6 or not w.isalpha() or w in _TYPO_VOCAB or w.rstrip("s") in _TYPO_VOCAB or w in _KNOWN_WORDS:
        return None
    cap = 2 if len(w) >= 8 else 1
    hits = sorted((_osa(w, v, cap), v) for v in _TYPO_VOCAB if len(v) >= 6)
    if hits and hits[0][0] <= cap and (len(hits) == 1 or hits[1][0] > hits[0][0]):
        return hits[0][1]
    return None


_KNOWN_WORDS = frozenset(w for k, _ in _LANG for w in re.findall(r"[a-z]+", k)) | set(_MONTHS_ES) | set(_MONTHS_EN) | {"setiembre"}
_WORD_RX = re.compile(r"(?<![\w'])[a-z0-9]+(?![\w'])")


_OR_NEXT_DAY_RX = re.compile(rf"\b(?:on\s+)?(?P<d>yesterday|today|{_WD}|\d{{4}}-\d{{2}}-\d{{2}})\s*,?\s+or\s+(?:on\s+)?the\s+"
                             r"(?:day|one)\s+(?P<dir>before|after)\b")


def _or_next_day(m: re.Match[str], today: date) -> str:
    d = m.group("d")
    one = (today - timedelta(days=1) if d == "yesterday" else today if d == "today"
           else date.fromisoformat(d) if d[0].isdigit() else _weekday_date(_WD_NAMES.get(d, d), today))
    other = one + timedelta(days=1 if m.group("dir") == "after" else -1)
    a, b = sorted((one, other))
    return f" {a.isoformat()} to {b.isoformat()} "


_WD_NAMES = {"mon": "monday", "tue": "tuesday", "tues": "tuesday", "weds": "wednesday", "thu": "thursday", "thur": "thursday",
             "thurs": "thursday", "fri": "friday"}


def extract_times(text: str, *, now: datetime, tz: str) -> TimeParse:
    """Find time components in ``text``; compose them into a window (see the module doc).

    The returned ``rest`` is ``text`` lower-cased with every consumed phrase blanked out.
    """
    zone = ZoneInfo(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    local_now = now.astimezone(zone)
    today = local_now.date()
    s = fold(normalise(text)).lower()  # 過去兩個小時 -> 过去两个小时, "mañana" -> "manana" (the tables hold both)
    s = _WORD_RX.sub(lambda m: time_word_typo(m.group(0)) or m.group(0), s)  # "saterday", "yesterady", "tonite"
    s = re.sub(r"\bmid(week|month)\b", r"mid-\1", s)  # one word or two: "midweek" is "mid-week"
    s = _DOT_RANGE_RX.sub(lambda m: f"{m.group(1)}:{m.group(2)}{m.group(3)}{m.group(4)}:{m.group(5)}", s)  # "4.30 to 7.30"
    s = _DOT_CLOCK_RX.sub(lambda m: f"{m.group('pre') or ''}{m.group('h') or m.group('h2')}:{m.group('m') or m.group('m2')}", s)
    # "9am-now", "from 21:00 to now": since that clock
    s = re.sub(rf"\b(?:from\s+)?(?P<t>{_TSTRONG})\s*(?:-|–|to|till|until)\s*now\b", r"since \g<t>", s)
    s = _MONTH_DAY_RX.sub(lambda m: _month_day_sub(m, today), s)
    s = _DAY_RANGE_RX.sub(lambda m: _day_range_sub(m, today), s)
    if re.search(r"[\u4e00-\u9fff]", s) or _LANG_RX.search(s):
        s = re.sub(r"礼拜(?=[一二三四五六日天])|(?<=[上这本下])礼拜|(?<=[上这本下]个)礼拜", "星期", s)
        s = _ZH_SAME_TIME_RX.sub(lambda m: " this time " + ("day before yesterday" if m.group(1) == "前天" else "yesterday"
                                                             if m.group(1)[0] == "昨" else "last week") + " ", s)
        s = _ES_SAME_TIME_RX.sub(lambda m: " this time " + ("day before yesterday" if (m.group("a") or m.group("b")) == "anteayer"
                                                             else "yesterday") + " ", s)
        s = _ZH_NTH_WD_AGO_RX.sub(_zh_nth_weekday_ago, s)
        s = re.sub(r"上上(?:个)?(?:周|星期)(?![一二三四五六日天])", " week before last ", s)
        s = _es_clocks(s)
        # 上周六 = Saturday of last week, 上上周六 of the week before, 这周三 / 本周三 = Wednesday of this week (before 上周 /
        # 周六 are read apart); a second weekday joined to it is of the same week unless it names its own
        # (这周一到周三, 上周五到这周一): one range of dates, both ends included
        s = _zh_future(s)
        s = _ZH_WEEK_DAY_RX.sub(lambda m: _zh_week_day(m, today), s)
        s = _zh_numbers(s)
        s = _LANG_RX.sub(lambda m: _LANG_MAP[m.group(0)], s)
        s = _es_ago(s)
        s = _ZH_SINCE_RX.sub(lambda m: f" since {m.group('x') or m.group('y')} ", s)
        s = _ZH_PART_BOUND_RX.sub(lambda m: f" {'after' if m.group('op') in ('以后', '之后') else 'before'} {m.group('p')} ", s)
        s = _ES_SINCE_RX.sub("since ", s)
        # "la noche del viernes al sábado" is Friday's night, "la madrugada del sábado al domingo" Sunday's small hours
        s = re.sub(rf"\b(?P<p>small hours|evening and night)\s+del?\s+(?:el\s+)?(?P<a>{_WD})\s+al?\s+(?:el\s+)?(?P<b>{_WD})\b",
                   lambda m: f" {m.group('b')} small hours " if m.group("p") == "small hours" else f" {m.group('a')} evening and night ", s)
        # two weekdays joined (周六和周日, "sábado y domingo", "del lunes al miércoles"): the days from one to the other
        s = re.sub(rf"\b(?:del?\s+)?({_WD})\s*(?:和|或|与|及|跟|到|至|、|,|\by\b|\bo\b|\bal\b|\ba\b|\band\b|\bhasta\b)\s*(?:el\s+)?({_WD})\b", r" \1 to \2 ", s)
    s = _ES_SINCE_RX.sub("since ", s)  # "desde el 23 de noviembre" (no other Spanish time word needed): from then on
    s = _NTH_WD_AGO_RX.sub(lambda m: _nth_weekday_ago(m, today), s)  # "two sundays ago", "the friday before last"
    s = _SAME_TIME_RX.sub(lambda m: _same_time(m, local_now), s)  # "this time yesterday": an hour either side
    s = _NIGHT_SMALL_RX.sub(_night_small, s)  # "tuesday night, the small hours" -> "wednesday small hours"
    s = _CMP_RANGE_RX.sub(lambda m: f" between {m.group('a') or m.group('a2')} and {m.group('b') or m.group('b2')} ", s)  # "06:00<=t<10:00" (a filter typed as a comparison)
    s = _CMP_BOUND_RX.sub(lambda m: f" {'after' if '>' in m.group('op') else 'before'} {m.group('t')} ", s)
    s = _WORD_RANGE_RX.sub(_word_range, s)  # "from six till gone ten" -> "from 6 till 10:30"
    s = _WORD_CLOCK_RX.sub(_word_clock, s)  # "after eleven" -> "after 11"
    s = _SINCE_CLAUSE_RX.sub(_since_clause, s)  # "since the shift began at 6" -> "since 6"
    s = _future_days(s, today)
    s = _es_dates(s)
    s = _MONTH_PART_RX.sub(lambda m: _month_part(m, today), s)  # "early november", "the end of march"
    s = calendar_dates(s, today)
    s = _WHOLE_MONTH_RX.sub(lambda m: _whole_month(m, today), s)  # after dates: a month left has no day
    s = _SHORT_DAY_RX.sub(_short_day, s)
    # hedges that do not move a time: "shortly before 6pm", "just after midnight", "the past week or so"
    near_bound = bool(re.search(r"\b(?:shortly|just|right|soon)\s+(?:before|after)\b", s))  # an hour's side of it
    s = re.sub(r"\b(?:shortly|just|right|soon|sometime|some\s+time)\s+(?=(?:before|after|around|at)\b)|\s+or\s+so\b|(?<=\d)ish\b", " ", s)
    s = _WEEK_DAY_RX.sub(lambda m: _week_day(m, today), s)
    s = _PART_OF_SPAN_RX.sub(lambda m: _part_of_span(m, today), s)
    # "monday just gone": the latest past monday; "this morning's rush": the possessive says nothing more;
    # "the other day": some day of the past week; "a fortnight ago": two calendar weeks back
    s = re.sub(rf"\b(?:last\s+)?({_WD})\s+(?:just\s+)?(?:gone|past)\b", r"last \1", s)
    # "the weekend just gone", "the week gone by": the last one that is over (said on a Sunday, not this weekend)
    s = re.sub(r"\b(?:the\s+)?(weekend|week|month)\s+(?:just\s+)?(?:gone(?:\s+by)?|passed)\b", r"last \1", s)
    s = re.sub(rf"\b(today|yesterday|tonight|morning|afternoon|evening|night|{_WD})['’]s\b", r"\1", s)
    s = re.sub(r"\bthe\s+other\s+day\b", " in the past 7 days ", s)
    # "over the last week", "in the last week": a span reaching now (the past 7 days); bare "last week" stays the
    # calendar week before this one
    s = re.sub(r"\b(?:over|in|during|within|for)\s+the\s+(?:last|past|previous)\s+week\b", " in the past 7 days ", s)
    # "yesterday or the day before", "on Monday or the day after": both days, one window
    s = _OR_NEXT_DAY_RX.sub(lambda m: _or_next_day(m, today), s)
    s = re.sub(r"\b(?:a|one)\s+fortnight\s+ago\b", "2 weeks ago", s)
    # "last thing yesterday" is late that day; "the last thing at the depot" is the newest incident (recency)
    s = re.sub(rf"\blast\s+thing\s+(?P<d>(?:on\s+)?(?:yesterday|today|{_WD}))\b", r"\g<d> late in the day", s)
    s = re.sub(rf"\b(?:the\s+)?(?:last|past)\s+(?P<n>{_NUM})\s+nights\b", r"past \g<n> days at night", s)
    # any other part of the day counted back the same way: "the last two evenings", "the past 3 morning rushes"
    # are that part on each of those days; "two evenings ago" that part of that day
    s = re.sub(rf"\b(?:the\s+)?(?:last|past|previous)\s+(?P<n>{_NUM})\s+(?P<p>{_PART_SG})(?:(?<=h)es|(?<!h)s)\b",
               r"past \g<n> days in the \g<p>", s)
    s = re.sub(rf"\b(?P<n>{_NUM})\s+(?P<p>{_PART_SG})(?:(?<=h)es|(?<!h)s)\s+ago\b", r"\g<n> days ago in the \g<p>", s)
    # "within 2 days", "within 45 mins" (no "the last"): the span reaching now, as "within the last 2 days"
    s = re.sub(rf"\bwithin\s+(?P<n>{_NUM})\s+(?P<u>min|minute|mins|hr|hrs|hour|day|week|month)s?\b(?!\s+of\b)",
               lambda m: f"in the past {m.group('n')} {m.group('u').rstrip('s')}s", s)
    # "weeknights", "on a weeknight": the weekday nights; "in the dark", "hours of darkness": after dark
    s = re.sub(r"\b(?:(?:an?|1)\s+)?week[\s-]?nights?\b", "weekday nights", s)
    s = re.sub(r"\b(?:in\s+the\s+dark|(?:in|during)\s+(?:the\s+)?darkness|(?:the\s+)?hours\s+of\s+darkness)\b", " after dark ", s)
    s = re.sub(r"\b(?:the\s+)?night\s+before\s+last\b", "day before yesterday at night", s)
    # "the evening before last", "the morning before last": that part of the day before yesterday
    s = re.sub(r"\b(?:the\s+|in\s+the\s+|on\s+the\s+)?(morning|afternoon|evening)\s+before\s+last\b", r"day before yesterday in the \1", s)
    s = re.sub(rf"\b(?P<n>{_NUM})\s+nights\s+ago\b", r"\g<n> days ago at night", s)
    # spellings of one part or span: "night-time", "nighttime", "during the day", "midweek", "round about 3pm"
    s = re.sub(r"\bnight[\s-]?time\b", "night", s)
    s = re.sub(r"\b(?:day[\s-]time|during\s+the\s+day)\b", "daytime", s)
    s = re.sub(r"\b(?:round\s+about|round)\s+(?=\d)", "around ", s)
    # spoken clocks: "half past 8" 8:30, "quarter to 6" 5:45, "quarter past 10" 10:15, "8 o'clock" 8:00
    s = re.sub(r"\bhalf\s+past\s+(\d{1,2})\b", r"\1:30", s)
    s = re.sub(r"\b(?:a\s+)?quarter\s+past\s+(\d{1,2})\b", r"\1:15", s)
    s = re.sub(r"\b(?:a\s+)?quarter\s+(?:to|till|til|before)\s+(\d{1,2})\b", lambda m: f"{(int(m.group(1)) - 2) % 12 + 1}:45", s)
    s = re.sub(r"\b(\d{1,2})\s*o['’]?\s?clock\b", r"\1:00", s)
    # "a week ago today", "2 weeks ago yesterday": that day, not that calendar week
    s = re.sub(rf"\b(?P<n>{_NUM})\s+weeks?\s+ago\s+(?P<d>today|yesterday)\b", lambda m: f"{int(_NUMS.get(m.group('n'), 0) or (m.group('n').isdigit() and int(m.group('n'))) or 1) * 7 + (m.group('d') == 'yesterday')} days ago", s)
    s = re.sub(rf"\b(?:{_WD}\s+)?(?:overnight|(?:the\s+)?night)\s+into\s+(?P<d>{_WD})\b",
               lambda m: _WEEKDAYS[(_weekday_index(m.group('d')) - 1) % 7]
               + " night", s)
    s = _MIL_RX.sub(lambda m: f"{m.group('pre') or ''}{m.group('h') or m.group('h2')}:{m.group('m') or m.group('m2')}", s)
    s = _AMPM_DAY_RX.sub(lambda m: f"{m.group('d')} {'morning' if m.group('ap')[0] == 'a' else 'afternoon'}", s)
    s = _MOD_DAY_RX.sub(lambda m: f"{m.group('day')} {m.group('mod')} ", s)
    # "the week before this one" is last week; "the first jam of the week" is this week's (not "the end of the week")
    s = re.sub(r"\b(?:the\s+)?(week|month)\s+before\s+(?:this|the\s+current)(?:\s+one)?\b", r" last \1 ", s)
    s = _OF_THE_RX.sub(lambda m: m.group(0) if m.group("w") in _OF_THE_KEEP else f"{m.group('w')} this {m.group('u')}", s)
    phrases: list[str] = []

    def take(m: re.Match[str]) -> None:
        nonlocal s
        phrases.append(m.group(0).strip())
        s = s[: m.start()] + " " * (m.end() - m.start()) + s[m.end():]

    def at(d: date, h: float = 0.0) -> datetime:
        return datetime.combine(d, time(0), tzinfo=zone) + timedelta(hours=h)

    since: datetime | None = None
    until: datetime | None = None
    day: date | None = None
    span = False
    # recurring days of the week: "on weekdays", "weekends", "every monday", "on tuesdays", "los lunes", 工作日
    weekdays: tuple[int, ...] | None = None
    s = _day_lists(s)
    s = _plural_parts(s)
    if (m := _DAYSET_RX.search(s)) and not re.search(rf"\b(?:{_NUM}|last|past|previous|\d+)\s*$", s[: m.start()]):
        weekdays = _dayset(m)  # ("the last 2 weekends", "3 weekends ago" are spans)
        take(m)
    weekday_named = bool(re.search(rf"\b{_WD}\b", s))
    # open windows: "... until now" / "so far"; "since X" / "from X until now" start at X's start
    open_end = False
    if m := _OPEN_END_RX.search(s):
        open_end = True
        take(m)
    since_from = False
    if m := _RX["dtrange"].search(s):  # from one day's clock to another's: read before "since" / "from" alone
        ends = []
        for d_, a_, p_ in ((m.group("d1") or m.group("d1b"), m.group("a1") or m.group("a1b"), m.group("p1")),
                           (m.group("d2") or m.group("d2b"), m.group("a2") or m.group("a2b"), m.group("p2"))):
            d_ = d_.strip()
            dd = (today if d_ == "today" else today - timedelta(days=1) if d_ == "yesterday"
                  else today - timedelta(days=2) if d_ == "day before yesterday"
                  else date.fromisoformat(d_) if d_[:1].isdigit() else _weekday_date(d_, today))
            h = _one_clock(a_, pm_hint=p_ is not None and PARTS_OF_DAY[p_][0] >= 12)
            ends.append(None if h is None else at(dd, h))
        if None not in ends and ends[0] < ends[1]:
            since, until, span = ends[0], ends[1], True
            take(m)
    if not span and (m := _RX["dprange"].search(s)):
        ends = []
        for d_, p_, edge in ((m.group("d1"), m.group("p1"), 0), (m.group("d2"), m.group("p2"), 1)):
            d_ = d_.strip()
            dd = (today if d_ == "today" else today - timedelta(days=1) if d_ == "yesterday"
                  else today - timedelta(days=2) if d_ == "day before yesterday"
                  else date.fromisoformat(d_) if d_[:1].isdigit() else _weekday_date(d_, today))
            ends.append(at(dd, PARTS_OF_DAY[p_][edge]))
        if ends[0] < ends[1]:
            since, until, span = ends[0], ends[1], True
            take(m)
    for m in _SINCE_RX.finditer(s):
        if m.group("op") != "since" and not open_end and not (
                m.group("op") == "from" and (c := _CLOCK_AHEAD.match(s, m.end())) and not _RANGE_END_RX.match(s, c.end())
                and not _RANGE_END_RX.match(s, c.end() + (len(d.group(0)) if (d := _DAY_AFTER_CLOCK_RX.match(s, c.end())) else 0))):
            continue  # "everything from the night shift" is during it, not since
        since_from = True
        if _CLOCK_AHEAD.match(s, m.end()):  # "from 8am until now" is the clock bound "since 8am"
            s = s[: m.start()] + "since " + s[m.end():]
        else:
            phrases.append(m.group("op"))
            s = s[: m.start()] + " " * (m.end() - m.start()) + s[m.end():]
        break
    concrete = False  # a part of the day that means its most recent occurrence, not every day's
    every = False  # "every morning", "each night": recurring even with a clock
    # "any night" / "on any night in the past week" is every night too (no one night is meant)
    if m := re.search(rf"\b(?:(?:on|at|in|during)\s+)?(?:every|each|any)\s+(?=(?:{_PARTS_RX})\b)", s):
        every = True
        nd = re.match(r"(?:night|day)\b", s[m.end():])
        end = m.end() + nd.end() if nd else m.end()
        if nd and re.search(rf"\b(?:{_PARTS_RX})\b", s[: m.start()] + " " * (end - m.start()) + s[end:]):
            # "in the small hours, any night": "any night" says which days (every one), another part when in them
            phrases.append(s[m.start(): end].strip())
            s = s[: m.start()] + " " * (end - m.start()) + s[end:]
        else:
            take(m)

    day_span = False  # a rolling span of days or weeks ("the past 7 days")

    def count(n: str | None) -> float:
        return int(n) if n and n.isdigit() else _NUMS.get(" ".join((n or "").split()), 1)

    if span:
        pass  # a window from one day's clock to another's was read
    elif m := _RX["age"].search(s):  # "older than 2 hours" ends then; "newer than 30 minutes" starts then
        n, unit = count(m.group("n") or m.group("n2")), m.group("unit") or m.group("unit2")
        edge = now - n * _UNITS[unit]
        since, until = (edge, None) if m.group("new") or m.group("lt") else (None, edge)
        span = True
        take(m)
    elif m := _RX["span"].search(s):
        since, until, span = now - count(m.group("n")) * _UNITS[m.group("unit") or m.group("unit1")], None, True
        day_span = _UNITS[m.group("unit") or m.group("unit1")] >= timedelta(days=1)
        take(m)
    elif m := _RX["ago"].search(s):
        n, unit = count(m.group("n")), m.group("unit")
        if unit == "week":  # "2 weeks ago": that calendar week
            monday = today - timedelta(days=today.weekday()) - n * _UNITS[unit]
            since, until, span = at(monday), at(monday + timedelta(days=7)), True
        elif unit == "day":
            day = today - n * _UNITS[unit]
        else:
            c = now - n * _UNITS[unit]
            since, until, span = c - max(AT_SLACK, _UNITS[unit] / 2), c + max(AT_SLACK, _UNITS[unit] / 2), True
        take(m)
    elif m := _RX["week"].search(s):
        monday = today - timedelta(days=today.weekday())
        if m.group("which") == "this":
            since, until = at(monday), None
        elif m.group("before"):
            since, until = at(monday - timedelta(days=14)), at(monday - timedelta(days=7))
        else:
            since, until = at(monday - timedelta(days=7)), at(monday)
        span = True
        take(m)
    elif m := _RX["month"].search(s):
        first = today.replace(day=1)
        if m.group("which") == "this":
            since, until = at(first), None
        else:
            since, until = at((first - timedelta(days=1)).replace(day=1)), at(first)
        span = True
        take(m)
    elif m := _RX["datebound"].search(s):
        d_ = date.fromisoformat(m.group("d"))
        op = m.group("op").split()[0]
        if op in ("before", "prior"):
            since, until = None, at(d_)
        elif op == "after":
            since, until = at(d_ + timedelta(days=1)), None
        else:
            since, until = None, at(d_ + timedelta(days=1))
        span = True
        take(m)
    elif m := _RX["daterange"].search(s):
        a_day, b_day = date.fromisoformat(m.group("a")), date.fromisoformat(m.group("b"))
        since, until, span = at(min(a_day, b_day)), at(max(a_day, b_day) + timedelta(days=1)), True
        take(m)
    elif m := _RX["dayrange"].search(s):
        def one(w: str) -> date:
            return today if w == "today" else today - timedelta(days=1) if w == "yesterday" else _weekday_date(w, today)
        a_day = one(m.group("a"))
        b_word = m.group("b")
        b_day = (one(b_word) if b_word in ("today", "yesterday")
                 else a_day + timedelta(days=(_weekday_index(b_word)
                                              - a_day.weekday()) % 7))
        if b_day > today and m.group("a") not in ("today", "yesterday"):  # "friday to sunday" said on a Friday
            a_day, b_day = a_day - timedelta(days=7), b_day - timedelta(days=7)
        since, until, span = at(min(a_day, b_day)), at(max(a_day, b_day) + timedelta(days=1)), True
        take(m)
    elif m := _RX["weekend"].search(s):
        wd = today.weekday()
        latest = today - timedelta(days=wd - 5) if wd >= 5 else today - timedelta(days=wd + 2)  # its Saturday
        # "last weekend" said on a weekend is the one before this; "the weekend before last" one more back;
        # "2 weekends ago" counts back from this weekend (on a weekday, from the one just gone = 1 ago)
        last = latest - timedelta(days=7) if wd >= 5 else latest
        if m.group("n"):
            sat = latest - timedelta(days=7 * (int(count(m.group("n"))) - (0 if wd >= 5 else 1)))
        elif m.group("before"):
            sat = last - timedelta(days=7)
        elif m.group("which") is None and wd == 5 and local_now.hour < 12:
            # "over the weekend" asked on a Saturday morning (one barely begun) is the weekend just gone, as a
            # shift less than half over is the one before ("this weekend" stays this one)
            sat = latest - timedelta(days=7)
        else:
            sat = last if m.group("which") == "last" else latest
        since, until, span = at(sat), at(sat + timedelta(days=2)), True
        take(m)

    part: tuple[float, float] | None = None
    part_end: int | None = None  # where the first part of the day was read
    if not span and (m := _RX["shift"].search(s)):
        part, concrete = SHIFTS[m.group("which")], True
        take(m)
    other_day = bool(re.search(rf"\b(?:{_WD}|yesterday|today|day before yesterday)\b|\b\d{{1,2}}(?:st|nd|rd|th)\b|\d+\s+days\s+ago", s))
    if (not span and part is None and (m := _RX["last_night"].search(s))
            and not (m.group(0).split()[-1] == "overnight" and other_day)):  # "friday overnight": that night
        word = m.group(0).split()[-1]
        # "last night"/"overnight": the night that began yesterday; "tonight": the one under way or ahead
        night_day = today if word == "tonight" and local_now.hour >= 12 else today - timedelta(days=1)
        name = "tonight" if word == "tonight" else "night"
        # "last night" is yesterday's "tonight": the evening and the night (18:00-06:00), as people say it of an
        # evening out; "overnight" and a modified night ("late last night" 22-02) keep the night's own hours
        base = "tonight" if word == "night" and not m.group("mod") else name
        day, part = night_day, _modify(PARTS_OF_DAY[base], m.group("mod"), name)
        take(m)
    if m := _RX["late_day"].search(s):
        w = m.group("day")
        if day is None:
            day = today if w == "today" else today - timedelta(days=1) if w == "yesterday" else _weekday_date(w, today)
        part = (20, 24) if m.group("mod") == "late" else (5, 9)
        take(m)
    # "before noon", "from 8pm to midnight": a clock bound, not the part of the day called noon
    clock_spans = [(c.start(), c.end()) for k in ("between", "dash", "bound") for c in _RX[k].finditer(s)]
    parts = (m for m in _RX["part"].finditer(s) if not any(a < m.end() and m.start() < b for a, b in clock_spans))
    if part is None and (m := next(parts, None)):
        name = m.group("part")
        part = _modify(PARTS_OF_DAY[name], m.group("mod"), name)
        concrete = concrete or name in CONCRETE_PARTS
        pre = s[max(0, m.start() - 6): m.start()]
        if re.search(r"\bthis\s*$", pre) or name == "tonight":
            day = today
        if since_from and name in POINTS:  # "since midday": from 12:00, not from 11:00
            part = (POINTS[name], POINTS[name] + 1)
        take(m)
        tail = s[m.end():]
        if re.search(r"\bthis\s*$", s[: m.start()]):
            s = re.sub(r"\b(?:(?:earlier|later)\s+)?this\s*$", "", s[: m.start()]) + s[m.start():]
        part_end = len(s) - len(tail)
        # "the early hours of this morning" / "of today": that day
        if of := re.match(r"\s*of\s+(?:this\s+morning|today)\b", s[part_end:]):
            day = today
            s = s[: part_end] + " " * of.end() + s[part_end + of.end():]
        # a bound on the part: "before the morning rush" (the day up to it), "after lunch", "until the evening"
        if b := _PART_BOUND_RX.search(s[: m.start()]):
            a_, z_ = part
            pt = POINTS.get(name)
            op = b.group("op")
            part = ((0.0, pt if pt is not None else a_) if op == "before"
                    else AFTER_PARTS.get(name, (pt if pt is not None else z_, max(24.0, z_))) if op == "after"
                    else (0.0, pt if pt is not None else z_))
            concrete = True
            phrases.append(op)
            s = s[: b.start()] + " " * (b.end() - b.start()) + s[b.end():]
    # a second part of the day narrows the first where they overlap ("during rush hour this morning")
    if part is not None and (m := next((x for x in _RX["part"].finditer(s)
                                        if not any(a < x.end() and x.start() < b for a, b in clock_spans)), None)):
        p2 = _modify(PARTS_OF_DAY[m.group("part")], m.group("mod"), m.group("part"))
        joined = part_end is not None and m.start() >= part_end and re.fullmatch(
            r"\s*(?:or|and|,|/|-|to)\s*(?:(?:in|during|at|on)\s+)?(?:the\s+)?", s[part_end: m.start()])
        if joined:  # "in the afternoon or evening": both
            part = (min(part[0], p2[0]), max(part[1], p2[1]))
            take(m)
        elif p2[0] == part[1] % 24 or p2[1] % 24 == part[0]:  # "the early hours of sunday morning": the first says it
            take(m)
        elif part == PARTS_OF_DAY["rush hour"] and p2[0] >= 12:  # "rush hour in the evening", "hora punta de la tarde"
            part = PARTS_OF_DAY["evening rush hour"]
            take(m)
        elif p2[0] < part[1] and part[0] < p2[1]:
            part = (max(part[0], p2[0]), min(part[1], p2[1]))
            take(m)
            if re.search(r"\bthis\s*$", s[max(0, m.start() - 6): m.start()]):
                day = today
                s = re.sub(r"\bthis\s*$", "", s[: m.start()]) + s[m.start():]
    if part is None and (m := re.search(r"\bfirst\s+thing\b", s)):
        part = (6.0, 9.0)  # "first thing today": the first hours of the working day
        take(m)

    if m := re.search(rf"\b(?:on\s+)?(?P<date>{_ISO})\b", s):
        try:
            day = date.fromisoformat(m.group("date"))
            take(m)
        except ValueError:
            pass
    elif m := _RX["date"].search(s):
        parsed = dateparser.parse(
            m.group("date"), languages=["en"],
            settings={"RELATIVE_BASE": local_now.replace(tzinfo=None), "PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY"},
        )
        if parsed is not None:
            day = parsed.date()
            take(m)
    if (m := _RX["ordinal"].search(s)) and 1 <= int(m.group("n")) <= 31:
        d = _ordinal_date(int(m.group("n")), today)
        if d is not None and day is None:
            day = d
            take(m)
    if day is None and (m := _RX["dayword"].search(s)):
        w = m.group("day")
        day = (today if w in ("today", "tdy") else today - timedelta(days=1) if w in ("yesterday", "yday", "yest")
               else today - timedelta(days=2) if w == "day before yesterday"
               else _weekday_date(w, today, strictly_past=m.group(0).startswith("last") or since_from))
        take(m)

    clock: tuple[float | None, float | None] | None = None  # local hours within the day
    pm_hint = part is not None and part[0] >= 12

    def pm_for(t: str) -> bool:
        """pm_hint, except for a clock that fits a night running past midnight as it is (前天夜里两点, "last night at 2")."""
        try:
            h = _clock(t)[0]
        except ValueError:
            return pm_hint
        return pm_hint and not (part is not None and part[1] > 24 and 1 <= h and h + 24 < part[1])
    for key in ("between", "dash"):
        if clock is None and (m := _RX[key].search(s)):
            # a morning part keeps a bare range in the morning ("早上六点到八点", "this morning between 6 and 8")
            # a night running past midnight keeps a bare range that fits its small hours there ("overnight between 2
            # and 4" is 02-04, "tonight between 8 and 10" 20-22)
            pmh = pm_for(m.group("a")) or pm_for(m.group("b")) if pm_hint else False
            rng = _clock_range(m.group("a"), m.group("b"), pm_hint=pmh,
                               am_hint=part is not None and (part[1] <= 12 or (part[1] > 24 and pm_hint and not pmh)))
            if rng and part is None and day == today and rng[0] >= 12 and at(today, rng[0]) > local_now \
                    and at(today, rng[0] - 12) <= local_now and not re.search(r"(?:am|pm|a\.m\.|p\.m\.|noon|midnight)\b", m.group(0)):
                rng = (rng[0] - 12, rng[1] - 12)  # "today between 6 and 8" said at 16:45: this morning's, not ahead
            if rng:
                clock = rng
                take(m)
    if clock is None and (m := _RX["bound"].search(s)):
        # "after 5 yesterday": 17:00 (nobody bounds by 5 am without saying so); "since 6" only if 18:00 has passed
        weak_pm = bool(re.fullmatch(r"[1-7]", m.group("t").strip())) and part is None and m.group("op") in ("after", "since")
        if weak_pm and m.group("op") == "since" and day is None:
            weak_pm = at(today, int(m.group("t")) + 12) <= local_now
        t = _one_clock(m.group("t"), pm_hint=pm_for(m.group("t")) or weak_pm)
        if t is not None:
            op = m.group("op")
            take(m)
            if op == "since" and day is None:
                start = at(today, t)
                since, until, span = (start if start <= local_now else start - timedelta(days=1)), None, True
            elif op == "since":
                clock, since_from = (t, None), True
            elif op != "after":  # before, until, till, til, up to, by
                clock = (t - 1 if near_bound else part[0] if part else None, t)
            else:
                clock = (t, t + 1 if near_bound else None)
    if clock is None and ((m := _RX["at"].search(s)) or ((part is not None or day is not None) and (m := _RX["at_weak"].search(s)))
                          or (m := _RX["bare"].search(s))):  # "mon 8am": a clock with am/pm needs no "at"
        # "at 4 on sunday": a bare 1-7 beside a day is the afternoon, as after "after" (4 am is said "4 in the morning")
        weak_pm = part is None and bool(re.fullmatch(r"[1-7]", m.group("t").strip()))
        if weak_pm and day == today:  # "at 7 today" said at 18:30 is this morning's 7
            weak_pm = at(today, int(m.group("t")) + 12) <= local_now
        t = _one_clock(m.group("t"), pm_hint=pm_for(m.group("t")) or weak_pm)
        if t is not None:
            slack = AT_SLACK.total_seconds() / 3600
            clock = (t - slack, t + slack)
            take(m)

    hours: tuple[float, float] | None = None
    if every and not span and day is None:  # "between 7 and 9 every morning": those hours of every day
        hours = (clock[0] if clock and clock[0] is not None else part[0] if part else 0.0,
                 clock[1] if clock and clock[1] is not None else part[1] if part else 24.0)
        part, clock = None, None
    also_before = False  # the occurrence before the latest one counts too (see below)
    if not span and day is None and part is not None and (concrete or since_from):
        # "the night shift", "since midday", "before the morning rush", "the early hours": the latest one begun
        day = today if at(today, part[0]) <= local_now else today - timedelta(days=1)
        # ... and while that one is less than half over, the one before it as well: "the night shift" asked at
        # 22:05 is about the shift that just ended (a handover), not five minutes of the new one
        also_before = concrete and not since_from and clock is None and local_now < at(day, (part[0] + part[1]) / 2)
    if span:
        if part is not None or clock is not None:  # "this week in the evening": every evening of the span
            lo, hi = part if part else (0.0, 24.0)
            if clock is not None:
                lo, hi = (clock[0] if clock[0] is not None else lo), (clock[1] if clock[1] is not None else hi)
            hours = (lo, hi)
            if hi > 24 and until is not None and until.astimezone(zone).timetz().replace(tzinfo=None) == time(0):
                # "friday and saturday night", "last weekend at night": the last day's night runs past midnight
                until = until + timedelta(hours=hi - 24)
                if since is not None and since.astimezone(zone).timetz().replace(tzinfo=None) == time(0):
                    since = since + timedelta(hours=lo)  # and its first small hours are the night before's
            if day_span and since is not None:
                # "the morning peaks of the past 7 days": that part of each of those days, the first one's whole part
                # too (a rolling cut at now - 7 days would halve it)
                since = min(since, at(since.astimezone(zone).date(), lo))
    elif day is not None or clock is not None:
        explicit_day = day is not None
        d = day or today
        lo, hi = part if part is not None else (0.0, 24.0)
        if clock is not None:
            c_lo, c_hi = clock
            if part is not None and part[1] > 24:  # "at 2am last night", "after midnight last night": past midnight
                c_lo = c_lo + 24 if c_lo is not None and c_lo < part[0] and c_lo + 24 <= part[1] else c_lo
                if c_lo == 12 and part[0] >= 17 and c_hi is None:  # "anoche después de las 12": after midnight
                    c_lo = 24.0
                c_hi = c_hi + 24 if c_hi is not None and c_hi <= part[0] and c_hi + 24 <= part[1] else c_hi
            if c_lo is not None:
                lo = c_lo
                if c_hi is None:  # "after 10pm on Monday" runs into the night, not to midnight
                    hi = max(hi, NIGHT_ENDS_H + 24.0) if c_lo >= 18 else max(hi, 24.0) if part is None else hi
                    if c_lo == 0 and part is None:  # "after midnight": the small hours, not the whole day
                        hi = float(NIGHT_ENDS_H)
            if c_hi is not None:
                hi = c_hi if c_hi > lo else c_hi + 24
        if not explicit_day and clock is not None and at(d, lo) > local_now:
            d = d - timedelta(days=1)  # "at 3pm" said at 10am = yesterday; "晚上十点以后" said at 18:30 = last night's
        if not explicit_day and part is not None and clock is None:
            hours = part
        else:
            since, until = at(d, lo), at(d, hi)
            if also_before:  # both occurrences, and only their hours in between
                since, hours = at(d - timedelta(days=1), lo), (lo, hi)
            if weekday_named and d == today and until > local_now and not since_from:
                # today's own weekday name for a stretch not over yet ("late Friday" said on Friday morning or at
                # 22:00, "on Friday" said on a Friday) is last week's: what is under way is called "today" /
                # "tonight"; a stretch already over ("Friday morning" said that evening) stays today's
                since, until = since - timedelta(days=7), until - timedelta(days=7)
    elif part is not None:
        hours = part  # no day named: every such part of the day
    if since_from and since is not None:
        until = None  # "since Monday", "from midday today until now": up to the present

    def utc(x: datetime | None) -> datetime | None:
        return x.astimezone(timezone.utc) if x is not None else None

    loose = part is not None and clock is None and not since_from and (since is not None or hours is not None)
    return TimeParse(utc(since), utc(until), s, tuple(phrases), hours, loose, weekdays)
