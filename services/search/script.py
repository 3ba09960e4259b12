"""Writing-system normalisation of a query before any table reads it: one spelling per word.

Operators type the same word in several scripts and spellings; the vocabulary tables hold one of them:

* Chinese — traditional characters (過去兩個小時, 貨車, 違停) are converted to simplified with OpenCC's
  phrase tables (``opencc-purepy``, pure Python, MIT; its dictionaries come with the wheel). Phrase-level
  conversion, not a character map, so one-to-many characters (乾/幹 -> 干, 裡/裏 -> 里) come out right.
* full-width forms (８点, ＡＢＣ, ：) become ASCII (Unicode NFKC), so a digit is a digit.
* Spanish — accents and the tilde are optional to a typist ("manana", "camion", "ultimas"): :func:`fold` drops
  them; the tables and the query are compared folded (``vocab`` adds the folded spelling of each key).

Example:
    >>> normalise("昨天晚上貨車違停")
    '昨天晚上货车违停'
    >>> fold("camión en el arcén por la mañana")
    'camion en el arcen por la manana'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_FULLWIDTH = re.compile(r"[\uff01-\uff5e\u3000]")


@lru_cache(maxsize=1)
def _t2s():
    from opencc_purepy import OpenCC  # ~0.2 s to load the tables: only once, and only for Chinese text

    return OpenCC("t2s")


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Traditional Chinese -> simplified (text without Chinese characters is returned as it is)."""
    if not _CJK.search(text):
        return text
    return _t2s().convert(text)


# Spoken (northern) forms of a word the tables hold in its standard spelling: 昨儿个 / 昨儿 = 昨天, 今儿 = 今天,
# 前儿 = 前天, 明儿 = 明天, 钟头 = 小时 (an hour), 礼拜 days stay for the time grammar
_ZH_SPOKEN = ((re.compile(r"([昨今前明])儿(?:个)?"), r"\1天"), (re.compile(r"钟头"), "小时"),
              # an A-not-A question asks whether A: 堵不堵 = 堵, 多不多 = 多, 有没有 = 有, 停没停 = 停
              (re.compile(r"([\u4e00-\u9fff])[不没]\1"), r"\1"))


def normalise(text: str) -> str:
    """Full-width forms to ASCII, traditional Chinese to simplified and spoken Chinese forms to the standard word
    (昨儿个 -> 昨天, 钟头 -> 小时, 堵不堵 -> 堵); other text is left alone."""
    if _FULLWIDTH.search(text):
        text = _FULLWIDTH.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = to_simplified(text)
    if _CJK.search(text):
        for rx, to in _ZH_SPOKEN:
            text = rx.sub(to, text)
    return text


_FOLD = str.maketrans("áéíóúüñàèìòùâêîôûäëïöÁÉÍÓÚÜÑ", "aeiouunaeiouaeiouaeioAEIOUUN")


def fold(text: str) -> str:
    """Latin accents, diaeresis and tilde dropped ("Estación" -> "Estacion", "ñ" -> "n"); other characters kept.

    A fixed table rather than NFD + stripping marks: the string keeps its length, so spans found in the folded
    text are spans of the original."""
    return text.translate(_FOLD)
