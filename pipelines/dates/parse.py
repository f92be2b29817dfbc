"""Publication dates for Arabic news pages.

The strongest available signal wins, in this order: JSON-LD ``datePublished`` (``jsonld``),
``<meta>``/microdata (``meta``), the feed item date (``feed``), the news-sitemap date
(``sitemap``), htmldate (``htmldate``), a date written in the byline or article text (``text``)
and finally a plain sitemap ``lastmod`` (``sitemap_lastmod``). Every candidate must be
plausible (not in the future, not before the outlet existed), otherwise the next one is tried.

All output is in Baghdad time (UTC+3, no DST); values without a zone are taken to be in
Baghdad time already.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

BAGHDAD: tzinfo = timezone(timedelta(hours=3), "Baghdad")

DEFAULT_EARLIEST = date(1995, 1, 1)
# Servers and feeds disagree with our clock by minutes to hours; a day is generous but safe.
CLOCK_SKEW = timedelta(days=1)
TEXT_WINDOW = 3000


@dataclass(frozen=True)
class PublishedDate:
    """The chosen publication date, the signal it came from and the zone it was written in."""

    iso: str
    source: str
    tz_given: str | None


# --------------------------------------------------------------------------------------------
# Arabic normalisation (local on purpose: the shared helper is being written elsewhere)

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # + tatweel
_CHAR_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian keheh
        "\u00a0": " ",
        "\u200f": " ",  # RTL mark, frequent around dates in bylines
        "\u200e": " ",
        "\u200c": " ",
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    }
)


def _normalize(text: str) -> str:
    """Fold alef/hamza/ta-marbuta variants, strip diacritics and tatweel, map digits to ASCII."""
    return _DIACRITICS.sub("", text).translate(_CHAR_MAP)


# --------------------------------------------------------------------------------------------
# Month names (keys are already normalised)

_MONTHS: dict[str, int] = {
    # Egyptian / Gulf (transliterated Latin names)
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "ابريله": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "اغسطس": 8, "اغسطوس": 8,
    "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    # Levantine / Iraqi (Syriac names); spellings with and without the article
    "كانون الثاني": 1, "كانون ثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5,
    "حزيران": 6, "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين اول": 10,
    "تشرين الثاني": 11, "تشرين ثاني": 11, "كانون الاول": 12, "كانون اول": 12,
    # Maghreb (Algeria/Tunisia French-derived, Morocco)
    "جانفي": 1, "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويليه": 7,
    "جويلية": 7, "اوت": 8, "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
    # English, for RFC 822 feed dates and English bylines
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# Longest first so "تشرين الثاني" wins over a shorter prefix and "sept" over "sep".
_MONTH_ALT = "|".join(
    re.escape(m).replace(r"\ ", r"\s+") for m in sorted(_MONTHS, key=len, reverse=True)
)
_MONTH = rf"(?<!\w)(?:{_MONTH_ALT})(?!\w)"

# Named zones seen in RFC 822 feeds; "AST" is deliberately absent (Arabia vs Atlantic).
_NAMED_ZONES = {
    "z": 0, "ut": 0, "utc": 0, "gmt": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
    "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "bst": 60, "cet": 60, "cest": 120,
    "eet": 120, "eest": 180, "msk": 180,
}  # fmt: skip
_ZONE = r"(?P<zone>Z|UTC|UT|GMT|[A-Z]{3,4}T?|[+-]\d{2}(?::?\d{2})?)"
_ZONE_AFTER_TIME = (
    r"(?:\s*(?P<zone>(?:GMT|UTC)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|Z(?!\w)"
    r"|[A-Z]{3,4}(?!\w)|(?:ب)?توقيت\s+(?:غرينتش|جرينتش)))?"
)
# "2:30 م", "09:22 مساءً" (normalised to مساء), "صباحًا", "ظهرا", "AM"/"p.m.".
_AMPM = r"(?P<ampm>صباحا|صباح|ص|مساء|م|ظهرا|عصرا|ليلا|[ap]\.?\s?m\.?)(?!\w)"
_TIME = (
    # Each connector must consume text, so the repetition cannot backtrack explosively.
    r"(?:\s*(?:[-–|,،@T]|at(?!\w)|في|الساعه|الموافق))*\s*"
    r"(?P<hour>\d{1,2})[:：](?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:[.,]\d+)?"
    rf"(?:\s*{_AMPM})?" + _ZONE_AFTER_TIME
)
_OPT_TIME = rf"(?:{_TIME})?"
_SEP = r"[\s,،.\-/]*"

# 12 أيار 2024 | 24 نيسان / أبريل 2020 | 10 حزيران (يونيو) 2024 | 12 May 2024 09:15:00 GMT
_RE_DMY_NAME = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:\s*(?:من|of))?{_SEP}(?P<month>{_MONTH})"
    rf"(?:\s*[/(\-]\s*(?:{_MONTH})\s*\)?)?{_SEP}(?P<year>\d{{4}})(?!\d)" + _OPT_TIME,
    re.IGNORECASE,
)
# May 12, 2024 | مايو 12، 2024
_RE_MDY_NAME = re.compile(
    rf"(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*[,،]?\s*(?P<year>\d{{4}})(?!\d)"
    + _OPT_TIME,
    re.IGNORECASE,
)
# 2024/05/12 | 2024-05-12 14:30 (only in text; values go through _RE_ISO first)
_RE_YMD_NUM = re.compile(
    r"(?<![\d/.\-])(?P<year>\d{4})(?P<s>[/\-.])(?P<month>\d{1,2})(?P=s)(?P<day>\d{1,2})(?![\d/])"
    + _OPT_TIME,
    re.IGNORECASE,
)
# 12-05-2024 | 12/05/2024 — day first, as Arab outlets write
_RE_DMY_NUM = re.compile(
    r"(?<![\d/.\-])(?P<day>\d{1,2})(?P<s>[/\-.])(?P<month>\d{1,2})(?P=s)(?P<year>\d{4})(?!\d)"
    + _OPT_TIME,
    re.IGNORECASE,
)
_RE_ISO = re.compile(
    r"^\s*(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:\s*[T ]\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:[.,]\d+)?)?"
    rf"\s*{_ZONE}?\s*$",
)
# Relative forms: "منذ ساعتين", "منذ 3 ساعات", "قبل دقيقة", "منذ يومين"
_RE_AGO = re.compile(
    r"(?:منذ|قبل)\s+(?P<n>\d+\s*)?(?P<unit>دقيقتين|دقيقتان|دقائق|دقيقه|ساعتين|ساعتان|ساعات|ساعه"
    r"|يومين|يومان|ايام|يوم|اسبوعين|اسبوعان|اسابيع|اسبوع)(?!\w)"
)
_RE_ENGLISH_AGO = re.compile(
    r"(?P<n>\d+|an?|one)\s+(?P<unit>minute|hour|day|week)s?\s+ago\b", re.IGNORECASE
)
_AGO_UNITS = {
    "دقيقه": ("minutes", 1), "دقيقتين": ("minutes", 2), "دقيقتان": ("minutes", 2),
    "دقائق": ("minutes", None), "ساعه": ("hours", 1), "ساعتين": ("hours", 2),
    "ساعتان": ("hours", 2), "ساعات": ("hours", None), "يوم": ("days", 1), "يومين": ("days", 2),
    "يومان": ("days", 2), "ايام": ("days", None), "اسبوع": ("weeks", 1),
    "اسبوعين": ("weeks", 2), "اسبوعان": ("weeks", 2), "اسابيع": ("weeks", None),
}  # fmt: skip
# "أول أمس" / "أمس الأول" before plain "أمس"; a following time is optional.
_RE_DAYWORD = re.compile(
    r"(?<!\w)(?P<word>اول\s+امس|امس\s+الاول|البارحه|امس|اليوم|today|yesterday)(?!\w)" + _OPT_TIME,
    re.IGNORECASE,
)
_DAYWORD_OFFSET = {"اليوم": 0, "today": 0, "امس": 1, "البارحه": 1, "yesterday": 1}


# --------------------------------------------------------------------------------------------
# Building datetimes


def _offset(zone: str | None) -> int | None:
    """Minutes east of UTC for a zone token, or None when absent/unknown."""
    if not zone:
        return None
    z = zone.strip()
    if "توقيت" in z:
        return 0
    m = re.fullmatch(r"(?:GMT|UTC)?\s*([+-])(\d{1,2}):?(\d{2})?", z, re.IGNORECASE)
    if m:
        minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
        return -minutes if m.group(1) == "-" else minutes
    return _NAMED_ZONES.get(z.lower())


def _fmt_offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _hour24(hour: int, ampm: str | None) -> int:
    if not ampm:
        return hour
    a = ampm.lower().replace(".", "").replace(" ", "")
    if a in ("ص", "صباح", "صباحا", "am"):
        return 0 if hour == 12 else hour
    if a in ("ظهرا", "عصرا"):  # "noon"/"afternoon": 12 stays, 1–6 are p.m.
        return hour + 12 if hour < 7 else hour
    return hour + 12 if hour < 12 else hour  # م / مساء / ليلا / pm


def _build(g: dict) -> tuple[datetime, bool, str | None] | None:
    """Turn regex groups into (Baghdad datetime, has_time, tz_given); None if not a real date."""
    month = g["month"]
    month = int(month) if month.isdigit() else _MONTHS.get(re.sub(r"\s+", " ", month.lower()))
    if month is None:
        return None
    year, day = int(g["year"]), int(g["day"])
    hour = g.get("hour")
    try:
        if hour is None:
            return datetime(year, month, day, tzinfo=BAGHDAD), False, None
        h = _hour24(int(hour), g.get("ampm"))
        offset = _offset(g.get("zone"))
        tz = BAGHDAD if offset is None else timezone(timedelta(minutes=offset))
        dt = datetime(year, month, day, h, int(g["minute"]), int(g.get("second") or 0), tzinfo=tz)
    except ValueError:  # 31 February, hour 25, …
        return None
    return dt.astimezone(BAGHDAD), True, None if offset is None else _fmt_offset(offset)


def _build_numeric_dmy(g: dict) -> tuple[datetime, bool, str | None] | None:
    """Day-first, but fall back to month-first when the day-first reading is impossible."""
    res = _build(g)
    if res is None and int(g["month"]) > 12:
        swapped = dict(g, day=g["month"], month=g["day"])
        res = _build(swapped)
    return res


def _relative(m: re.Match, now: datetime) -> tuple[datetime, bool, str | None] | None:
    if m.re is _RE_AGO:
        unit, fixed = _AGO_UNITS[m.group("unit")]
        n = int(m.group("n")) if m.group("n") else (fixed or 1)
    else:  # English "3 hours ago"
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else 1
        unit = m.group("unit").lower() + "s"
    dt = now - timedelta(**{unit: n})
    if unit in ("minutes", "hours"):
        return dt, True, None
    return datetime(dt.year, dt.month, dt.day, tzinfo=BAGHDAD), False, None


def _dayword(m: re.Match, now: datetime) -> tuple[datetime, bool, str | None] | None:
    word = re.sub(r"\s+", " ", m.group("word").lower())
    back = _DAYWORD_OFFSET.get(word, 2)  # the two "day before yesterday" forms
    d = (now - timedelta(days=back)).date()
    g = m.groupdict()
    if g.get("hour") is None:
        return datetime(d.year, d.month, d.day, tzinfo=BAGHDAD), False, None
    return _build(dict(g, year=str(d.year), month=str(d.month), day=str(d.day)))


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(BAGHDAD)
    return now.replace(tzinfo=BAGHDAD) if now.tzinfo is None else now.astimezone(BAGHDAD)


_ABSOLUTE = (_RE_DMY_NAME, _RE_MDY_NAME, _RE_YMD_NUM, _RE_DMY_NUM)


def _from_match(m: re.Match) -> tuple[datetime, bool, str | None] | None:
    if m.re is _RE_DMY_NUM:
        return _build_numeric_dmy(m.groupdict())
    return _build(m.groupdict())


def parse_date(value: str, now: datetime | None = None) -> tuple[datetime, bool, str | None] | None:
    """Parse one date string (ISO, RFC 822, Arabic, numeric, relative) into (dt, has_time, tz)."""
    if not value or not value.strip():
        return None
    text = _normalize(value.strip())
    m = _RE_ISO.match(text)
    if m:
        return _build(m.groupdict())
    # The earliest absolute form in the string wins (e.g. a weekday prefix is simply skipped).
    found = [(m.start(), m) for rx in _ABSOLUTE if (m := rx.search(text))]
    for _, m in sorted(found, key=lambda pm: pm[0]):
        res = _from_match(m)
        if res is not None:
            return res
    ref = _now(now)
    m = _RE_AGO.search(text) or _RE_ENGLISH_AGO.search(text)
    if m:
        return _relative(m, ref)
    m = _RE_DAYWORD.search(text)
    if m:
        return _dayword(m, ref)
    return None


def _plausible(res: tuple[datetime, bool, str | None], now: datetime, earliest: date) -> bool:
    dt, has_time, _ = res
    limit = now + CLOCK_SKEW
    if (dt > limit) if has_time else (dt.date() > limit.date()):
        return False
    return dt.date() >= earliest


def find_text_date(
    text: str, now: datetime | None = None
) -> tuple[datetime, bool, str | None] | None:
    """Return the first plausible date written in the first ~3000 characters of text."""
    if not text:
        return None
    ref = _now(now)
    window = _normalize(text[:TEXT_WINDOW])
    matches = sorted(
        ((m.start(), m) for rx in _ABSOLUTE for m in rx.finditer(window)), key=lambda pm: pm[0]
    )
    for _, m in matches:
        res = _from_match(m)
        if res is not None and _plausible(res, ref, DEFAULT_EARLIEST):
            return res
    # Relative forms only when no absolute date is written: in running text "أمس" usually
    # means "the day before publication", so a bare day-word counts only in a short byline
    # or when a time of day makes it a timestamp ("اليوم 14:30").
    m = _RE_AGO.search(window) or _RE_ENGLISH_AGO.search(window)
    if m:
        return _relative(m, ref)
    for m in _RE_DAYWORD.finditer(window):
        if m.group("hour") is not None or len(window.strip()) <= 60:
            res = _dayword(m, ref)
            if res is not None:
                return res
    return None


# --------------------------------------------------------------------------------------------
# Page signals

_ARTICLE_TYPE = re.compile(r"(Article|Posting|Report)$")
_RE_LD_FALLBACK = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def _ld_dates(node, out: list[str]) -> None:
    """Collect datePublished of article-like JSON-LD objects, depth first (@graph, lists, …)."""
    if isinstance(node, list):
        for item in node:
            _ld_dates(item, out)
    elif isinstance(node, dict):
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and _ARTICLE_TYPE.search(t) for t in types):
            value = node.get("datePublished")
            if isinstance(value, str):
                out.append(value)
        for key, value in node.items():
            if isinstance(value, dict | list) and key != "publisher":
                _ld_dates(value, out)


def _jsonld_candidates(tree) -> list[str]:
    out: list[str] = []
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = script.text or ""
        if "datePublished" not in raw:
            continue
        try:
            _ld_dates(json.loads(raw, strict=False), out)
        except ValueError:
            # Hand-written JSON-LD with trailing commas or raw newlines is common on Arab CMSs.
            out.extend(_RE_LD_FALLBACK.findall(raw))
    return out


_META_NAMES = (
    "pubdate", "publishdate", "publish-date", "publish_date", "date", "dc.date.issued",
    "dcterms.issued", "sailthru.date", "parsely-pub-date", "article:published_time",
    "article.published", "datepublished",
)  # fmt: skip
_META_PROPERTIES = ("article:published_time", "og:article:published_time", "og:published_time")


def _meta_candidates(tree) -> list[str]:
    """Meta/microdata values, strongest kind first."""
    by_property: list[str] = []
    by_itemprop: list[str] = []
    by_name: list[tuple[int, str]] = []
    for el in tree.iterfind(".//meta"):
        content = el.get("content")
        if not content:
            continue
        if (el.get("property") or "").lower() in _META_PROPERTIES:
            by_property.append(content)
        if (el.get("itemprop") or "") == "datePublished":
            by_itemprop.append(content)
        name = (el.get("name") or "").lower()
        if name in _META_NAMES:
            by_name.append((_META_NAMES.index(name), content))
    for el in tree.iterfind(".//*[@itemprop='datePublished']"):
        if el.tag != "meta":
            value = el.get("datetime") or el.get("content")
            if value:
                by_itemprop.append(value)
    return by_property + by_itemprop + [v for _, v in sorted(by_name, key=lambda iv: iv[0])]


# Class/id tokens of blocks that carry *other* articles' dates (sidebars, related, menus).
_NOISE_TOKEN = re.compile(
    r"^(?:sidebar|side-bar|widget|widgets|widget-area|related|related-posts|related-news"
    r"|relatedposts|most-read|most-viewed|mostread|popular|trending|more-news|read-more"
    r"|nav|navbar|menu|footer|breadcrumb|ticker|breaking|latest)(?:[-_].*)?$",
    re.IGNORECASE,
)
_NOISE_XPATH = "//aside|//nav|//footer|//header|//*[@class or @id]"


def _is_noise(el) -> bool:
    if el.tag in ("aside", "nav", "footer"):
        return True
    if el.tag == "header":
        # An <article>'s own <header> holds the byline; only the site header is noise.
        return not el.xpath("ancestor::article or ancestor::main")
    tokens = f"{el.get('class') or ''} {el.get('id') or ''}".split()
    return any(_NOISE_TOKEN.match(t) for t in tokens)


def _drop_keep_tail(parent, el) -> None:
    # lxml removes an element's tail with it, but the tail is the parent's text, not sidebar text.
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _without_noise(tree):
    """A copy of the page with sidebars, menus and footers removed (the original is untouched)."""
    clone = copy.deepcopy(tree)
    for el in clone.xpath(_NOISE_XPATH):
        if el.tag in ("html", "body") or not _is_noise(el):
            continue
        parent = el.getparent()
        if parent is not None:
            _drop_keep_tail(parent, el)
    return clone


def _htmldate(clean_tree, now: datetime, earliest: date) -> str | None:
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - htmldate is a declared dependency
        return None
    try:
        return find_date(
            clean_tree,
            extensive_search=False,
            original_date=True,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
            min_date=datetime(earliest.year, earliest.month, earliest.day),
            max_date=(now + CLOCK_SKEW).replace(tzinfo=None),
        )
    except Exception:  # noqa: BLE001 - a date heuristic must never break the pipeline
        return None


def _from_htmldate(value: str) -> tuple[datetime, bool, str | None] | None:
    # htmldate pads day-only results with midnight and no zone: that is not a time of day.
    if value.endswith("T00:00:00"):
        value = value[:10]
    return parse_date(value)


_BYLINE_XPATH = (
    "//*[not(self::script or self::style or self::meta or self::a)]"
    "[contains(@class,'date') or contains(@class,'time') or contains(@class,'byline')"
    " or contains(@class,'publish') or contains(@class,'created') or contains(@class,'posted')"
    " or contains(@class,'Date') or contains(@class,'Time') or contains(@id,'date')"
    " or contains(@class,'meta') or self::time]"
)


def _byline_texts(clean_tree, limit: int = 40) -> list[str]:
    out: list[str] = []
    for el in clean_tree.xpath(_BYLINE_XPATH):
        text = " ".join(el.text_content().split())
        if 6 <= len(text) <= 200:
            out.append(text)
            if len(out) >= limit:
                break
    return out


def _to_published(res: tuple[datetime, bool, str | None], source: str) -> PublishedDate:
    dt, has_time, tz_given = res
    iso = (
        dt.astimezone(BAGHDAD).isoformat(timespec="seconds") if has_time else dt.date().isoformat()
    )
    return PublishedDate(iso=iso, source=source, tz_given=tz_given)


def extract_published(
    tree,
    text: str,
    hints: dict,
    now: datetime | None = None,
    earliest: date | None = None,
) -> PublishedDate | None:
    """Pick the strongest plausible publication date for a page (tree is never mutated)."""
    ref = _now(now)
    earliest = earliest or DEFAULT_EARLIEST
    hints = hints or {}

    def first(values, source: str) -> PublishedDate | None:
        for value in values:
            if not isinstance(value, str):
                continue
            res = parse_date(value, ref)
            if res is not None and _plausible(res, ref, earliest):
                return _to_published(res, source)
        return None

    if tree is not None:
        found = first(_jsonld_candidates(tree), "jsonld") or first(_meta_candidates(tree), "meta")
        if found:
            return found
    found = first([hints.get("feed_date")], "feed") or first([hints.get("sitemap_date")], "sitemap")
    if found:
        return found

    clean = _without_noise(tree) if tree is not None else None
    if clean is not None:
        value = _htmldate(clean, ref, earliest)
        res = _from_htmldate(value) if value else None
        if res is not None and _plausible(res, ref, earliest):
            return _to_published(res, "htmldate")

    # Bylines first: a date in the running text may be the date of the event, not the article.
    for chunk in ([*_byline_texts(clean)] if clean is not None else []) + [text or ""]:
        res = find_text_date(chunk, ref)
        if res is not None and _plausible(res, ref, earliest):
            return _to_published(res, "text")

    return first([hints.get("sitemap_lastmod")], "sitemap_lastmod")
