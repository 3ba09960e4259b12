"""Quantities written in words -> digits, before the time grammar and the fact reader see the query.

One pass, three languages, so that every later reader only has to know digits:

* durations — "a quarter of an hour" / "quarter hour" -> "15 minutes", "half an hour" / "half hour" -> "30 minutes",
  "an hour and a half" / "one and a half hours" / "1.5 hours" -> "90 minutes", "three quarters of an hour" ->
  "45 minutes", "twenty minutes" -> "20 minutes"; Spanish "media hora", "un cuarto de hora", "una hora y media",
  "veinte minutos"; Chinese 半小时 / 半个小时, 一刻钟, 一个半小时, 两个小时 (Chinese keeps its own unit words:
  "30分钟", "2小时");
* idioms of duration — "(que) llevan más de 30 minutos" (have been there for more than): the verb goes, the
  comparison stays;
* counts — "a dozen" -> "12", "two dozen" -> "24", "half a dozen" -> "6"; a number word in front of a time unit ("forty
  minutes"), or after a Spanish comparison ("más de cuarenta personas"); Chinese numerals in front of a measure word (四十辆 -> 40辆, 十五个人 -> 15人).

Only number words that stand before a unit (or "dozen") are rewritten: "platform three", "one of the lorries" stay.
"""

from __future__ import annotations

import re

_EN_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_EN_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
             "seventeen": 17, "eighteen": 18, "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ES_NUMS = {"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
            "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15, "veinte": 20, "veinticinco": 25,
            "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "noventa": 90, "cien": 100}
_EN_WORD = (r"(?:(?P<tens>" + "|".join(_EN_TENS) + r")(?:[\s-](?P<tu>" + "|".join(_EN_UNITS) + r"))?"
            r"|(?P<teen>" + "|".join(_EN_TEENS) + r")|(?P<unit>" + "|".join(_EN_UNITS) + r")|(?P<a>an?))")
# Units a number word may stand before (durations, counted things); "a" / "an" only before time units.
_TIME_UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)"


def _en_value(m: re.Match[str]) -> int | None:
    if m.group("tens"):
        return _EN_TENS[m.group("tens")] + (_EN_UNITS[m.group("tu")] if m.group("tu") else 0)
    if m.group("teen"):
        return _EN_TEENS[m.group("teen")]
    if m.group("unit"):
        return _EN_UNITS[m.group("unit")]
    return 1 if m.group("a") else None


_B = r"(?<![\w'])"
_E = r"(?![\w'])"
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_EN_RULES: list[tuple[re.Pattern[str], object]] = [
    # fractions of an hour first ("an hour and a half" must not read "an hour" then "a half")
    (_rx(r"(?:" + _B + r"(?:an|one|1)\s+|(?<=last )|(?<=past ))(?:hour|hr)\s+and\s+a\s+half" + _E), "90 minutes"),
    (_rx(_B + r"(?:one|1)\s+and\s+a\s+half\s+(?:hours|hrs|hour)" + _E), "90 minutes"),
    (_rx(_B + r"(?:an?|one)\s+and\s+a\s+half\s+(?:hours|hrs|hour)" + _E), "90 minutes"),
    (_rx(_B + r"(?P<n>\d+|" + "|".join(_EN_UNITS) + r")\s+and\s+a\s+half\s+(?:hours|hrs)" + _E),
     lambda m: f"{(int(m.group('n')) if m.group('n').isdigit() else _EN_UNITS[m.group('n')]) * 60 + 30} minutes"),
    (_rx(_B + r"(?P<n>\d+(?:\.\d+)?)\s*(?:hours|hrs|hour|hr|h)\b(?=\s|$|[,.;!?])"),
     lambda m: f"{round(float(m.group('n')) * 60)} minutes" if "." in m.group("n") else m.group(0)),
    (_rx(_B + r"three[\s-]quarters\s+of\s+an\s+hour" + _E), "45 minutes"),
    (_rx(_B + r"(?:an?\s+|one\s+)?quarter(?:\s+of\s+an)?[\s-]+hour" + _E), "15 minutes"),
    (_rx(_B + r"(?:a\s+)?half(?:\s+an?)?[\s-]+hour" + _E), "30 minutes"),
    (_rx(_B + r"half\s+a\s+dozen" + _E), "6"),
    (_rx(_B + r"(?:an?\s+)?(?P<u>minute|hour|day|week)\s+or\s+two" + _E), lambda m: f"2 {m.group('u')}s"),
    (_rx(_B + r"(?:(?P<n>\d+|" + "|".join(_EN_UNITS) + r"|a\s+couple\s+of|a\s+few)\s+|an?\s+)?dozens?" + _E),
     lambda m: str(12 * (int(m.group("n")) if m.group("n") and m.group("n").isdigit()
                         else _EN_UNITS.get(m.group("n") or "", 2 if m.group("n") and "couple" in m.group("n")
                                            else 3 if m.group("n") else 1)))),
    # a number word before a time unit ("the last forty minutes"); before a counted noun only after a comparison
    # (the parser's own reader does those), so "two people fighting" keeps its words
    (_rx(_B + _EN_WORD + r"(?=\s+" + _TIME_UNIT + _E + ")"), lambda m: str(_en_value(m))),
]

# A bound written after the number: "20 minutes or more" / "or longer" / "plus" -> "more than 20 minutes"
_EN_RULES.append((_rx(_B + r"(?P<q>\d+(?:\.\d+)?\s*[^\W\d_]+)\s+(?:or\s+(?:more|longer|over|above)|plus)" + _E),
                  lambda m: f"more than {m.group('q')}"))
_EN_RULES.append((_rx(_B + r"(?P<q>\d+(?:\.\d+)?\s*[^\W\d_]+)\s+or\s+(?:less|fewer|shorter|under)" + _E),
                  lambda m: f"less than {m.group('q')}"))

_ES_RULES: list[tuple[re.Pattern[str], object]] = [
    (_rx(_B + r"(?:que\s+)?(?:llevan?|llevaban?|lleven?|llevando)\s+(?=(?:más|mas|menos)\s+de\s+)"), ""),
    (_rx(_B + r"(?:kil[oó]metros|kms?)\s*(?:por|/|a\s+la)\s*hora" + _E), "km/h"),  # before "hora" is read as time
    (_rx(_B + r"(?:una|1|(?<=[uú]ltima )|(?<=[uú]ltima\s))\s*hora\s+y\s+media" + _E), "90 minutos"),
    (_rx(_B + r"(?P<n>\d+|dos|tres|cuatro|cinco)\s+horas\s+y\s+media" + _E),
     lambda m: f"{(int(m.group('n')) if m.group('n').isdigit() else _ES_NUMS[m.group('n')]) * 60 + 30} minutos"),
    (_rx(_B + r"tres\s+cuartos\s+de\s+hora" + _E), "45 minutos"),
    (_rx(_B + r"(?:un\s+)?cuarto\s+de\s+hora" + _E), "15 minutos"),
    (_rx(_B + r"(?:una\s+)?media\s+hora" + _E), "30 minutos"),
    (_rx(_B + r"(?P<q>\d+(?:\.\d+)?\s*[^\W\d_]+)\s+o\s+m[aá]s" + _E), lambda m: f"más de {m.group('q')}"),
    (_rx(_B + r"(?:un\s+par\s+de)(?=\s+(?:horas|minutos|días|dias|semanas)" + _E + ")"), "2"),
    (_rx(_B + r"(?:media\s+docena)" + _E), "6"),
    (_rx(_B + r"(?:(?P<n>\d+|dos|tres|cuatro|cinco)\s+)?docenas?(?:\s+de)?" + _E),
     lambda m: str(12 * (int(m.group("n")) if m.group("n") and m.group("n").isdigit() else _ES_NUMS.get(m.group("n") or "", 1)))),
    (_rx(_B + r"(?P<w>" + "|".join(sorted(_ES_NUMS, key=len, reverse=True)) + r")(?=\s+(?:segundos|minutos|horas?|días|dias"
                r"|semanas?)" + _E + ")"), lambda m: str(_ES_NUMS[m.group("w")])),
    (_rx(r"(?P<c>" + _B + r"(?:(?:más|mas|menos)\s+de|(?:al|por\s+lo)\s+menos|como\s+m[aá]ximo|como\s+m[ií]nimo"
         r"|(?:superior|inferior)(?:es)?\s+a|(?:mayor|menor)\s+(?:que|de))\s+)(?P<w>" + "|".join(sorted(_ES_NUMS, key=len, reverse=True)) + r")" + _E),
     lambda m: m.group("c") + str(_ES_NUMS[m.group("w")])),
]

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_NUM = r"[零〇一二两三四五六七八九十百]+"
# Measure words / units a Chinese numeral may stand before (not 号: 三号站台 is a platform, not a date).
_ZH_UNIT = r"(?:个小时|小时|分钟|秒钟|秒|天|个星期|星期|周|辆车|辆|个人|名|人|位|公里)"


def zh_number(tok: str) -> int | None:
    """Chinese numeral -> int (up to 999): 四十 = 40, 十五 = 15, 两 = 2, 一百二十 = 120; None if not one."""
    if tok.isdigit():
        return int(tok)
    total, cur = 0, 0
    for ch in tok:
        if ch in _ZH_DIGITS:
            cur = _ZH_DIGITS[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


_ZH_RULES: list[tuple[re.Pattern[str], object]] = [
    (_rx(r"每小时\s*(?=\d|[零一二两三四五六七八九十百])"), "时速"),  # 每小时90公里 = 时速90公里
    (_rx(r"公里\s*(?:/|每)\s*(?:小时|时)"), "公里"),
    (_rx(r"(?P<n>\d+|" + _ZH_NUM + r")个半(?:小时|钟头)"), lambda m: f"{zh_number(m.group('n')) * 60 + 30}分钟"),
    (_rx(r"半个?多(?:小时|钟头)"), "超过30分钟"),  # 半个多小时: more than half an hour
    (_rx(r"半(?:个)?(?:小时|钟头)"), "30分钟"),
    (_rx(r"(?P<n>[一二两三]|\d)刻钟"), lambda m: f"{zh_number(m.group('n')) * 15}分钟"),
    (_rx(r"(?P<n>" + _ZH_NUM + r")(?=多?" + _ZH_UNIT + ")"), lambda m: str(zh_number(m.group("n")))),
    (_rx(r"(?P<n>\d+)个(?=小时|星期|人)"), lambda m: m.group("n")),  # 2个小时 -> 2小时
    # 20多分钟 / 40辆以上 / 30分钟以上: more than; 不到 / 以下 / 以内: less than
    (_rx(r"(?<!超过)(?P<n>\d+)多(?P<u>" + _ZH_UNIT + ")"), lambda m: f"超过{m.group('n')}{m.group('u')}"),
    (_rx(r"(?<!超过)(?P<n>\d+)(?P<u>" + _ZH_UNIT + r")(?:以上|多)"), lambda m: f"超过{m.group('n')}{m.group('u')}"),
    (_rx(r"(?<!少于)(?P<n>\d+)(?P<u>(?!天|个星期|星期|周)" + _ZH_UNIT + r")(?:以下|以内)"), lambda m: f"少于{m.group('n')}{m.group('u')}"),
]

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _apply(rules, s: str) -> str:
    for rx, rep in rules:
        s = rx.sub(rep, s)
    return s


def normalise_quantities(text: str) -> str:
    """Rewrite quantities written in words as digits (see the module doc); other text is left as it is.

    Example:
        >>> normalise_quantities("loitering more than a quarter of an hour, over two dozen cars")
        'loitering more than 15 minutes, over 24 cars'
        >>> normalise_quantities("车辆超过四十辆，逗留超过半小时")
        '车辆超过40辆，逗留超过30分钟'
    """
    s = _apply(_EN_RULES, text)
    if re.search(r"[a-záéíóúñ]", s, re.IGNORECASE):
        s = _apply(_ES_RULES, s)
    if _CJK.search(s):
        s = _apply(_ZH_RULES, s)
    return s
