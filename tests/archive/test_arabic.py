"""Tests for archive.arabic: normalisation, light stemming, FTS5 queries and snippets."""

import sqlite3
import time

import pytest

from archive.arabic import index_text, normalize, stem, tokenize
from archive.query import fts_query
from archive.search import register_functions
from archive.snippets import snippet_html


def s(word: str) -> str:
    """Stem of a raw (un-normalised) word, the way index_text treats it."""
    (token,) = tokenize(word)
    return stem(token)


# --- normalize ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # harakat, shadda, sukun, tanween
        ("الدَّوْلَةُ الإِسْلَامِيَّةُ", "الدوله الاسلاميه"),
        ("مُسَلَّحٌ", "مسلح"),
        # superscript alef and Quranic marks
        ("هٰذا", "هذا"),
        ("الرَّحْمٰنِ ۚ", "الرحمن"),
        # tatweel
        ("داعـــش", "داعش"),
        ("تنظيـم الدولـة", "تنظيم الدوله"),
        # hamza / madda / wasla alef forms
        ("إسلامية", "اسلاميه"),
        ("أمن", "امن"),
        ("آليات", "اليات"),
        ("ٱلدولة", "الدوله"),
        # alef maqsura, ta marbuta, hamza on waw / yeh
        ("ديالى", "ديالي"),
        ("الخلايا النائمة", "الخلايا النايمه"),
        ("مسؤول", "مسوول"),
        # Persian / Urdu look-alikes
        ("ديالی", "ديالي"),
        ("کرکوک", "كركوك"),
        # digits
        ("١٤ مسلحاً", "14 مسلحا"),
        ("۲۰۱۴", "2014"),
        ("١٬٢٠٠", "1,200"),
        # punctuation
        ("داعش، الموصل؛ لماذا؟", "داعش, الموصل; لماذا?"),
        ("«تنظيم الدولة»", '"تنظيم الدوله"'),
        ("“داعش” ‘الموصل’", "\"داعش\" 'الموصل'"),
        ("٪٥٠", "%50"),
        # Latin lower-case, whitespace collapsing, invisible characters
        ("ISIS  في\n\tالموصل ", "isis في الموصل"),
        ("دا\u200cعش\u200f", "داعش"),
        ("\ufeffداعش", "داعش"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_normalize_presentation_forms_via_nfkc():
    # داعش written with isolated/initial/final presentation forms (FB50-FEFF)
    assert normalize("\ufea9\ufe8e\ufecb\ufeb6") == "داعش"
    assert normalize("\ufefb") == "لا"  # lam-alef ligature
    assert normalize("\ufef7") == "لا"  # lam-alef with hamza above: folded after NFKC
    assert normalize("\ufdf2") == "الله"  # Allah ligature, shadda + dagger alef removed


def test_normalize_empty_and_idempotent():
    assert normalize("") == ""
    assert normalize("  \u0640\u064e ") == ""
    once = normalize("الدَّوْلَةُ «الإِسْلَامِيَّةُ» في ديالى، ١٤")
    assert normalize(once) == once


# --- tokenize -------------------------------------------------------------------------------


def test_tokenize_splits_on_punctuation_not_marks():
    assert tokenize("قُتِلَ ١٤ مسلحاً من «داعش»، في حمرين!") == [
        "قتل",
        "14",
        "مسلحا",
        "من",
        "داعش",
        "في",
        "حمرين",
    ]
    assert tokenize("isis_daesh 2014-06-10") == ["isis", "daesh", "2014", "06", "10"]
    assert tokenize("") == []
    assert tokenize("؟!،«»") == []


def test_tokenize_agrees_with_fts5_unicode61():
    text = (
        "الدَّوْلَةُ الإِسْلَامِيَّةُ، داعـــش (ISIS) في كركوك_ديالى؛ ١٤ مسلحاً snake_case O'Brien e-mail ﻻ ﷲ x²"
    )
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    conn.execute("INSERT INTO t(rowid, body) VALUES (1, ?)", (normalize(text),))
    fts_tokens = [row[0] for row in conn.execute("SELECT term FROM v ORDER BY offset")]
    assert fts_tokens == tokenize(text)


# --- stem: forms that must agree ------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        ["والموصل", "بالموصل", "للموصل", "الموصل", "موصل", "فالموصل", "وبالموصل"],
        ["وداعش", "لداعش", "داعش", "بداعش", "فداعش", "كداعش", "داعـــش"],
        ["للتنظيم", "والتنظيم", "التنظيم", "تنظيم", "فالتنظيم", "بالتنظيم", "تنظيمها"],
        ["كالمسلحين", "المسلحين", "مسلحين", "مسلحون", "مسلحاً", "مسلح", "للمسلحين"],
        ["ديالى", "ديالي", "بديالى", "وديالى"],
        ["كركوك", "وكركوك", "لكركوك", "بكركوك", "کرکوک"],
        ["الإسلامية", "الاسلامية", "إسلامية", "اسلامي", "الإسلاميين", "الإِسْلَامِيَّةُ"],
        ["أمن", "امن", "الأمن", "الأمنية", "أمنية", "للأمن"],
        ["الدولة", "دولة", "الدوله", "الدَّوْلَةُ", "للدولة", "بالدولة"],
        ["التجنيد", "تجنيد", "بالتجنيد", "للتجنيد"],
        ["الخلايا", "خلايا", "بالخلايا", "للخلايا"],
        ["النائمة", "نائمة", "النايمه", "نائم"],
        ["حمرين", "وحمرين", "بحمرين", "لحمرين"],
        ["بغداد", "وبغداد", "لبغداد", "ببغداد", "بغدادي", "البغدادي"],
        ["ولاية", "الولاية", "ولايات", "لولاية", "والولاية", "ولايه"],
        ["هجمات", "الهجمات", "هجماتهم", "بالهجمات"],
        ["عناصر", "عناصرها", "العناصر", "وعناصر"],
        ["الله", "والله", "بالله"],
    ],
)
def test_stem_variants_agree(forms):
    stems = {s(f) for f in forms}
    assert len(stems) == 1, dict(zip(forms, [s(f) for f in forms], strict=True))


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("والموصل", "موصل"),
        ("وداعش", "داعش"),
        ("للتنظيم", "تنظيم"),
        ("كالمسلحين", "مسلح"),
        ("كركوك", "كركوك"),  # not كوك, not ركوك
        ("بغداد", "بغداد"),  # not غداد
        ("فلسطين", "فلسطين"),
        ("لبنان", "لبنان"),
        ("ولاية", "ولاي"),  # not لاية and not ولا
        ("حمرين", "حمرين"),  # not حمر
        ("الكتائب", "كتايب"),  # not تايب (repentant)
        ("١٤", "14"),
        ("ISIS", "isis"),
    ],
)
def test_stem_exact(word, expected):
    assert s(word) == expected


@pytest.mark.parametrize("word", ["ال", "لا", "في", "من", "بل", "كل", "و", "ف", "ب", "ك", "ل"])
def test_short_words_unchanged(word):
    assert stem(word) == word


@pytest.mark.parametrize(
    "word",
    # 4-letter words whose first letter is a root letter, not a proclitic
    ["وزير", "فريق", "بيان", "كانت", "كبير", "كتاب", "وقال", "الان", "الذي", "هذه"],
)
def test_root_initial_short_words_kept(word):
    assert len(s(word)) >= 3
    assert s(word) == normalize(word) or s(word).startswith(normalize(word)[:3])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ولاية", "لاية"),  # و of ولاية is a root letter
        ("ولاية", "ولا"),  # ...and its ي is not a nisba ending
        ("وزير", "زير"),
        ("فريق", "ريق"),
        ("بيان", "يان"),
        ("كانت", "انت"),  # "was" vs "you"
        ("لجنة", "جنة"),  # committee vs paradise
        ("كبير", "بئر"),  # big vs well
        ("كتاب", "تاب"),
        ("بغداد", "غداد"),
        ("كركوك", "كوك"),
        ("كركوك", "ركوك"),
        ("الكتائب", "تائب"),
        ("لبنان", "لبن"),  # Lebanon vs milk
        ("الله", "له"),
        ("الآن", "أن"),
        ("حمرين", "حمر"),
        ("محاكم", "محا"),
        ("إيران", "ايرا"),
        ("متهم", "مت"),
        ("أمن", "من"),
        ("على", "عل"),
    ],
)
def test_unrelated_words_not_merged(a, b):
    assert s(a) != s(b)


def test_stem_is_pure_and_total():
    for token in ["", "ا", "اا", "ووو", "للل", "الالال", "ههه", "يييي", "ممممممم"]:
        assert isinstance(stem(token), str)
        assert stem(token) or not token


# --- index_text -----------------------------------------------------------------------------


def test_index_text():
    assert (
        index_text("وأعلنت القوات الأمنية مقتل ١٤ مسلحاً من «داعش» في حمرين بديالى.")
        == "اعلنت قوات امن مقتل 14 مسلح من داعش في حمرين ديال"
    )
    assert index_text("") == ""
    assert index_text(" ،؟ ") == ""


def test_index_text_speed():
    paragraph = (
        "أعلنت قيادة العمليات المشتركة في العراق، اليوم الأحد، عن مقتل ١٤ مسلحاً من تنظيم "
        "داعش الإرهابي خلال عملية أمنية واسعة في جبال حمرين بين محافظتي ديالى وصلاح الدين، "
        "وقالت إن القوات الأمنية دمرت أوكاراً للخلايا النائمة وضبطت أسلحة وأعتدة. "
    )
    text = paragraph * (5000 // len(paragraph.split()) + 1)
    index_text(text)  # warm the stem cache
    start = time.perf_counter()
    index_text(text)
    assert time.perf_counter() - start < 0.1  # ~3 ms locally; generous for slow CI


# --- fts_query ------------------------------------------------------------------------------


def test_fts_query_shapes():
    assert fts_query("داعش") == '"داعش"'
    assert fts_query("بالموصل داعش") == '"موصل" "داعش"'
    assert fts_query('"تنظيم الدولة" كركوك') == '"تنظيم دوله" "كركوك"'
    assert fts_query("«تنظيم الدولة»") == '"تنظيم دوله"'
    assert fts_query("“تنظيم الدولة”") == '"تنظيم دوله"'
    assert fts_query("تنظ*") == '"تنظ"*'
    assert fts_query("داعش OR كركوك") == '("داعش" OR "كركوك")'  # search syntax: archive/query.py
    assert fts_query("") == '""'
    assert fts_query("  ؟!  ") == '""'
    assert fts_query('""') == '""'


HOSTILE = [
    '"',
    '""',
    '"""',
    "*",
    "**",
    "داعش*",
    "*داعش",
    "داعش OR",
    "OR",
    "AND داعش",
    "NOT",
    "داعش NOT",
    "NEAR(",
    "NEAR(داعش كركوك, 2)",
    "col:داعش",
    "body:داعش",
    "{body}: داعش",
    "(((",
    ")))",
    "-داعش",
    "+داعش",
    "^",
    "^داعش",
    "",
    " ",
    '"تنظيم الدولة',
    'تنظيم "الدولة" "',
    "«داعش",
    "داعش»",
    "'; DROP TABLE t; --",
    "\x00",
    "ا*",
    "a*b*",
    "تنظيم ‐ الدولة",
    "١٤",
]


@pytest.fixture()
def fts():
    paragraphs = {
        1: "أعلن جهاز مكافحة الإرهاب مقتل ١٤ مسلحاً من داعش في جبال حمرين.",
        2: "وقالت خلية الإعلام الأمني إن القوات اعتقلت قيادياً لتنظيم الدولة في الموصل.",
        3: "الدَّوْلَةُ العراقية ماضية في خططها، وأكد المتحدث أن تنظيم الخلايا النائمة ضعيف.",
        4: "شنت القوات الأمنية عملية في كركوك وديالى لملاحقة الخلايا النائمة لداعش.",
        5: "ناقش مجلس الوزراء في بغداد ملف التجنيد الإلزامي.",
        6: "حذر مسؤول أمني من عودة تنظيم داعش إلى التجنيد في مخيمات النازحين بالموصل.",
        7: "يعود التنظيم إلى ولاية كركوك وفق بيان لـ«الدولة الإسلامية».",
    }
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    conn.executemany(
        "INSERT INTO t(rowid, body) VALUES (?, ?)",
        [(rowid, index_text(text)) for rowid, text in paragraphs.items()],
    )
    yield conn
    conn.close()


def search(conn, query):
    sql = "SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid"
    return [row[0] for row in conn.execute(sql, (fts_query(query),))]


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("داعش", [1, 4, 6]),
        ("وداعش", [1, 4, 6]),
        ("لداعش", [1, 4, 6]),
        ("داعـــش", [1, 4, 6]),
        ("الموصل", [2, 6]),
        ("بالموصل", [2, 6]),
        ("موصل", [2, 6]),
        ("للموصل", [2, 6]),
        ("كركوك", [4, 7]),
        ("ديالي", [4]),
        ("ديالى", [4]),
        ("حمرين", [1]),
        ("بغداد", [5]),
        ("التجنيد", [5, 6]),
        ("تجنيد", [5, 6]),
        ("للتجنيد", [5, 6]),
        ("14", [1]),
        ("١٤", [1]),
        ("مسلحين", [1]),
        ("الإسلامية", [7]),
        ("اسلاميه", [7]),
        ("الاسلامية", [7]),
        ("ولاية", [7]),
        ("امن", [2, 4, 6]),
        ("الأمنية", [2, 4, 6]),
        ("ISIS", [1, 2, 4, 6, 7]),  # Latin names map to داعش, تنظيم الدولة, الدولة الإسلامية
    ],
)
def test_fts_spelling_variants(fts, query, rows):
    assert search(fts, query) == rows


def test_fts_phrases(fts):
    # 2 has لتنظيم الدولة, 3 has الدولة ... تنظيم far apart, 7 has التنظيم ... «الدولة
    assert search(fts, '"تنظيم الدولة"') == [2]
    assert search(fts, "«تنظيم الدولة»") == [2]
    assert search(fts, "“لتنظيم الدولة”") == [2]
    assert search(fts, "تنظيم الدولة") == [2, 3, 7]  # bare words: AND, any distance
    assert search(fts, '"الخلايا النائمة"') == [3, 4]
    assert search(fts, '"الخلايا النائمة" كركوك') == [4]
    assert search(fts, '"النائمة الخلايا"') == []
    assert search(fts, '"الدولة الإسلامية"') == [7]


def test_fts_and_semantics(fts):
    assert search(fts, "داعش الموصل") == [6]
    assert search(fts, "داعش كركوك") == [4]
    assert search(fts, "داعش بغداد") == []
    assert search(fts, "التجنيد بغداد") == [5]


def test_fts_prefix(fts):
    assert search(fts, "تجني*") == [5, 6]
    assert search(fts, "كرك*") == [4, 7]
    assert search(fts, "الموص*") == [2, 6]
    assert search(fts, "والدو*") == [2, 3, 7]
    assert search(fts, "ا*") == []  # one-letter prefixes are plain words, not a full scan


def test_fts_operators(fts):
    # OR, NOT and a leading - are search syntax (archive/query.py::read_query); others are words.
    assert search(fts, "داعش OR بغداد") == [1, 4, 5, 6]
    assert search(fts, "داعش -كركوك") == [1, 6]
    assert search(fts, "-داعش") == []  # an exclusion alone searches nothing
    assert search(fts, "body:داعش") == []  # "body" is just another (missing) word
    assert search(fts, "NEAR(داعش كركوك)") == []
    assert search(fts, "^داعش") == [1, 4, 6]


@pytest.mark.parametrize("query", HOSTILE)
def test_fts_hostile_queries_never_raise(fts, query):
    expression = fts_query(query)
    assert isinstance(expression, str) and expression
    fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()


@pytest.mark.parametrize("query", ["", " ", '"', "*", "(((", "^", "؟", "-", "«»"])
def test_fts_empty_queries_match_nothing(fts, query):
    assert search(fts, query) == []


# --- snippet_html ---------------------------------------------------------------------------


def test_snippet_marks_matches_in_original_text():
    text = "قالت مصادر إن عناصر من داعش، هاجموا قرية في ديالى."
    html = snippet_html(text, "داعش ديالي")
    assert html == "قالت مصادر إن عناصر من <mark>داعش</mark>، هاجموا قرية في <mark>ديالى</mark>."


def test_snippet_matches_variants_with_diacritics_and_prefixes():
    text = "وأكد أن لِداعِش خلايا، وأن بالموصل «الدَّوْلَةُ» حاضرة"
    html = snippet_html(text, '"تنظيم الدولة" موصل داعش')
    assert "<mark>لِداعِش</mark>" in html
    assert "<mark>بالموصل</mark>" in html
    assert "«<mark>الدَّوْلَةُ</mark>»" in html
    assert html.count("<mark>") == 3


def test_snippet_escapes_html():
    text = 'بيان <script>alert("داعش")</script> & داعش <b>'
    html = snippet_html(text, "داعش")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert html.count("<mark>") == 2
    assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_snippet_escapes_hostile_query():
    html = snippet_html("نص عادي", '<img src=x onerror=alert(1)> "')
    assert html == "نص عادي"


def test_snippet_window_picks_densest_region():
    filler = " ".join(["كلمة"] * 100)
    text = f"داعش {filler} هجوم لداعش في كركوك وداعش هناك {filler}"
    html = snippet_html(text, "داعش كركوك", words=10)
    assert html.startswith("… ") and html.endswith(" …")
    assert html.count("<mark>") == 3
    # hits are centred: context on both sides
    assert html.split()[1] == "كلمة" and html.split()[-2] == "كلمة"
    assert len(html.replace("… ", "").replace(" …", "").split()) == 10


@pytest.mark.parametrize("words", [2, 3, 4, 9, 10])
def test_snippet_window_keeps_all_hits_of_a_full_window(words):
    filler = " ".join(["كلمة"] * 20)
    hits = " ".join(["داعش"] + ["كلمة"] * (words - 2) + ["داعش"])
    html = snippet_html(f"{filler} {hits} {filler}", "داعش", words=words)
    assert html.count("<mark>") == 2


def test_snippet_no_match_returns_first_words():
    text = " ".join(f"<w{i}>" for i in range(50))
    html = snippet_html(text, "داعش", words=5)
    assert html == "&lt;w0&gt; &lt;w1&gt; &lt;w2&gt; &lt;w3&gt; &lt;w4&gt; …"
    assert snippet_html("قصير", "", words=5) == "قصير"
    assert snippet_html("", "داعش") == ""


# --- SQL functions --------------------------------------------------------------------------


def test_register_functions_and_datasette_style_query():
    conn = sqlite3.connect(":memory:")
    register_functions(conn)
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT, text TEXT)")
    conn.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text)")
    conn.execute(
        "INSERT INTO articles VALUES (1, 'هجوم لداعش', 'هاجم مسلحو الدولة الإسلامية كركوك'),"
        " (2, 'أخبار بغداد', 'اجتماع في بغداد')"
    )
    conn.execute(
        "INSERT INTO articles_fts(rowid, title, text) "
        "SELECT id, arabic_index(title), arabic_index(text) FROM articles"
    )
    sql = (
        "SELECT a.id, arabic_snippet(a.text, :q) FROM articles a "
        "JOIN articles_fts f ON f.rowid = a.id "
        "WHERE articles_fts MATCH arabic_fts_query(:q) ORDER BY a.id"
    )
    rows = conn.execute(sql, {"q": "داعش"}).fetchall()
    assert [r[0] for r in rows] == [1]
    assert conn.execute(sql, {"q": '"الدولة الاسلامية" كركوك'}).fetchall() == [
        (1, "هاجم مسلحو <mark>الدولة</mark> <mark>الإسلامية</mark> <mark>كركوك</mark>")
    ]
    assert conn.execute(sql, {"q": 'NEAR( "'}).fetchall() == []
    assert conn.execute("SELECT arabic_index(NULL), arabic_fts_query(NULL)").fetchone() == (
        None,
        '""',
    )
    assert conn.execute("SELECT arabic_index(14)").fetchone() == ("14",)
