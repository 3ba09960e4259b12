"""How ``services.search.verbs.VERB_SIM_MIN`` reads the verbs of labelled questions (dev halves only).

    python -m tests.search_eval.verb_threshold --rows rows.json [--show]

``rows.json`` is what ``python -m tests.search_eval.calibrate --rows rows.json`` writes when the file is new (one city load: every set's dev
half, floor_train and the free-text queries, each with its label); the floor probe's dev half
(``floor_probe.py``) is added. floor_train's rows are left out: its answerable wordings say the same behaviours as
``TYPE_VERBS`` (in-sample). Each question is parsed against the city's places; each run of unknown verb forms is
read in its phrase against ``TYPE_VERBS``. Only questions the floor judges count (none naming a type by a table, a
type exclusion or a numeric fact). A verb read in a question that has no answer may keep the floor from emptying it;
an answerable question's verb left unread may let the floor empty it: the script prints both counts at
each of a few cosines and the cosine that minimises their sum (ties: the higher one). That count weighs every verb
alike although most verbs decide no verdict (other words stay unknown, the floor keeps an answer), so the constant
in verbs.py was chosen between the cosines this prints by the dev halves' end figures (docs/search.md, "Verbs read by
meaning").
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np


def _index():
    from services.search import SearchIndex
    from services.search.places import Place
    from services.store import Store
    from tests.search_eval import city

    places = [Place(d["kind"], d["id"], d["name"], aliases=tuple(d["aliases"]), description=d["description"],
                    camera_id=d.get("camera_id")) for d in city.place_vocabulary()]
    d = Path(tempfile.mkdtemp())
    store = Store(f"sqlite:///{d / 'db.sqlite'}", d / "media")
    return SearchIndex(store, tz=city.TZ, cameras=[(c.id, c.name) for c in city.CAMERAS],
                       zones=[p.id for p in places if p.kind == "zone"], places=places, background=False, index_path=False)


def labelled(rows_path: str) -> list[tuple[str, bool, str]]:
    from tests.search_eval import floor_probe

    rows = json.loads(Path(rows_path).read_text())
    out = [(r["text"], bool(r["answer"]), r["src"]) for r in rows if not r["src"].startswith("train")]
    out += [(t, True, "probe") for t, _ in floor_probe.ANSWERABLE if floor_probe.split_of(t) == "dev"]
    out += [(t, False, "probe") for t in floor_probe.NO_ANSWER if floor_probe.split_of(t) == "dev"]
    return out


def main() -> None:
    from services.search.parser import parse_query
    from services.search.verbs import phrases, verb_groups

    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", required=True)
    ap.add_argument("--show", action="store_true")
    a = ap.parse_args()
    ix = _index()
    types, texts = phrases()
    protos = ix.embedder.encode(texts)
    items = []  # (best cosine, answerable, text, words, type)
    for text, answer, src in labelled(a.rows):
        if src.endswith("zh") or src.endswith("es"):
            continue
        cams = [(cid, ix._camera_names.get(cid, cid)) for cid in ix._camera_names]
        p = parse_query(text, now=ix.clock(), tz=ix.tz, cameras=cams, zones=ix._zones, places=ix.places)
        if p.lang != "en" or p.filters.types or p.exclude.types or p.facts:
            continue  # the floor judges no query naming a type by a table, a type exclusion or a numeric fact
        for g in verb_groups(text, p.unknown):
            s = protos @ ix.encode_query(g.phrase)
            j = int(np.argmax(s))
            items.append((float(s[j]), answer, text, g.phrase, types[j], src))
    cands = sorted({round(x[0], 3) for x in items})
    best = None
    for t in cands:
        wrong_read = sum(1 for s, ans, *_ in items if s >= t and not ans)
        unread = sum(1 for s, ans, *_ in items if s < t and ans)
        if best is None or wrong_read + unread <= best[0]:
            best = (wrong_read + unread, t, wrong_read, unread)
    n_ans = sum(1 for x in items if x[1])
    print(f"verb groups: {len(items)} ({n_ans} in answerable questions)")
    if best:
        print(f"VERB_SIM_MIN = {best[1]}: no-answer verbs read {best[2]} of {len(items) - n_ans}, "
              f"answerable verbs left unread {best[3]} of {n_ans}")
    for t in (0.5, 0.55, 0.6, 0.65, 0.7):
        print(f"  at {t}: no-answer verbs read {sum(1 for s, ans, *_ in items if s >= t and not ans)}, "
              f"answerable verbs unread {sum(1 for s, ans, *_ in items if s < t and ans)}")
    if a.show:
        for s, ans, text, ph, t, src in sorted(items, reverse=True):
            print(f"{'A' if ans else 'N'} {s:.3f} {t:16s} {ph!r:40s} {src} | {text}")


if __name__ == "__main__":
    main()
