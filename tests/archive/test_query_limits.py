"""A query's cost is bounded: limits on its size, and snippets linear in the stored text."""

from __future__ import annotations

import random
import time

import pytest

from archive.query import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    MAX_WORD_LETTERS,
    QUERY_LIMITS_MESSAGE,
    fts_query,
    query_too_long,
)
from archive.snippets import SNIPPET_SCAN_CHARS, snippet_html
from tests.archive.test_snippet_window import WORDS, reference


def timed(func, *args) -> tuple[float, object]:
    """Seconds func(*args) took, and its result."""
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


def test_limits_refuse_only_what_no_real_query_reaches():
    longest_words = "والاستخباراتية والاستراتيجيات فسيستخدمونها الإسلامية"
    assert not query_too_long(longest_words)
    assert not query_too_long(" ".join(["داعش"] * MAX_QUERY_WORDS))
    assert query_too_long(" ".join(["داعش"] * (MAX_QUERY_WORDS + 1)))
    assert not query_too_long("ب" * MAX_WORD_LETTERS)
    assert query_too_long("ب" * (MAX_WORD_LETTERS + 1))
    # Marks normalize() deletes do not count as letters; characters do.
    assert not query_too_long("بَ" * MAX_WORD_LETTERS)
    assert query_too_long("ب " * (MAX_QUERY_CHARS // 2) + "ب")
    assert not query_too_long("") and not query_too_long(None)
    for limit in (MAX_QUERY_CHARS, MAX_QUERY_WORDS, MAX_WORD_LETTERS):
        assert str(limit) in QUERY_LIMITS_MESSAGE
    assert "البحث طويل" in QUERY_LIMITS_MESSAGE and "Search too long" in QUERY_LIMITS_MESSAGE


def test_a_query_past_the_limits_matches_nothing_at_once():
    attack = "ي" * 5000 + "ب" + "ي" * 4999
    seconds, match = timed(fts_query, attack)
    assert match == '""' and seconds < 0.05
    assert fts_query("الدولة الإسلامية") == '"دوله" "اسلام"'


def test_snippet_of_a_query_past_the_limits_is_the_start_and_instant():
    text = "أعلن تنظيم الدولة الإسلامية " + ("1" * 5000 + " ") * 20
    seconds, out = timed(snippet_html, text, "1" * 4999 + "2")
    assert seconds < 0.05  # was 5.4 s (issue 15, item 6)
    assert "<mark>" not in out and out.startswith("أعلن تنظيم")


@pytest.mark.parametrize("letter", ["1", "س", "١"])
def test_snippet_is_linear_in_a_run_of_one_letter(letter):
    # The longest query word allowed, against 100,000 characters of the same letter: each try
    # of the needle regex stops after a few letters, not after the whole needle.
    query = letter * (MAX_WORD_LETTERS - 1) + "2"
    text = (letter * 20_000 + " ") * 5
    seconds, out = timed(snippet_html, text, query)
    assert "<mark>" not in out
    assert seconds < 0.5, seconds  # ≈ 20 ms; was 0.22–4 s with every letter in the regex
    small, _ = timed(snippet_html, (letter * 2_000 + " ") * 5, query[:-1] + "3")
    assert seconds < 25 * max(small, 0.002)  # 10× the text, not 100× the time


def test_long_query_words_still_mark_exactly_what_the_plain_scan_marks():
    # Needles longer than the regex keeps (8 letters) go through the exact test unchanged.
    rnd = random.Random(15)
    words = [*WORDS, "والاستخبارات", "الاستخباراتية", "الاستخبارات", "للاستخبارات,",
             "المستشفيات", "المستشفى", "الاستراتيجية"]
    for query in ("الاستخبارات", "استخباراتي*", "المستشفيات الاستراتيجية", "الاستخباراتية"):
        for _ in range(20):
            text = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 200)))
            assert snippet_html(text, query) == reference(text, query), (query, text)


def test_snippet_looks_at_a_bounded_head_of_the_text():
    filler = "وقالت مصادر محلية إن الوضع هادئ. "
    head = filler * (SNIPPET_SCAN_CHARS // len(filler) - 10)
    near = head + "حمرين " + filler * 10
    assert "<mark>حمرين</mark>" in snippet_html(near, "حمرين")
    far = near + filler * 50 + "كركوك " + filler * 1000
    out = snippet_html(far, "كركوك")
    assert "<mark>" not in out and out.endswith(" …")  # beyond the scanned head
    # Cut in the middle of a word: that word is not taken for the whole one.
    pad = "ب " * (SNIPPET_SCAN_CHARS // 2 - 2) + " "
    assert len(pad) + 3 == SNIPPET_SCAN_CHARS  # the limit falls after حمر of حمرين
    assert "<mark>حمر</mark>" in snippet_html(pad + "حمر", "حمر")
    assert "<mark>" not in snippet_html(pad + "حمرين", "حمر")
    assert snippet_html(pad + "حمرين", "ب").endswith("</mark> …")
    seconds, _ = timed(snippet_html, filler * 20_000, "مصادر")
    assert seconds < 0.5, seconds
