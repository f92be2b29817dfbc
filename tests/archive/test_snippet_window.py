"""snippet_html's fast path (needle pre-filter, sparse window search) equals the plain scan."""

from __future__ import annotations

import html
import random
import re
import sys
import unicodedata

import pytest

from archive.arabic import _DELETE_RE, _FOLDS, normalize
from archive.snippets import (
    _COMPOSING_DELETED,
    _DELETED_LETTERS,
    _GAP,
    _PIECE_RE,
    _candidates,
    _matcher,
    _nfkc_inert,
    _surface_res,
    snippet_html,
)

WORDS = ("قالت قيادة العمليات المشتركة إنَّ القوات الأمنية نفّذت عمليةً في حوض حمرين، وعثرت "
         "على مخبأٍ لتنظيم «داعش» كان يُستخدم في الهجمات على قرى ديالى وكركوك. وأضاف البيان "
         "أن الدولـــة الإسلامية فقدت ٣ من قادتها، وأن عمليات التفتيش مستمرة في صلاح الدين "
         "والأنبار. ﷺ ﻻ ٢٠٢٠ Reuters كاميرات المراقبة رصدت الدوريات قرب الدوري REUTERS "
         "داعـش دا‌عش الدوله الاسلاميه مسؤول مسئول إلى الى الي ی کرکوک عملیات ۲۰۲۰ "
         "(داعش) ،كركوك؛ «حمرين» آمر أمر").split()
QUERIES = ["داعش", "الدولة الإسلامية", '"الدولة الإسلامية"', "عمليات", "عملية", "الدو*",
           "كركوك حمرين", "٢٠٢٠", "2020", "كاميرا", "دورية", "لا", "reuters", "موسكو", "و"]


def reference(text: str, query: str, words: int = 30) -> str:
    """The plain algorithm: test every word, slide a window over all of them."""
    all_words = text.split()
    words = max(1, words)
    hit = _matcher(query)
    start = 0
    if hit is not None:
        flags = [any(hit(p) for p in _PIECE_RE.findall(w)) for w in all_words]
        best = current = sum(flags[:words])
        for i in range(1, max(1, len(flags) - words + 1)):
            current += flags[i + words - 1] - flags[i - 1]
            if current > best:
                best, start = current, i
        if best:
            inside = [i for i in range(start, start + words) if i < len(flags) and flags[i]]
            middle = (inside[0] + inside[-1]) // 2
            start = max(0, min(len(flags) - words, middle - (words - 1) // 2))
    end = min(len(all_words), start + words)

    def render(w: str) -> str:
        out, last = [], 0
        for m in _PIECE_RE.finditer(w):
            if hit(m.group()):
                out += [html.escape(w[last:m.start()]), f"<mark>{html.escape(m.group())}</mark>"]
                last = m.end()
        return "".join(out) + html.escape(w[last:])

    body = " ".join(render(w) if hit else html.escape(w) for w in all_words[start:end])
    return ("… " if start > 0 else "") + body + (" …" if end < len(all_words) else "")


@pytest.mark.parametrize("seed", range(40))
def test_fast_snippet_equals_the_plain_scan(seed):
    rnd = random.Random(seed)
    text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 400)))
    for query in QUERIES:
        for words in (1, 5, 30, 500):
            assert snippet_html(text, query, words) == reference(text, query, words), (query, words)


def test_ligature_text_falls_back_and_still_marks():
    # ﷺ expands to four words under NFKC: not NFKC-inert, so that word is tested as it is.
    text = "قال ﷺ إن داعش هاجم كركوك"
    assert snippet_html(text, "داعش") == reference(text, "داعش")
    assert "<mark>داعش</mark>" in snippet_html(text, "داعش")


def test_word_emptied_by_deletion_does_not_shift_the_hits():
    # A word of tatweel only vanishes from the normalised text and ZWSP splits a word in two:
    # counting normalised words would point one word off, the surface regex does not.
    text = "ـــ داعش\u200bكركوك ثم قال"
    assert snippet_html(text, "داعش") == reference(text, "داعش")
    assert "<mark>داعش</mark>" in snippet_html(text, "داعش")


# Spellings that put each step of normalize() to work: harakat in and out of canonical order
# (shadda after fatha), marks that NFKC composes (ا + U+0654 -> أ, ہ + U+0654 -> ۂ), high hamza
# letters, presentation forms and ligatures (ﻻ ﷲ ﷺ ﻷ), tatweel, ZWNJ/ZWJ, bidi marks and
# embeddings, BOM, soft hyphen, ZWSP, a word that is only deleted characters, NBSP inside a
# "word", digits of three scripts, case (REUTERS, İstanbul, ΟΔΟΣ, Kelvin sign), Latin
# ligature and full-width letters.
HARD_WORDS = ("الدَّوْلَةُ الدّولة الدَّولة ﺍﻟﺪﻭﻟﺔ ﺩﺍﻋﺶ داعـــش دا\u200cعش دا\u200dعش \u200fداعش\u200f "
              "\u202bداعش\u202c \ufeffداعش دا\u00adعش داعش\u200bكركوك ـــ \u064e\u0651 "
              "ا\u0654مر ا\u0653من \u0675من ہ\u0654 ۂ ہ ۀ ە\u0654 كركوك، «داعش» ﻻ ﻷمن ﷲ ﷺ "
              "عبدﷲ ٢٠٢٠ ۲۰۲۰ 2020 ²⁰ REUTERS Reuters reuters İstanbul istanbul ΟΔΟΣ οδος "
              "\u212aelvin kelvin ﬁnal final Ｒｅｕｔｅｒｓ الأمم\u00a0المتحدة مسؤول مسئول الى إلى "
              "عمليات عمليّات ولاية کرکوک الحوثيين والحوثيون e\u0301 é ᄀ\u200cᅡ 가").split(" ")
HARD_QUERIES = ["داعش", "الدولة", '"الدولة الإسلامية"', "أمر", "امن", "ہ", "ۂ", "ه", "كركوك",
                "٢٠٢٠", "2020", "20", "reuters", "istanbul", "i", "οδος", "ΟΔΟΣ", "kelvin",
                "final", "الله", "عبدالله", "لا", "لامن", "المتحدة", "مسئول", "الى", "عمليات",
                "ولاي*", "الحو*", "é", "e", "가", "ᅡ", "الأمم المتحدة"]


@pytest.mark.parametrize("seed", range(30))
def test_fast_snippet_equals_the_plain_scan_on_hard_spellings(seed):
    rnd = random.Random(seed)
    words = HARD_WORDS + WORDS
    text = rnd.choice([" ", "\n", "  ", "\u00a0"]).join(
        rnd.choice(words) for _ in range(rnd.randint(1, 300)))
    for query in HARD_QUERIES:
        for words_shown in (1, 7, 30):
            assert snippet_html(text, query, words_shown) == reference(text, query, words_shown), \
                (query, words_shown)


# Characters to build random words from: letters and their folded spellings, every kind of
# deleted character, presentation forms, NFKC-composing marks, digits, cased letters.
ALPHABET = ("ابتثجحخدذرزسشصضطظعغفقكلمنهوي" "أإآٱٲٳىیکڪةۃۀھہؤئء" "ەۂ" "\u0675\u0676\u0677\u0678"
            "\u064b\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670\u0674\u0610"
            "\u06d6\u06ed\u08d3\u08f0\u08e2\u0640\u200c\u200d\u200e\u200f\u061c\u00ad"
            "\u202a\u202c\u2066\u2069\ufeff\u200b" "\ufe8d\ufe8e\ufedf\ufefb\ufef7\ufdf2\ufdfa"
            "٠١٢۰۱۲012" "aeiksAEIKSİıΣσςK\u0301éﬁＡ²" "،«»")


def _random_word(rnd: random.Random) -> str:
    return "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(1, 8)))


def _hit_word(word: str, query: str) -> bool:
    hit = _matcher(query)
    return hit is not None and any(hit(p) for p in _PIECE_RE.findall(word))


@pytest.mark.parametrize("seed", range(4))
def test_candidates_hold_every_hit_word(seed):
    # The pre-filter may let through words without a hit, never drop one with a hit. Queries
    # are taken from the words themselves (a slice, a prefix term) so that most of them hit.
    rnd = random.Random(seed)
    hits = 0
    for _ in range(1500):
        word = _random_word(rnd)
        start = rnd.randint(0, len(word) - 1)
        query = word[start:start + rnd.randint(1, 6)] + rnd.choice(["", "", "*"])
        words = [_random_word(rnd), word, _random_word(rnd)]
        found = _candidates(words, query)
        for i, w in enumerate(words):
            if _hit_word(w, query):
                hits += 1
                assert i in found, (words, query)
    assert hits > 500  # most queries do hit


@pytest.mark.parametrize("seed", range(4))
def test_nfkc_inert_words_normalise_without_nfkc(seed):
    # What _candidates relies on: in an NFKC-inert word, NFKC changes no letter that
    # normalize() keeps, so each piece normalises the same with its deleted characters gone
    # first (normalize() then finds the piece NFKC-normal).
    rnd = random.Random(seed)
    inert = 0
    for _ in range(3000):
        word = _random_word(rnd)
        if _nfkc_inert(word):
            inert += 1
            for piece in _PIECE_RE.findall(word):
                assert normalize(piece) == normalize(_DELETE_RE.sub("", piece)), piece
    assert inert > 300


def test_surface_regexes_match_folded_and_cased_spellings():
    def words(query: str, text: str) -> list[int]:
        return list(_candidates(text.split(), query))

    assert words("الاتفاق", "x الإتّفاق y") == [1]
    assert words("عمليات", "عملیات عمليّات") == [0, 1]
    assert words("reuters", "REUTERS Ｒeuters x") == [0, 1]  # full-width Ｒ: not NFKC-inert
    assert words("οδος", "ΟΔΟΣ") == [0]  # final sigma: "ΟΔΟΣ".lower() ends in ς
    assert words("istanbul", "İstanbul") == [0]
    assert words("٢٠١٥", "2015 ۲۰۱۵ ٢٠١٥ 2016") == [0, 1, 2]
    # Leading folded letters are left out of the regex: "[ا…]نفجار" is scanned as "نفجار".
    assert [r.pattern[0] for r in _surface_res("انفجار")] == ["ن"]


# --- properties of Unicode and of normalize()'s tables that the surface regexes rely on ----

_CODEPOINTS = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]


def test_lowercase_letters_match_their_capitals_under_ignorecase():
    # _surface_res compiles Latin (any non-Arabic) needles with re.IGNORECASE and Arabic ones
    # without: every letter of a lower-cased character must match it under IGNORECASE, no
    # character lower-cases into the Arabic block, and none into two letters (a needle's
    # letters come from distinct characters of the text).
    for char in _CODEPOINTS:
        lower = char.lower()
        if lower == char:
            continue
        letters = [c for c in lower if c.isalnum()]
        assert len(letters) <= 1, hex(ord(char))
        for c in letters:
            assert re.fullmatch(re.escape(c), char, re.IGNORECASE), hex(ord(char))
            assert not "\u0600" <= c <= "\u06ff", hex(ord(char))
    assert re.fullmatch("ς", "Σ", re.IGNORECASE)  # "ΟΔΟΣ".lower() == "οδος"


def test_deleted_characters_fill_gaps_and_nfkc_leaves_them_but_the_composing_ones():
    # _nfkc_inert: NFKC changes no deleted character on its own and composes none with a
    # neighbour but U+0653-U+0655 (texts holding those take the per-word check).
    deleted = {c for c in _CODEPOINTS if _DELETE_RE.fullmatch(c)}
    assert set(_COMPOSING_DELETED) <= deleted
    # The gap of a surface needle holds any run of them but _DELETED_LETTERS (letters, as
    # the gap holds none), and never a space: a match stays inside one word.
    letters = {r.pattern for r in _DELETED_LETTERS}
    assert re.fullmatch(_GAP, "".join(sorted(deleted - letters)))
    assert all(c.isalnum() for c in letters) and letters < deleted
    assert not re.search(_GAP.removesuffix("*"), " ")
    for char in deleted:
        assert unicodedata.normalize("NFKC", char) == char, hex(ord(char))
        assert not char.isspace()
    composing = set()
    for char in _CODEPOINTS:
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<"):
            parts = {chr(int(h, 16)) for h in decomposition.split()}
            composing |= parts & deleted
    assert composing == set(_COMPOSING_DELETED)
    # A needle letter's class holds no whitespace either, and no fold target is itself folded.
    assert not any(c.isspace() for c, t in _FOLDS if t.isalnum())
    assert not {t for _, t in _FOLDS} & {c for c, _ in _FOLDS}
