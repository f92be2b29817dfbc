"""The search syntax (archive/query.py::read_query): OR, NOT/-word, groups, word*, Latin names."""

import sqlite3

import pytest

from archive.arabic import index_text
from archive.latin_names import arabic_for, latin_key
from archive.query import fts_query, read_query, search_items

DOCS = {
    1: "أعلن جهاز مكافحة الإرهاب مقتل مسلحين من داعش في جبال حمرين.",
    2: "هجوم لتنظيم الدولة الإسلامية في سوريا قرب الحدود.",
    3: "القوات الأمنية في كركوك تلاحق خلايا داعش النائمة.",
    4: "ارتفاع أسعار الطماطم في أسواق بغداد.",
    5: "تنظيم القاعدة يتبنى هجوماً في صلاح الدين.",
    6: "داعش ينسحب من سوريا نحو الأنبار والطارمية.",
}


@pytest.fixture(scope="module")
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(body)")
    conn.executemany("insert into t(rowid, body) values (?, ?)",
                     [(k, index_text(v)) for k, v in DOCS.items()])
    yield conn
    conn.close()


def found(conn, query):
    return [r[0] for r in conn.execute("select rowid from t where t match ? order by rowid",
                                       [fts_query(query)])]


@pytest.mark.parametrize(("query", "rows"), [
    ("داعش OR حمرين", [1, 3, 6]),
    ("كركوك OR بغداد", [3, 4]),
    ("داعش -سوريا", [1, 3]),  # the minus excludes: never the opposite of what was asked
    ("داعش NOT سوريا", [1, 3]),
    ("(داعش OR القاعدة) -سوريا", [1, 3, 5]),
    ("هجوم (سوريا OR الدين)", [2, 5]),
    ("داعش AND كركوك", [3]),
    ("الطما*", [4]),
    ('"الدولة الإسلامية" OR كركوك', [2, 3]),
    ("ISIS", [1, 2, 3, 6]),  # داعش, تنظيم الدولة, الدولة الإسلامية
    ("Daesh Kirkuk", [3]),
    ("isil -Syria", [1, 3]),
    ("Salah al-Din", [5]),
    ("Salahuddin OR Tarmiyah", [5, 6]),
    ("Anbar", [6]),
    ("Baghdad", [4]),
    ("NOT", []), ("(", []), ("*", []), ("-سوريا", []), ("OR", []), (")", []),
])
def test_results(fts, query, rows):
    assert found(fts, query) == rows


def test_every_word_is_quoted_and_operators_are_ours():
    assert fts_query("داعش OR حمرين") == '("داعش" OR "حمرين")'
    assert fts_query("داعش -سوريا") == '("داعش" NOT "سور")'
    assert fts_query("تنظ*") == '"تنظ"*'
    # NEAR, column filters and ^ are not syntax here: plain (quoted) words.
    assert fts_query("NEAR(داعش, 2) title:x ^y") == (
        '"near" AND ("داعش" "2") AND ("title" AND "x") AND "y"')
    # User text never reaches FTS5 unquoted: remove the quoted words and only syntax is left.
    for query in ['a" OR "b', 'داعش" NOT "x', "NEAR(a b)", 'x*"y', '")(*']:
        expression = fts_query(query)
        bare = "".join(expression.split('"')[0::2])
        assert set(bare.replace("AND", "").replace("OR", "").replace("NOT", "")) <= set(" ()*")


@pytest.mark.parametrize("query", ["NOT", "(", "*", "-", "OR", ")", '"', "داعش (", "داعش )",
                                   "OR داعش OR", "NOT NOT داعش", "((داعش", "داعش -", '"abc',
                                   "- - -", "AND", "ISIS OR", "(OR)", "-(داعش)"])
def test_hostile_input_is_valid_fts5(fts, query):
    fts.execute("select rowid from t where t match ?", [fts_query(query)]).fetchall()


@pytest.mark.parametrize(("query", "text", "note"), [
    ("داعش OR حمرين", "«داعش» أو «حمرين»", None),
    ("داعش -سوريا", "«داعش» دون «سوريا»", None),
    ("(داعش OR القاعدة) كركوك", "(«داعش» أو «القاعدة») و«كركوك»", None),
    ("دول*", "«دول*»", None),
    ("*", "", "وحدها ليست كلمة بحث"),
    ("NOT", "", "NOT بلا كلمة"),
    ("-سوريا", "", "الاستبعاد وحده"),
    ("(داعش", "«داعش»", "قوس فتح بلا إغلاق"),
    ("داعش)", "«داعش»", "قوس إغلاق بلا فتح"),
    ("ISIS", "«ISIS (داعش أو الدولة الإسلامية أو تنظيم الدولة)»", "الأرشيف عربي"),
    ("Fooland", "«Fooland»", "لا نعرف اسماً عربياً"),
    ("Daesh or Kirkuk", None, "اكتب OR بحروف كبيرة"),
])
def test_reading_says_how_the_query_was_read(query, text, note):
    reading = read_query(query)
    if text is not None:
        assert reading.text == text
    if note is None:
        assert reading.notes == ()
    else:
        assert any(note in n for n in reading.notes), reading.notes
    assert reading.empty == (text == "")


def test_excluded_words_are_not_highlighted():
    assert search_items("داعش -سوريا") == [("term", ["داعش"])]
    assert ("phrase", ["كركوك"]) in search_items("Kirkuk")


def test_latin_names():
    assert latin_key("Salah al-Din") == latin_key("salah AL din") == "salah al din"
    assert arabic_for(["Islamic", "State", "fighters"])[0] == 2
    assert arabic_for(["IS"]) is not None and arabic_for(["is"]) is None  # exact case only
    assert arabic_for(["Qwerty"]) is None
