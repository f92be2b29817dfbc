"""snippet_html's fast path (needle pre-filter, sparse window search) equals the plain scan."""

from __future__ import annotations

import html
import random

import pytest

from archive.arabic import _PIECE_RE, _matcher, snippet_html

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
    # ﷺ expands to four words under NFKC: word alignment is lost, the plain scan is used.
    text = "قال ﷺ إن داعش هاجم كركوك"
    assert snippet_html(text, "داعش") == reference(text, "داعش")
    assert "<mark>داعش</mark>" in snippet_html(text, "داعش")
