"""The time grammar composes: day x part of the day x bound (since / from … until now / before / after / until),
shifts, modifiers (early / late / first thing), short day names, and durations and counts written in words
(English, Spanish, Chinese). Forms made up for the grammar, not copied from any evaluation set."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from services.search import parse_query
from services.search.quantities import normalise_quantities, zh_number

TZ = "Europe/Madrid"  # UTC+1 in November: a window stated in local time must not come back shifted
Z = ZoneInfo(TZ)
NOW = datetime(2026, 11, 27, 18, 30, tzinfo=Z)  # Friday 18:30 local


def L(day: int, hour: float = 0, minute: int = 0) -> datetime:
    h = int(hour)
    return datetime(2026, 11, day, h, minute + round((hour - h) * 60), tzinfo=Z).astimezone(timezone.utc)


def window(q: str):
    p = parse_query(q, now=NOW, tz=TZ)
    return p.filters.since, p.filters.until, p.hours, p.unknown


def test_of_the_week_is_this_week_and_the_week_before_this_one_is_last_week():
    # NOW is Friday 27 Nov 2026: this week began Monday the 23rd
    assert window("the first jam of the week")[:2] == (L(23), None)
    assert window("the week before this one")[:2] == (L(16), L(23))
    assert window("the end of the week")[:2] == (L(27), L(30))  # a part of the week keeps its reading


@pytest.mark.parametrize("q, weekdays, hours", [
    ("crowds on weekdays", (0, 1, 2, 3, 4), None),
    ("intrusions at weekends", (5, 6), None),
    ("every tuesday morning", (1,), (6, 12)),
    ("speeding on fridays after dark", (4,), (20, 30)),
    ("loitering except weekends", (0, 1, 2, 3, 4), None),  # a set of days left out: the other days
    ("anything not on a Monday", (1, 2, 3, 4, 5, 6), None),  # one weekday negated: that day of every week
    ("congestion except on sundays, at night", (0, 1, 2, 3, 4, 5), (21, 30)),
])
def test_recurring_days_of_the_week_and_their_negation(q, weekdays, hours):
    p = parse_query(q, now=NOW, tz=TZ)
    assert (p.weekdays, p.hours, p.filters.since, p.unknown) == (weekdays, hours, None, ()), q
    assert parse_query("2 weekends ago", now=NOW, tz=TZ).weekdays is None  # a span, not a set of days
    assert parse_query("on Monday", now=NOW, tz=TZ).weekdays is None  # one Monday
    assert parse_query("all weekend", now=NOW, tz=TZ).weekdays is None  # the weekend, whole


@pytest.mark.parametrize("q, since, until", [
    # shifts: the most recent one that has begun
    ("night shift", L(26, 22), L(27, 6)),
    ("anything on the night shift?", L(26, 22), L(27, 6)),
    ("the day shift yesterday", L(26, 6), L(26, 18)),
    ("during the late shift on Wednesday", L(25, 14), L(25, 22)),
    ("early shift", L(27, 6), L(27, 14)),
    # modifiers on a part, also with the day word between them
    ("last night", L(26, 18), L(27, 6)),  # yesterday's "tonight": the evening too, as people say it
    ("anoche", L(26, 18), L(27, 6)),
    ("overnight", L(26, 21), L(27, 6)),  # the night itself
    ("late last night", L(26, 22), L(27, 2)),
    ("early last night", L(26, 20), L(26, 23)),
    ("first thing this morning", L(27, 6), L(27, 9)),
    ("first thing in the morning yesterday", L(26, 6), L(26, 9)),
    ("first thing on Monday", L(23, 6), L(23, 9)),
    ("early this morning", L(27, 6), L(27, 9)),
    ("late yesterday afternoon", L(26, 15), L(26, 18)),
    ("late on tuesday evening", L(24, 20), L(24, 23)),
    # short day names that are also words, beside a part of the day or after a day preposition
    ("sat night", L(21, 21), L(22, 6)),
    ("sun morning", L(22, 6), L(22, 12)),
    ("on wed", L(25), L(26)),
    ("wed afternoon", L(25, 12), L(25, 18)),
    ("Tuesday evening", L(24, 18), L(24, 22)),
    # open windows: since X / from X until now, X any day, part or clock
    ("since Monday", L(23), None),
    ("since monday morning", L(23, 6), None),
    ("since yesterday", L(26), None),
    ("since this morning", L(27, 6), None),
    ("since last night", L(26, 18), None),
    ("since midday", L(27, 12), None),
    ("since noon", L(27, 12), None),
    ("from midday today until now", L(27, 12), None),  # local noon, not an 11-13 window, not UTC noon
    ("from 8am until now", L(27, 8), None),
    ("from 8am yesterday till now", L(26, 8), None),
    ("from yesterday afternoon up to now", L(26, 12), None),
    ("since the 25th", L(25), None),
    ("everything since Friday", L(20), None),  # said on a Friday: the one before
    # bounds on a part of the day: the day up to it / from its end
    ("before the morning rush today", L(27), L(27, 7)),
    ("anything before the morning rush?", L(27), L(27, 7)),
    ("before lunch yesterday", L(26), L(26, 11.5)),
    ("after lunch yesterday", L(26, 13), L(26, 18)),  # the afternoon from about one (blind10 dev, search10b)
    ("until midday on Monday", L(23), L(23, 12)),
    ("the early hours", L(27), L(27, 6)),
    ("in the early hours of this morning", L(27), L(27, 6)),
    ("early hours of Sunday", L(22), L(22, 6)),
    # clocks next to a part of the day, 24-hour clocks without a colon, am/pm as the part of a day
    ("approx 0700 this am", L(27, 6.5), L(27, 7.5)),
    ("around 7 this morning", L(27, 6.5), L(27, 7.5)),
    ("at 2130hrs yesterday", L(26, 21), L(26, 22)),
    ("yesterday pm", L(26, 12), L(26, 18)),
    ("this am", L(27, 6), L(27, 12)),
    ("earlier this afternoon", L(27, 12), L(27, 18)),
    ("last thing yesterday", L(26, 20), L(27)),
    ("last thing on friday", L(20, 20), L(21)),
    ("end of the day on Monday", L(23, 18), L(24)),
    ("start of the day", L(27, 6), L(27, 9)),
    # nights named by another day, clocks inside a night that runs past midnight, two parts that narrow
    ("friday overnight", L(20, 21), L(21, 6)),
    ("overnight into saturday", L(20, 21), L(21, 6)),
    ("the night before last", L(25, 21), L(26, 6)),
    ("two nights ago", L(25, 21), L(26, 6)),
    ("at 2am last night", L(27, 1.5), L(27, 2.5)),
    ("between 1 and 3am last night", L(27, 1), L(27, 3)),
    ("after midnight last night", L(27), L(27, 6)),
    ("during rush hour this morning", L(27, 7), L(27, 10)),
    ("this time yesterday", L(26, 17.5), L(26, 19.5)),  # an hour either side (was half an hour before search9)
    ("mon 8am", L(23, 7.5), L(23, 8.5)),
    ("8am monday", L(23, 7.5), L(23, 8.5)),
    ("the early hours of sunday morning", L(22), L(22, 6)),
    ("shortly before 6pm yesterday", L(26, 17), L(26, 18)),
    ("just after 10pm last night", L(26, 22), L(26, 23)),
    ("around 8ish this morning", L(27, 7.5), L(27, 8.5)),
    ("yesterday in the afternoon or evening", L(26, 12), L(26, 22)),
    ("morning and afternoon on monday", L(23, 6), L(23, 18)),
    ("this afternoon or evening", L(27, 12), L(27, 22)),
    # more clock bounds; a bare 1-7 after "after"/"before" is the afternoon
    ("til 3am", L(27), L(27, 3)),
    ("up to 8am today", L(27), L(27, 8)),
    ("by 9am", L(27), L(27, 9)),
    ("after 5 yesterday", L(26, 17), L(27)),
    ("before 7", L(27), L(27, 7)),
    ("since 6", L(27, 18), None),
    # a weekday of a named calendar week
    ("saturday last week", L(21), L(22)),
    ("last week's tuesday evening", L(17, 18), L(17, 22)),
    ("wednesday of this week", L(25), L(26)),
    # weeks back
    ("the week before last", L(9), L(16)),
    ("2 weeks ago", L(9), L(16)),

    ("between 2 and 4pm yesterday", L(26, 14), L(26, 16)),
    ("yesterday between 2 and 4 pm", L(26, 14), L(26, 16)),
    ("2 days ago", L(25), L(26)),
    ("a couple of days ago", L(25), L(26)),
    ("the 5th", L(5), L(6)),
    ("on the 20th in the evening", L(20, 18), L(20, 22)),
])
def test_time_expressions_compose(q, since, until):
    s, u, hours, unknown = window(q)
    assert (s, u) == (since, until), q
    assert hours is None and not unknown, (hours, unknown)


@pytest.mark.parametrize("q, minutes", [
    ("the last half hour", 30), ("in the past half an hour", 30), ("last quarter of an hour", 15),
    ("in the last hour and a half", 90), ("past one and a half hours", 90), ("within the last 1.5 hours", 90),
    ("last forty minutes", 40), ("within the hour", 60), ("last 48h", 48 * 60), ("past 2d", 2 * 24 * 60),
    ("in the last day or two", 2 * 24 * 60), ("in the past week or so", 7 * 24 * 60), ("en la última media hora", 30), ("en los últimos 20 minutos", 20), ("the past hour or two", 120), ("in the past twenty-five minutes", 25), ("past 90 mins", 90),
])
def test_spans_in_words(q, minutes):
    s, u, hours, unknown = window(q)
    assert s == NOW.astimezone(timezone.utc) - __import__("datetime").timedelta(minutes=minutes) and u is None, q
    assert not unknown


@pytest.mark.parametrize("q, since, until", [
    ("coches parados desde el lunes", L(23), None),
    ("desde ayer por la tarde", L(26, 12), None),
    ("desde esta mañana", L(27, 6), None),
    ("这周一以来的逆行", L(23), None),
    ("从周一起的逆行", L(23), None),
    ("周三以来", L(25), None),
    ("从昨天开始", L(26), None),
    ("从昨天晚上开始", L(26, 18), None),
    ("今天中午以来", L(27, 12), None),
    ("从中午到现在", L(27, 12), None),
    ("desde el mediodía de hoy", L(27, 12), None),
    ("desde el mediodía hasta ahora", L(27, 12), None),
    ("夜班期间的事件", L(26, 22), L(27, 6)),
    ("上周一以来", L(16), None),
    ("上周六晚上", L(21, 18), L(22, 6)),  # 晚上 runs from dusk into the small hours
    ("这周三下午", L(25, 12), L(25, 18)),
    ("昨天下午三点到五点", L(26, 15), L(26, 17)),
    ("昨晚十点以后", L(26, 22), L(27, 6)),
    ("今天早上七点左右", L(27, 6.5), L(27, 7.5)),
    ("昨天10点半", L(26, 10), L(26, 11)),
    ("ayer entre las 8 y las 10 de la mañana", L(26, 8), L(26, 10)),
    ("anoche después de las 11", L(26, 23), L(27, 6)),
    ("el lunes pasado", L(23), L(24)),
    ("el pasado lunes", L(23), L(24)),
    ("anteanoche", L(25, 20), L(26, 6)),  # Spanish "noche" starts at dark (20:00)
    ("la semana antepasada", L(9), L(16)),
    ("el día 5", L(5), L(6)),
    ("el 23 de noviembre", L(23), L(24)),
    ("11月23号", L(23), L(24)),
    ("sobre las 8", L(27, 7.5), L(27, 8.5)),
    ("entre las 2 y las 4", L(27, 14), L(27, 16)),
    ("a última hora de ayer", L(26, 20), L(27)),
    ("el viernes por la mañana temprano", L(27, 6), L(27, 9)),
    ("este fin de semana", L(21), L(23)),
    ("el turno de noche en el puerto", L(26, 22), L(27, 6)),
    ("a primera hora de esta mañana", L(27, 6), L(27, 9)),
    ("esta madrugada", L(27), L(27, 6)),
    ("entre las 2 y las 4 de la tarde de ayer", L(26, 14), L(26, 16)),
    ("hace media hora", L(27, 17, 30), L(27, 18, 30)),
])
def test_since_in_spanish_and_chinese(q, since, until):
    p = parse_query(q, now=NOW, tz=TZ)
    assert (p.filters.since, p.filters.until) == (since, until), q


@pytest.mark.parametrize("q, fact, op, value", [
    ("loitering more than a quarter of an hour", "duration_s", "gt", 900),
    ("loitering for over half an hour", "duration_s", "gt", 1800),
    ("stopped longer than an hour and a half", "duration_s", "gt", 5400),
    ("stopped for more than one and a half hours", "duration_s", "gt", 5400),
    ("loitering under three quarters of an hour", "duration_s", "lt", 2700),
    ("parked more than 90 secs", "duration_s", "gt", 90),
    ("stopped longer than twenty minutes", "duration_s", "gt", 1200),
    ("crowd of more than a dozen people", "count", "gt", 12),
    ("congestion with over two dozen vehicles", "count", "gt", 24),
    ("crowd of more than half a dozen people", "count", "gt", 6),
    ("merodeo de más de 20 minutos", "duration_s", "gt", 1200),
    ("merodeo de más de media hora", "duration_s", "gt", 1800),
    ("vehículos que llevan más de un cuarto de hora", "duration_s", "gt", 900),
    ("parado más de una hora y media", "duration_s", "gt", 5400),
    ("aglomeración de más de dos docenas de personas", "count", "gt", 24),
    ("aglomeración de más de cuarenta personas", "count", "gt", 40),
    ("crowd of over forty people", "count", "gt", 40),
    ("loitering more than a quarter of an hour", "duration_s", "gt", 900),
    ("stopped for longer than an hour and a half", "duration_s", "gt", 5400),
    ("vehículos que llevan más de media hora parados", "duration_s", "gt", 1800),
    ("más de cuarenta coches", "count", "gt", 40),
    ("超速超过一百二十公里", "speed_kmh", "gt", 120),
    ("逗留超过半小时的人", "duration_s", "gt", 1800),
    ("停车超过一刻钟", "duration_s", "gt", 900),
    ("逗留超过一个半小时", "duration_s", "gt", 5400),
    ("逗留超过两个小时", "duration_s", "gt", 7200),
    ("堵车，车辆超过四十辆", "count", "gt", 40),
    ("人群超过二十五人", "count", "gt", 25),
    ("车辆二十多辆的拥堵", "count", "gt", 20),
    ("40辆以上的拥堵", "count", "gt", 40),
    ("逗留30分钟以上", "duration_s", "gt", 1800),
    ("停车十分钟以内", "duration_s", "lt", 600),
    ("stopped 20 minutes or more", "duration_s", "gt", 1200),
    ("crowd of 20 people or more", "count", "gt", 20),
    ("merodeo de 20 minutos o más", "duration_s", "gt", 1200),
])
def test_durations_and_counts_in_words(q, fact, op, value):
    p = parse_query(q, now=NOW, tz=TZ)
    assert [(b.fact, b.op, b.value) for b in p.facts] == [(fact, op, float(value))], q


def test_a_duration_keeps_the_type_and_the_place():
    p = parse_query("merodeo de más de 20 minutos en la rampa", now=NOW, tz=TZ, zones=["ramp"])
    assert p.filters.types == ("loitering",) and p.filters.zones == ("ramp",)
    p = parse_query("逗留超过半小时的人", now=NOW, tz=TZ)
    assert p.filters.types == ("loitering",)


@pytest.mark.parametrize("text", ["platform three", "one of the lorries", "two people fighting", "三号站台", "最后一次超速", "a car", "the sun was out"])
def test_numbers_that_are_not_quantities_stay(text):
    assert normalise_quantities(text) == text


@pytest.mark.parametrize("q, hours", [
    ("between 7 and 9 every morning", (7, 9)), ("every morning", (6, 12)), ("each night at the depot", (21, 30)),
    ("at night", (21, 30)), ("around lunchtime", (11.5, 14.5)),
])
def test_every_part_of_the_day_is_recurring(q, hours):
    s, u, h, _ = window(q)
    assert (s, u, h) == (None, None, hours), q


def test_the_past_nights_are_a_span_masked_to_the_night():
    s, u, h, _ = window("the past 3 nights")
    assert (s, u, h) == (NOW.astimezone(timezone.utc) - __import__("datetime").timedelta(days=3), None, (21, 30))


@pytest.mark.parametrize("q", ["the last thing at the loading bay", "what was the last thing on market street",
                               "latest one since monday", "most recent incident from midday today until now",
                               "newest thing last night"])
def test_recency_words_are_not_eaten_by_the_time_grammar(q):
    assert parse_query(q, now=NOW, tz=TZ, zones=["loading bay"]).newest, q


@pytest.mark.parametrize("q", ["anything in the small hours of saturday", "in the wee hours on saturday"])
def test_small_hours_of_a_day(q):
    s, u, _, _ = window(q)
    assert (s, u) == (L(21), L(21, 6)), q


def test_chinese_numerals():
    assert [zh_number(t) for t in ("四十", "十五", "两", "二十五", "一百二十", "3")] == [40, 15, 2, 25, 120, 3]


@pytest.mark.parametrize("q", ["the sun was in my eyes", "sat on the hard shoulder", "a van from the harbour",
                               "everything from the depot"])
def test_words_that_look_like_times_but_are_not(q):
    s, u, hours, _ = window(q)
    assert (s, u, hours) == (None, None, None), q


def at_local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=Z)


@pytest.mark.parametrize("said, q, since, until, hours", [
    # a shift or concrete part less than half over: the one before it as well, masked to the part's hours
    (at_local(27, 22, 10), "summary of the night shift", L(26, 22), L(28, 6), (22, 30)),
    (at_local(27, 15), "the late shift at the quay", L(26, 14), L(27, 22), (14, 22)),
    (at_local(27, 1), "the early hours", L(26), L(27, 6), (0, 6)),
    # more than half over (or over): that one alone
    (at_local(28, 3), "summary of the night shift", L(27, 22), L(28, 6), None),
    (at_local(27, 19), "the late shift at the quay", L(27, 14), L(27, 22), None),
    (at_local(27, 11), "the early hours", L(27), L(27, 6), None),
    # an open bound is not a shift summary: the latest one begun
    (at_local(27, 12, 30), "since midday", L(27, 12), None, None),
])
def test_a_shift_asked_for_early_in_its_run_also_means_the_one_before(said, q, since, until, hours):
    p = parse_query(q, now=said, tz=TZ)
    assert (p.filters.since, p.filters.until, p.hours) == (since, until, hours), q


@pytest.mark.parametrize("said, q, since, until", [
    # today's own weekday name for a stretch that is not over: last week's ("today" / "tonight" name this one)
    (at_local(27, 22, 10), "late friday", L(20, 20), L(21)),
    (at_local(27, 9), "on friday", L(20), L(21)),
    (at_local(27, 9), "friday evening at the depot", L(20, 18), L(20, 22)),
    # ... a stretch already over keeps today's
    (at_local(27, 18, 30), "friday morning", L(27, 6), L(27, 12)),
    # other weekday names: the most recent one
    (at_local(27, 22, 10), "late thursday", L(26, 20), L(27)),
])
def test_todays_weekday_name_means_last_weeks_unless_the_stretch_is_over(said, q, since, until):
    p = parse_query(q, now=said, tz=TZ)
    assert (p.filters.since, p.filters.until) == (since, until), q


def test_office_hours_are_nine_to_five():
    assert window("office hours yesterday")[:2] == (L(26, 9), L(26, 17))


@pytest.mark.parametrize("q, since, until", [
    ("between midnight and 3", L(27), L(27, 3)),  # midnight is on the 24 h clock: not 12:00-15:00
    ("from midnight to 2", L(27), L(27, 2)),
    ("at 4 on sunday", L(22, 15.5), L(22, 16.5)),  # a bare 1-7 beside a named day is the afternoon
    ("at 9 on tuesday", L(24, 8.5), L(24, 9.5)),
    ("the weekend before last", L(14), L(16)),
    ("3 weekends ago", L(7), L(9)),  # said on a Friday: the weekend just gone is 1 ago
    ("sometime this afternoon", L(27, 12), L(27, 18)),
    ("evening commute yesterday", L(26, 16), L(26, 19, 30)),
    ("after sunset on tuesday", L(24, 20), L(25)),
    ("wednesday at daybreak", L(25, 5), L(25, 8)),
])
def test_more_day_and_clock_forms(q, since, until):
    s, u, hours, unknown = window(q)
    assert (s, u, hours) == (since, until, None), q
    assert not unknown, unknown


@pytest.mark.parametrize("said, q, since", [
    (at_local(28, 11), "the weekend before last", L(14)),  # said on a Saturday: this weekend is not "last"
    (at_local(28, 11), "2 weekends ago", L(14)),
    (at_local(28, 11), "last weekend", L(21)),
])
def test_weekends_back_said_on_a_weekend(said, q, since):
    p = parse_query(q, now=said, tz=TZ)
    assert p.filters.since == since, q


# ---- one spelling before the grammar: traditional characters, full-width digits, Spanish without accents,
# regional and colloquial forms (made up for the grammar, not copied from any evaluation set)
@pytest.mark.parametrize("q, since, until", [
    # traditional Chinese reads as simplified
    ("前天夜裡", L(25, 21), L(26, 6)),
    ("過去兩個小時", L(27, 16, 30), None),
    ("昨天晚上九點以後", L(26, 21), L(27, 6)),
    ("上禮拜三下午", L(18, 12), L(18, 18)),
    # full-width digits
    ("今天下午３点到５点", L(27, 15), L(27, 17)),
    # 晚上 / 昨晚 / 昨夜 / 前晚: the evening and the night after it
    ("昨晚", L(26, 18), L(27, 6)),
    ("昨夜", L(26, 18), L(27, 6)),
    ("前晚", L(25, 18), L(26, 6)),
    ("礼拜一晚上", L(23, 18), L(24, 6)),
    ("后半夜", L(27), L(27, 6)),
    # half hours, 以内, 时 as a clock, quarter hours, Chinese numeral dates
    ("半小时内", L(27, 18), None),
    ("过去一个半小时", L(27, 17), None),
    ("三天以内", L(24, 18, 30), None),
    ("今天上午9时", L(27, 8, 30), L(27, 9, 30)),
    ("今天早上7点一刻", L(27, 6, 45), L(27, 7, 45)),
    ("十一月二十日", L(20), L(21)),
    ("25日上午", L(25, 6), L(25, 12)),
    # Spanish with the accents left out
    ("esta manana", L(27, 6), L(27, 12)),
    ("en las ultimas 3 horas", L(27, 15, 30), None),
    ("despues de las 10 de la noche de ayer", L(26, 22), L(27, 6)),
    ("el miercoles por la tarde", L(25, 12), L(25, 20)),  # la tarde runs until dusk
    # Spanish "la noche" of a named day is the evening and the night, as "anoche" (search10b, 29 Nov 2026: two blind
    # authors label it so); regional words
    ("ayer por la noche", L(26, 18), L(27, 6)),
    ("el martes en la noche", L(24, 18), L(25, 6)),
    ("antier", L(25), L(26)),
    ("antenoche", L(25, 20), L(26, 6)),
    # Spanish clocks
    ("ayer a las 3 y media de la tarde", L(26, 15), L(26, 16)),
    ("hoy a las 8 menos cuarto", L(27, 7, 15), L(27, 8, 15)),
    ("ayer a las 21 hs", L(26, 20, 30), L(26, 21, 30)),
    ("ayer de 9 a 11", L(26, 9), L(26, 11)),
    ("a partir de las 10 de hoy", L(27, 10), None),
    ("ayer a eso de las 5 de la tarde", L(26, 16, 30), L(26, 17, 30)),
    # 中午 runs to the end of the lunch break; a morning part keeps a bare range in the morning; formal day words
    ("昨天中午", L(26, 11), L(26, 14)),
    ("今天早上五点到七点之间", L(27, 5), L(27, 7)),
    ("昨日下午", L(26, 12), L(26, 18)),
    ("本周末", L(21), L(23)),
    ("这两天", L(25, 18, 30), None),
    # "las 12 de la noche" is midnight; "from 10 to midnight" is 22:00 to 24:00
    ("ayer entre las 10 y las 12 de la noche", L(26, 22), L(27)),
    ("between 9 and midnight yesterday", L(26, 21), L(27)),
    # a part of the day bounded by 以前 / 之后; 前后 after a clock is "around"; the week before last; 一早
    ("今天早高峰以前", L(27), L(27, 7)),
    ("昨天中午之后", L(26, 12), L(27)),
    ("今天早上6点前后", L(27, 5, 30), L(27, 6, 30)),
    ("上上周", L(9), L(16)),
    ("今天一早", L(27, 6), L(27, 9)),
])
def test_time_words_in_any_spelling_read_the_same(q, since, until):
    p = parse_query(q, now=NOW, tz=TZ)
    assert (p.filters.since, p.filters.until) == (since, until), q


@pytest.mark.parametrize("q, since, until", [
    ("between 11 and 1 last night", L(26, 23), L(27, 1)),  # the shorter span: past midnight, not to 13:00
    ("between 12 and 2 yesterday afternoon", L(26, 12), L(26, 14)),
    ("between 10 and 1 yesterday", L(26, 10), L(26, 13)),  # 10 am to 1 pm, not to 1 am
    ("at half past 7 this morning", L(27, 7), L(27, 8)),  # spoken clocks
    ("quarter to 9 this morning", L(27, 8, 15), L(27, 9, 15)),
    ("a quarter past 11 today", L(27, 10, 45), L(27, 11, 45)),
    ("10 o'clock yesterday", L(26, 9, 30), L(26, 10, 30)),
    ("14:20 on tuesday", L(24, 13, 50), L(24, 14, 50)),  # a colon says clock without "at"
    ("the 9th after 8pm", L(9, 20), L(10, 6)),  # an ordinal day without "the"
    ("monday to wednesday", L(23), L(26)),  # a range of days, both ends included
    ("from tuesday until today", L(24), L(28)),
    ("between sunday and tuesday", L(22), L(25)),
    ("thursday night into friday", L(26, 21), L(27, 6)),
    ("the previous night", L(26, 18), L(27, 6)),
    ("a week ago today", L(20), L(21)),
])
def test_spoken_clocks_day_ranges_and_short_clock_ranges(q, since, until):
    s, u, hours, unknown = window(q)
    assert (s, u, hours) == (since, until, None), q
    assert not unknown, unknown


@pytest.mark.parametrize("q", ["on the 2nd floor", "take the 3rd exit"])
def test_an_ordinal_before_a_place_noun_is_no_date(q):
    s, u, _, _ = window(q)
    assert (s, u) == (None, None), q


def test_an_ordinal_day_followed_by_other_words_after_a_part_is_still_the_day():
    s, u, hours, _ = window("on the 4th in the morning person waiting")
    assert (s, u, hours) == (L(4, 6), L(4, 12), None)


@pytest.mark.parametrize("q, weekdays, hours", [
    ("jams on weekday evenings", (0, 1, 2, 3, 4), (18, 22)),  # a plural part after a day set: every such part
    ("people hanging about on weekend afternoons", (5, 6), (12, 18)),
    ("tuesday nights at the depot", (1,), (21, 30)),  # a weekday before a plural part: every such day
    ("vans in the mornings", None, (6, 12)),  # a plural part alone: every morning
])
def test_a_part_of_the_day_in_the_plural_recurs(q, weekdays, hours):
    p = parse_query(q, now=NOW, tz=TZ)
    assert (p.weekdays, p.hours, p.filters.since, p.filters.until) == (weekdays, hours, None, None), q
    assert not {"evenings", "afternoons", "nights", "mornings"} & set(p.unknown), q
    assert parse_query("the last 2 friday nights", now=NOW, tz=TZ).weekdays is None  # a span, not a set of days


def test_after_an_evening_clock_runs_on_into_the_night_on_a_named_day_too():
    # issue 9: "after 10pm on Monday" ending at midnight is a defect its operators named
    assert window("vans after 8pm on Tuesday")[:2] == (L(24, 20), L(25, 6))
    assert window("vans after 11pm the day before yesterday")[:2] == (L(25, 23), L(26, 6))
    assert window("vans after 10pm")[:2] == (L(26, 22), L(27, 6))  # no day named: on into the night
    assert window("vans tuesday night after 11pm")[:2] == (L(24, 23), L(25, 6))  # the night named runs on


def test_the_weekend_just_gone_is_the_last_one_over():
    sunday = datetime(2026, 11, 29, 11, 0, tzinfo=Z)
    p = parse_query("the weekend just gone, vans", now=sunday, tz=TZ)
    assert (p.filters.since, p.filters.until) == (L(21), L(23))  # not the weekend under way
    assert window("the month gone by")[:2] == (datetime(2026, 10, 1, tzinfo=Z).astimezone(timezone.utc), L(1))
