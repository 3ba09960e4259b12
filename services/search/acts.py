"""Spanish and Chinese incident types said by an act and a kind of place, not by a type word; Spanish diminutives.

Operators often name no incident type: they say what a road user did where. The rules here read the type from
the act and the kind of place together (a grammar of how the thing is said, not a list of queries), after the
type tables found nothing:

* a vehicle **parked** (aparcado / estacionado / parqueado in any person, number and gender; 停 / 停车 / 停放)
  **where parking is not allowed** (bike or bus lane, loading zone, disabled bays, pavement, crossing, fire lane,
  a corner, double row ...) is illegal parking; a vehicle **in** such a place with no movement verb is too
  ("coches en el carril bici"); a Chinese 停在 that the verb table read as stopped becomes illegal parking there,
  unless it broke down (抛锚, 故障 ...);
* a vehicle stopped **on an emergency lane or hard shoulder** (应急车道停车, 路肩上停着) is a stopped vehicle;
* a vehicle that **stays** longer than a duration said ("vehículos que llevan más de media hora", 停留超过20分钟的
  卡车) is a stopped vehicle; a person who does is loitering;
* "parado" said of a person (Latin America: standing) is loitering, not a stopped vehicle;
* a **person on the tracks** (gente / peatones / alguien ... en las vías; 有人 / 行人 ... 在轨道上) and anyone
  **invading** a place (invadiendo, invadió, invasión; not a vehicle) is an intrusion;
* jumping a fence or barrier (saltó / brincaron / treparon la valla, reja, barrera) or getting in (se metieron al
  andén, se colaron en) is an intrusion; "a mil por hora", "iba volando", "rapidísimo" is speeding; crossing a line
  (cruzó la raya, rebasó la línea) the tripwire; a bag left (dejó una mochila, una maleta sola) an abandoned object;
* Chinese acts by a verb and its object or a reduplicated motion: 转来转去 / 来回走 loitering, 爬栏杆 / 翻围墙
  intrusion, 没人拿 / 放了很久 an abandoned object, 挤满 / 人山人海 a crowd, 排起长龙 a jam, a vehicle 一动不动 stopped, a
  person 蹲 / 站 / 待 … 很久 loitering; 占用 / 占道 is parking where the place says which (应急车道: stopped);
* "accidente / agente / semáforo **de tráfico**" names no congestion: "tráfico" there only says which kind, and
  "la parada" (of the bus, the taxis) is a place, not a stopped vehicle ("una furgoneta parada" is one).

Spanish diminutives (-ito / -ita / -cito, plural too) are read as the word they shrink when that word is in a
table and the diminutive is not: "mañanita", "tempranito", "tardecita", "carritos", "camioncito", "rojita"; spoken
participles in -ao are the -ado ones ("aparcao", "parao", "estacionaos").

Examples (text folded and lower-cased, as the parser holds it):
    >>> undiminish("esta mananita, carritos rojitos")
    'esta manana, carros rojos'
    >>> implied_type("motos aparcadas en la acera", "es", classes=("motorcycle",), facts=())
    'illegal_parking'
    >>> implied_type("peatones en las vias del tranvia", "es", classes=("person",), facts=())
    'intrusion'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

VEHICLES = frozenset({"car", "truck", "bus", "motorcycle"})

# ---- Spanish (folded, lower-case)
_ES_PARK_RX = re.compile(r"\b(?:(?:aparc|estacion)(?:ad[oa]s?|ando|an|aron|aba|aban|a|o|ados?)|parque(?:ad[oa]s?|ando|an|aron|aba|aban|a))\b")
_ES_NO_PARKING = (
    r"carril(?:es)?\s+(?:de\s+(?:las\s+|los\s+)?)?(?:bici|bicis|bicicletas?|bus|buses|autobus(?:es)?|taxi|exclusivo|preferente)"
    r"|carril(?:es)?\s+del\s+(?:bus|autobus|metrobus)|ciclo\s?vias?|ciclorrutas?|bicisendas?"
    r"|zonas?\s+de\s+(?:carga|descarga)|(?:carga\s+y\s+descarga)"
    r"|plazas?\s+(?:de|para)\s+(?:minusvalidos|discapacitados|personas\s+con\s+discapacidad|movilidad\s+reducida)"
    r"|plazas?\s+(?:reservadas?|azules?|pmr)|estacionamientos?\s+(?:para|de)\s+discapacitados|cajon(?:es)?\s+(?:de|para)\s+discapacitados"
    r"|aceras?|banquetas?|veredas?|paso\s+de\s+(?:peatones|cebra)|pasos\s+de\s+(?:peatones|cebra)|paso\s+peatonal|cruce\s+peatonal"
    r"|vados?|salidas?\s+de\s+emergencia|lineas?\s+amarillas?|doble\s+fila|zona\s+prohibida|boca\s+de\s+incendios|hidrantes?"
    r"|paradas?\s+(?:de|del)\s+(?:autobus|bus|colectivo|micro)|esquinas?|entradas?\s+de\s+(?:garaje|cochera)"
)
_ES_NO_PARKING_RX = re.compile(rf"\b(?:{_ES_NO_PARKING})\b")
_ES_IN_NO_PARKING_RX = re.compile(rf"\b(?:en|sobre|encima\s+de|dentro\s+de)\s+(?:el|la|los|las|un|una)?\s*(?:{_ES_NO_PARKING})\b")
_ES_MOVING_RX = re.compile(r"\b(?:circul|conduc|manej|maneja|yendo|iban?\b|va\b|van\b|pasa|pasand|pasaron|corr|rebas|adelant"
                           r"|atraves|cruz|transit|rodand|avanz|girand|gira)\w*")
_ES_TRACKS_RX = re.compile(r"\b(?:vias|rieles|railes|carriles\s+del\s+tranvia|via\s+(?:del\s+)?(?:tren|tranvia|ferrea|ferrocarril|del\s+metro))\b")
_ES_NEAR_RX = re.compile(r"\b(?:junto\s+a|cerca\s+de|al\s+lado\s+de|frente\s+a|enfrente\s+de|esperando)\s+(?:el\s+|la\s+|los\s+|las\s+)?$")
_ES_PERSON_RX = re.compile(r"\b(?:alguien|gente|personas?|peatone?s?|transeuntes?|ninos?|ninas?|chicos?|chavos?|pibes?|hombres?"
                           r"|senor(?:es|as?)?|(?:un|el|una|la)\s+tip[oa]"
                           r"|mujer(?:es)?|individuos?|sujetos?|a\s+pie|caminando|andando|paseando)\b")
_ES_INVADE_RX = re.compile(r"\binvad(?:e|en|ia|ian|io|ieron|iendo|ir|ido|ida|idos|idas)\b|\binvasion(?:es)?\b")
_ES_JUMP_RX = re.compile(r"\b(?:salt|brinc|trep|escal)\w*\s+(?:por\s+|sobre\s+)?(?:la|el|las|los|una|un)?\s*(?:vallas?|rejas?|verjas?"
                         r"|cercas?|cercos?|muros?|tapias?|barreras?|alambradas?|tornos?|torniquetes?|portones?|bardas?|tranqueras?)\b")
_ES_SNEAK_RX = re.compile(r"\bse\s+(?:met|col)(?:io|ieron|e|en|ia|ian|o|aron|a|an|aba|aban)\s+(?:[a-z]+\s+){0,3}?"
                          r"(?:al|a\s+la|a\s+las|a\s+los|en|dentro)\b")
# "a mil (por hora)", "volando": speed said by an idiom (read on the query: "hora" is a time word to the tables)
_ES_FAST_RX = re.compile(r"\ba\s+mil(?:\s+por\s+hora|(?=\s*(?:$|[,.;!?]|por\s+(?:la|el)\b|en\s)))|\b(?:iba|iban|va|van|venia|venian|pasaron|paso)\s+volando\b"
                         r"|\brapidisim[oa]s?\b|\bvolaban?\b|\bmuy\s+rapid[oa]s?\b|\b(?:como|hecho)\s+(?:una\s+|un\s+)?bala\b")
# crossing a line (cruzó la raya, rebasó la línea): the tripwire; leaving a bag (dejó una mochila, una maleta sola)
_ES_LINE_RX = re.compile(r"\b(?:cruz|rebas|traspas|pis|pas)\w*\s+(?:la|una|el)\s+(?:raya|linea|lineas)\b")
_ES_LEFT_RX = re.compile(r"\b(?:dej(?:o|aron|aba|aban|ado|ada|ados|adas|ando|an|a)|tirad[oa]s?|sol[oa]s?|abandon\w*)\b")
_LUGGAGE = frozenset({"backpack", "handbag", "suitcase"})
# "la parada" (a stop: of the bus, the taxis) is a place, not a stopped vehicle ("una furgoneta parada" is)
_ES_STOP_NOUN_RX = re.compile(r"\b(?:la|una|esa|cada|otra|su)\s+parada\b")  # not "esta": "está parada" folds to it
_ES_STOPPED_RX = re.compile(r"\b(?:parad[oa]s?|detenid[oa]s?|averiad[oa]s?|inmovil\w*|varad[oa]s?|sin\s+moverse|averias?|en\s+panne)\b")
_ES_STAY_RX = re.compile(r"\b(?:lleva|llevan|llevaba|llevaban|llevo|llevaron|lleve|estuvo|estuvieron|estan|estaba|estaban"
                         r"|permanec\w*|se\s+qued\w*|quedo|quedaron|sigue|siguen)\b")
_ES_NOT_CONGESTION_RX = re.compile(
    r"\b(?:accidentes?|incidentes?|agentes?|policias?|senal(?:es)?|semaforos?|multas?|control(?:es)?|camaras?|luz|luces"
    r"|guardias?|oficiales?|normas?|reglas?|infraccion(?:es)?|choques?|colision(?:es)?)\s+(?:de|del)\s+(?:trafico|transito)\b")
_ES_JAM_RX = re.compile(r"\b(?:atasc|lent|dens|retenci|embotell|colas?\b|caravana|congesti|trancon|tranque|tapon|pesado|parado)")

# ---- Chinese (simplified)
_ZH_PARK_RX = re.compile(r"停(?:在|着|了|靠|放|车)?|泊车|停放|占用|占着|占了|占道")
_ZH_NO_PARKING_RX = re.compile(r"自行车道|非机动车道|公交车道|公交专用道|公车专用道|公车道|巴士专线|人行道|人行横道|斑马线|装卸区|卸货区|装卸货区|残疾人车位"
                               r"|无障碍车位|消防通道|盲道|禁停|黄线|红线|网格线|骑楼")
_ZH_EMERGENCY_RX = re.compile(r"应急车道|路肩|紧急停车带|高速(?:公路)?上")
_ZH_BREAKDOWN_RX = re.compile(r"抛锚|故障|熄火|坏了|趴窝|爆胎|事故")
_ZH_STAY_RX = re.compile(r"停留|待了|呆了|停了|待着|呆着|停着|一直在|待在|呆在")
_ZH_TRACKS_RX = re.compile(r"(?:轨道|铁轨|铁路|轨道线)(?!旁|边|附近|外)")
# acts said by a verb and its object or a reduplicated motion, not by a type word
_ZH_ACTS = (
    (re.compile(r"(?:转|走|晃|绕|逛|溜达)来(?:转|走|晃|绕|逛|溜达)去|来回(?:走|转|晃|踱)|兜圈子|踱来踱去"), "loitering"),
    (re.compile(r"(?:爬|翻|跳|攀|钻)(?:上|过|进)?了?(?:栏杆|围墙|围栏|铁门|护栏|大门|闸机|栅栏|铁丝网|隔离带|铁栅|墙头|门)"), "intrusion"),
    (re.compile(r"没人(?:拿|要|领|认领)|放了(?:很久|好久|半天)|(?:扔|搁|丢)在那"), "abandoned_object"),
    (re.compile(r"挤满|挤得满|人挤人|人山人海|里三层外三层"), "crowding"),
    (re.compile(r"排起?了?长龙|车龙|一眼望不到头"), "congestion"),
)
_ZH_STILL_RX = re.compile(r"一动(?:不动)?(?!就|一)|纹丝不动|动也不动|不动了|没动过|没有动")  # 一动不动 reads 一动 after
# script.normalise's A-not-A rule
_ZH_LONG_RX = re.compile(r"(?:蹲|站|待|呆|坐|守|杵)(?:在|着|了)?.{0,6}(?:很久|好久|半天|老半天|一直|一个多小时|好几个小时)"
                         r"|一直(?:蹲|站|待|呆|坐|守|杵)")
_ZH_PERSON_RX = re.compile(r"有人|行人|路人|人员|小孩|孩子|男子|女子|人(?=在|走|进|上|站|跑)")


def implied_type(q: str, lang: str, *, classes: Sequence[str], facts: Sequence, current: Sequence[str] = ()) -> str | None:
    """The incident type an act at a kind of place says, where no type word was read (``current`` empty), or the
    type that replaces a weaker one read (a Chinese 停在 at a no-parking place); None when nothing is implied.
    ``q`` is the query as the parser holds it (normalised, folded); ``classes`` the classes read (hard or soft);
    ``facts`` the fact bounds read."""
    s = q.lower()
    cls = set(classes)
    vehicle = bool(cls & VEHICLES)
    person = "person" in cls
    stays = any(getattr(b, "fact", None) == "duration_s" and getattr(b, "op", None) == "gt" for b in facts)
    if lang == "es":
        if list(current) == ["congestion"] and _ES_NOT_CONGESTION_RX.search(s) and not _ES_JAM_RX.search(s):
            return ""  # "accidente de tráfico": no type said
        if "stopped_vehicle" in current:
            if not _ES_STOPPED_RX.search(_ES_STOP_NOUN_RX.sub(" ", s)):
                rest = [t for t in current if t != "stopped_vehicle"]  # "gente en la parada": the stop is a place
                return rest[0] if len(rest) == 1 else "" if not rest else None
            if list(current) == ["stopped_vehicle"] and (person or _ES_PERSON_RX.search(s)) and not vehicle:
                return "loitering"  # "parado" said of a person is standing (Latin America): "un señor parado en la puerta"
        if current:
            return None
        if _ES_FAST_RX.search(s):
            return "speeding"
        if _ES_LINE_RX.search(s):
            return "tripwire"
        if cls & _LUGGAGE and _ES_LEFT_RX.search(s):
            return "abandoned_object"
        if _ES_JUMP_RX.search(s) or _ES_SNEAK_RX.search(s):
            return "intrusion"  # "brincaron la reja", "se metieron al andén"
        if _ES_NO_PARKING_RX.search(s) and (_ES_PARK_RX.search(s) or (vehicle and _ES_IN_NO_PARKING_RX.search(s)
                                                                      and not _ES_MOVING_RX.search(s))):
            return "illegal_parking"
        if _ES_PARK_RX.search(s):
            return None  # parked somewhere else: no type said (a car park, a street)
        if (m := _ES_TRACKS_RX.search(s)) and (person or _ES_PERSON_RX.search(s)) and not vehicle \
                and not _ES_NEAR_RX.search(s[: m.start()]):
            return "intrusion"
        if _ES_INVADE_RX.search(s) and not vehicle:
            return "intrusion"
        if stays and (vehicle or person) and _ES_STAY_RX.search(s):
            return "stopped_vehicle" if vehicle else "loitering"
        return None
    if lang == "zh":
        if _ZH_NO_PARKING_RX.search(s) and list(current) in ([], ["stopped_vehicle"]) and not _ZH_BREAKDOWN_RX.search(s) \
                and (_ZH_PARK_RX.search(s) or (vehicle and not current)):
            return "illegal_parking" if _ZH_PARK_RX.search(s) or vehicle else None
        if current:
            return None
        for rx, t in _ZH_ACTS:
            if rx.search(s):
                return t
        if _ZH_STILL_RX.search(s) and (vehicle or "车" in s):
            return "stopped_vehicle"  # 有车在车道上一动不动
        if _ZH_LONG_RX.search(s) and (person or _ZH_PERSON_RX.search(s) or "人" in s) and not vehicle and "车" not in s:
            return "loitering"  # 有人蹲在门口很久
        if _ZH_EMERGENCY_RX.search(s) and _ZH_PARK_RX.search(s):
            return "stopped_vehicle"
        if _ZH_TRACKS_RX.search(s) and (person or _ZH_PERSON_RX.search(s)) and not vehicle:
            return "intrusion"
        if stays and (vehicle or person) and _ZH_STAY_RX.search(s):
            return "stopped_vehicle" if vehicle else "loitering"
    return None


# ---- Spanish diminutives
_AO_RX = re.compile(r"\b([a-z]{3,})ao(s?)\b")
_DIM_RX = re.compile(r"\b([a-z]{2,}?)(c?)it([oa])(s?)\b")


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    from services.search.times import _KNOWN_WORDS
    from services.search.vocab import CLASS_SYNONYMS, COLOURS, TYPE_PHRASES

    words = {w for table in (TYPE_PHRASES, CLASS_SYNONYMS, COLOURS) for k in table for w in re.findall(r"[a-z]+", k)}
    return frozenset(w for w in words | set(_KNOWN_WORDS) if len(w) >= 4)


def undiminish(s: str) -> str:
    """Spanish diminutives -> the word they shrink, where only that word is known; spoken "-ao" participles -> "-ado".
    ``s`` folded, lower-cased."""
    if "it" not in s and "ao" not in s:
        return s
    known = _known()

    def sub(m: re.Match[str]) -> str:
        w = m.group(0)
        if w in known:
            return w
        stem, c, g, pl = m.groups()
        for cand in ((stem + g + pl, stem + "e" + pl, stem + pl, stem + ("es" if pl else "")) if c
                     else (stem + g + pl, stem + "e" + pl)):
            if len(cand) >= 4 and cand in known:
                return cand
        return w

    s = _DIM_RX.sub(sub, s)
    if "ao" in s:  # spoken Spain: "aparcao", "parao", "estacionaos" are the participles in -ado
        s = _AO_RX.sub(lambda m: (full if (full := f"{m.group(1)}ado{m.group(2)}") in known or _ES_PARK_RX.fullmatch(full)
                                  else m.group(0)), s)
    return s
