"""Keep Arabic articles; reject Persian, Urdu, Sorani Kurdish, Pashto and non-Arabic-script text.

Statistical detectors confuse the languages written in Arabic script, especially on short
text (langdetect calls many short Arabic strings Persian). So the decision starts from the
script itself: letters Arabic never uses (پ چ ژ گ, ے ں ٹ, ۆ ێ ڵ, ټ ښ ګ …) name the language,
and for Arabic-script text without such letters, function words and the Arabic article
"ال" decide, with langdetect as a tie-breaker that is only trusted on long text. The page's
html lang attribute is deliberately ignored: Arabic sites often ship lang="en-US".
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import DropItem

__all__ = ["LanguagePipeline", "LanguageResult", "detect_language"]


@dataclass(frozen=True)
class LanguageResult:
    """Detected language code, confidence in 0..1 and a short human explanation."""

    lang: str  # "ar", "fa", "ur", "ckb", "ps", "en", ... or "und"
    score: float  # confidence 0..1
    reason: str  # e.g. "script: 3.1% Persian letters (پ چ ژ گ ک ی)"


# Letters a language uses and Arabic does not. Only "strong" ones reject on their own: Arabic
# typed on a Persian keyboard produces ک and ی for ك and ي, and ھ turns up in Arabic fonts.
_FA_STRONG = frozenset("پچژگ")
_FA_WEAK = frozenset("کی")  # U+06A9 keheh, U+06CC Farsi yeh
_UR_STRONG = frozenset("ٹڈڑںےہۃ")
_UR_WEAK = frozenset("ھ")  # U+06BE, also Sorani's h
_CKB_STRONG = frozenset("ۆێڵڕە")
_CKB_WEAK = frozenset("ڤ")  # also Arabic for /v/ in loanwords (ڤيروس)
_PS_STRONG = frozenset("ټډړږښګڼېځۍڅ")
_STRONG = _FA_STRONG | _UR_STRONG | _CKB_STRONG | _PS_STRONG
_WEAK = _FA_WEAK | _UR_WEAK | _CKB_WEAK

_LANG_LETTERS: dict[str, tuple[str, frozenset[str]]] = {
    "ckb": ("Sorani Kurdish", _CKB_STRONG),
    "ps": ("Pashto", _PS_STRONG),
    "ur": ("Urdu", _UR_STRONG),
    "fa": ("Persian", _FA_STRONG),
}

_ZWNJ = "\u200c"  # Persian writes می‌شود, کتاب‌ها with it; Arabic has no use for it
_TATWEEL = "\u0640"
_PERSIAN_DIGITS = frozenset("۰۱۲۳۴۵۶۷۸۹")  # U+06F0..U+06F9; Arabic uses U+0660.. or ASCII

# Function words, spelled after folding ی→ي, ک→ك, ى→ي so Persian typed with Arabic letters
# (and Arabic typed on a Persian keyboard) still match.
_FA_WORDS = frozenset(
    "است اين از در را كه با براي مي نمي شد شده شود بود كرد كرده كند دارد خود يك تا اند ديگر "
    "همه وي باشد بي هر اگر بر آن آنها ما ها هاي ايشان هستند نيست".split()
)
_AR_WORDS = frozenset(
    "في على إلى الى الي عن أن إن التي الذي الذين اللذين هذا هذه ذلك تلك كان كانت قد مع لم "
    "لن قال وقال وأضاف كما حيث أو منذ خلال حتى لكن ولكن إنه أنه فيه فيها عليه عليها له لها "
    "هو هي وفي وهو وهي ثم أي عند يكون ليس وقد فقد إذا اذا إلا الا بعض أيضا ايضا وأن وإن "
    "بأن لأن عام وكان ومن وعلى".split()
)
_AL_PREFIXES = ("ال", "وال", "بال", "فال", "كال", "لل")
_FOLD = str.maketrans({"ی": "ي", "ک": "ك", "ى": "ي"})
_TOKEN_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d5\u0750-\u077f]+")
_DIACRITICS_RE = re.compile(r"[\u064b-\u065f\u0670\u06d6-\u06ed]")
_WS_RE = re.compile(r"\s+")

# Tuned on lingua-py's Arabic/Persian/Urdu sentences (eval/language_eval.py).
MIN_LETTERS = 3  # below this there is nothing to judge
STRONG_SHARE = 0.005  # share of non-Arabic letters that rejects on its own ...
STRONG_MIN = 2  # ... when there are at least this many of them
STRONG_SURE = 0.02  # above this share Arabic lexical evidence cannot rescue the text
WEAK_SHARE = 0.03  # ک/ی share that, with no Arabic markers, means Persian
LANGDETECT_MIN_LETTERS = 150  # langdetect's fa/ur is only trusted on text this long ...
LANGDETECT_MIN_PROB = 0.95  # ... and this sure
LATIN_SCRIPT_MAX = 0.5  # below this share of Arabic-script letters the text is not Arabic

_factory: Any = None
_factory_lock = threading.Lock()


def _get_factory() -> Any:
    """Load langdetect's profiles once into a private, seeded factory."""
    global _factory
    if _factory is None:
        with _factory_lock:
            if _factory is None:
                from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                # Seeded so the same text always gets the same answer (langdetect samples
                # n-grams at random); a private factory leaves the global one alone.
                factory.seed = 0
                _factory = factory
    return _factory


def _langdetect(sample: str) -> list[tuple[str, float]]:
    """Return langdetect's (lang, prob) list for the sample, best first; [] on failure."""
    try:
        from langdetect.lang_detect_exception import LangDetectException

        detector = _get_factory().create()  # fresh detector per call: no shared state
        detector.append(sample)
        return [(p.lang, float(p.prob)) for p in detector.get_probabilities()]
    except (LangDetectException, ValueError):
        return []
    except Exception:  # noqa: BLE001 - detection must never break the crawl
        return []


def _is_arabic_script(ch: str) -> bool:
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF


def _make_sample(text: str, sample_chars: int) -> str:
    """First sample_chars characters, whitespace collapsed, presentation forms unfolded."""
    head = text[: max(sample_chars, 0) * 2 + 64]
    head = unicodedata.normalize("NFKC", head)  # ﻻ → لا, old PDF/print text
    return _WS_RE.sub(" ", head).strip()[:sample_chars]


def _prob(probs: list[tuple[str, float]], lang: str) -> float:
    return next((p for code, p in probs if code == lang), 0.0)


def _fmt_letters(chars: Iterable[str]) -> str:
    return " ".join(sorted(set(chars), key=ord))


def _foreign_note(strong: list[str], weak: list[str]) -> str:
    """", N non-Arabic letters (…)" for an Arabic verdict's reason, or "" when there are none."""
    if not (strong or weak):
        return ""
    return f", {len(strong) + len(weak)} non-Arabic letters ({_fmt_letters(strong + weak)})"


@dataclass(frozen=True)
class _Evidence:
    """What the script and the words of an Arabic-script sample say."""

    sample: str
    n_arabic: int
    arabic_share: float
    strong: list[str]  # letters only other languages use (see _STRONG)
    weak: list[str]  # letters Arabic typed on other keyboards also has (see _WEAK)
    ar_lex: int  # Arabic function words and al- words
    fa_lex: int  # Persian function words, ZWNJs, Persian digits and strong letters
    n_tokens: int

    @property
    def strong_share(self) -> float:
        return len(self.strong) / self.n_arabic

    @property
    def weak_share(self) -> float:
        return len(self.weak) / self.n_arabic

    @property
    def lex(self) -> str:
        return f"{self.ar_lex} Arabic / {self.fa_lex} Persian markers in {self.n_tokens} words"

    @property
    def score(self) -> float:
        """Confidence that the text is Arabic from its own words and letters alone."""
        return min(1.0, 0.55 + 0.05 * self.ar_lex + 0.1 * min(self.n_arabic, 200) / 200)


def _evidence(sample: str, arabic_letters: list[str], arabic_share: float) -> _Evidence:
    """Count foreign letters and, on folded tokens, Arabic and Persian markers."""
    strong = [ch for ch in arabic_letters if ch in _STRONG]
    weak = [ch for ch in arabic_letters if ch in _WEAK]
    folded = _DIACRITICS_RE.sub("", sample.replace(_TATWEEL, "")).translate(_FOLD)
    tokens = _TOKEN_RE.findall(folded.replace(_ZWNJ, " "))
    ar_words = sum(1 for t in tokens if t in _AR_WORDS)
    al_words = sum(1 for t in tokens if len(t) >= 4 and t.startswith(_AL_PREFIXES))
    fa_words = sum(1 for t in tokens if t in _FA_WORDS)
    zwnj = sum(1 for m in re.finditer(_ZWNJ, sample) if 0 < m.start() < len(sample) - 1)
    fa_lex = fa_words + zwnj + (1 if any(ch in _PERSIAN_DIGITS for ch in sample) else 0)
    # Strong letters below the rejection threshold still count as Persian-leaning evidence.
    fa_lex += len(strong)
    return _Evidence(sample, len(arabic_letters), arabic_share, strong, weak,
                     ar_words + al_words, fa_lex, len(tokens))


def _not_arabic_script(sample: str, arabic_share: float) -> LanguageResult:
    """Mostly Latin (or other) script: langdetect names the language."""
    probs = _langdetect(sample)
    if not probs:
        return LanguageResult(
            "und", 0.0, f"script: {arabic_share:.0%} Arabic-script letters; langdetect failed"
        )
    lang, p = probs[0]
    return LanguageResult(
        lang,
        round(p, 3),
        f"script: {arabic_share:.0%} Arabic-script letters; langdetect {lang} {p:.2f}",
    )


def _by_foreign_letters(ev: _Evidence) -> LanguageResult | None:
    """Persian, Urdu, Sorani or Pashto by the letters Arabic never uses; None if not enough."""
    strong = ev.strong
    if len(strong) < STRONG_MIN or ev.strong_share < STRONG_SHARE:
        return None
    # A few foreign letters (a name, an Iraqi dialect quote with چ/گ) inside text that is
    # overwhelmingly Arabic by its words should not sink it.
    if ev.strong_share < STRONG_SURE and ev.ar_lex >= 4 * (ev.fa_lex + 1) and ev.fa_lex <= 1:
        return None
    counts = {
        code: sum(1 for ch in strong if ch in chars) for code, (_, chars) in _LANG_LETTERS.items()
    }
    # Sorani, Pashto and Urdu also use the Persian letters, so their own letters win.
    lang = max(("ckb", "ps", "ur"), key=lambda c: counts[c])
    if counts[lang] == 0:
        lang = "fa"
    name, _ = _LANG_LETTERS[lang]
    # Report every letter Arabic does not use (Persian ک ی included), not just the
    # strong ones, so the reason reads like what a reviewer sees in the text.
    shown = [ch for ch in strong + ev.weak if lang != "fa" or ch in _FA_STRONG | _FA_WEAK]
    probs = _langdetect(ev.sample)
    score = max(_prob(probs, lang), min(1.0, 0.6 + 10 * ev.strong_share))
    return LanguageResult(
        lang,
        round(score, 3),
        f"script: {len(shown) / ev.n_arabic:.1%} {name} letters ({_fmt_letters(shown)})",
    )


def _clearly_arabic(ev: _Evidence) -> LanguageResult | None:
    """Arabic by its own words, without asking langdetect; None when that is not certain."""
    # langdetect could neither change the decision (each non-Arabic verdict of _by_langdetect
    # needs ar_lex <= fa_lex) nor the score (the evidence is already 1.0, and score =
    # max(langdetect's ar, evidence)), so the stage's slowest step (≈ 9 ms a page) is
    # skipped. ("ما", "هر" are Persian *and* Arabic words: fa_lex is rarely 0.)
    if ev.score < 1.0 or ev.ar_lex <= ev.fa_lex:
        return None
    return LanguageResult(
        "ar", 1.0,
        f"script: {ev.arabic_share:.0%} Arabic-script letters{_foreign_note(ev.strong, ev.weak)}; "
        f"{ev.lex}; langdetect not needed",
    )


def _by_langdetect(ev: _Evidence) -> LanguageResult:
    """Persian by its words or ک/ی, a sure langdetect fa/ur on long text, else Arabic."""
    probs = _langdetect(ev.sample)
    top, top_p = probs[0] if probs else ("und", 0.0)
    # Persian (or Urdu) without its own letters: Persian typed with Arabic ي/ك, or short text.
    if ev.fa_lex >= 2 and ev.fa_lex > ev.ar_lex:
        score = max(_prob(probs, "fa"), min(1.0, 0.5 + 0.1 * (ev.fa_lex - ev.ar_lex)))
        return LanguageResult("fa", round(score, 3), f"words: {ev.lex}")
    if ev.weak_share >= WEAK_SHARE and ev.ar_lex == 0 and ev.n_tokens >= 3:
        score = max(_prob(probs, "fa"), 0.6)
        return LanguageResult(
            "fa",
            round(score, 3),
            f"script: {ev.weak_share:.1%} Persian letters ({_fmt_letters(ev.weak)}), "
            "no Arabic words",
        )
    if (
        top in ("fa", "ur")
        and top_p >= LANGDETECT_MIN_PROB
        and ev.n_arabic >= LANGDETECT_MIN_LETTERS
        and ev.ar_lex <= ev.fa_lex
    ):
        return LanguageResult(top, round(top_p, 3), f"langdetect {top} {top_p:.2f}; {ev.lex}")
    # Arabic. Confidence: langdetect when it agrees, else the script/lexical evidence.
    score = max(_prob(probs, "ar"), ev.score) if ev.ar_lex >= ev.fa_lex else ev.score
    detail = f"langdetect {top} {top_p:.2f}" if probs else "langdetect n/a"
    return LanguageResult(
        "ar",
        round(score, 3),
        f"script: {ev.arabic_share:.0%} Arabic-script letters{_foreign_note(ev.strong, ev.weak)}; "
        f"{ev.lex}; {detail}",
    )


def detect_language(text: str, sample_chars: int = 1000) -> LanguageResult:
    """Detect the language of body text, separating Arabic from other Arabic-script languages."""
    sample = _make_sample(text or "", sample_chars)
    letters = [ch for ch in sample if ch.isalpha() and ch != _TATWEEL]
    if len(letters) < MIN_LETTERS:
        return LanguageResult("und", 0.0, f"too short: {len(letters)} letters")
    arabic_letters = [ch for ch in letters if _is_arabic_script(ch)]
    arabic_share = len(arabic_letters) / len(letters)
    if arabic_share < LATIN_SCRIPT_MAX:
        return _not_arabic_script(sample, arabic_share)
    ev = _evidence(sample, arabic_letters, arabic_share)
    return _by_foreign_letters(ev) or _clearly_arabic(ev) or _by_langdetect(ev)


class LanguagePipeline:
    """Scrapy item pipeline: set item language and drop pages not in ARSHIF_LANGUAGES."""

    def __init__(self, languages: Iterable[str] = ("ar",), sample_chars: int = 1000) -> None:
        self.languages = frozenset(lang.strip().lower() for lang in languages if lang.strip())
        self.sample_chars = sample_chars

    @classmethod
    def from_crawler(cls, crawler: Any) -> LanguagePipeline:
        """Build from settings ARSHIF_LANGUAGES (default ["ar"]) and ARSHIF_LANGUAGE_SAMPLE."""
        settings = crawler.settings
        languages = settings.getlist("ARSHIF_LANGUAGES", ["ar"]) or ["ar"]
        sample = settings.getint("ARSHIF_LANGUAGE_SAMPLE", 1000)
        return cls(languages=languages, sample_chars=sample)

    def process_item(self, item: Any) -> Any:
        """Detect on the body text (never the title), record it, drop unwanted languages."""
        # The title is too short: langdetect calls short Arabic strings Persian.
        pre = (item.get("precomputed") or {}).get("language")
        if pre and pre[3] == self.sample_chars:
            result = LanguageResult(*pre[:3])  # computed by a worker (pipelines/analysis.py)
        else:
            result = detect_language(item.get("text") or "", self.sample_chars)
        item["language"] = result.lang
        item["language_score"] = result.score
        if result.lang not in self.languages:
            raise DropItem(f"not_arabic: {result.lang} ({result.reason})")
        return item
