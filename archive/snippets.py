"""Search-result snippets: a window of the original article text with the query's hits marked.

Built on archive.arabic: a word piece is a hit when ``stem(normalize(piece))`` equals a query
stem (or starts with a prefix term), exactly as search matched it. Finding the hit words without
normalising the whole article is most of this module; ``docs/arabic-search.md`` (section 4)
explains how, and ``tests/archive/test_snippet_window.py`` checks it against the plain
word-by-word scan.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import lru_cache

from archive.arabic import _DELETE_RE, _FOLDS, EXCEPTIONS, stem, tokenize
from archive.query import query_too_long, search_items

__all__ = ["SNIPPET_SCAN_CHARS", "snippet_html"]

# A snippet is looked for in the first SNIPPET_SCAN_CHARS characters of a text only, so its cost
# has a fixed bound however long a stored text is (a news article is well under 50,000).
SNIPPET_SCAN_CHARS = 100_000

# A word piece in ORIGINAL text: letters/digits plus the marks and format characters that
# normalize() deletes, so "الدَّوْلَةُ" or "داعـــش" is one piece, as it is one token.
_PIECE_RE = re.compile(
    r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u0674\u06d6-\u06ed\u0640"
    r"\u08d3-\u08ff\u00ad\u200c-\u200f\u061c])+"
)


@lru_cache(maxsize=65_536)
def _piece_stems(piece: str) -> tuple[str, ...]:
    # Cached: the same surface words recur across a page of results.
    return tuple(stem(t) for t in tokenize(piece))


@lru_cache(maxsize=1024)
def _matcher(query: str) -> Callable[[str], bool] | None:
    """A test of one word piece for a query hit (cached: built once per query, not per row)."""
    items = search_items(query or "")
    exact = {s for kind, stems in items if kind != "prefix" for s in stems}
    prefixes = tuple(stems[0] for kind, stems in items if kind == "prefix")
    if not (exact or prefixes):
        return None

    def hit(piece: str) -> bool:
        return any(s in exact or s.startswith(prefixes) for s in _piece_stems(piece))

    return hit


@lru_cache(maxsize=1024)
def _needles(query: str) -> frozenset[str]:
    """Strings one of which every hit's normalised word contains (for the pre-filters).

    stem() only cuts letters off a normalised token, so a stem (or a prefix term) is a
    substring of the token it came from; the exceptions that rename a word (عمليات → عمليه)
    add their own spelling.
    """
    stems = {s for _, group in search_items(query or "") for s in group if s}
    return frozenset(stems | {k for k, v in EXCEPTIONS.items() if v in stems and k != v})


# What may come between the letters of a needle in the text: any character but a space and
# letters/digits (\w), so every deleted mark and format character but the four that are \w
# (_DELETED_LETTERS: a word holding one is a candidate as it is). A class of more than two
# ranges would take re ~0.3 ms to compile, and a needle has a gap between each two letters.
_GAP = r"[^\w ]*"
_DELETED_LETTERS = tuple(re.compile(c) for c in "\u0640\u0674\u06e5\u06e6")


# Every character that folds to each fold target, the target included ("ه" -> "هةۃۀھہ").
_FOLDED_FROM: dict[str, str] = {
    target: target + "".join(c for c, t in _FOLDS if t == target) for _, target in _FOLDS}
# The only deleted characters that NFKC composes with the letter before them (ا + U+0654 -> أ,
# ہ + U+0654 -> ۂ, which is not folded); no deleted character is changed by NFKC alone.
_COMPOSING_DELETED = ("\u0653", "\u0654", "\u0655")
_MIN_SURFACE_LEN = 3  # letters a shortened needle keeps: "ت" alone would pass most words
# At most this many letters of a needle go into its regex: a try at each position of the text
# costs up to one step per letter (and its gap), so a long needle over a run of one letter
# (" 1111…1 " against "111…12") would cost letters × text. A shorter needle only lets more
# words through to the exact test, which is cached per distinct word.
_MAX_SURFACE_LEN = 8


@lru_cache(maxsize=1024)
def _surface_res(query: str) -> tuple[re.Pattern[str], ...]:
    """The needles as regexes over original (NFKC-normal) text, before deletion and folding.

    Each needle letter matches every character that folds or lower-cases to it, and deleted
    characters may come between the letters (_GAP), so a word piece whose normalised form
    holds a needle matches. Latin needles need IGNORECASE: for every character, each letter
    of its str.lower() matches it under re.IGNORECASE (the tests check all of Unicode, Σ/ς
    and İ included); Arabic letters have no case.
    """
    patterns = []
    for needle in sorted(_needles(query)):
        # re scans fast for a first literal character, slowly for a class or an alternation:
        # so one regex per needle, and the needle's leading folded letters (the ا of ال, أ, إ)
        # are left out while 3 letters remain. A shorter needle only lets more words through.
        lead = next((i for i in range(len(needle) - _MIN_SURFACE_LEN + 1)
                     if needle[i] not in _FOLDED_FROM), 0)
        needle = needle[lead:lead + _MAX_SURFACE_LEN]
        classes = []
        for char in needle:
            sources = _FOLDED_FROM.get(char, char)
            classes.append(re.escape(sources) if len(sources) == 1
                           else "[" + "".join(re.escape(c) for c in sources) + "]")
        caseless = all("\u0600" <= c <= "\u06ff" for c in needle)
        patterns.append(re.compile(_GAP.join(classes), 0 if caseless else re.IGNORECASE))
    return tuple(patterns)


# Arabic presentation forms: NFKC always changes them, so a word holding one is not inert.
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
# A span of joined words that is not NFKC-normal is halved down to this many characters,
# then its words are checked one by one (_candidates).
_MAX_SPAN = 120


def _nfkc_inert(word: str) -> bool:
    """True when NFKC changes nothing in ``word`` that normalize() keeps (see _candidates)."""
    if unicodedata.is_normalized("NFKC", word):
        return True
    # Harakat typed out of canonical order (shadda after fatha) make many words non-normal.
    # NFKC only reorders them if none composes (_COMPOSING_DELETED) and the word is NFKC-
    # normal without them; deleting them afterwards gives the same letters either way.
    return (_PRESENTATION_RE.search(word) is None
            and not any(c in word for c in _COMPOSING_DELETED)
            and unicodedata.is_normalized("NFKC", _DELETE_RE.sub("", word)))


def _add_words(regex: re.Pattern[str], joined: str, found: set[int]) -> None:
    """Add to ``found`` the index of each word of ``joined`` where ``regex`` matches."""
    word = pos = 0
    for m in regex.finditer(joined):
        word += joined.count(" ", pos, m.start())  # words are joined by single spaces
        pos = m.start()
        found.add(word)


def _candidates(all_words: list[str], query: str) -> Iterable[int]:
    """Ascending indices of the words that may hold a query hit: a superset of the hits.

    A hit is tested word piece by word piece, and normalize() is NFKC, then deletion,
    folding and lower-casing. In an NFKC-inert word (and then in each piece of it: a
    substring of an NFKC-normal string is NFKC-normal) the NFKC changes no kept letter, so a
    piece whose normalised form holds a needle matches a _surface_res regex where it stands,
    unless one of _DELETED_LETTERS splits the needle. Words holding one of those, and words
    that are not inert, are candidates as they are: NFKC works span by space-separated span,
    so halving the spans that are not NFKC-normal finds those few words quickly.
    """
    regexes = _surface_res(query)
    if not regexes:
        return range(len(all_words))
    joined = " ".join(all_words)
    found: set[int] = set()
    for regex in regexes:
        _add_words(regex, joined, found)
    for letter in _DELETED_LETTERS:
        if letter.pattern in joined:
            _add_words(letter, joined, found)
    spans = [(0, len(joined), 0)]  # (start, end, index of its first word) in joined
    while spans:
        lo, hi, first = spans.pop()
        span = joined[lo:hi]
        if unicodedata.is_normalized("NFKC", span):
            continue
        middle = span.find(" ", len(span) // 2)
        if middle < 0:
            middle = span.rfind(" ")
        if len(span) > _MAX_SPAN and middle >= 0:
            spans.append((lo, lo + middle, first))
            spans.append((lo + middle + 1, hi, first + span.count(" ", 0, middle) + 1))
        else:
            found.update(first + i for i, w in enumerate(span.split(" ")) if not _nfkc_inert(w))
    return sorted(found)


def _hits(all_words: list[str], query: str,
          hit: Callable[[str], bool]) -> tuple[list[int], set[str]]:
    """Ascending indices of the words holding a query hit, and those words."""
    seen: dict[str, bool] = {}  # words repeat a lot within one article
    positions = []
    for i in _candidates(all_words, query):
        w = all_words[i]
        if w not in seen:
            seen[w] = any(hit(p) for p in _PIECE_RE.findall(w))
        if seen[w]:
            positions.append(i)
    return positions, {w for w, found in seen.items() if found}


def _render(word: str, hit: Callable[[str], bool]) -> str:
    out, last = [], 0
    for m in _PIECE_RE.finditer(word):
        if hit(m.group()):
            out.append(html.escape(word[last : m.start()]))
            out.append("<mark>" + html.escape(m.group()) + "</mark>")
            last = m.end()
    out.append(html.escape(word[last:]))
    return "".join(out)


def _render_window(window: list[str], hit_words: set[str], hit: Callable[[str], bool]) -> str:
    """The window's words, space-joined, escaped, with the hits in the hit words marked."""
    # html.escape leaves spaces alone, so a run of plain words is escaped in one call.
    out, plain = [], []
    for w in window:
        if w in hit_words:
            if plain:
                out.append(html.escape(" ".join(plain)))
                plain = []
            out.append(_render(w, hit))
        else:
            plain.append(w)
    if plain:
        out.append(html.escape(" ".join(plain)))
    return " ".join(out)


def _scanned_words(text: str) -> tuple[list[str], bool]:
    """The words of the first SNIPPET_SCAN_CHARS characters, and whether words follow them."""
    if len(text) <= SNIPPET_SCAN_CHARS:
        return text.split(), False
    head = text[:SNIPPET_SCAN_CHARS]
    all_words = head.split()
    if all_words and not head[-1].isspace() and not text[SNIPPET_SCAN_CHARS].isspace():
        all_words.pop()  # cut in the middle: the word's tail is beyond the limit
        return all_words, True
    return all_words, not text[SNIPPET_SCAN_CHARS:].isspace()


def snippet_html(text: str, query: str, words: int = 30) -> str:
    """Return an HTML-escaped window of ``text`` with the most query hits, hits in <mark>.

    Hits are looked for in the first SNIPPET_SCAN_CHARS characters; a query past the limits
    of archive.query (query_too_long) has no hits: the text's first words are returned.
    """
    all_words, more = _scanned_words(text or "")
    words = max(1, words)
    hit = None if query_too_long(query) else _matcher(query or "")
    start = 0
    hit_words: set[str] = set()
    if hit is not None:
        positions, hit_words = _hits(all_words, query or "", hit)
        if positions:
            # The window with most hits wins, earliest on ties. Counts only change where a hit
            # enters or leaves, so the windows starting at 0 or just reaching a hit suffice.
            last = max(0, len(all_words) - words)
            best = 0
            for s in sorted({0} | {min(max(0, h - words + 1), last) for h in positions}):
                count = bisect_left(positions, s + words) - bisect_left(positions, s)
                if count > best:
                    best, start = count, s
            # Centre the hits of the chosen window so they get context on both sides.
            inside = positions[bisect_left(positions, start):bisect_left(positions, start + words)]
            middle = (inside[0] + inside[-1]) // 2
            start = max(0, min(len(all_words) - words, middle - (words - 1) // 2))
    end = min(len(all_words), start + words)
    if hit is not None and hit_words:
        body = _render_window(all_words[start:end], hit_words, hit)
    else:
        body = html.escape(" ".join(all_words[start:end]))
    return ("… " if start > 0 else "") + body + (" …" if end < len(all_words) or more else "")
