"""How operators word things, written for this evaluation only: kept apart from ``services/search/vocab.py``
(``test_search_eval_city.py`` checks that these lists are not copied from the parser's tables)."""

from __future__ import annotations

# Incident type -> ways an operator asks for it (English). Several are deliberately absent from the parser.
TYPE_EN: dict[str, list[str]] = {
    "loitering": ["loitering", "someone hanging about", "a person lingering", "somebody waiting around for ages",
                  "a loiterer", "person idling"],
    "intrusion": ["intrusion", "someone trespassing", "a break-in", "unauthorised entry", "somebody getting in"],
    "crowding": ["crowding", "a crowd", "people gathering", "an overcrowded area", "a big group of people"],
    "stopped_vehicle": ["stopped vehicle", "a broken-down vehicle", "a vehicle standing still", "a stalled car",
                        "a car that stopped"],
    "illegal_parking": ["illegal parking", "someone parked illegally", "a parking offence", "a badly parked car",
                        "a car parked where it shouldn't be"],
    "wrong_way": ["wrong-way driver", "a car going the wrong way", "a vehicle driving against the traffic",
                  "a ghost driver", "someone driving the wrong direction"],
    "speeding": ["speeding", "a speeder", "a car going too fast", "someone over the speed limit", "a speeding vehicle"],
    "abandoned_object": ["abandoned bag", "an unattended bag", "left luggage", "a suitcase left behind",
                         "a forgotten backpack"],
    "tripwire": ["line crossing", "someone crossing the line", "tripwire alarm", "a fence line crossing"],
    "congestion": ["congestion", "a traffic jam", "a tailback", "queueing traffic", "gridlock"],
}
# Words for object classes -> the classes they may mean.
CLASS_EN: dict[str, set[str]] = {
    "car": {"car"}, "van": {"car", "truck"}, "lorry": {"truck"}, "truck": {"truck"}, "bus": {"bus"},
    "motorbike": {"motorcycle"}, "pedestrian": {"person"}, "person": {"person"}, "cyclist": {"bicycle"},
    "suitcase": {"suitcase"}, "rucksack": {"backpack"}, "backpack": {"backpack"}, "handbag": {"handbag"},
}
CLASS_FOR_TYPE = {"stopped_vehicle": ["car", "van", "lorry", "bus", "motorbike"], "illegal_parking": ["car", "van", "lorry"],
                  "wrong_way": ["car", "van", "motorbike"], "speeding": ["car", "lorry", "motorbike"],
                  "abandoned_object": ["suitcase", "rucksack", "handbag"]}
COLOUR_EN = {"white": "white", "black": "black", "grey": "grey", "gray": "grey", "silver": "grey", "red": "red",
             "blue": "blue", "green": "green", "yellow": "yellow", "orange": "orange", "brown": "brown", "beige": "beige"}

# How operators name places: aliases and names that hold class words, and description-only mentions (soft).
PLACE_EN: dict[str, list[str]] = {  # camera id or "zone:<name>" -> phrasings
    "cam-tram": ["the tram stop", "Market Square", "market square tram stop"],
    "cam-carpark": ["the car park", "the parking garage", "Riverside car park"],
    "cam-depot": ["the bus depot", "North depot"],
    "cam-ring": ["the ring road", "the motorway", "ring road km 12"],
    "cam-school": ["Linden school", "the school crossing"],
    "cam-station": ["the train station", "central station"],
    "cam-harbour": ["the harbour", "the port"],
    "cam-market": ["Market Street", "the old town"],
    "zone:car park entrance": ["the car park entrance"],
    "zone:bus depot gate": ["the bus depot gate"],
    "zone:bike lane": ["the bike lane"],
    "zone:taxi rank": ["the taxi rank"],
    "zone:hard shoulder": ["the hard shoulder"],
    "zone:tram platform": ["the tram platform"],
    "zone:lockers": ["the lockers"],
    "zone:loading bay": ["the loading bay"],
    "zone:container yard": ["the container yard"],
    "zone:fuel bay": ["the fuel bay"],
    "zone:school gate": ["the school gate"],
    "zone:disabled bays": ["the disabled bays"],
    "zone:slip road": ["the slip road"],
}
# Soft place mentions: a word from a description, never a name. Any incident at a described place counts.
NEAR_EN: list[tuple[str, list[str]]] = [
    ("near the kiosk", ["zone:shelter"]), ("by the newspaper kiosk", ["zone:shelter"]),
    ("next to the lift", ["zone:disabled bays"]), ("at the diesel pumps", ["zone:fuel bay"]),
    ("in the emergency lane", ["zone:hard shoulder"]), ("outside the supermarket", ["zone:loading bay"]),
    ("by the fountain", ["zone:taxi rank", "zone:pedestrian zone"]), ("at the bus wash", ["zone:wash line"]),
    ("on the rails", ["zone:tram tracks"]), ("by the information desk", ["zone:ticket hall"]),
    ("on the ferry ramp", ["zone:ferry ramp"]), ("at the airport exit", ["zone:slip road"]),
    ("near the workshop", ["zone:wash line"]), ("at the regional trains platform", ["zone:platform 3"]),
]

NEGATION_EN = ["everything but {x}", "anything except {x}", "not {x}", "excluding {x}", "other than {x}",
               "apart from {x}", "but no {x}"]
RECENCY_EN = ["latest {x}", "most recent {x}", "the newest {x}", "last reported {x}"]
NUMERIC_EN = {  # fact -> (templates with {n}, unit multiplier to the stored unit, op)
    "duration_min_gt": ["longer than {n} minutes", "for more than {n} minutes", "over {n} min", "lasting {n}+ minutes"],
    "duration_min_lt": ["shorter than {n} minutes", "for less than {n} minutes", "under {n} min"],
    "count_gt": ["more than {n} people", "over {n} people", "with {n}+ people", "bigger than {n} people"],
    "vehicles_gt": ["more than {n} vehicles", "over {n} cars queued"],
    "speed_gt": ["faster than {n}", "above {n} km/h", "over {n} kmh", "doing more than {n}"],
}
NO_ANSWER_EN = [
    "a fallen tree", "a fire", "a cat", "a dog running loose", "flooding", "smoke", "a horse", "graffiti being sprayed",
    "snow on the road", "a broken window", "someone smoking", "a drone", "a shopping trolley", "an umbrella left open",
    "a pothole", "a power cut", "a bird", "someone swimming", "a burst water pipe", "a kite stuck in the wires",
    "a car on fire", "a stray sheep", "a tree branch on the tracks", "a deer", "a person with a ladder",
]

# --- Chinese and Spanish -------------------------------------------------------------------------------
TYPE_ZH = {"loitering": ["徘徊", "逗留"], "intrusion": ["闯入", "非法进入"], "crowding": ["人群聚集", "人多拥挤"],
           "stopped_vehicle": ["车辆停驶", "停着的车"], "illegal_parking": ["违章停车", "违停"],
           "wrong_way": ["逆行"], "speeding": ["超速"], "abandoned_object": ["遗留物品", "无人看管的包"],
           "tripwire": ["越线"], "congestion": ["拥堵", "堵车"]}
TYPE_ES = {"loitering": ["merodeando", "alguien merodeando"], "intrusion": ["intrusión", "alguien entrando sin permiso"],
           "crowding": ["aglomeración", "mucha gente reunida"], "stopped_vehicle": ["vehículo parado", "camión parado", "coche detenido"],
           "illegal_parking": ["aparcamiento indebido", "coche mal aparcado"], "wrong_way": ["conductor en sentido contrario", "coche en contramano"],
           "speeding": ["exceso de velocidad", "coche a toda velocidad"], "abandoned_object": ["maleta abandonada", "bolsa abandonada"],
           "tripwire": ["cruce de línea"], "congestion": ["atasco", "retención de tráfico"]}
CLASS_ES: dict[str, set[str]] = {"coche": {"car"}, "camión": {"truck"}, "maleta": {"suitcase"},
                                 "bolsa": {"backpack", "handbag", "suitcase"}}
COLOUR_ZH = {"white": "白色", "black": "黑色", "red": "红色", "blue": "蓝色", "grey": "灰色"}
COLOUR_ES = {"white": "blanco", "black": "negro", "red": "rojo", "blue": "azul", "grey": "gris"}
PLACE_ZH = {"cam-carpark": "停车场", "cam-station": "火车站", "cam-ring": "环路", "cam-harbour": "港口", "cam-tram": "电车站"}
PLACE_ES = {"cam-carpark": "en el aparcamiento", "cam-station": "en la estación central", "cam-ring": "en la circunvalación",
            "cam-harbour": "en el puerto", "zone:hard shoulder": "en el arcén", "zone:bike lane": "en el carril bici",
            "zone:loading bay": "en la zona de carga"}
# time phrase key -> (zh, es); the keys are resolved to windows in queries.py
TIME_ZH_ES = {
    "yesterday": ("昨天", "ayer"), "today": ("今天", "hoy"), "this_morning": ("今天早上", "esta mañana"),
    "yesterday_evening": ("昨天晚上", "ayer al anochecer"), "last_night": ("昨晚", "anoche"),
    "yesterday_afternoon": ("昨天下午", "ayer por la tarde"), "past_2h": ("过去两小时", "en las últimas 2 horas"),
    "this_week": ("本周", "esta semana"), "weekend": ("上周末", "el fin de semana"), "past_3d": ("过去三天", "en los últimos 3 días"),
}
