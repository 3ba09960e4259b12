"""Search vocabulary: incident-type phrases, object-class synonyms and colour names, in one place."""

from __future__ import annotations

import re

from citylens.contracts.rules import TYPE_WORDS as RULE_TYPE_WORDS

# Phrase -> incident type. Multi-word phrases are matched before single words (longest first), so
# "hanging around" wins over "around" and "double parked" over "parked".
TYPE_PHRASES: dict[str, str] = {
    "loitering": "loitering", "loiter": "loitering", "loitered": "loitering", "loiterer": "loitering",
    "hanging around": "loitering", "hanging about": "loitering", "lingering": "loitering",
    "wrong way": "wrong_way", "wrong-way": "wrong_way", "wrong direction": "wrong_way",
    "against traffic": "wrong_way", "ghost driver": "wrong_way",
    "stopped": "stopped_vehicle", "stopping": "stopped_vehicle", "broken down": "stopped_vehicle",
    "broke down": "stopped_vehicle", "stalled": "stopped_vehicle", "stationary": "stopped_vehicle",
    "parked illegally": "illegal_parking", "illegally parked": "illegal_parking", "double parked": "illegal_parking",
    "double-parked": "illegal_parking", "illegal parking": "illegal_parking", "parking violation": "illegal_parking",
    "speeding": "speeding", "fast": "speeding", "too fast": "speeding", "speeder": "speeding", "racing": "speeding",
    "crowd": "crowding", "crowding": "crowding", "crowded": "crowding", "gathering": "crowding",
    "jam": "congestion", "traffic jam": "congestion", "traffic": "congestion", "congestion": "congestion",
    "congested": "congestion", "gridlock": "congestion", "queue": "congestion",
    "intrusion": "intrusion", "intruder": "intrusion", "trespass": "intrusion", "trespassing": "intrusion",
    "trespasser": "intrusion", "break in": "intrusion", "broke in": "intrusion",
    "abandoned bag": "abandoned_object", "abandoned object": "abandoned_object", "left luggage": "abandoned_object",
    "unattended bag": "abandoned_object", "abandoned luggage": "abandoned_object", "abandoned": "abandoned_object",
    "unattended": "abandoned_object", "left behind": "abandoned_object", "suspicious package": "abandoned_object",
    "crossed the tripwire": "tripwire", "tripwire": "tripwire", "crossed the line": "tripwire",
    "line crossing": "tripwire", "crossed the tripwire line": "tripwire",
    # Chinese (matched as substrings: Chinese is written without spaces)
    "徘徊": "loitering", "逗留": "loitering", "闲逛": "loitering", "逆行": "wrong_way", "超速": "speeding",
    "违章停车": "illegal_parking", "违停": "illegal_parking", "乱停": "illegal_parking", "违规停车": "illegal_parking",
    "停驶": "stopped_vehicle", "停着": "stopped_vehicle", "抛锚": "stopped_vehicle", "停车不动": "stopped_vehicle",
    "拥堵": "congestion", "堵车": "congestion", "塞车": "congestion", "聚集": "crowding", "拥挤": "crowding",
    "人群": "crowding", "闯入": "intrusion", "非法进入": "intrusion", "入侵": "intrusion", "遗留": "abandoned_object",
    "遗留物品": "abandoned_object", "无人看管": "abandoned_object", "遗弃": "abandoned_object", "越线": "tripwire",
    "翻越": "tripwire",
    # Spanish
    "merodeando": "loitering", "merodear": "loitering", "merodea": "loitering", "sentido contrario": "wrong_way",
    "contramano": "wrong_way", "dirección contraria": "wrong_way", "exceso de velocidad": "speeding",
    "a toda velocidad": "speeding", "velocidad excesiva": "speeding", "mal aparcado": "illegal_parking",
    "aparcamiento indebido": "illegal_parking", "estacionamiento indebido": "illegal_parking",
    "aparcado ilegalmente": "illegal_parking", "parado": "stopped_vehicle", "parada": "stopped_vehicle",
    "detenido": "stopped_vehicle", "detenida": "stopped_vehicle", "averiado": "stopped_vehicle",
    "atasco": "congestion", "retención": "congestion", "retenciones": "congestion", "embotellamiento": "congestion",
    "aglomeración": "crowding", "multitud": "crowding", "gente reunida": "crowding", "intrusión": "intrusion",
    "intruso": "intrusion", "sin permiso": "intrusion", "abandonada": "abandoned_object", "abandonado": "abandoned_object",
    "cruce de línea": "tripwire", "cruzó la línea": "tripwire",
}

# Words spoken for each incident type, written into the indexed document so keyword and semantic
# search can hit the type even when the caption does not name it: declared with each rule type's model.
TYPE_WORDS: dict[str, str] = dict(RULE_TYPE_WORDS)

# Spoken word -> COCO classes it may mean: the one synonym table (the captioner's old class -> words table,
# which said a van is only a truck, is folded in). A van is a car or a truck to YOLO; a bike is either kind.
# Lower-case, singular. Ordinary words that are synonyms only in a caption's context ("case", "auto") stay out.
CLASS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "person": ("person",), "people": ("person",), "pedestrian": ("person",), "man": ("person",),
    "woman": ("person",), "men": ("person",), "women": ("person",), "child": ("person",), "kid": ("person",),
    "someone": ("person",), "somebody": ("person",), "individual": ("person",), "guy": ("person",),
    "human": ("person",), "ped": ("person",), "ppl": ("person",),
    "car": ("car",), "sedan": ("car",), "suv": ("car",), "taxi": ("car",), "cab": ("car",), "hatchback": ("car",),
    "automobile": ("car",),
    "van": ("car", "truck"), "minivan": ("car", "truck"), "pickup": ("truck",),
    "truck": ("truck",), "lorry": ("truck",), "hgv": ("truck",),
    "bus": ("bus",), "coach": ("bus",), "minibus": ("bus",),
    "bike": ("bicycle", "motorcycle"), "bicycle": ("bicycle",), "cyclist": ("bicycle",), "cycle": ("bicycle",),
    "motorcycle": ("motorcycle",), "motorbike": ("motorcycle",), "scooter": ("motorcycle",), "moped": ("motorcycle",),
    "vehicle": ("car", "truck", "bus", "motorcycle"), "veh": ("car", "truck", "bus", "motorcycle"), "lgv": ("truck",),
    "bag": ("backpack", "handbag", "suitcase"), "backpack": ("backpack",), "rucksack": ("backpack",),
    "handbag": ("handbag",), "purse": ("handbag",), "suitcase": ("suitcase",),
    "luggage": ("suitcase", "backpack", "handbag"),
    # Chinese
    "汽车": ("car",), "轿车": ("car",), "小车": ("car",), "出租车": ("car",), "卡车": ("truck",), "货车": ("truck",),
    "面包车": ("car", "truck"), "公交车": ("bus",), "大巴": ("bus",), "行人": ("person",), "有人": ("person",),
    "男子": ("person",), "女子": ("person",), "自行车": ("bicycle",), "单车": ("bicycle",), "摩托车": ("motorcycle",),
    "电动车": ("motorcycle",), "背包": ("backpack",), "行李箱": ("suitcase",), "手提包": ("handbag",), "车辆": ("car", "truck", "bus", "motorcycle"),
    # Spanish
    "coche": ("car",), "coches": ("car",), "carro": ("car",), "turismo": ("car",), "taxi": ("car",), "camión": ("truck",),
    "camion": ("truck",), "camiones": ("truck",), "furgoneta": ("car", "truck"), "autobús": ("bus",), "autobus": ("bus",),
    "peatón": ("person",), "peatones": ("person",), "persona": ("person",), "personas": ("person",), "alguien": ("person",),
    "bicicleta": ("bicycle",), "ciclista": ("bicycle",), "moto": ("motorcycle",), "motocicleta": ("motorcycle",),
    "mochila": ("backpack",), "maleta": ("suitcase",), "bolso": ("handbag",), "bolsa": ("backpack", "handbag", "suitcase"),
    "vehículo": ("car", "truck", "bus", "motorcycle"),
}

# Class -> extra words for the indexed document (the reverse of CLASS_SYNONYMS, plus the class itself).
CLASS_WORDS: dict[str, str] = {
    "person": "person pedestrian people someone",
    "car": "car vehicle sedan van",
    "truck": "truck lorry van vehicle",
    "bus": "bus coach vehicle",
    "bicycle": "bicycle bike cyclist",
    "motorcycle": "motorcycle motorbike bike scooter",
    "backpack": "backpack bag",
    "handbag": "handbag bag",
    "suitcase": "suitcase luggage bag",
}

# Spoken colour -> canonical colour as stored (facts.colour is normalised the same way at index time).
COLOURS: dict[str, str] = {
    "white": "white", "black": "black",
    "grey": "grey", "gray": "grey", "silver": "grey",
    "red": "red", "maroon": "red", "orange": "orange", "yellow": "yellow", "gold": "yellow",
    "green": "green", "blue": "blue", "navy": "blue", "brown": "brown", "beige": "beige", "tan": "beige",
    "cream": "beige", "purple": "purple", "violet": "purple", "pink": "pink",
    # Chinese (the 色 suffix is optional)
    "白色": "white", "黑色": "black", "灰色": "grey", "银色": "grey", "红色": "red", "橙色": "orange", "黄色": "yellow",
    "绿色": "green", "蓝色": "blue", "棕色": "brown", "米色": "beige", "紫色": "purple", "粉色": "pink",
    # Spanish (both genders)
    "blanco": "white", "blanca": "white", "negro": "black", "negra": "black", "gris": "grey", "plateado": "grey",
    "rojo": "red", "roja": "red", "naranja": "orange", "amarillo": "yellow", "amarilla": "yellow", "verde": "green",
    "azul": "blue", "marrón": "brown", "beis": "beige", "morado": "purple", "morada": "purple", "rosa": "pink",
}

STOP_WORDS: frozenset[str] = frozenset(
    """a an the in on at of to for from by with and or but is are was were be been being it its this that these
    those there here any some all show me find list get give search look looking for incidents incident events
    event what which who where when did do does has have had near around into onto over under about camera cam
    please can you i we any anything something seen see saw spotted happened happen one ones s everywhere anywhere
    lasting lasted lasts everything whatever came come comes went occurred occur occurring stuff thing
    things activity activities goings unusual odd strange abnormal notable interesting
    alert alerts alarm alarms reported report reports recorded captured detected
    el la los las un una unos unas de del al en con por para que y o hay algún alguna qué dónde cuándo muestra
    busca mostrar buscar incidentes incidente se ha han fue cerca junto""".split()
)

# Words that turn the next type or class into an exclusion ("everything but wrong-way", "not pedestrians").
NEGATIONS: tuple[str, ...] = ("everything but", "anything but", "anything except", "everything except", "except for",
                              "except", "excluding", "other than", "apart from", "but no", "but not", "not", "no",
                              "without", "weren't", "wasn't", "isn't", "aren't", "didn't", "doesn't", "don't", "never",
                              "weren’t", "wasn’t", "isn’t", "aren’t", "didn’t", "doesn’t", "don’t",
                              "excepto", "salvo", "menos", "sin", "除了", "不要", "不是", "非")
# Comparison words before a number: op, for "longer than 20 minutes", "more than 15 people", "más de 90".
COMPARATORS: dict[str, str] = {
    "longer than": "gt", "more than": "gt", "over": "gt", "above": "gt", "greater than": "gt", "faster than": "gt",
    "bigger than": "gt", "at least": "gt", "exceeding": "gt", "doing more than": "gt", "in excess of": "gt",
    "shorter than": "lt", "less than": "lt", "under": "lt", "below": "lt", "fewer than": "lt", "slower than": "lt",
    "at most": "lt", "doing over": "gt", "doing above": "gt", ">=": "gt", ">": "gt", "≥": "gt", "<=": "lt", "<": "lt",
    "≤": "lt", "más de": "gt", "mas de": "gt", "menos de": "lt", "超过": "gt", "大于": "gt", "多于": "gt",
    "少于": "lt", "小于": "lt", "不到": "lt",
}
# Unit words after the number -> (fact, factor to the stored unit).
FACT_UNITS: dict[str, tuple[str, float]] = {
    "s": ("duration_s", 1.0), "sec": ("duration_s", 1.0), "secs": ("duration_s", 1.0), "second": ("duration_s", 1.0),
    "seconds": ("duration_s", 1.0), "min": ("duration_s", 60.0), "mins": ("duration_s", 60.0),
    "minute": ("duration_s", 60.0), "minutes": ("duration_s", 60.0), "h": ("duration_s", 3600.0),
    "hr": ("duration_s", 3600.0), "hrs": ("duration_s", 3600.0), "hour": ("duration_s", 3600.0),
    "hours": ("duration_s", 3600.0), "minutos": ("duration_s", 60.0), "horas": ("duration_s", 3600.0),
    "分钟": ("duration_s", 60.0), "小时": ("duration_s", 3600.0), "秒": ("duration_s", 1.0),
    "km/h": ("speed_kmh", 1.0), "kmh": ("speed_kmh", 1.0), "kph": ("speed_kmh", 1.0), "km": ("speed_kmh", 1.0),
    "mph": ("speed_kmh", 1.609), "公里": ("speed_kmh", 1.0),
    "people": ("count", 1.0), "persons": ("count", 1.0), "person": ("count", 1.0), "pedestrians": ("count", 1.0),
    "vehicles": ("count", 1.0), "vehs": ("count", 1.0), "veh": ("count", 1.0), "ppl": ("count", 1.0), "peds": ("count", 1.0),
    "cars": ("count", 1.0), "objects": ("count", 1.0), "personas": ("count", 1.0),
    "vehículos": ("count", 1.0), "coches": ("count", 1.0), "人": ("count", 1.0), "辆": ("count", 1.0),
}
# Words that ask for the newest first.
RECENCY: tuple[str, ...] = ("latest", "most recent", "newest", "last reported", "last seen", "most recently",
                            "last one", "last time", "more recent", "recentmost", "previous",
                            "más reciente", "mas reciente", "más recientes", "más nuevo", "más nueva", "último", "última",
                            "ultimo", "ultima", "最近", "最新", "最后一次", "最后一个", "最后的")
# A "last" that the time grammar left (no night/week/weekday/span after it) asks for the newest: "the last one",
# "the last wrong-way driver at the ring road".
RECENCY_LAST = "last"
# Words that soften a place into "around there" (a ranking boost, never a filter).
NEAR_WORDS: tuple[str, ...] = ("near", "nearby", "close to", "next to", "beside", "by", "around", "outside", "cerca de",
                               "junto a", "附近", "旁边")

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits, inner apostrophes and hyphens kept)."""
    return [t.lower() for t in _WORD.findall(text)]


def singular(word: str) -> str:
    """Crude English singular for vocabulary look-ups ("vans" -> "van", "buses" -> "bus")."""
    if len(word) > 4 and word.endswith("ses"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def canonical_colour(value: object) -> str | None:
    """Map a stored or spoken colour ("Gray", "silver") onto the canonical name, or None."""
    if not isinstance(value, str):
        return None
    return COLOURS.get(value.strip().lower())
