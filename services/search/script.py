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


def normalise(text: str) -> str:
    """Full-width forms to ASCII and traditional Chinese to simplified; other text is left alone."""
    if _FULLWIDTH.search(text):
        text = _FULLWIDTH.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    return to_simplified(text)


_FOLD = str.maketrans("áéíóúüñàèìòùâêîôûäëïöÁÉÍÓÚÜÑ", "aeiouunaeiouaeiouaeioAEIOUUN")


def fold(text: str) -> str:
    """Latin accents, diaeresis and tilde dropped ("Estación" -> "Estacion", "ñ" -> "n"); other characters kept.

    A fixed table rather than NFD + stripping marks: the string keeps its length, so spans found in the folded
    text are spans of the original."""
    return text.translate(_FOLD)
