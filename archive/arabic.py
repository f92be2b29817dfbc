"""Arabic normalisation and light stemming for Arshif search.

One module, used everywhere text is compared: the FTS index (``index_text``), every search
query (``archive.query``), result snippets (``archive.snippets``, built on these functions), topic
matching and de-duplication. Index and query MUST go through the same functions, so change the
rules here only together with a full re-index. ``docs/arabic-search.md`` has the same rules as
a table.

Normalisation (``normalize``), applied in this order
-----------------------------------------------------
``fold`` is steps 1-5 alone, for readers that need Latin case and spacing (dates).

1. Unicode NFKC: presentation forms (U+FB50-U+FEFF, e.g. the lam-alef ligature) become base
   letters, NBSP and full-width characters become plain ones.
2. Deleted: harakat U+064B-U+065F, superscript alef U+0670, Quranic signs U+0610-U+061A and
   U+06D6-U+06ED, extended-Arabic combining marks in U+08D3-U+08FF, high hamza U+0674,
   tatweel U+0640, and invisible format characters (ZWNJ, ZWJ, LRM/RLM, ALM U+061C,
   bidi embeddings/isolates, soft hyphen, BOM). ZWSP U+200B becomes a space.
3. Letter folding: أ إ آ ٱ ٲ ٳ -> ا ; ى ی(U+06CC) -> ي ; ک(U+06A9) ڪ -> ك ; ة ۃ -> ه ;
   ۀ ھ ہ -> ه ; ؤ -> و ; ئ -> ي. Standalone hamza ء is kept (ماء, شيء).
   Why ئ -> ي: ئ sits on a yeh seat and is routinely typed as ي (مسائل/مسايل, قائد/قايد);
   folding it like ى keeps one rule for "yeh-like" letters.
4. Digits: Arabic-Indic ٠-٩ and Persian ۰-۹ -> 0-9.
5. Punctuation to ASCII: ، -> , ; ؛ -> ; ; ؟ -> ? ; ٪ -> % ; ٫ -> . ; ٬ -> , ; ۔ -> . ;
   « » “ ” „ ‟ ″ -> " ; ‘ ’ ‚ ‛ ‹ › ′ -> ' ; dashes ‐ ‑ ‒ – — ― − -> - ; ﴾ ﴿ -> ( ).
6. Lower-case (Latin), collapse whitespace runs to one space, strip.

Tokens (``tokenize``) are maximal runs of Unicode letters/digits (``[^\\W_]``), which is what
FTS5 ``unicode61`` treats as token characters (categories L*, N*); everything else, including
``_``, is a separator, so the space-joined index text is split identically by SQLite.

Light stemming (``stem``) on one normalised token
-------------------------------------------------
Tokens shorter than 3 letters, non-Arabic tokens (digits, Latin) are returned unchanged.
``EXCEPTIONS`` fixes the stem of a few words: frequent names that begin with a proclitic letter
or end like a suffix (الله بغداد كركوك لبنان فلسطين حمرين بعقوبه بيروت واشنطن كتايب طالبان), and
topic words that light stemming would merge with unrelated ones (دوله vs دولي "international",
عمليه/عمليات vs عمل "work", دوريه/دوريات vs دوري "league", شرطه vs شرط, منطقه vs منطق,
كاميرا/كاميرات vs امير). If the token -- at the start or after any suffix removal in step B -- is
an exception, optionally preceded by a proclitic sequence (an article combination of step A, or
one or two of و ف ب ك ل), its fixed stem is returned (وبغداد, البغدادي -> بغداد; كدولة -> دوله).
Otherwise, in this order:

A. Article + proclitic: remove the first matching one of
   وبال وكال فبال فكال ولل فلل وال فال بال كال لل ال  -- only if >= 3 letters remain.
   (``الان`` therefore stays whole; ``الله`` is protected because step B would take its ه.)
B. Suffixes, repeatedly (at most 3 times), longest match first, each with a minimum remainder:
   هما ها هم نا ين ون ات وا يه ه ي ا -> >= 3 letters ; ان كم و -> >= 4 letters
   (final و is the construct plural: مسلحو التنظيم -> مسلح).
   ``يه`` and ``ي`` are NOT removed right after ``ا`` (ولاية -> ولاي, not ولا; نهائي -> نهاي),
   because there the ي is a root letter. Final ``ا`` covers accusative tanween (مسلحاً -> مسلح).
C. Single proclitic letters و ف ب ل (not ك: "like" + noun is rare in news, and كامل, كاتب are
   not ك + word), repeatedly, only while >= 4 letters remain (also after
   step A). Repeating makes every form of a word agree: بريطانيا, وبريطانيا, لبريطانيا and
   البريطانية all reduce the same way, and so do ولاية/الولاية/لولاية. The 4-letter floor keeps
   the first letter of short words in which it is a root letter (وزير, فريق, بيان, كانت, لجنة,
   كبير, كتاب), so they are not merged with unrelated words (زير, ريق, يان, انت, جنة, بئر,
   تاب). Trade-off: و + 3-letter word (وقتل) is not reduced to قتل.

Known, accepted collisions of light stemming: على/علي (from ى->ي), عشرين/عشر, مدنيين/مدن,
a proclitic before a short word ending in ة (ودولة is fixed by the exception list, but e.g.
ووادي keeps its و because the 4-letter floor is checked after the suffix is gone: checking it
before would cut وزارة, وكالة, وثيقة to زار, كال, ثيق). The exception list avoids the worst
cases for this project's topic.

Queries (``fts_query``)
-----------------------
The query is normalised (so « » “ ” become ``"``), split on ``"`` into bare and quoted parts
(an unbalanced last quote is ignored), tokenised and stemmed. Bare tokens become ``"stem"``
terms (implicit AND), quoted parts become one FTS5 phrase ``"stem stem"``, a bare token typed
with a trailing ``*`` (2+ letters) becomes a prefix term ``"stem"*`` (a leading article is
dropped first when 2+ letters remain: الموص* -> "موص"*). Every FTS5 operator
character is a separator and every term is double-quoted, so AND/OR/NOT/NEAR, ``col:``, ``^``,
``-``, brackets and stray quotes are plain words or nothing. No terms -> ``""`` (matches nothing).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "PROTECTED",
    "fold",
    "index_text",
    "normalize",
    "stem",
    "tokenize",
]

# --- normalisation table -------------------------------------------------------------------


def _build_tables() -> tuple[re.Pattern[str], tuple[tuple[str, str], ...]]:
    deleted = [
        *range(0x0610, 0x061B),  # Quranic honorifics / small high letters
        *range(0x064B, 0x0660),  # harakat: tanween, fatha..sukun, maddah, hamza above/below...
        0x0670,  # superscript (dagger) alef
        0x0674,  # high hamza (left over by NFKC from U+0675-U+0678)
        *range(0x06D6, 0x06EE),  # Quranic annotation signs
        0x0640,  # tatweel / kashida: pure elongation
        0x061C,  # Arabic letter mark
        0x00AD,  # soft hyphen
        0x200C,  # ZWNJ: used to break joining inside a word, so deleting keeps the word whole
        0x200D,  # ZWJ
        0x200E,  # LRM
        0x200F,  # RLM
        *range(0x202A, 0x202F),  # bidi embeddings / overrides
        *range(0x2066, 0x206A),  # bidi isolates
        0xFEFF,  # BOM / zero-width no-break space
    ]
    # Extended-Arabic combining marks (U+08D3-U+08FF) are harakat variants, drop them too.
    deleted += [c for c in range(0x08D3, 0x0900) if unicodedata.category(chr(c)) == "Mn"]
    delete_re = re.compile("[" + "".join(re.escape(chr(c)) for c in deleted) + "]+")
    groups = {
        "أإآٱٲٳ": "ا",
        "ىی": "ي",  # alef maqsura and Persian yeh are written for ي interchangeably
        "کڪ": "ك",
        "ةۃۀھہ": "ه",  # ta marbuta is routinely typed as ه
        "ؤ": "و",
        "ئ": "ي",  # see module docstring: yeh-seated hamza folds like ى
        "،٬": ",",
        "؛": ";",
        "؟": "?",
        "٪": "%",
        "٫۔": ".",
        "«»“”„‟″": '"',  # so «...» and “...” work as phrase quotes in queries
        "‘’‚‛‹›′": "'",
        "‐‑‒–—―−": "-",
        "﴾": "(",
        "﴿": ")",
        "\u200b": " ",  # ZWSP separates words
    }
    folds = [(ch, target) for chars, target in groups.items() for ch in chars]
    for i in range(10):
        folds.append((chr(0x0660 + i), str(i)))  # Arabic-Indic digits
        folds.append((chr(0x06F0 + i), str(i)))  # Persian (extended Arabic-Indic) digits
    return delete_re, tuple(folds)


# No target of a fold is itself folded, so the order of the replacements does not matter.
# A regex + str.replace chain is ~5x faster than str.translate with a dict on Arabic text.
_DELETE_RE, _FOLDS = _build_tables()
# Letters and digits, not underscore: exactly the FTS5 unicode61 token characters (L*, N*).
_TOKEN_RE = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Normalisation steps 1-5 only (no lower-casing, spacing kept), for parsers such as dates."""
    text = _DELETE_RE.sub("", unicodedata.normalize("NFKC", text))
    for char, target in _FOLDS:
        if char in text:
            text = text.replace(char, target)
    return text


def normalize(text: str) -> str:
    """Return ``text`` NFKC-normalised, de-diacritised, letter/digit/punctuation-folded."""
    return " ".join(fold(text).lower().split())


def tokenize(text: str) -> list[str]:
    """Normalise ``text`` and split it into letter/digit tokens as FTS5 unicode61 would."""
    return _TOKEN_RE.findall(normalize(text))


# --- stemming -------------------------------------------------------------------------------

# Normalised words whose stem is fixed: frequent names that look prefixed/suffixed but are not,
# and topic words that light stemming would merge with unrelated words.
EXCEPTIONS: dict[str, str] = {
    "الله": "الله",  # حزب الله, عبد الله: would lose its final ه
    "بغداد": "بغداد",
    "كركوك": "كركوك",
    "لبنان": "لبنان",
    "فلسطين": "فلسطين",
    "حمرين": "حمرين",
    "بعقوبه": "بعقوبه",
    "بيروت": "بيروت",
    "واشنطن": "واشنطن",
    "كتايب": "كتايب",  # كتائب (brigades) would otherwise become تايب (repentant)
    "طالبان": "طالبان",  # not the dual of طالب (student)
    "داعش": "داعش",  # so كداعش, لداعش, وداعش all reach it
    # The topic's key word: الدولة (the State, تنظيم الدولة) must not meet الدولي/دولية
    # ("international", which the nisba rule reduces to دول).
    "دوله": "دوله",
    "عمليه": "عمليه",  # a (military) operation, not العمل (work) or العملات (currencies)
    "عمليات": "عمليه",
    "دوريه": "دوريه",  # a patrol, not الدوري (the football league) or الدور (a role)
    "دوريات": "دوريه",
    "شرطه": "شرطه",  # the police, not شرط (a condition)
    "منطقه": "منطقه",  # an area, not منطق (logic)
    "كاميرا": "كاميرا",  # would lose its ا, then ك, and become امير (emir)
    "كاميرات": "كاميرا",
}
PROTECTED = frozenset(EXCEPTIONS)

# Article with optional proclitics, longest first so وبال wins over بال and ال.
_ARTICLES = ("وبال", "وكال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
# ك is not stripped alone: "like" + noun is rare in news, and كامل, كاتب, كاميرا are not ك + word.
_PROCLITIC_LETTERS = frozenset("وفبل")
# Every proclitic sequence that may precede a protected word.
_PROTECT_PREFIXES = _ARTICLES + ("وب", "وك", "ول", "فب", "فك", "فل", "و", "ف", "ب", "ك", "ل")
# (suffix, minimum letters that must remain), longest suffixes first.
_SUFFIXES = (
    ("هما", 3),
    ("ها", 3),
    ("هم", 3),
    ("نا", 3),
    ("ين", 3),
    ("ون", 3),
    ("ات", 3),
    ("وا", 3),
    ("يه", 3),
    ("ان", 4),  # dual; 4 keeps ايران, طيران, عمران whole
    ("كم", 4),  # 4 keeps محاكم from becoming محا
    ("ه", 3),
    ("ي", 3),
    ("ا", 3),
    ("و", 4),  # construct plural: مسلحو التنظيم -> مسلح
)
_MIN_ARTICLE_REST = 3
_MIN_PROCLITIC_REST = 4
_MAX_SUFFIXES = 3


def _is_arabic(token: str) -> bool:
    return "\u0621" <= token[0] <= "\u064a"


def _protected(token: str) -> str | None:
    if token in EXCEPTIONS:
        return EXCEPTIONS[token]
    for prefix in _PROTECT_PREFIXES:
        if token.startswith(prefix) and token[len(prefix) :] in EXCEPTIONS:
            return EXCEPTIONS[token[len(prefix) :]]
    return None


def _strip_suffix(token: str) -> str | None:
    for suffix, min_rest in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= min_rest:
            rest = token[: -len(suffix)]
            # ي after ا is a root letter (ولاية, نهاية, جنائي), not a nisba/pronoun ending.
            if suffix in ("يه", "ي") and rest.endswith("ا"):
                continue
            return rest
    return None


@lru_cache(maxsize=262_144)
def stem(token: str) -> str:
    """Light-stem one normalised token (rules in the module docstring)."""
    if len(token) < 3 or not _is_arabic(token):
        return token
    kept = _protected(token)
    if kept is not None:
        return kept
    for article in _ARTICLES:
        if token.startswith(article):
            if len(token) - len(article) >= _MIN_ARTICLE_REST:
                token = token[len(article) :]
            break  # only the longest matching article is considered
    for _ in range(_MAX_SUFFIXES):
        shorter = _strip_suffix(token)
        if shorter is None:
            break
        token = shorter
        kept = _protected(token)
        if kept is not None:
            return kept
    while token[0] in _PROCLITIC_LETTERS and len(token) - 1 >= _MIN_PROCLITIC_REST:
        token = token[1:]
        if token in EXCEPTIONS:
            return EXCEPTIONS[token]
    return token


def index_text(text: str) -> str:
    """Return the normalised, stemmed, space-joined tokens stored in the FTS table."""
    return " ".join([stem(t) for t in tokenize(text)])
