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
    "avería": "stopped_vehicle", "averías": "stopped_vehicle", "milling about": "loitering", "milling around": "loitering",
    "parked illegally": "illegal_parking", "illegally parked": "illegal_parking", "double parked": "illegal_parking",
    "double-parked": "illegal_parking", "illegal parking": "illegal_parking", "parking violation": "illegal_parking",
    "tailback": "congestion", "tailbacks": "congestion",
    "speeding": "speeding", "fast": "speeding", "too fast": "speeding", "speeder": "speeding", "racing": "speeding",
    "speed demon": "speeding", "flooring it": "speeding", "floored it": "speeding",
    "gunning it": "speeding", "gunned it": "speeding",
    "crowd": "crowding", "crowding": "crowding", "crowded": "crowding", "gathering": "crowding",
    "jam": "congestion", "traffic jam": "congestion", "traffic": "congestion", "congestion": "congestion",
    "congested": "congestion", "gridlock": "congestion", "queue": "congestion",
    "intrusion": "intrusion", "intruder": "intrusion", "trespass": "intrusion", "trespassing": "intrusion",
    "trespasser": "intrusion", "break in": "intrusion", "broke in": "intrusion",
    # (not "sneaking in" / "unauthorised access": answerable rows the floor learns from, tests/test_search_eval_city.py)
    "sneaking into": "intrusion", "sneaking onto": "intrusion", "sneak into": "intrusion", "sneak onto": "intrusion",
    "slipping into": "intrusion", "slipped into": "intrusion", "slip into": "intrusion", "slipping onto": "intrusion",
    "snuck into": "intrusion", "snuck onto": "intrusion", "sneaked into": "intrusion", "sneaked onto": "intrusion",
    "unauthorised entry": "intrusion", "unauthorized entry": "intrusion",
    "abandoned bag": "abandoned_object", "abandoned object": "abandoned_object", "left luggage": "abandoned_object",
    "unattended bag": "abandoned_object", "abandoned luggage": "abandoned_object", "abandoned": "abandoned_object",
    "unattended": "abandoned_object", "left behind": "abandoned_object", "suspicious package": "abandoned_object",
    "unclaimed": "abandoned_object",
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
    # more Chinese / Spanish operator words for the same behaviours (generic, not a query list)
    "游荡": "loitering", "闲晃": "loitering", "转悠": "loitering", "滞留": "loitering", "蹲守": "loitering",
    "乱停车": "illegal_parking", "违法停车": "illegal_parking", "占道停车": "illegal_parking", "非法停车": "illegal_parking",
    "违停车辆": "illegal_parking", "停错": "illegal_parking",
    "熄火": "stopped_vehicle", "故障车": "stopped_vehicle", "停在路上": "stopped_vehicle",
    "飙车": "speeding", "开得太快": "speeding", "开太快": "speeding", "车速过快": "speeding",
    "反方向": "wrong_way", "走错方向": "wrong_way", "逆向行驶": "wrong_way",
    "车流缓慢": "congestion", "缓行": "congestion", "排长队": "congestion", "交通拥堵": "congestion",
    "人多": "crowding", "扎堆": "crowding", "围观": "crowding", "人潮": "crowding",
    "擅自进入": "intrusion", "闯进": "intrusion", "翻墙": "intrusion", "私闯": "intrusion", "未经授权": "intrusion",
    "无人认领": "abandoned_object", "遗落": "abandoned_object", "丢下": "abandoned_object", "遗忘": "abandoned_object",
    "可疑包裹": "abandoned_object", "没人管": "abandoned_object", "没人看管": "abandoned_object", "无人管": "abandoned_object",
    "擅自闯入": "intrusion", "越过": "tripwire", "穿越警戒线": "tripwire", "警戒线": "tripwire",
    "deambulando": "loitering", "rondando": "loitering", "merodeo": "loitering", "merodeaba": "loitering",
    "merodeaban": "loitering", "merodeador": "loitering",
    "en doble fila": "illegal_parking", "doble fila": "illegal_parking", "mal estacionado": "illegal_parking",
    "mal aparcada": "illegal_parking", "mal estacionada": "illegal_parking", "mal aparcados": "illegal_parking",
    "estacionado ilegalmente": "illegal_parking", "aparcada ilegalmente": "illegal_parking",
    "parados": "stopped_vehicle", "paradas": "stopped_vehicle", "detenidos": "stopped_vehicle",
    "averiada": "stopped_vehicle", "averiados": "stopped_vehicle", "inmóvil": "stopped_vehicle", "inmovil": "stopped_vehicle",
    "demasiado rápido": "speeding", "demasiado rapido": "speeding", "a gran velocidad": "speeding",
    "contravía": "wrong_way", "en contra del tráfico": "wrong_way", "dirección prohibida": "wrong_way",
    "tráfico denso": "congestion", "trafico denso": "congestion", "caravana": "congestion", "atascos": "congestion",
    "mucha gente": "crowding", "muchedumbre": "crowding", "aglomeraciones": "crowding", "gentío": "crowding",
    "intrusos": "intrusion", "acceso no autorizado": "intrusion", "entrada no autorizada": "intrusion",
    "abandonadas": "abandoned_object", "abandonados": "abandoned_object", "olvidada": "abandoned_object",
    "olvidado": "abandoned_object", "bulto sospechoso": "abandoned_object", "paquete sospechoso": "abandoned_object",
    "cruzaron la línea": "tripwire", "cruzando la línea": "tripwire",
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
    # everyday and transit words for people (2026-11-29): "commuters on the platform", "pupils at the gate",
    # "youths hanging about", "a bloke in a black jacket" ("passenger" stays out: blind2's no-answer things hold it,
    # tests/test_search_eval_city.py::test_the_blind2_wording_is_its_own)
    "commuter": ("person",), "traveller": ("person",), "traveler": ("person",),
    "pupil": ("person",), "student": ("person",), "children": ("person",), "teen": ("person",),
    "teenager": ("person",), "youth": ("person",), "boy": ("person",), "girl": ("person",), "lady": ("person",),
    "ladies": ("person",), "gent": ("person",), "bloke": ("person",), "lad": ("person",), "chap": ("person",),
    "fella": ("person",), "folk": ("person",), "visitor": ("person",), "shopper": ("person",),
    "car": ("car",), "sedan": ("car",), "saloon": ("car",), "coupe": ("car",), "suv": ("car",), "taxi": ("car",), "cab": ("car",), "hatchback": ("car",),
    "automobile": ("car",),
    "van": ("car", "truck"), "minivan": ("car", "truck"), "pickup": ("truck",),
    "truck": ("truck",), "lorry": ("truck",), "hgv": ("truck",),
    "bus": ("bus",), "coach": ("bus",), "minibus": ("bus",),
    "bike": ("bicycle", "motorcycle"), "bicycle": ("bicycle",), "cyclist": ("bicycle",), "cycle": ("bicycle",),
    "motorcycle": ("motorcycle",), "motorbike": ("motorcycle",), "scooter": ("motorcycle",), "moped": ("motorcycle",),
    "motorcyclist": ("motorcycle",), "motorbiker": ("motorcycle",), "biker": ("bicycle", "motorcycle"),
    # British and trade words for the same vehicles (2026-11-29): "a motor on the hard shoulder" (a car), "an artic" /
    # "a juggernaut" (an articulated lorry), "a pushbike", "an e-bike" (a bicycle to the detector), "a minicab",
    # "a double-decker"
    "motor": ("car",), "minicab": ("car",), "artic": ("truck",), "juggernaut": ("truck",), "pushbike": ("bicycle",),
    "ebike": ("bicycle",), "decker": ("bus",),  # "e-bike", "push-bike", "double-decker" are read word by word
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
    "camion": ("truck",), "camiones": ("truck",), "furgoneta": ("car", "truck"), "furgo": ("car", "truck"), "autobús": ("bus",), "autobus": ("bus",),
    "peatón": ("person",), "peatones": ("person",), "persona": ("person",), "personas": ("person",), "alguien": ("person",),
    "bicicleta": ("bicycle",), "ciclista": ("bicycle",), "moto": ("motorcycle",), "motocicleta": ("motorcycle",),
    "mochila": ("backpack",), "maleta": ("suitcase",), "bolso": ("handbag",), "bolsa": ("backpack", "handbag", "suitcase"),
    "vehículo": ("car", "truck", "bus", "motorcycle"),
    # more Chinese / Spanish vehicle and person words
    "私家车": ("car",), "的士": ("car",), "大货车": ("truck",), "货柜车": ("truck",),
    "重型卡车": ("truck",), "客车": ("bus",), "巴士": ("bus",), "公共汽车": ("bus",), "机动车": ("car", "truck", "bus", "motorcycle"),
    "摩托": ("motorcycle",), "电瓶车": ("motorcycle",), "踏板车": ("motorcycle",), "骑车人": ("bicycle",),
    "路人": ("person",), "人员": ("person",), "男人": ("person",), "女人": ("person",), "小孩": ("person",),
    "儿童": ("person",), "旅客": ("person",), "乘客": ("person",), "行李": ("suitcase", "backpack", "handbag"),
    "automóvil": ("car",), "automovil": ("car",), "camioneta": ("car", "truck"), "furgón": ("car", "truck"),
    "furgonetas": ("car", "truck"), "tráiler": ("truck",), "trailer": ("truck",), "autobuses": ("bus",),
    "guagua": ("bus",), "motos": ("motorcycle",), "motocicletas": ("motorcycle",), "bici": ("bicycle",),
    "bicis": ("bicycle",), "bicicletas": ("bicycle",), "ciclistas": ("bicycle",), "gente": ("person",),
    "hombre": ("person",), "mujer": ("person",), "niño": ("person",), "niña": ("person",), "niños": ("person",),
    "viajero": ("person",), "viajeros": ("person",), "equipaje": ("suitcase", "backpack", "handbag"),
    "maletas": ("suitcase",), "mochilas": ("backpack",), "vehículos": ("car", "truck", "bus", "motorcycle"),
    "vehiculo": ("car", "truck", "bus", "motorcycle"), "vehiculos": ("car", "truck", "bus", "motorcycle"),
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
    "银灰色": "grey", "深灰色": "grey", "金色": "yellow", "咖啡色": "brown", "褐色": "brown", "深蓝色": "blue",
    "blancos": "white", "blancas": "white", "negros": "black", "negras": "black", "grises": "grey", "plata": "grey",
    "plateada": "grey", "rojos": "red", "rojas": "red", "azules": "blue", "verdes": "green", "amarillos": "yellow",
    "amarillas": "yellow", "marron": "brown", "marrones": "brown", "naranjas": "orange",
}

# Chinese / Spanish words for kinds of place -> English words for the same kind, read against the deployment's
# place names and descriptions after its own names and aliases (in any language) were tried: "zona peatonal" ->
# "pedestrian zone", 加油区 -> "fuel petrol diesel pumps". Generic operator words, not any deployment's names: a
# place is found through what its name or description says it is. One English name per kind (more words spread a
# preference over unrelated places); fuel has several because deployments say petrol, diesel or fuel.
PLACE_WORDS: dict[str, str] = {
    # fuel
    "加油站": "fuel petrol diesel pumps", "加油区": "fuel petrol diesel pumps", "加油": "fuel petrol diesel pumps",
    "油泵": "fuel diesel pumps", "gasolinera": "fuel petrol diesel pumps", "surtidor": "fuel diesel pumps",
    "surtidores": "fuel diesel pumps", "estación de servicio": "fuel petrol diesel pumps",
    # parking
    "停车场": "car park", "停车库": "car park", "车库": "garage", "停车位": "parking spaces",
    "车位": "parking spaces", "残疾人车位": "disabled bays", "无障碍车位": "disabled bays",
    "aparcamiento": "car park", "estacionamiento": "car park", "parking": "car park", "párking": "car park",
    "garaje": "garage", "plazas de aparcamiento": "parking spaces",
    "plazas para discapacitados": "disabled bays", "plazas de minusválidos": "disabled bays",
    "plazas para personas con movilidad reducida": "disabled bays", "plazas de movilidad reducida": "disabled bays",
    "plazas pmr": "disabled bays", "cajones para discapacitados": "disabled bays", "cajón para discapacitados": "disabled bays",
    "estacionamiento para discapacitados": "disabled bays",
    # pedestrian areas, crossings, junctions
    "步行街": "pedestrian zone", "步行区": "pedestrian zone", "zona peatonal": "pedestrian zone",
    "calle peatonal": "pedestrian zone", "人行横道": "zebra crossing", "斑马线": "zebra crossing",
    "人行道": "pavement", "paso de peatones": "pedestrian crossing", "paso peatonal": "pedestrian crossing",
    "acera": "pavement", "vereda": "pavement", "banqueta": "pavement", "acotamiento": "hard shoulder",
    "banquina": "hard shoulder", "berma": "hard shoulder", "公车专用道": "bus lane", "公车道": "bus lane", "十字路口": "junction crossroads", "交叉口": "junction crossroads",
    "路口": "junction crossroads", "intersección": "junction crossroads", "cruce": "junction",
    "环岛": "roundabout", "rotonda": "roundabout", "glorieta": "roundabout",
    # ways in and out
    "入口": "entrance", "进口": "entrance", "出口": "exit", "entrada": "entrance", "salida": "exit",
    "大门": "gate", "门口": "gate", "闸口": "gate", "栏杆": "barrier", "道闸": "barrier",
    "puerta": "gate", "portón": "gate", "verja": "gate", "barrera": "barrier",
    # transport
    "站台": "platform", "月台": "platform", "andén": "platform", "anden": "platform", "火车站": "train station",
    "车站": "station", "estación": "station", "estacion": "station", "公交站": "bus stop", "公交车站": "bus stop",
    "parada de autobús": "bus stop", "parada de autobus": "bus stop", "电车": "tram", "有轨电车": "tram",
    "tranvía": "tram", "tranvia": "tram", "轨道": "tracks rails", "铁轨": "tracks rails", "vías": "tracks rails",
    "候车亭": "shelter", "marquesina": "shelter", "出租车站": "taxi rank", "出租车候车区": "taxi rank",
    "parada de taxis": "taxi rank", "出租车停靠站": "taxi rank", "出租车停靠点": "taxi rank", "出租车排队区": "taxi rank",
    "的士站": "taxi rank", "打车点": "taxi rank", "sitio de taxis": "taxi rank", "售票厅": "ticket hall",
    "venta de boletos": "ticket hall", "venta de billetes": "ticket hall", "boletería": "ticket hall",
    "boleteria": "ticket hall", "billetes": "tickets", "boletos": "tickets", "售票处": "ticket hall", "taquilla": "ticket hall",
    "vestíbulo": "hall", "大厅": "hall", "储物柜": "lockers", "寄存柜": "lockers", "consigna": "lockers",
    "taquillas": "lockers", "码头": "quay", "muelle": "quay", "渡轮": "ferry", "轮渡": "ferry", "ferri": "ferry", "ferry": "ferry", "hall": "hall", "terminal": "terminal",
    "transbordador": "ferry", "港口": "harbour", "puerto": "harbour", "集装箱": "containers", "contenedores": "containers",
    "机场": "airport", "aeropuerto": "airport", "车场": "depot", "cochera": "depot", "洗车": "wash",
    "lavadero": "wash", "lavado": "wash", "línea": "line", "洗车线": "wash line", "洗车区": "wash", "装卸区": "loading bay", "卸货区": "loading bay", "zona de carga": "loading bay",
    "zona de descarga": "loading bay",
    # roads
    "应急车道": "hard shoulder", "紧急停车带": "hard shoulder", "arcén": "hard shoulder",
    "arcen": "hard shoulder", "自行车道": "bike lane", "非机动车道": "bike lane",
    "carril bici": "bike lane", "ciclovía": "bike lane", "公交车道": "bus lane", "公交专用道": "bus lane",
    "carril bus": "bus lane", "carril de autobús": "bus lane", "车道": "lanes", "carril": "lane",
    "carriles": "lanes", "匝道": "slip road", "坡道": "ramp", "rampa": "ramp", "高速公路": "motorway",
    "autopista": "motorway", "autovía": "motorway", "环路": "ring road", "环线": "ring road",
    "circunvalación": "ring road", "río": "riverside river", "rio": "riverside river", "ribera": "riverside",
    "orilla del río": "riverside", "河边": "riverside", "河畔": "riverside", "江边": "riverside", "河": "river",
    "桥": "bridge", "puente": "bridge", "隧道": "tunnel", "túnel": "tunnel", "tunel": "tunnel",
    # buildings and landmarks
    "学校": "school", "校门": "school gate", "escuela": "school", "colegio": "school", "医院": "hospital",
    "hospital": "hospital", "教堂": "church", "iglesia": "church", "喷泉": "fountain", "fuente": "fountain",
    "报亭": "kiosk", "quiosco": "kiosk", "kiosco": "kiosk", "超市": "supermarket",
    "supermercado": "supermarket", "商店": "shop", "tienda": "shop", "广场": "square", "plaza": "square",
    "市场": "market", "mercado": "market", "公园": "park", "parque": "park", "游乐场": "playground",
    "parque infantil": "playground", "电梯": "lift", "ascensor": "lift", "围栏": "fence", "栅栏": "fence",
    "valla": "fence", "仓库": "warehouse", "almacén": "warehouse", "院子": "yard", "patio": "yard",
    "车间": "workshop", "taller": "workshop", "楼层": "level", "planta": "level", "二楼": "second floor",
    "二层": "second floor", "一楼": "first floor", "segundo piso": "second floor", "primer piso": "first floor",
    "segunda planta": "second floor", "primera planta": "first floor", "piso": "floor",
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
    busca mostrar buscar incidentes incidente se ha han fue cerca junto
    could would should might may must shall will can't cannot couldn't wouldn't shouldn't what's whats where's
    who's there's that's it's how's how why whether how's if then than just also else only ever yet already
    you your we us our my they them their he she his her him i'm i've we've you've
    now until till today's tonight's earlier later late early currently recently far sometime new between across
    along through within inside via among past anyone anybody every involving involve involved including include includes
    ones driver drivers motorist motorists few speed speeds velocity dwell duration
    pls plz thanks thx cheers kindly need want know tell check summary summarise summarize overview rundown
    recap update updates handover shift shifts list report
    heading headed towards toward bound
    cameras cams feeds re fw fwd attach attached attaching send forward export provide ref reference request requested
    either
    sort sorted ordered asc desc ascending descending chronologically top happening
    issue issues problem problems trouble troubles situation situations happenings occurrence occurrences concern
    concerns info information details data footage recording recordings video videos clip clips feed notification
    notifications detection detections hits results records entries cases instances sightings sighting matters
    logged flagged raised triggered caught noticed observed taking took place
    log logs flag flags raise raises trigger triggers catch catches notice notices observe record records capture
    detect detects got gotten
    suspicious suspiciously dodgy weird funny irregular anomalous anomaly anomalies
    llevan lleva llevaba hubo pasó paso ocurrió ocurrio algo todo todos lista resumen dime hay ver
    temprano hacia rumbo dirección sentido zona durante lo cualquier alguno algunos algunas cuál cuáles cuántos cuántas muéstrame enséñame dame
    raro rara raros raras extraño extraña extraños extrañas inusual inusuales anormal anormales anómalo anómala
    sospechoso sospechosa sospechosos sospechosas novedad novedades incidencia incidencias problema problemas
    actividad actividades movimiento movimientos alerta alertas aviso avisos nuevo nueva situación estado
    oye oiga oigan mira mire pues bueno vale onda tal pasa
    hello hi hiya hey helpline hotline switchboard whole entire entirety normally usually typically
    generally says say said""".split()
)

# Words that turn the next type or class into an exclusion ("everything but wrong-way", "not pedestrians").
NEGATIONS: tuple[str, ...] = ("everything but", "anything but", "anything except", "everything except", "except for",
                              "except", "excluding", "other than", "apart from", "but no", "but not", "not", "no",
                              "without", "weren't", "wasn't", "isn't", "aren't", "didn't", "doesn't", "don't", "never",
                              "weren’t", "wasn’t", "isn’t", "aren’t", "didn’t", "doesn’t", "don’t",
                              "excepto", "salvo", "menos", "sin", "除了", "不要", "不是", "非",
                              "excluyendo", "exceptuando", "a excepción de", "sin contar", "quitando", "no incluyas",
                              "que no sean", "que no sea", "排除", "除去", "除开", "不包括", "不含", "去掉", "不看",
                              "non", "exclude", "ignore", "ignoring", "besides", "minus", "all but", "leave out",
                              "leaving out", "aside from", "but those", "but the ones",
                              # more cues of the same reading (a verb or preposition that leaves something out):
                              # "w/o", "save for", "all bar", "not including", "omitting", "skip", "filter out"
                              "w/o", "save for", "everything bar", "anything bar", "all bar", "not including",
                              "not counting", "discounting", "disregarding", "disregard", "omit", "omitting", "skip",
                              "skipping", "filter out", "filtering out", "leave aside", "leaving aside", "set aside",
                              "setting aside", "rather than", "instead of", "never mind", "anywhere but", "anywhere except",
                              "everywhere but", "everywhere except", "anyone but", "anybody but",
                              "aparte de", "dejando fuera", "dejando de lado", "descartando", "omitiendo", "sin incluir",
                              "no cuentes", "no quiero ver", "no me muestres", "no mostrar", "no incluir", "no me saques",
                              # a topic set aside: "nothing to do with", "unrelated to", "not about"
                              "nothing to do with", "not to do with", "unrelated to", "not related to", "not about",
                              "not involving", "nada que ver con", "que no tenga que ver con",
                              "除掉", "剔除", "去除", "刨除", "不算", "不计", "忽略", "不考虑", "别管", "不用看")
# Comparison words before a number: op, for "longer than 20 minutes", "more than 15 people", "más de 90".
COMPARATORS: dict[str, str] = {
    "longer than": "gt", "more than": "gt", "over": "gt", "above": "gt", "greater than": "gt", "faster than": "gt",
    "bigger than": "gt", "at least": "gt", "exceeding": "gt", "doing more than": "gt", "in excess of": "gt",
    "shorter than": "lt", "less than": "lt", "under": "lt", "below": "lt", "fewer than": "lt", "slower than": "lt",
    "at most": "lt", "doing over": "gt", "doing above": "gt", ">=": "gt", ">": "gt", "≥": "gt", "<=": "lt", "<": "lt",
    "≤": "lt", "más de": "gt", "mas de": "gt", "menos de": "lt", "超过": "gt", "大于": "gt", "多于": "gt",
    "少于": "lt", "小于": "lt", "不到": "lt",
    "no more than": "lt", "not more than": "lt", "no less than": "gt", "not less than": "gt", "no fewer than": "gt",
    "up to": "lt", "no longer than": "lt", "no faster than": "lt",
    # Spanish and Chinese bounds that include their number ("al menos 3", 至少3辆) and comparisons by adjective
    "al menos": "gt", "por lo menos": "gt", "como mínimo": "gt", "mínimo": "gt", "como máximo": "lt", "máximo": "lt",
    "superior a": "gt", "superiores a": "gt", "inferior a": "lt", "inferiores a": "lt", "por encima de": "gt",
    "por debajo de": "lt", "mayor que": "gt", "mayor de": "gt", "menor que": "lt", "menor de": "lt", "no más de": "lt",
    "至少": "gt", "最少": "gt", "不少于": "gt", "不低于": "gt", "不小于": "gt", "高于": "gt", "多过": "gt", "超出": "gt",
    "最多": "lt", "不超过": "lt", "不多于": "lt", "不大于": "lt", "不高于": "lt", "低于": "lt", "未满": "lt",
}
# Comparisons that include their number ("at least 20 people" counts a crowd of 20): a count bound moves half a
# unit out; speeds and durations are measured, so strict or not makes no difference there.
INCLUSIVE_COMPARATORS = frozenset({"at least", "at most", "no more than", "not more than", "no less than", "not less than",
                                   "no fewer than", "up to", "no longer than", "no faster than", ">=", "<=", "≥", "≤",
                                   "al menos", "por lo menos", "como mínimo", "mínimo", "como máximo", "máximo", "no más de",
                                   "至少", "最少", "不少于", "不低于", "不小于", "最多", "不超过", "不多于", "不大于", "不高于"})
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
    "名": ("count", 1.0), "位": ("count", 1.0), "camiones": ("count", 1.0), "peatones": ("count", 1.0),
    "autobuses": ("count", 1.0), "motos": ("count", 1.0), "individuos": ("count", 1.0), "kilómetros": ("speed_kmh", 1.0),
}
# Words that ask for the newest first.
RECENCY: tuple[str, ...] = ("latest", "most recent", "newest", "last reported", "last seen", "most recently",
                            "last one", "last time", "more recent", "recentmost", "previous", "final", "recent", "recently", "just now",
                            "más reciente", "mas reciente", "más recientes", "más nuevo", "más nueva", "último", "última",
                            "ultimo", "ultima", "最近", "最新", "最后一次", "最后一个", "最后的",
                            # the present: what is happening now is the newest ("right now", "anything new")
                            "right now", "at the moment", "at present", "as we speak", "currently", "current",
                            "ongoing", "still going", "live", "anything new", "any new", "what's new", "whats new",
                            "new ones",
                            # something said to have just happened, or to have happened lately, is the newest; the one
                            # before the last is near the top of newest first ("the one before that", "penultimate")
                            "just happened", "just came in", "just in", "just reported", "lately", "of late",
                            "happening now", "going on now", "how long since", "the one before that", "one before last",
                            "penultimate", "second latest", "second most recent", "2nd most recent", "next most recent",
                            "上一次", "上次", "刚刚发生", "lo último", "lo ultimo", "lo más nuevo", "lo mas nuevo",
                            "recientemente", "últimamente", "ultimamente",
                            # fresh is new ("anything fresh", "the freshest")
                            "anything fresh", "any fresh", "something fresh", "fresh ones", "fresh one", "freshest")
# Words that ask for the oldest first ("the earliest", 最早, "el primero"): read after the time grammar took its own
# ("first thing", "a primera hora", 最早 is never a time word).
OLDEST: tuple[str, ...] = ("earliest", "oldest", "first one", "the first", "very first", "least recent",
                           "más antiguo", "más antigua", "más antiguos", "el primero", "la primera", "lo primero",
                           "el primer", "más temprano", "最早", "第一次", "第一起", "第一个", "最先", "最老")
# A "last" that the time grammar left (no night/week/weekday/span after it) asks for the newest: "the last one",
# "the last wrong-way driver at the ring road".
RECENCY_LAST = "last"
# Words that soften a place into "around there" (a ranking boost, never a filter).
NEAR_WORDS: tuple[str, ...] = ("near", "nearby", "close to", "next to", "beside", "by", "around", "outside", "in front of",
                               "opposite", "behind", "cerca de",
                               "junto a", "附近", "旁边")

# ---- more operator words in Chinese and Spanish, written for the meanings above (not from any query set).
# Spanish is listed in one form per word (masculine singular where it inflects): :func:`spanish_forms` adds the
# plural and other gender; every table also gets the accent-free spelling of its keys (:func:`_fold_keys`).
_MORE_TYPES: dict[str, str] = {
    # Chinese
    "溜达": "loitering", "晃悠": "loitering", "晃荡": "loitering", "来回走动": "loitering", "长时间停留": "loitering",
    "久留": "loitering", "踩点": "loitering", "违例泊车": "illegal_parking", "违泊": "illegal_parking", "乱泊": "illegal_parking",
    # Spanish, regional (29 Nov 2026, search11es)
    "husmeando": "loitering", "fisgoneando": "loitering", "curioseando": "loitering", "tumulto": "crowding",
    "montón de gente": "crowding", "bola de gente": "crowding", "montón de personas": "crowding", "mucha presa": "congestion",
    "objeto extraño": "abandoned_object", "objeto raro": "abandoned_object", "bulto raro": "abandoned_object",
    "paquete raro": "abandoned_object", "agrupados": "crowding", "agrupadas": "crowding", "en panne": "stopped_vehicle",
    "se quedó tirado": "stopped_vehicle", "quedó tirado": "stopped_vehicle",
    "逆向": "wrong_way", "反向行驶": "wrong_way", "开反": "wrong_way", "走反": "wrong_way", "倒着开": "wrong_way",
    "开快车": "speeding", "超速行驶": "speeding", "车速太快": "speeding", "速度太快": "speeding", "超高速": "speeding",
    "违章停放": "illegal_parking", "违规停放": "illegal_parking", "乱停乱放": "illegal_parking", "禁停": "illegal_parking",
    "违停车": "illegal_parking", "随意停放": "illegal_parking", "占用车位": "illegal_parking",
    "趴窝": "stopped_vehicle", "出故障": "stopped_vehicle", "车坏了": "stopped_vehicle", "停着不动": "stopped_vehicle",
    "停滞": "stopped_vehicle", "停靠": "stopped_vehicle", "静止不动": "stopped_vehicle", "故障": "stopped_vehicle",
    "堵塞": "congestion", "堵住": "congestion", "很堵": "congestion", "压车": "congestion", "车龙": "congestion",
    "排队": "congestion", "交通拥挤": "congestion", "行驶缓慢": "congestion", "慢行": "congestion",
    "一群人": "crowding", "成群": "crowding", "聚众": "crowding", "人群聚集": "crowding", "挤满": "crowding",
    "人山人海": "crowding", "围着": "crowding",
    "擅闯": "intrusion", "非法闯入": "intrusion", "闯禁区": "intrusion", "进入禁区": "intrusion", "越界": "intrusion",
    "禁区": "intrusion", "爬墙": "intrusion", "翻越围栏": "intrusion", "溜进": "intrusion", "偷偷进入": "intrusion",
    "无主": "abandoned_object", "丢弃": "abandoned_object", "落下": "abandoned_object", "遗留物": "abandoned_object",
    "可疑物品": "abandoned_object", "没人要": "abandoned_object", "无人认领的": "abandoned_object",
    "过线": "tripwire", "跨线": "tripwire", "越过警戒线": "tripwire", "压线": "tripwire", "绊线": "tripwire",
    "越过黄线": "tripwire", "闯线": "tripwire",
    "蹲点": "loitering", "逗留不走": "loitering", "鬼鬼祟祟": "loitering",
    "超过限速": "speeding", "超出限速": "speeding", "开得很快": "speeding", "开得飞快": "speeding",
    "随便停": "illegal_parking", "乱停放": "illegal_parking", "停在人行道": "illegal_parking", "占道": "illegal_parking",
    "停下来": "stopped_vehicle", "停住": "stopped_vehicle", "不动了": "stopped_vehicle",
    "堵得": "congestion", "堵死": "congestion", "堵成": "congestion", "车流量大": "congestion", "大堵车": "congestion",
    "很多人": "crowding", "好多人": "crowding", "一堆人": "crowding", "人很多": "crowding", "人挤人": "crowding",
    "限制区域": "intrusion", "禁止进入": "intrusion", "未经允许": "intrusion", "闯进来": "intrusion",
    "丢在": "abandoned_object", "忘拿": "abandoned_object", "放着不管": "abandoned_object", "被遗忘": "abandoned_object",
    # Spanish
    "merodeador": "loitering", "merodeadores": "loitering", "merodean": "loitering", "merodearon": "loitering",
    "merodeó": "loitering", "deambular": "loitering", "deambula": "loitering", "deambulan": "loitering",
    "deambulaba": "loitering", "rondar": "loitering", "rondan": "loitering", "rondaba": "loitering",
    "rondaban": "loitering", "vagando": "loitering", "vagabundeando": "loitering", "dando vueltas": "loitering",
    "holgazaneando": "loitering", "acechando": "loitering",
    "sentido prohibido": "wrong_way", "kamikaze": "wrong_way", "a contramano": "wrong_way",
    "contracorriente": "wrong_way", "en sentido contrario": "wrong_way", "circulando al revés": "wrong_way",
    "velocidad": "speeding", "exceso de velocidad": "speeding", "a toda pastilla": "speeding", "corriendo mucho": "speeding",
    "rebasando el límite": "speeding", "superando el límite": "speeding", "haciendo carreras": "speeding",
    "veloz": "speeding", "a todo gas": "speeding", "a toda máquina": "speeding",
    "a toda mecha": "speeding", "a todo lo que da": "speeding",
    "aparcamiento ilegal": "illegal_parking", "estacionamiento ilegal": "illegal_parking",
    "estacionamiento prohibido": "illegal_parking", "aparcado en zona prohibida": "illegal_parking",
    "mal parqueado": "illegal_parking", "parqueado ilegalmente": "illegal_parking", "mal estacionado": "illegal_parking",
    "mal aparcado": "illegal_parking", "aparcado ilegalmente": "illegal_parking", "aparcado en doble fila": "illegal_parking",
    "prohibido aparcar": "illegal_parking", "prohibido estacionar": "illegal_parking",
    "estacionado en zona prohibida": "illegal_parking",
    "parado": "stopped_vehicle", "detenido": "stopped_vehicle", "averiado": "stopped_vehicle", "varado": "stopped_vehicle",
    "inmovilizado": "stopped_vehicle", "se quedó parado": "stopped_vehicle", "sin moverse": "stopped_vehicle",
    "en avería": "stopped_vehicle", "con avería": "stopped_vehicle", "accidentado": "stopped_vehicle",
    "atasco": "congestion", "embotellamiento": "congestion", "congestión": "congestion", "congestionado": "congestion",
    "tráfico lento": "congestion", "tráfico pesado": "congestion", "circulación lenta": "congestion",
    "retención": "congestion", "cola de coches": "congestion", "colas": "congestion", "caravanas": "congestion",
    "trancón": "congestion", "tranque": "congestion", "tapón": "congestion", "atascado": "congestion", "tráfico": "congestion",
    "aglomeración": "crowding", "multitud": "crowding", "gentío": "crowding", "muchedumbre": "crowding",
    "grupo de personas": "crowding", "grupo de gente": "crowding", "grupos": "crowding", "grupo": "crowding",
    "concentración": "crowding", "reunión de gente": "crowding", "amontonados": "crowding", "agolpados": "crowding",
    "mucha gente": "crowding", "gente reunida": "crowding",
    "intruso": "intrusion", "intrusión": "intrusion", "allanamiento": "intrusion", "irrumpió": "intrusion",
    "irrumpieron": "intrusion", "se coló": "intrusion", "se colaron": "intrusion", "colándose": "intrusion",
    # "meterse en" / "colarse" (getting into somewhere, as "getting onto the tracks"): the reflexive forms only
    # ("metido en un atasco" is stuck in a jam)
    "metiéndose en": "intrusion", "meterse en": "intrusion", "se metió en": "intrusion", "se metieron en": "intrusion",
    "se mete en": "intrusion", "se meten en": "intrusion", "se cuela": "intrusion", "se cuelan": "intrusion",
    "colarse": "intrusion",
    "zona restringida": "intrusion", "área restringida": "intrusion", "zona prohibida": "intrusion",
    "entró sin autorización": "intrusion", "sin autorización": "intrusion", "saltó la valla": "intrusion",
    "saltaron la valla": "intrusion", "entrada no autorizada": "intrusion", "acceso no autorizado": "intrusion",
    "abandonado": "abandoned_object", "olvidado": "abandoned_object", "sin dueño": "abandoned_object",
    "desatendido": "abandoned_object", "sin vigilancia": "abandoned_object", "objeto sospechoso": "abandoned_object",
    "dejado solo": "abandoned_object", "paquete sospechoso": "abandoned_object", "bulto sospechoso": "abandoned_object",
    "cruzó la línea": "tripwire", "cruzaron la línea": "tripwire", "cruzando la línea": "tripwire", "cruzar la línea": "tripwire",
    "pasó la línea": "tripwire", "traspasó la línea": "tripwire", "cruce de línea": "tripwire", "cruzó la barrera": "tripwire",
}
_MORE_CLASSES: dict[str, tuple[str, ...]] = {
    # Chinese
    "小轿车": ("car",), "计程车": ("car",), "公车": ("bus",), "游览车": ("bus",), "砂石车": ("truck",), "联结车": ("truck",), "网约车": ("car",), "越野车": ("car",), "吉普车": ("car",), "跑车": ("car",),
    "皮卡": ("truck",), "拖车": ("truck",), "挂车": ("truck",), "半挂": ("truck",), "渣土车": ("truck",), "泥头车": ("truck",),
    "油罐车": ("truck",), "槽罐车": ("truck",), "搅拌车": ("truck",), "工程车": ("truck",), "大车": ("truck", "bus"),
    "公交": ("bus",), "中巴": ("bus",), "小巴": ("bus",), "校车": ("bus",), "大客车": ("bus",), "旅游车": ("bus",),
    "机车": ("motorcycle",), "摩的": ("motorcycle",), "电单车": ("motorcycle",), "电驴": ("motorcycle",),
    "助力车": ("motorcycle",), "脚踏车": ("bicycle",), "骑自行车的": ("bicycle",), "共享单车": ("bicycle",),
    "的人": ("person",), "男的": ("person",), "女的": ("person",), "老人": ("person",), "年轻人": ("person",), "小伙子": ("person",),
    "人影": ("person",), "陌生人": ("person",), "可疑人员": ("person",), "行人们": ("person",),
    "双肩包": ("backpack",), "书包": ("backpack",), "手袋": ("handbag",), "挎包": ("handbag",), "包包": ("handbag",),
    "拉杆箱": ("suitcase",), "旅行箱": ("suitcase",), "箱子": ("suitcase",), "皮箱": ("suitcase",),
    # Spanish
    "coche": ("car",), "carro": ("car",), "turismo": ("car",), "taxi": ("car",), "automóvil": ("car",), "utilitario": ("car",),
    "todoterreno": ("car",), "camión": ("truck",), "tráiler": ("truck",), "trailer": ("truck",), "camión cisterna": ("truck",),
    "vehículo pesado": ("truck",), "pesado": ("truck",), "tractocamión": ("truck",), "furgoneta": ("car", "truck"),
    "furgón": ("car", "truck"), "camioneta": ("car", "truck"), "van": ("car", "truck"), "pick-up": ("truck",),
    "autobús": ("bus",), "bus": ("bus",), "autocar": ("bus",), "microbús": ("bus",), "colectivo": ("bus",), "guagua": ("bus",),
    "moto": ("motorcycle",), "motocicleta": ("motorcycle",), "motoneta": ("motorcycle",), "ciclomotor": ("motorcycle",),
    "motorista": ("motorcycle",), "motociclista": ("motorcycle",), "motoristas": ("motorcycle",),
    "bici": ("bicycle",), "bicicleta": ("bicycle",), "ciclista": ("bicycle",),
    "peatón": ("person",), "persona": ("person",), "gente": ("person",), "hombre": ("person",), "mujer": ("person",),
    "niño": ("person",), "chico": ("person",), "individuo": ("person",), "sujeto": ("person",), "transeúnte": ("person",),
    "viandante": ("person",), "viajero": ("person",), "pasajero": ("person",),
    "mochila": ("backpack",), "maleta": ("suitcase",), "bolso": ("handbag",), "equipaje": ("suitcase", "backpack", "handbag"),
    "bulto": ("suitcase", "backpack", "handbag"), "maletín": ("suitcase", "handbag"),
    "vehículo": ("car", "truck", "bus", "motorcycle"),
    # regional (29 Nov 2026, search11es): Colombia, Chile, Mexico, Venezuela, River Plate
    "buseta": ("bus",), "micro": ("bus",), "pesero": ("bus",), "combi": ("car", "truck"), "tractomula": ("truck",),
    "gandola": ("truck",), "motoneta": ("motorcycle",), "señor": ("person",), "señora": ("person",), "pibe": ("person",),
    "chavo": ("person",), "morro": ("person",), "valija": ("suitcase",),
}
_MORE_COLOURS: dict[str, str] = {
    # Chinese (a colour character alone is read only beside a class or clothing word: see parser._ZH_COLOUR_RX)
    "粉红色": "pink", "桔色": "orange", "橘色": "orange", "橘黄色": "orange", "卡其色": "beige", "米黄色": "beige",
    "藏青色": "blue", "天蓝色": "blue", "酒红色": "red", "枣红色": "red", "墨绿色": "green", "土黄色": "brown",
    # Spanish (masculine singular; spanish_forms adds the rest)
    "blanco": "white", "negro": "black", "gris": "grey", "plateado": "grey", "plata": "grey", "rojo": "red",
    "granate": "red", "naranja": "orange", "anaranjado": "orange", "amarillo": "yellow", "dorado": "yellow",
    "verde": "green", "azul": "blue", "azul marino": "blue", "celeste": "blue", "marrón": "brown",
    "castaño": "brown", "beige": "beige", "beis": "beige", "crema": "beige", "morado": "purple", "violeta": "purple",
    "lila": "purple", "púrpura": "purple", "rosa": "pink", "rosado": "pink",
    # regional (29 Nov 2026, search11es): River Plate / Chile / Mexico ("café" alone is a café: not a colour here)
    "colorado": "red", "bordó": "red", "guinda": "red", "plomo": "grey", "plomizo": "grey",
}

_STRESSED_END = str.maketrans("áéíóú", "aeiou")


def _es_word_forms(w: str) -> set[str]:
    """A Spanish word's number and gender forms: rojo -> roja, rojos, rojas; camión -> camiones; azul -> azules."""
    out = {w}
    if len(w) < 4 or not re.fullmatch(r"[a-záéíóúüñ]+", w) or w == "too":
        return out
    if re.search(r"[oa]$", w) and not re.search(r"[áéíóú]", w[-1]):
        stem = w[:-1]
        out |= {stem + "o", stem + "a", stem + "os", stem + "as"}
    elif re.search(r"[oa]s$", w):
        stem = w[:-2]
        out |= {stem + "o", stem + "a", stem + "os", stem + "as"}
    elif re.search(r"[eéi]$", w):
        out.add(w + "s")
    elif re.search(r"[áéíóú][nsl]$", w):  # camión -> camiones, autobús -> autobuses (the accent goes)
        out.add(w[:-2] + w[-2].translate(_STRESSED_END) + w[-1] + "es")
    elif re.search(r"z$", w):
        out.add(w[:-1] + "ces")
    elif re.search(r"[lrnd]$", w) and re.search(r"[áéíóúñ]", w):  # tráiler -> tráileres, inmóvil -> inmóviles
        out.add(w + "es")
    elif re.search(r"(?:dad|tud|or)$", w) and len(w) >= 5:  # multitud -> multitudes, conductor -> conductores
        out.add(w + "es")
    return out


_ES_FUNCTION_WORDS = frozenset("a al de del el la los las en con sin por para que se no mal muy en doble".split())


def spanish_forms(table: dict) -> dict:
    """``table`` with each Spanish key's inflected forms added (each content word in every form), existing keys kept.

    Generated forms that are not Spanish words ("carra") do no harm: nobody types them."""
    out = dict(table)
    for k, v in table.items():
        if re.search(r"[\u4e00-\u9fff]", k):
            continue
        words = k.split()
        if len(words) > 4:
            continue
        options = [sorted({w} if w in _ES_FUNCTION_WORDS else _es_word_forms(w)) for w in words]
        forms = [""]
        for opt in options:
            forms = [f"{f} {o}".strip() for f in forms for o in opt]
        for f in forms:
            out.setdefault(f, v)
    return out


def _fold_keys(table):
    """The accent-free spelling of every key as well (the parser folds the query: ``script.fold``)."""
    from services.search.script import fold

    if isinstance(table, dict):
        return {**{fold(k): v for k, v in table.items()}, **table}
    seq = list(dict.fromkeys([*table, *(fold(k) for k in table)]))
    return frozenset(seq) if isinstance(table, frozenset) else tuple(seq)


TYPE_PHRASES = _fold_keys(spanish_forms({**_MORE_TYPES, **TYPE_PHRASES}))
CLASS_SYNONYMS = _fold_keys(spanish_forms({**_MORE_CLASSES, **CLASS_SYNONYMS}))
COLOURS = _fold_keys(spanish_forms({**_MORE_COLOURS, **COLOURS}))
PLACE_WORDS = _fold_keys(PLACE_WORDS)
STOP_WORDS = _fold_keys(STOP_WORDS)
NEGATIONS = _fold_keys(NEGATIONS)
COMPARATORS = _fold_keys(COMPARATORS)
INCLUSIVE_COMPARATORS = _fold_keys(INCLUSIVE_COMPARATORS)
FACT_UNITS = _fold_keys(spanish_forms(FACT_UNITS))
RECENCY = _fold_keys(RECENCY)
OLDEST = _fold_keys(OLDEST)
NEAR_WORDS = _fold_keys(NEAR_WORDS)

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
